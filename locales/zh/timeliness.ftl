## 及时性（SPEC §15）：报送期限、`import --received`、`returns` 中的及时率。

arg-import-received = 报表收到的日期，如 2021-01-15、2021/1/15 或 2021年1月15日［默认：今天］；不能晚于今天，也不能早于报表所属期间的开始
import-received-after-today = --received { $received } 晚于今天（{ $today }）；请写报表实际收到的日期
import-received-before-period = { $file }：收到日期 { $received } 早于其所属期间 { $period } 的开始（{ $start }）；请核对 --received
commands-log-header-received = 收到日期
plan-deadlines-unknown-key = deadlines：未知的键 `{ $key }`，应为以下之一：{ $expected }
plan-deadlines-bad-days = deadlines：{ $key } = { $value } 应为 0 到 { $max } 之间的整数天数
plan-deadlines-bad-rate = deadlines：{ $key } = { $value } 应为百分比，即 0 到 100 之间的整数
timeliness-title = 报送及时性：本学期应报、已报及按时报送的报表（计划要求报告率 { $reporting }%、及时率 { $on_time }%）
timeliness-h-roster = 名册
timeliness-h-due = 截止日期
timeliness-h-received-on = 收到日期
timeliness-h-status = 状态
timeliness-h-township = 乡镇
timeliness-h-unit = 单位
timeliness-h-expected = 应报
timeliness-h-received = 已报
timeliness-h-on-time = 按时
timeliness-h-late = 逾期
timeliness-h-missing = 未报
timeliness-h-reporting-rate = 报告率
timeliness-h-on-time-rate = 及时率
timeliness-district = 全区（名册、单位及备案）
timeliness-late-cell = { $count }（最多逾期 { $days } 天）
timeliness-status-on-time = 按时
timeliness-status-missing = 未报
timeliness-status-late = 逾期 { $days } 天
timeliness-legend = * 低于计划要求（报告率 { $reporting }%，及时率 { $on_time }%）。
timeliness-definition = 报告率 = 已报 ÷ 应报；及时率 = 截止日期当天或之前已报 ÷ 应报。
timeliness-not-yet-due = 活动报表的截止日期为 { $due }，尚未到期：未报的单位仍可能按时报送。
timeliness-units-title = 各单位活动报表
arg-returns-by = 及时性按乡镇统计并附全区合计（township），或再列出每个单位（unit）
cmd-returns-after = 及时性（按 DHIS2 的口径）：本学期应报的报表为计划指标所用的每种名册各一份（全区）；若有指标统计活动，每个有家长学校的单位各一份活动报表；若有指标要求登记备案，每个乡镇各一份备案。本学期（重点关注学生为本学年）的名册已导入，即为名册已报；某批次含有该单位主办、日期在本学期内的活动，即为该单位活动已报；本学年指标要求的各类别均已备案，即为该乡镇备案已报。收到日期取最早的这类批次的收到日期（import --received），备案取最后一个类别的收到日期。在计划规定的截止日期（[deadlines]：名册为学期或学年开始后 N 天，活动和登记备案为学期结束后 N 天）当天或之前收到即为按时。报告率 = 已报 ÷ 应报；及时率 = 按时已报 ÷ 应报。逾期从不改变指标的统计。
arg-returns-format = 输出格式：table（表格）、csv、json、xlsx（及时性工作簿：乡镇、单位、名册、说明；需要 -o FILE）或 html（网页）；csv 和 json 供脚本使用，格式固定
timeliness-h-township-code = 乡镇代码
timeliness-h-unit-code = 单位代码
timeliness-h-unit-kind = 单位类别
timeliness-h-most-days-late = 最多逾期天数
timeliness-h-days-late = 逾期天数
timeliness-sheet-townships = 及时性
timeliness-sheet-units = 单位
timeliness-sheet-rosters = 名册
timeliness-sheet-notes = 说明
timeliness-book-title = { $plan }：{ $term } 学期报表的及时性
timeliness-book-subtitle = 截至 { $as_of }；计划要求报告率 { $reporting }%、及时率 { $on_time }%
timeliness-book-shading = 琥珀色底纹：乡镇或全区低于任一要求，单位或名册逾期或未报。逾期从不算作指标差距。
timeliness-chart-caption = 各乡镇报告率（蓝）与及时率（绿），虚线为计划要求
timeliness-h-registry = 登记备案（乡镇）
commands-plan-deadlines = 报送期限：学校、社区、机构名册分别为学期开始后 { $schools }、{ $communities }、{ $bodies } 天；重点关注学生名册为学年开始后 { $key_students } 天；活动 { $activities } 天、登记备案 { $registry } 天，均自学期结束起算；报告率要求 { $reporting }%，及时率要求 { $on_time }%{ $defaults }
commands-plan-deadlines-defaults = （文件未设 { $keys }，取默认值）
