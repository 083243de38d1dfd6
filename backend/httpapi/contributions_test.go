package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// One account's new threads and comments are limited per minute; the
// budget is refilled with time and belongs to the account, not the address.
func TestContributionLimit(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{cfg: httpapi.Config{ContributionsPerMinute: 2}})
	f.openConsultation(t, "Bund und Länder teilen Daten sicher und einmal.")
	threads := fmt.Sprintf("/api/sections/%d/threads", f.sections[0].ID)
	const body = `{"kind":"kommentar","start":0,"end":4,"version":1,"body":"Zu Bund"}`
	r := f.do(nil, "POST", threads, body, "land")
	wantStatus(t, r, 201)
	var th domain.Thread
	r.json(t, &th)
	wantStatus(t, f.do(nil, "POST", fmt.Sprintf("/api/threads/%d/comments", th.ID), `{"body":"Nachtrag"}`, "land"), 201)
	r = f.do(nil, "POST", threads, body, "land")
	wantStatus(t, r, 429)
	if p := r.problem(t); p["reason"] != domain.ReasonContribLimit || !strings.Contains(p["detail"].(string), "je Minute") {
		t.Fatalf("problem = %v", p)
	}
	if r.header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	// Another account still has its budget.
	wantStatus(t, f.do(nil, "POST", threads, body, "moderator"), 201)
	f.clock.Add(time.Minute)
	wantStatus(t, f.do(nil, "POST", threads, body, "land"), 201)
}

// Two instances sharing Redis share one budget per account.
func TestContributionLimitAcrossInstances(t *testing.T) {
	prefix := "test:" + auth.NewSecret("")[:12] + ":"
	f := newFixture(t, storetest.Open(t), options{cfg: httpapi.Config{ContributionsPerMinute: 2},
		deps: func(d *httpapi.Deps) { d.Limits = redisLimits(t, prefix) }})
	other := f.instance(func(d *httpapi.Deps) { d.Limits = redisLimits(t, prefix) })
	f.openConsultation(t, "Bund und Länder teilen Daten sicher und einmal.")
	threads := fmt.Sprintf("/api/sections/%d/threads", f.sections[0].ID)
	const body = `{"kind":"kommentar","start":0,"end":4,"version":1,"body":"Zu Bund"}`
	wantStatus(t, f.do(nil, "POST", threads, body, "land"), 201)
	wantStatus(t, f.do(nil, "POST", threads, body, "land"), 201)
	req, err := http.NewRequest("POST", other.URL+threads, strings.NewReader(body))
	must(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+f.tokens["land"])
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != 429 {
		t.Fatalf("third contribution on the other instance: status %d, want 429", resp.StatusCode)
	}
}
