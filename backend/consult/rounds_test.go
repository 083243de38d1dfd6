package consult_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// submitStatement saves and submits a statement of u's organisation.
func (f *fixture) submitStatement(t *testing.T, u *domain.User, body string) *domain.Statement {
	t.Helper()
	st, err := f.svc.SubmitStatementText(ctx, u, f.strategy.ID, consult.StatementInput{Position: domain.PositionZustimmung, Body: body})
	must(t, err)
	return st
}

// A second round (once the only way to move a deadline) used to hide every
// statement of the first: the first round keeps its statements, threads
// and report.
func TestRoundKeepsItsContributions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		sid := f.strategy.ID
		th := f.thread(t, f.land, domain.KindKommentar, "Bund und Länder", "")
		if th.PhaseID == nil || *th.PhaseID != f.phase.ID {
			t.Fatalf("thread round = %v, want %d", th.PhaseID, f.phase.ID)
		}
		f.submitStatement(t, f.land, "Bayern stimmt zu.")

		opens, closes := f.Now().Add(-time.Minute), f.Now().Add(14*24*time.Hour)
		second := &domain.Phase{StrategyID: sid, Kind: domain.PhaseBeteiligung, Title: "Zweite Runde", OpensAt: &opens, ClosesAt: &closes}
		must(t, db.AddPhase(ctx, second))

		list, err := f.svc.Statements(ctx, f.moderator, sid)
		must(t, err)
		if len(list) != 0 {
			t.Fatalf("the second round starts with statements: %+v", list)
		}
		first := consult.WithRound(ctx, f.phase.ID)
		list, err = f.svc.Statements(first, f.moderator, sid)
		must(t, err)
		if len(list) != 1 || list[0].OrgCode != "BY" || list[0].Version != 1 || list[0].PhaseID != f.phase.ID {
			t.Fatalf("first round's statements = %+v", list)
		}
		own, err := f.svc.Statement(first, f.land, sid, f.land.OrgID)
		must(t, err)
		if own.Body != "Bayern stimmt zu." || !own.Submitted() {
			t.Fatalf("own statement of the first round = %+v", own)
		}
		rep, err := f.svc.BuildReport(first, f.moderator, sid)
		must(t, err)
		if rep.Phase.ID != f.phase.ID || len(rep.Statements) != 1 || len(rep.Sections) != 1 || len(rep.Sections[0].Threads) != 1 {
			t.Fatalf("first round's report: phase %d, %d statements, sections %+v", rep.Phase.ID, len(rep.Statements), rep.Sections)
		}
		rep, err = f.svc.BuildReport(ctx, f.moderator, sid)
		must(t, err)
		if rep.Phase.ID != second.ID || len(rep.Statements) != 0 || len(rep.Sections[0].Threads) != 0 {
			t.Fatalf("second round's report holds the first round's contributions: %+v", rep.Sections[0].Threads)
		}
		// The thread is still on the section for everyone, but closed to
		// changes: its round is over.
		ts, err := f.svc.SectionThreads(ctx, f.land, f.section.ID)
		must(t, err)
		if len(ts) != 1 || ts[0].Can.Reply {
			t.Fatalf("section threads after the round = %+v", ts)
		}
		_, err = f.svc.Reply(ctx, f.land, th.ID, "Nachtrag")
		wantReason(t, err, domain.ReasonRoundClosed)
		_, err = f.svc.Statements(consult.WithRound(ctx, 999999), f.moderator, sid)
		wantCode(t, err, domain.ENOTFOUND)
	})
}

func wantReason(t testing.TB, err error, reason string) {
	t.Helper()
	var e *domain.Error
	if !errors.As(err, &e) || e.Reason != reason {
		t.Fatalf("error = %v, want reason %q", err, reason)
	}
}

// After closes_at nothing of the round changes, whoever asks; one second
// before, everything still works.
func TestRoundClosesAtItsDeadline(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		sid := f.strategy.ID
		// A short round, so that comments written in it are still in their
		// edit window at its end.
		closes := f.Now().Add(5 * time.Minute)
		_, _, err := db.UpdatePhaseTimes(ctx, sid, f.phase.ID, *f.phase.OpensAt, closes)
		must(t, err)
		f.Set(closes.Add(-2 * time.Second))
		th := f.thread(t, f.land, domain.KindKommentar, "Bund und Länder", "")
		_, err = f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Position: domain.PositionZustimmung, Body: "Entwurf"})
		must(t, err)

		f.Set(closes.Add(-time.Second)) // the last second of the round
		c, err := f.svc.Reply(ctx, f.land, th.ID, "Antwort")
		must(t, err)
		_, err = f.svc.EditComment(ctx, f.land, c.ID, "Antwort, geändert")
		must(t, err)
		f.thread(t, f.land, domain.KindAenderungsvorschlag, "digital", "vollständig digital")
		_, err = f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Position: domain.PositionZustimmung, Body: "Entwurf 2"})
		must(t, err)

		f.Set(closes) // the round is over
		text, v := f.text(t)
		start, end := find(t, text, "Daten")
		for name, call := range map[string]func() error{
			"new thread (Land)": func() error {
				_, err := f.svc.CreateThread(ctx, f.land, consult.NewThread{SectionID: f.section.ID, Kind: domain.KindKommentar, Start: start, End: end, Version: v, Body: "Zu spät"})
				return err
			},
			"new thread (moderation)": func() error {
				_, err := f.svc.CreateThread(ctx, f.moderator, consult.NewThread{SectionID: f.section.ID, Kind: domain.KindFrage, Start: start, End: end, Version: v, Body: "Zu spät"})
				return err
			},
			"proposal": func() error {
				_, err := f.svc.CreateThread(ctx, f.land, consult.NewThread{SectionID: f.section.ID, Kind: domain.KindAenderungsvorschlag, Start: start, End: end, Version: v, Body: "Zu spät", Replacement: "Angaben"})
				return err
			},
			"reply":        func() error { _, err := f.svc.Reply(ctx, f.land, th.ID, "Zu spät"); return err },
			"reply (Pate)": func() error { _, err := f.svc.Reply(ctx, f.pate, th.ID, "Zu spät"); return err },
			"comment edit": func() error { _, err := f.svc.EditComment(ctx, f.land, c.ID, "Umgeschrieben"); return err },
			"statement save": func() error {
				_, err := f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Body: "Zu spät"})
				return err
			},
			"statement submit": func() error { _, err := f.svc.SubmitStatement(ctx, f.land, sid); return err },
		} {
			err := call()
			if domain.ErrorCode(err) != domain.EFORBIDDEN {
				t.Errorf("%s after the deadline: %v, want forbidden", name, err)
				continue
			}
			wantReason(t, err, domain.ReasonRoundClosed)
		}
		got, err := f.svc.Thread(ctx, f.land, th.ID)
		must(t, err)
		if len(got.Comments) != 2 || got.Comments[1].Body != "Antwort, geändert" || got.Can.Reply || got.Comments[1].Can.Edit {
			t.Fatalf("thread after the deadline = %+v", got.Comments[1])
		}
	})
}

// A moderator moves the deadline in place: statements stay in the round,
// the change is audited with its reason and everyone is told.
func TestChangeDeadline(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		sid := f.strategy.ID
		f.submitStatement(t, f.land, "Bayern stimmt zu.")
		later := f.phase.ClosesAt.Add(7 * 24 * time.Hour)

		_, err := f.svc.ChangeDeadline(ctx, f.land, sid, f.phase.ID, consult.DeadlineChange{ClosesAt: &later, Reason: "Bitte"})
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.ChangeDeadline(ctx, f.moderator, sid, f.phase.ID, consult.DeadlineChange{ClosesAt: &later})
		wantCode(t, err, domain.EINVALID)
		early := f.phase.OpensAt.Add(-time.Hour)
		_, err = f.svc.ChangeDeadline(ctx, f.moderator, sid, f.phase.ID, consult.DeadlineChange{ClosesAt: &early, Reason: "Irrtum"})
		wantCode(t, err, domain.EINVALID)
		_, err = f.svc.ChangeDeadline(ctx, f.moderator, sid, 999999, consult.DeadlineChange{ClosesAt: &later, Reason: "Irrtum"})
		wantCode(t, err, domain.ENOTFOUND)

		p, err := f.svc.ChangeDeadline(ctx, f.moderator, sid, f.phase.ID, consult.DeadlineChange{ClosesAt: &later, Reason: "Wunsch der Länder"})
		must(t, err)
		if p.ID != f.phase.ID || !p.ClosesAt.Equal(later) || !p.OpensAt.Equal(*f.phase.OpensAt) {
			t.Fatalf("changed phase = %+v", p)
		}
		f.reload(t)
		if len(f.strategy.Phases) != 1 || !f.strategy.CurrentPhase.ClosesAt.Equal(later) {
			t.Fatalf("phases after the change = %+v", f.strategy.Phases)
		}
		evs, err := db.FindAuditEvents(ctx, domain.AuditFilter{Action: "phase_times_changed", Limit: 10})
		must(t, err)
		if len(evs) != 1 || !strings.Contains(evs[0].Detail, "reason:Wunsch der Länder") || *evs[0].ActorID != f.moderator.ID {
			t.Fatalf("audit = %+v", evs)
		}
		ns, err := db.FindNotifications(ctx, f.land.ID, false, 10)
		must(t, err)
		want := "Frist verlängert bis " + consult.Berlin(later)
		if len(ns) == 0 || !strings.HasPrefix(ns[0].Text, want) {
			t.Fatalf("Land was told %+v, want %q", ns, want)
		}

		shorter := f.Now().Add(time.Hour)
		_, err = f.svc.ChangeDeadline(ctx, f.moderator, sid, f.phase.ID, consult.DeadlineChange{ClosesAt: &shorter, Reason: "Sitzung vorgezogen"})
		must(t, err)
		ns, err = db.FindNotifications(ctx, f.pate.ID, false, 10)
		must(t, err)
		if len(ns) < 2 || !strings.HasPrefix(ns[0].Text, "Frist verkürzt bis "+consult.Berlin(shorter)) {
			t.Fatalf("Pate was told %+v", ns)
		}
		list, err := f.svc.Statements(ctx, f.moderator, sid)
		must(t, err)
		if len(list) != 1 || list[0].Version != 1 {
			t.Fatalf("statements after two deadline changes = %+v", list)
		}
	})
}

// Final sections take no comments; a round with a scope takes
// contributions only on its sections.
func TestRoundScopeAndFinalSections(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		other := &domain.Section{StrategyID: f.strategy.ID, TopicID: &f.topic.ID, Part: domain.PartSchwerpunkt, Title: "Leitplanken", Text: "Ein anderer Text."}
		must(t, db.CreateSection(ctx, other))
		opens, closes := f.Now().Add(-time.Minute), f.Now().Add(time.Hour)
		scoped := &domain.Phase{StrategyID: f.strategy.ID, Kind: domain.PhaseBeteiligung, Title: "Runde 2", OpensAt: &opens, ClosesAt: &closes, SectionIDs: []int64{other.ID}}
		must(t, db.AddPhase(ctx, scoped))
		f.reload(t)
		if got := f.strategy.CurrentPhase.SectionIDs; len(got) != 1 || got[0] != other.ID {
			t.Fatalf("scope = %v", got)
		}
		text, v := f.text(t)
		start, end := find(t, text, "Daten")
		_, err := f.svc.CreateThread(ctx, f.land, consult.NewThread{SectionID: f.section.ID, Kind: domain.KindKommentar, Start: start, End: end, Version: v, Body: "Außerhalb"})
		wantReason(t, err, domain.ReasonNotInRound)
		_, err = f.svc.CreateThread(ctx, f.land, consult.NewThread{SectionID: other.ID, Kind: domain.KindKommentar, Start: 0, End: 3, Version: 0, Body: "Innerhalb"})
		must(t, err)

		bad := &domain.Phase{StrategyID: f.strategy.ID, Kind: domain.PhaseBeteiligung, OpensAt: &opens, ClosesAt: &closes, SectionIDs: []int64{999999}}
		wantCode(t, db.AddPhase(ctx, bad), domain.EINVALID)

		final := domain.SectionFinal
		_, err = db.UpdateSection(ctx, other.ID, domain.SectionUpdate{Status: &final})
		must(t, err)
		_, err = f.svc.CreateThread(ctx, f.moderator, consult.NewThread{SectionID: other.ID, Kind: domain.KindKommentar, Start: 0, End: 3, Version: 0, Body: "Beschlossen"})
		wantCode(t, err, domain.ELOCKED)
	})
}
