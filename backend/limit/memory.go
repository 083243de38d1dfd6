package limit

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

var _ Store = (*Memory)(nil)

// maxMemoryKeys bounds each of Memory's maps, so that a flood of addresses
// or e-mails cannot exhaust memory.
const maxMemoryKeys = 20000

// Memory is the Limiter and Slots of a single instance.
type Memory struct {
	now func() time.Time

	mu    sync.Mutex
	tat   map[string]time.Time // theoretical arrival time per key (GCRA)
	slots map[string]map[int64]time.Time
	seq   atomic.Int64
}

// NewMemory returns an empty in-memory limiter; now is its clock (nil:
// time.Now).
func NewMemory(now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{now: now, tat: map[string]time.Time{}, slots: map[string]map[int64]time.Time{}}
}

// Allow implements Limiter with the same algorithm as the Redis limiter.
func (m *Memory) Allow(_ context.Context, key string, r Rate) (Result, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	emission := r.Period / time.Duration(max(r.Count, 1))
	tat, ok := m.tat[key]
	if !ok || tat.Before(now) {
		tat = now
	}
	next := tat.Add(emission)
	if allowAt := next.Add(-emission * time.Duration(max(r.Burst, 1))); now.Before(allowAt) {
		return Result{RetryAfter: allowAt.Sub(now)}, nil
	}
	if !ok && len(m.tat) >= maxMemoryKeys {
		m.prune(now)
	}
	m.tat[key] = next
	return Result{Allowed: true}, nil
}

// prune drops keys whose budget is full again (they behave like new ones);
// if none is, it drops them all rather than grow without bound.
func (m *Memory) prune(now time.Time) {
	for k, t := range m.tat {
		if !t.After(now) {
			delete(m.tat, k)
		}
	}
	if len(m.tat) >= maxMemoryKeys {
		clear(m.tat)
	}
}

// Reset implements Limiter.
func (m *Memory) Reset(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.tat, key)
	return nil
}

// Acquire implements Slots.
func (m *Memory) Acquire(_ context.Context, key string, limit int, ttl time.Duration) (Lease, bool, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	held := m.slots[key]
	for id, exp := range held {
		if !exp.After(now) {
			delete(held, id)
		}
	}
	if len(held) >= limit {
		return nil, false, nil
	}
	if held == nil {
		held = map[int64]time.Time{}
		m.slots[key] = held
	}
	id := m.seq.Add(1)
	held[id] = now.Add(ttl)
	return &memoryLease{m: m, key: key, id: id, ttl: ttl}, true, nil
}

type memoryLease struct {
	m   *Memory
	key string
	id  int64
	ttl time.Duration
}

func (l *memoryLease) Refresh(context.Context) error {
	now := l.m.now()
	l.m.mu.Lock()
	defer l.m.mu.Unlock()
	if held := l.m.slots[l.key]; held != nil {
		if _, ok := held[l.id]; ok {
			held[l.id] = now.Add(l.ttl)
		}
	}
	return nil
}

func (l *memoryLease) Release(context.Context) error {
	l.m.mu.Lock()
	defer l.m.mu.Unlock()
	if held := l.m.slots[l.key]; held != nil {
		delete(held, l.id)
		if len(held) == 0 {
			delete(l.m.slots, l.key)
		}
	}
	return nil
}

// Keys returns how many rate keys are held, for tests of the memory bound.
func (m *Memory) Keys() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.tat)
}
