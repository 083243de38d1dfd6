package collab_test

import (
	"testing"

	"github.com/strategieraum/strategieraum/backend/collab"
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

// TestTwoInstancesConvergeInMemory runs two Services on one store, as two
// server instances share one database, under concurrent writers and
// injected conflicts.
func TestTwoInstancesConvergeInMemory(t *testing.T) {
	f := newMemoryFixture("§", true)
	services := []*collab.Service{collab.New(f.store, collab.Options{RecentOps: 8}), collab.New(f.store, collab.Options{RecentOps: 8})}
	f.mem.FailNextWrites(5)
	w := &tokenWorkload{live: map[string]bool{}, deleted: map[string]bool{}}
	const workers, perWorker = 8, 25
	runWorkers(t, workers, func(i int) error { return w.run(t, f, services[i%2], i, perWorker) })
	w.check(t, f, services[0], workers*perWorker)
	checkTextAt(t, f, services[1])
}
