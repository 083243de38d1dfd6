package realtime

import (
	"context"
	"sync"
	"time"
)

var _ Broker = (*MemoryBroker)(nil)

// MemoryBroker is the in-process Broker for a single instance. Several hubs
// may share one MemoryBroker (as tests do); each registers through its own
// view from View. Presence expires at once when replaced, so it never
// outlives a closed connection.
type MemoryBroker struct {
	mu       sync.Mutex
	views    map[*memoryView]bool
	presence map[string]map[string][]*Presence // channel → instance → entries
}

// NewMemoryBroker returns an empty broker.
func NewMemoryBroker() *MemoryBroker {
	return &MemoryBroker{views: map[*memoryView]bool{}, presence: map[string]map[string][]*Presence{}}
}

// View returns a Broker through which one hub uses b; use it when several
// hubs share b. b itself is a view of its own for the single-hub case.
func (b *MemoryBroker) View() Broker {
	return &memoryView{b: b, channels: map[string]bool{}}
}

// defaultView is b used directly as a Broker.
func (b *MemoryBroker) defaultView() *memoryView {
	b.mu.Lock()
	defer b.mu.Unlock()
	for v := range b.views {
		if v.isDefault {
			return v
		}
	}
	v := &memoryView{b: b, channels: map[string]bool{}, isDefault: true}
	b.views[v] = true
	return v
}

// Run implements Broker.
func (b *MemoryBroker) Run(ctx context.Context, handle func(*Message)) error {
	return b.defaultView().Run(ctx, handle)
}

// Publish implements Broker.
func (b *MemoryBroker) Publish(ctx context.Context, m *Message) error {
	return b.defaultView().Publish(ctx, m)
}

// Subscribe implements Broker.
func (b *MemoryBroker) Subscribe(ctx context.Context, channel string) error {
	return b.defaultView().Subscribe(ctx, channel)
}

// Unsubscribe implements Broker.
func (b *MemoryBroker) Unsubscribe(ctx context.Context, channel string) error {
	return b.defaultView().Unsubscribe(ctx, channel)
}

// SetPresence implements Broker.
func (b *MemoryBroker) SetPresence(_ context.Context, instance string, channel string, entries []*Presence, _ time.Duration) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	m := b.presence[channel]
	if len(entries) == 0 {
		delete(m, instance)
		if len(m) == 0 {
			delete(b.presence, channel)
		}
		return nil
	}
	if m == nil {
		m = map[string][]*Presence{}
		b.presence[channel] = m
	}
	m[instance] = append([]*Presence(nil), entries...)
	return nil
}

// Presence implements Broker.
func (b *MemoryBroker) Presence(_ context.Context, channel string) ([]*Presence, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []*Presence
	for _, es := range b.presence[channel] {
		out = append(out, es...)
	}
	return out, nil
}

// memoryView is one hub's attachment to a MemoryBroker.
type memoryView struct {
	b         *MemoryBroker
	isDefault bool
	mu        sync.Mutex
	handle    func(*Message)
	channels  map[string]bool
}

func (v *memoryView) Run(ctx context.Context, handle func(*Message)) error {
	v.mu.Lock()
	v.handle = handle
	v.mu.Unlock()
	v.b.mu.Lock()
	v.b.views[v] = true
	v.b.mu.Unlock()
	<-ctx.Done()
	v.b.mu.Lock()
	delete(v.b.views, v)
	v.b.mu.Unlock()
	v.mu.Lock()
	v.handle = nil
	v.mu.Unlock()
	return ctx.Err()
}

func (v *memoryView) Publish(_ context.Context, m *Message) error {
	v.b.mu.Lock()
	views := make([]*memoryView, 0, len(v.b.views))
	for w := range v.b.views {
		views = append(views, w)
	}
	v.b.mu.Unlock()
	for _, w := range views {
		w.mu.Lock()
		h, ok := w.handle, w.channels[m.Channel()]
		w.mu.Unlock()
		if h != nil && ok {
			h(m)
		}
	}
	return nil
}

func (v *memoryView) Subscribe(_ context.Context, channel string) error {
	v.mu.Lock()
	v.channels[channel] = true
	v.mu.Unlock()
	return nil
}

func (v *memoryView) Unsubscribe(_ context.Context, channel string) error {
	v.mu.Lock()
	delete(v.channels, channel)
	v.mu.Unlock()
	return nil
}

func (v *memoryView) SetPresence(ctx context.Context, instance string, channel string, entries []*Presence, ttl time.Duration) error {
	return v.b.SetPresence(ctx, instance, channel, entries, ttl)
}

func (v *memoryView) Presence(ctx context.Context, channel string) ([]*Presence, error) {
	return v.b.Presence(ctx, channel)
}
