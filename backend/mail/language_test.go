package mail_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/mail/mailpittest"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// TestMailsInRecipientsLanguage sends the same receipt and notification to
// an account that reads German and one that chose English, and a reset
// link in English, through the real SMTP server.
func TestMailsInRecipientsLanguage(t *testing.T) {
	pit := mailpittest.Start(t)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		before := len(pit.Messages())
		must(t, db.SetUserLanguage(ctx, f.he2.ID, domain.English))
		must(t, db.SetUserLanguage(ctx, f.by.ID, domain.English))

		f.submit(t, f.he1) // a receipt to he1 (German) and he2 (English)
		th := &domain.Thread{StrategyID: f.strategy.ID, SectionID: f.section.ID, AuthorID: f.he1.ID, OrgID: f.he1.OrgID,
			Kind: domain.KindKommentar, Quote: "Daten"}
		must(t, db.CreateThread(ctx, th, &domain.Comment{AuthorID: f.he1.ID, Body: "Frage"}))
		var ns []*domain.Notification
		for _, u := range []*domain.User{f.he1, f.he2} {
			ns = append(ns, &domain.Notification{UserID: u.ID, Kind: domain.NotifyResolved, StrategyID: f.strategy.ID, ThreadID: &th.ID,
				Target: fmt.Sprintf("thread:%d", th.ID), Text: "Eine Diskussion, an der Sie oder Ihre Organisation beteiligt sind, wurde als erledigt markiert."})
		}
		_, err := db.CreateNotifications(ctx, ns)
		must(t, err)
		must(t, db.CreatePasswordReset(ctx, &domain.PasswordReset{UserID: f.by.ID, CodeHash: "hash-" + t.Name(),
			Code: "srp_abcdefghijklmnopqrstuvwxyz", ExpiresAt: time.Now().Add(time.Hour)}))

		startWorker(t, db, smtpSender(t, pit), "w1")
		if counts := waitSettled(t, db); counts[domain.MailSent] != 5 {
			t.Fatalf("counts %v, want 5 sent", counts)
		}
		type want struct{ subject, text, html string }
		wants := map[string][]want{
			"eins@hessen.de": {
				{"Eingangsbestätigung: Stellungnahme zu „Föderale Digitalstrategie“ (Fassung 1)", "Guten Tag Frau Müller HE,", `<html lang="de">`},
				{"Strategieraum: Eine Diskussion wurde erledigt", "wurde als erledigt markiert", "Zur Diskussion</a>"},
			},
			"zwei@hessen.de": {
				{"Acknowledgement of receipt: statement on “Föderale Digitalstrategie” (version 1)", "SHA-256 of the text (UTF-8): ", `<html lang="en">`},
				{"Strategieraum: A discussion was resolved", "Hello Frau Müller HE,", "Go to the discussion</a>"},
			},
			"referat@bayern.de": {
				{"Strategieraum: reset your password", "The link is valid until ", "Set a new password</a>"},
			},
		}
		msgs := pit.WaitCount(before + 5)[:5]
		for to, ws := range wants {
			for _, w := range ws {
				found := false
				for _, sum := range msgs {
					if sum.Subject != w.subject || len(sum.To) != 1 || sum.To[0].Address != to {
						continue
					}
					found = true
					m := pit.Message(sum.ID)
					if !strings.Contains(m.Text, w.text) || !strings.Contains(m.HTML, w.html) {
						t.Errorf("%s %q: want %q in text and %q in HTML:\n%s\n%s", to, w.subject, w.text, w.html, m.Text, m.HTML)
					}
					english := to != "eins@hessen.de"
					for _, german := range []string{"Guten Tag", "Diese Nachricht wurde", "öffnen"} {
						if english && (strings.Contains(m.Text, german) || strings.Contains(m.HTML, german)) {
							t.Errorf("English mail %q to %s says %q:\n%s", w.subject, to, german, m.Text)
						}
					}
					if !english && (strings.Contains(m.Text, "Hello") || strings.Contains(m.Text, "This message")) {
						t.Errorf("German mail %q says English:\n%s", w.subject, m.Text)
					}
				}
				if !found {
					t.Errorf("%s did not get %q; got %v", to, w.subject, byRecipient(msgs))
				}
			}
		}
	})
}
