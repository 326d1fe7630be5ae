## The report's notes and the gap reasons (src/report/, src/plan/period.rs). English.

## ------------------------------------------------------------- notes on what a report rests on

# A roster kind as named in a note: schools, communities, bodies.
report-roster-kind = { $kind }
# Between the items of a list in a note.
report-list-separator = {", "}
report-outside-plan = { $term } is outside plan { $plan } ({ $first } to { $last }); its targets are measured all the same — give --plan for the plan in force then
report-not-begun = { $term } has not begun (it starts on { $start }): nothing can be counted in it yet
report-no-roster = no { $roster } roster for { $term } or earlier is in the ledger, so it has no units to count (import one with `gongyu import { $kind } FILE --term { $term }`)
report-older-roster = using the { $roster } roster of { $roster_term }: none has been imported for { $term }
report-no-key-students = no key-students roster for school year { $year } is in the ledger (import one with `gongyu import key-students FILE --school-year { $year }`)
report-unknown-township = { $township } ({ $count })
report-unknown-townships = the schools roster names townships that no community roster has: { $list }; check their spelling (they are reported as townships of their own)
report-no-data-facts = { $target } is no-data: every unit left { $facts } blank — most likely the column is missing from the { $rosters } roster; add it ({ $columns }) so the target can be judged (no gap rows are listed for it)
report-no-data-filter = { $target } is no-data: its `where` selects units by { $facts }, which every unit left blank — most likely the column is missing from the { $rosters } roster; add it ({ $columns }) so the target can be judged (no gap rows are listed for it)
report-no-data-activities = { $target } is no-data: no activities dated { $start } to { $end } are in the ledger — the activities return for that period is missing, not failed; import it so the target can be judged (no gap rows are listed for it)
report-no-activities = no activities dated in { $term } ({ $start } to { $end }) are in the ledger

## ------------------------------------------------------------- why a unit falls short (gap reasons)

# A period's window in a reason: `term` is 2020-2021-1 here, 2020-2021学年第一学期 in Chinese.
report-period-term = in { $term }
report-period-school-year = in school year { $year }
report-period-year = in { $year }
report-period-plan = since { $term }
# An activity kind in a reason, by its id.
report-activity-kind = { $kind ->
    [guidance] guidance activity
    [practice] practice activity
    [parent-meeting] parent meeting (家长会)
    [home-visit] home visit (家访)
   *[other] { $kind } ({ $name })
}
# Guidance or practice, in `guidance or practice activity`.
report-activity-short = { $name ->
   *[other] { $kind }
}
report-activity-kinds = { $kinds } activity
report-or = {" or "}
report-reason-none = no { $what } { $period }
report-reason-too-few = { $count } { $what } { $period }; { $need } required
report-reason-no-match = does not match { $selector }
report-reason-registry = no { $missing } registry filing { $period }
# Between the reasons a unit falls short.
report-reason-separator = {"; "}
report-reason-no-parent-school = no parent school (家长学校)
# `facts` is the facts' Chinese labels, then their names in brackets.
report-reason-reported-no = reported no: { $facts }
report-reason-not-reported = not reported: { $facts }
report-reason-value-too-low = { $value } { $count }; at least { $need } required
report-reason-too-few-units = { $count } found, at least { $need } required ({ $title }, { $period })
report-student-school-unknown = school { $school } (not on the schools roster in use)

report-gaps-temp-file = cannot write a temporary file in the temporary folder (the gaps of a large ledger are sorted there); check that the folder TMP/TEMP (TMPDIR on Linux) names exists, is writable and has room
