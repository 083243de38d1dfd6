package mail_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/mail"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// fakeSender fails every message to a recipient in fail (temporarily)
// or refuse (for good), and records what it delivered.
type fakeSender struct {
	mu        sync.Mutex
	failTimes map[string]int
	refuse    map[string]bool
	got       []*mail.Message
}

func (f *fakeSender) Send(_ context.Context, msgs []*mail.Message) []error {
	f.mu.Lock()
	defer f.mu.Unlock()
	errs := make([]error, len(msgs))
	for i, m := range msgs {
		switch {
		case f.refuse[m.To]:
			errs[i] = &mail.PermanentError{Err: errors.New("550 no such user")}
		case f.failTimes[m.To] > 0:
			f.failTimes[m.To]--
			errs[i] = errors.New("421 try again later")
		default:
			f.got = append(f.got, m)
		}
	}
	return errs
}

func TestWorkerRetriesTemporaryFailuresAndGivesUpOnRefusals(t *testing.T) {
	db := storetest.Open(t)
	f := newFixture(t, db)
	sender := &fakeSender{failTimes: map[string]int{f.he1.Email: 2}, refuse: map[string]bool{f.by.Email: true}}
	reg := prometheus.NewRegistry()
	w := mail.NewWorker(mail.Deps{Outbox: db, Users: db, Strategies: db, Consultation: db, Sender: sender,
		From: "noreply@strategieraum.example", BaseURL: baseURL, Name: "w", Registerer: reg,
		BackoffBase: 1, BackoffMax: 1})
	f.notify(t, "Neue Phase.", f.he1, f.he2, f.by)

	// Run until nothing is pending; backoff is a nanosecond.
	for range 100 {
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if counts, _ := db.CountMailJobs(ctx); counts[domain.MailPending] == 0 {
			break
		}
	}
	counts, err := db.CountMailJobs(ctx)
	must(t, err)
	if counts[domain.MailSent] != 2 || counts[domain.MailFailed] != 1 || counts[domain.MailPending] != 0 {
		t.Fatalf("counts %v, want 2 sent, 1 failed", counts)
	}
	if len(sender.got) != 2 {
		t.Fatalf("delivered %d, want 2", len(sender.got))
	}
	for _, m := range sender.got {
		if !strings.HasSuffix(m.MessageID, "@strategieraum.example") || !strings.Contains(m.Text, "Neue Phase.") {
			t.Fatalf("message %+v", m)
		}
	}
	want := `
# HELP mail_jobs Mail jobs in the queue (shared by all instances) by state.
# TYPE mail_jobs gauge
mail_jobs{state="failed"} 1
mail_jobs{state="pending"} 0
mail_jobs{state="retrying"} 0
mail_jobs{state="sent"} 2
mail_jobs{state="skipped"} 0
# HELP mail_retries_total Send attempts that failed and were scheduled again.
# TYPE mail_retries_total counter
mail_retries_total 2
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "mail_jobs", "mail_retries_total"); err != nil {
		t.Fatal(err)
	}
}

func TestDailyDigestCollectsADaysNotifications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		must(t, db.SetMailPreference(ctx, f.he1.ID, domain.MailDaily, time.Now()))
		sender := &fakeSender{}
		now := time.Now()
		w := mail.NewWorker(mail.Deps{Outbox: db, Users: db, Strategies: db, Consultation: db, Sender: sender,
			From: "noreply@strategieraum.example", BaseURL: baseURL, Name: "w", Now: func() time.Time { return now }})
		run := func() {
			t.Helper()
			for range 10 {
				n, err := w.RunOnce(ctx)
				must(t, err)
				if n == 0 {
					return
				}
			}
		}
		f.notify(t, "Erste Nachricht des Tages.", f.he1, f.he2)
		f.notify(t, "Zweite Nachricht des Tages.", f.he1)
		now = time.Now()
		run()
		counts, err := db.CountMailJobs(ctx)
		must(t, err)
		if len(sender.got) != 1 || sender.got[0].To != f.he2.Email || counts[domain.MailSkipped] != 2 || counts[domain.MailPending] != 1 {
			t.Fatalf("before the digest: %d sent, counts %v", len(sender.got), counts)
		}

		// The next morning the digest goes out, once.
		now = now.Add(25 * time.Hour)
		run()
		run()
		if len(sender.got) != 2 {
			t.Fatalf("%d mails, want the digest as the second", len(sender.got))
		}
		d := sender.got[1]
		if d.To != f.he1.Email || !strings.HasPrefix(d.Subject, "Strategieraum: Ihre Benachrichtigungen vom ") {
			t.Fatalf("digest %q to %s", d.Subject, d.To)
		}
		first, second := strings.Index(d.Text, "Erste Nachricht"), strings.Index(d.Text, "Zweite Nachricht")
		if first < 0 || second < first || !strings.Contains(d.HTML, "<li>Erste Nachricht des Tages.") {
			t.Fatalf("digest text:\n%s\n%s", d.Text, d.HTML)
		}
		if !strings.Contains(d.Text, fmt.Sprintf("%s/strategien/%d", baseURL, f.strategy.ID)) {
			t.Fatalf("digest without links: %s", d.Text)
		}
	})
}
