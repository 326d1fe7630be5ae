## 报表的说明和差距原因（src/report/、src/plan/period.rs）。中文。

## ------------------------------------------------------------- 报表所依据数据的说明

# 说明中的名册种类：schools、communities、bodies。
report-roster-kind = { $kind ->
    [schools] 学校
    [communities] 社区
    [bodies] 机构
   *[other] { $kind }
}
# 说明中列举各项之间的分隔符。
report-list-separator = 、
report-outside-plan = { $term } 不在计划 { $plan } 的期限内（{ $first } 至 { $last }），仍按该计划的指标统计；如需按当时施行的计划统计，请用 --plan 指定计划文件。
report-not-begun = { $term } 尚未开始（{ $start } 开始），暂时没有可统计的内容。
report-no-roster = 台账中没有 { $term } 及以前的{ $roster }名册，因此没有可统计的单位（请用 `gongyu import { $kind } FILE --term { $term }` 导入）。
report-older-roster = { $term } 尚未导入{ $roster }名册，沿用 { $roster_term } 的名册。
report-no-key-students = 台账中没有 { $year } 学年的重点学生名册（请用 `gongyu import key-students FILE --school-year { $year }` 导入）。
report-unknown-township = { $township }（{ $count } 所学校）
report-unknown-townships = 学校名册中有些乡镇街道不在任何社区名册中：{ $list }。请核对名称是否写错（目前它们各自单列为一个乡镇街道）。
report-no-data-facts = 指标 { $target } 无数据：所有单位的 { $facts } 都没有填写，多半是{ $rosters }名册缺少这些列。请在名册中补上（{ $columns }），才能判定该指标（该指标不列出差距明细）。
report-no-data-filter = 指标 { $target } 无数据：它的 `where` 条件按 { $facts } 筛选单位，但所有单位都没有填写这些列，多半是{ $rosters }名册缺少这些列。请在名册中补上（{ $columns }），才能判定该指标（该指标不列出差距明细）。
report-no-data-activities = 指标 { $target } 无数据：台账中没有日期在 { $start } 至 { $end } 之间的活动。这说明该时段的活动报表还没有导入，而不是未达标；请导入后再判定该指标（该指标不列出差距明细）。
report-no-activities = 台账中没有日期在 { $term }（{ $start } 至 { $end }）之内的活动。

## ------------------------------------------------------------- 单位未达标的原因（差距原因）

# 原因中的时段：这里的 term 是 2020-2021学年第一学期，英文中是 2020-2021-1。
report-period-term = { $term }
report-period-school-year = { $year }学年
report-period-year = { $year }年
report-period-plan = 自{ $term }起
# 原因中的活动类别，按其 id。
report-activity-kind = { $kind ->
    [guidance] 家庭教育指导活动
    [practice] 家庭教育实践活动
    [parent-meeting] 家长会
    [home-visit] 入户家访
   *[other] { $name }
}
# “家庭教育指导或实践活动”中的“指导”“实践”。
report-activity-short = { $kind ->
    [guidance] 指导
    [practice] 实践
   *[other] { $name }
}
report-activity-kinds = 家庭教育{ $kinds }活动
report-or = 或
report-reason-none = { $period }无{ $what }
report-reason-too-few = { $period }{ $what }{ $count }次，要求{ $need }次
report-reason-no-match = 不符合 { $selector }
report-reason-registry = { $period }未备案：{ $missing }
# 单位未达标的几条原因之间的分隔符。
report-reason-separator = ；
report-reason-no-parent-school = 未建立家长学校
# facts 是各项的中文名称。
report-reason-reported-no = 填报为否：{ $facts }
report-reason-not-reported = 未填报：{ $facts }
report-reason-value-too-low = { $value }{ $count }，要求至少{ $need }
report-reason-too-few-units = { $title }：现有{ $count }个，要求至少{ $need }个（{ $period }）
report-student-school-unknown = 学校 { $school }（不在所用的学校名册中）

report-gaps-temp-file = 无法在临时文件夹中写临时文件（大台账的差距明细要在其中排序）；请确认环境变量 TMP/TEMP（Linux 上为 TMPDIR）所指的文件夹存在、可写且有空间
