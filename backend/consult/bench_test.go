package consult_test

import (
	"fmt"
	"testing"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// BenchmarkSectionThreads measures listing a section's 50 threads when 10
// edits have landed since the last read, so every anchor moves and is
// stored again.
func BenchmarkSectionThreads(b *testing.B) {
	db := storetest.Open(b)
	f := newFixture(b, db)
	for i := 0; i < 50; i++ {
		_, err := f.svc.CreateThread(ctx, f.land, consult.NewThread{SectionID: f.section.ID, Kind: domain.KindKommentar,
			Start: i, End: i + 10, Version: 0, Body: "Anmerkung"})
		must(b, err)
	}
	seq := int64(0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		for j := 0; j < 10; j++ {
			_, v, err := f.col.Snapshot(ctx, domain.SectionDoc(f.section.ID))
			must(b, err)
			seq++
			_, err = f.col.Submit(ctx, domain.SubmitRequest{Doc: domain.SectionDoc(f.section.ID), BaseVersion: v, Op: []byte(`["x"]`),
				UserID: f.pate.ID, ClientID: "bench", Seq: seq})
			must(b, err)
		}
		b.StartTimer()
		ts, err := f.svc.SectionThreads(ctx, f.moderator, f.section.ID)
		must(b, err)
		if len(ts) != 50 {
			b.Fatal(fmt.Sprint(len(ts)))
		}
	}
}
