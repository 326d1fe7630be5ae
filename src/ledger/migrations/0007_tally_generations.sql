-- Schema version 7: the monthly tally keeps each import's counts apart (issue 10).
-- An import added its monthly counts to the rows already there: at national scale the
-- tenth file of a term upserted 1.6 million rows scattered over all of the term's months,
-- at twice the cost of writing them fresh, and rewrote every page of the table. Now an
-- import writes its own rows, keyed first by its generation (the id of the import's first
-- batch, `gen`): at the end of the table, in one ordered pass. A month's count for a host
-- is the sum of its rows over the generations; readers visit each generation's range of
-- months. Reverting a batch takes its activities out of its import's generation: the
-- greatest generation at or below the batch's id.
-- The rows already kept become generation 0.
CREATE TABLE activity_tally_v7 (
    month          INTEGER NOT NULL,                     -- YYYYMM
    gen            INTEGER NOT NULL,                     -- the first batch id of the import
    host_id        INTEGER NOT NULL REFERENCES unit (id),
    guidance       INTEGER NOT NULL DEFAULT 0 CHECK (guidance >= 0),
    home_visit     INTEGER NOT NULL DEFAULT 0 CHECK (home_visit >= 0),
    parent_meeting INTEGER NOT NULL DEFAULT 0 CHECK (parent_meeting >= 0),
    practice       INTEGER NOT NULL DEFAULT 0 CHECK (practice >= 0),
    PRIMARY KEY (gen, month, host_id)
) WITHOUT ROWID;
INSERT INTO activity_tally_v7 (month, gen, host_id, guidance, home_visit, parent_meeting, practice)
    SELECT month, 0, host_id, guidance, home_visit, parent_meeting, practice FROM activity_tally ORDER BY month, host_id;
DROP TABLE activity_tally;
ALTER TABLE activity_tally_v7 RENAME TO activity_tally;
