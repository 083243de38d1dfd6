package domain

import (
	"context"
	"log/slog"
	"time"
)

// RecordAudit appends one audit event for actor (nil: the system or an
// anonymous caller) at the given time. The action has already happened
// when it is recorded, so a failure is logged, never returned; an
// unreachable database is reported by the outage tracking, not here.
// Every service and transport writes audit rows through this one helper.
func RecordAudit(ctx context.Context, a AuditService, log *slog.Logger, at time.Time, actor *User, action, target, detail string) {
	if a == nil {
		return
	}
	e := &AuditEvent{At: at, Action: action, Target: target, Detail: detail}
	if actor != nil {
		id := actor.ID
		e.ActorID, e.OrgCode = &id, actor.Org.Code
	}
	if err := a.AppendAudit(ctx, e); err != nil && ErrorCode(err) != EUNAVAILABLE && log != nil {
		log.ErrorContext(ctx, "audit append failed", "action", action, "target", target, "err", err)
	}
}
