package httpapi

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

// TestClientIP reads X-Forwarded-For from the right and trusts only the
// configured proxies, not private ranges in general.
func TestClientIP(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16"), netip.MustParsePrefix("2001:db8::1/128")}
	for _, tc := range []struct {
		name      string
		trusted   []netip.Prefix
		peer, xff string
		want      string
	}{
		{"no proxies: the header is ignored", nil, "198.51.100.4:1234", "203.0.113.9", "198.51.100.4"},
		{"one trusted proxy", proxies, "10.1.2.3:1234", "203.0.113.9", "203.0.113.9"},
		{"a forged entry left of the real client", proxies, "10.1.2.3:1234", "1.2.3.4, 203.0.113.9", "203.0.113.9"},
		{"two trusted proxies", proxies, "10.1.2.3:1234", "1.2.3.4, 203.0.113.9, 10.1.9.9", "203.0.113.9"},
		{"an untrusted private hop is the client", proxies, "10.1.2.3:1234", "203.0.113.9, 192.168.7.7", "192.168.7.7"},
		{"an untrusted peer is the client", proxies, "10.2.0.1:1234", "203.0.113.9", "10.2.0.1"},
		{"loopback is not trusted unless listed", proxies, "127.0.0.1:1234", "203.0.113.9", "127.0.0.1"},
		{"IPv6 proxy", proxies, "[2001:db8::1]:443", "203.0.113.9", "203.0.113.9"},
		{"garbage stops at the peer", proxies, "10.1.2.3:1234", "203.0.113.9, nonsense", "10.1.2.3"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.peer
		r.Header.Set("X-Forwarded-For", tc.xff)
		if got := clientIP(tc.trusted)(r); got != tc.want {
			t.Errorf("%s: client %q, want %q", tc.name, got, tc.want)
		}
	}
}
