-- Schema version 6: the activity tally per term and host (issue 10).
-- At national scale a term's monthly tally is about five rows per unit (4.6 million for a
-- million units); a report of a whole term reads one row per unit from this table instead.
-- It holds exactly the sums of `activity_tally` over each term's months (September to
-- January is a school year's first term, February to August its second); imports and
-- reverts keep both, and `gongyu check` verifies it.
CREATE TABLE term_tally (
    term           INTEGER NOT NULL,                     -- first year × 10 + half (20201 = 2020-2021-1)
    host_id        INTEGER NOT NULL REFERENCES unit (id),
    guidance       INTEGER NOT NULL DEFAULT 0 CHECK (guidance >= 0),
    home_visit     INTEGER NOT NULL DEFAULT 0 CHECK (home_visit >= 0),
    parent_meeting INTEGER NOT NULL DEFAULT 0 CHECK (parent_meeting >= 0),
    practice       INTEGER NOT NULL DEFAULT 0 CHECK (practice >= 0),
    PRIMARY KEY (term, host_id)
) WITHOUT ROWID;
INSERT INTO term_tally (term, host_id, guidance, home_visit, parent_meeting, practice)
    SELECT CASE WHEN month % 100 >= 9 THEN month / 100 * 10 + 1
                WHEN month % 100 = 1 THEN (month / 100 - 1) * 10 + 1
                ELSE (month / 100 - 1) * 10 + 2 END AS term,
           host_id, sum(guidance), sum(home_visit), sum(parent_meeting), sum(practice)
    FROM activity_tally GROUP BY term, host_id ORDER BY term, host_id;
