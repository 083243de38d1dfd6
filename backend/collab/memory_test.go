package collab_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/domain"
)

// TestWriteConflictsAreRetried makes the store refuse writes as a database
// does when another instance committed first: every submit still commits
// exactly once, in both the locked and the optimistic path.
func TestWriteConflictsAreRetried(t *testing.T) {
	for _, conditional := range []bool{false, true} {
		f := newMemoryFixture("Ziel", conditional)
		s := collab.New(f.store, collab.Options{})
		f.mem.FailNextWrites(3)
		res := f.submit(t, s, f.anna, "a", 1, 0, `[4, "bild"]`)
		if res.Duplicate || res.Op.Version != 0 {
			t.Fatalf("conditional=%v: committed %+v", conditional, res.Op)
		}
		f.mem.FailNextWrites(2)
		f.submit(t, s, f.bernd, "b", 1, 0, `["Das "]`)
		if text, v := f.snapshot(t, s); text != "Das Zielbild" || v != 2 {
			t.Fatalf("conditional=%v: %q at %d", conditional, text, v)
		}
		if text, ops := f.replayLog(t, s); text != "Das Zielbild" || len(ops) != 2 {
			t.Fatalf("conditional=%v: log replays to %q with %d ops", conditional, text, len(ops))
		}
	}
}

// TestLostRacesRollBack makes optimistic writes find the document moved
// on, after the batch was applied to the cached text (a short text is
// written with the commit; a snapshot falls in the batch): the cache is
// rolled back and the batch committed once.
func TestLostRacesRollBack(t *testing.T) {
	for _, long := range []bool{false, true} {
		f := newMemoryFixture("Ziel", true)
		opts := collab.Options{SnapshotEvery: 2}
		if long {
			opts.LongText = 1 // the text is not written with commits
		}
		s := collab.New(f.store, opts)
		f.submit(t, s, f.anna, "a", 1, 0, `[4, "bild"]`)
		f.mem.LoseNextRaces(2)
		f.submit(t, s, f.bernd, "b", 1, 1, `["Das "]`)
		f.mem.LoseNextRaces(1)
		f.submit(t, s, f.anna, "a", 2, 2, `[12, "."]`)
		if text, v := f.snapshot(t, s); text != "Das Zielbild." || v != 3 {
			t.Fatalf("long=%v: cached text %q at %d", long, text, v)
		}
		s.Close()
		if _, text, err := f.store.DocText(context.Background(), f.doc); err != nil || text != "Das Zielbild." {
			t.Fatalf("long=%v: stored text %q (%v)", long, text, err)
		}
		checkTextAt(t, f, collab.New(f.store, collab.Options{}))
	}
}

// TestTwoInstancesConvergeInMemory runs two Services on one store, as two
// server instances share one database, under concurrent writers and
// injected conflicts.
// With snapshots every few versions, a batch's composed ops are applied to
// the cached text in the middle of it, before a write that may fail.
func TestTwoInstancesConvergeInMemory(t *testing.T) {
	for _, every := range []int64{0, 3} {
		f := newMemoryFixture("§", true)
		opts := collab.Options{RecentOps: 8, SnapshotEvery: every}
		services := []*collab.Service{collab.New(f.store, opts), collab.New(f.store, opts)}
		f.mem.FailNextWrites(5)
		w := &tokenWorkload{live: map[string]bool{}, deleted: map[string]bool{}}
		const workers, perWorker = 8, 25
		runWorkers(t, workers, func(i int) error { return w.run(t, f, services[i%2], i, perWorker) })
		w.check(t, f, services[0], workers*perWorker)
		checkTextAt(t, f, services[1])
	}
}

// TestSnapshotFromTheCache checks that a document this instance holds is
// read from its cache, without reading the text from the store, also
// after another instance committed to it; and that a document it does not
// hold is read from the store.
func TestSnapshotFromTheCache(t *testing.T) {
	f := newMemoryFixture("Ziel", true)
	a := collab.New(f.store, collab.Options{})
	b := collab.New(f.store, collab.Options{})
	defer a.Close()
	defer b.Close()

	if text, v := f.snapshot(t, a); text != "Ziel" || v != 0 {
		t.Fatalf("a document not held: %q at %d", text, v)
	}
	if n := f.mem.TextReads(); n != 1 {
		t.Fatalf("a document not held read its text %d times, want 1", n)
	}
	f.submit(t, a, f.anna, "a", 1, 0, `[4, "bild"]`)
	waitIdle(t, a, f.doc)
	reads := f.mem.TextReads()
	for range 2 { // from the cache, then from the copy made for the first
		if text, v := f.snapshot(t, a); text != "Zielbild" || v != 1 {
			t.Fatalf("held: %q at %d", text, v)
		}
	}
	f.submit(t, b, f.bernd, "b", 1, 1, `["Das "]`) // another instance commits
	if text, v := f.snapshot(t, a); text != "Das Zielbild" || v != 2 {
		t.Fatalf("after another instance's commit: %q at %d", text, v)
	}
	if n := f.mem.TextReads() - reads; n != 0 {
		t.Fatalf("the held document read its text %d times from the store", n)
	}
	// The committer goes on from the caught-up cache.
	f.submit(t, a, f.anna, "a", 2, 2, `[12, "."]`)
	if text, ops := f.replayLog(t, a); text != "Das Zielbild." || len(ops) != 3 {
		t.Fatalf("log replays to %q with %d ops", text, len(ops))
	}
	if text, v := f.snapshot(t, b); text != "Das Zielbild." || v != 3 {
		t.Fatalf("b: %q at %d", text, v)
	}
}

// waitIdle waits until no committer runs for doc on s.
func waitIdle(t *testing.T, s *collab.Service, doc domain.DocKey) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second) // bounds a broken run only
	for !collab.Idle(s, doc) {
		if time.Now().After(deadline) {
			t.Fatal("the committer did not stop")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestSnapshotsBesideCommits reads the text while two instances commit to
// the document: every text read is the log's text at the version returned.
func TestSnapshotsBesideCommits(t *testing.T) {
	f := newMemoryFixture("§", true)
	services := []*collab.Service{collab.New(f.store, collab.Options{RecentOps: 8}), collab.New(f.store, collab.Options{RecentOps: 8})}
	w := &tokenWorkload{live: map[string]bool{}, deleted: map[string]bool{}}
	const workers, perWorker, readers = 4, 25, 2
	type read struct {
		text string
		v    int64
	}
	var reads [readers][]read
	done := make(chan struct{})
	var wg sync.WaitGroup
	for i := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				text, v, err := services[i%2].Snapshot(context.Background(), f.doc)
				if err != nil {
					t.Error(err)
					return
				}
				reads[i] = append(reads[i], read{text, v})
			}
		}()
	}
	runWorkers(t, workers, func(i int) error { return w.run(t, f, services[i%2], i, perWorker) })
	close(done)
	wg.Wait()
	w.check(t, f, services[0], workers*perWorker)
	seen := map[int64]string{} // each version is checked against the log once
	for _, rs := range reads {
		for _, r := range rs {
			if text, ok := seen[r.v]; ok {
				if text != r.text {
					t.Fatalf("Snapshot gave %q and %q at %d", text, r.text, r.v)
				}
				continue
			}
			want, err := f.store.TextAt(context.Background(), f.doc, r.v)
			if err != nil || want != r.text {
				t.Fatalf("Snapshot gave %q at %d, the log has %q (%v)", r.text, r.v, want, err)
			}
			seen[r.v] = r.text
		}
	}
	if len(seen) == 0 {
		t.Fatal("no text was read")
	}
}
