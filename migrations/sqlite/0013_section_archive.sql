-- A section that has contributions (threads, proposals, named versions,
-- Beschluss texts, edits beyond its first operation) is archived instead
-- of deleted: it leaves the table of contents and the editor but stays in
-- the reports and the history.
ALTER TABLE sections ADD COLUMN archived_at DATETIME;
