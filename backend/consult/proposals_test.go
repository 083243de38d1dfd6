package consult_test

import (
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/consult"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestAcceptProposal(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.thread(t, f.land, domain.KindAenderungsvorschlag, "sicher geteilt", "sicher und datensparsam geteilt")
		overlap := f.thread(t, f.land2, domain.KindAenderungsvorschlag, "erhoben und sicher", "erhoben")
		apart := f.thread(t, f.land2, domain.KindAenderungsvorschlag, "gemeinsam", "zusammen")
		before, v := f.text(t)

		_, err := f.svc.Accept(ctx, f.land, p.ID, false)
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.Accept(ctx, f.otherPate, p.ID, false)
		wantCode(t, err, domain.EFORBIDDEN)

		got, err := f.svc.Accept(ctx, f.pate, p.ID, false)
		must(t, err)
		after, v2 := f.text(t)
		s, e := find(t, before, "sicher geteilt")
		want := string([]rune(before)[:s]) + "sicher und datensparsam geteilt" + string([]rune(before)[e:])
		if after != want || v2 != v+1 {
			t.Fatalf("text after accept = %q (v%d), want %q (v%d)", after, v2, want, v+1)
		}
		if got.Status != domain.StatusUebernommen || got.AcceptedBy == nil || *got.AcceptedBy != f.pate.ID ||
			got.AcceptedVersion == nil || *got.AcceptedVersion != v {
			t.Fatalf("accepted thread = %+v", got)
		}
		if a := got.Anchor; string([]rune(after)[a.Start:a.End]) != "sicher und datensparsam geteilt" {
			t.Fatalf("accepted thread anchors %q", string([]rune(after)[a.Start:a.End]))
		}
		ops, err := f.col.OpsSince(ctx, domain.SectionDoc(f.section.ID), v, 10)
		must(t, err)
		if len(ops) != 1 || ops[0].UserID != f.land.ID {
			t.Fatalf("the accepted edit must be the proposer's: %+v", ops)
		}
		o, _ := db.FindThreadByID(ctx, overlap.ID)
		a, _ := db.FindThreadByID(ctx, apart.ID)
		if !o.Affected || a.Affected {
			t.Fatalf("affected: overlapping %v, apart %v", o.Affected, a.Affected)
		}
		if f.auditCount(t, "proposal_accepted") != 1 {
			t.Fatal("accept not audited")
		}
		ns, err := f.svc.Notifications(ctx, f.land, true, 0)
		must(t, err)
		if len(ns) != 1 || ns[0].Kind != domain.NotifyProposalAccepted {
			t.Fatalf("proposer's notifications = %+v", ns)
		}
		// Accepting again changes nothing.
		_, err = f.svc.Accept(ctx, f.moderator, p.ID, true)
		wantCode(t, err, domain.ECONFLICT)
		if again, _ := f.text(t); again != after {
			t.Fatal("second accept changed the text")
		}
	})
}

func TestAcceptChangedPassageNeedsConfirm(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.thread(t, f.land, domain.KindAenderungsvorschlag, "handeln gemeinsam", "handeln abgestimmt")
		text, v := f.text(t)
		_, e := find(t, text, "handeln gemeinsam")
		f.edit(t, f.pate, "c", 1, v, `[`+itoa(e-len([]rune("gemeinsam")))+`, "stets "]`)
		_, err := f.svc.Accept(ctx, f.pate, p.ID, false)
		wantCode(t, err, domain.ECONFLICT)
		if cur := domain.ErrorFields(err)["current"]; cur != "handeln stets gemeinsam" {
			t.Fatalf("current passage = %q", cur)
		}
		if now, _ := f.text(t); now == text {
			t.Fatal("fixture edit missing")
		}
		_, err = f.svc.Accept(ctx, f.moderator, p.ID, true)
		must(t, err)
		after, _ := f.text(t)
		find(t, after, "Bund und Länder handeln abgestimmt.") // the confirmed accept replaces the current passage
	})
}

func TestRejectProposal(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.thread(t, f.land, domain.KindAenderungsvorschlag, "digital", "analog")
		before, _ := f.text(t)
		_, err := f.svc.Reject(ctx, f.pate, p.ID, "  ")
		wantCode(t, err, domain.EINVALID)
		got, err := f.svc.Reject(ctx, f.pate, p.ID, "Widerspricht dem Zielbild.")
		must(t, err)
		if got.Status != domain.StatusAbgelehnt || got.Resolution != "Widerspricht dem Zielbild." {
			t.Fatalf("rejected = %+v", got)
		}
		_, err = f.svc.Accept(ctx, f.pate, p.ID, true)
		wantCode(t, err, domain.ECONFLICT)
		if after, _ := f.text(t); after != before {
			t.Fatal("reject changed the text")
		}
		if f.auditCount(t, "proposal_rejected") != 1 {
			t.Fatal("reject not audited")
		}
		c := f.thread(t, f.land, domain.KindKommentar, "Daten", "")
		_, err = f.svc.Accept(ctx, f.pate, c.ID, false)
		wantCode(t, err, domain.ECONFLICT)
	})
}

// TestConcurrentAcceptAppliesOnce has two instances accept the same
// proposal at once: the text changes exactly once and one accept fails.
func TestConcurrentAcceptAppliesOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.thread(t, f.land, domain.KindAenderungsvorschlag, "arbeitet digital", "arbeitet vollständig digital")
		other := f.service(collab.New(db, collab.Options{}))
		errs := make(chan error, 2)
		for _, svc := range []*consult.Service{f.svc, other} {
			go func(svc *consult.Service) {
				_, err := svc.Accept(ctx, f.moderator, p.ID, false)
				errs <- err
			}(svc)
		}
		failed := 0
		for range 2 {
			if err := <-errs; err != nil {
				wantCode(t, err, domain.ECONFLICT)
				failed++
			}
		}
		text, v := f.text(t)
		if failed != 1 || v != 1 || strings.Count(text, "vollständig") != 1 {
			t.Fatalf("failed %d, version %d, text %q", failed, v, text)
		}
	})
}

// A comment on exactly the passage an accepted proposal replaced follows
// the replacement; one on part of the passage loses what was deleted, and
// one beside it stays where it was.
func TestThreadsOnTheReplacedPassageFollowIt(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.thread(t, f.land, domain.KindAenderungsvorschlag, "sicher geteilt", "vertraulich ausgetauscht")
		same := f.thread(t, f.land2, domain.KindKommentar, "sicher geteilt", "")
		part := f.thread(t, f.land2, domain.KindFrage, "geteilt", "")
		beside := f.thread(t, f.land2, domain.KindKommentar, "gemeinsam", "")
		_, err := f.svc.Accept(ctx, f.pate, p.ID, false)
		must(t, err)
		text, v := f.text(t)
		check := func(id int64, removed bool, want string) {
			t.Helper()
			th, err := f.svc.Thread(ctx, f.moderator, id)
			must(t, err)
			a := th.Anchor
			if a.Removed != removed || a.Version != v || (!removed && string([]rune(text)[a.Start:a.End]) != want) {
				t.Fatalf("thread %d anchored %+v in %q; want removed=%v on %q at v%d", id, a, text, removed, want, v)
			}
		}
		check(same.ID, false, "vertraulich ausgetauscht")
		check(part.ID, true, "")
		check(beside.ID, false, "gemeinsam")
	})
}
