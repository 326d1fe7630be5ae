-- Schema version 10: a roster declared as data (issue 20).
-- A return kind whose spec declares its roster row (`KindSpec::roster`: the unit's code and
-- name, and the values it offers plans, src/returns/kinds/generic.rs) keeps its rows in one
-- table shared by every such kind, `roster_entry`, its values a JSON array in the spec's
-- order; so a new kind of that sort needs no migration. `batch.kind` was held by a CHECK
-- listing every kind; a new kind then took a rebuild of `batch`. The kind is now held to
-- `returns::kinds::ALL` by the command line (which takes no other) and by `gongyu check`.

-- 1. `batch` without its list of kinds (a rebuild: SQLite cannot drop a CHECK).
CREATE TABLE batch_v10 (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
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
INSERT INTO batch_v10 (id, kind, term, school_year, file_name, sha256, encoding, row_count, imported, duplicates,
                       replaces, imported_at, os_user, reverted_at, received)
    SELECT id, kind, term, school_year, file_name, sha256, encoding, row_count, imported, duplicates,
           replaces, imported_at, os_user, reverted_at, received
    FROM batch ORDER BY id;
DROP TABLE batch;
ALTER TABLE batch_v10 RENAME TO batch;
CREATE INDEX batch_roster ON batch (kind, term, id);
CREATE INDEX batch_sha256 ON batch (sha256);

-- 2. The rows of every roster declared as data.
CREATE TABLE roster_entry (
    batch_id  INTEGER NOT NULL REFERENCES batch (id),
    unit_id   INTEGER NOT NULL REFERENCES unit (id),
    name      TEXT    NOT NULL,
    vals      TEXT    NOT NULL,
    line      INTEGER NOT NULL,
    PRIMARY KEY (batch_id, unit_id)
) WITHOUT ROWID;
