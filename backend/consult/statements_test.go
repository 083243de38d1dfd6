package consult_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestStatementLifecycle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		hh := newUser(t, db, "land@hamburg.de", "HH", []domain.Role{domain.RoleLand})
		sid := f.strategy.ID

		_, err := f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Position: "vielleicht"})
		wantCode(t, err, domain.EINVALID)
		_, err = f.svc.SubmitStatement(ctx, f.land, sid)
		wantCode(t, err, domain.ENOTFOUND)
		_, err = f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Body: "Entwurf"})
		must(t, err)
		_, err = f.svc.SubmitStatement(ctx, f.land, sid)
		wantCode(t, err, domain.EINVALID) // no position yet
		// Two members of Bayern edit the same draft.
		d, err := f.svc.SaveStatement(ctx, f.land2, sid, consult.StatementInput{Position: domain.PositionZustimmungMitAenderungen, Body: "Bayern stimmt **mit Änderungen** zu."})
		must(t, err)
		if d.Version != 1 || d.UpdatedBy != f.land2.ID || d.HTML == "" {
			t.Fatalf("draft = %+v", d)
		}
		// Others neither edit nor read the draft, nor learn of it.
		_, err = f.svc.Statement(ctx, hh, sid, f.land.OrgID)
		wantCode(t, err, domain.EFORBIDDEN)
		if list, _ := f.svc.Statements(ctx, hh, sid); len(list) != 0 {
			t.Fatalf("Hamburg sees drafts: %+v", list[0])
		}
		if list, _ := f.svc.Statements(ctx, f.moderator, sid); len(list) != 1 || list[0].Version != 0 {
			t.Fatalf("moderation does not see the draft: %+v", list)
		}
		_, err = f.svc.SubmitStatement(ctx, f.pate, sid)
		wantCode(t, err, domain.EFORBIDDEN)

		var events []consult.StatementEvent
		f.svc.OnStatementEvent(func(ev consult.StatementEvent) { events = append(events, ev) })
		sub, err := f.svc.SubmitStatement(ctx, f.land, sid)
		must(t, err)
		if !sub.Submitted() || *sub.SubmittedBy != f.land.ID {
			t.Fatalf("submitted = %+v", sub)
		}
		if len(events) != 1 || events[0].Event != "submitted" || events[0].Revision != sub.Revision || events[0].By != f.land.Name {
			t.Fatalf("submission announced as %+v (statement at revision %d)", events, sub.Revision)
		}
		_, err = f.svc.SubmitStatement(ctx, f.land2, sid)
		wantCode(t, err, domain.ELOCKED)
		if f.auditCount(t, "statement_submitted") != 1 {
			t.Fatal("submission not audited")
		}

		// Editing after submission starts version 2; version 1 is frozen.
		f.Set(f.Now().Add(time.Minute))
		v2, err := f.svc.SaveStatement(ctx, f.land2, sid, consult.StatementInput{Position: domain.PositionAblehnung, Body: "Neue Fassung"})
		must(t, err)
		if v2.Version != 2 || v2.Submitted() {
			t.Fatalf("v2 = %+v", v2)
		}
		vs, err := f.svc.StatementVersions(ctx, f.moderator, sid, f.land.OrgID)
		must(t, err)
		if len(vs) != 2 || vs[0].Body != sub.Body || vs[0].Position != sub.Position || !vs[0].SubmittedAt.Equal(*sub.SubmittedAt) {
			t.Fatalf("version 1 changed: %+v", vs[0])
		}

		// Everyone sees who submitted; the position only where readable.
		list, err := f.svc.Statements(ctx, hh, sid)
		must(t, err)
		if len(list) != 1 || list[0].OrgCode != "BY" || list[0].Version != 1 || list[0].SubmittedAt == nil || list[0].Position != "" {
			t.Fatalf("overview for Hamburg = %+v", list[0])
		}
		own, err := f.svc.Statement(ctx, f.land, sid, f.land.OrgID)
		must(t, err)
		if own.Version != 2 {
			t.Fatalf("own organisation reads version %d", own.Version)
		}

		// After the deadline nothing more is submitted.
		f.Set(f.phase.ClosesAt.Add(time.Second))
		_, err = f.svc.SubmitStatement(ctx, f.land, sid)
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Body: "zu spät"})
		wantCode(t, err, domain.EFORBIDDEN)
		f.Set(f.phase.ClosesAt.Add(-time.Second))
		_, err = f.svc.SubmitStatement(ctx, f.land, sid)
		must(t, err)
	})
}

func TestPublicStatements(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, func(s *domain.Strategy) { s.StatementsPublic = true })
		hh := newUser(t, db, "land@hamburg.de", "HH", []domain.Role{domain.RoleLand})
		sid := f.strategy.ID
		_, err := f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Position: domain.PositionZustimmung, Body: "Ja."})
		must(t, err)
		_, err = f.svc.Statement(ctx, hh, sid, f.land.OrgID)
		wantCode(t, err, domain.EFORBIDDEN) // drafts stay private
		_, err = f.svc.SubmitStatement(ctx, f.land, sid)
		must(t, err)
		_, err = f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Position: domain.PositionAblehnung, Body: "Entwurf 2"})
		must(t, err)
		got, err := f.svc.Statement(ctx, hh, sid, f.land.OrgID)
		must(t, err)
		if got.Version != 1 || got.Body != "Ja." {
			t.Fatalf("Hamburg reads %+v", got)
		}
		list, _ := f.svc.Statements(ctx, hh, sid)
		if list[0].Position != domain.PositionZustimmung {
			t.Fatalf("public position hidden: %+v", list[0])
		}
	})
}

// Two members of Bayern edit the draft at once: the second save, made on
// the revision both started from, is refused with who changed it and when,
// and overwrites nothing; saved on the current revision it goes through.
func TestStatementSaveOnStaleRevision(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		sid := f.strategy.ID
		var events []consult.StatementEvent
		f.svc.OnStatementEvent(func(ev consult.StatementEvent) { events = append(events, ev) })
		first, err := f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Body: "Entwurf", BaseRevision: ptr(int64(0))})
		must(t, err)
		mine, err := f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Body: "Entwurf von Anna", BaseRevision: &first.Revision})
		must(t, err)
		_, err = f.svc.SaveStatement(ctx, f.land2, sid, consult.StatementInput{Body: "Entwurf von Bernd", BaseRevision: &first.Revision})
		wantCode(t, err, domain.ECONFLICT)
		if msg := domain.ErrorMessage(err); !strings.Contains(msg, f.land.Name) || !strings.Contains(msg, "geändert") {
			t.Fatalf("conflict message %q does not say who changed it", msg)
		}
		var de *domain.Error
		if !errors.As(err, &de) || de.Stale == nil || de.Stale.Revision != mine.Revision || de.Stale.ChangedBy != f.land.Name || de.Reason != domain.ReasonStaleRevision {
			t.Fatalf("conflict %+v does not name revision %d by %s with reason stale_revision", de, mine.Revision, f.land.Name)
		}
		if domain.ErrorFields(err) != nil {
			t.Fatalf("conflict carries field errors %v; the revision is an extension member", domain.ErrorFields(err))
		}
		cur, err := f.svc.Statement(ctx, f.land2, sid, f.land.OrgID)
		must(t, err)
		if cur.Body != "Entwurf von Anna" {
			t.Fatalf("the refused save changed the draft: %q", cur.Body)
		}
		_, err = f.svc.SaveStatement(ctx, f.land2, sid, consult.StatementInput{Body: "x", BaseRevision: ptr(int64(-1))})
		wantCode(t, err, domain.EINVALID)
		merged, err := f.svc.SaveStatement(ctx, f.land2, sid, consult.StatementInput{Body: "Entwurf von Anna und Bernd", BaseRevision: &cur.Revision})
		must(t, err)
		if merged.Revision != cur.Revision+1 || merged.UpdatedBy != f.land2.ID {
			t.Fatalf("save on the current revision: %+v", merged)
		}
		// Every save told the organisation's members live; refused ones did not.
		want := []consult.StatementEvent{
			{StrategyID: sid, OrgID: f.land.OrgID, Revision: first.Revision, By: f.land.Name, Event: "saved"},
			{StrategyID: sid, OrgID: f.land.OrgID, Revision: mine.Revision, By: f.land.Name, Event: "saved"},
			{StrategyID: sid, OrgID: f.land.OrgID, Revision: merged.Revision, By: f.land2.Name, Event: "saved"},
		}
		if !slices.Equal(events, want) {
			t.Fatalf("statement events %+v; want %+v", events, want)
		}
	})
}

func ptr[T any](v T) *T { return &v }
