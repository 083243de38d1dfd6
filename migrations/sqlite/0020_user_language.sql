-- The language an account reads Strategieraum in: 'de' (the default) or
-- 'en'. The UI takes it on login, and mails to the account are written in
-- it.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en'));
