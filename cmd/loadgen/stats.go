package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// stats holds the submit times of all editors' ops. It is written by each
// editor for its own ops and read by every receiver without a lock: the
// editor table is fixed before typing starts and times are atomics.
type stats struct {
	editors map[string]int   // client id → editor index
	sent    [][]atomic.Int64 // [editor][seq] → unix nanoseconds, 0 if unknown
}

func newStats(editorIDs []string, maxSeq int) *stats {
	s := &stats{editors: make(map[string]int, len(editorIDs)), sent: make([][]atomic.Int64, len(editorIDs))}
	for i, id := range editorIDs {
		s.editors[id] = i
		s.sent[i] = make([]atomic.Int64, maxSeq+1)
	}
	return s
}

func (s *stats) submit(editor int, seq int64, at time.Time) {
	if seq >= 0 && seq < int64(len(s.sent[editor])) {
		s.sent[editor][seq].Store(at.UnixNano())
	}
}

// sentAt returns when client's op seq was submitted, if it is one of ours.
func (s *stats) sentAt(client string, seq int64) (time.Time, bool) {
	i, ok := s.editors[client]
	if !ok || seq < 0 || seq >= int64(len(s.sent[i])) {
		return time.Time{}, false
	}
	ns := s.sent[i][seq].Load()
	if ns == 0 {
		return time.Time{}, false
	}
	return time.Unix(0, ns), true
}

// result is what the clients measured, gathered after they have stopped.
type result struct {
	submitted, sampled int
	expected           int // deliveries to the sampled clients if every op arrives
	ack, delivery      []time.Duration
	errors             map[string]int
}

func gather(clients []*client) *result {
	r := &result{errors: map[string]int{}}
	for _, c := range clients {
		c.mu.Lock()
		r.submitted += int(c.seq)
		r.ack = append(r.ack, c.ack...)
		r.delivery = append(r.delivery, c.delivery...)
		for k, n := range c.errors {
			r.errors[k] += n
		}
		c.mu.Unlock()
		if c.sampled {
			r.sampled++
		}
	}
	// Each acked op reaches every sampled client of its document but its
	// sender.
	acks, sampled := map[domain.DocKey]int{}, map[domain.DocKey]int{}
	for _, c := range clients {
		acks[c.doc] += len(c.ack)
		if c.sampled {
			sampled[c.doc]++
		}
	}
	for doc, n := range acks {
		r.expected += n * sampled[doc]
	}
	for _, c := range clients {
		if c.sampled && c.index >= 0 {
			r.expected -= len(c.ack)
		}
	}
	return r
}

func (r *result) report(w io.Writer, elapsed time.Duration) {
	fmt.Fprintf(w, "typed for %v: %d ops submitted, %d acknowledged, %.1f committed ops/s\n",
		elapsed.Round(time.Millisecond), r.submitted, len(r.ack), float64(len(r.ack))/elapsed.Seconds())
	fmt.Fprintf(w, "submit→ack      %s\n", summary(r.ack))
	fmt.Fprintf(w, "edit→delivery   %s (at %d sampled clients; %d deliveries expected)\n",
		summary(r.delivery), r.sampled, r.expected)
	if len(r.errors) == 0 {
		fmt.Fprintln(w, "errors          none")
		return
	}
	keys := make([]string, 0, len(r.errors))
	for k := range r.errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "error           %6d × %s\n", r.errors[k], k)
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

// cpuTicks returns the user and system time a process has used, in clock
// ticks (fields 14 and 15 of /proc/<pid>/stat).
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces; the fields follow its closing ")".
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	k, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	return u + k, nil
}

// clockTicks is USER_HZ, which is 100 on every Linux platform Go supports.
const clockTicks = 100

// machineTicks returns the busy and total clock ticks of all CPUs from the
// first line of /proc/stat.
func machineTicks() (busy, total int64, err error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("/proc/stat: unexpected format")
	}
	for i, x := range f[1:] {
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/stat: unexpected format")
		}
		total += n
		if i != 3 && i != 4 { // idle and iowait
			busy += n
		}
	}
	return busy, total, nil
}
