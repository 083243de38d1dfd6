package consult_test

import (
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestMailRemindersGoOnceToOrganisationsWithoutStatement(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		db.EnableMail(true)
		newUser(t, db, "land@hessen.de", "HE", []domain.Role{domain.RoleLand})
		remind := func(want int) {
			t.Helper()
			n, err := f.svc.MailReminders(ctx, db)
			must(t, err)
			if n != want {
				t.Fatalf("queued %d reminders, want %d", n, want)
			}
		}
		closes := *f.phase.ClosesAt

		// Eight days before: nothing yet.
		f.Set(closes.Add(-8 * 24 * time.Hour))
		remind(0)
		// Seven days before: the three Land accounts (BY twice, HE), once,
		// however often the scan runs (on however many instances).
		f.Set(closes.Add(-7 * 24 * time.Hour))
		remind(3)
		remind(0)

		// Bayern submits; a day before only Hessen is reminded again.
		_, err := f.svc.SubmitStatementText(ctx, f.land, f.strategy.ID, consult.StatementInput{Position: domain.PositionZustimmung, Body: "Einverstanden."})
		must(t, err)
		f.Set(closes.Add(-12 * time.Hour))
		remind(1)
		remind(0)
		// After the deadline nothing more.
		f.Set(closes.Add(time.Minute))
		remind(0)

		counts, err := db.CountMailJobs(ctx)
		must(t, err)
		// 4 reminders and the receipt for Bayern's two accounts.
		if counts[domain.MailPending] != 6 {
			t.Fatalf("counts %v, want 6 pending", counts)
		}
	})
}
