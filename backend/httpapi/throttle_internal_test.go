package httpapi

import (
	"fmt"
	"testing"
	"time"
)

func TestLoginThrottleStaysBounded(t *testing.T) {
	th := newLoginThrottle(throttleLimits{PerAccount: 3, PerAddress: 5, Window: time.Minute, MaxKeys: 100})
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 10000; i++ {
		th.fail(fmt.Sprintf("konto-%d@example.de", i), fmt.Sprintf("10.0.%d.%d", i/256, i%256), now)
	}
	if len(th.accounts) > 100 || len(th.address) > 100 {
		t.Fatalf("maps grew to %d and %d entries", len(th.accounts), len(th.address))
	}
	for i := 0; i < 3; i++ {
		th.fail("ziel@example.de", "192.0.2.1", now)
	}
	if w := th.blocked("ziel@example.de", "198.51.100.7", now.Add(10*time.Second)); w != 50*time.Second {
		t.Errorf("account wait %v, want 50s", w)
	}
	if w := th.blocked("ziel@example.de", "198.51.100.7", now.Add(time.Minute)); w != 0 {
		t.Errorf("still blocked after the window: %v", w)
	}
	th.succeed("ziel@example.de")
	if w := th.blocked("ziel@example.de", "198.51.100.7", now); w != 0 {
		t.Errorf("blocked after success: %v", w)
	}
}
