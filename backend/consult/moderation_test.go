package consult_test

import (
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestResolveAndReopen(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		th := f.thread(t, f.land, domain.KindFrage, "Daten", "")
		_, err := f.svc.Resolve(ctx, f.land, th.ID, "")
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.Resolve(ctx, f.otherPate, th.ID, "")
		wantCode(t, err, domain.EFORBIDDEN)
		got, err := f.svc.Resolve(ctx, f.pate, th.ID, "Im Text präzisiert.")
		must(t, err)
		if got.Status != domain.StatusErledigt || got.Resolution != "Im Text präzisiert." || got.ResolvedBy == nil || *got.ResolvedBy != f.pate.ID {
			t.Fatalf("resolved = %+v", got)
		}
		_, err = f.svc.Resolve(ctx, f.moderator, th.ID, "")
		wantCode(t, err, domain.ECONFLICT)
		got, err = f.svc.Reopen(ctx, f.moderator, th.ID, "")
		must(t, err)
		if got.Status != domain.StatusOffen || got.ResolvedBy != nil || got.ResolvedAt != nil {
			t.Fatalf("reopened = %+v", got)
		}
		if f.auditCount(t, "thread_resolved") != 1 || f.auditCount(t, "thread_reopened") != 1 || f.auditCount(t, "denied") != 2 {
			t.Fatal("resolve/reopen/denials not audited")
		}
		p := f.thread(t, f.land, domain.KindAenderungsvorschlag, "digital", "vernetzt")
		_, err = f.svc.Resolve(ctx, f.moderator, p.ID, "")
		wantCode(t, err, domain.ECONFLICT)
	})
}

func TestHideAndReport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		th := f.thread(t, f.land, domain.KindKommentar, "Daten", "")
		bad, err := f.svc.Reply(ctx, f.land2, th.ID, "Unsachlicher Beitrag")
		must(t, err)

		_, err = f.svc.ReportComment(ctx, f.reader, bad.ID, "unsachlich")
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.ReportComment(ctx, f.land, bad.ID, "")
		wantCode(t, err, domain.EINVALID)
		rep, err := f.svc.ReportComment(ctx, f.land, bad.ID, "unsachlich")
		must(t, err)
		_, err = f.svc.ReportQueue(ctx, f.land, 0)
		wantCode(t, err, domain.EFORBIDDEN)
		q, err := f.svc.ReportQueue(ctx, f.moderator, f.strategy.ID)
		must(t, err)
		if len(q) != 1 || q[0].ID != rep.ID || q[0].Reason != "unsachlich" {
			t.Fatalf("queue = %+v", q)
		}

		_, err = f.svc.HideComment(ctx, f.pate, bad.ID, "Beleidigung")
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.HideComment(ctx, f.moderator, bad.ID, " ")
		wantCode(t, err, domain.EINVALID)
		_, err = f.svc.HideComment(ctx, f.moderator, bad.ID, "Beleidigung")
		must(t, err)
		if q, _ = f.svc.ReportQueue(ctx, f.moderator, 0); len(q) != 0 {
			t.Fatal("report stays open after hiding")
		}
		view := func(u *domain.User) *domain.Comment {
			got, err := f.svc.Thread(ctx, u, th.ID)
			must(t, err)
			return got.Comments[1]
		}
		if c := view(f.reader); c.Body != "" || !strings.Contains(c.HTML, consult.HiddenPlaceholder) || c.HiddenReason != "" {
			t.Fatalf("others see %+v", c)
		}
		if c := view(f.land2); c.Body != "Unsachlicher Beitrag" || c.HiddenReason != "Beleidigung" {
			t.Fatalf("author sees %+v", c)
		}
		if c := view(f.moderator); c.Body != "Unsachlicher Beitrag" {
			t.Fatalf("moderator sees %+v", c)
		}
		ns, _ := f.svc.Notifications(ctx, f.land2, false, 0)
		if len(ns) == 0 || ns[0].Kind != domain.NotifyHidden {
			t.Fatalf("author's notifications = %+v", ns)
		}
		stored, _ := db.FindCommentByID(ctx, bad.ID)
		if stored.Body != "Unsachlicher Beitrag" {
			t.Fatal("hidden content must stay stored")
		}

		// A hidden thread takes no replies.
		_, err = f.svc.HideThread(ctx, f.moderator, th.ID, "Werbung")
		must(t, err)
		_, err = f.svc.Reply(ctx, f.pate, th.ID, "Antwort")
		wantCode(t, err, domain.ECONFLICT)
		got, _ := db.FindThreadByID(ctx, th.ID)
		if len(got.Comments) != 2 {
			t.Fatalf("reply to a hidden thread stored: %d comments", len(got.Comments))
		}
		if f.auditCount(t, "thread_hidden") != 1 || f.auditCount(t, "comment_hidden") != 1 {
			t.Fatal("hiding not audited")
		}
	})
}

func TestPhasesAndDeadline(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		th := f.thread(t, f.land, domain.KindKommentar, "Daten", "")
		text, v := f.text(t)
		s, e := find(t, text, "digital")
		req := consult.NewThread{SectionID: f.section.ID, Kind: domain.KindKommentar, Start: s, End: e, Version: v, Body: "x"}

		closes := *f.phase.ClosesAt
		f.Set(closes.Add(-time.Second))
		_, err := f.svc.CreateThread(ctx, f.land, req)
		must(t, err)
		f.Set(closes.Add(time.Second))
		_, err = f.svc.CreateThread(ctx, f.land, req)
		wantCode(t, err, domain.EFORBIDDEN)
		if msg := domain.ErrorMessage(err); !strings.Contains(msg, "endete am "+consult.Berlin(closes)) {
			t.Fatalf("deadline message %q does not name %s", msg, consult.Berlin(closes))
		}
		prop := req
		prop.Kind, prop.Replacement = domain.KindAenderungsvorschlag, "analog"
		_, err = f.svc.CreateThread(ctx, f.land, prop)
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.Reply(ctx, f.land2, th.ID, "noch etwas")
		wantCode(t, err, domain.EFORBIDDEN)
		// Nothing of the round changes after its deadline, whoever asks.
		_, err = f.svc.Reply(ctx, f.pate, th.ID, "Antwort der Themenpaten")
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.Reply(ctx, f.moderator, th.ID, "Antwort der Moderation")
		wantCode(t, err, domain.EFORBIDDEN)

		// auswertung: participants read but do not write.
		must(t, db.AddPhase(ctx, &domain.Phase{StrategyID: f.strategy.ID, Kind: domain.PhaseAuswertung}))
		if _, err := f.svc.SectionThreads(ctx, f.land, f.section.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Reply(ctx, f.land, th.ID, "x")
		wantCode(t, err, domain.EFORBIDDEN)

		// entwurf: participants neither see nor discuss; Themenpaten do.
		must(t, db.AddPhase(ctx, &domain.Phase{StrategyID: f.strategy.ID, Kind: domain.PhaseEntwurf}))
		_, err = f.svc.SectionThreads(ctx, f.land, f.section.ID)
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.Thread(ctx, f.land, th.ID)
		wantCode(t, err, domain.ENOTFOUND)
		_, err = f.svc.CreateThread(ctx, f.otherPate, req)
		must(t, err)

		// beschlossen: read-only for everyone.
		must(t, db.AddPhase(ctx, &domain.Phase{StrategyID: f.strategy.ID, Kind: domain.PhaseBeschlossen}))
		_, err = f.svc.Reply(ctx, f.moderator, th.ID, "x")
		wantCode(t, err, domain.EFORBIDDEN)
	})
}

func TestDismissReport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		th := f.thread(t, f.land, domain.KindKommentar, "Daten", "")
		c, err := f.svc.Reply(ctx, f.land2, th.ID, "Sachlich, aber deutlich")
		must(t, err)
		rep, err := f.svc.ReportComment(ctx, f.land, c.ID, "zu scharf")
		must(t, err)
		q, err := f.svc.ReportQueue(ctx, f.moderator, 0)
		must(t, err)
		if len(q) != 1 || q[0].ReporterName != f.land.Name {
			t.Fatalf("queue = %+v, want the reporter %q named", q, f.land.Name)
		}

		_, err = f.svc.DismissReport(ctx, f.land, rep.ID, "")
		wantCode(t, err, domain.EFORBIDDEN)
		before := f.auditCount(t, "report_dismissed")
		got, err := f.svc.DismissReport(ctx, f.moderator, rep.ID, "im Rahmen")
		must(t, err)
		if got.Open || got.ID != rep.ID || got.ReporterName != f.land.Name {
			t.Fatalf("dismissed = %+v", got)
		}
		if n := f.auditCount(t, "report_dismissed"); n != before+1 {
			t.Fatalf("audit entries report_dismissed = %d, want %d", n, before+1)
		}
		if q, _ = f.svc.ReportQueue(ctx, f.moderator, 0); len(q) != 0 {
			t.Fatalf("queue after dismissing = %+v", q)
		}
		_, err = f.svc.DismissReport(ctx, f.moderator, rep.ID, "")
		wantCode(t, err, domain.ENOTFOUND)
		// The comment stays visible.
		got2, err := f.svc.Thread(ctx, f.reader, th.ID)
		must(t, err)
		if got2.Comments[1].Hidden {
			t.Fatal("dismissing hid the comment")
		}
	})
}
