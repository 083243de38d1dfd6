-- Full-text search over section texts, threads (the quoted passage and a
-- proposal's replacement), comments and statements with the German
-- configuration (stemming: "Verwaltungen" finds "Verwaltung"). Expression
-- indexes rather than stored tsvector columns: nothing to keep in step,
-- every write (section texts change through the op log) updates the index
-- in the same transaction, and reads of the rows do not carry the vectors.
-- Queries must repeat these expressions exactly (store/search.go).
-- Who may read a hit is decided by the application, never here.
CREATE INDEX sections_search_idx ON sections USING GIN (to_tsvector('german'::regconfig, title || ' ' || text));
CREATE INDEX threads_search_idx ON threads USING GIN (to_tsvector('german'::regconfig, quote || ' ' || replacement));
CREATE INDEX comments_search_idx ON comments USING GIN (to_tsvector('german'::regconfig, body));
CREATE INDEX statements_search_idx ON statements USING GIN (to_tsvector('german'::regconfig, body));
