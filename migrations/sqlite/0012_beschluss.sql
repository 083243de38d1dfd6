-- Decisions of the IT-Planungsrat: the role of the voting members, the
-- Königsteiner Schlüssel per year, Beschlussvorlagen with the frozen text of
-- their sections, one vote per member organisation, and the Beschluss
-- number given on adoption.

-- SQLite cannot change a CHECK constraint: the table is rebuilt.
CREATE TABLE user_roles_new (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'themenpate', 'land', 'reader', 'stimmberechtigt')),
    PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles_new (user_id, role) SELECT user_id, role FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_new RENAME TO user_roles;

-- Shares are in units of 1/100000 % (12.96662 % is 1296662), so that sums
-- and the two-thirds test are exact.
CREATE TABLE koenigsteiner_keys (
    year       INTEGER PRIMARY KEY CHECK (year BETWEEN 1949 AND 9999),
    source     TEXT NOT NULL CHECK (source <> ''),
    updated_at DATETIME NOT NULL
);
CREATE TABLE koenigsteiner_shares (
    year  INTEGER NOT NULL REFERENCES koenigsteiner_keys(year) ON DELETE CASCADE,
    land  TEXT NOT NULL,
    share INTEGER NOT NULL CHECK (share > 0),
    PRIMARY KEY (year, land)
);
INSERT INTO koenigsteiner_keys (year, source, updated_at) VALUES
    (2016, 'Gemeinsame Wissenschaftskonferenz (GWK): Königsteiner Schlüssel 2016', strftime('%Y-%m-%d %H:%M:%S', 'now'));
INSERT INTO koenigsteiner_shares (year, land, share) VALUES
    (2016, 'BW', 1296662), (2016, 'BY', 1553327), (2016, 'BE', 508324), (2016, 'BB', 303655),
    (2016, 'HB', 95331), (2016, 'HH', 255752), (2016, 'HE', 739885), (2016, 'MV', 201240),
    (2016, 'NI', 933138), (2016, 'NW', 2114424), (2016, 'RP', 483089), (2016, 'SL', 121111),
    (2016, 'SN', 505577), (2016, 'ST', 279941), (2016, 'SH', 339074), (2016, 'TH', 269470);

CREATE TABLE beschluesse (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    strategy_id       INTEGER NOT NULL REFERENCES strategies(id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    decision_text     TEXT NOT NULL,
    rule              TEXT NOT NULL CHECK (rule IN ('einstimmig', 'rechtsverbindlich', 'empfehlung')),
    abstention_blocks BOOLEAN NOT NULL DEFAULT 0,
    only_agreeing     BOOLEAN NOT NULL DEFAULT 0,
    procedure         TEXT NOT NULL CHECK (procedure IN ('umlauf', 'sitzung')),
    deadline          DATETIME,
    key_year          INTEGER REFERENCES koenigsteiner_keys(year),
    text_hash         TEXT NOT NULL,
    outcome           TEXT NOT NULL DEFAULT 'offen' CHECK (outcome IN ('offen', 'angenommen', 'abgelehnt')),
    number_year       INTEGER,
    number_seq        INTEGER,
    decided_at        DATETIME,
    created_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at        DATETIME NOT NULL,
    UNIQUE (number_year, number_seq)
);
CREATE INDEX beschluesse_strategy_id_idx ON beschluesse (strategy_id, id);

-- The frozen text: what the Vorlage puts to the vote, kept even if the
-- section is edited or deleted later.
CREATE TABLE beschluss_sections (
    beschluss_id INTEGER NOT NULL REFERENCES beschluesse(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    section_id   INTEGER NOT NULL,
    title        TEXT NOT NULL,
    version      INTEGER NOT NULL,
    text         TEXT NOT NULL,
    PRIMARY KEY (beschluss_id, position)
);
CREATE INDEX beschluss_sections_section_id_idx ON beschluss_sections (section_id);

-- One vote per member organisation; a later vote replaces the earlier one.
CREATE TABLE beschluss_votes (
    beschluss_id INTEGER NOT NULL REFERENCES beschluesse(id) ON DELETE CASCADE,
    org_code     TEXT NOT NULL,
    vote         TEXT NOT NULL CHECK (vote IN ('zustimmung', 'ablehnung', 'enthaltung')),
    declaration  TEXT NOT NULL DEFAULT '',
    cast_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    recorded     BOOLEAN NOT NULL DEFAULT 0,
    cast_at      DATETIME NOT NULL,
    PRIMARY KEY (beschluss_id, org_code)
);
