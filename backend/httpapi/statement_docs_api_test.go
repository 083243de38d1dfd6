package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// The text of a statement draft is a live document: a PUT merges its body
// into live edits, a submission with doc_version freezes exactly the text
// at that version (409 once the text has moved on), the op log refuses
// edits to a submitted version, and a new Fassung starts at version 0.
func TestStatementDocumentAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		f.openConsultation(t, "Bund und Länder teilen Daten sicher und einmal.")
		stmt := fmt.Sprintf("/api/strategies/%d/statement", f.strategy.ID)
		own := fmt.Sprintf("/api/strategies/%d/statements/%d", f.strategy.ID, f.users["land"].OrgID)
		read := func(r response) *domain.Statement {
			t.Helper()
			wantStatus(t, r, 200)
			var s domain.Statement
			r.json(t, &s)
			return &s
		}
		live := func(id, base int64, text, s string) error {
			op, _ := json.Marshal([]any{utf8.RuneCountInString(text), s})
			_, err := f.oplog.Submit(context.Background(), domain.SubmitRequest{Doc: domain.StatementDoc(id), BaseVersion: base,
				Op: op, UserID: f.users["land"].ID, ClientID: fmt.Sprintf("editor-%d", base), Seq: 1})
			return err
		}

		draft := read(f.do(nil, "PUT", stmt, `{"position":"zustimmung","body":"Hessen stimmt zu."}`, "land"))
		if draft.DocVersion != 0 || !strings.Contains(string(f.do(nil, "GET", own, "", "land").body), `"doc_version":0`) {
			t.Fatalf("new draft = %+v", draft)
		}
		must(t, live(draft.ID, 0, "Hessen stimmt zu.", " Live ergänzt."))
		// A PUT of the text as edited on version 0 keeps the live edit.
		saved := read(f.do(nil, "PUT", stmt, `{"position":"zustimmung","body":"Hessen stimmt gern zu.","doc_version":0}`, "land"))
		const merged = "Hessen stimmt gern zu. Live ergänzt."
		if saved.Body != merged || saved.DocVersion != 2 || !strings.Contains(saved.HTML, "gern zu. Live") {
			t.Fatalf("saved = %+v", saved)
		}
		// GET renders the draft's current text.
		must(t, live(draft.ID, 2, merged, " *Zuletzt.*"))
		got := read(f.do(nil, "GET", own, "", "land"))
		if got.DocVersion != 3 || !strings.Contains(got.HTML, "<em>Zuletzt.</em>") {
			t.Fatalf("draft read = %+v", got)
		}

		// What the user saw at version 2 is no longer the text: 409 with
		// the current version, nothing submitted.
		r := f.do(nil, "POST", stmt+"/submit", `{"doc_version":2}`, "land")
		wantStatus(t, r, 409)
		if p := r.problem(t); p["code"] != domain.ECONFLICT || fmt.Sprint(p["errors"]) != "[map[field:doc_version message:3]]" {
			t.Fatalf("stale submission problem = %v", p)
		}
		if read(f.do(nil, "GET", own, "", "land")).Submitted() {
			t.Fatal("a stale submission was accepted")
		}
		sub := read(f.do(nil, "POST", stmt+"/submit", `{"doc_version":3}`, "land"))
		if !sub.Submitted() || sub.Body != got.Body || sub.DocVersion != 3 || sub.HTML != consult.RenderMarkdown(got.Body) {
			t.Fatalf("submitted = %+v", sub)
		}
		if err := live(sub.ID, 3, sub.Body, " Zu spät."); domain.ErrorCode(err) != domain.ELOCKED {
			t.Fatalf("edit of the submitted text: %v, want %s", err, domain.ELOCKED)
		}

		// Neue Fassung beginnen: version 2 starts from the submitted text.
		v2 := read(f.do(nil, "PUT", stmt, fmt.Sprintf(`{"position":"zustimmung","body":%q}`, sub.Body), "land"))
		if v2.Version != 2 || v2.DocVersion != 0 || v2.Body != sub.Body || v2.Submitted() {
			t.Fatalf("new Fassung = %+v", v2)
		}
		head, text, err := db.DocText(context.Background(), domain.StatementDoc(v2.ID))
		must(t, err)
		if text != sub.Body || head.Version != 0 || head.Final {
			t.Fatalf("new Fassung's document = %q at %+v", text, head)
		}
	})
}
