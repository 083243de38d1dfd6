package consult_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// editStatement commits op (JSON) to statement id's text at base as u, as
// a live editor does, and returns the error of the op log.
func (f *fixture) editStatement(u *domain.User, id int64, client string, base int64, op string) error {
	_, err := f.col.Submit(ctx, domain.SubmitRequest{Doc: domain.StatementDoc(id), BaseVersion: base, Op: []byte(op),
		UserID: u.ID, ClientID: client, Seq: 1})
	return err
}

// appendOp is the op that appends s to text.
func appendOp(text, s string) string {
	b, _ := json.Marshal([]any{utf8.RuneCountInString(text), s})
	return string(b)
}

// A save over REST changes the text of an existing draft as one edit on the
// version it was made on: a live edit committed meanwhile stays.
func TestStatementSaveMergesWithLiveEdits(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		sid := f.strategy.ID
		draft, err := f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Position: domain.PositionZustimmung, Body: "Wir stimmen zu."})
		must(t, err)
		if draft.DocVersion != 0 || draft.Body != "Wir stimmen zu." || !strings.Contains(draft.HTML, "Wir stimmen zu.") {
			t.Fatalf("new draft = %+v", draft)
		}
		var events []consult.StatementEvent
		f.svc.OnStatementEvent(func(ev consult.StatementEvent) { events = append(events, ev) })

		// Bernd appends live; Anna saves her edit of version 0 over REST.
		must(t, f.editStatement(f.land2, draft.ID, "bernd", 0, appendOp(draft.Body, " Bayern ergänzt.")))
		saved, err := f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Position: domain.PositionZustimmungMitAenderungen,
			Body: "Wir stimmen grundsätzlich zu.", BaseRevision: &draft.Revision, DocVersion: ptr(int64(0))})
		must(t, err)
		const both = "Wir stimmen grundsätzlich zu. Bayern ergänzt."
		if saved.Body != both || saved.DocVersion != 2 || saved.Position != domain.PositionZustimmungMitAenderungen {
			t.Fatalf("saved = %q at %d (%s); want %q at 2", saved.Body, saved.DocVersion, saved.Position, both)
		}
		if !strings.Contains(saved.HTML, "grundsätzlich") || !strings.Contains(saved.HTML, "Bayern ergänzt") {
			t.Fatalf("HTML of the saved draft = %q", saved.HTML)
		}
		if text, v, err := f.col.Snapshot(ctx, domain.StatementDoc(draft.ID)); err != nil || text != both || v != 2 {
			t.Fatalf("document = %q at %d, %v", text, v, err)
		}
		if len(events) != 1 || events[0].Event != "saved" || events[0].Revision != saved.Revision || events[0].By != f.land.Name {
			t.Fatalf("save announced as %+v", events)
		}

		// The same body again changes nothing, however far the text has
		// moved meanwhile.
		must(t, f.editStatement(f.land2, draft.ID, "bernd2", 2, appendOp(both, " Ende.")))
		again, err := f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Position: saved.Position, Body: both, DocVersion: ptr(int64(2))})
		must(t, err)
		if again.Body != both+" Ende." || again.DocVersion != 3 {
			t.Fatalf("unchanged save = %q at %d", again.Body, again.DocVersion)
		}
		// A version the text has not reached is refused, and nothing is
		// stored.
		_, err = f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Body: "x", DocVersion: ptr(int64(9))})
		wantCode(t, err, domain.EINVALID)

		// Drafts are read with their live text rendered, everywhere.
		must(t, f.editStatement(f.land2, draft.ID, "bernd3", 3, appendOp(again.Body, " **Neu**")))
		got, err := f.svc.Statement(ctx, f.moderator, sid, f.land.OrgID)
		must(t, err)
		if got.DocVersion != 4 || !strings.Contains(got.HTML, "<strong>Neu</strong>") || got.Position != domain.PositionZustimmungMitAenderungen {
			t.Fatalf("draft read at %d with HTML %q", got.DocVersion, got.HTML)
		}
		vs, err := f.svc.StatementVersions(ctx, f.land, sid, f.land.OrgID)
		must(t, err)
		if len(vs) != 1 || vs[0].HTML != got.HTML {
			t.Fatalf("versions = %+v", vs)
		}
	})
}

// racingOpLog commits a concurrent live edit right before the first REST
// edit reaches the op log, as if it had been typed in between.
type racingOpLog struct {
	domain.OpLogService
	once   sync.Once
	before func()
}

func (r *racingOpLog) Submit(ctx context.Context, req domain.SubmitRequest) (*domain.SubmitResult, error) {
	if strings.HasPrefix(req.ClientID, "rest-") {
		r.once.Do(r.before)
	}
	return r.OpLogService.Submit(ctx, req)
}

// Without doc_version the change is made against the text the save read;
// a live edit that lands before it is committed is transformed, not lost.
func TestStatementSaveRacingLiveEdit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		sid := f.strategy.ID
		draft, err := f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Body: "Wir stimmen zu."})
		must(t, err)
		racing := &racingOpLog{OpLogService: f.col}
		racing.before = func() {
			must(t, f.editStatement(f.land2, draft.ID, "bernd", 0, appendOp(draft.Body, " Bayern ergänzt.")))
		}
		svc := consult.New(consult.Deps{Store: f.db, Strategies: f.db, Users: f.db, OpLog: racing, History: f.col, Audit: f.db, Now: f.Now})
		saved, err := svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Body: "Wir stimmen grundsätzlich zu."})
		must(t, err)
		if want := "Wir stimmen grundsätzlich zu. Bayern ergänzt."; saved.Body != want || saved.DocVersion != 2 {
			t.Fatalf("saved = %q at %d; want %q at 2", saved.Body, saved.DocVersion, want)
		}
	})
}

// Submitting freezes the text at the version the user saw, with its HTML;
// the op log refuses edits afterwards, and a new Fassung starts at version
// 0 with the submitted text.
func TestStatementSubmitAtDocVersion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		sid := f.strategy.ID
		draft, err := f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Position: domain.PositionZustimmung, Body: "Wir stimmen zu."})
		must(t, err)
		must(t, f.editStatement(f.land2, draft.ID, "bernd", 0, appendOp(draft.Body, " Mit *Nachdruck*.")))
		const seen = "Wir stimmen zu. Mit *Nachdruck*."

		var events []consult.StatementEvent
		f.svc.OnStatementEvent(func(ev consult.StatementEvent) { events = append(events, ev) })
		// Anna saw version 0: the text has moved on, nothing is submitted.
		_, err = f.svc.SubmitStatementAt(ctx, f.land, sid, ptr(int64(0)))
		wantCode(t, err, domain.ECONFLICT)
		if fields := domain.ErrorFields(err); fields["doc_version"] != "1" {
			t.Fatalf("conflict fields = %v", fields)
		}
		// So too with a text: refused before anything is saved.
		_, err = f.svc.SubmitStatementText(ctx, f.land, sid, consult.StatementInput{Position: domain.PositionAblehnung, Body: "Nein.", DocVersion: ptr(int64(0))})
		wantCode(t, err, domain.ECONFLICT)
		if fields := domain.ErrorFields(err); fields["doc_version"] != "1" {
			t.Fatalf("conflict fields = %v", fields)
		}
		cur, err := f.svc.Statement(ctx, f.land, sid, f.land.OrgID)
		must(t, err)
		if cur.Submitted() || cur.Body != seen || cur.Position != domain.PositionZustimmung || len(events) != 0 {
			t.Fatalf("after the refused submissions: %+v, events %+v", cur, events)
		}
		_, err = f.svc.SubmitStatementAt(ctx, f.land, sid, ptr(int64(-1)))
		wantCode(t, err, domain.EINVALID)

		sub, err := f.svc.SubmitStatementAt(ctx, f.land, sid, ptr(int64(1)))
		must(t, err)
		if !sub.Submitted() || sub.Body != seen || sub.DocVersion != 1 || sub.HTML != consult.RenderMarkdown(seen) {
			t.Fatalf("submitted = %+v", sub)
		}
		if len(events) != 1 || events[0].Event != "submitted" || events[0].Revision != sub.Revision {
			t.Fatalf("submission announced as %+v", events)
		}
		// The submitted text is final: the op log refuses edits to it.
		wantCode(t, f.editStatement(f.land2, sub.ID, "bernd2", 1, appendOp(seen, " Nachtrag.")), domain.ELOCKED)
		vs, err := f.svc.StatementVersions(ctx, f.moderator, sid, f.land.OrgID)
		must(t, err)
		if len(vs) != 1 || vs[0].Body != seen || vs[0].HTML != sub.HTML {
			t.Fatalf("versions after the refused edit = %+v", vs)
		}

		// "Neue Fassung beginnen": a save after the submission starts
		// version 2, a document of its own at version 0.
		v2, err := f.svc.SaveStatement(ctx, f.land2, sid, consult.StatementInput{Position: sub.Position, Body: sub.Body, DocVersion: ptr(int64(1))})
		must(t, err)
		if v2.Version != 2 || v2.ID == sub.ID || v2.DocVersion != 0 || v2.Body != seen || v2.Submitted() || v2.HTML != sub.HTML {
			t.Fatalf("new Fassung = %+v", v2)
		}
		if text, v, err := f.col.Snapshot(ctx, domain.StatementDoc(v2.ID)); err != nil || text != seen || v != 0 {
			t.Fatalf("new Fassung's document = %q at %d, %v", text, v, err)
		}
		must(t, f.editStatement(f.land2, v2.ID, "bernd3", 0, appendOp(seen, " Zweite Fassung.")))
		// Submitting with the text and its version freezes exactly that
		// text, the save's own edit included.
		sub2, err := f.svc.SubmitStatementText(ctx, f.land, sid, consult.StatementInput{Position: domain.PositionZustimmung,
			Body: seen + " Zweite Fassung, ergänzt.", DocVersion: ptr(int64(1))})
		must(t, err)
		if sub2.Version != 2 || sub2.Body != seen+" Zweite Fassung, ergänzt." || sub2.DocVersion != 2 || sub2.HTML != consult.RenderMarkdown(sub2.Body) {
			t.Fatalf("second submission = %+v", sub2)
		}
		old, err := f.db.FindStatementVersions(ctx, f.phase.ID, f.land.OrgID)
		must(t, err)
		if old[0].Body != seen || old[0].DocVersion != 1 {
			t.Fatalf("version 1 changed: %+v", old[0])
		}
	})
}
