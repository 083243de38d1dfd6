package httpapi_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// BenchmarkGetSection measures one authenticated read through the whole
// middleware chain on SQLite: token lookup, user, section, strategy,
// policy, encoding.
func BenchmarkGetSection(b *testing.B) {
	f := newFixture(b, storetest.Open(b), options{})
	req, err := http.NewRequest("GET", f.srv.URL+"/api/sections/"+itoa(f.sections[0].ID), nil)
	must(b, err)
	req.Header.Set("Authorization", "Bearer "+f.tokens["themenpate"])
	c := f.srv.Client()
	b.ResetTimer()
	for b.Loop() {
		resp, err := c.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("%v %v", resp, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
