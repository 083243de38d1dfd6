package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// oplogSection creates a strategy with one section holding text and a user
// of organisation org.
func oplogSection(t testing.TB, db *store.DB, text, org string) (*domain.Section, *domain.User) {
	t.Helper()
	c := context.Background()
	st := &domain.Strategy{Title: "Föderale Digitalstrategie"}
	if err := db.CreateStrategy(c, st); err != nil {
		t.Fatal(err)
	}
	sec := &domain.Section{StrategyID: st.ID, Part: domain.PartDach, Title: "Leitlinien", Text: text}
	if err := db.CreateSection(c, sec); err != nil {
		t.Fatal(err)
	}
	return sec, oplogUser(t, db, "redaktion-"+org+"@example.org", "Redaktion "+org, org)
}

func oplogUser(t testing.TB, db *store.DB, email, name, org string) *domain.User {
	t.Helper()
	o, err := db.FindOrganisationByCode(context.Background(), org)
	if err != nil {
		t.Fatal(err)
	}
	u := &domain.User{Email: email, Name: name, OrgID: o.ID, Roles: []domain.Role{domain.RoleThemenpate}}
	if err := db.CreateUser(context.Background(), u, ""); err != nil {
		t.Fatal(err)
	}
	return u
}

// opRow builds a row; ops here are opaque to the store except for replay.
func opRow(sec int64, v int64, op string, user int64, client string, seq int64, ins, del int, at time.Time) *domain.LoggedOp {
	return &domain.LoggedOp{CommittedOp: domain.CommittedOp{Doc: domain.SectionDoc(sec), Version: v, Op: []byte(op), UserID: user,
		ClientID: client, Seq: seq, CreatedAt: at}, Inserted: ins, Deleted: del}
}

// appendOps commits rows (and snaps) with text as the new section text.
func appendOps(db *store.DB, sec int64, rows []*domain.LoggedOp, text string, snaps ...domain.DocSnapshot) error {
	return db.LockDoc(context.Background(), domain.SectionDoc(sec), func(tx domain.OpLogTx, _ domain.DocHead) error {
		return tx.AppendOps(rows, &text, snaps, time.Now())
	})
}

func TestOpLogAppendAndRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := context.Background()
		sec, u := oplogSection(t, db, "ab", "HE")
		at := time.Date(2025, 3, 1, 9, 30, 0, 123456000, time.UTC)
		err := db.LockDoc(c, domain.SectionDoc(sec.ID), func(tx domain.OpLogTx, head domain.DocHead) error {
			if head.Version != 0 || head.Final {
				t.Fatalf("head = %+v", head)
			}
			if text, err := tx.Text(); err != nil || text != "ab" {
				t.Fatalf("Text() = %q, %v", text, err)
			}
			return tx.AppendOps([]*domain.LoggedOp{
				opRow(sec.ID, 0, `[2,"c"]`, u.ID, "c1", 1, 1, 0, at),
				opRow(sec.ID, 1, `[3,"d"]`, u.ID, "c1", 2, 1, 0, at),
			}, ptr("abcd"), []domain.DocSnapshot{{Version: 0, Text: "ab"}}, at)
		})
		if err != nil {
			t.Fatal(err)
		}
		head, text, err := db.DocText(c, domain.SectionDoc(sec.ID))
		if err != nil || text != "abcd" || head.Version != 2 {
			t.Fatalf("SectionText = %+v %q %v", head, text, err)
		}
		ops, err := db.OpsSince(c, domain.SectionDoc(sec.ID), 0, 10)
		if err != nil || len(ops) != 2 {
			t.Fatalf("OpsSince = %d ops, %v", len(ops), err)
		}
		want := opRow(sec.ID, 1, `[3,"d"]`, u.ID, "c1", 2, 1, 0, at)
		if got := ops[1]; string(got.Op) != string(want.Op) || got.Version != 1 || got.UserID != u.ID ||
			got.ClientID != "c1" || got.Seq != 2 || got.Inserted != 1 || !got.CreatedAt.Equal(at) {
			t.Fatalf("op 1 = %+v, want %+v", got, want)
		}
		if ops, _ := db.OpsSince(c, domain.SectionDoc(sec.ID), 1, 10); len(ops) != 1 || ops[0].Version != 1 {
			t.Fatalf("OpsSince(1) = %v", ops)
		}
		if ops, _ := db.OpsSince(c, domain.SectionDoc(sec.ID), 0, 1); len(ops) != 1 {
			t.Fatalf("OpsSince limit 1 = %d ops", len(ops))
		}
		if op, err := db.FindOp(c, domain.SectionDoc(sec.ID), "c1", 2); err != nil || op.Version != 1 {
			t.Fatalf("FindOp = %+v, %v", op, err)
		}
		_, err = db.FindOp(c, domain.SectionDoc(sec.ID), "c1", 3)
		oplogWantCode(t, err, domain.ENOTFOUND)
		_, err = db.OpsSince(c, domain.SectionDoc(sec.ID+99), 0, 10)
		oplogWantCode(t, err, domain.ENOTFOUND)
		err = db.LockDoc(c, domain.SectionDoc(sec.ID+99), func(domain.OpLogTx, domain.DocHead) error { return nil })
		oplogWantCode(t, err, domain.ENOTFOUND)
	})
}

func TestOpLogAppendIsAtomic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		sec, u := oplogSection(t, db, "", "HB")
		now := time.Now()
		if err := appendOps(db, sec.ID, []*domain.LoggedOp{opRow(sec.ID, 0, `["x"]`, u.ID, "a", 1, 1, 0, now)}, "x"); err != nil {
			t.Fatal(err)
		}
		cases := map[string][]*domain.LoggedOp{
			"version taken": {opRow(sec.ID, 0, `["y"]`, u.ID, "b", 1, 1, 0, now)},
			"second op resends (client, seq)": {
				opRow(sec.ID, 1, `["y"]`, u.ID, "b", 1, 1, 0, now),
				opRow(sec.ID, 2, `["z"]`, u.ID, "a", 1, 1, 0, now)},
			"section moved on": {opRow(sec.ID, 5, `["y"]`, u.ID, "b", 1, 1, 0, now)},
		}
		for name, rows := range cases {
			err := appendOps(db, sec.ID, rows, "changed")
			if err == nil || !store.IsRetryable(err) {
				t.Fatalf("%s: err = %v, want a retryable error", name, err)
			}
			head, text, _ := db.DocText(context.Background(), domain.SectionDoc(sec.ID))
			ops, _ := db.OpsSince(context.Background(), domain.SectionDoc(sec.ID), 0, 10)
			if text != "x" || head.Version != 1 || len(ops) != 1 {
				t.Fatalf("%s: partial commit: %q at %d with %d ops", name, text, head.Version, len(ops))
			}
		}
		if store.IsRetryable(nil) || store.IsRetryable(errors.New("boom")) {
			t.Fatal("IsRetryable accepts unrelated errors")
		}
	})
}

// TestOpLogLockSerialises has many transactions read the head and append at
// it after a pause; without the row lock they would collide on the version.
func TestOpLogLockSerialises(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		sec, u := oplogSection(t, db, "", "BY")
		const n = 8
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.LockDoc(context.Background(), domain.SectionDoc(sec.ID), func(tx domain.OpLogTx, head domain.DocHead) error {
					text, err := tx.Text()
					if err != nil {
						return err
					}
					time.Sleep(5 * time.Millisecond)
					row := opRow(sec.ID, head.Version, fmt.Sprintf("[%d,\"x\"]", head.Version), u.ID, fmt.Sprint("w", i), 1, 1, 0, time.Now())
					if head.Version == 0 {
						row.Op = []byte(`["x"]`)
					}
					return tx.AppendOps([]*domain.LoggedOp{row}, ptr(text+"x"), nil, time.Now())
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		head, text, _ := db.DocText(context.Background(), domain.SectionDoc(sec.ID))
		if head.Version != n || text != "xxxxxxxx" {
			t.Fatalf("after %d locked appends: %q at %d", n, text, head.Version)
		}
	})
}

func TestOpLogTextAt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := context.Background()
		sec, u := oplogSection(t, db, "Bund", "BUND")
		now := time.Now()
		steps := []struct{ op, text string }{
			{`[4," und Länder"]`, "Bund und Länder"},
			{`["😀 "]`, "😀 Bund und Länder"},
			{`[2,{"d":5}]`, "😀 und Länder"},
			{`[12,"!"]`, "😀 und Länder!"},
		}
		texts := []string{"Bund"}
		for i, st := range steps {
			var snaps []domain.DocSnapshot
			if i == 0 {
				snaps = append(snaps, domain.DocSnapshot{Version: 0, Text: "Bund"})
			}
			if i == 2 { // the snapshot at version 2 is taken before op 2
				snaps = append(snaps, domain.DocSnapshot{Version: 2, Text: texts[2]})
			}
			if err := appendOps(db, sec.ID, []*domain.LoggedOp{opRow(sec.ID, int64(i), st.op, u.ID, "c", int64(i), 0, 0, now)}, st.text, snaps...); err != nil {
				t.Fatal(err)
			}
			texts = append(texts, st.text)
		}
		for v, want := range texts {
			got, err := db.TextAt(c, domain.SectionDoc(sec.ID), int64(v))
			if err != nil || got != want {
				t.Fatalf("TextAt(%d) = %q, %v; want %q", v, got, err, want)
			}
		}
		for _, v := range []int64{-1, 5} {
			_, err := db.TextAt(c, domain.SectionDoc(sec.ID), v)
			oplogWantCode(t, err, domain.EINVALID)
		}
		_, err := db.TextAt(c, domain.SectionDoc(sec.ID+99), 0)
		oplogWantCode(t, err, domain.ENOTFOUND)
	})
}

func TestOpLogRevisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := context.Background()
		sec, a := oplogSection(t, db, "", "SN")
		b := oplogUser(t, db, "b@example.org", "Berta Brandt", "BB")
		t0 := time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC)
		authors := []struct {
			user    *domain.User
			minutes int
			ins     int
		}{{a, 0, 3}, {a, 1, 2}, {b, 2, 4}, {a, 3, 1}, {a, 30, 5}}
		for i, x := range authors {
			row := opRow(sec.ID, int64(i), `["x"]`, x.user.ID, "c", int64(i), x.ins, 1, t0.Add(time.Duration(x.minutes)*time.Minute))
			if err := appendOps(db, sec.ID, []*domain.LoggedOp{row}, "x"); err != nil {
				t.Fatal(err)
			}
		}
		revs, err := db.Revisions(c, domain.SectionDoc(sec.ID), 0, 10, 10*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		want := []domain.Revision{
			{FromVersion: 4, ToVersion: 5, UserID: a.ID, UserName: "Redaktion SN", OrgCode: "SN", StartedAt: t0.Add(30 * time.Minute), EndedAt: t0.Add(30 * time.Minute), Inserted: 5, Deleted: 1},
			{FromVersion: 3, ToVersion: 4, UserID: a.ID, UserName: "Redaktion SN", OrgCode: "SN", StartedAt: t0.Add(3 * time.Minute), EndedAt: t0.Add(3 * time.Minute), Inserted: 1, Deleted: 1},
			{FromVersion: 2, ToVersion: 3, UserID: b.ID, UserName: "Berta Brandt", OrgCode: "BB", StartedAt: t0.Add(2 * time.Minute), EndedAt: t0.Add(2 * time.Minute), Inserted: 4, Deleted: 1},
			{FromVersion: 0, ToVersion: 2, UserID: a.ID, UserName: "Redaktion SN", OrgCode: "SN", StartedAt: t0, EndedAt: t0.Add(time.Minute), Inserted: 5, Deleted: 2},
		}
		if len(revs) != len(want) {
			t.Fatalf("%d revisions, want %d", len(revs), len(want))
		}
		for i := range want {
			got := *revs[i]
			if !got.StartedAt.Equal(want[i].StartedAt) || !got.EndedAt.Equal(want[i].EndedAt) {
				t.Fatalf("revision %d spans %v..%v, want %v..%v", i, got.StartedAt, got.EndedAt, want[i].StartedAt, want[i].EndedAt)
			}
			got.StartedAt, got.EndedAt = want[i].StartedAt, want[i].EndedAt
			if got != want[i] {
				t.Fatalf("revision %d = %+v, want %+v", i, got, want[i])
			}
		}
		page, err := db.Revisions(c, domain.SectionDoc(sec.ID), 3, 1, 10*time.Minute)
		if err != nil || len(page) != 1 || page[0].FromVersion != 2 {
			t.Fatalf("page before 3 = %+v, %v", page, err)
		}
		_, err = db.Revisions(c, domain.SectionDoc(sec.ID+99), 0, 10, time.Minute)
		oplogWantCode(t, err, domain.ENOTFOUND)
	})
}

func oplogWantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}
