term-locks = 会改变其报告的导入和撤销都将被拒绝：日期在 { $last } 及以前的活动和登记、其报告所用的名册（{ $term } 及以前学期的）、{ $year } 学年的重点关注学生名册
term-closed = 已关闭学期 { $term }（{ $term_words }）。此后{ $locks }。
term-reopened = 已重新开放学期 { $term }（原因：{ $reason }）
term-not-ended = 学期 { $term } 尚未结束（{ $last_day } 结束，今天是 { $today }）
term-outside-plan = 学期 { $term } 不在计划的学期范围内（{ $first } 至 { $last }）
term-close-refused = 未关闭：{ $why }。关闭后，{ $locks }。若确要关闭，请加 --force：gongyu term close { $term } --force

## ------------------------------------------------------------- 各命令通用（src/commands/mod.rs）

commands-note-prefix = 说明：
commands-stdout = 无法写到标准输出（屏幕或重定向到的文件）
commands-term-given = 学期 { $term }
commands-term-none-closed = 尚无学期被关闭
commands-excel-ignored = --excel 只用于 --format csv，已忽略

## ------------------------------------------------------------- init

commands-init-created = 已创建台账 { $path }（数据格式版本 { $version }）
commands-init-exists = 台账 { $path } 已存在（数据格式版本 { $version }），未做任何改动

## ------------------------------------------------------------- log、revert、check、backup

commands-log-header-batch = 批次
commands-log-header-time = 时间
commands-log-header-user = 操作人
commands-log-header-kind = 类别
commands-log-header-term = 学期/学年
commands-log-header-file = 文件
commands-log-header-rows = 行数
commands-log-header-imported = 导入
commands-log-header-dups = 重复
commands-log-header-note = 说明
commands-log-replaces = 替换批次 { $batch }
commands-log-reverted = 已于 { $at } 由 { $by } 撤销
commands-log-separator = ；
commands-log-none-shown = 未显示批次（--limit 0）
commands-log-none = 尚无导入
commands-revert-done = 已撤销批次 { $batch }（{ $period }{ $imported } { $kind ->
        [schools] 所学校
        [communities] 个社区
        [bodies] 个机构
        [key-students] 名重点关注学生
        [activities] 条活动
        [registry] 条登记备案
       *[other] 条{ $kind }
    }，{ $file }）
commands-revert-for-period = { $period } 的{" "}
commands-revert-activities = 已删除 { $count } 条活动
commands-revert-restored = { $period }{ $kind ->
        [schools] 学校
        [communities] 社区
        [bodies] 机构
        [key-students] 重点关注学生
        [activities] 活动
        [registry] 登记备案
       *[other] { $kind }
    }名册恢复为批次 { $batch }
commands-revert-no-roster = 现在没有{ $period }{ $kind ->
        [schools] 学校
        [communities] 社区
        [bodies] 机构
        [key-students] 重点关注学生
        [activities] 活动
        [registry] 登记备案
       *[other] { $kind }
    }名册；报告将改用以前学期的名册（如果有）
commands-revert-orphans = 有 { $count } 条活动的主办单位现在不在任何名册中（--force）；在有名册列入这些单位之前，`gongyu check` 会一直列出它们
commands-check-ok = { $path }：正常（完整性、外键和台账规则均已检查）
commands-check-finding = { $path }：{ $check }：{ $count } 处
commands-check-more = ……另有 { $count } 处
commands-check-failed = 在 { $path } 中发现 { $count } 处问题（{ $checks } 项检查）
commands-backup-done = 已把 { $path } 备份到 { $file }

## ------------------------------------------------------------- demo

commands-demo-banner =
    gongyu demo — 新建的演示台账：{ $path }
    演示数据：门头沟区真实的 304 个社区（统计用区划代码），其家长学校情况为虚构；
    另有虚构的 100 所学校、5 个机构、重点关注学生编号和登记备案，
    以及一个学期（{ $term }）的虚构活动。
commands-demo-try-next = 接下来可以试试：
commands-demo-fixtures-folder = 无法在 { $dir } 中为演示数据建立文件夹
commands-demo-not-created = 无法创建演示台账
commands-demo-writing = 无法写入 { $file }
commands-demo-symlink = { $path } 是一个符号链接；`gongyu demo` 不会经链接写入——请用 --db 换一个路径
commands-demo-not-demo = { $path } 已存在，且不是演示台账；`gongyu demo` 会新建台账，不会覆盖它——请用 --db 换一个路径
commands-demo-removing = 无法删除旧的演示台账 { $path }

## ------------------------------------------------------------- plan

commands-plan-valid = { $file }：计划 { $id }（{ $name }）无误：共 { $targets } 项指标，{ $first } 至 { $last }

## ------------------------------------------------------------- coverage

commands-coverage-xlsx-needs-output = --format xlsx 生成的是工作簿文件：请用 -o 指定要写入的文件（如 -o 报告.xlsx）
commands-coverage-xlsx-needs-o = --format xlsx 需要用 -o 指定文件
commands-coverage-wrote = 已写入 { $file }
commands-coverage-district = 全区
commands-coverage-more = {" "}等，共 { $count } 项
commands-coverage-check-gaps = 检查：有 { $count } 行指标未达标：{ $rows }{ $more }
commands-coverage-no-target = --target { $id }：计划 { $plan } 中没有这项指标；它的指标有 { $targets }
commands-coverage-no-township = --township { $township }：{ $term } 的名册中没有这个乡镇街道；已有的乡镇街道：{ $known }
commands-coverage-no-township-trend = --township { $township }：{ $from } 至 { $to } 的名册中没有这个乡镇街道

## ------------------------------------------------------------- template

commands-template-wrote-csv = 已把空白的{ $kind }报表写入 { $file }
commands-template-wrote-xlsx = 已把空白的{ $kind }工作簿写入 { $file }
commands-template-xlsx-needs-o = xlsx 模板是一个文件：请用 -o 指定，如 -o 文件名.xlsx
commands-template-help-column = 列
commands-template-help-name = 英文名
commands-template-help-aliases = 也可写作
commands-template-help-required = 必填
commands-template-help-what = 填写说明

## ------------------------------------------------------------- man

commands-man-folder = 无法建立文件夹 { $dir }
commands-man-writing = 无法把手册页写入 { $dir }
commands-man-wrote = 已把 { $count } 个手册页写入 { $dir }：{ $pages }
commands-man-section = 命令
commands-man-more = 各命令的选项：\fBgongyu 命令 \-\-help\fR。每个命令一页手册：\fBgongyu man \-\-dir 文件夹\fR 会把 gongyu.1 和 gongyu\-import.1、gongyu\-coverage\-report.1 等写入该文件夹。
