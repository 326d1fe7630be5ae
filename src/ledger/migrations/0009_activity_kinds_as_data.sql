-- Schema version 9: an activity kind is data (issue 20).
-- The four kinds were columns of both tallies and values of `activity`'s CHECK, so a new
-- kind took a migration and every statement that summed or recounted them. Now the
-- tallies keep one `counts` blob per row: the count of each kind at the kind's position in
-- the kinds table (plan::units::ACTIVITY_KINDS: 0 guidance, 1 practice, 2 parent-meeting,
-- 3 home-visit, then any kind appended), as unsigned LEB128 varints, trailing zeros left
-- out (src/ledger/counts.rs). A row per kind instead would have made the tallies up to four
-- times as many rows, the size migration 5 brought them down from. A new kind is one more
-- position: rows already kept read as zero for it. `kind_counts` and the other counts
-- functions are gongyu's own (src/ledger/counts.rs), registered on every connection
-- that writes. An activity's kind is checked against the table when it is read from a
-- return, no longer by a CHECK.

-- 1. `activity` without its kind CHECK (a rebuild: SQLite cannot drop a CHECK).
CREATE TABLE activity_v9 (
    id           INTEGER PRIMARY KEY,
    batch_id     INTEGER NOT NULL REFERENCES batch (id),
    ext_id       TEXT,                                   -- the return's own id, if any
    host_id      INTEGER NOT NULL REFERENCES unit (id),
    day          INTEGER NOT NULL,                       -- YYYYMMDD
    term         INTEGER NOT NULL,                       -- first year × 10 + half: 20201 = 2020-2021-1
    kind         TEXT    NOT NULL,                       -- an id of plan::units::ACTIVITY_KINDS
    title        TEXT,
    participants INTEGER CHECK (participants >= 0),
    mode         TEXT    CHECK (mode = 'online' OR mode = 'offline'),
    fingerprint  INTEGER NOT NULL,                       -- 64-bit hash of the normalised fields
    line         INTEGER NOT NULL,
    student      TEXT                                    -- a home visit's student, if named
);
INSERT INTO activity_v9 (id, batch_id, ext_id, host_id, day, term, kind, title, participants, mode, fingerprint, line, student)
    SELECT id, batch_id, ext_id, host_id, day, term, kind, title, participants, mode, fingerprint, line, student
    FROM activity ORDER BY id;
DROP TABLE activity;
ALTER TABLE activity_v9 RENAME TO activity;
CREATE UNIQUE INDEX activity_ext_id ON activity (ext_id) WHERE ext_id IS NOT NULL;
CREATE INDEX activity_fingerprint ON activity (fingerprint) WHERE ext_id IS NULL;
CREATE INDEX activity_student ON activity (host_id, student, day) WHERE student IS NOT NULL;

-- 2. The monthly tally, per generation, month and host: counts by kind.
CREATE TABLE activity_tally_v9 (
    month   INTEGER NOT NULL,                            -- YYYYMM
    gen     INTEGER NOT NULL,                            -- the first batch id of the import
    host_id INTEGER NOT NULL REFERENCES unit (id),
    counts  BLOB    NOT NULL CHECK (typeof(counts) = 'blob'),
    PRIMARY KEY (gen, month, host_id)
) WITHOUT ROWID;
INSERT INTO activity_tally_v9 (month, gen, host_id, counts)
    SELECT month, gen, host_id,
           kind_counts('guidance', guidance, 'practice', practice, 'parent-meeting', parent_meeting, 'home-visit', home_visit)
    FROM activity_tally ORDER BY gen, month, host_id;
DROP TABLE activity_tally;
ALTER TABLE activity_tally_v9 RENAME TO activity_tally;

-- 3. The term tally, the same way.
CREATE TABLE term_tally_v9 (
    term    INTEGER NOT NULL,                            -- first year × 10 + half (20201 = 2020-2021-1)
    host_id INTEGER NOT NULL REFERENCES unit (id),
    counts  BLOB    NOT NULL CHECK (typeof(counts) = 'blob'),
    PRIMARY KEY (term, host_id)
) WITHOUT ROWID;
INSERT INTO term_tally_v9 (term, host_id, counts)
    SELECT term, host_id,
           kind_counts('guidance', guidance, 'practice', practice, 'parent-meeting', parent_meeting, 'home-visit', home_visit)
    FROM term_tally ORDER BY term, host_id;
DROP TABLE term_tally;
ALTER TABLE term_tally_v9 RENAME TO term_tally;
