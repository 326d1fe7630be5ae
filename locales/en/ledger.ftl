## The ledger's messages (src/ledger/): opening, upgrading, imports' refusals, revert,
## closed terms, check's findings, backups. Keys and placeholders match locales/zh/ledger.ftl.

## ------------------------------------------------------------- an operating system's errors

ledger-os-not-found = it does not exist; check the file's name and its folder
ledger-os-permission = permission denied; check that you may write there, or choose another folder
ledger-os-disk-full = the disk is full; free some space and try again
ledger-os-read-only = the disk is read-only; choose a folder on a writable disk
ledger-os-exists = it already exists; choose another name
ledger-os-not-a-folder = part of the path is a file, not a folder; check the path
ledger-os-is-a-folder = it is a folder, not a file; give a file's name
ledger-os-other = { $error }

## ------------------------------------------------------------- opening the ledger

ledger-hint-disk-full = the disk is full; nothing was written — free some space and try again
ledger-hint-read-only = the ledger is read-only (check the file's and its folder's permissions); nothing was written
ledger-hint-locked = the ledger stayed locked by another gongyu for too long; try again when that import has finished
ledger-hint-not-a-database = the file is not an SQLite ledger (or it is damaged)
ledger-network-share = { $path } is on a network share; SQLite's locking is not reliable there — keep the ledger on a local disk
ledger-network-fs = { $path } is on a network file system ({ $fstype } at { $mount }); SQLite's locking is not reliable there — keep the ledger on a local disk
ledger-create-folder = cannot create the folder { $dir }: { $reason }
ledger-create = cannot create the ledger { $path }
ledger-missing = there is no ledger at { $path }; create one with `gongyu init` (or choose another with --db or $GONGYU_DB)
ledger-is-a-folder = { $path } is a folder, not a ledger file
ledger-open = cannot open the ledger { $path }
ledger-read-only-unreadable = { $path } is on a read-only disk and cannot be read there ({ $error })
ledger-unusable = { $path } is not a usable gongyu ledger
ledger-not-gongyu = { $path } is not a gongyu ledger
ledger-read-only-old-schema = { $path } is a read-only ledger of schema version { $version }; this gongyu reads version { $latest } — copy it to a writable folder to upgrade it
ledger-read-only-note = note: { $path } is read-only: reports work, imports and other changes do not
ledger-setting-wal = setting WAL mode
ledger-no-wal = the ledger cannot use write-ahead logging (journal_mode is { $mode })
ledger-configuring = configuring the connection

## ------------------------------------------------------------- upgrading the ledger's schema

ledger-upgrade-step = upgrading { $path } to schema version { $version }
ledger-upgrade-breaks = upgrading { $path } to schema version { $version } would break { $count } reference(s) (first: { $first }); nothing was changed
ledger-upgrade-broken-row = { $table } row { $row } → { $parent }
ledger-not-gongyu-file = { $path } is not a gongyu ledger (it is some other SQLite file, or not SQLite at all)
ledger-too-new = { $path } was written by a newer gongyu (schema version { $version }; this gongyu knows up to { $latest }); upgrade gongyu to use it
ledger-upgrade-backup = backing up { $path } to { $backup } before upgrading it
ledger-upgrade-backup-name = naming the backup of { $path } { $backup }: { $reason }
ledger-removed-upgrade-partial = removed { $partial }, a partial copy left by an interrupted upgrade of { $path }
ledger-upgrading = upgrading { $path } from schema version { $version } to { $latest } (backup: { $backup })

## ------------------------------------------------------------- closed terms

ledger-closed-term-bad = a closed term in the ledger is not a term: { $term }
ledger-touch-roster = the { $kind } roster of { $term }, which its report uses,
ledger-touch-key-students = the key-students roster of { $year }
ledger-touch-dated = { $what } (on or before the term's last day)
ledger-touch-activities-in = activities dated in { $month }
ledger-touch-registry-dated = registry filings dated { $date }
ledger-touch-its-activities = its activities, dated from { $date }
ledger-touch-its-registry = its registry filings, dated from { $date }
ledger-doing-import = importing
ledger-doing-revert = reverting batch { $batch },
ledger-closed-refusal = term { $term } is closed (by { $by } at { $at }); { $doing } { $what } would change its report, so nothing was written. If the change is right, reopen the term first: gongyu term reopen { $term } --reason "…"
ledger-term-already-closed = term { $term } is already closed; `gongyu term list` shows when and by whom
ledger-term-not-closed = term { $term } is not closed; nothing to reopen
ledger-reopen-needs-reason = reopening a term needs a reason (--reason "…"); it is kept in the ledger's log

## ------------------------------------------------------------- imports

ledger-import-start = starting the import
ledger-import-save = saving the import to the ledger
ledger-import-abandon = abandoning the import

## ------------------------------------------------------------- revert

ledger-revert-no-batch = there is no batch { $batch }; `gongyu log` lists the batches
ledger-revert-already = batch { $batch } was already reverted at { $at }
ledger-revert-tally-damaged = batch { $batch } has { $removed } activities, but the activity tally holds { $months } of them by month and { $terms } by term where it should; nothing was changed — the ledger is damaged: run `gongyu check`
ledger-revert-orphans = reverting batch { $batch } would leave { $count } activities hosted by units that are in no roster any more; import a roster that lists them first, or revert their activities batches, or give --force to revert anyway
ledger-revert-save = saving the revert

## ------------------------------------------------------------- backup

ledger-backup-create-ledger = cannot create { $file }
ledger-backup-copying = copying the ledger
ledger-backup-finishing = finishing the backup
## ------------------------------------------------------------- check's findings (the finding codes stay)

ledger-check-preparing = preparing the { $check } check
ledger-check-host-not-in-roster = activity { $activity } (batch { $batch }) is hosted by { $code }, which is in no live roster
ledger-check-roster-without-term = batch { $batch } is a { $kind } roster without a term
ledger-check-key-students-without-year = batch { $batch } is a key-students roster without a school year
ledger-check-fact-yes-and-no = batch { $batch } unit #{ $unit } reports a fact both yes and no
ledger-check-revert-unrecorded = batch { $batch } is marked reverted but no revert is recorded
ledger-check-missing-row = { $table } row { $row } refers to a missing { $parent } row
ledger-check-activity-term = activity #{ $activity } dated { $day } is filed under term { $term }
ledger-check-month-last-day = month { $month } has activities up to { $last } but its tally says { $told }
ledger-check-month-no-last-day = month { $month } has activities up to { $last } but its tally says none
ledger-check-batch-count = batch { $batch } records { $recorded } rows but the ledger holds { $held }
ledger-check-batch-kind = batch { $batch } is of kind "{ $kind }", which this gongyu does not know
ledger-check-activity-kind = activity #{ $activity } is of kind "{ $kind }", which is not an activity kind
ledger-check-tally-month = month { $month } host #{ $host }: the activities count { $counted } but the tally says { $told }
ledger-check-tally-term = term { $term } host #{ $host }: the activities count { $counted } but the tally says { $told }
ledger-check-tally-month-unreadable = month { $month } host #{ $host }: the tally's counts cannot be read (damaged, or kinds this gongyu does not know)
ledger-check-tally-term-unreadable = term { $term } host #{ $host }: the tally's counts cannot be read (damaged, or kinds this gongyu does not know)
ledger-check-index-order = index { $index } is out of order, or holds an entry twice, at row { $row }
ledger-check-index-count = index { $index } holds { $entries } entries, but { $rows } rows of table { $table } belong in it
ledger-check-index-content = index { $index } does not hold the values of table { $table } (as many entries as rows, { $rows }, but not the same ones)

## ------------------------------------------------------------- reading the ledger

ledger-read-bad-term = batch { $batch } has a bad term { $term }
ledger-read-roster-values = batch { $batch }: the values of unit { $unit } are not a list the ledger wrote
ledger-read-start = starting a read of the ledger
ledger-reading = reading the ledger
ledger-reading-with = reading the ledger with `{ $sql }`
ledger-read-unit-missing = unit #{ $unit } of a roster is missing from the units (`gongyu check` shows more)
ledger-read-registry-category = a registry filing of an unknown category
ledger-read-registry-date = a registry filing with a bad date

## ------------------------------------------------------------- rows the ledger refuses

ledger-activity-breaks-rule = line { $line } breaks a rule of the ledger: { $error }
ledger-body-code-is-school = code { $code } is already a school's code on an imported roster; a body needs a code of its own (activities name their host by code)
ledger-body-code-is-community = code { $code } is already a community's code on an imported roster; a body needs a code of its own (activities name their host by code)
ledger-key-student-no-school = no school with code { $code } is on any imported schools roster; import the schools roster first
ledger-registry-unknown-township = "{ $township }" is not a township of any imported communities roster; write the township's name or code as the communities roster does

## ------------------------------------------------------------- the activity tally's temporary file

ledger-tally-temp-create = creating a temporary file for the activity tally: { $reason }
ledger-tally-thread = starting the thread that merges the activity tally
ledger-tally-merge-failed = the thread merging the activity tally stopped unexpectedly
ledger-tally-temp-write = writing the activity tally's temporary file: { $reason }
ledger-tally-temp-read = reading the activity tally's temporary file: { $reason }
ledger-counts-damaged = a tally row's counts are damaged, or count more than the { $kinds } activity kinds this gongyu knows
ledger-counts-unknown-kind = "{ $kind }" is not an activity kind this gongyu knows
ledger-counts-negative = a tally's count would fall below zero, or past its largest value
ledger-tally-too-many-in-month = more than 4 billion activities of one unit in one month in the tally
ledger-tally-too-many-in-term = more than 4 billion activities of one unit in one term
