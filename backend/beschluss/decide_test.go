package beschluss_test

import (
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/beschluss"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestDeadlineEdge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.umlauf(t, beschluss.Empfehlung)
		f.Set(b.Deadline.Add(-time.Second))
		f.vote(t, b.ID, "BW", beschluss.Zustimmung)
		f.vote(t, b.ID, "BY", beschluss.Ablehnung)
		f.vote(t, b.ID, "BY", beschluss.Zustimmung) // still changeable a second before
		for _, at := range []time.Time{*b.Deadline, b.Deadline.Add(time.Second)} {
			f.Set(at)
			_, err := f.svc.Vote(ctx, f.voters["HB"], b.ID, beschluss.Ballot{Org: "HB", Vote: beschluss.Ablehnung})
			wantCode(t, err, domain.ELOCKED)
			if domain.ErrorReason(err) != domain.ReasonDeadlinePassed {
				t.Fatalf("reason %q", domain.ErrorReason(err))
			}
		}
		v, err := f.svc.Get(ctx, f.landBY, b.ID)
		must(t, err)
		if !v.Closed || v.Outcome != beschluss.Angenommen || v.Result == nil || v.Result.Zustimmung != 2 || v.Result.Ablehnung != 0 || v.Result.NotVoted != 15 {
			t.Fatalf("after the deadline: %s %+v", v.Outcome, v.Result)
		}
		if v.Number != fmt.Sprintf("%d/1", beschluss.NumberYear(f.Now())) || v.Members[2].Vote == nil {
			t.Fatalf("number %q, votes public: %+v", v.Number, v.Members[2])
		}
	})
}

// At the deadline the outcome is recorded and announced without anybody
// reading the Vorlage, once, whichever of two instances gets there.
func TestDueUmlaufverfahrenAreSettled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.umlauf(t, beschluss.Empfehlung)
		f.vote(t, b.ID, "BW", beschluss.Zustimmung)
		other := f.service(db)
		var mu sync.Mutex
		var events []beschluss.Event
		for _, svc := range []*beschluss.Service{f.svc, other} {
			svc.OnChange(func(ev beschluss.Event) {
				mu.Lock()
				defer mu.Unlock()
				events = append(events, ev)
			})
		}
		decided := func() int {
			mu.Lock()
			defer mu.Unlock()
			n := 0
			for _, ev := range events {
				if ev.Event == "decided" && ev.BeschlussID == b.ID {
					n++
				}
			}
			return n
		}

		f.Set(b.Deadline.Add(-time.Second))
		must(t, f.svc.SettleDue(ctx))
		if n := decided(); n != 0 {
			t.Fatalf("decided a second before the deadline (%d events)", n)
		}
		f.Set(*b.Deadline)
		var wg sync.WaitGroup
		for _, svc := range []*beschluss.Service{f.svc, other} {
			wg.Add(1)
			go func() { defer wg.Done(); must(t, svc.SettleDue(ctx)) }()
		}
		wg.Wait()
		must(t, f.svc.SettleDue(ctx))
		if n := decided(); n != 1 {
			t.Fatalf("%d decided events, want 1", n)
		}
		stored, err := db.FindBeschluss(ctx, b.ID)
		must(t, err)
		if stored.Outcome != beschluss.Angenommen || stored.DecidedAt == nil || !stored.DecidedAt.Equal(*b.Deadline) {
			t.Fatalf("stored outcome %s decided %v", stored.Outcome, stored.DecidedAt)
		}
	})
}

func TestEinstimmigEndsAtTheFirstAblehnung(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.umlauf(t, beschluss.Einstimmig)
		f.vote(t, b.ID, "BW", beschluss.Zustimmung)
		f.vote(t, b.ID, "HB", beschluss.Enthaltung) // does not prevent unanimity by default
		v := f.vote(t, b.ID, "SL", beschluss.Ablehnung)
		if v.Outcome != beschluss.Abgelehnt || !v.Closed || v.Result == nil || v.Number != "" {
			t.Fatalf("after the first Ablehnung: %s closed %v number %q", v.Outcome, v.Closed, v.Number)
		}
		_, err := f.svc.Vote(ctx, f.voters["SL"], b.ID, beschluss.Ballot{Org: "SL", Vote: beschluss.Zustimmung})
		wantCode(t, err, domain.ELOCKED)
		sec, err := db.FindSectionByID(ctx, f.draft.ID)
		must(t, err)
		if sec.Status == domain.SectionFinal {
			t.Fatal("a rejected Vorlage made its section final")
		}
	})
}

func TestAdoptionNumbersAndFinalises(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		first := f.umlauf(t, beschluss.Rechtsverbindlich)
		second := f.umlauf(t, beschluss.Empfehlung)
		var v *beschluss.View
		for _, m := range []string{"BUND", "NW", "BY", "BW", "NI", "HE", "BE", "SN"} {
			v = f.vote(t, second.ID, m, beschluss.Zustimmung)
		}
		if v.Outcome != beschluss.Offen {
			t.Fatalf("empfehlung decided with 8 of 17 in favour: %s", v.Outcome)
		}
		// The ninth Zustimmung is a majority whatever the others vote.
		v = f.vote(t, second.ID, "RP", beschluss.Zustimmung)
		year := beschluss.NumberYear(f.Now())
		if v.Number != fmt.Sprintf("%d/1", year) || v.Outcome != beschluss.Angenommen || v.Result.NotVoted != 8 {
			t.Fatalf("empfehlung with 9 of 17: %s %q", v.Outcome, v.Number)
		}
		for _, m := range []string{"BUND", "NW", "BY", "BW", "NI", "HE", "BE", "SN", "RP", "SH", "BB"} {
			v = f.vote(t, first.ID, m, beschluss.Zustimmung)
		}
		if v.Outcome != beschluss.Offen {
			t.Fatalf("10 Länder decided it: %s", v.Outcome)
		}
		v = f.vote(t, first.ID, "ST", beschluss.Zustimmung)
		if v.Outcome != beschluss.Angenommen || v.Number != fmt.Sprintf("%d/2", year) || v.Result.LaenderYes != 11 {
			t.Fatalf("rechtsverbindlich with 11 Länder above two thirds: %s %q %+v", v.Outcome, v.Number, v.Result)
		}
		sec, err := db.FindSectionByID(ctx, f.draft.ID)
		must(t, err)
		if sec.Status != domain.SectionFinal {
			t.Fatalf("section status %s after adoption", sec.Status)
		}
		linked, err := f.svc.SectionBeschluesse(ctx, f.landBY, f.draft.ID)
		must(t, err)
		if len(linked) != 2 || linked[0].ID != first.ID || linked[1].ID != second.ID ||
			linked[0].Number == "" || linked[0].Number == linked[1].Number || linked[0].TextHash != first.TextHash {
			t.Fatalf("section links: %+v", linked)
		}
		evs, err := db.FindAuditEvents(ctx, domain.AuditFilter{Action: "beschluss_decided", Limit: 10})
		must(t, err)
		if len(evs) != 2 {
			t.Fatalf("%d decisions audited", len(evs))
		}
	})
}

func TestSitzungVotesEnteredByTheModerator(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b, err := f.svc.Create(ctx, f.moderator, beschluss.NewVorlage{StrategyID: f.strategy.ID, Title: "Sitzung",
			DecisionText: "Der IT-Planungsrat empfiehlt …", Rule: beschluss.Empfehlung, Procedure: beschluss.Sitzung,
			Sections: []beschluss.SectionRef{{SectionID: f.draft.ID}}})
		must(t, err)
		_, err = f.svc.Vote(ctx, f.voters["BY"], b.ID, beschluss.Ballot{Org: "BY", Vote: beschluss.Zustimmung})
		wantCode(t, err, domain.ECONFLICT)
		_, err = f.svc.Record(ctx, f.voters["BY"], b.ID, beschluss.Ballot{Org: "BY", Vote: beschluss.Zustimmung})
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.Record(ctx, f.moderator, b.ID, beschluss.Ballot{Org: "BY", Vote: beschluss.Zustimmung, Declaration: "Zu Protokoll"})
		must(t, err)
		_, err = f.svc.Record(ctx, f.moderator, b.ID, beschluss.Ballot{Org: "HB", Vote: beschluss.Ablehnung})
		must(t, err)
		v, err := f.svc.Record(ctx, f.moderator, b.ID, beschluss.Ballot{Org: "BE", Vote: beschluss.Enthaltung})
		must(t, err)
		if v.Outcome != beschluss.Offen || !v.Can.Close || v.Members[2].Vote == nil || !v.Members[2].Vote.Recorded {
			t.Fatalf("before closing: %+v", v)
		}
		v, err = f.svc.Close(ctx, f.moderator, b.ID)
		must(t, err)
		if v.Outcome != beschluss.Abgelehnt || v.Result.Zustimmung != 1 || v.Result.Ablehnung != 1 || v.Result.Enthaltung != 1 {
			t.Fatalf("closed: %s %+v", v.Outcome, v.Result)
		}
		_, err = f.svc.Close(ctx, f.moderator, b.ID)
		wantCode(t, err, domain.ELOCKED)
		u := f.umlauf(t, beschluss.Einstimmig)
		_, err = f.svc.Close(ctx, f.moderator, u.ID)
		wantCode(t, err, domain.ECONFLICT)
	})
}

func TestKoenigsteinerKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		keys, err := f.svc.Keys(ctx, f.landBY)
		must(t, err)
		if len(keys) != 1 || keys[0].Year != 2016 || keys[0].Shares["NW"] != 2114424 || len(keys[0].Shares) != 16 {
			t.Fatalf("seeded keys: %+v", keys)
		}
		next := func() *beschluss.Key {
			k := &beschluss.Key{Year: 2024, Source: "GWK, Königsteiner Schlüssel 2024", Shares: map[string]int64{}}
			for l, v := range keys[0].Shares {
				k.Shares[l] = v
			}
			return k
		}
		bad := map[string]func(*beschluss.Key){
			"does not add up":   func(k *beschluss.Key) { k.Shares["BW"] += 2000 },
			"a Land is missing": func(k *beschluss.Key) { delete(k.Shares, "TH") },
			"not a Land":        func(k *beschluss.Key) { k.Shares["FITKO"] = 1 },
			"zero share":        func(k *beschluss.Key) { k.Shares["BB"] += k.Shares["HB"]; k.Shares["HB"] = 0 },
			"no source":         func(k *beschluss.Key) { k.Source = " " },
			"no year":           func(k *beschluss.Key) { k.Year = 0 },
		}
		for name, edit := range bad {
			k := next()
			edit(k)
			err := f.svc.SaveKey(ctx, f.admin, k)
			wantCode(t, err, domain.EINVALID)
			if domain.ErrorCode(err) == "" {
				t.Fatal(name)
			}
		}
		wantCode(t, f.svc.SaveKey(ctx, f.moderator, next()), domain.EFORBIDDEN)
		if keys, _ := f.svc.Keys(ctx, f.admin); len(keys) != 1 {
			t.Fatalf("a refused key was stored: %d keys", len(keys))
		}
		k := next()
		k.Shares["BW"] += 5 // rounding
		k.Shares["BY"] -= 4
		must(t, f.svc.SaveKey(ctx, f.admin, k))
		k.Source = "GWK, berichtigt"
		must(t, f.svc.SaveKey(ctx, f.admin, k))
		keys, err = f.svc.Keys(ctx, f.admin)
		must(t, err)
		if len(keys) != 2 || keys[0].Year != 2024 || keys[0].Source != "GWK, berichtigt" || keys[0].Shares["BW"] != 1296667 {
			t.Fatalf("after saving 2024: %+v", keys[0])
		}
	})
}

// Two instances on one PostgreSQL: the voting account and the deputy of
// one organisation vote at once, again and again, while every other
// member votes too. Each organisation keeps exactly one vote and the
// Beschluss gets exactly one number.
func TestConcurrentVotesOnTwoInstances(t *testing.T) {
	url := storetest.PostgresURL(t)
	db1 := storetest.OpenURL(t, url, slog.New(slog.DiscardHandler))
	db2 := storetest.OpenURL(t, url, slog.New(slog.DiscardHandler))
	f := newFixture(t, db1)
	svcs := []*beschluss.Service{f.svc, f.service(db2)}
	b := f.umlauf(t, beschluss.Einstimmig)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 10; i++ {
		for j, u := range []*domain.User{f.voters["BY"], f.deputyBY} {
			wg.Add(1)
			go func(svc *beschluss.Service, u *domain.User) {
				defer wg.Done()
				_, err := svc.Vote(ctx, u, b.ID, beschluss.Ballot{Org: "BY", Vote: beschluss.Zustimmung})
				errs <- err
			}(svcs[(i+j)%2], u)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	v, err := f.svc.Get(ctx, f.moderator, b.ID)
	must(t, err)
	if v.Voted != 1 {
		t.Fatalf("%d votes after concurrent votes of one organisation", v.Voted)
	}
	errs = make(chan error, 20)
	for i, m := range beschluss.Members {
		if m == "BY" {
			continue
		}
		wg.Add(1)
		go func(svc *beschluss.Service, m string) {
			defer wg.Done()
			_, err := svc.Vote(ctx, f.voters[m], b.ID, beschluss.Ballot{Org: m, Vote: beschluss.Zustimmung})
			errs <- err
		}(svcs[i%2], m)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	v, err = svcs[1].Get(ctx, f.moderator, b.ID)
	must(t, err)
	if v.Voted != 17 || v.Outcome != beschluss.Angenommen || v.Number != fmt.Sprintf("%d/1", beschluss.NumberYear(f.Now())) {
		t.Fatalf("after 17 concurrent votes: %d voted, %s %q", v.Voted, v.Outcome, v.Number)
	}
}
