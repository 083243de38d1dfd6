-- Consultation rounds own their contributions. A round is a beteiligung
-- phase: a thread records the round it was started in (NULL for threads
-- started outside any round, by Themenpaten or moderators on drafts), so
-- that a later phase or a second round never moves it out of its round's
-- report. Statements already carry their phase.
ALTER TABLE threads ADD COLUMN phase_id INTEGER REFERENCES phases(id) ON DELETE SET NULL;
CREATE INDEX threads_phase_id_idx ON threads (phase_id, id);

-- Existing threads belong to the phase that was current when they were
-- started, if that phase was a beteiligung.
UPDATE threads SET phase_id = (
    SELECT p.id FROM phases p
    WHERE p.strategy_id = threads.strategy_id AND p.started_at <= threads.created_at
    ORDER BY p.started_at DESC, p.id DESC LIMIT 1);
UPDATE threads SET phase_id = NULL
    WHERE phase_id IS NOT NULL AND phase_id NOT IN (SELECT id FROM phases WHERE kind = 'beteiligung');

-- The scope of a round: the sections it consults on. A round without rows
-- here consults on every section of its strategy.
CREATE TABLE phase_sections (
    phase_id   INTEGER NOT NULL REFERENCES phases(id) ON DELETE CASCADE,
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    PRIMARY KEY (phase_id, section_id)
);

-- Named versions: the text of a section frozen at one op-log version, such
-- as the Beteiligungsfassung of a round (phase_id set), which contributions
-- cite by line. A line is a paragraph (see docs/architecture.md).
CREATE TABLE named_versions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    phase_id   INTEGER REFERENCES phases(id) ON DELETE SET NULL,
    version    INTEGER NOT NULL CHECK (version >= 0),
    text       TEXT NOT NULL,
    name       TEXT NOT NULL CHECK (name <> ''),
    created_by INTEGER,
    created_at DATETIME NOT NULL
);
CREATE INDEX named_versions_section_id_idx ON named_versions (section_id, id);

-- The lines (paragraphs) of its round's Beteiligungsfassung a thread refers
-- to, computed when it was started; NULL where there was none.
ALTER TABLE threads ADD COLUMN line_from INTEGER;
ALTER TABLE threads ADD COLUMN line_to INTEGER;
