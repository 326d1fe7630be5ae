## 台账部分的消息（src/ledger/）：打开、升级、导入时拒收的行、撤销、已关闭的学期、
## check 的检查结果、备份。键和占位符与 locales/en/ledger.ftl 一一对应。

## ------------------------------------------------------------- 操作系统报告的错误

ledger-os-not-found = 文件或文件夹不存在。请检查文件名和所在文件夹
ledger-os-permission = 没有权限。请确认有权在那里写入，或换一个文件夹
ledger-os-disk-full = 磁盘已满。请腾出空间后重试
ledger-os-read-only = 磁盘只读。请换一个可以写入的磁盘上的文件夹
ledger-os-exists = 已有同名文件。请换一个名字
ledger-os-not-a-folder = 路径中有一段是文件而不是文件夹。请检查路径
ledger-os-is-a-folder = 这是一个文件夹，不是文件。请写出文件名
ledger-os-other = { $error }

## ------------------------------------------------------------- 打开台账

ledger-hint-disk-full = 磁盘已满，没有写入任何内容。请腾出空间后重试
ledger-hint-read-only = 台账只读（请检查该文件及其文件夹的权限），没有写入任何内容
ledger-hint-locked = 另一个 gongyu 占用台账太久。请等那次导入完成后重试
ledger-hint-not-a-database = 该文件不是 SQLite 台账（或已损坏）
ledger-network-share = { $path } 位于网络共享上，SQLite 在那里无法可靠加锁。请把台账放在本机磁盘上
ledger-network-fs = { $path } 位于网络文件系统上（{ $mount } 处的 { $fstype }），SQLite 在那里无法可靠加锁。请把台账放在本机磁盘上
ledger-create-folder = 无法创建文件夹 { $dir }：{ $reason }
ledger-create = 无法创建台账 { $path }
ledger-missing = { $path } 处没有台账。请先用 gongyu init 创建（或用 --db 或环境变量 GONGYU_DB 指定另一个台账）
ledger-is-a-folder = { $path } 是文件夹，不是台账文件
ledger-open = 无法打开台账 { $path }
ledger-read-only-unreadable = { $path } 位于只读磁盘上，无法在那里读取（{ $error }）
ledger-unusable = { $path } 不是可用的 gongyu 台账
ledger-not-gongyu = { $path } 不是 gongyu 台账
ledger-read-only-old-schema = { $path } 是只读的旧版台账（第 { $version } 版结构），本程序读取第 { $latest } 版。请把它复制到可写入的文件夹，以便升级
ledger-read-only-note = 提示：{ $path } 是只读的：可以生成报告，但不能导入或做其他更改
ledger-setting-wal = 设置预写日志（WAL）时出错
ledger-no-wal = 台账无法使用预写日志（journal_mode 为 { $mode }）
ledger-configuring = 配置数据库连接时出错

## ------------------------------------------------------------- 升级台账结构

ledger-upgrade-step = 把 { $path } 升级到第 { $version } 版结构时出错
ledger-upgrade-breaks = 把 { $path } 升级到第 { $version } 版结构会破坏 { $count } 处引用（第一处：{ $first }），台账没有任何改动
ledger-upgrade-broken-row = { $table } 表第 { $row } 行 → { $parent }
ledger-not-gongyu-file = { $path } 不是 gongyu 台账（是别的 SQLite 文件，或根本不是 SQLite 文件）
ledger-too-new = { $path } 由更新版本的 gongyu 写入（第 { $version } 版结构，本程序最多认识第 { $latest } 版）。请先升级 gongyu
ledger-upgrade-backup = 升级前把 { $path } 备份到 { $backup } 时出错
ledger-upgrade-backup-name = 无法把 { $path } 的备份命名为 { $backup }：{ $reason }
ledger-removed-upgrade-partial = 已删除 { $partial }：上次升级 { $path } 时被中断而留下的未完成副本
ledger-upgrading = 正在把 { $path } 从第 { $version } 版结构升级到第 { $latest } 版（备份：{ $backup }）

## ------------------------------------------------------------- 已关闭的学期

ledger-closed-term-bad = 台账中记录的已关闭学期不是有效的学期：{ $term }
ledger-touch-roster = { $term } 的{ $kind }名册（该学期的报告用到它）
ledger-touch-key-students = { $year } 学年的重点关注学生名册
ledger-touch-dated = { $what }（不晚于该学期最后一天）
ledger-touch-activities-in = { $month } 的活动
ledger-touch-registry-dated = { $date } 报备的登记备案
ledger-touch-its-activities = 其中日期从 { $date } 起的活动
ledger-touch-its-registry = 其中日期从 { $date } 起的登记备案
ledger-doing-import = 导入
ledger-doing-revert = 撤销批次 { $batch }，即撤销
ledger-closed-refusal = 学期 { $term } 已关闭（{ $by } 于 { $at } 关闭）；{ $doing } { $what }会改变该学期的报告，因此没有写入任何内容。如确需更改，请先重新打开该学期：gongyu term reopen { $term } --reason "…"
ledger-term-already-closed = 学期 { $term } 已经关闭；gongyu term list 可查看由谁、何时关闭
ledger-term-not-closed = 学期 { $term } 没有关闭，无需重新打开
ledger-reopen-needs-reason = 重新打开学期需要写明原因（--reason "…"），原因会记入台账日志

## ------------------------------------------------------------- 导入

ledger-import-start = 开始导入时出错
ledger-import-save = 把导入内容保存到台账时出错
ledger-import-abandon = 放弃导入时出错

## ------------------------------------------------------------- 撤销

ledger-revert-no-batch = 没有批次 { $batch }；gongyu log 列出所有批次
ledger-revert-already = 批次 { $batch } 已于 { $at } 撤销
ledger-revert-tally-damaged = 批次 { $batch } 有 { $removed } 条活动，但活动汇总中按月只有 { $months } 条、按学期只有 { $terms } 条记在应在的位置；台账没有任何改动。台账已损坏：请运行 gongyu check
ledger-revert-orphans = 撤销批次 { $batch } 会使 { $count } 条活动的举办单位不在任何名册中。请先导入列有这些单位的名册，或先撤销这些活动所在的批次；如仍要撤销，请加 --force
ledger-revert-save = 保存撤销时出错

## ------------------------------------------------------------- 备份

ledger-backup-create-ledger = 无法创建 { $file }
ledger-backup-copying = 复制台账时出错
ledger-backup-finishing = 完成备份时出错
## ------------------------------------------------------------- check 的检查结果（检查项代码不变）

ledger-check-preparing = 准备 { $check } 检查时出错
ledger-check-host-not-in-roster = 活动 { $activity }（批次 { $batch }）的举办单位 { $code } 不在任何有效名册中
ledger-check-roster-without-term = 批次 { $batch } 是没有学期的{ $kind }名册
ledger-check-key-students-without-year = 批次 { $batch } 是没有学年的重点关注学生名册
ledger-check-fact-yes-and-no = 批次 { $batch } 中单位 #{ $unit } 的同一项情况既填“是”又填“否”
ledger-check-revert-unrecorded = 批次 { $batch } 标记为已撤销，但没有撤销记录
ledger-check-missing-row = { $table } 表第 { $row } 行引用的 { $parent } 表记录不存在
ledger-check-activity-term = 活动 #{ $activity } 的日期为 { $day }，却记在学期 { $term } 下
ledger-check-month-last-day = { $month } 月的活动最晚到 { $last }，但汇总记为 { $told }
ledger-check-month-no-last-day = { $month } 月的活动最晚到 { $last }，但汇总中没有记录
ledger-check-batch-count = 批次 { $batch } 记录了 { $recorded } 行，但台账中有 { $held } 行
ledger-check-batch-kind = 批次 { $batch } 的类别 "{ $kind }" 不是本版 gongyu 认识的报表类别
ledger-check-activity-kind = 活动 #{ $activity } 的类型“{ $kind }”不是活动类型
ledger-check-tally-month = { $month } 月 单位 #{ $host }：活动计 { $counted }，但汇总记为 { $told }
ledger-check-tally-term = 学期 { $term } 单位 #{ $host }：活动计 { $counted }，但汇总记为 { $told }
ledger-check-tally-month-unreadable = { $month } 月 单位 #{ $host }：汇总的计数无法读取（已损坏，或含本程序不认识的活动类型）
ledger-check-tally-term-unreadable = 学期 { $term } 单位 #{ $host }：汇总的计数无法读取（已损坏，或含本程序不认识的活动类型）
ledger-check-index-order = 索引 { $index } 在第 { $row } 行处顺序错乱或有重复项
ledger-check-index-count = 索引 { $index } 有 { $entries } 项，但表 { $table } 中应列入它的行有 { $rows } 行
ledger-check-index-content = 索引 { $index } 的内容与表 { $table } 不一致（项数与行数相同，都是 { $rows }，但内容不同）

## ------------------------------------------------------------- 读取台账

ledger-read-bad-term = 批次 { $batch } 的学期 { $term } 无效
ledger-read-roster-values = 批次 { $batch }：单位 { $unit } 的取值不是账本写入的列表
ledger-read-start = 开始读取台账时出错
ledger-reading = 读取台账时出错
ledger-reading-with = 读取台账时出错（语句 `{ $sql }`）
ledger-read-unit-missing = 名册中的单位 #{ $unit } 在单位表中不存在（gongyu check 可查看更多）
ledger-read-registry-category = 一条登记备案的类别无法识别
ledger-read-registry-date = 一条登记备案的日期无效

## ------------------------------------------------------------- 台账拒收的行

ledger-activity-breaks-rule = 第 { $line } 行违反台账的规则：{ $error }
ledger-body-code-is-school = 代码 { $code } 已是已导入名册中某所学校的代码；机构需要自己的代码（活动按代码认定举办单位）
ledger-body-code-is-community = 代码 { $code } 已是已导入名册中某个社区的代码；机构需要自己的代码（活动按代码认定举办单位）
ledger-key-student-no-school = 已导入的学校名册中都没有代码为 { $code } 的学校。请先导入学校名册
ledger-registry-unknown-township = “{ $township }”不是已导入社区名册中的乡镇街道。请按社区名册的写法填写乡镇街道的名称或代码

## ------------------------------------------------------------- 活动汇总的临时文件

ledger-tally-temp-create = 无法为活动汇总创建临时文件：{ $reason }
ledger-tally-thread = 无法启动合并活动汇总的线程
ledger-tally-merge-failed = 合并活动汇总的线程意外中止
ledger-tally-temp-write = 无法写入活动汇总的临时文件：{ $reason }
ledger-tally-temp-read = 无法读取活动汇总的临时文件：{ $reason }
ledger-counts-damaged = 活动汇总中某行的计数已损坏，或计入的活动类型多于本程序所知的 { $kinds } 种
ledger-counts-unknown-kind = “{ $kind }”不是本程序所知的活动类型
ledger-counts-negative = 活动汇总的计数将小于零或超出上限
ledger-tally-too-many-in-month = 活动汇总中同一单位一个月的活动超过 40 亿条
ledger-tally-too-many-in-term = 同一单位一个学期的活动超过 40 亿条
