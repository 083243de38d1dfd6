-- Full-text search over section texts, threads (the quoted passage and a
-- proposal's replacement), comments and statements. One FTS5 table holds a
-- row per searchable text; its rowid encodes the source as id*8 + kind
-- (1 section, 2 thread, 3 comment, 4 statement), so triggers on the source
-- tables keep it current (section texts change through the op log, which
-- updates sections.text) and a hit joins back to its row by primary key.
-- Who may read a hit is decided by the application, never here.
CREATE VIRTUAL TABLE search_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');

INSERT INTO search_fts (rowid, body) SELECT id * 8 + 1, title || char(10) || text FROM sections;
INSERT INTO search_fts (rowid, body) SELECT id * 8 + 2, quote || char(10) || replacement FROM threads;
INSERT INTO search_fts (rowid, body) SELECT id * 8 + 3, body FROM comments;
INSERT INTO search_fts (rowid, body) SELECT id * 8 + 4, body FROM statements;

CREATE TRIGGER sections_search_insert AFTER INSERT ON sections BEGIN
    INSERT INTO search_fts (rowid, body) VALUES (NEW.id * 8 + 1, NEW.title || char(10) || NEW.text);
END;
CREATE TRIGGER sections_search_update AFTER UPDATE OF title, text ON sections BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.id * 8 + 1;
    INSERT INTO search_fts (rowid, body) VALUES (NEW.id * 8 + 1, NEW.title || char(10) || NEW.text);
END;
CREATE TRIGGER sections_search_delete AFTER DELETE ON sections BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.id * 8 + 1;
END;

CREATE TRIGGER threads_search_insert AFTER INSERT ON threads BEGIN
    INSERT INTO search_fts (rowid, body) VALUES (NEW.id * 8 + 2, NEW.quote || char(10) || NEW.replacement);
END;
CREATE TRIGGER threads_search_update AFTER UPDATE OF quote, replacement ON threads BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.id * 8 + 2;
    INSERT INTO search_fts (rowid, body) VALUES (NEW.id * 8 + 2, NEW.quote || char(10) || NEW.replacement);
END;
CREATE TRIGGER threads_search_delete AFTER DELETE ON threads BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.id * 8 + 2;
END;

CREATE TRIGGER comments_search_insert AFTER INSERT ON comments BEGIN
    INSERT INTO search_fts (rowid, body) VALUES (NEW.id * 8 + 3, NEW.body);
END;
CREATE TRIGGER comments_search_update AFTER UPDATE OF body ON comments BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.id * 8 + 3;
    INSERT INTO search_fts (rowid, body) VALUES (NEW.id * 8 + 3, NEW.body);
END;
CREATE TRIGGER comments_search_delete AFTER DELETE ON comments BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.id * 8 + 3;
END;

CREATE TRIGGER statements_search_insert AFTER INSERT ON statements BEGIN
    INSERT INTO search_fts (rowid, body) VALUES (NEW.id * 8 + 4, NEW.body);
END;
CREATE TRIGGER statements_search_update AFTER UPDATE OF body ON statements BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.id * 8 + 4;
    INSERT INTO search_fts (rowid, body) VALUES (NEW.id * 8 + 4, NEW.body);
END;
CREATE TRIGGER statements_search_delete AFTER DELETE ON statements BEGIN
    DELETE FROM search_fts WHERE rowid = OLD.id * 8 + 4;
END;
