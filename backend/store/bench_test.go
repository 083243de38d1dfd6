package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// The session and user lookups run on every authenticated request.
func BenchmarkFindSessionAndUser(b *testing.B) {
	db := storetest.Open(b)
	u := &domain.User{Email: "bench@bund.de", Name: "Bench", OrgID: 1, Roles: []domain.Role{domain.RoleLand}}
	if err := db.CreateUser(ctx, u, "h"); err != nil {
		b.Fatal(err)
	}
	if err := db.CreateSession(ctx, &domain.Session{ID: "hash", PublicID: "pub", UserID: u.ID}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		s, err := db.FindSession(ctx, "hash")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.FindUserByID(ctx, s.UserID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendAudit(b *testing.B) {
	db := storetest.Open(b)
	for b.Loop() {
		if err := db.AppendAudit(ctx, &domain.AuditEvent{Action: "login", Target: "user:1"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFindLongSection reads a section of 1 MB (GET /api/sections/{id})
// whose stored text is current, and one whose stored text is 799 versions
// behind, with a snapshot 399 versions back, as the op log leaves a long
// text that is being edited (the worst case between two snapshots).
func BenchmarkFindLongSection(b *testing.B) {
	for _, dialect := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", storetest.Open}, {"postgres", storetest.OpenPostgres}} {
		for _, behind := range []bool{false, true} {
			name := dialect.name + "/current"
			if behind {
				name = dialect.name + "/behind"
			}
			b.Run(name, func(b *testing.B) { benchFindLongSection(b, dialect.open(b), behind) })
		}
	}
}

func benchFindLongSection(b *testing.B, db *store.DB, behind bool) {
	text := strings.Repeat("Die Verwaltung wird digital. ", 1_000_000/29)
	sec, u := oplogSection(b, db, text, "HE")
	const ops, snapAt = 799, 400
	var rows []*domain.LoggedOp
	var snaps []domain.DocSnapshot
	for v := range int64(ops) {
		if v == snapAt {
			snaps = append(snaps, domain.DocSnapshot{Version: v, Text: strings.Repeat("x", snapAt) + text})
		}
		rows = append(rows, &domain.LoggedOp{CommittedOp: domain.CommittedOp{Doc: domain.SectionDoc(sec.ID), Version: v,
			Op: []byte(`["x"]`), UserID: u.ID, ClientID: "bench", Seq: v, CreatedAt: time.Now()}, Inserted: 1})
	}
	want := strings.Repeat("x", ops) + text
	var head *string
	if !behind {
		head = &want
	}
	if err := db.LockDoc(ctx, domain.SectionDoc(sec.ID), func(tx domain.OpLogTx, _ domain.DocHead) error {
		return tx.AppendOps(rows, head, snaps, time.Now())
	}); err != nil {
		b.Fatal(err)
	}
	var times []time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		got, err := db.FindSectionByID(ctx, sec.ID)
		times = append(times, time.Since(t0))
		if err != nil || got.Text != want || got.Version != ops {
			b.Fatalf("section at %d, %v", got.Version, err)
		}
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}
