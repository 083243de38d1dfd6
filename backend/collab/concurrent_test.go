package collab_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// tokenWorkload lets each worker insert unique tokens like "⟨3.17⟩" at token
// boundaries of the text it last read, and delete whole tokens it inserted
// earlier, always against a version others have moved past. Because edits
// never split a token, the final text must hold exactly the surviving
// tokens, each once, whatever order the server chose.
type tokenWorkload struct {
	mu      sync.Mutex
	live    map[string]bool
	deleted map[string]bool
}

func (w *tokenWorkload) run(t *testing.T, f *fixture, s *collab.Service, worker, ops int) error {
	rng := rand.New(rand.NewPCG(uint64(worker), 42))
	client := fmt.Sprintf("worker-%d", worker)
	var mine []string
	for seq := 1; seq <= ops; seq++ {
		text, v, err := s.Snapshot(context.Background(), f.doc)
		if err != nil {
			return err
		}
		var op ot.Op
		if len(mine) > 0 && rng.IntN(4) == 0 {
			tok := mine[rng.IntN(len(mine))]
			i := strings.Index(text, tok)
			if i < 0 {
				return fmt.Errorf("token %s missing at version %d", tok, v)
			}
			op = ot.Op{{Skip: utf8.RuneCountInString(text[:i])}, {Del: utf8.RuneCountInString(tok)}}.Normalize()
			mine = remove(mine, tok)
			w.mu.Lock()
			delete(w.live, tok)
			w.deleted[tok] = true
			w.mu.Unlock()
		} else {
			tok := fmt.Sprintf("⟨%d.%d⟩", worker, seq)
			bounds := boundaries(text)
			op = ot.Op{{Skip: bounds[rng.IntN(len(bounds))]}, {Ins: tok}}.Normalize()
			mine = append(mine, tok)
			w.mu.Lock()
			w.live[tok] = true
			w.mu.Unlock()
		}
		raw, err := json.Marshal(op)
		if err != nil {
			return err
		}
		res, err := s.Submit(context.Background(), domain.SubmitRequest{Doc: f.doc, BaseVersion: v,
			Op: raw, UserID: f.anna.ID, ClientID: client, Seq: int64(seq)})
		if err != nil {
			return fmt.Errorf("%s#%d (%s at %d): %w", client, seq, raw, v, errors.Unwrap(err))
		}
		if res.Duplicate || res.Op.Version < v {
			return fmt.Errorf("%s#%d: committed at %d from base %d (duplicate %v)", client, seq, res.Op.Version, v, res.Duplicate)
		}
	}
	return nil
}

// boundaries lists the code-point offsets in text where a token may go:
// the start and after every rune that is not inside a token.
func boundaries(text string) []int {
	out := []int{0}
	depth, n := 0, 0
	for _, r := range text {
		n++
		switch r {
		case '⟨':
			depth++
		case '⟩':
			depth--
		}
		if depth == 0 {
			out = append(out, n)
		}
	}
	return out
}

func remove(list []string, s string) []string {
	for i, x := range list {
		if x == s {
			return append(list[:i], list[i+1:]...)
		}
	}
	return list
}

// check verifies the final text against the surviving tokens and the log.
func (w *tokenWorkload) check(t *testing.T, f *fixture, s *collab.Service, total int) {
	t.Helper()
	text, _ := f.snapshot(t, s)
	replayed, ops := f.replayLog(t, s)
	if replayed != text {
		t.Fatalf("section text differs from replaying the log:\n%q\n%q", text, replayed)
	}
	if len(ops) != total {
		t.Fatalf("log has %d ops, want %d", len(ops), total)
	}
	rest := text
	for tok := range w.live {
		if c := strings.Count(text, tok); c != 1 {
			t.Fatalf("token %s appears %d times", tok, c)
		}
		rest = strings.Replace(rest, tok, "", 1)
	}
	for tok := range w.deleted {
		if strings.Contains(text, tok) {
			t.Fatalf("deleted token %s survived", tok)
		}
	}
	if rest != f.text {
		t.Fatalf("text holds more than the live tokens: %q", rest)
	}
}

func TestConcurrentSubmitsConverge(t *testing.T) {
	eachDoc(t, "§", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{SnapshotEvery: 7, RecentOps: 16})
		var mu sync.Mutex
		var published []*domain.CommittedOp
		s.OnCommit(func(op *domain.CommittedOp) { mu.Lock(); published = append(published, op); mu.Unlock() })
		w := &tokenWorkload{live: map[string]bool{}, deleted: map[string]bool{}}
		const workers, perWorker = 12, 25
		runWorkers(t, workers, func(i int) error { return w.run(t, f, s, i, perWorker) })
		w.check(t, f, s, workers*perWorker)
		waitPublished(t, &mu, &published, workers*perWorker)
		for i, op := range published {
			if op.Version != int64(i) {
				t.Fatalf("OnCommit delivered version %d as the %d-th op", op.Version, i)
			}
		}
		checkTextAt(t, f, s)
	})
}

// instanceURLs gives, per database, a URL that two pools (two instances)
// can open at once.
var instanceURLs = map[string]func(t testing.TB) string{
	"sqlite":   func(t testing.TB) string { return filepath.Join(t.TempDir(), "two.db") },
	"postgres": storetest.PostgresURL,
}

func TestTwoInstancesConverge(t *testing.T) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			url := instanceURLs[name](t)
			// Two pools and two services with their own queues and caches,
			// as two server instances have; only the database coordinates
			// them.
			dbA, dbB := openStore(t, url), openStore(t, url)
			f := newFixture(t, dbA, "§")
			a := collab.New(dbA, collab.Options{RecentOps: 8})
			b := collab.New(dbB, collab.Options{RecentOps: 8})
			w := &tokenWorkload{live: map[string]bool{}, deleted: map[string]bool{}}
			const workers, perWorker = 10, 25
			runWorkers(t, workers, func(i int) error {
				s := a
				if i%2 == 1 {
					s = b
				}
				return w.run(t, f, s, i, perWorker)
			})
			w.check(t, f, a, workers*perWorker)
			w.check(t, f, b, workers*perWorker)
		})
	}
}

// openStore opens and migrates the database at url, closed when t ends.
func openStore(t *testing.T, url string) *store.DB {
	t.Helper()
	return storetest.OpenURL(t, url, slog.New(slog.DiscardHandler))
}

func runWorkers(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- fn(i)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// checkTextAt compares TextAt at every version with replaying the log.
func checkTextAt(t *testing.T, f *fixture, s *collab.Service) {
	t.Helper()
	_, ops := f.replayLog(t, s)
	text := f.text
	for v := 0; v <= len(ops); v++ {
		got, err := s.TextAt(context.Background(), f.doc, int64(v))
		if err != nil {
			t.Fatalf("TextAt(%d): %v", v, err)
		}
		if got != text {
			t.Fatalf("TextAt(%d) = %q, want %q", v, got, text)
		}
		if v < len(ops) {
			op, _ := ot.Parse(ops[v].Op)
			text, _ = ot.Apply(text, op)
		}
	}
	for _, v := range []int64{-1, int64(len(ops)) + 1} {
		_, err := s.TextAt(context.Background(), f.doc, v)
		wantCode(t, err, domain.EINVALID)
	}
}

// TestResendRacesAcrossInstances sends every op to two instances at once, as
// a client does that reconnects elsewhere before its first ack arrives:
// exactly one of them commits it, and both report the same version.
func TestResendRacesAcrossInstances(t *testing.T) {
	urls := map[string]func(t testing.TB) string{
		"sqlite":   func(t testing.TB) string { return filepath.Join(t.TempDir(), "resend.db") },
		"postgres": storetest.PostgresURL,
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			url := urls[name](t)
			dbA, dbB := openStore(t, url), openStore(t, url)
			f := newFixture(t, dbA, "")
			services := []*collab.Service{collab.New(dbA, collab.Options{}), collab.New(dbB, collab.Options{})}
			const n = 30
			for seq := int64(1); seq <= n; seq++ {
				results := make([]*domain.SubmitResult, 2)
				runWorkers(t, 2, func(i int) (err error) {
					results[i], err = services[i].Submit(context.Background(), f.req(f.anna, "c", seq, seq-1, `["x"]`))
					return err
				})
				if results[0].Duplicate == results[1].Duplicate || results[0].Op.Version != results[1].Op.Version || results[0].Op.Version != seq-1 {
					t.Fatalf("seq %d: results %+v (dup %v) and %+v (dup %v)", seq,
						results[0].Op, results[0].Duplicate, results[1].Op, results[1].Duplicate)
				}
			}
			if text, v := f.snapshot(t, services[0]); v != n || text != strings.Repeat("x", n) {
				t.Fatalf("text %q at %d, want %d x at %d", text, v, n, n)
			}
			f.replayLog(t, services[1])
		})
	}
}

// TestOptimisticCommitLosesAndRecovers makes instance A's optimistic write
// lose against a commit by instance B: A must undo its edits of the cached
// text, catch up with B's op, transform its own past it and commit, and its
// cache must stay right for the commits after.
func TestOptimisticCommitLosesAndRecovers(t *testing.T) {
	url := storetest.PostgresURL(t)
	dbA, dbB := openStore(t, url), openStore(t, url)
	f := newFixture(t, dbA, "Hallo")
	a := collab.New(dbA, collab.Options{})
	b := collab.New(dbB, collab.Options{})
	f.submit(t, a, f.anna, "a", 1, 0, `[5," Welt"]`) // loads A's cache under the lock
	f.submit(t, a, f.anna, "a", 2, 1, `[10,"!"]`)    // optimistic: A was the last writer
	f.submit(t, b, f.bernd, "b", 1, 2, `["Ja, "]`)   // B commits version 2 behind A's back
	res := f.submit(t, a, f.anna, "a", 3, 2, `[11,"?"]`)
	if res.Op.Version != 3 || string(res.Op.Op) != `[15,"?"]` {
		t.Fatalf("A's op after losing the race: version %d op %s; want version 3 op [15,\"?\"]", res.Op.Version, res.Op.Op)
	}
	f.submit(t, a, f.anna, "a", 4, 4, `[{"d":4}]`)
	st := a.Stats()
	if st.Fast != 3 || st.Retries != 1 {
		t.Fatalf("A's stats %+v; want 3 optimistic commits, one of them after 1 lost race", st)
	}
	want := "Hallo Welt!?"
	if text, v := f.snapshot(t, b); text != want || v != 5 {
		t.Fatalf("section is %q at %d; want %q at 5", text, v, want)
	}
	if text, _ := f.replayLog(t, a); text != want {
		t.Fatalf("replaying the log gives %q; want %q", text, want)
	}
}

// TestObservedOpsSpareTheConflict reports B's commit to A as the realtime
// layer would: A's cache catches up from it, so A's next optimistic write
// wins at once, without a lost race or a read of the log.
func TestObservedOpsSpareTheConflict(t *testing.T) {
	url := storetest.PostgresURL(t)
	dbA, dbB := openStore(t, url), openStore(t, url)
	f := newFixture(t, dbA, "Hallo")
	a := collab.New(dbA, collab.Options{})
	b := collab.New(dbB, collab.Options{})
	a.Observe(f.submit(t, a, f.anna, "a", 1, 0, `[5," Welt"]`).Op) // its own op: already in its cache
	f.submit(t, a, f.anna, "a", 2, 1, `[10,"!"]`)
	other := f.submit(t, b, f.bernd, "b", 1, 2, `["Ja, "]`)
	a.Observe(other.Op)
	res := f.submit(t, a, f.anna, "a", 3, 3, `[15,"?"]`)
	if res.Op.Version != 3 {
		t.Fatalf("A's op committed at %d; want 3", res.Op.Version)
	}
	if st := a.Stats(); st.Fast != 2 || st.Retries != 0 {
		t.Fatalf("A's stats %+v; want 2 optimistic commits and no lost race", st)
	}
	if text, _ := f.snapshot(t, b); text != "Ja, Hallo Welt!?" {
		t.Fatalf("section is %q", text)
	}
}
