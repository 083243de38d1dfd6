package realtime_test

import (
	"context"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/realtime"
)

// A statement's live text belongs to its organisation: HE's Land accounts
// write it together; BY's account cannot open or edit it, neither by its id
// nor by guessing others, and neither can HE's Themenpate; once submitted it
// is final, and other organisations read it only if the strategy makes
// statements public.
func TestStatementTextIsTheOrganisations(t *testing.T) {
	databases(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		in := w.start(testConfig("a"), nil)
		const body = "Hessen begrüßt 🚀 den Entwurf."

		he := dialRaw(t, in, w.landHE[0].ID)
		snap := he.openDoc(w.statement)
		if snap.Text != body || snap.V != 0 || snap.Section != 0 {
			t.Fatalf("HE's snapshot %+v", snap)
		}
		colleague := dialRaw(t, in, w.landHE[1].ID)
		colleague.openDoc(w.statement)
		ack := he.submitDoc(w.statement, 0, []any{"Kurz: "}, "he", 1)
		if ack.Doc != w.statement.String() || ack.V != 0 {
			t.Fatalf("ack %+v", ack)
		}
		if f := colleague.next("op", "ops"); f.Doc != w.statement.String() || f.Client != "he" {
			t.Fatalf("the colleague got %+v", f)
		}
		// Re-checking the rights of open connections (after a change of
		// rights, or the periodic sweep) judges a statement by the rules of
		// statements: HE's colleague keeps writing.
		const checks = "strategieraum_ws_access_checks_total"
		before := in.metric(t, checks)
		in.hub.AccessChanged(w.landHE[1].ID)
		in.waitMetric(t, checks, before+1)
		if ack := colleague.submitDoc(w.statement, 1, []any{"Ja. "}, "co", 1); ack.V != 1 {
			t.Fatalf("the colleague's ack after the re-check: %+v", ack)
		}
		he.next("op", "ops")

		by := dialRaw(t, in, w.reader.ID)
		for _, doc := range []domain.DocKey{w.statement} {
			by.send(map[string]any{"t": "open", "doc": doc.String()})
			if f := by.expectError(realtime.CodeForbidden); f.Doc != doc.String() {
				t.Fatalf("forbidden names %q", f.Doc)
			}
			by.opDoc(doc, 1, []any{"BY war hier"}, "by", 1)
			by.expectError(realtime.CodeBadRequest) // not open, so never applied
		}
		guessed := domain.StatementDoc(w.statement.ID + 1000)
		by.send(map[string]any{"t": "open", "doc": guessed.String()})
		by.expectError(realtime.CodeNotFound)
		by.send(map[string]any{"t": "open", "doc": "statement:0"})
		by.expectError(realtime.CodeBadRequest)
		pate := dialRaw(t, in, w.editors[0].ID) // HE, but a Themenpate
		pate.send(map[string]any{"t": "open", "doc": w.statement.String()})
		pate.expectError(realtime.CodeForbidden)
		if text, v := w.dbText(w.statement); text != "Ja. Kurz: "+body || v != 2 {
			t.Fatalf("statement is %q at v%d", text, v)
		}

		// Submitted: final, and still HE's alone while statements are not
		// public.
		if _, err := w.db.SubmitStatement(ctx, w.phase, w.landHE[0].OrgID, w.landHE[0].ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		he.opDoc(w.statement, 2, []any{"Nachtrag "}, "he", 2)
		he.expectError(realtime.CodeSectionLocked)
		by.send(map[string]any{"t": "open", "doc": w.statement.String()})
		by.expectError(realtime.CodeForbidden)

		public := true
		if _, err := w.db.UpdateStrategy(ctx, w.strategy, domain.StrategyUpdate{StatementsPublic: &public}); err != nil {
			t.Fatal(err)
		}
		var read *frame
		waitUntil(t, "BY to read the public statement", func() bool {
			by.send(map[string]any{"t": "open", "doc": w.statement.String()})
			read = by.next("snapshot", "error")
			return read.T == "snapshot"
		})
		if read.Text != "Ja. Kurz: "+body || read.V != 2 {
			t.Fatalf("BY reads %q at v%d", read.Text, read.V)
		}
		by.opDoc(w.statement, 2, []any{"x"}, "by", 2)
		by.expectError(realtime.CodeForbidden)
		if text, v := w.dbText(w.statement); text != "Ja. Kurz: "+body || v != 2 {
			t.Fatalf("submitted statement changed: %q at v%d", text, v)
		}
	})
}
