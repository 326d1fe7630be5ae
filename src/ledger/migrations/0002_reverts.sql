-- Schema version 2.
-- 1. Undoing imports (`gongyu revert`) is recorded as an event of its own.
CREATE TABLE revert (
    id                 INTEGER PRIMARY KEY,
    batch_id           INTEGER NOT NULL UNIQUE REFERENCES batch (id),  -- the batch undone
    reverted_at        TEXT    NOT NULL,                               -- RFC 3339, UTC
    os_user            TEXT    NOT NULL,
    activities_removed INTEGER NOT NULL DEFAULT 0
);

-- 2. Reports read activity counts per term, host and kind from a tally kept by imports,
--    instead of grouping millions of activity rows; `gongyu check` recounts it.
CREATE TABLE activity_tally (
    term    INTEGER NOT NULL,
    host_id INTEGER NOT NULL REFERENCES unit (id),
    kind    TEXT    NOT NULL,
    n       INTEGER NOT NULL CHECK (n > 0),
    PRIMARY KEY (term, host_id, kind)
) WITHOUT ROWID;
INSERT INTO activity_tally (term, host_id, kind, n)
    SELECT term, host_id, kind, count(*) FROM activity GROUP BY term, host_id, kind;

-- 3. Activities are rebuilt for the insert path: checks written with OR instead of IN (…)
--    (SQLite builds a temporary b-tree to test an IN list on every insert), and only the
--    indexes an import needs — the (term, host, kind) index gives way to the tally, the
--    batch index to a scan when a batch is reverted (rare), and the fingerprint is only
--    looked up for activities without an id.
CREATE TABLE activity_v2 (
    id           INTEGER PRIMARY KEY,
    batch_id     INTEGER NOT NULL REFERENCES batch (id),
    ext_id       TEXT,
    host_id      INTEGER NOT NULL REFERENCES unit (id),
    day          INTEGER NOT NULL,
    term         INTEGER NOT NULL,
    kind         TEXT    NOT NULL
                 CHECK (kind = 'guidance' OR kind = 'practice' OR kind = 'parent-meeting' OR kind = 'home-visit'),
    title        TEXT,
    participants INTEGER CHECK (participants >= 0),
    mode         TEXT    CHECK (mode = 'online' OR mode = 'offline'),
    fingerprint  INTEGER NOT NULL,
    line         INTEGER NOT NULL
);
INSERT INTO activity_v2 (id, batch_id, ext_id, host_id, day, term, kind, title, participants, mode, fingerprint, line)
    SELECT id, batch_id, ext_id, host_id, day, term, kind, title, participants, mode, fingerprint, line FROM activity;
DROP TABLE activity;
ALTER TABLE activity_v2 RENAME TO activity;
CREATE UNIQUE INDEX activity_ext_id ON activity (ext_id) WHERE ext_id IS NOT NULL;
CREATE INDEX activity_fingerprint ON activity (fingerprint) WHERE ext_id IS NULL;

-- 4. Every spelling of a township's name a roster has used, for matching schools to codes
--    (大峪街道 and 大峪街道办事处 are one township, 110109001).
CREATE TABLE township_spelling (
    name TEXT PRIMARY KEY,
    code TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO township_spelling (name, code) SELECT name, code FROM township;
INSERT OR IGNORE INTO township_spelling (name, code)
    SELECT DISTINCT township_name, township_code FROM community
    WHERE township_name IS NOT NULL AND township_code IS NOT NULL;

-- 5. Imports check each activity's host against the live rosters by unit: index the unit.
CREATE INDEX school_unit ON school (unit_id);
CREATE INDEX community_unit ON community (unit_id);
