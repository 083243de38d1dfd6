package consult_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestSubmitStatementTextRefusesIncompleteBeforeSaving(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		sid := f.strategy.ID
		_, err := f.svc.SubmitStatementText(ctx, f.land, sid, consult.StatementInput{Body: "  \n "})
		wantCode(t, err, domain.EINVALID)
		fields := domain.ErrorFields(err)
		if fields["position"] == "" || fields["body"] == "" {
			t.Fatalf("fields = %v, want position and body", fields)
		}
		_, err = f.svc.Statement(ctx, f.land, sid, f.land.OrgID)
		wantCode(t, err, domain.ENOTFOUND) // nothing was saved

		sub, err := f.svc.SubmitStatementText(ctx, f.land, sid, consult.StatementInput{Position: domain.PositionZustimmung, Body: "Bayern stimmt zu."})
		must(t, err)
		if !sub.Submitted() || sub.Version != 1 || sub.Body != "Bayern stimmt zu." {
			t.Fatalf("submitted = %+v", sub)
		}
	})
}

func TestStatementReceipt(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		hh := newUser(t, db, "land@hamburg.de", "HH", []domain.Role{domain.RoleLand})
		sid := f.strategy.ID
		text := "Bayern stimmt zu. Umlaute: äöü ß."
		_, err := f.svc.SaveStatement(ctx, f.land, sid, consult.StatementInput{Position: domain.PositionZustimmung, Body: text})
		must(t, err)
		_, err = f.svc.StatementReceipt(ctx, f.land, sid, f.land.OrgID, 1)
		wantCode(t, err, domain.ENOTFOUND) // a draft has no receipt
		sub, err := f.svc.SubmitStatement(ctx, f.land2, sid)
		must(t, err)

		r, err := f.svc.StatementReceipt(ctx, f.land, sid, f.land.OrgID, 1)
		must(t, err)
		sum := sha256.Sum256([]byte(text))
		if r.SHA256 != hex.EncodeToString(sum[:]) || r.SubmittedBy != f.land2.Name || r.Version != 1 || !r.SubmittedAt.Equal(*sub.SubmittedAt) {
			t.Fatalf("receipt = %+v", r)
		}
		_, err = f.svc.StatementReceipt(ctx, hh, sid, f.land.OrgID, 1)
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = f.svc.StatementReceipt(ctx, f.moderator, sid, f.land.OrgID, 2)
		wantCode(t, err, domain.ENOTFOUND)

		var txt, page bytes.Buffer
		must(t, r.WriteText(&txt))
		must(t, r.WriteHTML(&page))
		for _, want := range []string{r.SHA256, f.land2.Name, "Fassung:         1", text, consult.BerlinZoned(r.SubmittedAt)} {
			if !strings.Contains(txt.String(), want) {
				t.Errorf("text receipt lacks %q:\n%s", want, txt.String())
			}
		}
		if !strings.Contains(page.String(), r.SHA256) || !strings.Contains(page.String(), "<h1>Eingangsbestätigung</h1>") {
			t.Errorf("HTML receipt:\n%s", page.String())
		}
	})
}

func TestBerlinZonedNamesTheZone(t *testing.T) {
	winter := time.Date(2026, 12, 1, 13, 5, 0, 0, time.UTC)
	summer := time.Date(2026, 7, 1, 12, 5, 0, 0, time.UTC)
	if got := consult.BerlinZoned(winter); got != "01.12.2026 14:05 MEZ" {
		t.Errorf("winter: %q", got)
	}
	if got := consult.BerlinZoned(summer); got != "01.07.2026 14:05 MESZ" {
		t.Errorf("summer: %q", got)
	}
}
