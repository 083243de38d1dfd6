-- Retention of the audit log. The log stays append-only with one exception:
-- the retention janitor may delete entries older than the retention period.
-- It records its cutoff in audit_purge inside the deleting transaction (and
-- clears it before committing); the trigger lets a deletion pass only for a
-- row older than that cutoff and older than 30 days by the database's own
-- clock, the shortest retention accepted. Any other DELETE, and every
-- UPDATE, is still refused.
CREATE TABLE audit_purge (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    cutoff DATETIME
);
INSERT INTO audit_purge (id, cutoff) VALUES (1, NULL);

DROP TRIGGER audit_events_no_delete;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT (OLD.at < coalesce((SELECT cutoff FROM audit_purge WHERE id = 1), '')
          AND OLD.at < strftime('%Y-%m-%d %H:%M:%S', 'now', '-30 days'))
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: only entries older than the retention period may be deleted');
END;

-- The janitor deletes notifications by age.
CREATE INDEX notifications_created_at_idx ON notifications (created_at);
