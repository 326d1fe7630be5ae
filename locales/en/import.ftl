## The import's messages (src/import.rs, src/import/, src/commands/import.rs): summaries,
## warnings, a rejected import, the progress line. Keys and placeholders match
## locales/zh/import.ftl.

## ------------------------------------------------------------- how many of a kind

import-count = { $count } { $kind ->
        [schools] { $count ->
            [one] school
           *[other] schools
        }
        [communities] { $count ->
            [one] community
           *[other] communities
        }
        [bodies] { $count ->
            [one] body
           *[other] bodies
        }
        [key-students] { $count ->
            [one] key student
           *[other] key students
        }
        [activities] { $count ->
            [one] activity
           *[other] activities
        }
        [registry] { $count ->
            [one] filing
           *[other] filings
        }
       *[other] { $kind }
    }
import-more = {" "}and { $count } more

## ------------------------------------------------------------- a file's summary

import-for-period = {" "}for { $period }
import-duplicates = { $count ->
        [one] , 1 duplicate skipped
       *[other] , { $count } duplicates skipped
    }
import-replaces = ; replaces the roster of batch { $batch }
import-imported = { $file }: imported { $what }{ $period } from { $rows } { $rows ->
        [one] row
       *[other] rows
    } ({ $encoding }){ $duplicates }{ $replaces }; batch { $batch }
import-valid = { $file }: valid ({ $encoding }): would import { $what }{ $period } from { $rows } { $rows ->
        [one] row
       *[other] rows
    }{ $duplicates }{ $replaces }
import-given-twice = { $file }: the same file was given earlier in this import; skipped
import-identical = { $file }: identical to batch { $batch }, already in the ledger; nothing changed
import-dry-run = dry run: nothing was written to the ledger

## ------------------------------------------------------------- the flags

import-term-ignored = --term is ignored for { $kind }: each row's date says when it was
import-term-for-school-year = --term: a { $kind } roster is for a school year; give --school-year (e.g. --school-year { $year })
import-school-year-term-roster = --school-year applies to key-students rosters; { $kind } rosters take --term
import-school-year-event = --school-year applies to key-students rosters; { $kind } take neither
import-rejects-one-file = --rejects writes back one return; import the files one at a time to collect their rejects

## ------------------------------------------------------------- a rejected import

import-rejected = rejected { $files }: { $count ->
        [one] 1 problem
       *[other] { $count } problems
    }; nothing was written to the ledger
import-rejected-dry-run = rejected { $files }: { $count ->
        [one] 1 problem
       *[other] { $count } problems
    } (dry run: nothing is written)
import-not-listed = … and { $count } more problems not listed
import-rejects-written = { $file } holds the return with an added 错误 (error) column saying what is wrong with each bad row: fix those rows and import it
import-fix-rows = fix the rows above and import the file(s) again
import-fix-files = fix the file(s) and import again
import-two-rosters = { $first } and { $second } are both { $kind } rosters for { $period }; a roster lists every unit of its term, so combine them into one file
import-importing = importing { $file }
import-importing-nothing-written = importing { $file }; nothing was written
import-needs-term = { $file }: a { $kind } roster needs its term: give --term (e.g. --term 2020-2021-1) or add a term (学期) column
import-needs-school-year = { $file }: a { $kind } roster needs its school year: give --school-year (e.g. --school-year 2020-2021) or add a school_year (学年) column; it is never guessed
import-empty-roster-term = { $file }: the roster has a header but no rows; an empty roster would blank out its term
import-empty-roster-school-year = { $file }: the roster has a header but no rows; an empty roster would blank out its school year

## ------------------------------------------------------------- row problems found across rows

import-other-term = this row is for term { $period }, but the roster's earlier rows are for { $first }; a roster covers one term
import-other-school-year = this row is for school year { $period }, but the roster's earlier rows are for { $first }; a roster covers one school year
import-code-twice = code { $code } appears twice in this file; it was first on line { $line }
import-ref-twice = this school's ref { $code } appears twice in this file; it was first on line { $line }
import-township-code-names = township code { $code } is { $other } on line { $line } but { $name } here; one code is one township
import-township-name-codes = township { $name } has code { $other } on line { $line } but { $code } here; one township has one code
import-unknown-host = no school, community or body with code { $code } is in any imported roster; import the roster that lists it first
import-id-conflict = id { $id } is already used by a different activity at { $place }; give this activity its own id
import-id-conflict-same-file = id { $id } is already used by a different activity at { $place }, earlier in this file; give this activity its own id

## ------------------------------------------------------------- warnings

import-totals-skipped = { $file }: skipped { $count } total or footer row(s) (合计, 填表人：…) on line(s) { $lines }
import-unknown-students = { $file }: { $count } home visit(s) name a student who is on no key-students roster of the host school for the visit's school year (line(s) { $lines }{ $more }); they are imported — check the refs, or import that roster
import-roster-shrank = { $file }: this roster lists { $what }; the roster it replaces (batch { $batch }) listed { $before } — those left out no longer count
import-outside-plan = { $file }: { $what } dated outside the plan's terms ({ $first } to { $last }, { $first_day } to { $last_day }) on line(s) { $lines }{ $more }; they are imported — check the years
import-left-out-span-until = from { $term } up to { $until }
import-left-out-span = from { $term } on
import-left-out-replaced = the roster it replaces (batch { $batch })
import-left-out-earlier = the { $kind } roster of { $term } (batch { $batch }) used until now
import-left-out-and-more = and { $count } more
import-left-out = { $file }: { $activities } { $activities ->
        [one] activity
       *[other] activities
    } dated { $span } { $activities ->
        [one] is
       *[other] are
    } hosted by { $units } { $units ->
        [one] unit
       *[other] units
    } that { $roster } listed and this roster leaves out: { $list }; no report counts { $activities ->
        [one] it
       *[other] them
    } unless a roster lists { $units ->
        [one] that unit
       *[other] those units
    } — check that { $units ->
        [one] it was
       *[other] they were
    } left out on purpose

## ------------------------------------------------------------- the progress line

import-progress = importing { $file }: { $percent }% — { $rows } rows, { $rate } rows/s
import-open-thread = starting the thread that opens the file
import-read-thread = starting the thread that reads the file
import-open-failed = opening { $file } failed unexpectedly
# GONGYU_TIMINGS=1: where an import's time went, in seconds (one line on stderr).
import-timings = import timings (s): reading thread: decode { $decode }, parse { $parse }, validate { $validate }, idle { $read_idle }; writing thread: write { $write }, index { $index }, tally { $tally }, commit { $commit }, idle { $write_idle }; wall { $wall }
