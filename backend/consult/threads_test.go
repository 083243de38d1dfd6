package consult_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestCreateThreadAndAnchorMoves(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		th := f.thread(t, f.land, domain.KindEinwand, "einmal erhoben", "")
		if th.Quote != "einmal erhoben" || th.OrgCode != "BY" || th.Status != domain.StatusOffen || len(th.Comments) != 1 {
			t.Fatalf("thread = %+v", th)
		}
		if f.auditCount(t, "thread_created") != 1 {
			t.Fatal("thread creation not audited")
		}
		// Text typed before and right at both edges stays outside.
		f.edit(t, f.pate, "c1", 1, 0, `["Vorab: "]`)
		text, v := f.text(t)
		s, e := find(t, text, "einmal erhoben")
		f.edit(t, f.pate, "c1", 2, v, `[`+itoa(e)+`, "!"]`)
		f.edit(t, f.pate, "c1", 3, v+1, `[`+itoa(s)+`, "X"]`)
		ts, err := f.svc.SectionThreads(ctx, f.land, f.section.ID)
		must(t, err)
		text, v = f.text(t)
		a := ts[0].Anchor
		if a.Version != v || string([]rune(text)[a.Start:a.End]) != "einmal erhoben" {
			t.Fatalf("anchor %+v covers %q in %q", a, string([]rune(text)[a.Start:a.End]), text)
		}
		// Deleting the whole passage keeps the thread with its quote.
		f.edit(t, f.pate, "c1", 4, v, `[`+itoa(a.Start-1)+`, {"d":`+itoa(a.End-a.Start+2)+`}]`)
		got, err := f.svc.Thread(ctx, f.land, th.ID)
		must(t, err)
		if !got.Anchor.Removed || got.Quote != "einmal erhoben" {
			t.Fatalf("after deleting the passage: %+v", got.Anchor)
		}
		// The moved anchor was stored.
		stored, err := db.FindThreadByID(ctx, th.ID)
		must(t, err)
		if !stored.Anchor.Removed {
			t.Fatal("anchor not persisted")
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestThreadBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		text, v := f.text(t)
		n := len([]rune(text))
		base := consult.NewThread{SectionID: f.section.ID, Kind: domain.KindKommentar, Start: 0, End: 3, Version: v, Body: "ok"}
		bad := map[string]struct {
			mod  func(r *consult.NewThread)
			code string
		}{
			"empty body":               {func(r *consult.NewThread) { r.Body = "  \n " }, domain.EINVALID},
			"over-long body":           {func(r *consult.NewThread) { r.Body = strings.Repeat("a", consult.MaxBodyLen+1) }, domain.ETOOLARGE},
			"range past end":           {func(r *consult.NewThread) { r.End = n + 1 }, domain.EINVALID},
			"negative start":           {func(r *consult.NewThread) { r.Start = -1 }, domain.EINVALID},
			"empty range":              {func(r *consult.NewThread) { r.End = r.Start }, domain.EINVALID},
			"future version":           {func(r *consult.NewThread) { r.Version = v + 1 }, domain.EINVALID},
			"unknown kind":             {func(r *consult.NewThread) { r.Kind = "lob" }, domain.EINVALID},
			"unknown section":          {func(r *consult.NewThread) { r.SectionID += 1000 }, domain.ENOTFOUND},
			"replacement on kommentar": {func(r *consult.NewThread) { r.Replacement = "x" }, domain.EINVALID},
			"NUL in body":              {func(r *consult.NewThread) { r.Body = "a\x00b" }, domain.EINVALID},
		}
		for name, c := range bad {
			req := base
			c.mod(&req)
			_, err := f.svc.CreateThread(ctx, f.land, req)
			if domain.ErrorCode(err) != c.code {
				t.Errorf("%s: code %q, want %q (%v)", name, domain.ErrorCode(err), c.code, err)
			}
			if domain.ErrorMessage(err) == "" || domain.ErrorMessage(err) == "Interner Fehler" {
				t.Errorf("%s: unclear message %q", name, domain.ErrorMessage(err))
			}
		}
		// A proposal for a final section is refused.
		final := domain.SectionFinal
		_, err := db.UpdateSection(ctx, f.section.ID, domain.SectionUpdate{Status: &final})
		must(t, err)
		p := base
		p.Kind, p.Replacement = domain.KindAenderungsvorschlag, "Neu"
		_, err = f.svc.CreateThread(ctx, f.land, p)
		wantCode(t, err, domain.ELOCKED)
		ts, err := db.FindThreads(ctx, domain.ThreadFilter{SectionID: f.section.ID})
		must(t, err)
		if len(ts) != 0 {
			t.Fatalf("bad input created %d threads", len(ts))
		}
		if f.auditCount(t, "denied") != 1 {
			t.Fatalf("denied events = %d, want 1", f.auditCount(t, "denied"))
		}
	})
}

func TestMarkdownIsSanitised(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		th := f.thread(t, f.land, domain.KindFrage, "digital", "")
		payload := "**fett** <script>alert(1)</script> <img src=x onerror=alert(2)> [klick](javascript:alert(3)) <a href=\"https://example.org\" onclick=\"x()\">ok</a>"
		c, err := f.svc.Reply(ctx, f.pate, th.ID, payload)
		must(t, err)
		got, err := f.svc.Thread(ctx, f.reader, th.ID)
		must(t, err)
		html := got.Comments[1].HTML
		if html != c.HTML || !strings.Contains(html, "<strong>fett</strong>") {
			t.Fatalf("html = %q", html)
		}
		for _, bad := range []string{"<script", "onerror", "javascript:", "onclick", "<img"} {
			if strings.Contains(strings.ToLower(html), bad) {
				t.Fatalf("stored XSS payload survives (%s): %q", bad, html)
			}
		}
		if got.Comments[1].Body != payload {
			t.Fatal("the Markdown source must be kept as written")
		}
	})
}

func TestEditCommentWindow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		th := f.thread(t, f.land, domain.KindKommentar, "digital", "")
		c := th.Comments[0]
		_, err := f.svc.EditComment(ctx, f.land2, c.ID, "fremd")
		wantCode(t, err, domain.EFORBIDDEN)
		f.Set(c.CreatedAt.Add(14 * time.Minute))
		ed, err := f.svc.EditComment(ctx, f.land, c.ID, "Korrigiert")
		must(t, err)
		if ed.EditedAt == nil || ed.Body != "Korrigiert" || !strings.Contains(ed.HTML, "Korrigiert") {
			t.Fatalf("edited = %+v", ed)
		}
		f.Set(c.CreatedAt.Add(16 * time.Minute))
		_, err = f.svc.EditComment(ctx, f.land, c.ID, "zu spät")
		wantCode(t, err, domain.EFORBIDDEN)
		got, _ := db.FindCommentByID(ctx, c.ID)
		if got.Body != "Korrigiert" {
			t.Fatalf("body = %q", got.Body)
		}
	})
}

func TestThreadAtOlderVersionAndEvents(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		var events []string
		f.svc.OnThreadEvent(func(e consult.ThreadEvent) {
			if e.SectionID != f.section.ID || e.ThreadID == 0 {
				t.Errorf("event %+v", e)
			}
			events = append(events, e.Event)
		})
		f.edit(t, f.pate, "c", 1, 0, `["Präambel. "]`)
		// The client still shows version 0: the quote comes from there and
		// the anchor is moved to the newest version.
		s, e := find(t, sectionText, "Bund und Länder")
		th, err := f.svc.CreateThread(ctx, f.land, consult.NewThread{SectionID: f.section.ID, Kind: domain.KindZustimmung,
			Start: s, End: e, Version: 0, Body: "Richtig so."})
		must(t, err)
		text, v := f.text(t)
		if th.Quote != "Bund und Länder" || th.Anchor.Version != v || string([]rune(text)[th.Anchor.Start:th.Anchor.End]) != "Bund und Länder" {
			t.Fatalf("thread at old version: %+v", th.Anchor)
		}
		_, err = f.svc.Reply(ctx, f.pate, th.ID, "Danke")
		must(t, err)
		_, err = f.svc.Resolve(ctx, f.pate, th.ID, "")
		must(t, err)
		if strings.Join(events, ",") != "created,replied,resolved" {
			t.Fatalf("events = %v", events)
		}

		// The dashboard filters by status, kind, organisation and topic.
		f.thread(t, f.land2, domain.KindEinwand, "digital", "")
		list, err := f.svc.StrategyThreads(ctx, f.moderator, f.strategy.ID, consult.ThreadQuery{Status: domain.StatusOffen})
		must(t, err)
		if len(list) != 1 || list[0].Kind != domain.KindEinwand {
			t.Fatalf("open threads = %+v", list)
		}
		list, err = f.svc.StrategyThreads(ctx, f.moderator, f.strategy.ID, consult.ThreadQuery{TopicID: f.topic.ID + 1})
		must(t, err)
		if len(list) != 0 {
			t.Fatalf("other topic lists %d threads", len(list))
		}
		_, err = f.svc.StrategyThreads(ctx, f.moderator, f.strategy.ID, consult.ThreadQuery{Kind: "lob"})
		wantCode(t, err, domain.EINVALID)
	})
}

// TestThreadPermissions checks that threads and comments carry what the
// asking user may do, as the policy decides it.
func TestThreadPermissions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		p := f.thread(t, f.land, domain.KindAenderungsvorschlag, "Daten", "Die Daten")
		c, err := f.svc.Reply(ctx, f.land2, p.ID, "Einverstanden")
		must(t, err)
		as := func(u *domain.User) *domain.Thread {
			got, err := f.svc.Thread(ctx, u, p.ID)
			must(t, err)
			return got
		}
		land, pate, mod, reader := as(f.land), as(f.pate), as(f.moderator), as(f.reader)
		if w := (domain.ThreadPermissions{Reply: true}); *land.Can != w {
			t.Errorf("Land may %+v, want %+v", *land.Can, w)
		}
		if w := (domain.ThreadPermissions{Reply: true, Accept: true, Reject: true}); *pate.Can != w {
			t.Errorf("Themenpate may %+v, want %+v", *pate.Can, w)
		}
		if w := (domain.ThreadPermissions{Reply: true, Hide: true, Accept: true, Reject: true}); *mod.Can != w {
			t.Errorf("moderator may %+v, want %+v", *mod.Can, w)
		}
		if w := (domain.ThreadPermissions{}); *reader.Can != w {
			t.Errorf("reader may %+v, want nothing", *reader.Can)
		}
		reply := func(th *domain.Thread) domain.CommentPermissions {
			for _, x := range th.Comments {
				if x.ID == c.ID {
					return *x.Can
				}
			}
			t.Fatal("reply missing")
			return domain.CommentPermissions{}
		}
		if got := reply(land); got != (domain.CommentPermissions{Report: true}) {
			t.Errorf("Land on another's reply: %+v", got)
		}
		if got := reply(as(f.land2)); got != (domain.CommentPermissions{Edit: true}) {
			t.Errorf("author on own reply: %+v", got)
		}
		if got := reply(mod); got != (domain.CommentPermissions{Report: true, Hide: true}) {
			t.Errorf("moderator on a reply: %+v", got)
		}
		// Once decided, a proposal can be reopened but no longer accepted.
		_, err = f.svc.Reject(ctx, f.pate, p.ID, "Nicht nötig")
		must(t, err)
		if got := *as(f.pate).Can; got != (domain.ThreadPermissions{Reply: true, Reopen: true}) {
			t.Errorf("Themenpate after rejecting: %+v", got)
		}
	})
}
