term-locks = imports and reverts that would change its report are refused: activities and registry filings dated on or before { $last }, the rosters its report uses (of { $term } or an earlier term), and the key-students roster of { $year }
term-closed = closed term { $term }: from now on, { $locks } ({ $term_words })
term-reopened = reopened term { $term } (reason: { $reason })
term-not-ended = term { $term } has not ended (it ends on { $last_day }; today is { $today })
term-outside-plan = term { $term } lies outside the plan's terms ({ $first } to { $last })
term-close-refused = not closed: { $why }. Closing it would mean that from now on, { $locks }. If that is what you mean, add --force: gongyu term close { $term } --force

## ------------------------------------------------------------- every command (src/commands/mod.rs)

commands-note-prefix = note:{" "}
commands-stdout = writing to standard output
commands-term-given = term { $term }
commands-term-none-closed = no term has been closed
commands-excel-ignored = --excel applies to --format csv only; ignored

## ------------------------------------------------------------- init

commands-init-created = created the ledger { $path } (schema version { $version })
commands-init-exists = the ledger { $path } already exists (schema version { $version }); nothing changed

## ------------------------------------------------------------- log, revert, check, backup

commands-log-header-batch = batch
commands-log-header-time = time
commands-log-header-user = user
commands-log-header-kind = kind
commands-log-header-term = term
commands-log-header-file = file
commands-log-header-rows = rows
commands-log-header-imported = imported
commands-log-header-dups = dups
commands-log-header-note = note
commands-log-replaces = replaces { $batch }
commands-log-reverted = reverted { $at } by { $by }
commands-log-separator = ;{" "}
commands-log-none-shown = no batches shown (--limit 0)
commands-log-none = no imports yet
commands-revert-done = reverted batch { $batch } ({ $imported } { $kind }{ $period }, { $file })
commands-revert-for-period = {" "}for { $period }
commands-revert-activities = removed { $count } activities
commands-revert-restored = the { $kind } roster{ $period } is batch { $batch } again
commands-revert-no-roster = there is no { $kind } roster{ $period } now; reports fall back to an earlier term's roster, if any
commands-revert-orphans = { $count } activities are hosted by units that are in no roster now (--force); `gongyu check` will list them until a roster does
commands-check-ok = { $path }: ok (integrity, foreign keys and ledger invariants)
commands-check-finding = { $path }: { $check }: { $count } case(s)
commands-check-more = … and { $count } more
commands-check-failed = { $count } problem(s) found in { $path } by { $checks } check(s)
commands-backup-done = backed up { $path } to { $file }

## ------------------------------------------------------------- demo

commands-demo-banner =
    gongyu demo — a fresh ledger at { $path }
    Fixtures: Mentougou's real 304 communities (统计用区划代码) with SYNTHETIC parent-school statuses,
    100 SYNTHETIC schools, 5 SYNTHETIC bodies, SYNTHETIC key-student refs and registry filings,
    and one term of SYNTHETIC activities ({ $term }).
commands-demo-try-next = Try next:
commands-demo-fixtures-folder = creating a folder for the fixtures in { $dir }
commands-demo-not-created = the demo ledger could not be created
commands-demo-writing = writing { $file }
commands-demo-symlink = { $path } is a symbolic link; `gongyu demo` will not write through it — choose another path with --db
commands-demo-not-demo = { $path } exists and is not a demo ledger; `gongyu demo` builds a fresh ledger and will not overwrite it — choose another path with --db
commands-demo-removing = removing the old demo ledger { $path }

## ------------------------------------------------------------- plan

commands-plan-valid = { $file }: plan { $id } ({ $name }) is valid: { $targets } targets, { $first } to { $last }

## ------------------------------------------------------------- coverage

commands-coverage-xlsx-needs-output = --format xlsx writes a workbook: give the file to write with -o FILE (e.g. -o 报告.xlsx)
commands-coverage-xlsx-needs-o = --format xlsx needs -o FILE
commands-coverage-wrote = wrote { $file }
commands-coverage-district = district
commands-coverage-more = {" "}and { $count } more
commands-coverage-check-gaps = check: { $count } target row(s) have a gap: { $rows }{ $more }
commands-coverage-no-target = --target { $id }: no such target in plan { $plan }; its targets are { $targets }
commands-coverage-no-township = --township { $township }: no such township in the rosters of { $term }; known: { $known }
commands-coverage-no-township-trend = --township { $township }: no such township in the rosters of { $from } to { $to }

## ------------------------------------------------------------- template

commands-template-wrote-csv = wrote a blank { $kind } return to { $file }
commands-template-wrote-xlsx = wrote a blank { $kind } workbook to { $file }
commands-template-xlsx-needs-o = an xlsx template is a file: give -o FILE.xlsx
commands-template-help-column = 列 (column)
commands-template-help-name = 英文名 (name)
commands-template-help-aliases = 也可写作 (also accepted)
commands-template-help-required = 必填 (required)
commands-template-help-what = 填写说明 (what to write)

## ------------------------------------------------------------- man

commands-man-folder = cannot make the folder { $dir }
commands-man-writing = writing the manual pages into { $dir }
commands-man-wrote = wrote { $count } manual pages into { $dir }: { $pages }
commands-man-section = COMMANDS
commands-man-more = Each command's options: \fBgongyu COMMAND \-\-help\fR. A page for each command: \fBgongyu man \-\-dir DIR\fR writes gongyu.1 and gongyu\-import.1, gongyu\-coverage\-report.1, … into DIR.
