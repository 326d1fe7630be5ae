## 中文消息目录（默认）。键和占位符与 locales/en/ 一一对应（有测试检查）；
## 编号、原因代码、CSV 和 JSON 的列名、命令行参数和文件名不翻译。

## ------------------------------------------------------------- 命令行帮助

help-usage = 用法：
help-commands = 命令
help-arguments = 参数
help-options = 选项
help-flag-help = 显示帮助
help-flag-version = 显示版本
help-default = ［默认：{ $value }］
help-more = 更多说明：加 --help。

cmd = 家校社共育三年行动计划达标台账：导入学校、社区、机构、活动等报表，统计各项指标是否达标
cmd-after =
    先运行 gongyu demo，用自带的门头沟演示数据看一份报告。
    一个学期：gongyu init；gongyu import communities 文件 --term 2020-2021-1；
    gongyu import schools 文件 --term 2020-2021-1；gongyu import bodies 文件 --term 2020-2021-1；
    gongyu import key-students 文件 --school-year 2020-2021；gongyu import activities 文件；
    gongyu import registry 文件；
    gongyu coverage report --term 2020-2021-1 --by township；gongyu coverage gaps --term 2020-2021-1。
    中文使用说明：docs/使用说明.md。

    退出码：0 成功；1 出错（报表有误、找不到台账、数据库故障）；
    2 命令写法错误；3 coverage report --check 发现差距。
arg-db = 台账文件［默认：环境变量 GONGYU_DB，否则为当前文件夹中的 gongyu.db；demo 命令默认在临时文件夹中］
arg-plan = 据以统计的计划文件（TOML）［默认：环境变量 GONGYU_PLAN，否则为内置的门头沟 2019–2021 年计划；见 gongyu plan show］
arg-lang = 输出语言：zh（中文）或 en（英文）［默认：环境变量 GONGYU_LANG，否则为中文］；CSV 和 JSON 的列名不变

arg-term = 统计的学期，如 2020-2021-1 或 2020-2021学年第一学期［默认：今天所在的学期］
arg-format = 输出格式：table（表格）、csv 或 json；csv 和 json 供脚本使用，格式固定
arg-report-format = 输出格式：table（表格）、csv、json、xlsx（工作簿）或 html（网页）；csv 和 json 供脚本使用，格式固定
value-format-table = 给人看的表格，显示在终端中
value-format-csv = 供脚本和电子表格使用（列固定）
value-format-json = 供脚本使用（字段固定）
value-format-xlsx = 工作簿（汇总、乡镇、差距、趋势等表），需要 -o 文件
value-format-html = 带图表的单个网页，可用 A4 纸打印
arg-output = 写入文件而不是屏幕（xlsx 必须指定）；文件已存在时不覆盖，除非加 --force
arg-force = 与 -o 一起用：文件已存在时覆盖（绝不覆盖台账，也不经由符号链接写入）
arg-import-force = 与 --rejects 一起用：文件已存在时覆盖（绝不覆盖台账，也不经由符号链接写入）
arg-excel = 与 --format csv 一起用：文件开头加 UTF-8 标记，Excel 打开时中文不乱码
arg-target = 只看这一项指标，如 parent-school-activities
arg-township = 只看这个乡镇街道（名称或代码）

cmd-init = 新建台账（已存在时不做任何事）
cmd-import = 检查并导入报表（CSV/文本：UTF-8、GB18030 或 UTF-16；或 .xlsx/.xls/.ods 工作簿）；多个文件要么全部导入，要么全部不导入
arg-import-kind = 报表种类
value-kind-schools = 学校名册，每学期一份（学校）
value-kind-communities = 社区（村）名册，每学期一份（社区/村）
value-kind-bodies = 不属于学校或社区的家长学校和共育委员会名册，每学期一份（机构）
value-kind-key-students = 重点关注学生名册，只用学校自编的学生编号，每学年一份（重点关注学生）
value-kind-activities = 家长学校活动（活动）
value-kind-registry = 各乡镇街道留守儿童、残疾儿童、困境儿童的登记备案，只报人数（登记备案）
arg-import-files = 一个或多个报表（CSV/文本，或 .xlsx/.xls/.ods 工作簿）；任何一个有错行，全部不导入
arg-import-term = 名册所属学期，如 2020-2021-1 或 2020-2021学年第一学期（表中有“学期”列时可不写）
arg-import-school_year = 重点关注学生名册的学年，如 2020-2021（表中有“学年”列时可不写）
arg-import-dry_run = 只检查、报告将导入什么，不写入台账
arg-import-sheet = 工作簿中要读的工作表［默认：第一张］
arg-import-rejects = 报表被退回时，把它原样写到这个文件，并在错行后加一列“错误”（工作簿写成 .xlsx，文本按原编码写）
cmd-coverage = 计划各项指标的达标情况
cmd-coverage-report = 指标达标表：全区，以及（加 --by township）各乡镇街道
arg-coverage-report-by = 每个乡镇街道、每项指标各一行（JSON 总是包含）
arg-coverage-report-check = 任何指标（全区或乡镇）有差距时以退出码 3 结束
cmd-coverage-gaps = 未达标单位清单：谁差、为什么差、谁负责
cmd-coverage-trend = 计划逐学期的进展：从计划第一个学期起的每项指标
arg-coverage-trend-from = 起始学期［默认：计划的第一个学期］
arg-coverage-trend-to = 截止学期［默认：计划的最后一个学期；若今天更早，则为今天所在的学期］
arg-coverage-trend-by = 每个乡镇街道、每项指标各一条（JSON 总是包含）
arg-coverage-trend-township = 只看这个乡镇街道（名称或代码），而不是全区
cmd-demo = 用自带的演示数据新建一个台账并显示报告（--db 默认为临时文件夹中的 gongyu-demo.db；不使用 GONGYU_DB）
cmd-log = 列出导入批次，最新的在前
arg-log-limit = 只显示最新的 N 个批次
cmd-revert = 撤销一个导入批次（撤销名册时恢复它所替换的名册）
arg-revert-batch = 批次号，见 gongyu log
arg-revert-force = 即使撤销后有活动的主办单位不在任何名册中，也撤销名册
cmd-check = 检查台账是否完好、数据是否自洽（有问题时退出码为 1）
cmd-backup = 把台账安全地复制到文件，导入进行中也可以
arg-backup-file = 备份文件（不能已存在）
cmd-template = 生成空白报表模板，列名为标准中文列名（CSV，或带下拉选项的 xlsx）
arg-template-kind = 报表种类
arg-template-format = csv（带 BOM 的 UTF-8）或 xlsx（带下拉选项和逐列说明）
arg-template-output = 写入的文件［默认：csv 显示在屏幕上；xlsx 必须指定］
cmd-plan = 现行计划（指标、要求、期限、责任单位），以及检查计划文件
cmd-plan-show = 以计划文件的格式显示现行计划（修改后用 --plan 指定，即成新计划）
arg-plan-show-format = toml（可直接使用的计划文件）或 json
cmd-plan-check = 检查计划文件：逐条列出错误及其所在行（有错误时退出码为 1）
arg-plan-check-file = 要检查的计划文件
cmd-returns = 某学期哪些报表已交，哪些单位还没有报
arg-returns-missing = 只列出缺的：名册、没有活动的单位、未备案的乡镇
cmd-term = 督导后关闭学期（锁定结果）、说明原因后重新开放，或列出记录
cmd-term-close = 关闭学期：此后会改变其结果的导入和撤销都将被拒绝
arg-term-close-term = 学期，如 2020-2021-1
arg-term-close-note = 关闭时记下的说明（如“2021-02-05 已报市教委”）
arg-term-close-force = 学期尚未结束或不在计划期内时也关闭
cmd-term-reopen = 重新开放已关闭的学期；原因记入台账
arg-term-reopen-term = 学期，如 2020-2021-1
arg-term-reopen-reason = 重新开放的原因（必填，记入台账）
cmd-term-list = 每次关闭和重新开放：操作人、时间、说明或原因
cmd-completions = 输出命令补全脚本（如 gongyu completions bash > /etc/bash_completion.d/gongyu）
arg-completions-shell = 命令行环境：bash、zsh、fish、powershell 或 elvish
cmd-man = 输出手册页（如 gongyu man > gongyu.1; man ./gongyu.1），或加 --dir 为每个命令写一页
arg-man-dir = 把 gongyu.1 和每个命令的手册页（gongyu-import.1 等）写入这个文件夹

## ------------------------------------------------------------- 命令写法错误

usage-unknown-argument = 不认识的参数“{ $arg }”
usage-invalid-value = “{ $value }”不是 { $arg } 可用的值
usage-possible-values = 可用的值：{ $values }
usage-missing-argument = 缺少必填的参数：{ $arg }
usage-missing-command = 要执行哪个命令？{ $commands }
usage-unknown-command = 没有“{ $command }”这个命令
usage-value-needed = { $arg } 后面要写一个值
usage-bad-value = { $arg } 的值“{ $value }”无效：{ $reason }
usage-too-many = 多余的值“{ $value }”
usage-conflict = { $arg } 不能与 { $other } 同时使用
usage-other = { $message }
usage-help-hint = 更多说明：{ $command } --help

## ------------------------------------------------------------- 错误和提示

error-prefix = 错误：
warning-prefix = 提醒：
import-rejected-count = { $file } 被退回：{ $count } 处问题；台账中没有写入任何内容
help-list-separator = 、
