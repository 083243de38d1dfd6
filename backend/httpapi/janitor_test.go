package httpapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestPurgeSessions(t *testing.T) {
	db := storetest.Open(t)
	f := newFixture(t, db, options{})
	wantStatus(t, f.login(f.client(), "land@example.de", testPassword), 200)
	f.clock.Add(time.Hour)
	wantStatus(t, f.login(f.client(), "reader@example.de", testPassword), 200)

	s := httpapi.New(httpapi.Config{}, httpapi.Deps{Users: db, Sessions: db, Strategies: db, Audit: db, Now: f.clock.Now})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { s.PurgeSessions(ctx, time.Hour); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		land, err := db.FindUserSessions(t.Context(), f.users["land"].ID)
		must(t, err)
		if len(land) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("expired session not purged")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	reader, err := db.FindUserSessions(t.Context(), f.users["reader"].ID)
	must(t, err)
	if len(reader) != 1 {
		t.Errorf("live session purged too: %d left", len(reader))
	}
}
