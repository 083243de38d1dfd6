package consult_test

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestNotifications(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		var mu sync.Mutex
		delivered := map[int64]int{}
		f.svc.OnNotify(func(userID int64, n *domain.Notification) {
			mu.Lock()
			defer mu.Unlock()
			if n.ID == 0 || n.UserID != userID {
				t.Errorf("hook got unstored notification %+v", n)
			}
			delivered[userID]++
		})
		unread := func(u *domain.User) int {
			n, err := f.svc.UnreadCount(ctx, u)
			must(t, err)
			return n
		}

		// A new thread on the topic's section reaches its Themenpaten only.
		th := f.thread(t, f.land, domain.KindFrage, "Daten", "")
		if unread(f.pate) != 1 || unread(f.otherPate) != 0 || unread(f.land) != 0 {
			t.Fatalf("after new thread: pate %d, other pate %d, author %d", unread(f.pate), unread(f.otherPate), unread(f.land))
		}
		// A reply reaches everyone who wrote in the thread but the replier.
		_, err := f.svc.Reply(ctx, f.pate, th.ID, "Antwort")
		must(t, err)
		_, err = f.svc.Reply(ctx, f.land2, th.ID, "Nachfrage")
		must(t, err)
		ns, err := f.svc.Notifications(ctx, f.land, true, 0)
		must(t, err)
		if len(ns) != 2 || ns[0].Kind != domain.NotifyReply || ns[0].ThreadID == nil || *ns[0].ThreadID != th.ID {
			t.Fatalf("author's feed = %+v", ns)
		}
		if unread(f.pate) != 2 || unread(f.land2) != 0 {
			t.Fatalf("pate %d, replier %d", unread(f.pate), unread(f.land2))
		}
		must(t, f.svc.MarkRead(ctx, f.land, []int64{ns[0].ID}))
		if unread(f.land) != 1 {
			t.Fatal("mark one read")
		}
		must(t, f.svc.MarkRead(ctx, f.land2, []int64{ns[1].ID})) // someone else's id is ignored
		if unread(f.land) != 1 {
			t.Fatal("another user marked my notification read")
		}
		must(t, f.svc.MarkRead(ctx, f.land, nil))
		if unread(f.land) != 0 {
			t.Fatal("mark all read")
		}

		// Deadline reminders: not too early, then once per user and phase.
		must(t, f.svc.NotifyDeadlines(ctx))
		if unread(f.land) != 0 {
			t.Fatal("reminded a week ahead")
		}
		f.Set(f.phase.ClosesAt.Add(-47 * time.Hour))
		must(t, f.svc.NotifyDeadlines(ctx))
		must(t, f.svc.NotifyDeadlines(ctx))
		ns, _ = f.svc.Notifications(ctx, f.land, true, 0)
		if len(ns) != 1 || ns[0].Kind != domain.NotifyDeadline || unread(f.pate) != 2 {
			t.Fatalf("deadline feed = %+v (pate unread %d)", ns, unread(f.pate))
		}

		// Phase changes reach everyone, once.
		p := &domain.Phase{StrategyID: f.strategy.ID, Kind: domain.PhaseAuswertung}
		must(t, db.AddPhase(ctx, p))
		f.reload(t)
		f.svc.PhaseChanged(ctx, f.strategy, p)
		f.svc.PhaseChanged(ctx, f.strategy, p)
		if unread(f.reader) != 1 || unread(f.moderator) != 1 {
			t.Fatalf("phase change: reader %d, moderator %d", unread(f.reader), unread(f.moderator))
		}
		mu.Lock()
		defer mu.Unlock()
		if delivered[f.pate.ID] != 3 || delivered[f.reader.ID] != 1 {
			t.Fatalf("hook deliveries = %v", delivered)
		}
	})
}

// Resolving a thread tells its organisation and everyone who wrote in it,
// once, but not the one who resolved it nor anyone else.
func TestResolveNotifies(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		resolved := func(u *domain.User) int {
			ns, err := f.svc.Notifications(ctx, u, false, 0)
			must(t, err)
			n := 0
			for _, x := range ns {
				if x.Kind == domain.NotifyResolved {
					n++
				}
			}
			return n
		}
		th := f.thread(t, f.land, domain.KindFrage, "Daten", "")
		_, err := f.svc.Reply(ctx, f.otherPate, th.ID, "Antwort aus Hessen")
		must(t, err)
		_, err = f.svc.Resolve(ctx, f.pate, th.ID, "beantwortet")
		must(t, err)
		want := map[*domain.User]int{f.land: 1, f.land2: 1, f.otherPate: 1, f.pate: 0, f.moderator: 0, f.reader: 0}
		for u, n := range want {
			if got := resolved(u); got != n {
				t.Errorf("%s: %d resolved notifications, want %d", u.Email, got, n)
			}
		}
		ns, err := f.svc.Notifications(ctx, f.land, false, 1)
		must(t, err)
		if len(ns) != 1 || ns[0].ThreadID == nil || *ns[0].ThreadID != th.ID || ns[0].Target != "thread:"+strconv.FormatInt(th.ID, 10) {
			t.Fatalf("author's newest notification = %+v", ns)
		}
		// Reopening says nothing; resolving again is news again.
		_, err = f.svc.Reopen(ctx, f.pate, th.ID, "")
		must(t, err)
		if resolved(f.land) != 1 {
			t.Fatal("reopening notified")
		}
		f.Add(time.Minute)
		_, err = f.svc.Resolve(ctx, f.moderator, th.ID, "")
		must(t, err)
		if resolved(f.land) != 2 || resolved(f.otherPate) != 2 || resolved(f.moderator) != 0 {
			t.Fatalf("second resolution: land %d, other pate %d, moderator %d", resolved(f.land), resolved(f.otherPate), resolved(f.moderator))
		}
	})
}
