## ------------------------------------------------------------- data quality (src/quality/, src/commands/quality.rs)

cmd-quality = Data quality: checks over a term's activity rows (duplicates, head-count outliers, digit heaping, bursts, copied terms…), and reviews of the findings
arg-quality-term = The term to check, e.g. 2020-2021-1 [default: the term containing today]
arg-quality-check = Exit 3 if a high-severity finding is not reviewed
cmd-quality-review = Mark a finding reviewed (kept with who and when), or undo that with --undo
arg-quality-review-id = The finding's id, as gongyu quality lists it (e.g. Q1a2b3c4d5e)
arg-quality-review-term = The term of the finding [default: the term containing today]
arg-quality-review-note = What the review found (required unless --undo)
arg-quality-review-undo = Undo the finding's review: it is unreviewed again

quality-title = Data quality
quality-page-title = { $plan }: data quality, term { $term }
quality-sheet = Data quality
quality-none = no data quality findings in term { $term }
quality-summary = term { $term }: { $total } findings: { $high } high ({ $unreviewed } not reviewed), { $medium } medium, { $low } low.
quality-inform = Findings inform; they never change what a target counts.
quality-col-id = id
quality-col-severity = severity
quality-col-code = check
quality-col-township = township
quality-col-unit = unit
quality-col-evidence = evidence
quality-col-reason = reason
quality-col-reviewed = review
quality-severity-high = high
quality-severity-medium = medium
quality-severity-low = low
quality-code-duplicate-across-hosts = duplicate-across-hosts
quality-code-duplicate-across-batches = duplicate-across-batches
quality-code-participants-outlier = participants-outlier
quality-code-digit-heaping = digit-heaping
quality-code-burst = burst
quality-code-deadline-bunching = deadline-bunching
quality-code-before-parent-school = before-parent-school
quality-code-copied-term = copied-term
quality-code-consistency-over-time = consistency-over-time
quality-kind = { $kind ->
    [guidance] guidance
    [practice] practice
    [parent-meeting] parent meeting
    [home-visit] home visit
   *[other] { $kind } ({ $name })
}
quality-evidence = { $file } line { $line } (batch { $batch })
quality-reviewed-by = reviewed by { $by }, { $at }. { $note }
quality-reviewed-short = reviewed ({ $by })
quality-not-reviewed = not reviewed
quality-reason-duplicate-across-hosts = the { $kind } activity "{ $title }" of { $day } was also returned by { $other } ({ $file } line { $line }); { $hosts } units returned it
quality-reason-duplicate-across-batches = the { $kind } activity "{ $title }" of { $day } was also returned in batch { $batch } ({ $file } line { $line }); { $rows } rows in all
quality-reason-participants-outlier = head count { $participants } of a { $kind } activity on { $day } is far from the median { $median } of the same kind of unit and activity (modified z-score { $score })
quality-reason-digit-heaping = { $heaped } of { $counted } head counts of 10 or more end in 0 or 5 ({ $share }%, where chance gives about 20%; z = { $z })
quality-reason-burst = { $count } activities on { $day }
quality-reason-deadline-bunching = { $last_week } of the term's { $total } activities in its last week (from { $from })
quality-reason-before-parent-school = { $count } guidance or practice activities dated before the parent school was founded on { $since } (the first on { $first })
quality-reason-copied-term = { $matched } of the term's { $total } activities repeat the previous term's (same kind, title and head count), all shifted by { $shift } days
quality-reason-consistency-over-time = { $count } activities this term against a mean of { $mean } over the { $terms } earlier terms ({ $pct }%)
quality-check-failed = { $count } high-severity findings not reviewed: { $ids }. Review one with: gongyu quality review ID --note NOTE
quality-review-unknown = term { $term } has no finding { $id } (see gongyu quality --term { $term }; for another term add --term); nothing was changed
quality-review-needs-note = a review needs a note: --note NOTE
quality-review-not-reviewed = finding { $id } is not reviewed; there is nothing to undo
quality-review-of = reviewing finding { $id }
quality-reviewed = reviewed finding { $id } (term { $term }); a review changes no figure
quality-review-undone = undid the review of finding { $id } (term { $term })
quality-thread-panicked = the data quality checks stopped unexpectedly (a bug); please report this to the maintainers
quality-temp-file = cannot use a temporary file in the temporary folder (the data quality checks sort there)
quality-too-large = the data quality checks cannot handle { $what } { $value } (out of range)
term-close-unreviewed = note: term { $term } has { $count } high-severity data quality findings not reviewed (the term is closed all the same; review one with: gongyu quality review ID --term { $term } --note NOTE):
term-close-unreviewed-item = { $id } { $code } { $unit }: { $reason }
term-close-unreviewed-more = … and { $count } more, see gongyu quality --term { $term }

plan-quality-not-table = the table [quality] must be a table, not { $kind }
plan-quality-unknown-key = in [quality]: unknown key `{ $key }`; the keys are { $known }
plan-quality-positive = in [quality], `{ $key }` must be a number above 0, not { $value }
plan-quality-share = in [quality], `{ $key }` must be a share above 0 and at most 1, not { $value }
plan-quality-at-least = in [quality], `{ $key }` must be a whole number of at least { $min }, not { $value }
