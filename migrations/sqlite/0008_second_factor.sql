-- TOTP second factor (RFC 6238) for local accounts. The secret is kept
-- until the factor is removed and never shown again after enrolment; the
-- row exists with confirmed_at NULL while enrolment waits for a first code.
-- last_step is the last accepted time step: a code is taken by raising it
-- in one conditional update, so the same code is never accepted twice,
-- whichever instance sees it.
CREATE TABLE user_totp (
    user_id      INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    last_step    INTEGER NOT NULL DEFAULT 0,
    created_at   DATETIME NOT NULL,
    confirmed_at DATETIME
);

-- Single-use recovery codes, stored as SHA-256 hashes.
CREATE TABLE user_recovery_codes (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash    TEXT NOT NULL,
    used_at DATETIME,
    PRIMARY KEY (user_id, hash)
);

-- A password that was right but still waits for its second factor. The
-- browser holds a random token in a short-lived cookie; only its hash is
-- stored. It grants no access to anything but the second step.
CREATE TABLE login_challenges (
    id         TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at DATETIME NOT NULL
);
CREATE INDEX login_challenges_expires_at_idx ON login_challenges (expires_at);
