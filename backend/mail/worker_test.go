package mail_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/mail"
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
	w := mail.NewWorker(mail.Deps{Outbox: db, Users: db, Strategies: db, Statements: db, Sender: sender,
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
