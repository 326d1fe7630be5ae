-- Schema version 2: undoing imports (`gongyu revert`) is recorded as an event of its own.
CREATE TABLE revert (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL UNIQUE REFERENCES batch (id),  -- the batch undone
    reverted_at TEXT    NOT NULL,                               -- RFC 3339, UTC
    os_user     TEXT    NOT NULL,
    activities_removed INTEGER NOT NULL DEFAULT 0
);
-- Reports and imports look activities up by host within a term and by batch.
CREATE INDEX IF NOT EXISTS activity_host ON activity (host_id);
