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
