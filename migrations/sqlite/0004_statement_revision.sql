-- Every save of a statement draft counts up the organisation's revision, so
-- that a save made on an older revision is refused instead of silently
-- overwriting what another member of the organisation wrote meanwhile. A
-- new version starts from the previous version's revision.
ALTER TABLE statements ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
UPDATE statements SET revision = version WHERE submitted_at IS NULL;
