-- Schema version 3: the whole plan as data (issue 8).
-- Run with foreign keys off (set outside the transaction by schema::migrate), which then
-- runs PRAGMA foreign_key_check before committing: tables are rebuilt the SQLite way.

-- 1. Batches of the new kinds: bodies and key-students rosters, registry filings. The kind
--    CHECK needs a rebuild. A key-students roster is for a school year, not a term.
CREATE TABLE batch_v3 (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL CHECK (kind IN ('schools', 'communities', 'bodies', 'key-students', 'activities', 'registry')),
    term         TEXT,                                   -- a term roster's term
    school_year  TEXT,                                   -- a key-students roster's school year, 2020-2021
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
    CHECK (kind <> 'key-students' OR term IS NULL)
);
INSERT INTO batch_v3 (id, kind, term, school_year, file_name, sha256, encoding, row_count, imported, duplicates, replaces,
                      imported_at, os_user, reverted_at)
    SELECT id, kind, term, NULL, file_name, sha256, encoding, row_count, imported, duplicates, replaces,
           imported_at, os_user, reverted_at FROM batch;
DROP TABLE batch;
ALTER TABLE batch_v3 RENAME TO batch;
CREATE INDEX batch_roster ON batch (kind, term, id);
CREATE INDEX batch_sha256 ON batch (sha256);

-- 2. Facts as two bit masks per unit (bit = position in plan::fact::FACTS: 0 parent_school,
--    1 principal_heads, …): a new fact needs no change of schema. Schools gain an area.
CREATE TABLE school_v3 (
    batch_id            INTEGER NOT NULL REFERENCES batch (id),
    unit_id             INTEGER NOT NULL REFERENCES unit (id),
    name                TEXT    NOT NULL,
    type                TEXT    NOT NULL,
    school_group        TEXT    NOT NULL CHECK (school_group IN ('中小学', '幼儿园', '中职')),
    township            TEXT    NOT NULL,
    area                TEXT    CHECK (area IN ('urban', 'rural')),
    parent_school_since TEXT,
    facts_yes           INTEGER NOT NULL DEFAULT 0,
    facts_no            INTEGER NOT NULL DEFAULT 0,
    line                INTEGER NOT NULL,
    PRIMARY KEY (batch_id, unit_id),
    CHECK ((facts_yes & facts_no) = 0),
    CHECK (((facts_yes | facts_no) & 1) = 1)             -- parent_school is always reported
) WITHOUT ROWID;
INSERT INTO school_v3 (batch_id, unit_id, name, type, school_group, township, area, parent_school_since,
                       facts_yes, facts_no, line)
    SELECT batch_id, unit_id, name, type, school_group, township, NULL, parent_school_since,
           (CASE parent_school WHEN 1 THEN 1 ELSE 0 END) | (CASE principal_heads WHEN 1 THEN 2 ELSE 0 END),
           (CASE parent_school WHEN 0 THEN 1 ELSE 0 END) | (CASE principal_heads WHEN 0 THEN 2 ELSE 0 END),
           line FROM school;
DROP TABLE school;
ALTER TABLE school_v3 RENAME TO school;
CREATE INDEX school_unit ON school (unit_id);

CREATE TABLE community_v3 (
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
INSERT INTO community_v3 (batch_id, unit_id, name, township_name, township_code, area, parent_school_since,
                          facts_yes, facts_no, line)
    SELECT batch_id, unit_id, name, township_name, township_code, area, parent_school_since,
           CASE parent_school WHEN 1 THEN 1 ELSE 0 END, CASE parent_school WHEN 0 THEN 1 ELSE 0 END, line FROM community;
DROP TABLE community;
ALTER TABLE community_v3 RENAME TO community;
CREATE INDEX community_unit ON community (unit_id);

-- 3. Bodies: parent schools and committees that are not a school's or a community's.
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

-- 4. Key students: a school's pseudonymous ref, nothing else about the child (SPEC §13).
CREATE TABLE key_student (
    batch_id  INTEGER NOT NULL REFERENCES batch (id),
    school_id INTEGER NOT NULL REFERENCES unit (id),
    ref       TEXT    NOT NULL,
    category  TEXT    CHECK (category IN ('留守', '残疾', '困境', '学业', '心理', '行为', '其他')),
    line      INTEGER NOT NULL,
    PRIMARY KEY (batch_id, school_id, ref)
) WITHOUT ROWID;

-- 5. Registry filings, counts only. The latest filing of a township, category and school
--    year counts; earlier ones stay as history.
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

-- 6. A home visit may name the student visited; reports look visits up by host and ref.
ALTER TABLE activity ADD COLUMN student TEXT;
CREATE INDEX activity_student ON activity (host_id, student, day) WHERE student IS NOT NULL;

-- 7. The tally counts activities by month, so that any window of whole months (a term, a
--    school year, a calendar year, the plan's span) is a sum; last_day says whether a
--    month's count reaches past a window that ends mid-month.
DROP TABLE activity_tally;
CREATE TABLE activity_tally (
    month    INTEGER NOT NULL,                           -- YYYYMM
    host_id  INTEGER NOT NULL REFERENCES unit (id),
    kind     TEXT    NOT NULL,
    n        INTEGER NOT NULL CHECK (n > 0),
    last_day INTEGER NOT NULL,                           -- YYYYMMDD, the latest day counted
    PRIMARY KEY (month, host_id, kind)
) WITHOUT ROWID;
INSERT INTO activity_tally (month, host_id, kind, n, last_day)
    SELECT day / 100, host_id, kind, count(*), max(day) FROM activity GROUP BY day / 100, host_id, kind;
