## Timeliness (SPEC §15): deadlines, `import --received`, timeliness in `returns`.

arg-import-received = When the return was received, e.g. 2021-01-15, 2021/1/15 or 2021年1月15日 [default: today]; not after today, not before the period the return reports on starts
import-received-after-today = --received { $received } is after today ({ $today }); give the day the return was received
import-received-before-period = { $file }: received { $received } is before its period { $period } starts ({ $start }); check --received
commands-log-header-received = received
plan-deadlines-unknown-key = deadlines: unknown key `{ $key }`, expected one of { $expected }
plan-deadlines-bad-days = deadlines: { $key } = { $value } must be a whole number of days from 0 to { $max }
plan-deadlines-bad-rate = deadlines: { $key } = { $value } must be a percentage, a whole number from 0 to 100
timeliness-title = Timeliness of this term's returns (the plan asks for { $reporting }% reported, { $on_time }% on time)
timeliness-h-roster = roster
timeliness-h-due = due by
timeliness-h-received-on = received
timeliness-h-status = status
timeliness-h-township = township
timeliness-h-unit = unit
timeliness-h-expected = expected
timeliness-h-received = received
timeliness-h-on-time = on time
timeliness-h-late = late
timeliness-h-missing = missing
timeliness-h-reporting-rate = reporting rate
timeliness-h-on-time-rate = on-time rate
timeliness-district = district (all returns)
timeliness-late-cell = { $count } (max { $days } d)
timeliness-status-on-time = on time
timeliness-status-missing = missing
timeliness-status-late = late by { $days } { $days ->
    [one] day
   *[other] days
}
timeliness-legend = * below the plan's threshold ({ $reporting }% reporting rate, { $on_time }% on-time rate).
timeliness-definition = Reporting rate = received ÷ expected; on-time rate = received by the deadline ÷ expected.
timeliness-not-yet-due = Activities returns are due by { $due }: those missing may still come in on time.
timeliness-units-title = Activities returns by unit
arg-returns-by = Timeliness by township, with the district line (township), or also one row per unit (unit)
cmd-returns-after = Timeliness (as DHIS2 measures it): the returns expected for the term are one roster of each kind the plan's targets read (for the district), one activities return from each unit with a parent school if a target counts activities, and, if a target requires registry filings, one from each township. A roster is received when a roster of the term (of the school year, for key students) is in; a unit's activities return when a batch holds an activity it hosted dated in the term; a township's filings when every category the targets require is filed in the school year; the day is the first such batch's received day (import --received), for filings the day the last category came. It is on time if received by the plan's deadline ([deadlines]: rosters N days after the term or school year starts, activities and registry filings N days after the term ends). Reporting rate = received ÷ expected; on-time rate = received on time ÷ expected. Lateness never changes what a target counts.
arg-returns-format = Output format: table, csv, json, xlsx (a workbook of the timeliness: townships, units, rosters, notes; needs -o FILE) or html (one page); csv and json are stable for scripts
timeliness-h-township-code = township code
timeliness-h-unit-code = unit code
timeliness-h-unit-kind = kind of unit
timeliness-h-most-days-late = most days late
timeliness-h-days-late = days late
timeliness-sheet-townships = Timeliness
timeliness-sheet-units = Units
timeliness-sheet-rosters = Rosters
timeliness-sheet-notes = Notes
timeliness-book-title = { $plan }: timeliness of the returns for term { $term }
timeliness-book-subtitle = As of { $as_of }; the plan asks for a reporting rate of { $reporting }% and an on-time rate of { $on_time }%
timeliness-book-shading = Shaded amber: a township or the district below either threshold, a unit or roster late or missing. Lateness is never a target's gap.
timeliness-chart-caption = Reporting rate (blue) and on-time rate (green) by township, against the plan's thresholds (dashed)
timeliness-h-registry = registry filings (township)
commands-plan-deadlines = deadlines: schools, communities, bodies rosters { $schools }, { $communities }, { $bodies } days after the term starts; key students { $key_students } days after the school year starts; activities { $activities } and registry filings { $registry } days after the term ends; reporting rate { $reporting }%, on-time rate { $on_time }%{ $defaults }
commands-plan-deadlines-defaults = {" "}(the file sets no { $keys }: defaults)
