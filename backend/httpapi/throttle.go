package httpapi

import (
	"sync"
	"time"
)

// throttleLimits bound failed logins per account and per client address.
type throttleLimits struct {
	PerAccount int
	PerAddress int
	Window     time.Duration
	MaxKeys    int // memory bound for each of the two maps
}

var defaultThrottleLimits = throttleLimits{PerAccount: 5, PerAddress: 20, Window: 15 * time.Minute, MaxKeys: 10000}

// loginThrottle counts failed logins in fixed windows, in memory. Behind
// several instances each counts on its own; for known accounts the limit
// also holds across instances, through the failed logins in the shared
// audit log (Server.accountBlocked). The per-address limit stays per
// instance, which still bounds guessing to a small multiple of it.
type loginThrottle struct {
	mu       sync.Mutex
	limits   throttleLimits
	accounts map[string]*failures
	address  map[string]*failures
}

type failures struct {
	count int
	since time.Time
}

func newLoginThrottle(l throttleLimits) *loginThrottle {
	return &loginThrottle{limits: l, accounts: map[string]*failures{}, address: map[string]*failures{}}
}

// blocked returns how long the account or address must wait, or 0.
func (t *loginThrottle) blocked(account, addr string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	wait := t.wait(t.accounts[account], t.limits.PerAccount, now)
	return max(wait, t.wait(t.address[addr], t.limits.PerAddress, now))
}

func (t *loginThrottle) wait(f *failures, limit int, now time.Time) time.Duration {
	if f == nil || f.count < limit {
		return 0
	}
	if end := f.since.Add(t.limits.Window); now.Before(end) {
		return end.Sub(now)
	}
	return 0
}

// fail records one failed attempt.
func (t *loginThrottle) fail(account, addr string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.add(t.accounts, account, now)
	t.add(t.address, addr, now)
}

func (t *loginThrottle) add(m map[string]*failures, key string, now time.Time) {
	f := m[key]
	if f == nil || !now.Before(f.since.Add(t.limits.Window)) {
		if f == nil && len(m) >= t.limits.MaxKeys {
			t.prune(m, now)
		}
		f = &failures{since: now}
		m[key] = f
	}
	f.count++
}

// prune drops finished windows; if every window is still running, it drops
// an arbitrary half so that a flood of addresses cannot exhaust memory.
func (t *loginThrottle) prune(m map[string]*failures, now time.Time) {
	for k, f := range m {
		if !now.Before(f.since.Add(t.limits.Window)) {
			delete(m, k)
		}
	}
	for k := range m {
		if len(m) < t.limits.MaxKeys/2 {
			break
		}
		delete(m, k)
	}
}

// succeed forgets an account's failures after a correct password.
func (t *loginThrottle) succeed(account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.accounts, account)
}
