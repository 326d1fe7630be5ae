## The English catalogue. Keys and placeholders match locales/zh/ (a test checks);
## ids, reason codes, CSV and JSON keys, flags and file names are never translated.

## ------------------------------------------------------------- the command line's help

help-usage = Usage:
help-commands = Commands
help-arguments = Arguments
help-options = Options
help-flag-help = Print help
help-flag-version = Print version
help-default = {" "}[default: { $value }]
help-more = For more, try '--help'.

cmd = Compliance ledger for a district's family–school–community co-education action plan (家校社共育三年行动计划)
cmd-after =
    Start with `gongyu demo` to see a report built from the bundled Mentougou fixtures.
    A clerk's term: gongyu init; gongyu import communities FILE --term 2020-2021-1;
    gongyu import schools FILE --term 2020-2021-1; gongyu import bodies FILE --term 2020-2021-1;
    gongyu import key-students FILE --school-year 2020-2021; gongyu import activities FILE;
    gongyu import registry FILE;
    gongyu coverage report --term 2020-2021-1 --by township; gongyu coverage gaps --term 2020-2021-1.
    The Chinese guide: docs/使用说明.md.

    Exit codes: 0 done; 1 error (bad input, missing ledger, database failure);
    2 usage error; 3 `coverage report --check` found a gap.
arg-db = The ledger file [default: $GONGYU_DB, else gongyu.db in the current folder; for demo, gongyu-demo.db in the temporary folder]
arg-plan = The plan to measure against, a TOML file [default: $GONGYU_PLAN, else the built-in Mentougou 2019–2021 plan; see `gongyu plan show`]
arg-lang = The language of everything gongyu says: zh (Chinese) or en [default: $GONGYU_LANG, else zh]; CSV and JSON keys never change

arg-term = The term to report, e.g. 2020-2021-1 or 2020-2021学年第一学期 [default: the term containing today]
arg-format = Output format: table, csv or json; csv and json are stable for scripts
arg-report-format = Output format: table, csv, json, xlsx or html; csv and json are stable for scripts; xlsx and html are the inspector's workbook and web page
value-format-table = For people, on the terminal
value-format-csv = For scripts and spreadsheets (stable columns)
value-format-json = For scripts (stable fields)
value-format-xlsx = A workbook (sheets 汇总, 乡镇, 差距, 趋势); needs -o FILE
value-format-html = One self-contained web page with charts, printable on A4
arg-output = Write to FILE instead of standard output (required for xlsx); an existing FILE is kept unless --force
arg-force = With -o: replace FILE if it exists (never the ledger, never through a symbolic link)
arg-import-force = With --rejects: replace FILE if it exists (never the ledger, never through a symbolic link)
arg-excel = With --format csv: start with a UTF-8 BOM so Excel shows Chinese correctly
arg-target = Only this target, e.g. parent-school-activities
arg-township = Only this township, by name or code

cmd-init = Create the ledger (does nothing if it exists)
cmd-import = Validate and record returns (CSV/text in UTF-8, GB18030 or UTF-16, or .xlsx/.xls/.ods); all files or none
arg-import-kind = What the files hold
value-kind-schools = Roster of schools for one term (学校)
value-kind-communities = Roster of communities for one term (社区/村)
value-kind-bodies = Roster of parent schools and committees that are not a school's or a community's, for one term (机构)
value-kind-key-students = Roster of key-concern students by the schools' pseudonymous refs, for one school year (重点关注学生)
value-kind-activities = Parent-school activities (活动)
value-kind-registry = Filings of the children's registries by township: 留守儿童, 残疾儿童, 困境儿童, counts only (登记备案)
arg-import-files = One or more returns (CSV/text, or .xlsx/.xls/.ods workbooks); a bad row in any of them rejects them all
arg-import-term = The roster's term, e.g. 2020-2021-1 or 2020-2021学年第一学期 (needed unless the file has a term column)
arg-import-school_year = A key-students roster's school year, e.g. 2020-2021 (needed unless the file has a school_year column)
arg-import-dry_run = Check the files and report what would be imported, without writing anything
arg-import-sheet = For a workbook: the sheet to read [default: the first]
arg-import-rejects = If rejected, write the return back to FILE with an added error column on the bad rows (.xlsx for a workbook, else text in the input's encoding)
cmd-coverage = Coverage of the plan's targets
cmd-coverage-report = The targets table, for the district and (with --by township) each township
arg-coverage-report-by = Add a row per township and target (JSON always has them)
arg-coverage-report-check = Exit 3 if any target, district or township, has a gap
cmd-coverage-gaps = One row per failing unit: who is short, why, and who is responsible
cmd-coverage-trend = The plan's progress term by term: every target from the plan's first term
arg-coverage-trend-from = The first term [default: the plan's first_term]
arg-coverage-trend-to = The last term [default: the plan's last_term, or the term containing today if earlier]
arg-coverage-trend-by = Add a series per township and target (JSON always has them)
arg-coverage-trend-township = Only this township (by name or code), instead of the district
cmd-demo = Build a fresh demo ledger from the bundled fixtures and print its report (--db defaults to gongyu-demo.db in the temporary folder; $GONGYU_DB is not used)
cmd-log = List the import batches, newest first
arg-log-limit = Show only the newest N batches
cmd-revert = Undo one import batch (a roster restores the one it replaced)
arg-revert-batch = The batch id, as `gongyu log` shows it
arg-revert-force = Revert a roster even if activities of its units are then in no roster
cmd-check = Check the ledger's integrity and invariants (exit 1 if anything is wrong)
cmd-backup = Copy the ledger to FILE consistently, even while an import runs
arg-backup-file = Where to write the copy (must not exist)
cmd-template = Write a blank return with the canonical Chinese headers (CSV, or xlsx with dropdowns)
arg-template-kind = Which return
arg-template-format = csv (UTF-8 with BOM) or xlsx (dropdown lists and a sheet explaining each column)
arg-template-output = Where to write it [default: standard output for csv; required for xlsx]
cmd-plan = The plan in force (its targets, thresholds, periods, bodies), and checking plan files
cmd-plan-show = Print the plan in force as a plan file (edit it and pass it to --plan to write a new plan)
arg-plan-show-format = toml (a valid plan file) or json
cmd-plan-check = Validate a plan file: every mistake as FILE:LINE (exit 1 if any)
arg-plan-check-file = The plan file to check
cmd-returns = Which returns are in for a term, and who has not reported
arg-returns-missing = List only what is missing: rosters, units without activities, registries not filed
cmd-term = Lock a term's results after inspection (close), reopen it with a reason, or list both
cmd-term-close = Close a term: imports and reverts that would change its report are refused from now on
arg-term-close-term = The term, e.g. 2020-2021-1
arg-term-close-note = A note kept with the close (e.g. "reported to the municipal board on 2021-02-05")
arg-term-close-force = Close a term that has not ended yet or lies outside the plan
cmd-term-reopen = Reopen a closed term; the reason is kept in the ledger
arg-term-reopen-term = The term, e.g. 2020-2021-1
arg-term-reopen-reason = Why the term is reopened (required; kept in the ledger)
cmd-term-list = Every close and reopen: who, when, and the note or reason
cmd-completions = Print a shell completion script (e.g. `gongyu completions bash > /etc/bash_completion.d/gongyu`)
arg-completions-shell = The shell: bash, zsh, fish, powershell or elvish
cmd-man = Print the manual page (e.g. `gongyu man > gongyu.1; man ./gongyu.1`), or write a page for every command with --dir
arg-man-dir = Write gongyu.1 and a page for each command (gongyu-import.1, …) into this folder

## ------------------------------------------------------------- usage errors (clap's)

usage-unknown-argument = unexpected argument '{ $arg }'
usage-invalid-value = '{ $value }' is not a possible value for { $arg }
usage-possible-values = possible values: { $values }
usage-missing-argument = a required argument was not given: { $arg }
usage-missing-command = which command? { $commands }
usage-unknown-command = there is no command '{ $command }'
usage-value-needed = { $arg } needs a value
usage-bad-value = invalid value '{ $value }' for { $arg }: { $reason }
usage-too-many = unexpected value '{ $value }'
usage-conflict = { $arg } cannot be used with { $other }
usage-other = { $message }
usage-help-hint = For more, try '{ $command } --help'.

## ------------------------------------------------------------- errors and notes

error-prefix = error:{" "}
warning-prefix = warning:{" "}
import-rejected-count = rejected { $file }: { $count ->
        [one] { $count } problem
       *[other] { $count } problems
    }; nothing was written to the ledger
help-list-separator = {", "}
