package realtime

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// slowSections answers FindSectionMeta only once release is closed, and
// counts the calls.
type slowSections struct {
	domain.StrategyService
	calls   atomic.Int64
	release chan struct{}
}

func (s *slowSections) FindSectionMeta(ctx context.Context, id int64) (*domain.Section, error) {
	s.calls.Add(1)
	<-s.release
	return &domain.Section{ID: id, StrategyID: 1}, nil
}

func (s *slowSections) FindStrategyByID(ctx context.Context, id int64) (*domain.Strategy, error) {
	return &domain.Strategy{ID: id}, nil
}

// Connections that need a document's resource while it is being loaded
// wait for that load instead of each querying the database.
func TestResourceLoadsAreShared(t *testing.T) {
	db := &slowSections{release: make(chan struct{})}
	h := NewHub(HubConfig{Instance: "t", PermissionTTL: time.Hour}, Deps{Strategies: db})
	doc := domain.SectionDoc(6)
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := h.resource(context.Background(), doc)
			if err == nil && (res.Section == nil || res.Section.ID != 6 || res.Strategy == nil) {
				err = domain.Errorf(domain.EINTERNAL, "resource %+v", res)
			}
			errs <- err
		}()
	}
	for db.calls.Load() == 0 {
		time.Sleep(time.Millisecond) // the first load has begun
	}
	// Every caller has joined the load under way or has not asked yet;
	// those that ask later find its result.
	close(db.release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := db.calls.Load(); got != 1 {
		t.Fatalf("%d loads for %d callers; want 1", got, n)
	}
}
