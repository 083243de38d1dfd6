package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func newThread(t *testing.T, db *store.DB, sec *domain.Section, u *domain.User, kind domain.ThreadKind) *domain.Thread {
	t.Helper()
	th := &domain.Thread{StrategyID: sec.StrategyID, SectionID: sec.ID, AuthorID: u.ID, OrgID: u.OrgID, Kind: kind,
		Anchor: domain.Anchor{Start: 0, End: 4}, Quote: "Text", Replacement: "Neu"}
	c := &domain.Comment{AuthorID: u.ID, Body: "Hallo", HTML: "<p>Hallo</p>"}
	must(t, db.CreateThread(ctx, th, c))
	return th
}

func TestThreadStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "Föderale Digitalstrategie")
		sec := newSection(t, db, s, "Zielbild", nil)
		u := newUser(t, db, "anna@hamburg.de", "HH", domain.RoleLand)
		th := newThread(t, db, sec, u, domain.KindAenderungsvorschlag)

		got, err := db.FindThreadByID(ctx, th.ID)
		must(t, err)
		if got.OrgCode != "HH" || got.AuthorName != u.Name || len(got.Comments) != 1 || got.Comments[0].Body != "Hallo" ||
			got.Status != domain.StatusOffen || got.Replacement != "Neu" {
			t.Fatalf("thread = %+v", got)
		}
		_, err = db.FindThreadByID(ctx, th.ID+100)
		wantCode(t, err, domain.ENOTFOUND)

		// The anchor moves only from the version it was read at.
		n, err := db.UpdateAnchors(ctx, []domain.AnchorUpdate{{ThreadID: th.ID, FromVersion: 0, Anchor: domain.Anchor{Start: 2, End: 6, Version: 3}}})
		must(t, err)
		if n != 1 {
			t.Fatal("first anchor update refused")
		}
		n, err = db.UpdateAnchors(ctx, []domain.AnchorUpdate{{ThreadID: th.ID, FromVersion: 0, Anchor: domain.Anchor{Start: 9, End: 9, Version: 3}}})
		must(t, err)
		if n != 0 {
			t.Fatal("stale anchor update applied")
		}

		offen, done := domain.StatusOffen, domain.StatusErledigt
		note := "geklärt"
		upd, err := db.UpdateThread(ctx, th.ID, domain.ThreadUpdate{IfStatus: &offen, Status: &done, Resolution: &note})
		must(t, err)
		if upd.Status != done || upd.Resolution != note || upd.Anchor.Start != 2 || upd.Anchor.Version != 3 {
			t.Fatalf("updated = %+v", upd)
		}
		_, err = db.UpdateThread(ctx, th.ID, domain.ThreadUpdate{IfStatus: &offen, Status: &done})
		wantCode(t, err, domain.ECONFLICT)

		c := &domain.Comment{ThreadID: th.ID, AuthorID: u.ID, Body: "Zweitens", HTML: "<p>Zweitens</p>"}
		must(t, db.CreateComment(ctx, c))
		wantCode(t, db.CreateComment(ctx, &domain.Comment{ThreadID: th.ID + 100, AuthorID: u.ID, Body: "x", HTML: "x"}), domain.EINVALID)
		r := &domain.CommentReport{CommentID: c.ID, ReporterID: u.ID, Reason: "beleidigend"}
		must(t, db.CreateReport(ctx, r))
		reps, err := db.FindOpenReports(ctx, s.ID)
		must(t, err)
		if len(reps) != 1 || reps[0].ID != r.ID || reps[0].Reason != "beleidigend" || reps[0].ThreadID != th.ID || reps[0].StrategyID != s.ID {
			t.Fatalf("reports = %+v", reps)
		}
		hc, err := db.HideComment(ctx, c.ID, "Beleidigung", u.ID)
		must(t, err)
		if !hc.Hidden || hc.HiddenReason != "Beleidigung" || hc.Body != "Zweitens" {
			t.Fatalf("hidden comment = %+v", hc)
		}
		if reps, _ = db.FindOpenReports(ctx, 0); len(reps) != 0 {
			t.Fatalf("reports after hiding = %+v", reps)
		}
		at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		ec, err := db.EditComment(ctx, c.ID, "Neu", "<p>Neu</p>", at)
		must(t, err)
		if ec.EditedAt == nil || !ec.EditedAt.Equal(at) || ec.Body != "Neu" {
			t.Fatalf("edited = %+v", ec)
		}
		all, err := db.FindThreads(ctx, domain.ThreadFilter{SectionID: sec.ID, Kind: domain.KindAenderungsvorschlag})
		must(t, err)
		if len(all) != 1 || len(all[0].Comments) != 2 {
			t.Fatalf("threads = %+v", all)
		}
		must(t, db.MarkAffected(ctx, []int64{th.ID}))
		if got, _ := db.FindThreadByID(ctx, th.ID); !got.Affected {
			t.Fatal("not marked affected")
		}
	})
}

func TestStatementStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "Föderale Digitalstrategie")
		p := &domain.Phase{StrategyID: s.ID, Kind: domain.PhaseBeteiligung}
		must(t, db.AddPhase(ctx, p))
		u := newUser(t, db, "anna@hamburg.de", "HH", domain.RoleLand)
		_, err := db.SubmitStatementAt(ctx, p.ID, u.OrgID, u.ID, time.Now(), nil, render)
		wantCode(t, err, domain.ENOTFOUND)

		st := &domain.Statement{StrategyID: s.ID, PhaseID: p.ID, OrgID: u.OrgID, Position: domain.PositionAblehnung, Body: "a", UpdatedBy: u.ID}
		must(t, db.SaveStatementDraft(ctx, st, ptr(int64(0))))
		if st.Body != "a" || st.DocVersion != 0 {
			t.Fatalf("new draft: body %q at %d", st.Body, st.DocVersion)
		}
		// The text of an existing draft is its live document: a save
		// stores the position and reads the text back, it does not
		// write it.
		st.Body, st.Position = "b", domain.PositionZustimmung
		must(t, db.SaveStatementDraft(ctx, st, ptr(int64(1))))
		if st.Version != 1 || st.Revision != 2 || st.Body != "a" {
			t.Fatalf("draft version %d revision %d body %q; want 1, 2 and the unchanged text", st.Version, st.Revision, st.Body)
		}
		must(t, db.ExecRaw(ctx, fmt.Sprintf("UPDATE statements SET body = 'b', doc_version = 1, body_version = 1 WHERE id = %d", st.ID))) // as the op log does
		// A save made on revision 1 would overwrite the position: refused,
		// and nothing changes.
		stale := &domain.Statement{StrategyID: s.ID, PhaseID: p.ID, OrgID: u.OrgID, Body: "alt", UpdatedBy: u.ID}
		err = db.SaveStatementDraft(ctx, stale, ptr(int64(1)))
		wantCode(t, err, domain.ECONFLICT)
		if f := domain.ErrorFields(err); f["revision"] != "2" {
			t.Fatalf("conflict fields = %v", f)
		}
		cur, err := db.FindStatement(ctx, p.ID, u.OrgID)
		must(t, err)
		if cur.Body != "b" || cur.Revision != 2 || cur.Position != domain.PositionZustimmung || cur.DocVersion != 1 || cur.HTML != "" {
			t.Fatalf("after the refused save: %+v", cur)
		}
		// Submitting at a version the text has moved past is refused.
		_, err = db.SubmitStatementAt(ctx, p.ID, u.OrgID, u.ID, time.Now(), ptr(int64(0)), render)
		wantCode(t, err, domain.ECONFLICT)
		if f := domain.ErrorFields(err); f["doc_version"] != "1" {
			t.Fatalf("conflict fields = %v", f)
		}
		// freeze sees the locked draft and may refuse it.
		refuse := func(d *domain.Statement) (string, error) {
			return "", domain.Invalid("body", "nein: "+d.Body)
		}
		_, err = db.SubmitStatementAt(ctx, p.ID, u.OrgID, u.ID, time.Now(), ptr(int64(1)), refuse)
		if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(err.Error(), "nein: b") {
			t.Fatalf("refused freeze: %v", err)
		}
		sub, err := db.SubmitStatementAt(ctx, p.ID, u.OrgID, u.ID, time.Now(), ptr(int64(1)), render)
		must(t, err)
		// Submitting counts: a save still based on the draft is refused
		// rather than starting the next version unseen.
		wantCode(t, db.SaveStatementDraft(ctx, stale, ptr(int64(2))), domain.ECONFLICT)
		if !sub.Submitted() || sub.Body != "b" || sub.HTML != "<p>b</p>" || sub.DocVersion != 1 || sub.OrgCode != "HH" {
			t.Fatalf("submitted = %+v", sub)
		}
		_, err = db.SubmitStatementAt(ctx, p.ID, u.OrgID, u.ID, time.Now(), nil, render)
		wantCode(t, err, domain.ELOCKED)
		// The schema itself refuses to change a submitted version.
		if err := db.ExecRaw(ctx, "UPDATE statements SET body = 'x'"); err == nil {
			t.Fatal("update of a submitted statement accepted")
		}
		st2 := &domain.Statement{StrategyID: s.ID, PhaseID: p.ID, OrgID: u.OrgID, Position: domain.PositionZustimmung, Body: "c", UpdatedBy: u.ID}
		must(t, db.SaveStatementDraft(ctx, st2, nil)) // no base: the last save wins
		if st2.Version != 2 || st2.Revision != 4 || st2.Body != "c" || st2.DocVersion != 0 {
			t.Fatalf("new version %d revision %d body %q at %d; want 2, 4 and c at 0", st2.Version, st2.Revision, st2.Body, st2.DocVersion)
		}
		vs, err := db.FindStatementVersions(ctx, p.ID, u.OrgID)
		must(t, err)
		if len(vs) != 2 || vs[0].Body != "b" || !vs[0].Submitted() || vs[1].Submitted() || vs[1].DocVersion != 0 {
			t.Fatalf("versions = %+v", vs)
		}
		list, err := db.FindStatements(ctx, p.ID)
		must(t, err)
		if len(list) != 1 || list[0].Version != 2 {
			t.Fatalf("statements = %+v", list)
		}
		// Without the consultation's rendering the text is frozen as
		// escaped plain text.
		must(t, db.ExecRaw(ctx, fmt.Sprintf("UPDATE statements SET body = '<b>c & d</b>' WHERE id = %d", st2.ID)))
		plain, err := db.SubmitStatement(ctx, p.ID, u.OrgID, u.ID, time.Now())
		must(t, err)
		if plain.Version != 2 || plain.HTML != "<p>&lt;b&gt;c &amp; d&lt;/b&gt;</p>" {
			t.Fatalf("plainly submitted = %+v", plain)
		}
	})
}

// render stands in for the consultation's Markdown rendering.
func render(d *domain.Statement) (string, error) { return "<p>" + d.Body + "</p>", nil }

func TestNotificationStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "anna@hamburg.de", "HH", domain.RoleLand)
		ns := []*domain.Notification{
			{UserID: u.ID, Kind: domain.NotifyDeadline, Text: "Frist", Key: "deadline:1"},
			{UserID: u.ID, Kind: domain.NotifyReply, Text: "Antwort"},
		}
		got, err := db.CreateNotifications(ctx, ns)
		must(t, err)
		if len(got) != 2 {
			t.Fatalf("inserted %d", len(got))
		}
		got, err = db.CreateNotifications(ctx, []*domain.Notification{{UserID: u.ID, Kind: domain.NotifyDeadline, Text: "Frist", Key: "deadline:1"}})
		must(t, err)
		if len(got) != 0 {
			t.Fatal("duplicate key inserted")
		}
		n, err := db.CountUnread(ctx, u.ID)
		must(t, err)
		if n != 2 {
			t.Fatalf("unread = %d", n)
		}
		must(t, db.MarkRead(ctx, u.ID, []int64{ns[0].ID}, time.Now()))
		unread, err := db.FindNotifications(ctx, u.ID, true, 0)
		must(t, err)
		if len(unread) != 1 || unread[0].ID != ns[1].ID {
			t.Fatalf("unread = %+v", unread)
		}
		must(t, db.MarkRead(ctx, u.ID, nil, time.Now()))
		if n, _ = db.CountUnread(ctx, u.ID); n != 0 {
			t.Fatalf("unread after read all = %d", n)
		}
	})
}
