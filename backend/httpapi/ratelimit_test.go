package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestRequestRateLimit(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{cfg: httpapi.Config{RequestsPerSecond: 1, RequestBurst: 3}})
	for i := 0; i < 3; i++ {
		if r := f.do(nil, http.MethodGet, "/api/me", "", "reader"); r.status != http.StatusOK {
			t.Fatalf("request %d within the burst: %d", i, r.status)
		}
	}
	r := f.do(nil, http.MethodGet, "/api/me", "", "reader")
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" {
		t.Fatalf("request over the burst: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	if detail := r.problem(t)["detail"]; detail != "Zu viele Anfragen. Bitte warten Sie einen Moment." {
		t.Fatalf("problem detail %q", detail)
	}
	// Another user has a budget of their own.
	if r := f.do(nil, http.MethodGet, "/api/me", "", "land"); r.status != http.StatusOK {
		t.Fatalf("other user limited too: %d", r.status)
	}
	// Probes are never limited.
	if r := f.do(nil, http.MethodGet, "/healthz", "", "reader"); r.status != http.StatusOK {
		t.Fatalf("healthz limited: %d", r.status)
	}
	// The bucket refills with time.
	f.clock.Add(2 * time.Second)
	if r := f.do(nil, http.MethodGet, "/api/me", "", "reader"); r.status != http.StatusOK {
		t.Fatalf("after refilling: %d", r.status)
	}
}
