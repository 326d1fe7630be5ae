term-locks = imports and reverts that would change its report are refused: activities and registry filings dated on or before { $last }, the rosters its report uses (of { $term } or an earlier term), and the key-students roster of { $year }
term-closed = closed term { $term }: from now on, { $locks } ({ $term_words })
term-reopened = reopened term { $term } (reason: { $reason })
term-not-ended = term { $term } has not ended (it ends on { $last_day }; today is { $today })
term-outside-plan = term { $term } lies outside the plan's terms ({ $first } to { $last })
term-close-refused = not closed: { $why }. Closing it would mean that from now on, { $locks }. If that is what you mean, add --force: gongyu term close { $term } --force
