package main

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"
	"time"
)

// stats collects measurements from all clients.
type stats struct {
	mu        sync.Mutex
	sent      map[string]time.Time // "client/seq" → when it was sent
	ack       []time.Duration
	delivery  []time.Duration
	errors    map[string]int
	submitted int
}

func newStats() *stats {
	return &stats{sent: map[string]time.Time{}, errors: map[string]int{}}
}

func opKey(client string, seq int64) string { return fmt.Sprintf("%s/%d", client, seq) }

func (s *stats) submit(client string, seq int64, at time.Time) {
	s.mu.Lock()
	s.sent[opKey(client, seq)] = at
	s.submitted++
	s.mu.Unlock()
}

func (s *stats) acked(client string, seq int64, at time.Time) {
	s.mu.Lock()
	if t, ok := s.sent[opKey(client, seq)]; ok {
		s.ack = append(s.ack, at.Sub(t))
	}
	s.mu.Unlock()
}

func (s *stats) delivered(client string, seq int64, at time.Time) {
	s.mu.Lock()
	if t, ok := s.sent[opKey(client, seq)]; ok {
		s.delivery = append(s.delivery, at.Sub(t))
	}
	s.mu.Unlock()
}

func (s *stats) error(what string) {
	s.mu.Lock()
	s.errors[what]++
	s.mu.Unlock()
}

func (s *stats) report(w io.Writer, elapsed time.Duration, observers int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(w, "typed for %v: %d ops submitted, %d acknowledged, %.1f committed ops/s\n",
		elapsed.Round(time.Millisecond), s.submitted, len(s.ack), float64(len(s.ack))/elapsed.Seconds())
	fmt.Fprintf(w, "submit→ack      %s\n", summary(s.ack))
	fmt.Fprintf(w, "edit→delivery   %s (at %d receiving clients; expected about %d deliveries)\n",
		summary(s.delivery), observers, len(s.ack)*observers)
	if len(s.errors) == 0 {
		fmt.Fprintln(w, "errors          none")
		return
	}
	keys := make([]string, 0, len(s.errors))
	for k := range s.errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "error           %6d × %s\n", s.errors[k], k)
	}
}

func summary(ds []time.Duration) string {
	if len(ds) == 0 {
		return "n=0"
	}
	slices.Sort(ds)
	q := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	r := func(d time.Duration) string { return d.Round(10 * time.Microsecond).String() }
	return fmt.Sprintf("n=%d p50=%s p95=%s p99=%s max=%s", len(ds), r(q(.50)), r(q(.95)), r(q(.99)), r(ds[len(ds)-1]))
}
