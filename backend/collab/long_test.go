package collab_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/domain"
)

// longDoc is a text of more than collab.DefaultLongText code points, with
// letters outside ASCII and outside the BMP, so that code points, bytes
// and UTF-16 units differ.
var longDoc = strings.Repeat("Föderale Verwaltung 😀 digital. ", collab.DefaultLongText/30+100)

// typeInto commits n ops from two clients: each inserts or deletes at a
// random place, based on the version its own last op was committed at,
// so most are transformed past the other's.
func typeInto(t *testing.T, f *fixture, s *collab.Service, n int, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 22))
	ctx := context.Background()
	base := map[string]int64{}
	for i := range n {
		user, client := f.anna, fmt.Sprintf("a%d", seed)
		if i%2 == 1 {
			user, client = f.bernd, fmt.Sprintf("b%d", seed)
		}
		text, err := s.TextAt(ctx, f.doc, base[client])
		if err != nil {
			t.Fatal(err)
		}
		size := utf8.RuneCountInString(text)
		pos := rng.IntN(size)
		op := at(pos, fmt.Sprintf(`"ä😀%d"`, i))
		if rng.IntN(3) == 0 {
			op = at(pos, fmt.Sprintf(`{"d": %d}`, min(1+rng.IntN(5), size-pos)))
		}
		res, err := s.Submit(ctx, f.req(user, client, int64(i), base[client], op))
		if err != nil {
			t.Fatalf("op %d (%s at %d): %v", i, op, base[client], err)
		}
		base[client] = res.Op.Version + 1
	}
}

// at is the op of one component at pos (JSON).
func at(pos int, comp string) string {
	if pos == 0 {
		return "[" + comp + "]"
	}
	return fmt.Sprintf("[%d, %s]", pos, comp)
}

// head reads the document's head under its lock: the version and the
// version of the stored text.
func (f *fixture) head(t *testing.T) domain.DocHead {
	t.Helper()
	var h domain.DocHead
	if err := f.store.LockDoc(context.Background(), f.doc, func(_ domain.OpLogTx, head domain.DocHead) error {
		h = head
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return h
}

// storedText is the document's text as every reader outside collab gets
// it: the section or statement read through the store (the memory store
// has only DocText).
func (f *fixture) storedText(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	switch {
	case f.db == nil:
		_, text, err := f.store.DocText(ctx, f.doc)
		if err != nil {
			t.Fatal(err)
		}
		return text
	case f.doc.Kind == domain.DocSection:
		sec, err := f.db.FindSectionByID(ctx, f.doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		return sec.Text
	default:
		st, err := f.db.FindStatementByID(ctx, f.doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		cur, err := f.db.FindStatement(ctx, f.phase, f.anna.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		if cur.Body != st.Body || cur.DocVersion != st.DocVersion {
			t.Fatalf("FindStatement = %d code points at %d, FindStatementByID %d at %d",
				utf8.RuneCountInString(cur.Body), cur.DocVersion, utf8.RuneCountInString(st.Body), st.DocVersion)
		}
		return st.Body
	}
}

// checkReaders compares every reader of the head text with a replay of the
// whole log.
func checkReaders(t *testing.T, f *fixture, s *collab.Service) {
	t.Helper()
	want, ops := f.replayLog(t, s)
	if text, v := f.snapshot(t, s); text != want || v != int64(len(ops)) {
		t.Fatalf("Snapshot = %d code points at %d, want %d at %d", utf8.RuneCountInString(text), v, utf8.RuneCountInString(want), len(ops))
	}
	if got := f.storedText(t); got != want {
		t.Fatalf("the store reads %d code points, the log replays to %d", utf8.RuneCountInString(got), utf8.RuneCountInString(want))
	}
}

func TestLongTextIsWrittenWhenIdle(t *testing.T) {
	eachDoc(t, longDoc, func(t *testing.T, f *fixture) {
		// Snapshots every 10 versions, and no idle flush while typing.
		s := collab.New(f.store, collab.Options{SnapshotEvery: 10, FlushIdle: time.Hour})
		typeInto(t, f, s, 150, 1)
		h := f.head(t)
		if h.Version != 150 || h.TextVersion != 0 {
			t.Fatalf("head %+v: the long text was written with the commits", h)
		}
		checkReaders(t, f, s)
		checkTextAt(t, f, s)

		// A restore reads old versions and the head.
		at40, err := s.TextAt(context.Background(), f.doc, 40)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Restore(context.Background(), f.anna, f.doc, 40); err != nil {
			t.Fatal(err)
		}
		if text, v := f.snapshot(t, s); text != at40 || v != 151 {
			t.Fatalf("after the restore: %d code points at %d, want those of version 40 at 151", utf8.RuneCountInString(text), v)
		}
		checkReaders(t, f, s)

		// Close writes the text.
		s.Close()
		if h := f.head(t); h.TextVersion != h.Version {
			t.Fatalf("after Close: head %+v", h)
		}
		checkReaders(t, f, collab.New(f.store, collab.Options{}))
	})
}

// Readers of a long text that is not written yet do not postpone its
// idle flush, however often they read: here every read on instance a
// first catches up with an op instance b committed, so no read is served
// from the copy made for the one before.
func TestReadsDoNotPostponeTheFlush(t *testing.T) {
	f := newMemoryFixture(longDoc, true)
	a := collab.New(f.store, collab.Options{FlushIdle: 200 * time.Millisecond})
	b := collab.New(f.store, collab.Options{FlushIdle: time.Hour, SnapshotEvery: 1 << 40}) // never writes the text itself
	defer a.Close()
	defer b.Close()
	typeInto(t, f, a, 5, 4)
	deadline := time.Now().Add(30 * time.Second) // bounds a broken run only
	for seq := int64(1); f.head(t).TextVersion == 0; seq++ {
		if time.Now().After(deadline) {
			t.Fatalf("a's text was not written while it was read: head %+v", f.head(t))
		}
		res := f.submit(t, b, f.bernd, "b", seq, 4+seq, `["x"]`)
		if _, v := f.snapshot(t, a); v != res.Op.Version+1 {
			t.Fatalf("a read version %d after b committed %d", v, res.Op.Version)
		}
	}
}

// Snapshots of a long text are written after the commits of their
// versions, not with them; Close waits for them.
func TestLongTextSnapshotsAreWrittenAfterTheCommit(t *testing.T) {
	f := newMemoryFixture(longDoc, true)
	s := collab.New(f.store, collab.Options{SnapshotEvery: 10, FlushIdle: time.Hour})
	typeInto(t, f, s, 45, 3)
	s.Close()
	if got, want := f.mem.SnapshotVersions(f.doc), []int64{0, 10, 20, 30, 40}; !slices.Equal(got, want) {
		t.Fatalf("snapshots at %v, want %v", got, want)
	}
	checkTextAt(t, f, collab.New(f.store, collab.Options{}))
}

// Structure edits of a section and the submission of a statement read
// the head text like every reader; submitting stores it, since no op
// changes a submitted statement any more.
func TestLongTextThroughStructureAndSubmission(t *testing.T) {
	eachStoredDoc(t, longDoc, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		s := collab.New(f.store, collab.Options{SnapshotEvery: 10, FlushIdle: time.Hour})
		typeInto(t, f, s, 35, 7)
		want, _ := f.replayLog(t, s)
		if f.doc.Kind == domain.DocSection {
			title := "Zielbild Datennutzung und -austausch"
			sec, err := f.db.UpdateSection(ctx, f.doc.ID, domain.SectionUpdate{Title: &title})
			if err != nil || sec.Text != want || sec.Version != 35 {
				t.Fatalf("UpdateSection = %d code points at %d, %v", utf8.RuneCountInString(sec.Text), sec.Version, err)
			}
			s.Close()
			return
		}
		st, err := f.db.SubmitStatement(ctx, f.phase, f.anna.OrgID, f.anna.ID, time.Now())
		if err != nil || st.Body != want || st.DocVersion != 35 {
			t.Fatalf("SubmitStatement: %v", err)
		}
		if h := f.head(t); h.TextVersion != 35 || !h.Final {
			t.Fatalf("head %+v after submitting", h)
		}
		s.Close() // nothing left to write, and a submitted row takes no write
		if h := f.head(t); h.TextVersion != 35 {
			t.Fatalf("head %+v", h)
		}
		checkReaders(t, f, collab.New(f.store, collab.Options{}))
	})
}

func TestShortTextIsWrittenWithEveryCommit(t *testing.T) {
	eachDoc(t, "Föderale Verwaltung", func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{FlushIdle: time.Hour})
		typeInto(t, f, s, 20, 2)
		if h := f.head(t); h.TextVersion != h.Version || h.Version != 20 {
			t.Fatalf("head %+v", h)
		}
		checkReaders(t, f, s)
	})
}

func TestLongTextFlushes(t *testing.T) {
	eachDoc(t, longDoc, func(t *testing.T, f *fixture) {
		t.Run("when idle", func(t *testing.T) {
			s := collab.New(f.store, collab.Options{FlushIdle: 10 * time.Millisecond})
			defer s.Close()
			typeInto(t, f, s, 30, 3)
			waitHead(t, f, func(h domain.DocHead) bool { return h.TextVersion == 30 })
			checkReaders(t, f, s)
			if n := s.Stats().Flushed; n == 0 {
				t.Fatal("no flush counted")
			}
		})
		t.Run("when far behind", func(t *testing.T) {
			// Never idle long enough; a snapshot every version, so the
			// stored text is written once it lags 64 versions.
			s := collab.New(f.store, collab.Options{SnapshotEvery: 1, FlushIdle: time.Hour})
			defer s.Close()
			start := f.head(t).Version
			typeInto(t, f, s, 80, 4)
			waitHead(t, f, func(h domain.DocHead) bool { return h.TextVersion >= start+64 })
			if h := f.head(t); h.TextVersion == h.Version {
				t.Fatalf("head %+v: written to the end without being idle", h)
			}
			checkReaders(t, f, s)
		})
	})
}

// waitHead polls the head until ok holds, failing after a generous while.
func waitHead(t *testing.T, f *fixture, ok func(domain.DocHead) bool) {
	t.Helper()
	for range 1500 {
		if ok(f.head(t)) {
			return
		}
		sleep()
	}
	t.Fatalf("head stays %+v", f.head(t))
}

func TestColdServiceReadsLongText(t *testing.T) {
	eachDoc(t, longDoc, func(t *testing.T, f *fixture) {
		a := collab.New(f.store, collab.Options{SnapshotEvery: 7, FlushIdle: time.Hour})
		typeInto(t, f, a, 120, 5)
		// Not closed: as if the instance had stopped without writing.
		b := collab.New(f.store, collab.Options{SnapshotEvery: 7, FlushIdle: time.Hour})
		checkReaders(t, f, b)
		want, _ := f.replayLog(t, b)
		res := f.submit(t, b, f.bernd, "cold", 1, 120, `["§"]`)
		if res.Op.Version != 120 {
			t.Fatalf("committed at %d", res.Op.Version)
		}
		if text, _ := f.snapshot(t, b); text != "§"+want {
			t.Fatal("the cold service committed on a wrong text")
		}
		checkReaders(t, f, b)
	})
}

func TestTwoInstancesWriteLongText(t *testing.T) {
	for _, name := range []string{"sqlite", "postgres"} {
		for _, kind := range []domain.DocKind{domain.DocSection, domain.DocStatement} {
			t.Run(name+"/"+string(kind), func(t *testing.T) {
				url := instanceURLs[name](t)
				dbA, dbB := openStore(t, url), openStore(t, url)
				newDoc := newFixture
				if kind == domain.DocStatement {
					newDoc = newStatementFixture
				}
				f := newDoc(t, dbA, longDoc)
				opts := collab.Options{SnapshotEvery: 5, FlushIdle: 5 * time.Millisecond, RecentOps: 8}
				a, b := collab.New(dbA, opts), collab.New(dbB, opts)
				runWorkers(t, 4, func(i int) error {
					s := a
					if i%2 == 1 {
						s = b
					}
					ctx := context.Background()
					var base int64
					for seq := range 40 {
						res, err := s.Submit(ctx, f.req(f.anna, fmt.Sprint("w", i), int64(seq), base, at(seq*31+i, fmt.Sprintf(`"%d·"`, i))))
						if err != nil {
							return err
						}
						base = res.Op.Version + 1
						if seq%10 == 9 {
							time.Sleep(15 * time.Millisecond) // long enough to flush now and then
						}
					}
					return nil
				})
				a.Close()
				b.Close()
				want, ops := f.replayLog(t, collab.New(dbB, opts))
				if h := f.head(t); h.Version != int64(len(ops)) || h.TextVersion != h.Version {
					t.Fatalf("head %+v after both closed, %d ops", h, len(ops))
				}
				fb := *f
				fb.store, fb.db = dbB, dbB
				for _, g := range []*fixture{f, &fb} {
					if got := g.storedText(t); got != want {
						t.Fatalf("stored text differs from the replayed log (%d and %d code points)",
							utf8.RuneCountInString(got), utf8.RuneCountInString(want))
					}
				}
				checkTextAt(t, f, collab.New(dbA, opts))
			})
		}
	}
}

// The store rebuilds a long text from whichever is newer, the stored text
// or a snapshot, and a flush never moves the stored text back.
func TestStoreRebuildsFromNewerBase(t *testing.T) {
	eachDoc(t, longDoc, func(t *testing.T, f *fixture) {
		s := collab.New(f.store, collab.Options{SnapshotEvery: 10, FlushIdle: time.Hour})
		typeInto(t, f, s, 45, 6)
		ctx := context.Background()
		at25, err := s.TextAt(ctx, f.doc, 25)
		if err != nil {
			t.Fatal(err)
		}
		// Stored text at 25, snapshots at 0 .. 40: versions after 40 start
		// from the snapshot at 40, 25 .. 29 from the stored text.
		if ok, err := f.store.FlushText(ctx, f.doc, 25, at25); err != nil || !ok {
			t.Fatalf("FlushText(25) = %v, %v", ok, err)
		}
		if ok, err := f.store.FlushText(ctx, f.doc, 20, "stale"); err != nil || ok {
			t.Fatalf("FlushText(20) after 25 = %v, %v; want false", ok, err)
		}
		if ok, err := f.store.FlushText(ctx, f.doc, 46, "ahead"); err != nil || ok {
			t.Fatalf("FlushText past the head = %v, %v; want false", ok, err)
		}
		if h := f.head(t); h.TextVersion != 25 {
			t.Fatalf("head %+v", h)
		}
		checkTextAt(t, f, s)
		checkReaders(t, f, s)
		// A stored text that is not the text at its version shows at
		// exactly the versions rebuilt from it.
		truth := map[int64]string{}
		for _, v := range []int64{30, 33, 35, 40, 45} {
			if truth[v], err = s.TextAt(ctx, f.doc, v); err != nil {
				t.Fatal(err)
			}
		}
		_, first := utf8.DecodeRuneInString(truth[33])
		if ok, err := f.store.FlushText(ctx, f.doc, 33, "#"+truth[33][first:]); err != nil || !ok {
			t.Fatalf("FlushText(33) = %v, %v", ok, err)
		}
		for v, fromStored := range map[int64]bool{30: false, 33: true, 35: true, 40: false, 45: false} {
			text, err := s.TextAt(ctx, f.doc, v)
			if err != nil {
				t.Fatal(err)
			}
			if (text != truth[v]) != fromStored {
				t.Errorf("TextAt(%d) built from the stored text: %v, want %v", v, text != truth[v], fromStored)
			}
		}
	})
}
