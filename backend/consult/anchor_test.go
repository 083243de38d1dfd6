package consult_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// TestAnchorsSurviveConcurrentEdits lets several clients on two server
// instances edit one section at random while both instances keep reading
// (and so moving and storing) the threads' anchors. Afterwards the whole op
// log is replayed over the original characters, each tagged with its index:
// every surviving character of a thread's quote must lie inside the
// thread's range, and a thread marked removed must have none left.
func TestAnchorsSurviveConcurrentEdits(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		cols := []*collab.Service{f.col, collab.New(db, collab.Options{})}
		svcs := []*consult.Service{f.svc, f.service(cols[1])}
		rng := rand.New(rand.NewPCG(7, uint64(len(db.Dialect()))))
		n := len([]rune(sectionText))
		type quoted struct {
			id         int64
			start, end int
		}
		var threads []quoted
		for i := 0; i < 12; i++ {
			s := rng.IntN(n - 1)
			e := s + 1 + rng.IntN(min(15, n-s-1))
			th, err := f.svc.CreateThread(ctx, f.land, consult.NewThread{SectionID: f.section.ID, Kind: domain.KindKommentar,
				Start: s, End: e, Version: 0, Body: "Anmerkung"})
			must(t, err)
			threads = append(threads, quoted{th.ID, s, e})
		}

		const clients, editsEach = 4, 25
		var wg sync.WaitGroup
		errs := make(chan error, clients*2)
		for c := 0; c < clients; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				r := rand.New(rand.NewPCG(uint64(c), 99))
				col := cols[c%2]
				for i := 0; i < editsEach; i++ {
					text, v, err := col.Snapshot(ctx, domain.SectionDoc(f.section.ID))
					if err != nil {
						errs <- err
						return
					}
					op := randomOp(r, len([]rune(text)))
					_, err = col.Submit(ctx, domain.SubmitRequest{Doc: domain.SectionDoc(f.section.ID), BaseVersion: v, Op: op,
						UserID: f.pate.ID, ClientID: fmt.Sprintf("client-%d", c), Seq: int64(i + 1)})
					if err != nil {
						errs <- err
						return
					}
					if i%5 == 0 { // readers on either instance move and store anchors meanwhile
						if _, err := svcs[(c+i)%2].SectionThreads(ctx, f.moderator, f.section.ID); err != nil {
							errs <- err
							return
						}
					}
				}
			}(c)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}

		// Replay the op log over tagged characters.
		ids := make([]int, n)
		for i := range ids {
			ids[i] = i
		}
		text := sectionText
		for from := int64(0); ; {
			ops, err := f.col.OpsSince(ctx, domain.SectionDoc(f.section.ID), from, 1000)
			must(t, err)
			if len(ops) == 0 {
				break
			}
			for _, c := range ops {
				op, err := ot.Parse(c.Op)
				must(t, err)
				ids = consult.ApplyTagged(ids, op)
				text, err = ot.Apply(text, op)
				must(t, err)
				from = c.Version + 1
			}
		}
		final, v := f.text(t)
		if final != text || v != clients*editsEach {
			t.Fatalf("replayed text differs or version %d", v)
		}
		got, err := svcs[1].SectionThreads(ctx, f.land, f.section.ID)
		must(t, err)
		removed := 0
		for i, q := range threads {
			a := got[i].Anchor
			if got[i].ID != q.id {
				t.Fatalf("thread order changed")
			}
			survivors := 0
			for pos, id := range ids {
				if id >= q.start && id < q.end {
					survivors++
					if a.Removed || pos < a.Start || pos >= a.End {
						t.Fatalf("thread %d: quoted character %d at %d outside anchor %+v", q.id, id, pos, a)
					}
				}
			}
			if a.Removed {
				removed++
			} else if a.Version != v || a.End > len(ids) {
				t.Fatalf("thread %d: anchor %+v not at version %d", q.id, a, v)
			}
		}
		t.Logf("%d of %d anchors removed after %d edits", removed, len(threads), v)
	})
}

// randomOp inserts (sometimes astral characters) or deletes at a random
// place of a text of n code points.
func randomOp(r *rand.Rand, n int) []byte {
	pos := r.IntN(n + 1)
	var op ot.Op
	if pos > 0 {
		op = append(op, ot.Component{Skip: pos})
	}
	if n-pos > 0 && r.IntN(2) == 0 {
		op = append(op, ot.Component{Del: 1 + r.IntN(min(6, n-pos))})
	} else {
		op = append(op, ot.Component{Ins: []string{"x", "Länder ", "😀", "ab"}[r.IntN(4)]})
	}
	b, _ := op.MarshalJSON()
	return b
}
