package collab_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestRevisions(t *testing.T) {
	eachStoredDoc(t, "", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{})
		f.submit(t, s, f.anna, "a", 1, 0, `["Ziel"]`)
		f.submit(t, s, f.anna, "a", 2, 1, `[4, "bild"]`)
		f.submit(t, s, f.anna, "a", 3, 2, `[{"d": 1}, "z"]`)
		f.submit(t, s, f.bernd, "b", 1, 3, `[8, " 2030"]`)
		f.submit(t, s, f.bernd, "b", 2, 4, `[8, {"d": 5}]`)
		f.submit(t, s, f.anna, "a", 4, 5, `["Das "]`)

		revs, err := s.FindRevisions(context.Background(), f.doc, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		want := []domain.Revision{
			{FromVersion: 5, ToVersion: 6, UserID: f.anna.ID, UserName: "Anna Hansen", OrgCode: "HH", Inserted: 4},
			{FromVersion: 3, ToVersion: 5, UserID: f.bernd.ID, UserName: "Bernd Schulz", OrgCode: "ST", Inserted: 5, Deleted: 5},
			{FromVersion: 0, ToVersion: 3, UserID: f.anna.ID, UserName: "Anna Hansen", OrgCode: "HH", Inserted: 9, Deleted: 1},
		}
		if len(revs) != len(want) {
			t.Fatalf("%d revisions, want %d: %+v", len(revs), len(want), revs)
		}
		for i, r := range revs {
			got := *r
			if got.StartedAt.IsZero() || got.EndedAt.Before(got.StartedAt) {
				t.Fatalf("revision %d times %v..%v", i, got.StartedAt, got.EndedAt)
			}
			got.StartedAt, got.EndedAt = time.Time{}, time.Time{}
			if got != want[i] {
				t.Fatalf("revision %d = %+v, want %+v", i, got, want[i])
			}
		}
		// Paging: before the newest revision, at most one.
		page, err := s.FindRevisions(context.Background(), f.doc, 5, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 1 || page[0].FromVersion != 3 || page[0].ToVersion != 5 {
			t.Fatalf("page = %+v", page)
		}
		_, err = s.FindRevisions(context.Background(), domain.SectionDoc(f.doc.ID+1000), 0, 10)
		wantCode(t, err, domain.ENOTFOUND)
	})
}

func TestRevisionGapSplitsOneAuthor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "")
		// A zero-length gap is replaced by the default, so use a tiny one:
		// every op then lies further apart than the gap.
		s := collab.New(db, collab.Options{RevisionGap: time.Nanosecond})
		for i := range 3 {
			f.submit(t, s, f.anna, "a", int64(i+1), int64(i), `["x"]`)
			time.Sleep(2 * time.Millisecond)
		}
		revs, err := s.FindRevisions(context.Background(), f.doc, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 3 {
			t.Fatalf("%d revisions, want 3 (one per op)", len(revs))
		}
	})
}

func TestRestore(t *testing.T) {
	eachDoc(t, "Zukunftsbild", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{SnapshotEvery: 2})
		var mu sync.Mutex
		var published []*domain.CommittedOp
		s.OnCommit(func(op *domain.CommittedOp) { mu.Lock(); published = append(published, op); mu.Unlock() })
		f.submit(t, s, f.anna, "a", 1, 0, `[12, " der Verwaltung"]`)
		f.submit(t, s, f.bernd, "b", 1, 1, `["Das "]`)
		f.submit(t, s, f.bernd, "b", 2, 2, `[4, {"d": 17}, "Leitbild"]`)

		v, err := s.Restore(context.Background(), f.anna, f.doc, 1)
		if err != nil {
			t.Fatal(err)
		}
		if v != 3 {
			t.Fatalf("restore committed at %d, want 3", v)
		}
		if text, cur := f.snapshot(t, s); text != "Zukunftsbild der Verwaltung" || cur != 4 {
			t.Fatalf("after restore: %q at %d", text, cur)
		}
		waitPublished(t, &mu, &published, 4)
		if last := published[3]; last.Version != 3 || last.UserID != f.anna.ID {
			t.Fatalf("restore was not published: %+v", last)
		}
		checkTextAt(t, f, s)

		_, err = s.Restore(context.Background(), f.anna, f.doc, 99)
		wantCode(t, err, domain.EINVALID)
		_, err = s.Restore(context.Background(), nil, f.doc, 0)
		wantCode(t, err, domain.EUNAUTHORIZED)
	})
}

func TestRestoreIsListedAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, "Zukunftsbild")
		s := collab.New(db, collab.Options{})
		f.submit(t, s, f.anna, "a", 1, 0, `[12, " der Verwaltung"]`)
		f.submit(t, s, f.anna, "a", 2, 1, `[12, {"d": 15}]`)
		// Right after her own edits, yet a revision of its own.
		if _, err := s.Restore(ctx, f.anna, f.doc, 1); err != nil {
			t.Fatal(err)
		}
		f.submit(t, s, f.anna, "a", 3, 3, `["Das "]`)

		revs, err := s.FindRevisions(ctx, f.doc, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 3 {
			t.Fatalf("%d revisions, want 3: %+v", len(revs), revs)
		}
		if r := revs[1]; r.FromVersion != 2 || r.ToVersion != 3 || r.RestoredFrom == nil || *r.RestoredFrom != 1 || r.UserName != "Anna Hansen" {
			t.Fatalf("restore revision = %+v", r)
		}
		if revs[0].RestoredFrom != nil || revs[2].RestoredFrom != nil || revs[2].FromVersion != 0 || revs[2].ToVersion != 2 {
			t.Fatalf("edits around the restore = %+v, %+v", revs[0], revs[2])
		}

		evs, err := db.FindAuditEvents(ctx, domain.AuditFilter{Action: "section_restored"})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 {
			t.Fatalf("%d section_restored events, want 1", len(evs))
		}
		e := evs[0]
		if e.ActorID == nil || *e.ActorID != f.anna.ID || e.OrgCode != "HH" || e.Target != f.doc.String() ||
			e.Detail != "Fassung 1 wiederhergestellt als Fassung 3" || e.At.IsZero() {
			t.Fatalf("audit event = %+v", e)
		}
	})
}

func TestRestoreClientID(t *testing.T) {
	id := domain.RestoreClientID(17, "ab12")
	if v, ok := domain.RestoredFrom(id); !ok || v != 17 {
		t.Fatalf("RestoredFrom(%q) = %d, %v", id, v, ok)
	}
	for _, c := range []string{"a", "restore-", "restore-x-1", "restore-12", "restore--1-ab", "b7f3-restore-1-x"} {
		if _, ok := domain.RestoredFrom(c); ok {
			t.Fatalf("RestoredFrom(%q) reports a restore", c)
		}
	}
}

func TestRestoreLongSection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// Longer than the 1 MiB limit on ops from clients.
		long := strings.Repeat("Digitale Verwaltung für alle. ", 40000)
		f := newFixture(t, db, long)
		s := collab.New(db, collab.Options{})
		f.submit(t, s, f.anna, "a", 1, 0, `[{"d": 1200000}]`)
		if _, err := s.Restore(context.Background(), f.anna, f.doc, 0); err != nil {
			t.Fatal(err)
		}
		if text, v := f.snapshot(t, s); text != long || v != 2 {
			t.Fatalf("restored %d code points at %d, want %d at 2", len([]rune(text)), v, len([]rune(long)))
		}
	})
}
