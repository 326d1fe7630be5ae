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
DROP INDEX activity_term_host;

-- 3. The fingerprint is only looked up for activities without an id.
DROP INDEX activity_fingerprint;
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
