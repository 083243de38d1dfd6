-- The append-only op log of every section (ShareDB's model): the op at
-- version V turns the text at V into the text at V+1. Inserted and deleted
-- code points are stored so that the history needs no OT work to read.
-- user_id has no foreign key: the log is append-only and outlives accounts
-- (deleted accounts are pseudonymised, never removed from the log).
CREATE TABLE ops (
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    op         TEXT    NOT NULL,
    user_id    INTEGER NOT NULL,
    client_id  TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    inserted   INTEGER NOT NULL DEFAULT 0,
    deleted    INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (section_id, version),
    UNIQUE (section_id, client_id, seq)
);

-- Full texts at every Nth version so that an old version is one snapshot
-- plus fewer than N ops away.
CREATE TABLE snapshots (
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (section_id, version)
);
