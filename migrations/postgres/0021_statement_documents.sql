-- A Stellungnahme's text is a live document like a section's: the op log
-- below is its history, statements.body its head at doc_version. A draft
-- stored before this migration becomes a document with its text at
-- version 0; nothing else changes for it.
ALTER TABLE statements ADD COLUMN doc_version BIGINT NOT NULL DEFAULT 0;

-- The same shape as ops; user_id has no foreign key for the same reason.
CREATE TABLE statement_ops (
    statement_id BIGINT      NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    version      BIGINT      NOT NULL,
    op           TEXT        NOT NULL,
    user_id      BIGINT      NOT NULL,
    client_id    TEXT        NOT NULL,
    seq          BIGINT      NOT NULL,
    inserted     INTEGER     NOT NULL DEFAULT 0,
    deleted      INTEGER     NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (statement_id, version),
    UNIQUE (statement_id, client_id, seq)
);

CREATE TABLE statement_snapshots (
    statement_id BIGINT      NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    version      BIGINT      NOT NULL,
    text         TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (statement_id, version)
);
