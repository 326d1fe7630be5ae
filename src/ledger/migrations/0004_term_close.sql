-- Schema version 4: closing terms (SPEC §12). A term is closed while its latest event is
-- a close; every close and reopen is kept, with who, when, and the note or reason.
CREATE TABLE term_event (
    id      INTEGER PRIMARY KEY,
    term    TEXT    NOT NULL,                                  -- canonical, e.g. 2020-2021-1
    action  TEXT    NOT NULL CHECK (action = 'close' OR action = 'reopen'),
    at      TEXT    NOT NULL,                                  -- RFC 3339, UTC
    os_user TEXT    NOT NULL,
    note    TEXT                                               -- a close's note, a reopen's reason
);
CREATE INDEX term_event_term ON term_event (term, id);
