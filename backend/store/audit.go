package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

type auditRow struct {
	ID      int64 `gorm:"primaryKey"`
	At      time.Time
	ActorID *int64
	OrgCode string
	Action  string
	Target  string
	Detail  string
	// ActorName is read from the users table when listing, never written.
	ActorName string `gorm:"->"`
}

func (auditRow) TableName() string { return "audit_events" }

// Audit listing limits: the default page and the largest page served.
const (
	defaultAuditLimit = 100
	maxAuditLimit     = 1000
)

// AppendAudit inserts e, setting ID and At (if zero). EINVALID without an
// action. The table rejects updates and deletes by trigger.
func (db *DB) AppendAudit(ctx context.Context, e *domain.AuditEvent) error {
	e.Action = strings.TrimSpace(e.Action)
	if e.Action == "" {
		return domain.Invalid("action", "Aktion fehlt.")
	}
	at := e.At
	if at.IsZero() {
		at = db.now()
	}
	row := auditRow{At: utc(at), ActorID: e.ActorID, OrgCode: e.OrgCode, Action: e.Action,
		Target: e.Target, Detail: e.Detail}
	if err := db.tx(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error }); err != nil {
		return fmt.Errorf("append audit event: %w", err)
	}
	e.ID, e.At = row.ID, row.At
	return nil
}

// FindAuditEvents lists events newest first. Limit defaults to 100 and is
// capped at 1000; a negative limit or offset is EINVALID.
func (db *DB) FindAuditEvents(ctx context.Context, f domain.AuditFilter) ([]*domain.AuditEvent, error) {
	if f.Limit < 0 {
		return nil, domain.Invalid("limit", "Die Anzahl darf nicht negativ sein.")
	}
	if f.Offset < 0 {
		return nil, domain.Invalid("offset", "Der Versatz darf nicht negativ sein.")
	}
	limit := f.Limit
	if limit == 0 {
		limit = defaultAuditLimit
	}
	limit = min(limit, maxAuditLimit)
	q := db.conn(ctx).Table("audit_events AS a").
		Select("a.id, a.at, a.actor_id, a.org_code, a.action, a.target, a.detail, COALESCE(u.name, '') AS actor_name").
		Joins("LEFT JOIN users u ON u.id = a.actor_id").
		Order("a.at DESC, a.id DESC").Limit(limit).Offset(f.Offset)
	if f.Action != "" {
		q = q.Where("a.action = ?", f.Action)
	}
	if f.ActorID != nil {
		q = q.Where("a.actor_id = ?", *f.ActorID)
	}
	if f.OrgCode != "" {
		q = q.Where("a.org_code = ?", f.OrgCode)
	}
	switch {
	case strings.HasSuffix(f.Target, ":"):
		// A kind: a range on the index-friendly prefix, no LIKE escaping.
		q = q.Where("a.target >= ? AND a.target < ?", f.Target, strings.TrimSuffix(f.Target, ":")+";")
	case f.Target != "":
		q = q.Where("a.target = ?", f.Target)
	}
	if f.Since != nil {
		q = q.Where("a.at >= ?", utc(*f.Since))
	}
	var rows []auditRow
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("find audit events: %w", err)
	}
	out := make([]*domain.AuditEvent, len(rows))
	for i, r := range rows {
		out[i] = &domain.AuditEvent{ID: r.ID, At: r.At.UTC(), ActorID: r.ActorID, ActorName: r.ActorName,
			OrgCode: r.OrgCode, Action: r.Action, Target: r.Target, Detail: r.Detail}
	}
	return out, nil
}

// FindAuditActors lists the distinct actors of the log with their current
// name and organisation, ordered by name.
func (db *DB) FindAuditActors(ctx context.Context) ([]*domain.AuditActor, error) {
	var out []*domain.AuditActor
	err := db.conn(ctx).Table("users u").
		Select("u.id AS id, u.name AS name, o.code AS org_code").
		Joins("JOIN organisations o ON o.id = u.org_id").
		Where("EXISTS (SELECT 1 FROM audit_events a WHERE a.actor_id = u.id)").
		Order("u.name, u.id").Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("find audit actors: %w", err)
	}
	return out, nil
}
