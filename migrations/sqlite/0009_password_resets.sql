-- One-time password reset codes issued by an administrator. Only the
-- SHA-256 of a code is stored; a code is valid until expires_at and only
-- once (used_at). A user has at most one open code: a new one replaces it.
CREATE TABLE password_resets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL UNIQUE,
    created_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at  DATETIME NOT NULL,
    expires_at  DATETIME NOT NULL,
    used_at     DATETIME
);
CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);
