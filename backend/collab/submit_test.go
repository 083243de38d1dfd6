package collab_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestSubmitSequential(t *testing.T) {
	eachDoc(t, "Daten teilen", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{})
		var published []*domain.CommittedOp
		var mu sync.Mutex
		s.OnCommit(func(op *domain.CommittedOp) { mu.Lock(); published = append(published, op); mu.Unlock() })

		steps := []struct{ op, want string }{
			{`["Wir "]`, "Wir Daten teilen"},
			{`[16, " sicher"]`, "Wir Daten teilen sicher"},
			{`[4, {"d": 5}, "Wissen"]`, "Wir Wissen teilen sicher"},
		}
		for i, st := range steps {
			res := f.submit(t, s, f.anna, "c1", int64(i+1), int64(i), st.op)
			if res.Duplicate || res.Op.Version != int64(i) || res.Op.UserID != f.anna.ID {
				t.Fatalf("step %d: result %+v", i, res.Op)
			}
			if text, v := f.snapshot(t, s); text != st.want || v != int64(i+1) {
				t.Fatalf("step %d: text %q at %d, want %q at %d", i, text, v, st.want, i+1)
			}
		}
		text, ops := f.replayLog(t, s)
		if text != "Wir Wissen teilen sicher" || len(ops) != 3 {
			t.Fatalf("replay = %q with %d ops", text, len(ops))
		}
		waitPublished(t, &mu, &published, 3)
		for i, op := range published {
			if op.Version != int64(i) {
				t.Fatalf("published op %d has version %d", i, op.Version)
			}
		}
	})
}

func TestSubmitTransformsStaleOps(t *testing.T) {
	eachDoc(t, "abc", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{})
		f.submit(t, s, f.anna, "a", 1, 0, `["X"]`)                      // Xabc
		f.submit(t, s, f.anna, "a", 2, 1, `[4, "Y"]`)                   // XabcY
		res := f.submit(t, s, f.bernd, "b", 1, 0, `[1, {"d": 1}, "Z"]`) // typed on "abc": aZc
		if res.Op.Version != 2 {
			t.Fatalf("committed at %d, want 2", res.Op.Version)
		}
		if text, _ := f.snapshot(t, s); text != "XaZcY" {
			t.Fatalf("text = %q, want XaZcY", text)
		}
		// Concurrent inserts at one position: the later submit (side left)
		// goes first, as in ShareDB.
		f.submit(t, s, f.anna, "a", 3, 3, `["1"]`)
		f.submit(t, s, f.bernd, "b", 2, 3, `["2"]`)
		if text, _ := f.snapshot(t, s); text != "21XaZcY" {
			t.Fatalf("text = %q, want 21XaZcY", text)
		}
	})
}

func TestSubmitDuplicate(t *testing.T) {
	eachDoc(t, "Text", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{})
		first := f.submit(t, s, f.anna, "a", 7, 0, `[4, "!"]`)
		again := f.submit(t, s, f.anna, "a", 7, 0, `[4, "!"]`)
		if !again.Duplicate || again.Op.Version != first.Op.Version || string(again.Op.Op) != string(first.Op.Op) {
			t.Fatalf("resend: %+v duplicate=%v, want original %+v", again.Op, again.Duplicate, first.Op)
		}
		// Others commit; then the same op is resent against its stale base.
		f.submit(t, s, f.bernd, "b", 1, 1, `["Neuer "]`)
		f.submit(t, s, f.bernd, "b", 2, 2, `[11, "?"]`)
		stale := f.submit(t, s, f.anna, "a", 7, 0, `[4, "!"]`)
		if !stale.Duplicate || stale.Op.Version != 0 {
			t.Fatalf("stale resend: %+v duplicate=%v", stale.Op, stale.Duplicate)
		}
		// A second service (another instance) has no cache of it either.
		other := collab.New(f.store, collab.Options{})
		if res := f.submit(t, other, f.anna, "a", 7, 0, `[4, "!"]`); !res.Duplicate || res.Op.Version != 0 {
			t.Fatalf("resend to other instance: %+v duplicate=%v", res.Op, res.Duplicate)
		}
		if text, v := f.snapshot(t, s); text != "Neuer Text!?" || v != 3 {
			t.Fatalf("text %q at %d, want %q at 3", text, v, "Neuer Text!?")
		}
	})
}

func TestSubmitDuplicateInOneBatch(t *testing.T) {
	eachDoc(t, "", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{})
		const n = 20
		results := make([]*domain.SubmitResult, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = f.submit(t, s, f.anna, "a", 1, 0, `["x"]`)
			}()
		}
		wg.Wait()
		fresh := 0
		for _, r := range results {
			if !r.Duplicate {
				fresh++
			}
			if r.Op.Version != 0 {
				t.Fatalf("version %d, want 0", r.Op.Version)
			}
		}
		if text, v := f.snapshot(t, s); fresh != 1 || text != "x" || v != 1 {
			t.Fatalf("%d fresh commits, text %q at %d; want 1, \"x\", 1", fresh, text, v)
		}
	})
}

func TestSubmitRejects(t *testing.T) {
	eachDoc(t, "Leitlinien", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{})
		f.submit(t, s, f.anna, "a", 1, 0, `[10, "."]`)
		ctx := context.Background()
		cases := []struct {
			name string
			req  domain.SubmitRequest
			code string
		}{
			{"past the end", f.req(f.anna, "a", 2, 1, `[12, "x"]`), domain.EINVALID},
			{"delete past the end", f.req(f.anna, "a", 3, 1, `[5, {"d": 7}]`), domain.EINVALID},
			{"past the end of a stale base", f.req(f.anna, "a", 4, 0, `[11, "x"]`), domain.EINVALID},
			{"malformed json", f.req(f.anna, "a", 5, 1, `[1, "x"`), domain.EINVALID},
			{"not an op", f.req(f.anna, "a", 6, 1, `{"insert": "x"}`), domain.EINVALID},
			{"negative skip", f.req(f.anna, "a", 7, 1, `[-1, "x"]`), domain.EINVALID},
			{"invalid utf-8", f.req(f.anna, "a", 8, 1, "[\"\xff\xfe\"]"), domain.EINVALID},
			{"empty", f.req(f.anna, "a", 9, 1, ``), domain.EINVALID},
			{"no client", f.req(f.anna, "", 1, 1, `["x"]`), domain.EINVALID},
			{"negative base", f.req(f.anna, "a", 10, -1, `["x"]`), domain.EINVALID},
			{"version ahead", f.req(f.anna, "a", 11, 2, `["x"]`), domain.ECONFLICT},
			{"unknown document", domain.SubmitRequest{Doc: domain.DocKey{Kind: f.doc.Kind, ID: f.doc.ID + 1000}, Op: []byte(`["x"]`), UserID: f.anna.ID, ClientID: "a", Seq: 12}, domain.ENOTFOUND},
		}
		for _, c := range cases {
			_, err := s.Submit(ctx, c.req)
			wantCode(t, err, c.code)
			if c.name == "version ahead" && !errors.Is(err, collab.ErrVersionAhead) {
				t.Fatalf("%s: %v does not wrap ErrVersionAhead", c.name, err)
			}
		}
		if text, v := f.snapshot(t, s); text != "Leitlinien." || v != 1 {
			t.Fatalf("rejected ops changed the document: %q at %d", text, v)
		}
		if _, ops := f.replayLog(t, s); len(ops) != 1 {
			t.Fatalf("log has %d ops, want 1", len(ops))
		}
		// A rejected op does not block a later valid one in the same queue.
		if res := f.submit(t, s, f.anna, "a", 13, 1, `["Die "]`); res.Op.Version != 1 {
			t.Fatalf("committed at %d, want 1", res.Op.Version)
		}
	})
}

func TestSubmitFinalDocumentLocked(t *testing.T) {
	eachDoc(t, "Beschlossen", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{})
		f.submit(t, s, f.anna, "a", 1, 0, `[11, "."]`)
		f.finalise(t)
		_, err := s.Submit(context.Background(), f.req(f.anna, "a", 2, 1, `["x"]`))
		wantCode(t, err, domain.ELOCKED)
		// The op committed before the lock is still acknowledged on resend.
		if res := f.submit(t, s, f.anna, "a", 1, 0, `[11, "."]`); !res.Duplicate {
			t.Fatal("resend of a committed op to a final document is not a duplicate")
		}
		if text, v := f.snapshot(t, s); text != "Beschlossen." || v != 1 {
			t.Fatalf("final document changed: %q at %d", text, v)
		}
	})
}

// waitPublished waits until OnCommit delivered n ops.
func waitPublished(t *testing.T, mu *sync.Mutex, got *[]*domain.CommittedOp, n int) {
	t.Helper()
	for range 500 {
		mu.Lock()
		k := len(*got)
		mu.Unlock()
		if k >= n {
			return
		}
		sleep()
	}
	t.Fatalf("OnCommit delivered %d ops, want %d", len(*got), n)
}

func TestCloseDrainsHooksAndRejects(t *testing.T) {
	eachDoc(t, "", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{})
		var mu sync.Mutex
		var got []int64
		s.OnCommit(func(op *domain.CommittedOp) { panic("hook bug") })
		s.OnCommit(func(op *domain.CommittedOp) { mu.Lock(); got = append(got, op.Version); mu.Unlock() })
		var wg sync.WaitGroup
		for i := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				f.submit(t, s, f.anna, fmt.Sprint("c", i), 1, 0, `["x"]`)
			}()
		}
		wg.Wait()
		s.Close()
		// Close returns only after every hook ran, despite the panicking one.
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n != 10 {
			t.Fatalf("hooks saw %d ops before Close returned, want 10", n)
		}
		_, err := s.Submit(context.Background(), f.req(f.anna, "late", 1, 10, `["y"]`))
		wantCode(t, err, domain.EUNAVAILABLE)
		if text, v := f.snapshot(t, s); text != "xxxxxxxxxx" || v != 10 {
			t.Fatalf("after Close: %q at %d", text, v)
		}
		s.Close() // a second Close is harmless
	})
}

func TestSubmitTooOld(t *testing.T) {
	eachDoc(t, "", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{MaxTransformSpan: 3})
		for i := range 5 {
			f.submit(t, s, f.anna, "a", int64(i+1), int64(i), `["x"]`)
		}
		_, err := s.Submit(context.Background(), f.req(f.bernd, "b", 1, 1, `["y"]`))
		wantCode(t, err, domain.ECONFLICT)
		if !errors.Is(err, collab.ErrVersionTooOld) {
			t.Fatalf("%v does not wrap ErrVersionTooOld", err)
		}
		// A resend from that far back is still acknowledged.
		if res := f.submit(t, s, f.anna, "a", 1, 0, `["x"]`); !res.Duplicate || res.Op.Version != 0 {
			t.Fatalf("old resend: %+v duplicate=%v", res.Op, res.Duplicate)
		}
		if res := f.submit(t, s, f.bernd, "b", 2, 2, `["y"]`); res.Op.Version != 5 {
			t.Fatalf("committed at %d, want 5", res.Op.Version)
		}
	})
}

// TestSectionsInMemoryAreBounded edits more sections than the service may
// hold: the ones idle longest are dropped, and a dropped section is read
// back from the database when it is edited again.
func TestSectionsInMemoryAreBounded(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, "Abschnitt 0")
		s := collab.New(db, collab.Options{MaxDocs: 4})
		ids := []int64{f.doc.ID}
		for i := 1; i < 10; i++ {
			d := &domain.Section{StrategyID: f.section.StrategyID, Part: domain.PartSchwerpunkt, Title: fmt.Sprintf("Abschnitt %d", i), Text: "Text"}
			if err := db.CreateSection(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, d.ID)
		}
		for i, id := range ids {
			req := f.req(f.anna, "a", 1, 0, `["x"]`)
			req.Doc = domain.SectionDoc(id)
			if _, err := s.Submit(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			if n := s.Stats().Docs; n > 4 {
				t.Fatalf("%d sections in memory after editing %d; want at most 4", n, i+1)
			}
		}
		res := f.submit(t, s, f.anna, "a", 2, 1, `[1,"y"]`)
		if res.Op.Version != 1 {
			t.Fatalf("edit of a dropped section committed at %d; want 1", res.Op.Version)
		}
		if text, _ := f.snapshot(t, s); text != "xyAbschnitt 0" {
			t.Fatalf("dropped section reads %q", text)
		}
	})
}

// TestSubmitTextCap refuses an op that would make the text longer than
// MaxTextLen, and still takes one that shortens it.
func TestSubmitTextCap(t *testing.T) {
	eachDoc(t, "Netze", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{MaxTextLen: 10})
		defer s.Close()
		f.submit(t, s, f.anna, "a", 0, 0, `[5, " für😀"]`) // exactly 10 code points
		_, err := s.Submit(context.Background(), f.req(f.anna, "a", 1, 1, `[10, "!"]`))
		if domain.ErrorCode(err) != domain.ETOOLARGE {
			t.Fatalf("growing past the cap: %v", err)
		}
		f.submit(t, s, f.anna, "a", 2, 1, `[9, {"d": 1}, "x"]`) // same length
		f.submit(t, s, f.anna, "a", 3, 2, `[{"d": 6}]`)
		if text, v := f.snapshot(t, s); text != "fürx" || v != 3 {
			t.Fatalf("text %q at %d", text, v)
		}
	})
}

// TestSubmitKindCap: a Stellungnahme is capped at its own length
// (domain.MaxStatementLen) live as over REST; a section at the engine's.
func TestSubmitKindCap(t *testing.T) {
	eachDoc(t, "", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{})
		defer s.Close()
		f.submit(t, s, f.anna, "a", 0, 0, `["`+strings.Repeat("ä", domain.MaxStatementLen)+`"]`)
		_, err := s.Submit(context.Background(), f.req(f.anna, "a", 1, 1, `["!"]`))
		if f.doc.Kind == domain.DocStatement {
			if domain.ErrorCode(err) != domain.ETOOLARGE || !strings.Contains(err.Error(), "100000 Zeichen") {
				t.Fatalf("a statement grew past %d: %v", domain.MaxStatementLen, err)
			}
			f.submit(t, s, f.anna, "a", 2, 1, `[{"d": 1}, "x"]`) // same length
		} else if err != nil {
			t.Fatalf("a section refused at %d: %v", domain.MaxStatementLen, err)
		}
		want := domain.MaxStatementLen + 1 // the section took the "!"
		if f.doc.Kind == domain.DocStatement {
			want = domain.MaxStatementLen
		}
		if text, v := f.snapshot(t, s); utf8.RuneCountInString(text) != want || v != 2 {
			t.Fatalf("%d code points at %d, want %d at 2", utf8.RuneCountInString(text), v, want)
		}
	})
}
