package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// BenchmarkGetSection measures one authenticated read through the whole
// middleware chain on SQLite: token lookup, user, section, strategy,
// policy, encoding.
func BenchmarkGetSection(b *testing.B) {
	f := newFixture(b, storetest.Open(b), options{})
	benchGet(b, f, f.sections[0].ID, -1)
}

// BenchmarkGetLongSection reads a 1 MB section on PostgreSQL, reporting
// p50 and p99 per request: "held" is a section this instance's op log is
// editing (its text comes from the cache), "not-held" one it does not
// hold (the text comes from the database).
func BenchmarkGetLongSection(b *testing.B) {
	f := newFixture(b, storetest.OpenPostgres(b), options{})
	text := strings.Repeat("Die Verwaltung wird digital. ", 1_000_000/29)
	ctx := context.Background()
	u := f.users["themenpate"]
	write := func(s *collab.Service, section int64) {
		op, _ := json.Marshal([]string{text})
		if _, err := s.Submit(ctx, domain.SubmitRequest{Doc: domain.SectionDoc(section), Op: op, UserID: u.ID, ClientID: "bench", Seq: 1}); err != nil {
			b.Fatal(err)
		}
	}
	write(f.oplog, f.sections[0].ID)
	other := collab.New(f.db, collab.Options{}) // another instance
	write(other, f.sections[1].ID)
	other.Close()
	b.Run("held", func(b *testing.B) { benchGet(b, f, f.sections[0].ID, len(text)) })
	b.Run("not-held", func(b *testing.B) { benchGet(b, f, f.sections[1].ID, len(text)) })
}

// benchGet reads section id as a Themenpate; want is the text's length to
// check, or -1.
func benchGet(b *testing.B, f *fixture, id int64, want int) {
	req, err := http.NewRequest("GET", f.srv.URL+"/api/sections/"+itoa(id), nil)
	must(b, err)
	req.Header.Set("Authorization", "Bearer "+f.tokens["themenpate"])
	c := f.srv.Client()
	var times []time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		resp, err := c.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("%v %v", resp, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		times = append(times, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
		if want >= 0 && len(times) == 1 { // checked once, outside the time taken
			var got struct {
				Text string `json:"text"`
			}
			if err := json.Unmarshal(body, &got); err != nil || len(got.Text) != want {
				b.Fatalf("read %d bytes of text, want %d (%v)", len(got.Text), want, err)
			}
		}
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}
