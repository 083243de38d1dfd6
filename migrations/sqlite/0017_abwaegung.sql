-- The Auswertung of a consultation round: the drafting side's assessment
-- (Abwägung) of every contribution, the points a statement is split into
-- for it, the publication of a round's Abwägung, and Mitzeichnungen (an
-- organisation joining another organisation's thread).

-- One row per organisation that joined a thread. The primary key makes a
-- second Mitzeichnung of the same organisation a no-op, also when two
-- members click at once.
CREATE TABLE cosignatures (
    thread_id  INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    org_id     INTEGER NOT NULL REFERENCES organisations(id),
    user_id    INTEGER NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (thread_id, org_id)
);

-- A point of a submitted statement version: an excerpt of its text that is
-- assessed on its own, optionally tied to the section it is about.
CREATE TABLE statement_points (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    statement_id INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    section_id   INTEGER REFERENCES sections(id) ON DELETE SET NULL,
    excerpt      TEXT NOT NULL CHECK (excerpt <> ''),
    created_by   INTEGER NOT NULL,
    created_at   DATETIME NOT NULL
);
CREATE INDEX statement_points_statement_id_idx ON statement_points (statement_id, id);

-- The assessment of one contribution: a thread of a round or a statement
-- point. version is the section's version in which it was taken into
-- account, if any.
CREATE TABLE assessments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    phase_id   INTEGER NOT NULL REFERENCES phases(id) ON DELETE CASCADE,
    thread_id  INTEGER UNIQUE REFERENCES threads(id) ON DELETE CASCADE,
    point_id   INTEGER UNIQUE REFERENCES statement_points(id) ON DELETE CASCADE,
    category   TEXT NOT NULL CHECK (category IN ('beruecksichtigt', 'teilweise_beruecksichtigt', 'nicht_beruecksichtigt', 'zur_kenntnis_genommen')),
    reason     TEXT NOT NULL DEFAULT '',
    version    INTEGER CHECK (version >= 0),
    updated_by INTEGER NOT NULL,
    updated_at DATETIME NOT NULL,
    CHECK ((thread_id IS NULL) <> (point_id IS NULL))
);
CREATE INDEX assessments_phase_id_idx ON assessments (phase_id, id);

-- A round's Abwägung is published once; from then on participants see it.
CREATE TABLE abwaegung_publications (
    phase_id     INTEGER PRIMARY KEY REFERENCES phases(id) ON DELETE CASCADE,
    published_by INTEGER NOT NULL,
    published_at DATETIME NOT NULL
);
