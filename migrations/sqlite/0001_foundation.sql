-- Foundation: organisations, accounts, sessions, strategies with their
-- topics, sections and phases, and the append-only audit log.
-- Times are DATETIME columns (so the driver returns time.Time) holding UTC
-- text written by the application in one fixed format, so they compare as
-- strings.

CREATE TABLE organisations (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('bund', 'land', 'fitko', 'kommunal'))
);

INSERT INTO organisations (code, name, kind) VALUES
    ('BUND', 'Bund', 'bund'),
    ('BW', 'Baden-Württemberg', 'land'),
    ('BY', 'Bayern', 'land'),
    ('BE', 'Berlin', 'land'),
    ('BB', 'Brandenburg', 'land'),
    ('HB', 'Bremen', 'land'),
    ('HH', 'Hamburg', 'land'),
    ('HE', 'Hessen', 'land'),
    ('MV', 'Mecklenburg-Vorpommern', 'land'),
    ('NI', 'Niedersachsen', 'land'),
    ('NW', 'Nordrhein-Westfalen', 'land'),
    ('RP', 'Rheinland-Pfalz', 'land'),
    ('SL', 'Saarland', 'land'),
    ('SN', 'Sachsen', 'land'),
    ('ST', 'Sachsen-Anhalt', 'land'),
    ('SH', 'Schleswig-Holstein', 'land'),
    ('TH', 'Thüringen', 'land'),
    ('FITKO', 'FITKO (Föderale IT-Kooperation)', 'fitko'),
    ('DLT', 'Deutscher Landkreistag', 'kommunal'),
    ('DST', 'Deutscher Städtetag', 'kommunal'),
    ('DStGB', 'Deutscher Städte- und Gemeindebund', 'kommunal');

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL CHECK (email <> ''),
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    org_id        INTEGER NOT NULL REFERENCES organisations(id),
    disabled      BOOLEAN NOT NULL DEFAULT 0,
    created_at    DATETIME NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_org_id_idx ON users (org_id);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'themenpate', 'land', 'reader')),
    PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY, -- SHA-256 of the cookie token
    public_id    TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id, created_at);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
CREATE INDEX sessions_last_seen_at_idx ON sessions (last_seen_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   DATETIME NOT NULL,
    last_used_at DATETIME
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id, created_at);

CREATE TABLE strategies (
    id                       INTEGER PRIMARY KEY AUTOINCREMENT,
    title                    TEXT NOT NULL,
    description              TEXT NOT NULL DEFAULT '',
    edit_during_consultation BOOLEAN NOT NULL DEFAULT 0,
    statements_public        BOOLEAN NOT NULL DEFAULT 0,
    created_at               DATETIME NOT NULL
);

CREATE TABLE topics (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    strategy_id INTEGER NOT NULL REFERENCES strategies(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    position    INTEGER NOT NULL
);
CREATE INDEX topics_strategy_id_idx ON topics (strategy_id, position);

CREATE TABLE topic_sponsors (
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    org_id   INTEGER NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (topic_id, org_id)
);

-- Themenpaten and the topics whose sections they edit.
CREATE TABLE user_topics (
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, topic_id)
);
CREATE INDEX user_topics_topic_id_idx ON user_topics (topic_id);

CREATE TABLE sections (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    strategy_id INTEGER NOT NULL REFERENCES strategies(id) ON DELETE CASCADE,
    topic_id    INTEGER REFERENCES topics(id) ON DELETE SET NULL,
    part        TEXT NOT NULL CHECK (part IN ('dachstrategie', 'schwerpunktthemen', 'umsetzungsvorhaben')),
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    text        TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'consultation', 'final')),
    updated_at  DATETIME NOT NULL
);
CREATE INDEX sections_strategy_id_idx ON sections (strategy_id, position);
CREATE INDEX sections_topic_id_idx ON sections (topic_id);

-- Phase history; the row with the highest id is the current phase.
CREATE TABLE phases (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    strategy_id INTEGER NOT NULL REFERENCES strategies(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('entwurf', 'beteiligung', 'auswertung', 'beschlossen')),
    title       TEXT NOT NULL DEFAULT '',
    opens_at    DATETIME,
    closes_at   DATETIME,
    started_at  DATETIME NOT NULL,
    actor_id    INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX phases_strategy_id_idx ON phases (strategy_id, id);

-- Append-only: actor_id has no foreign key so that events outlive accounts,
-- and the triggers below reject every UPDATE and DELETE.
CREATE TABLE audit_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       DATETIME NOT NULL,
    actor_id INTEGER,
    org_code TEXT NOT NULL DEFAULT '',
    action   TEXT NOT NULL CHECK (action <> ''),
    target   TEXT NOT NULL DEFAULT '',
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_at_idx ON audit_events (at, id);
CREATE INDEX audit_events_action_idx ON audit_events (action, at);
CREATE INDEX audit_events_actor_id_idx ON audit_events (actor_id, at);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
