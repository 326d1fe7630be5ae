-- Schema version 5: one tally row per month and host, with a count per kind (issue 10).
-- At national scale (a million units, twenty million activities) a row per month, host
-- and kind made the tally almost as large as the activities themselves; with the four
-- kinds as columns it has a quarter of the rows, an import writes it in one ordered
-- pass, and a report reads a term's months as about one row per unit and month.
-- Whether a month's counts reach past a day is a property of the month, kept apart.
CREATE TABLE activity_tally_v5 (
    month          INTEGER NOT NULL,                     -- YYYYMM
    host_id        INTEGER NOT NULL REFERENCES unit (id),
    guidance       INTEGER NOT NULL DEFAULT 0 CHECK (guidance >= 0),
    home_visit     INTEGER NOT NULL DEFAULT 0 CHECK (home_visit >= 0),
    parent_meeting INTEGER NOT NULL DEFAULT 0 CHECK (parent_meeting >= 0),
    practice       INTEGER NOT NULL DEFAULT 0 CHECK (practice >= 0),
    PRIMARY KEY (month, host_id)
) WITHOUT ROWID;
INSERT INTO activity_tally_v5 (month, host_id, guidance, home_visit, parent_meeting, practice)
    SELECT month, host_id,
           sum(CASE kind WHEN 'guidance' THEN n ELSE 0 END),
           sum(CASE kind WHEN 'home-visit' THEN n ELSE 0 END),
           sum(CASE kind WHEN 'parent-meeting' THEN n ELSE 0 END),
           sum(CASE kind WHEN 'practice' THEN n ELSE 0 END)
    FROM activity_tally GROUP BY month, host_id;

-- The latest day any activity of a month is dated (at least: a revert leaves it as it
-- was): a window ending mid-month counts that month from the activities themselves only
-- if some may be dated after its end.
CREATE TABLE tally_month (
    month    INTEGER PRIMARY KEY,                        -- YYYYMM
    last_day INTEGER NOT NULL                            -- YYYYMMDD
);
INSERT INTO tally_month (month, last_day) SELECT month, max(last_day) FROM activity_tally GROUP BY month;

DROP TABLE activity_tally;
ALTER TABLE activity_tally_v5 RENAME TO activity_tally;

