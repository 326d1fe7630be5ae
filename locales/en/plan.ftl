## Plan files' mistakes and terms (src/plan/, src/ops.rs). English.

## ------------------------------------------------------------- reading a plan file

plan-cannot-read = cannot read the plan file { $file }: { $reason }
# Why a file cannot be read: `kind` is not-found, permission-denied, is-a-directory or
# other; `detail` is the system's own words.
plan-io-reason = { $kind ->
   *[other] { $detail }
}
plan-not-utf8 = { $file }:{ $line }: a plan file is UTF-8 text; this line is not
plan-problems = the plan file { $file } has { $count ->
    [one] 1 problem
   *[other] { $count } problems
} (`gongyu plan show` prints a valid plan):
    { $problems }
# A mistake inside a target: `id` is its id, or #N by its place.
plan-in-target = target { $id }: { $problem }
# The TOML reader's own words.
plan-toml = { $detail }
plan-missing-field = missing field `{ $key }`
plan-wrong-type = `{ $key }` must be { $what }, not { $kind ->
    [integer] an integer
    [array] an array
   *[other] a { $kind }
}
plan-a-string = a string in quotes
plan-a-whole-number = a whole number
plan-true-or-false = true or false
plan-a-table = a table, e.g. {"{"} key = value {"}"}
plan-title-wrong-type = title.{ $key } must be a string in quotes, not { $kind ->
    [integer] an integer
    [array] an array
   *[other] a { $kind }
}
plan-title-unknown-field = title: unknown field `{ $key }`, expected `zh` or `en`
plan-title-missing-zh = title: missing field `zh`
plan-unknown-field = unknown field `{ $key }`, expected one of { $expected }

## ------------------------------------------------------------- what a plan's values mean

plan-bad-id = plan id "{ $id }" must be lower-case letters, digits and -, e.g. mentougou-2019-2021
plan-name-empty = the plan's name is empty
plan-bad-term = { $key } "{ $value }": { $error }
plan-terms-backwards = last_term { $last } is before first_term { $first }
plan-no-targets = the plan has no targets; add at least one [[target]] table
plan-duplicate-target = two targets have the id "{ $id }"; ids must be unique
plan-bad-target-id = target id "{ $id }" must be lower-case letters, digits and -
plan-unknown-units = unknown unit kind "{ $units }"; units is one of { $expected }
plan-belongs-in-require = `{ $key }` belongs in `require`, not `where`
plan-where-key = where.{ $key }: { $error }
plan-require-key = require.{ $key }: { $error }
plan-and = {" and "}
plan-one-threshold = give one threshold, not { $given }
plan-required-range = required = { $value } is outside 0–100 (a percentage)
plan-at-least-range = at_least = { $value } must be 1 or more
plan-informational-false = informational = false is not a threshold; give required = P or at_least = N
plan-no-threshold = no threshold; give required = P (percent), at_least = N or informational = true
plan-unknown-period = unknown period "{ $period }"; period is one of term, school-year, year, plan
plan-responsible = responsible: { $error }
plan-title-empty = title.zh is empty
# What a list holds, by an id.
plan-list-of = { $what ->
    [school-groups] school groups
    [school-types] school types
    [activity-kinds] activity kinds
    [host-kinds] host kinds
    [registry-categories] registry categories
   *[bodies] bodies
}
plan-expected-list = expected a list of { $what }, e.g. ["…"]
plan-expected-strings = expected a list of { $what } (strings)
plan-not-one-of = "{ $value }" is not one of { $expected }
plan-selects-schools-or-communities = `{ $key }` selects schools or communities, not { $units }
plan-selects-schools = `{ $key }` selects schools, not { $units }
plan-not-school-type = "{ $value }" is not a school type; expected one of { $expected }
plan-expected-either = expected "{ $a }" or "{ $b }"
plan-not-either = "{ $value }" is not "{ $a }" or "{ $b }"
plan-selects-bodies = `{ $key }` selects bodies, not { $units }
plan-selects-parent-schools = `host` selects among parent-schools, not { $units }
plan-unknown-fact = unknown fact or selector; the facts are { $facts }; the selectors group, type, area, kind, level, host{ $in_require ->
    [yes] , activities, any_activity, registry
   *[no] {""}
}
plan-no-facts = { $units } report no facts; `{ $key }` cannot apply to them
plan-fact-not-on = fact { $key } is reported on { $on } rosters, not by { $units }
plan-expected-bool = expected { $key } = true or { $key } = false
plan-roster-no-value = { $units } rosters offer no value `{ $key }` to count; they offer { $offered }
plan-roster-offers-none = nothing (a roster of { $units } is counted by its units only)
plan-expected-count = expected { $key } = a whole number (at least so many)
plan-roster-no-activities = { $units } host no activities; count them by their values
plan-not-activity-kind = "{ $value }" is not an activity kind; expected { $kinds }
plan-townships-no-activities = townships hold no activities; use registry
plan-expected-kinds-table = expected a table of kinds, e.g. {"{"} guidance = 1, practice = 1 {"}"}
plan-name-a-kind = name at least one kind, e.g. {"{"} guidance = 1 {"}"}
plan-students-home-visit-not = key students are counted by home visits naming them; use home-visit, not { $kind }
plan-whole-number = { $key } = … must be a whole number ≥ 1
plan-expected-any-activity = expected {"{"} kinds = ["guidance", "practice"], min = 1 {"}"}
plan-any-activity-key = unknown key `{ $key }`; any_activity takes kinds and min
plan-kinds-missing = kinds is missing
plan-kinds-empty = kinds is empty
plan-students-home-visit = key students are counted by home visits naming them; use home-visit
plan-min = min must be a whole number ≥ 1
plan-registry-townships = registry applies to townships, not { $units }
plan-name-a-category = name at least one category
plan-responsible-table = a table by host kind applies to parent-schools targets; give a list, e.g. ["区教委"]
plan-unknown-host-kind = unknown host kind `{ $kind }`; expected schools, communities, bodies

## ------------------------------------------------------------- terms and trends

term-half = a term is 1 or 2, not { $half }
term-year-range = school year { $year } is out of range
term-spellings = write it as 2020-2021-1, 2020-2021-2, 2020-2021学年第一学期 or 2020-2021学年第二学期
term-not-a-term = "{ $value }" is not a term; { $spellings }
term-not-consecutive = "{ $value }" is not a term: the two years of a school year must be consecutive (e.g. { $first }-{ $next })
trend-backwards = the trend would run from { $from } to { $to }, which is backwards; check --from and --to
trend-too-long = { $from } to { $to } is { $count } terms; ask for 200 or fewer
