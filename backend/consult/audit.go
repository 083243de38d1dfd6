package consult

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// AuditLog lists audit events, newest first, for moderators and admins.
// The log is append-only: neither this package nor any other offers a way
// to change or delete an event, and the database refuses it by trigger.
func (s *Service) AuditLog(ctx context.Context, u *domain.User, f domain.AuditFilter) ([]*domain.AuditEvent, error) {
	if err := s.check(ctx, u, policy.ViewAudit, policy.Resource{}, "audit"); err != nil {
		return nil, err
	}
	return s.d.Audit.FindAuditEvents(ctx, f)
}

// AuditActors lists the persons who appear in the audit log, for the
// filter by name. Moderators and admins only.
func (s *Service) AuditActors(ctx context.Context, u *domain.User) ([]*domain.AuditActor, error) {
	if err := s.check(ctx, u, policy.ViewAudit, policy.Resource{}, "audit"); err != nil {
		return nil, err
	}
	return s.d.Audit.FindAuditActors(ctx)
}

// auditExportMax bounds one CSV export.
const auditExportMax = 100000

// ExportAuditCSV writes the events matching f (all pages, newest first) as
// CSV with a header row. The export itself is audited.
func (s *Service) ExportAuditCSV(ctx context.Context, u *domain.User, f domain.AuditFilter, w io.Writer) error {
	if err := s.check(ctx, u, policy.ViewAudit, policy.Resource{}, "audit"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "zeit_utc", "akteur_id", "akteur_name", "organisation", "aktion", "ziel", "detail"}); err != nil {
		return err
	}
	f.Offset, f.Limit = 0, 1000
	for written := 0; written < auditExportMax; {
		evs, err := s.d.Audit.FindAuditEvents(ctx, f)
		if err != nil {
			return err
		}
		for _, e := range evs {
			actor := ""
			if e.ActorID != nil {
				actor = strconv.FormatInt(*e.ActorID, 10)
			}
			rec := []string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339), actor, cell(e.ActorName),
				cell(e.OrgCode), cell(e.Action), cell(e.Target), cell(e.Detail)}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		written += len(evs)
		if len(evs) < f.Limit {
			break
		}
		f.Offset += len(evs)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	s.audit(ctx, u, "audit_exported", "audit", "")
	return nil
}

// cell defuses values a spreadsheet would read as a formula.
func cell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
