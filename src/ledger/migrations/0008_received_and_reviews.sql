-- Schema version 8: timeliness and data quality (issue 24, SPEC §15).
-- Run with foreign keys off (set outside the transaction by schema::migrate), which then
-- runs PRAGMA foreign_key_check before committing: tables are rebuilt the SQLite way.

-- 1. When a return was received, not when it was typed in: `import --received DATE`
--    (default: today, local time). Batches imported before version 8 have none; readers take
--    the local day of `imported_at` for them. A rebuild, not ADD COLUMN, so that the column
--    stands before the table's CHECK as schema.sql writes it.
CREATE TABLE batch_v8 (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('schools', 'communities', 'bodies', 'key-students', 'activities', 'registry')),
    term         TEXT,
    school_year  TEXT,
    file_name    TEXT    NOT NULL,
    sha256       TEXT    NOT NULL,
    encoding     TEXT    NOT NULL,
    row_count    INTEGER NOT NULL,
    imported     INTEGER NOT NULL,
    duplicates   INTEGER NOT NULL DEFAULT 0,
    replaces     INTEGER REFERENCES batch (id),
    imported_at  TEXT    NOT NULL,
    os_user      TEXT    NOT NULL,
    reverted_at  TEXT,
    received     TEXT,
    CHECK (kind <> 'key-students' OR term IS NULL)
);
INSERT INTO batch_v8 (id, kind, term, school_year, file_name, sha256, encoding, row_count, imported, duplicates, replaces,
                      imported_at, os_user, reverted_at, received)
    SELECT id, kind, term, school_year, file_name, sha256, encoding, row_count, imported, duplicates, replaces,
           imported_at, os_user, reverted_at, NULL FROM batch;
DROP TABLE batch;
ALTER TABLE batch_v8 RENAME TO batch;
CREATE INDEX batch_roster ON batch (kind, term, id);
CREATE INDEX batch_sha256 ON batch (sha256);

-- 2. Reviews of quality findings (`gongyu quality review ID --note …`, undone by `--undo`).
--    Kept as events, never deleted: a finding is reviewed while its latest event is a review.
CREATE TABLE quality_review (
    id      INTEGER PRIMARY KEY,
    finding TEXT    NOT NULL,                                  -- the finding's stable id
    term    TEXT    NOT NULL,                                  -- canonical, e.g. 2020-2021-1
    action  TEXT    NOT NULL CHECK (action = 'review' OR action = 'undo'),
    note    TEXT,
    at      TEXT    NOT NULL,                                  -- RFC 3339, UTC
    os_user TEXT    NOT NULL
);
CREATE INDEX quality_review_finding ON quality_review (finding, id);
