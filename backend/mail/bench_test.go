package mail_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/mail/mailpittest"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

const stormSize = 500

// stormFixture is a strategy with 500 accounts, as a deadline change
// notifies them all.
func stormFixture(b *testing.B, db *store.DB) (*fixture, []*domain.Notification) {
	f := newFixture(b, db)
	var ns []*domain.Notification
	for i := range stormSize {
		u := newUser(b, db, fmt.Sprintf("konto%d@hessen.de", i), "HE")
		ns = append(ns, &domain.Notification{UserID: u.ID, Kind: domain.NotifyDeadline, StrategyID: f.strategy.ID,
			Target: fmt.Sprintf("strategy:%d", f.strategy.ID), Text: "Frist verlängert bis 31.03.2027 um 18:00 Uhr."})
	}
	return f, ns
}

func eachBenchDB(b *testing.B, fn func(b *testing.B, db *store.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, storetest.Open(b)) })
	b.Run("postgres", func(b *testing.B) { fn(b, storetest.OpenPostgres(b)) })
}

// BenchmarkStormEnqueue is what a deadline change adds to its request: the
// 500 notifications and, in the same transaction, their 500 mail jobs.
func BenchmarkStormEnqueue(b *testing.B) {
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("mail=%v", on), func(b *testing.B) {
			eachBenchDB(b, func(b *testing.B, db *store.DB) {
				_, ns := stormFixture(b, db)
				db.EnableMail(on)
				for b.Loop() {
					for _, n := range ns {
						n.ID = 0
					}
					if _, err := db.CreateNotifications(ctx, ns); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// BenchmarkStormSend delivers 500 queued mails to mailpit through one
// worker: the pace of the SMTP server, in the background.
func BenchmarkStormSend(b *testing.B) {
	pit := mailpittest.Start(b)
	eachBenchDB(b, func(b *testing.B, db *store.DB) {
		_, ns := stormFixture(b, db)
		startWorker(b, db, smtpSender(b, pit), "bench")
		for b.Loop() {
			before, err := pit.Count()
			must(b, err)
			for _, n := range ns {
				n.ID = 0
			}
			if _, err := db.CreateNotifications(ctx, ns); err != nil {
				b.Fatal(err)
			}
			pit.WaitCount(before + stormSize)
			waitSettledB(b, db)
		}
		b.ReportMetric(float64(stormSize*b.N)/b.Elapsed().Seconds(), "mails/s")
	})
}

func waitSettledB(b *testing.B, db *store.DB) {
	for {
		counts, err := db.CountMailJobs(ctx)
		must(b, err)
		if counts[domain.MailPending] == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}
