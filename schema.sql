-- gongyu ledger, the current schema: version 10.
-- For reading only. `gongyu init` does not run this file: it applies version 1
-- (src/ledger/migrations/0001_initial.sql) and then every later migration in order, as an
-- upgrade does (src/ledger/schema.rs). tests/schema.rs checks that this file creates the
-- same tables and indexes as a new ledger, so a new migration must update it.

-- One row per import (or recorded dry run): SPEC §4. A key-students roster is for a
-- school year, not a term.
CREATE TABLE batch (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,                       -- a name of returns::kinds::ALL (checked by `check`)
    term         TEXT,                                   -- a term roster's term
    school_year  TEXT,                                   -- a key-students roster's school year, 2020-2021
    file_name    TEXT    NOT NULL,
    sha256       TEXT    NOT NULL,
    encoding     TEXT    NOT NULL,
    row_count    INTEGER NOT NULL,                       -- data rows read from the file
    imported     INTEGER NOT NULL,                       -- units or activities written
    duplicates   INTEGER NOT NULL DEFAULT 0,             -- activity rows skipped as duplicates
    replaces     INTEGER REFERENCES batch (id),          -- the roster this one replaced
    imported_at  TEXT    NOT NULL,                       -- RFC 3339, UTC
    os_user      TEXT    NOT NULL,
    reverted_at  TEXT,                                   -- set when the batch is undone
    received     TEXT,                                   -- YYYY-MM-DD (version 8); NULL: the day of imported_at
    CHECK (kind <> 'key-students' OR term IS NULL)
);
CREATE INDEX batch_roster ON batch (kind, term, id);
CREATE INDEX batch_sha256 ON batch (sha256);

-- Each `gongyu revert`: the batch undone, by whom, when.
CREATE TABLE revert (
    id                 INTEGER PRIMARY KEY,
    batch_id           INTEGER NOT NULL UNIQUE REFERENCES batch (id),  -- the batch undone
    reverted_at        TEXT    NOT NULL,                               -- RFC 3339, UTC
    os_user            TEXT    NOT NULL,
    activities_removed INTEGER NOT NULL DEFAULT 0
);

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

-- Every spelling of a township's name a roster has used (大峪街道 and 大峪街道办事处 are
-- one township, 110109001).
CREATE TABLE township_spelling (
    name TEXT PRIMARY KEY,
    code TEXT NOT NULL
) WITHOUT ROWID;

-- Schools of each schools roster. Facts are two bit masks (bit = position in
-- plan::fact::FACTS: 0 parent_school, 1 principal_heads, …): a new fact needs no new column.
CREATE TABLE school (
    batch_id            INTEGER NOT NULL REFERENCES batch (id),
    unit_id             INTEGER NOT NULL REFERENCES unit (id),
    name                TEXT    NOT NULL,
    type                TEXT    NOT NULL,                -- canonical Chinese type, e.g. 小学
    school_group        TEXT    NOT NULL CHECK (school_group IN ('中小学', '幼儿园', '中职')),
    township            TEXT    NOT NULL,                -- as the return gives it: name or code
    area                TEXT    CHECK (area IN ('urban', 'rural')),
    parent_school_since TEXT,                            -- YYYY-MM-DD
    facts_yes           INTEGER NOT NULL DEFAULT 0,
    facts_no            INTEGER NOT NULL DEFAULT 0,
    line                INTEGER NOT NULL,
    PRIMARY KEY (batch_id, unit_id),
    CHECK ((facts_yes & facts_no) = 0),
    CHECK (((facts_yes | facts_no) & 1) = 1)             -- parent_school is always reported
) WITHOUT ROWID;
CREATE INDEX school_unit ON school (unit_id);

-- Communities of each communities roster.
CREATE TABLE community (
    batch_id            INTEGER NOT NULL REFERENCES batch (id),
    unit_id             INTEGER NOT NULL REFERENCES unit (id),
    name                TEXT    NOT NULL,
    township_name       TEXT,
    township_code       TEXT,
    area                TEXT    NOT NULL CHECK (area IN ('urban', 'rural')),
    parent_school_since TEXT,
    facts_yes           INTEGER NOT NULL DEFAULT 0,
    facts_no            INTEGER NOT NULL DEFAULT 0,
    line                INTEGER NOT NULL,
    PRIMARY KEY (batch_id, unit_id),
    CHECK (township_name IS NOT NULL OR township_code IS NOT NULL),
    CHECK ((facts_yes & facts_no) = 0),
    CHECK (((facts_yes | facts_no) & 1) = 1)
) WITHOUT ROWID;
CREATE INDEX community_unit ON community (unit_id);

-- Bodies: parent schools and committees that are not a school's or a community's.
CREATE TABLE body (
    batch_id  INTEGER NOT NULL REFERENCES batch (id),
    unit_id   INTEGER NOT NULL REFERENCES unit (id),
    name      TEXT    NOT NULL,
    kind      TEXT    NOT NULL CHECK (kind IN ('parent-school', 'coedu-committee')),
    level     TEXT    NOT NULL CHECK (level IN ('district', 'organisation')),
    township  TEXT,                                      -- as the return gives it: name or code
    since     TEXT,                                      -- YYYY-MM-DD
    facts_yes INTEGER NOT NULL DEFAULT 0,
    facts_no  INTEGER NOT NULL DEFAULT 0,
    line      INTEGER NOT NULL,
    PRIMARY KEY (batch_id, unit_id),
    CHECK ((facts_yes & facts_no) = 0)
) WITHOUT ROWID;
CREATE INDEX body_unit ON body (unit_id);

-- The rows of every roster a spec declares as data (version 10, src/returns/kinds/generic.rs):
-- a unit, its name, and the values the spec offers plans, as a JSON array in its order.
CREATE TABLE roster_entry (
    batch_id  INTEGER NOT NULL REFERENCES batch (id),
    unit_id   INTEGER NOT NULL REFERENCES unit (id),
    name      TEXT    NOT NULL,
    vals      TEXT    NOT NULL,
    line      INTEGER NOT NULL,
    PRIMARY KEY (batch_id, unit_id)
) WITHOUT ROWID;

-- Key students: a school's pseudonymous ref, nothing else about the child (SPEC §13).
CREATE TABLE key_student (
    batch_id  INTEGER NOT NULL REFERENCES batch (id),
    school_id INTEGER NOT NULL REFERENCES unit (id),
    ref       TEXT    NOT NULL,
    category  TEXT    CHECK (category IN ('留守', '残疾', '困境', '学业', '心理', '行为', '其他')),
    line      INTEGER NOT NULL,
    PRIMARY KEY (batch_id, school_id, ref)
) WITHOUT ROWID;

-- Registry filings, counts only. The latest filing of a township, category and school
-- year counts; earlier ones stay as history.
CREATE TABLE registry (
    id            INTEGER PRIMARY KEY,
    batch_id      INTEGER NOT NULL REFERENCES batch (id),
    township      TEXT    NOT NULL,                      -- as the return gives it
    township_key  TEXT    NOT NULL,                      -- its code where known, else as given
    category      TEXT    NOT NULL CHECK (category IN ('留守儿童', '残疾儿童', '困境儿童')),
    count         INTEGER NOT NULL CHECK (count >= 0),
    filed         INTEGER NOT NULL,                      -- YYYYMMDD
    school_year   INTEGER NOT NULL,                      -- first calendar year of the filing's school year
    line          INTEGER NOT NULL
);
CREATE INDEX registry_filed ON registry (filed);

-- Activities, kept once (SPEC §4). Checks are written with OR, not IN (…): SQLite would
-- build a temporary b-tree to test an IN list on every insert.
CREATE TABLE activity (
    id           INTEGER PRIMARY KEY,
    batch_id     INTEGER NOT NULL REFERENCES batch (id),
    ext_id       TEXT,                                   -- the return's own id, if any
    host_id      INTEGER NOT NULL REFERENCES unit (id),
    day          INTEGER NOT NULL,                       -- YYYYMMDD
    term         INTEGER NOT NULL,                       -- first year × 10 + half: 20201 = 2020-2021-1
    kind         TEXT    NOT NULL,                       -- an id of plan::units::ACTIVITY_KINDS (version 9: no CHECK)
    title        TEXT,
    participants INTEGER CHECK (participants >= 0),
    mode         TEXT    CHECK (mode = 'online' OR mode = 'offline'),
    fingerprint  INTEGER NOT NULL,                       -- 64-bit hash of the normalised fields
    line         INTEGER NOT NULL,
    student      TEXT                                    -- a home visit's student, if named
);
CREATE UNIQUE INDEX activity_ext_id ON activity (ext_id) WHERE ext_id IS NOT NULL;
CREATE INDEX activity_fingerprint ON activity (fingerprint) WHERE ext_id IS NULL;
CREATE INDEX activity_student ON activity (host_id, student, day) WHERE student IS NOT NULL;

-- Activity counts per month, host and kind, one row per import (`gen`, the id of the
-- import's first batch; 0 for counts kept before version 7). A month's count for a host is
-- the sum over the generations. `counts` holds a count per activity kind, at the kind's
-- position in plan::units::ACTIVITY_KINDS (0 guidance, 1 practice, 2 parent-meeting,
-- 3 home-visit, then any kind appended), as unsigned LEB128 varints without trailing zeros
-- (version 9, src/ledger/counts.rs): a new kind needs no new column.
CREATE TABLE activity_tally (
    month   INTEGER NOT NULL,                            -- YYYYMM
    gen     INTEGER NOT NULL,                            -- the first batch id of the import
    host_id INTEGER NOT NULL REFERENCES unit (id),
    counts  BLOB    NOT NULL CHECK (typeof(counts) = 'blob'),
    PRIMARY KEY (gen, month, host_id)
) WITHOUT ROWID;

-- The latest day any activity of a month is dated (at least: a revert leaves it as it was).
CREATE TABLE tally_month (
    month    INTEGER PRIMARY KEY,                        -- YYYYMM
    last_day INTEGER NOT NULL                            -- YYYYMMDD
);

-- The sums of `activity_tally` over each term's months (September to January is a school
-- year's first term, February to August its second); `gongyu check` verifies them.
CREATE TABLE term_tally (
    term    INTEGER NOT NULL,                            -- first year × 10 + half (20201 = 2020-2021-1)
    host_id INTEGER NOT NULL REFERENCES unit (id),
    counts  BLOB    NOT NULL CHECK (typeof(counts) = 'blob'),  -- as activity_tally's
    PRIMARY KEY (term, host_id)
) WITHOUT ROWID;

-- Closing terms (SPEC §12): a term is closed while its latest event is a close.
CREATE TABLE term_event (
    id      INTEGER PRIMARY KEY,
    term    TEXT    NOT NULL,                                  -- canonical, e.g. 2020-2021-1
    action  TEXT    NOT NULL CHECK (action = 'close' OR action = 'reopen'),
    at      TEXT    NOT NULL,                                  -- RFC 3339, UTC
    os_user TEXT    NOT NULL,
    note    TEXT                                               -- a close's note, a reopen's reason
);
CREATE INDEX term_event_term ON term_event (term, id);

-- Reviews of quality findings (SPEC §15): a finding is reviewed while its latest event is a
-- review.
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

PRAGMA application_id = 1197034567;                          -- 0x47594C47, "GYLG"
PRAGMA user_version = 10;
