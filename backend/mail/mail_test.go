package mail_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/export"
	"github.com/strategieraum/strategieraum/backend/mail"
	"github.com/strategieraum/strategieraum/backend/mail/mailpittest"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

var ctx = context.Background()

const baseURL = "https://strategieraum.example"

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// fixture is a strategy in its consultation round with accounts of two
// Länder, on a database whose outbox is on.
type fixture struct {
	db       *store.DB
	strategy *domain.Strategy
	phase    *domain.Phase
	section  *domain.Section
	he1, he2 *domain.User
	by       *domain.User
}

func newFixture(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	db.EnableMail(true)
	f := &fixture{db: db, strategy: &domain.Strategy{Title: "Föderale Digitalstrategie"}}
	must(t, db.CreateStrategy(ctx, f.strategy))
	f.section = &domain.Section{StrategyID: f.strategy.ID, Part: domain.PartSchwerpunkt, Title: "Zielbild", Text: "Daten werden geteilt."}
	must(t, db.CreateSection(ctx, f.section))
	opens, closes := time.Now().Add(-time.Hour).UTC(), time.Now().Add(5*24*time.Hour).UTC()
	f.phase = &domain.Phase{StrategyID: f.strategy.ID, Kind: domain.PhaseBeteiligung, Title: "Beteiligung", OpensAt: &opens, ClosesAt: &closes}
	must(t, db.AddPhase(ctx, f.phase))
	f.he1 = newUser(t, db, "eins@hessen.de", "HE")
	f.he2 = newUser(t, db, "zwei@hessen.de", "HE")
	f.by = newUser(t, db, "referat@bayern.de", "BY")
	return f
}

func newUser(t testing.TB, db *store.DB, email, org string) *domain.User {
	t.Helper()
	o, err := db.FindOrganisationByCode(ctx, org)
	must(t, err)
	u := &domain.User{Email: email, Name: "Frau Müller " + org, OrgID: o.ID, Roles: []domain.Role{domain.RoleLand}}
	must(t, db.CreateUser(ctx, u, ""))
	return u
}

// submit saves and submits a statement of u's organisation.
func (f *fixture) submit(t testing.TB, u *domain.User) {
	t.Helper()
	s := &domain.Statement{StrategyID: f.strategy.ID, PhaseID: f.phase.ID, OrgID: u.OrgID, Position: domain.PositionZustimmung,
		Body: "Wir stimmen zu. Grüße aus Wiesbaden.", UpdatedBy: u.ID}
	must(t, f.db.SaveStatementDraft(ctx, s, nil))
	_, err := f.db.SubmitStatement(ctx, f.phase.ID, u.OrgID, u.ID, time.Now(), nil,
		func(d *domain.Statement) (string, error) { return "<p>" + d.Body + "</p>", nil })
	must(t, err)
}

// notify stores one notification per user, as the consultation does.
func (f *fixture) notify(t testing.TB, text string, users ...*domain.User) {
	t.Helper()
	var ns []*domain.Notification
	for _, u := range users {
		ns = append(ns, &domain.Notification{UserID: u.ID, Kind: domain.NotifyPhaseChanged, StrategyID: f.strategy.ID,
			Target: fmt.Sprintf("strategy:%d", f.strategy.ID), Text: text})
	}
	_, err := f.db.CreateNotifications(ctx, ns)
	must(t, err)
}

// startWorker runs a worker until the test ends.
func startWorker(t testing.TB, db *store.DB, sender mail.Sender, name string) *mail.Worker {
	t.Helper()
	w := mail.NewWorker(mail.Deps{Outbox: db, Users: db, Strategies: db, Consultation: db, Sender: sender,
		From: "Strategieraum <noreply@strategieraum.example>", BaseURL: baseURL, Name: name,
		Poll: 20 * time.Millisecond, Lease: time.Minute, Batch: 5,
		BackoffBase: 20 * time.Millisecond, BackoffMax: 200 * time.Millisecond})
	c, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); w.Run(c) }()
	t.Cleanup(func() { cancel(); wg.Wait() })
	return w
}

func smtpSender(t testing.TB, pit *mailpittest.Server) mail.Sender {
	t.Helper()
	c, err := mail.ParseSMTPURL(pit.URL(), mail.SMTPConfig{From: "Strategieraum <noreply@strategieraum.example>", Timeout: 5 * time.Second})
	must(t, err)
	s, err := mail.NewSMTP(c)
	must(t, err)
	return s
}

// waitSettled waits until no job is pending and returns the counts.
func waitSettled(t testing.TB, db *store.DB) map[domain.MailState]int {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		counts, err := db.CountMailJobs(ctx)
		must(t, err)
		if counts[domain.MailPending] == 0 {
			return counts
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs still pending: %v", counts)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// byRecipient maps each recipient to the subjects of its messages.
func byRecipient(msgs []mailpittest.Summary) map[string][]string {
	out := map[string][]string{}
	for _, m := range msgs {
		for _, to := range m.To {
			out[to.Address] = append(out[to.Address], m.Subject)
		}
	}
	return out
}

func TestMailsArriveAtSMTPServer(t *testing.T) {
	pit := mailpittest.Start(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		before := len(pit.Messages())

		// A receipt for each member of Hessen.
		f.submit(t, f.he1)
		// A reset link for Bayern's account.
		reset := &domain.PasswordReset{UserID: f.by.ID, CodeHash: "hash-" + t.Name(), Code: "srp_abcdefghijklmnopqrstuvwxyz",
			ExpiresAt: time.Now().Add(time.Hour)}
		must(t, db.CreatePasswordReset(ctx, reset))
		// A notification on a thread for he2, and one for by who turned
		// notification mails off.
		th := &domain.Thread{StrategyID: f.strategy.ID, SectionID: f.section.ID, AuthorID: f.he2.ID, OrgID: f.he2.OrgID,
			Kind: domain.KindKommentar, Quote: "Daten"}
		must(t, db.CreateThread(ctx, th, &domain.Comment{AuthorID: f.he2.ID, Body: "Frage"}))
		must(t, db.SetMailPreference(ctx, f.by.ID, domain.MailOff, time.Now()))
		_, err := db.CreateNotifications(ctx, []*domain.Notification{
			{UserID: f.he2.ID, Kind: domain.NotifyReply, StrategyID: f.strategy.ID, ThreadID: &th.ID, Target: fmt.Sprintf("thread:%d", th.ID),
				Text: "Neue Antwort in einer Diskussion, an der Sie beteiligt sind."},
			{UserID: f.by.ID, Kind: domain.NotifyReply, StrategyID: f.strategy.ID, ThreadID: &th.ID, Target: fmt.Sprintf("thread:%d", th.ID),
				Text: "Neue Antwort."},
		})
		must(t, err)
		// Reminders: Schleswig-Holstein has not submitted; Hessen has
		// (skipped when sent), Bayern turned mails off (skipped).
		sh := newUser(t, db, "beteiligung@sh.de", "SH")
		reminder := domain.ReminderMail{StrategyID: f.strategy.ID, PhaseID: f.phase.ID, ClosesAt: *f.phase.ClosesAt, Days: 7}
		var jobs []*domain.MailJob
		for _, u := range []*domain.User{sh, f.he2, f.by} {
			j, err := domain.NewMailJob(domain.MailReminder, u.ID, "", reminder)
			must(t, err)
			jobs = append(jobs, j)
		}
		_, err = db.EnqueueMail(ctx, jobs)
		must(t, err)

		startWorker(t, db, smtpSender(t, pit), "w1")
		counts := waitSettled(t, db)
		if counts[domain.MailSent] != 5 || counts[domain.MailSkipped] != 3 {
			t.Fatalf("counts %v, want 5 sent and 3 skipped", counts)
		}
		msgs := pit.WaitCount(before + 5)[:5]
		got := byRecipient(msgs)
		receipt := "Eingangsbestätigung: Stellungnahme zu „Föderale Digitalstrategie“ (Fassung 1)"
		want := map[string][]string{
			"eins@hessen.de":    {receipt},
			"zwei@hessen.de":    {"Strategieraum: Neue Antwort in Ihrer Diskussion", receipt},
			"referat@bayern.de": {"Strategieraum: Passwort zurücksetzen"},
			"beteiligung@sh.de": {"Erinnerung: Beteiligung an „Föderale Digitalstrategie“ endet am " + f.phase.ClosesAt.In(export.Berlin).Format("02.01.2006")},
		}
		for to, subjects := range want {
			if len(got[to]) != len(subjects) {
				t.Fatalf("%s got %q, want %q", to, got[to], subjects)
			}
			for _, s := range subjects {
				if !strings.Contains(strings.Join(got[to], "\n"), s) {
					t.Fatalf("%s got %q, want %q", to, got[to], s)
				}
			}
		}
		for _, sum := range msgs {
			m := pit.Message(sum.ID)
			if !strings.Contains(m.Text, "Guten Tag Frau Müller") || !strings.Contains(m.HTML, "<p>Guten Tag Frau Müller") {
				t.Fatalf("greeting missing: %q", m.Text)
			}
			if strings.Contains(m.HTML, "<img") || strings.Contains(m.HTML, "<script") {
				t.Fatalf("HTML with images or scripts: %s", m.HTML)
			}
			var link string
			switch {
			case strings.HasPrefix(m.Subject, "Eingangsbestätigung"):
				link = baseURL + "/stellungnahme"
				if !strings.Contains(m.Text, "SHA-256 des Textes (UTF-8): ") || !strings.Contains(m.Text, "Fassung 1, eingereicht am ") {
					t.Fatalf("receipt without hash or version: %s", m.Text)
				}
			case strings.HasPrefix(m.Subject, "Erinnerung"):
				link = baseURL + "/stellungnahme"
				if !strings.Contains(m.Text, "noch keine Stellungnahme eingereicht") {
					t.Fatalf("reminder text: %s", m.Text)
				}
			case strings.Contains(m.Subject, "Passwort"):
				link = baseURL + "/passwort-zuruecksetzen#srp_abcdefghijklmnopqrstuvwxyz"
			default:
				link = fmt.Sprintf("%s/abschnitte/%d#diskussion-%d", baseURL, f.section.ID, th.ID)
			}
			if !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, `href="`+link+`"`) {
				t.Fatalf("%q: link %s missing in\n%s\n%s", m.Subject, link, m.Text, m.HTML)
			}
		}
	})
}

// TestOutageLosesAndDoublesNothing stops the SMTP server between mails,
// queues more while it is down, starts it again on the same port and
// checks that every mail arrives exactly once.
func TestOutageLosesAndDoublesNothing(t *testing.T) {
	pit := mailpittest.Start(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		before := len(pit.Messages())
		users := []*domain.User{f.he1, f.he2, f.by}
		startWorker(t, db, smtpSender(t, pit), "w1")

		f.notify(t, "Erste Runde.", users...)
		pit.WaitCount(before + 3)
		waitSettled(t, db)

		pit.Kill()
		f.notify(t, "Zweite Runde.", users...)
		f.submit(t, f.by)
		// The worker tries and fails while the server is down: wait
		// until each of the new jobs has failed an attempt.
		waitAttempted(t, db, 4)

		pit.Start()
		f.notify(t, "Dritte Runde.", users...)
		msgs := pit.WaitCount(before + 3 + 3 + 1 + 3)
		counts := waitSettled(t, db)
		if counts[domain.MailSent] != 10 || counts[domain.MailFailed] != 0 {
			t.Fatalf("counts %v, want 10 sent", counts)
		}
		seen := map[string]int{}
		for _, m := range msgs[:len(msgs)-before] {
			seen[m.MessageID]++
			if seen[m.MessageID] > 1 {
				t.Fatalf("message %s arrived twice", m.MessageID)
			}
		}
		if n, _ := pit.Count(); n != before+10 {
			t.Fatalf("%d messages, want %d", n-before, 10)
		}
	})
}

// waitAttempted waits until n pending jobs have a recorded failure.
func waitAttempted(t testing.TB, db *store.DB, n int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		counts, err := db.CountMailJobs(ctx)
		must(t, err)
		got := counts[domain.MailRetrying]
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d jobs tried", got, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestTwoInstancesSendEachMailOnce runs two workers, each on its own
// connection pool as two instances would, on one PostgreSQL database.
func TestTwoInstancesSendEachMailOnce(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	pit := mailpittest.Start(t)
	a := storetest.OpenURL(t, dbURL, nil)
	b := storetest.OpenURL(t, dbURL, nil)
	b.EnableMail(true)
	f := newFixture(t, a)
	var users []*domain.User
	for i := range 40 {
		users = append(users, newUser(t, a, fmt.Sprintf("person%d@hessen.de", i), "HE"))
	}
	startWorker(t, a, smtpSender(t, pit), "instance-a")
	startWorker(t, b, smtpSender(t, pit), "instance-b")
	f.notify(t, "Die Frist wurde verlängert.", users...)
	f.notify(t, "Neue Phase.", users...)

	msgs := pit.WaitCount(80)
	counts := waitSettled(t, a)
	if counts[domain.MailSent] != 80 {
		t.Fatalf("counts %v, want 80 sent", counts)
	}
	if n, _ := pit.Count(); n != 80 {
		t.Fatalf("%d messages, want 80", n)
	}
	got := byRecipient(msgs)
	for _, u := range users {
		if len(got[u.Email]) != 2 {
			t.Fatalf("%s got %d mails, want 2", u.Email, len(got[u.Email]))
		}
	}
}

// TestRestartedInstanceLosesAndDoublesNothing: an instance claims mails and
// dies before sending them; once its lease has run out another instance
// sends each of them exactly once.
func TestRestartedInstanceLosesAndDoublesNothing(t *testing.T) {
	pit := mailpittest.Start(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		before, err := pit.Count()
		must(t, err)
		f.notify(t, "Vor dem Neustart.", f.he1, f.he2, f.by)
		claimed, err := db.ClaimMailJobs(ctx, "died", time.Now(), 300*time.Millisecond, 10)
		must(t, err)
		if len(claimed) != 3 {
			t.Fatalf("claimed %d, want 3", len(claimed))
		}
		startWorker(t, db, smtpSender(t, pit), "restarted")
		msgs := pit.WaitCount(before + 3)
		counts := waitSettled(t, db)
		if counts[domain.MailSent] != 3 {
			t.Fatalf("counts %v, want 3 sent", counts)
		}
		if n, _ := pit.Count(); n != before+3 {
			t.Fatalf("%d messages, want 3", n-before)
		}
		got := byRecipient(msgs[:3])
		for _, u := range []*domain.User{f.he1, f.he2, f.by} {
			if len(got[u.Email]) != 1 {
				t.Fatalf("%s got %d mails", u.Email, len(got[u.Email]))
			}
		}
		// The instance that died cannot mark them afterwards.
		if ok, _ := db.FinishMailJob(ctx, claimed[0].ID, "died", domain.MailFailed, "", time.Now()); ok {
			t.Fatal("the dead instance's lease still counted")
		}
	})
}
