package consult_test

import (
	"bytes"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/export"
	"github.com/strategieraum/strategieraum/backend/export/exporttest"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// abwaegungFixture adds a participant of Hessen and a few contributions:
// a proposal of Bayern and a comment of Hessen.
type abwaegungFixture struct {
	*fixture
	he               *domain.User
	proposal, remark *domain.Thread
}

func newAbwaegungFixture(t *testing.T, db *store.DB) *abwaegungFixture {
	t.Helper()
	f := &abwaegungFixture{fixture: newFixture(t, db)}
	f.he = newUser(t, db, "land@hessen.de", "HE", []domain.Role{domain.RoleLand})
	f.proposal = f.thread(t, f.land, domain.KindAenderungsvorschlag, "einmal erhoben", "einmal erhoben und nachgenutzt")
	f.remark = f.thread(t, f.he, domain.KindKommentar, "Bund und Länder", "")
	return f
}

// rowOf finds the table row of thread id.
func rowOf(t *testing.T, a *consult.Abwaegung, id int64) *consult.AbwaegungRow {
	t.Helper()
	for _, r := range a.Rows {
		if r.ThreadID != nil && *r.ThreadID == id {
			return r
		}
	}
	t.Fatalf("thread %d not in the table", id)
	return nil
}

// Participants see assessments only once the moderation has published the
// round's Abwägung, also when another instance published it; they are
// notified then.
func TestAssessmentsHiddenUntilPublished(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAbwaegungFixture(t, db)
		other := f.service(f.col) // a second server on the same database
		sid := f.strategy.ID

		_, err := f.svc.AssessThread(ctx, f.land, f.proposal.ID, consult.AssessmentInput{Category: domain.CategoryBeruecksichtigt, Reason: "gut"})
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.AssessThread(ctx, f.otherPate, f.proposal.ID, consult.AssessmentInput{Category: domain.CategoryBeruecksichtigt, Reason: "gut"})
		wantCode(t, err, domain.EFORBIDDEN) // Themenpate of another topic
		_, err = f.svc.AssessThread(ctx, f.pate, f.proposal.ID, consult.AssessmentInput{Category: domain.CategoryNichtBeruecksichtigt})
		wantCode(t, err, domain.EINVALID) // a reason is required
		_, err = f.svc.AssessThread(ctx, f.pate, f.proposal.ID, consult.AssessmentInput{Category: "vielleicht", Reason: "x"})
		wantCode(t, err, domain.EINVALID)
		_, v := f.text(t)
		beyond := v + 1
		_, err = f.svc.AssessThread(ctx, f.pate, f.proposal.ID, consult.AssessmentInput{Category: domain.CategoryBeruecksichtigt, Reason: "x", Version: &beyond})
		wantCode(t, err, domain.EINVALID)

		_, err = f.svc.AssessThread(ctx, f.pate, f.proposal.ID, consult.AssessmentInput{Category: domain.CategoryTeilweiseBeruecksichtigt, Reason: "Nachnutzung aufgenommen", Version: &v})
		must(t, err)
		_, err = f.svc.AssessThread(ctx, f.pate, f.remark.ID, consult.AssessmentInput{Category: domain.CategoryZurKenntnisGenommen})
		must(t, err) // no reason needed

		for _, u := range []*domain.User{f.pate, f.moderator} {
			a, err := other.BuildAbwaegung(ctx, u, sid, consult.AbwaegungFilter{})
			must(t, err)
			if r := rowOf(t, a, f.proposal.ID); r.Assessment == nil || r.Assessment.Reason != "Nachnutzung aufgenommen" || !a.Can.Drafts {
				t.Fatalf("drafting side sees %+v", r.Assessment)
			}
		}
		for _, u := range []*domain.User{f.land, f.he, f.reader} {
			a, err := other.BuildAbwaegung(ctx, u, sid, consult.AbwaegungFilter{})
			must(t, err)
			if len(a.Rows) != 2 || a.Assessed != 0 || a.PublishedAt != nil {
				t.Fatalf("%s sees %d rows, %d assessed before publication", u.Email, len(a.Rows), a.Assessed)
			}
			for _, r := range a.Rows {
				if r.Assessment != nil {
					t.Fatalf("%s sees a draft assessment", u.Email)
				}
			}
			var buf bytes.Buffer
			must(t, a.WriteXLSX(&buf))
			if strings.Contains(buf.String(), "Nachnutzung") {
				t.Fatal("the download carries a draft assessment")
			}
		}

		_, err = f.svc.Publish(ctx, f.moderator, sid)
		wantCode(t, err, domain.ECONFLICT) // the round is still running
		f.Set(*f.phase.ClosesAt)
		_, err = f.svc.Publish(ctx, f.pate, sid)
		wantCode(t, err, domain.EFORBIDDEN)
		pub, err := f.svc.Publish(ctx, f.moderator, sid)
		must(t, err)
		again, err := other.Publish(ctx, f.moderator, sid)
		must(t, err)
		if !again.PublishedAt.Equal(pub.PublishedAt) {
			t.Fatal("a second publication replaced the first")
		}

		a, err := other.BuildAbwaegung(ctx, f.land, sid, consult.AbwaegungFilter{})
		must(t, err)
		r := rowOf(t, a, f.proposal.ID)
		if a.PublishedAt == nil || r.Assessment == nil || r.Assessment.Category != domain.CategoryTeilweiseBeruecksichtigt || r.CanAssess {
			t.Fatalf("after publication Bayern sees %+v (can assess %v)", r.Assessment, r.CanAssess)
		}
		ns, err := f.svc.Notifications(ctx, f.land, true, 0)
		must(t, err)
		count := 0
		for _, n := range ns {
			if n.Kind == domain.NotifyAbwaegung {
				count++
			}
		}
		if count != 1 {
			t.Fatalf("%d Abwägung notifications for Bayern, want 1", count)
		}

		// A correction after publication is audited and told to Hessen.
		before := f.auditCount(t, "assessment_changed_after_publication")
		_, err = other.AssessThread(ctx, f.pate, f.remark.ID, consult.AssessmentInput{Category: domain.CategoryBeruecksichtigt, Reason: "Doch aufgenommen"})
		must(t, err)
		if got := f.auditCount(t, "assessment_changed_after_publication"); got != before+1 {
			t.Fatalf("%d audit rows for the correction, want %d", got, before+1)
		}
		ns, _ = f.svc.Notifications(ctx, f.he, true, 0)
		if len(ns) < 2 {
			t.Fatalf("Hessen got %d notifications, want publication and correction", len(ns))
		}
		if !slices.ContainsFunc(ns, func(n *domain.Notification) bool { return strings.Contains(n.Text, "jetzt „berücksichtigt“") }) {
			t.Fatalf("the correction does not name the new assessment: %+v", ns)
		}
	})
}

// Mitzeichnung: only other organisations' threads, only inside the round
// (exact to the second), one per organisation however often its members
// click, withdrawable until the deadline.
func TestCosign(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAbwaegungFixture(t, db)

		_, err := f.svc.Cosign(ctx, f.land2, f.proposal.ID)
		wantReason(t, err, domain.ReasonOwnContribution) // Bayern's own proposal
		_, err = f.svc.Cosign(ctx, f.pate, f.proposal.ID)
		wantReason(t, err, domain.ReasonNotParticipant)

		// Two members of Bayern join Hessen's comment at the same moment.
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				u := f.land
				if i%2 == 1 {
					u = f.land2
				}
				_, errs[i] = f.service(f.col).Cosign(ctx, u, f.remark.ID)
			}(i)
		}
		wg.Wait()
		for _, err := range errs {
			must(t, err)
		}
		th, err := f.svc.Thread(ctx, f.he, f.remark.ID)
		must(t, err)
		if len(th.Cosigners) != 1 || th.Cosigners[0].OrgCode != "BY" {
			t.Fatalf("cosigners = %+v, want BY once", th.Cosigners)
		}
		if got := f.auditCount(t, "thread_cosigned"); got != 1 {
			t.Fatalf("%d cosign audit rows, want 1", got)
		}
		ns, _ := f.svc.Notifications(ctx, f.he, true, 0)
		if len(ns) != 1 || ns[0].Kind != domain.NotifyCosigned {
			t.Fatalf("Hessen's notifications: %+v", ns)
		}
		mine, err := f.svc.Thread(ctx, f.land, f.remark.ID)
		must(t, err)
		if mine.Can.Cosign || !mine.Can.Withdraw {
			t.Fatalf("Bayern may %+v", mine.Can)
		}

		// The co-signature shows in the report and the table.
		f.Set(*f.phase.ClosesAt)
		a, err := f.svc.BuildAbwaegung(ctx, f.moderator, f.strategy.ID, consult.AbwaegungFilter{})
		must(t, err)
		if r := rowOf(t, a, f.remark.ID); len(r.Cosigners) != 1 || r.Cosigners[0] != "BY" {
			t.Fatalf("table cosigners = %v", r.Cosigners)
		}
		rep, err := f.svc.BuildReport(ctx, f.moderator, f.strategy.ID)
		must(t, err)
		for _, tb := range rep.Tables() {
			if tb.Name != "diskussionen" {
				continue
			}
			col := len(tb.Header) - 1
			if tb.Header[col] != "Mitzeichner" {
				t.Fatalf("report header %q", tb.Header)
			}
			found := false
			for _, row := range tb.Rows {
				found = found || (row[0] == strconv.FormatInt(f.remark.ID, 10) && row[col] == "BY")
			}
			if !found {
				t.Fatalf("the report does not list BY as co-signer: %q", tb.Rows)
			}
		}

		// One second before the deadline: withdrawing works; at it and one
		// second after, nothing changes any more.
		f.Set(f.phase.ClosesAt.Add(-time.Second))
		th, err = f.svc.Withdraw(ctx, f.land2, f.remark.ID)
		must(t, err)
		if len(th.Cosigners) != 0 {
			t.Fatalf("after withdrawing: %+v", th.Cosigners)
		}
		_, err = f.svc.Cosign(ctx, f.he, f.proposal.ID)
		must(t, err)
		for _, at := range []time.Time{*f.phase.ClosesAt, f.phase.ClosesAt.Add(time.Second)} {
			f.Set(at)
			_, err = f.svc.Cosign(ctx, f.land, f.remark.ID)
			wantReason(t, err, domain.ReasonRoundClosed)
			if domain.ErrorMessage(err) == "" {
				t.Fatal("refusal without a German message")
			}
			_, err = f.svc.Withdraw(ctx, f.he, f.proposal.ID)
			wantReason(t, err, domain.ReasonRoundClosed)
		}
		th, err = f.svc.Thread(ctx, f.land, f.proposal.ID)
		must(t, err)
		if len(th.Cosigners) != 1 || th.Cosigners[0].OrgCode != "HE" || th.Can.Cosign || th.Can.Withdraw {
			t.Fatalf("after the deadline: %+v, can %+v", th.Cosigners, th.Can)
		}
	})
}

// The table lists threads and statement points, filters by section,
// organisation and category, and downloads as XLSX and office documents.
func TestAbwaegungTable(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newAbwaegungFixture(t, db)
		sid := f.strategy.ID
		_, err := f.svc.SaveStatement(ctx, f.he, sid, consult.StatementInput{Position: domain.PositionZustimmungMitAenderungen,
			Body: "Hessen stimmt zu.\n\nDie Datennutzung braucht   klare Regeln für den Datenschutz."})
		must(t, err)
		_, err = f.svc.SubmitStatement(ctx, f.he, sid)
		must(t, err)
		_, err = f.svc.AddPoint(ctx, f.pate, sid, consult.PointInput{OrgID: f.he.OrgID, Excerpt: "Das steht da nicht."})
		wantCode(t, err, domain.EINVALID)
		_, err = f.svc.AddPoint(ctx, f.land, sid, consult.PointInput{OrgID: f.he.OrgID, Excerpt: "klare Regeln"})
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.AddPoint(ctx, f.pate, sid, consult.PointInput{OrgID: f.land.OrgID, Excerpt: "klare Regeln"})
		wantCode(t, err, domain.ENOTFOUND) // Bayern submitted nothing
		pt, err := f.svc.AddPoint(ctx, f.pate, sid, consult.PointInput{OrgID: f.he.OrgID, SectionID: &f.section.ID,
			Excerpt: "Die Datennutzung braucht klare Regeln für den Datenschutz."})
		must(t, err)
		loose, err := f.svc.AddPoint(ctx, f.moderator, sid, consult.PointInput{OrgID: f.he.OrgID, Excerpt: "Hessen stimmt zu."})
		must(t, err)
		_, err = f.svc.AssessPoint(ctx, f.pate, sid, loose.ID, consult.AssessmentInput{Category: domain.CategoryZurKenntnisGenommen})
		wantCode(t, err, domain.EFORBIDDEN) // a point without section is the moderation's
		must(t, f.svc.DeletePoint(ctx, f.moderator, sid, loose.ID))
		_, err = f.svc.AssessPoint(ctx, f.pate, sid, pt.ID, consult.AssessmentInput{Category: domain.CategoryBeruecksichtigt, Reason: "Abschnitt 3 ergänzt"})
		must(t, err)
		_, err = f.svc.AssessThread(ctx, f.pate, f.proposal.ID, consult.AssessmentInput{Category: domain.CategoryNichtBeruecksichtigt, Reason: "zu eng"})
		must(t, err)
		_, err = f.svc.Cosign(ctx, f.he, f.proposal.ID)
		must(t, err)

		all, err := f.svc.BuildAbwaegung(ctx, f.moderator, sid, consult.AbwaegungFilter{})
		must(t, err)
		if len(all.Rows) != 3 || all.Total != 3 || all.Assessed != 2 || !all.Can.Publish || !all.Can.Split {
			t.Fatalf("table: %d rows, %d/%d assessed, can %+v", len(all.Rows), all.Assessed, all.Total, all.Can)
		}
		prop := rowOf(t, all, f.proposal.ID)
		if prop.OrgCode != "BY" || prop.Lines == "" && prop.Passage != "einmal erhoben" || prop.Replacement == "" || len(prop.Cosigners) != 1 {
			t.Fatalf("proposal row = %+v", prop)
		}
		for _, c := range []struct {
			f    consult.AbwaegungFilter
			want int
		}{
			{consult.AbwaegungFilter{OrgCode: "HE"}, 2},
			{consult.AbwaegungFilter{OrgCode: "by"}, 1},
			{consult.AbwaegungFilter{SectionID: f.section.ID}, 3},
			{consult.AbwaegungFilter{SectionID: f.section.ID + 1000}, 0},
			{consult.AbwaegungFilter{Category: consult.CategoryOpen}, 1},
			{consult.AbwaegungFilter{Category: string(domain.CategoryNichtBeruecksichtigt)}, 1},
			{consult.AbwaegungFilter{Category: string(domain.CategoryBeruecksichtigt), OrgCode: "HE"}, 1},
			{consult.AbwaegungFilter{Category: string(domain.CategoryBeruecksichtigt), OrgCode: "BY"}, 0},
		} {
			a, err := f.svc.BuildAbwaegung(ctx, f.moderator, sid, c.f)
			must(t, err)
			if len(a.Rows) != c.want {
				t.Errorf("filter %+v: %d rows, want %d", c.f, len(a.Rows), c.want)
			}
		}
		_, err = f.svc.BuildAbwaegung(ctx, f.moderator, sid, consult.AbwaegungFilter{Category: "egal"})
		wantCode(t, err, domain.EINVALID)
		// Bayern may not read Hessen's statement (not public): its point is not listed.
		by, err := f.svc.BuildAbwaegung(ctx, f.land, sid, consult.AbwaegungFilter{})
		must(t, err)
		if len(by.Rows) != 2 || by.Can.Publish || by.Can.Drafts {
			t.Fatalf("Bayern sees %d rows, can %+v", len(by.Rows), by.Can)
		}

		var buf bytes.Buffer
		must(t, all.WriteXLSX(&buf))
		x, err := excelize.OpenReader(&buf)
		must(t, err)
		rows, err := x.GetRows("Abwägungstabelle")
		must(t, err)
		if len(rows) != 4 || rows[0][0] != "Nr." {
			t.Fatalf("sheet rows = %q", rows)
		}
		sheet := strings.Join(flatten(rows), "|")
		for _, want := range []string{"nicht berücksichtigt", "zu eng", "HE", "Die Datennutzung braucht klare Regeln für den Datenschutz.", "Vorschlag: einmal erhoben und nachgenutzt", "Zielbild Datennutzung"} {
			if !strings.Contains(sheet, want) {
				t.Errorf("sheet lacks %q", want)
			}
		}

		files := map[string][]byte{}
		for _, format := range []string{"odt", "docx"} {
			r, ok := export.Lookup(format)
			if !ok {
				t.Fatalf("no %s renderer", format)
			}
			var doc bytes.Buffer
			must(t, r.Render(&doc, all.Document()))
			files["abwaegung."+format] = doc.Bytes()
		}
		if soffice() {
			for name, page := range exporttest.OfficeHTML(t, files) {
				text := exporttest.Plain(page)
				for _, want := range []string{"Abwägungstabelle", "nicht berücksichtigt", "zu eng", "Mitzeichner"} {
					if !strings.Contains(text, want) {
						t.Errorf("%s lacks %q", name, want)
					}
				}
			}
		}
	})
}

// soffice reports whether the office round trip is asked for, as in
// backend/export's tests.
func soffice() bool { return os.Getenv("STRATEGIERAUM_TEST_SOFFICE") != "" }

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
