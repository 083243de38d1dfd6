package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// openConsultation gives the fixture's first section a text and starts a
// consultation window around the fixture's clock.
func (f *fixture) openConsultation(t *testing.T, text string) (opens, closes time.Time) {
	t.Helper()
	if text != "" {
		must(t, f.seedText(text))
	}
	now := f.clock.Now()
	opens, closes = now.Add(-time.Hour), now.Add(72*time.Hour)
	body := fmt.Sprintf(`{"kind":"beteiligung","title":"Beteiligung","opens_at":%q,"closes_at":%q}`,
		opens.Format(time.RFC3339), closes.Format(time.RFC3339))
	wantStatus(t, f.do(nil, "POST", fmt.Sprintf("/api/strategies/%d/phases", f.strategy.ID), body, "moderator"), 201)
	return opens, closes
}

func TestConsultationAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		const text = "Bund und Länder teilen Daten sicher und einmal."
		_, closes := f.openConsultation(t, text)
		sec := f.sections[0].ID
		threads := fmt.Sprintf("/api/sections/%d/threads", sec)

		// A Land proposes a change on "sicher".
		r := f.do(nil, "POST", threads, `{"kind":"aenderungsvorschlag","start":29,"end":35,"version":1,"body":"Präziser.","replacement":"sicher und datensparsam"}`, "land")
		wantStatus(t, r, 201)
		var prop domain.Thread
		r.json(t, &prop)
		if prop.Quote != "sicher" || prop.OrgCode != "HE" {
			t.Fatalf("proposal = %+v", prop)
		}
		// Bad input changes nothing.
		for _, body := range []string{
			`{"kind":"kommentar","start":0,"end":4,"version":1,"body":""}`,
			`{"kind":"kommentar","start":0,"end":400,"version":1,"body":"x"}`,
			`{"kind":"kommentar","start":0,"end":4,"version":9,"body":"x"}`,
			`{"kind":"kommentar","start":0,"end":4,"version":1,"body":"x","extra":1}`,
			`{"kind":"lob","start":0,"end":4,"version":1,"body":"x"}`,
		} {
			r := f.do(nil, "POST", threads, body, "land")
			wantStatus(t, r, 400)
			r.problem(t)
		}
		r = f.do(nil, "POST", threads, `{"kind":"kommentar","start":0,"end":4,"version":1,"body":"`+strings.Repeat("a", 10001)+`"}`, "land")
		wantStatus(t, r, 413)

		// Readers may not propose; the Themenpate accepts.
		wantStatus(t, f.do(nil, "POST", fmt.Sprintf("/api/threads/%d/accept", prop.ID), `{}`, "land"), 403)
		r = f.do(nil, "POST", fmt.Sprintf("/api/threads/%d/accept", prop.ID), `{}`, "themenpate")
		wantStatus(t, r, 200)
		var got domain.Thread
		r.json(t, &got)
		if got.Status != domain.StatusUebernommen {
			t.Fatalf("accepted = %+v", got)
		}
		r = f.do(nil, "GET", fmt.Sprintf("/api/sections/%d", sec), "", "land")
		wantStatus(t, r, 200)
		if !strings.Contains(string(r.body), "teilen Daten sicher und datensparsam und einmal.") {
			t.Fatalf("section after accept: %s", r.body)
		}

		// A comment with a script comes back inert.
		r = f.do(nil, "POST", threads, `{"kind":"frage","start":0,"end":4,"version":2,"body":"Warum? <script>alert(1)</script><img src=x onerror=alert(2)>"}`, "land")
		wantStatus(t, r, 201)
		var q domain.Thread
		r.json(t, &q)
		r = f.do(nil, "GET", fmt.Sprintf("/api/threads/%d", q.ID), "", "reader")
		wantStatus(t, r, 200)
		var seen domain.Thread
		r.json(t, &seen)
		if html := seen.Comments[0].HTML; strings.Contains(html, "<script") || strings.Contains(html, "onerror") || !strings.Contains(html, "Warum?") {
			t.Fatalf("rendered comment not inert: %q", html)
		}
		wantStatus(t, f.do(nil, "POST", fmt.Sprintf("/api/threads/%d/resolve", q.ID), `{"note":"Beantwortet"}`, "moderator"), 200)

		// The deadline edge: one second before and after closes_at.
		f.clock.Add(closes.Sub(f.clock.Now()) - time.Second)
		wantStatus(t, f.do(nil, "POST", threads, `{"kind":"einwand","start":0,"end":4,"version":2,"body":"knapp"}`, "land"), 201)
		f.clock.Add(2 * time.Second)
		r = f.do(nil, "POST", threads, `{"kind":"einwand","start":0,"end":4,"version":2,"body":"zu spät"}`, "land")
		wantStatus(t, r, 403)
		if p := r.problem(t); !strings.Contains(p["detail"].(string), "endete am") {
			t.Fatalf("deadline problem = %v", p)
		}
		// Nothing of the round changes after its deadline, whoever asks.
		r = f.do(nil, "POST", fmt.Sprintf("/api/threads/%d/comments", q.ID), `{"body":"Antwort nach Frist"}`, "themenpate")
		wantStatus(t, r, 403)
		if p := r.problem(t); p["reason"] != domain.ReasonRoundClosed {
			t.Fatalf("late reply problem = %v", p)
		}
		f.clock.Add(-2 * time.Second)

		// Statements: draft, submit, frozen, new version.
		stmt := fmt.Sprintf("/api/strategies/%d/statement", f.strategy.ID)
		wantStatus(t, f.do(nil, "PUT", stmt, `{"position":"zustimmung","body":"Hessen stimmt zu."}`, "land"), 200)
		wantStatus(t, f.do(nil, "PUT", stmt, `{"position":"zustimmung"}`, "reader"), 403)
		wantStatus(t, f.do(nil, "POST", stmt+"/submit", "", "land"), 200)
		wantStatus(t, f.do(nil, "POST", stmt+"/submit", "", "land"), 423)
		// The receipt of version 1: JSON, text file and printable page.
		receipt := fmt.Sprintf("/api/strategies/%d/statements/%d/versions/1/receipt", f.strategy.ID, f.users["land"].OrgID)
		r = f.do(nil, "GET", receipt, "", "land")
		wantStatus(t, r, 200)
		if !strings.Contains(string(r.body), `"sha256":"`+consult.TextSHA256("Hessen stimmt zu.")+`"`) {
			t.Fatalf("receipt: %s", r.body)
		}
		r = f.do(nil, "GET", receipt+"?format=txt", "", "land")
		wantStatus(t, r, 200)
		if !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment;") || !strings.Contains(string(r.body), "Eingangsbestätigung") {
			t.Fatalf("text receipt: %v %s", r.header, r.body)
		}
		r = f.do(nil, "GET", receipt+"?format=html", "", "land")
		wantStatus(t, r, 200)
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Fatalf("HTML receipt headers: %v", r.header)
		}
		wantStatus(t, f.do(nil, "GET", receipt, "", "reader"), 403)
		wantStatus(t, f.do(nil, "GET", receipt+"?format=rtf", "", "land"), 400)
		// Submitting an incomplete text is refused per field, before anything is saved.
		r = f.do(nil, "POST", stmt+"/submit", `{"body":" "}`, "land")
		wantStatus(t, r, 400)
		if p := r.problem(t); len(p["errors"].([]any)) != 2 {
			t.Fatalf("problem = %+v", p)
		}
		wantStatus(t, f.do(nil, "PUT", stmt, `{"position":"ablehnung","body":"Neu"}`, "land"), 200)
		r = f.do(nil, "GET", fmt.Sprintf("/api/strategies/%d/statements/%d/versions", f.strategy.ID, f.users["land"].OrgID), "", "land")
		wantStatus(t, r, 200)
		var versions []domain.Statement
		r.json(t, &versions)
		if len(versions) != 2 || versions[0].Body != "Hessen stimmt zu." || versions[0].SubmittedAt == nil {
			t.Fatalf("versions = %+v", versions)
		}
		r = f.do(nil, "GET", fmt.Sprintf("/api/strategies/%d/statements", f.strategy.ID), "", "reader")
		wantStatus(t, r, 200)
		if !strings.Contains(string(r.body), `"org_code":"HE"`) {
			t.Fatalf("statement overview: %s", r.body)
		}

		// Notifications reach the Themenpate and the proposer.
		r = f.do(nil, "GET", "/api/notifications/unread", "", "themenpate")
		wantStatus(t, r, 200)
		var n struct{ Unread int }
		r.json(t, &n)
		if n.Unread < 3 {
			t.Fatalf("Themenpate unread = %d", n.Unread)
		}
		wantStatus(t, f.do(nil, "POST", "/api/notifications/read", `{}`, "themenpate"), 200)
		r = f.do(nil, "GET", "/api/notifications?unread=true", "", "themenpate")
		wantStatus(t, r, 200)
		if strings.TrimSpace(string(r.body)) != "[]" {
			t.Fatalf("unread after read all: %s", r.body)
		}

		// The phase change reached everyone.
		r = f.do(nil, "GET", "/api/notifications", "", "reader")
		wantStatus(t, r, 200)
		if !strings.Contains(string(r.body), `"kind":"phase_changed"`) {
			t.Fatalf("reader's feed: %s", r.body)
		}

		// Audit: moderators read and export; nobody changes it.
		wantStatus(t, f.do(nil, "GET", "/api/audit", "", "land"), 403)
		r = f.do(nil, "GET", "/api/audit?action=proposal_accepted", "", "moderator")
		wantStatus(t, r, 200)
		if !strings.Contains(string(r.body), fmt.Sprintf(`"target":"thread:%d"`, prop.ID)) {
			t.Fatalf("audit: %s", r.body)
		}
		// Filtered by target: everything that happened to the proposal,
		// with the names of those who acted.
		r = f.do(nil, "GET", fmt.Sprintf("/api/audit?target=thread:%d", prop.ID), "", "moderator")
		wantStatus(t, r, 200)
		var evs []domain.AuditEvent
		if err := json.Unmarshal(r.body, &evs); err != nil || len(evs) < 2 {
			t.Fatalf("audit of the proposal: %v %s", err, r.body)
		}
		for _, e := range evs {
			if e.Target != fmt.Sprintf("thread:%d", prop.ID) || e.ActorName == "" {
				t.Fatalf("audit of the proposal: %+v", e)
			}
		}
		wantStatus(t, f.do(nil, "GET", "/api/audit?org="+strings.Repeat("X", 17), "", "moderator"), 400)
		// The persons in the log, by name, for the filter.
		wantStatus(t, f.do(nil, "GET", "/api/audit/actors", "", "land"), 403)
		r = f.do(nil, "GET", "/api/audit/actors", "", "moderator")
		wantStatus(t, r, 200)
		var actors []domain.AuditActor
		r.json(t, &actors)
		found := false
		for _, a := range actors {
			found = found || (a.ID == f.users["themenpate"].ID && a.Name == f.users["themenpate"].Name && a.OrgCode != "")
		}
		if !found {
			t.Fatalf("actors %+v lack the Themenpate who accepted", actors)
		}
		r = f.do(nil, "GET", "/api/audit/export", "", "admin")
		wantStatus(t, r, 200)
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !strings.Contains(string(r.body), "statement_submitted") {
			t.Fatalf("export: %s %s", r.header.Get("Content-Type"), r.body)
		}
		for _, m := range []string{"PUT", "PATCH", "DELETE", "POST"} {
			if r := f.do(nil, m, "/api/audit", `{}`, "admin"); r.status != 405 {
				t.Fatalf("%s /api/audit = %d", m, r.status)
			}
		}

		// The report and its downloads are for the moderation.
		report := fmt.Sprintf("/api/strategies/%d/report", f.strategy.ID)
		wantStatus(t, f.do(nil, "GET", report, "", "land"), 403)
		r = f.do(nil, "GET", report+"/xlsx", "", "moderator")
		wantStatus(t, r, 200)
		if !strings.Contains(r.header.Get("Content-Disposition"), ".xlsx") || len(r.body) < 1000 || string(r.body[:2]) != "PK" {
			t.Fatalf("xlsx: %v %d bytes", r.header, len(r.body))
		}
		r = f.do(nil, "GET", report+"/html", "", "moderator")
		wantStatus(t, r, 200)
		if !strings.Contains(string(r.body), "<ins>") || strings.Contains(string(r.body), "<script>") {
			t.Fatalf("html report: %s", r.body)
		}
		if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'sha256-") || strings.Contains(csp, "unsafe") {
			t.Fatalf("report CSP = %q", csp)
		}
		r = f.do(nil, "GET", report+"/csv", "", "moderator")
		wantStatus(t, r, 200)
		if !strings.Contains(string(r.body), "Änderungsvorschlag") {
			t.Fatalf("csv report: %s", r.body)
		}
	})
}

func TestConsultationModerationAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		threads := fmt.Sprintf("/api/sections/%d/threads", f.sections[0].ID)
		must(t, f.seedText("Daten werden einmal erhoben."))
		// In entwurf participants neither read nor discuss.
		wantStatus(t, f.do(nil, "GET", threads, "", "land"), 403)
		wantStatus(t, f.do(nil, "POST", threads, `{"kind":"kommentar","start":0,"end":5,"version":1,"body":"x"}`, "land"), 403)
		r := f.do(nil, "POST", threads, `{"kind":"kommentar","start":0,"end":5,"version":1,"body":"Entwurfsnotiz"}`, "themenpate")
		wantStatus(t, r, 201)
		f.openConsultation(t, "")
		r = f.do(nil, "POST", threads, `{"kind":"einwand","start":0,"end":5,"version":1,"body":"Unsachlich!"}`, "land")
		wantStatus(t, r, 201)
		var th domain.Thread
		r.json(t, &th)
		cid := th.Comments[0].ID

		// The author edits within 15 minutes, not after.
		wantStatus(t, f.do(nil, "PATCH", fmt.Sprintf("/api/comments/%d", cid), `{"body":"Sachlich."}`, "land"), 200)
		wantStatus(t, f.do(nil, "PATCH", fmt.Sprintf("/api/comments/%d", cid), `{"body":"fremd"}`, "themenpate"), 403)
		f.clock.Add(16 * time.Minute)
		wantStatus(t, f.do(nil, "PATCH", fmt.Sprintf("/api/comments/%d", cid), `{"body":"später"}`, "land"), 403)

		// Report, queue, hide.
		wantStatus(t, f.do(nil, "POST", fmt.Sprintf("/api/comments/%d/reports", cid), `{"reason":"unsachlich"}`, "themenpate"), 201)
		wantStatus(t, f.do(nil, "GET", "/api/reports", "", "land"), 403)
		r = f.do(nil, "GET", "/api/reports", "", "moderator")
		wantStatus(t, r, 200)
		if !strings.Contains(string(r.body), `"reason":"unsachlich"`) {
			t.Fatalf("queue: %s", r.body)
		}
		wantStatus(t, f.do(nil, "POST", fmt.Sprintf("/api/comments/%d/hide", cid), `{"reason":"Beleidigung"}`, "themenpate"), 403)
		wantStatus(t, f.do(nil, "POST", fmt.Sprintf("/api/comments/%d/hide", cid), `{"reason":""}`, "moderator"), 400)
		wantStatus(t, f.do(nil, "POST", fmt.Sprintf("/api/comments/%d/hide", cid), `{"reason":"Beleidigung"}`, "moderator"), 200)
		r = f.do(nil, "GET", fmt.Sprintf("/api/threads/%d", th.ID), "", "reader")
		wantStatus(t, r, 200)
		if strings.Contains(string(r.body), "Sachlich.") || !strings.Contains(string(r.body), "von der Moderation ausgeblendet") {
			t.Fatalf("reader sees hidden comment: %s", r.body)
		}
		r = f.do(nil, "GET", fmt.Sprintf("/api/threads/%d", th.ID), "", "land")
		if !strings.Contains(string(r.body), "Sachlich.") || !strings.Contains(string(r.body), `"hidden_reason":"Beleidigung"`) {
			t.Fatalf("author does not see own hidden comment and reason: %s", r.body)
		}
		// A hidden thread takes no replies.
		wantStatus(t, f.do(nil, "POST", fmt.Sprintf("/api/threads/%d/hide", th.ID), `{"reason":"Werbung"}`, "moderator"), 200)
		wantStatus(t, f.do(nil, "POST", fmt.Sprintf("/api/threads/%d/comments", th.ID), `{"body":"Antwort"}`, "themenpate"), 409)
		// Dashboard filters.
		r = f.do(nil, "GET", fmt.Sprintf("/api/strategies/%d/threads?kind=einwand&status=offen", f.strategy.ID), "", "moderator")
		wantStatus(t, r, 200)
		var list []domain.Thread
		r.json(t, &list)
		if len(list) != 1 || list[0].ID != th.ID {
			t.Fatalf("dashboard: %s", r.body)
		}
		wantStatus(t, f.do(nil, "GET", fmt.Sprintf("/api/strategies/%d/threads?kind=lob", f.strategy.ID), "", "moderator"), 400)
	})
}

// seedText commits text as the first edit of the fixture's first section.
func (f *fixture) seedText(text string) error {
	op, _ := json.Marshal([]any{text})
	_, err := f.oplog.Submit(context.Background(), domain.SubmitRequest{Doc: domain.SectionDoc(f.sections[0].ID), Op: op,
		UserID: f.users["themenpate"].ID, ClientID: "seed", Seq: 1})
	return err
}
