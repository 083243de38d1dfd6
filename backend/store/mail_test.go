package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func job(t *testing.T, u *domain.User, key string) *domain.MailJob {
	t.Helper()
	j, err := domain.NewMailJob(domain.MailReminder, u.ID, key, domain.ReminderMail{Days: 7})
	must(t, err)
	return j
}

func TestMailOutboxQueuesOnlyWhenOnAndOnceByKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "m@hessen.de", "HE", domain.RoleLand)
		n, err := db.EnqueueMail(ctx, []*domain.MailJob{job(t, u, "k1")})
		must(t, err)
		if n != 0 {
			t.Fatalf("queued %d with mail off", n)
		}
		_, err = db.CreateNotifications(ctx, []*domain.Notification{{UserID: u.ID, Kind: domain.NotifyReply, Text: "x", Target: "strategy:1"}})
		must(t, err)

		db.EnableMail(true)
		n, err = db.EnqueueMail(ctx, []*domain.MailJob{job(t, u, "k1"), job(t, u, "k1"), job(t, u, "k2"), job(t, u, "")})
		must(t, err)
		if n != 3 {
			t.Fatalf("queued %d, want 3 (one duplicate key)", n)
		}
		n, err = db.EnqueueMail(ctx, []*domain.MailJob{job(t, u, "k2")})
		must(t, err)
		if n != 0 {
			t.Fatalf("queued a key again")
		}
		// The bell's 48-hour reminder has no mail; other notifications do.
		_, err = db.CreateNotifications(ctx, []*domain.Notification{
			{UserID: u.ID, Kind: domain.NotifyDeadline, Text: "x", Target: "strategy:1", Key: "deadline:1:2"},
			{UserID: u.ID, Kind: domain.NotifyReply, Text: "y", Target: "strategy:1"},
		})
		must(t, err)
		counts, err := db.CountMailJobs(ctx)
		must(t, err)
		if counts[domain.MailPending] != 4 {
			t.Fatalf("counts %v, want 4 pending", counts)
		}

		p, err := db.MailPreference(ctx, u.ID)
		must(t, err)
		if p != domain.MailImmediately {
			t.Fatalf("default preference %q", p)
		}
		must(t, db.SetMailPreference(ctx, u.ID, domain.MailOff, time.Now()))
		must(t, db.SetMailPreference(ctx, u.ID, domain.MailOff, time.Now()))
		if p, _ = db.MailPreference(ctx, u.ID); p != domain.MailOff {
			t.Fatalf("preference %q after setting aus", p)
		}
		must(t, db.SetMailPreference(ctx, u.ID, domain.MailDaily, time.Now()))
		wantCode(t, db.SetMailPreference(ctx, u.ID, "wöchentlich", time.Now()), domain.EINVALID)
	})
}

func TestMailOutboxLeaseGivesEachJobOneWorker(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db.EnableMail(true)
		u := newUser(t, db, "m@hessen.de", "HE", domain.RoleLand)
		var jobs []*domain.MailJob
		for range 30 {
			jobs = append(jobs, job(t, u, ""))
		}
		_, err := db.EnqueueMail(ctx, jobs)
		must(t, err)
		now := time.Now()

		// Four workers claim at once; every job goes to exactly one.
		var mu sync.Mutex
		owner := map[int64]string{}
		var wg sync.WaitGroup
		for _, w := range []string{"a", "b", "c", "d"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					got, err := db.ClaimMailJobs(ctx, w, now, time.Minute, 3)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, j := range got {
						if prev, ok := owner[j.ID]; ok {
							t.Errorf("job %d claimed by %s and %s", j.ID, prev, w)
						}
						owner[j.ID] = w
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(owner) != 30 {
			t.Fatalf("%d jobs claimed, want 30", len(owner))
		}

		// A held lease keeps others off; once it ran out another worker
		// takes the job, and the first may no longer finish it.
		var id int64
		for j := range owner {
			id = j
			break
		}
		if ok, err := db.FinishMailJob(ctx, id, "nobody", domain.MailSent, "", now); err != nil || ok {
			t.Fatalf("finished by a worker without the lease: %v %v", ok, err)
		}
		if again, _ := db.ClaimMailJobs(ctx, "e", now.Add(30*time.Second), time.Minute, 100); len(again) != 0 {
			t.Fatalf("claimed %d jobs under a lease", len(again))
		}
		later := now.Add(2 * time.Minute)
		again, err := db.ClaimMailJobs(ctx, "e", later, time.Minute, 100)
		must(t, err)
		if len(again) != 30 || again[0].Attempts != 2 {
			t.Fatalf("after the lease: %d jobs, attempts %d", len(again), again[0].Attempts)
		}
		if ok, _ := db.FinishMailJob(ctx, id, owner[id], domain.MailSent, "", later); ok {
			t.Fatal("the worker whose lease ran out finished the job")
		}
		ok, err := db.FinishMailJob(ctx, id, "e", domain.MailSent, "", later)
		if err != nil || !ok {
			t.Fatalf("finish: %v %v", ok, err)
		}

		// A retry waits for its time.
		retry := again[0]
		if retry.ID == id {
			retry = again[1]
		}
		must(t, db.RetryMailJob(ctx, retry.ID, "e", later.Add(time.Hour), "421 try later"))
		counts, err := db.CountMailJobs(ctx)
		must(t, err)
		if counts[domain.MailSent] != 1 || counts[domain.MailPending] != 29 || counts[domain.MailRetrying] != 1 {
			t.Fatalf("counts %v", counts)
		}
		due, err := db.ClaimMailJobs(ctx, "f", later.Add(30*time.Minute), time.Minute, 100)
		must(t, err)
		for _, j := range due {
			if j.ID == retry.ID {
				t.Fatal("a job to retry later was claimed early")
			}
		}
	})
}

func TestPurgeNotificationsTakesDoneMails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db.EnableMail(true)
		u := newUser(t, db, "m@hessen.de", "HE", domain.RoleLand)
		_, err := db.EnqueueMail(ctx, []*domain.MailJob{job(t, u, "a"), job(t, u, "b")})
		must(t, err)
		now := time.Now()
		got, err := db.ClaimMailJobs(ctx, "w", now, time.Minute, 1)
		must(t, err)
		if _, err := db.FinishMailJob(ctx, got[0].ID, "w", domain.MailSent, "", now); err != nil {
			t.Fatal(err)
		}
		_, err = db.PurgeNotifications(ctx, now.Add(time.Second))
		must(t, err)
		counts, err := db.CountMailJobs(ctx)
		must(t, err)
		if counts[domain.MailSent] != 0 || counts[domain.MailPending] != 1 {
			t.Fatalf("counts %v: the sent mail goes, the pending one stays", counts)
		}
	})
}
