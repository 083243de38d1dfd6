-- Retention of the audit log. The log stays append-only with one exception:
-- the retention janitor may delete entries older than the retention period.
-- It records its cutoff in audit_purge inside the deleting transaction (and
-- clears it before committing); the trigger lets a deletion pass only for a
-- row older than that cutoff and older than 30 days by the database's own
-- clock, the shortest retention accepted. Any other DELETE, every UPDATE
-- and TRUNCATE are still refused.
CREATE TABLE audit_purge (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    cutoff TIMESTAMPTZ
);
INSERT INTO audit_purge (id, cutoff) VALUES (1, NULL);

CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND OLD.at < (SELECT cutoff FROM audit_purge WHERE id = 1)
       AND OLD.at < now() - interval '30 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: only entries older than the retention period may be deleted'
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- The janitor deletes notifications by age.
CREATE INDEX notifications_created_at_idx ON notifications (created_at);
