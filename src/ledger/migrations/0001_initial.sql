-- Schema version 1: the first ledger (SPEC §4).
-- Every ledger starts here, a new one too: `gongyu init` applies this file and then each later
-- migration in order (src/ledger/schema.rs). Never edit it: the ledgers of version 1 in use
-- were made by it. The current schema, whole, is /schema.sql.

-- One row per import (or dry run that was recorded): SPEC §4.
CREATE TABLE batch (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('schools', 'communities', 'activities')),
    term         TEXT,                                   -- a roster's term; NULL for activities
    file_name    TEXT    NOT NULL,
    sha256       TEXT    NOT NULL,
    encoding     TEXT    NOT NULL,
    row_count    INTEGER NOT NULL,                       -- data rows read from the file
    imported     INTEGER NOT NULL,                       -- units or activities written
    duplicates   INTEGER NOT NULL DEFAULT 0,             -- activity rows skipped as duplicates
    replaces     INTEGER REFERENCES batch (id),          -- the roster this one replaced
    imported_at  TEXT    NOT NULL,                       -- RFC 3339, UTC
    os_user      TEXT    NOT NULL,
    reverted_at  TEXT                                    -- set when the batch is undone
);
CREATE INDEX batch_roster ON batch (kind, term, id);
CREATE INDEX batch_sha256 ON batch (sha256);

-- Every unit code ever seen in a roster, interned to an integer key.
CREATE TABLE unit (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE
);

-- Township names and codes as community rosters give them.
CREATE TABLE township (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE INDEX township_name ON township (name);

-- Schools of each schools roster.
CREATE TABLE school (
    batch_id            INTEGER NOT NULL REFERENCES batch (id),
    unit_id             INTEGER NOT NULL REFERENCES unit (id),
    name                TEXT    NOT NULL,
    type                TEXT    NOT NULL,                -- canonical Chinese type, e.g. 小学
    school_group        TEXT    NOT NULL CHECK (school_group IN ('中小学', '幼儿园', '中职')),
    township            TEXT    NOT NULL,                -- as the return gives it: name or code
    parent_school       INTEGER NOT NULL CHECK (parent_school IN (0, 1)),
    parent_school_since TEXT,                            -- YYYY-MM-DD
    principal_heads     INTEGER CHECK (principal_heads IN (0, 1)),
    line                INTEGER NOT NULL,
    PRIMARY KEY (batch_id, unit_id)
) WITHOUT ROWID;

-- Communities of each communities roster.
CREATE TABLE community (
    batch_id            INTEGER NOT NULL REFERENCES batch (id),
    unit_id             INTEGER NOT NULL REFERENCES unit (id),
    name                TEXT    NOT NULL,
    township_name       TEXT,
    township_code       TEXT,
    area                TEXT    NOT NULL CHECK (area IN ('urban', 'rural')),
    parent_school       INTEGER NOT NULL CHECK (parent_school IN (0, 1)),
    parent_school_since TEXT,
    line                INTEGER NOT NULL,
    PRIMARY KEY (batch_id, unit_id),
    CHECK (township_name IS NOT NULL OR township_code IS NOT NULL)
) WITHOUT ROWID;

-- Activities, kept once (SPEC §4).
CREATE TABLE activity (
    id           INTEGER PRIMARY KEY,
    batch_id     INTEGER NOT NULL REFERENCES batch (id),
    ext_id       TEXT,                                   -- the return's own id, if any
    host_id      INTEGER NOT NULL REFERENCES unit (id),
    day          INTEGER NOT NULL,                       -- YYYYMMDD
    term         INTEGER NOT NULL,                       -- first year * 10 + half: 20201 = 2020-2021-1
    kind         TEXT    NOT NULL CHECK (kind IN ('guidance', 'practice', 'parent-meeting', 'home-visit')),
    title        TEXT,
    participants INTEGER CHECK (participants >= 0),
    mode         TEXT    CHECK (mode IN ('online', 'offline')),
    fingerprint  INTEGER NOT NULL,                       -- 64-bit hash of the normalised fields
    line         INTEGER NOT NULL
);
CREATE UNIQUE INDEX activity_ext_id ON activity (ext_id) WHERE ext_id IS NOT NULL;
CREATE INDEX activity_fingerprint ON activity (fingerprint);
CREATE INDEX activity_term_host ON activity (term, host_id, kind);
CREATE INDEX activity_batch ON activity (batch_id);
