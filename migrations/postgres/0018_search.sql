-- Full-text search over section texts, threads (the quoted passage and a
-- proposal's replacement), comments and statements with the German
-- configuration (stemming: "Verwaltungen" finds "Verwaltung"). Each source
-- table gets a generated tsvector column with a GIN index: every write
-- (section texts change through the op log) updates it in the same
-- statement, adding the column fills it for existing rows, and ranking
-- reads the stored vector instead of parsing every matching text again
-- (an expression index alone made a broad query 20 times slower).
-- Who may read a hit is decided by the application, never here.
ALTER TABLE sections ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('german'::regconfig, title || ' ' || text)) STORED;
CREATE INDEX sections_search_idx ON sections USING GIN (search_vector);

ALTER TABLE threads ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('german'::regconfig, quote || ' ' || replacement)) STORED;
CREATE INDEX threads_search_idx ON threads USING GIN (search_vector);

ALTER TABLE comments ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('german'::regconfig, body)) STORED;
CREATE INDEX comments_search_idx ON comments USING GIN (search_vector);

ALTER TABLE statements ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('german'::regconfig, body)) STORED;
CREATE INDEX statements_search_idx ON statements USING GIN (search_vector);
