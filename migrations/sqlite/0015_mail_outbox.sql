-- E-mail outbox. A mail is a row here, written in the same transaction as
-- the event that causes it (a notification, a submitted Stellungnahme, an
-- issued reset code, a reminder), so a crash or an SMTP outage loses
-- nothing. Workers on any instance claim a row with a lease
-- (claimed_until); a row is sent by whoever holds the lease and marked
-- sent in the same statement that checks the lease. dedupe_key makes
-- periodic enqueueing (reminders) idempotent across instances.
CREATE TABLE mail_jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL CHECK (kind <> ''),
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    payload       TEXT NOT NULL DEFAULT '{}',
    dedupe_key    TEXT UNIQUE,
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'skipped', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    run_at        DATETIME NOT NULL,
    claimed_by    TEXT,
    claimed_until DATETIME,
    last_error    TEXT NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    done_at       DATETIME
);
CREATE INDEX mail_jobs_due_idx ON mail_jobs (state, run_at, id);

-- Per-user choice for notification mails: 'sofort' (one mail per
-- notification), 'täglich' (one digest a day) or 'aus'. No row means
-- 'sofort'.
CREATE TABLE mail_preferences (
    user_id       INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    notifications TEXT NOT NULL CHECK (notifications IN ('sofort', 'täglich', 'aus')),
    updated_at    DATETIME NOT NULL
);
