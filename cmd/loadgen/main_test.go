package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/realtime"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// serve starts a hub on a fresh database whose handler accepts the bearer
// token "geheim" for a Themenpate, and returns its URL and the Themenpate's
// two sections.
func serve(t *testing.T) (string, []int64) {
	ctx := context.Background()
	db := storetest.Open(t)
	he, err := db.FindOrganisationByCode(ctx, "HE")
	if err != nil {
		t.Fatal(err)
	}
	st := &domain.Strategy{Title: "Föderale Digitalstrategie"}
	if err := db.CreateStrategy(ctx, st); err != nil {
		t.Fatal(err)
	}
	topic := &domain.Topic{StrategyID: st.ID, Title: "Digitale Infrastruktur", Sponsors: []domain.Organisation{*he}}
	if err := db.CreateTopic(ctx, topic); err != nil {
		t.Fatal(err)
	}
	var secs []int64
	for _, title := range []string{"Zielbild", "Maßnahmen"} {
		sec := &domain.Section{StrategyID: st.ID, TopicID: &topic.ID, Part: domain.PartSchwerpunkt, Title: title, Text: "Glasfaser."}
		if err := db.CreateSection(ctx, sec); err != nil {
			t.Fatal(err)
		}
		secs = append(secs, sec.ID)
	}
	u := &domain.User{Email: "pate@hessen.example", Name: "Pate", OrgID: he.ID, Roles: []domain.Role{domain.RoleThemenpate}, TopicIDs: []int64{topic.ID}}
	if err := db.CreateUser(ctx, u, "x"); err != nil {
		t.Fatal(err)
	}
	svc := collab.New(db, collab.Options{})
	hub := realtime.NewHub(realtime.HubConfig{}, realtime.Deps{OpLog: svc, Strategies: db})
	svc.OnCommit(hub.Committed)
	rctx, cancel := context.WithCancel(ctx)
	go hub.Run(rctx)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "Bearer geheim" {
			r = r.WithContext(domain.WithUser(r.Context(), u))
		}
		hub.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.CloseClientConnections(); hub.Close(); srv.Close(); cancel() })
	return srv.URL, secs
}

func TestRunMeasuresLatencies(t *testing.T) {
	url, secs := serve(t)
	var out bytes.Buffer
	args := []string{"-url", url, "-section", strconv.FormatInt(secs[0], 10), "-clients", "6", "-editors", "2", "-rate", "40", "-duration", "1s"}
	getenv := func(k string) string { return map[string]string{"STRATEGIERAUM_TOKEN": "geheim"}[k] }
	if err := run(context.Background(), args, getenv, &out); err != nil {
		t.Fatal(err)
	}
	report := out.String()
	t.Log(report)
	if !strings.Contains(report, "6 of 6 clients connected") || !strings.Contains(report, "errors          none") {
		t.Fatalf("report:\n%s", report)
	}
	m := regexp.MustCompile(`(\d+) ops submitted, (\d+) acknowledged`).FindStringSubmatch(report)
	if m == nil || m[1] != m[2] || m[1] == "0" {
		t.Fatalf("submitted and acknowledged differ or are zero:\n%s", report)
	}
	acked, _ := strconv.Atoi(m[2])
	d := regexp.MustCompile(`edit→delivery   n=(\d+)`).FindStringSubmatch(report)
	if d == nil {
		t.Fatalf("no delivery latencies:\n%s", report)
	}
	if n, _ := strconv.Atoi(d[1]); n != acked*5 {
		t.Fatalf("%d deliveries measured, want %d (every op at the 5 other clients)", n, acked*5)
	}
}

// With -docs the clients are spread over the documents, each op reaches
// only the clients of its document, and the expected deliveries count per
// document.
func TestRunSpreadsOverDocuments(t *testing.T) {
	url, secs := serve(t)
	var out bytes.Buffer
	docs := fmt.Sprintf("section:%d-%d", secs[0], secs[1])
	args := []string{"-url", url, "-docs", docs, "-clients", "6", "-editors", "2", "-rate", "40", "-duration", "1s"}
	getenv := func(k string) string { return map[string]string{"STRATEGIERAUM_TOKEN": "geheim"}[k] }
	if err := run(context.Background(), args, getenv, &out); err != nil {
		t.Fatal(err)
	}
	report := out.String()
	t.Log(report)
	if !strings.Contains(report, "6 of 6 clients connected to 1 instance(s), 2 document(s)") || !strings.Contains(report, "errors          none") {
		t.Fatalf("report:\n%s", report)
	}
	m := regexp.MustCompile(`(\d+) ops submitted, (\d+) acknowledged`).FindStringSubmatch(report)
	if m == nil || m[1] != m[2] || m[1] == "0" {
		t.Fatalf("submitted and acknowledged differ or are zero:\n%s", report)
	}
	acked, _ := strconv.Atoi(m[2])
	// One editor per document; each op reaches the 2 other clients of its
	// document, not the 3 of the other one.
	d := regexp.MustCompile(`edit→delivery   n=(\d+) .*; (\d+) deliveries expected`).FindStringSubmatch(report)
	if d == nil {
		t.Fatalf("no delivery latencies:\n%s", report)
	}
	if n, _ := strconv.Atoi(d[1]); n != acked*2 || d[2] != strconv.Itoa(acked*2) {
		t.Fatalf("%s deliveries measured and %s expected, want %d (every op at the 2 other clients of its document)", d[1], d[2], acked*2)
	}
}

func TestParseDocs(t *testing.T) {
	docs, err := parseDocs("section:3-5, statement:7,section:9")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range docs {
		got = append(got, d.String())
	}
	if want := "section:3 section:4 section:5 statement:7 section:9"; strings.Join(got, " ") != want {
		t.Fatalf("got %v, want %s", got, want)
	}
	for _, bad := range []string{"", " , ", "section:5-3", "section:0-3", "section:1-x", "notify", "section:1-200000", "thing:1-2"} {
		if _, err := parseDocs(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestBadFlags(t *testing.T) {
	env := func(string) string { return "" }
	for _, args := range [][]string{
		{"-section", "1"}, // no credentials
		{"-token", "x"},   // no section
		{"-token", "x", "-doc", "notify"},
		{"-token", "x", "-doc", "statement:0"},
		{"-token", "x", "-docs", "section:9-2"},
		{"-token", "x", "-section", "1", "-clients", "2", "-editors", "3"},
		{"-token", "x", "-section", "1", "-url", " , "},
	} {
		if err := run(context.Background(), args, env, &bytes.Buffer{}); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func TestLoginCreatesToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/session":
			var req map[string]string
			json.NewDecoder(r.Body).Decode(&req)
			if req["email"] != "a@b.example" || req["password"] != "pw" {
				http.Error(w, "nein", http.StatusUnauthorized)
				return
			}
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "s1", Path: "/"})
		case "/api/tokens":
			if c, err := r.Cookie("sid"); err != nil || c.Value != "s1" {
				http.Error(w, "nein", http.StatusUnauthorized)
				return
			}
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"id":1,"secret":"srt_abc"}`))
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tok, err := login(ctx, srv.URL, "a@b.example", "pw")
	if err != nil || tok != "srt_abc" {
		t.Fatalf("login: %q %v", tok, err)
	}
	if _, err := login(ctx, srv.URL, "a@b.example", "falsch"); err == nil {
		t.Fatal("a wrong password was accepted")
	}
}
