-- The consultation: threads anchored to passages of a section, their
-- comments, reports to the moderators, organisations' statements and each
-- user's notification feed.

-- The anchor (anchor_start, anchor_end at anchor_version) is brought up to
-- date lazily from the op log; quote keeps the passage as first quoted.
CREATE TABLE threads (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    strategy_id      INTEGER NOT NULL REFERENCES strategies(id) ON DELETE CASCADE,
    section_id       INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    author_id        INTEGER NOT NULL,
    org_id           INTEGER NOT NULL REFERENCES organisations(id),
    kind             TEXT NOT NULL CHECK (kind IN ('kommentar', 'frage', 'aenderungsvorschlag', 'zustimmung', 'einwand')),
    status           TEXT NOT NULL DEFAULT 'offen' CHECK (status IN ('offen', 'erledigt', 'uebernommen', 'abgelehnt')),
    anchor_start     INTEGER NOT NULL CHECK (anchor_start >= 0),
    anchor_end       INTEGER NOT NULL CHECK (anchor_end >= anchor_start),
    anchor_version   INTEGER NOT NULL,
    anchor_removed   BOOLEAN NOT NULL DEFAULT 0,
    quote            TEXT NOT NULL,
    replacement      TEXT NOT NULL DEFAULT '',
    affected         BOOLEAN NOT NULL DEFAULT 0,
    resolution       TEXT NOT NULL DEFAULT '',
    resolved_by      INTEGER,
    resolved_at      DATETIME,
    accepted_by      INTEGER,
    accepted_version INTEGER,
    hidden           BOOLEAN NOT NULL DEFAULT 0,
    hidden_reason    TEXT NOT NULL DEFAULT '',
    hidden_by        INTEGER,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL
);
CREATE INDEX threads_section_id_idx ON threads (section_id, id);
CREATE INDEX threads_strategy_id_idx ON threads (strategy_id, status);

CREATE TABLE comments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id     INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    author_id     INTEGER NOT NULL,
    body          TEXT NOT NULL CHECK (body <> ''),
    html          TEXT NOT NULL,
    edited_at     DATETIME,
    hidden        BOOLEAN NOT NULL DEFAULT 0,
    hidden_reason TEXT NOT NULL DEFAULT '',
    hidden_by     INTEGER,
    created_at    DATETIME NOT NULL
);
CREATE INDEX comments_thread_id_idx ON comments (thread_id, id);

CREATE TABLE comment_reports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id  INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    reporter_id INTEGER NOT NULL,
    reason      TEXT NOT NULL CHECK (reason <> ''),
    open        BOOLEAN NOT NULL DEFAULT 1,
    created_at  DATETIME NOT NULL
);
CREATE INDEX comment_reports_open_idx ON comment_reports (open, id);

-- One row per statement version; a submitted version never changes.
CREATE TABLE statements (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    strategy_id  INTEGER NOT NULL REFERENCES strategies(id) ON DELETE CASCADE,
    phase_id     INTEGER NOT NULL REFERENCES phases(id) ON DELETE CASCADE,
    org_id       INTEGER NOT NULL REFERENCES organisations(id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    position     TEXT NOT NULL DEFAULT '' CHECK (position IN ('', 'zustimmung', 'zustimmung_mit_aenderungen', 'ablehnung', 'enthaltung')),
    body         TEXT NOT NULL DEFAULT '',
    html         TEXT NOT NULL DEFAULT '',
    updated_by   INTEGER NOT NULL,
    updated_at   DATETIME NOT NULL,
    submitted_by INTEGER,
    submitted_at DATETIME,
    created_at   DATETIME NOT NULL,
    UNIQUE (phase_id, org_id, version)
);

CREATE TRIGGER statements_frozen BEFORE UPDATE ON statements
WHEN OLD.submitted_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a submitted statement is frozen');
END;

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    strategy_id INTEGER NOT NULL DEFAULT 0,
    thread_id   INTEGER,
    dedupe_key  TEXT,
    created_at  DATETIME NOT NULL,
    read_at     DATETIME
);
CREATE INDEX notifications_user_id_idx ON notifications (user_id, id);
CREATE UNIQUE INDEX notifications_dedupe_key ON notifications (user_id, dedupe_key);

CREATE INDEX ops_created_at_idx ON ops (section_id, created_at);
