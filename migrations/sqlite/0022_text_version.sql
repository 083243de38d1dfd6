-- The head row of a live document holds its version and the text at
-- text_version (statements: body at body_version), which may be older: a
-- long text is written only when the document has been idle for a moment,
-- so that a commit's cost does not grow with the text. Readers rebuild the
-- head from the stored text or a newer snapshot, with the ops since. Texts
-- stored so far are current.
ALTER TABLE sections ADD COLUMN text_version INTEGER NOT NULL DEFAULT 0;
UPDATE sections SET text_version = version WHERE text_version <> version;
ALTER TABLE statements ADD COLUMN body_version INTEGER NOT NULL DEFAULT 0;
-- Submitted statements are frozen by a trigger (0003); this only records
-- what already holds.
DROP TRIGGER statements_frozen;
UPDATE statements SET body_version = doc_version WHERE body_version <> doc_version;
CREATE TRIGGER statements_frozen BEFORE UPDATE ON statements
WHEN OLD.submitted_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a submitted statement is frozen');
END;
