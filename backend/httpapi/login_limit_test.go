package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/limit"
	"github.com/strategieraum/strategieraum/backend/limit/redislimit"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// hasher counts password verifications and the most that ran at once.
type hasher struct {
	calls, inflight, most atomic.Int32
	hold                  chan struct{} // if set, each verification waits for it to close
}

func (h *hasher) verify(hash, password string) bool {
	h.calls.Add(1)
	n := h.inflight.Add(1)
	defer h.inflight.Add(-1)
	for m := h.most.Load(); n > m && !h.most.CompareAndSwap(m, n); m = h.most.Load() {
	}
	if h.hold != nil {
		<-h.hold
	}
	return hash != "" && password == testPassword
}

// loginAt posts a login to the server at base and returns the status.
func loginAt(t *testing.T, base, email, password string) int {
	b, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := http.Post(base+"/api/session", "application/json", strings.NewReader(string(b)))
	if err != nil {
		t.Error(err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// guess sends 30 simultaneous logins for one account, the right password
// among them, spread over the servers, and returns the statuses.
func guess(t *testing.T, email string, servers ...string) map[int]int {
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 30 {
		pw := "falsch-" + strconv.Itoa(i)
		if i == 17 {
			pw = testPassword
		}
		wg.Go(func() {
			<-start
			st := loginAt(t, servers[i%len(servers)], email, pw)
			mu.Lock()
			statuses[st]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return statuses
}

// TestConcurrentGuessesAreCountedBeforeHashing: of 30 simultaneous guesses
// on one account at most the account's budget is evaluated; the others are
// refused before any password is hashed.
func TestConcurrentGuessesAreCountedBeforeHashing(t *testing.T) {
	h := &hasher{}
	f := newFixture(t, storetest.Open(t), options{deps: func(d *httpapi.Deps) { d.VerifyPassword = h.verify }})
	checkGuesses(t, h, guess(t, f.users["land"].Email, f.srv.URL))
}

// checkGuesses: at most 5 guesses are evaluated, the budget of the account.
// If the right password is among them, its success resets the account's
// budget (the owner is back), so guesses still arriving get 5 more: 10.
func checkGuesses(t *testing.T, h *hasher, st map[int]int) {
	t.Helper()
	limit := 5
	if st[200] == 1 {
		limit = 10
	}
	if n := int(h.calls.Load()); n > limit || st[200]+st[401] > limit || st[200]+st[401] != n {
		t.Fatalf("%d passwords hashed, want at most %d; statuses %v", n, limit, st)
	}
}

func redisLimits(t *testing.T, prefix string) *redislimit.Limiter {
	url := os.Getenv("STRATEGIERAUM_TEST_REDIS_URL")
	if url == "" {
		t.Skip("STRATEGIERAUM_TEST_REDIS_URL not set")
	}
	opt, err := redis.ParseURL(url)
	must(t, err)
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	return redislimit.New(rdb, prefix)
}

// TestConcurrentGuessesAcrossInstances: two instances sharing Redis share
// the budget, so guesses spread over both are not evaluated twice as often.
func TestConcurrentGuessesAcrossInstances(t *testing.T) {
	prefix := "test:" + auth.NewSecret("")[:12] + ":"
	h := &hasher{}
	f := newFixture(t, storetest.Open(t), options{deps: func(d *httpapi.Deps) {
		d.VerifyPassword, d.Limits = h.verify, redisLimits(t, prefix)
	}})
	other := f.instance(func(d *httpapi.Deps) { d.Limits = redisLimits(t, prefix) })
	checkGuesses(t, h, guess(t, f.users["land"].Email, f.srv.URL, other.URL))
}

// allowAll is a limiter without limits, for tests about the hashing slots.
type allowAll struct{ *limit.Memory }

func (allowAll) Allow(context.Context, string, limit.Rate) (limit.Result, error) {
	return limit.Result{Allowed: true}, nil
}

// TestPasswordHashingIsBounded: 100 simultaneous logins never hash more
// than MaxConcurrentHashes passwords at once (argon2id costs 19 MiB each).
func TestPasswordHashingIsBounded(t *testing.T) {
	h := &hasher{hold: make(chan struct{})}
	f := newFixture(t, storetest.Open(t), options{cfg: httpapi.Config{MaxConcurrentHashes: 3},
		deps: func(d *httpapi.Deps) { d.VerifyPassword, d.Limits = h.verify, allowAll{limit.NewMemory(nil)} }})
	var wg sync.WaitGroup
	var ok, busy atomic.Int32
	for i := range 100 {
		wg.Go(func() {
			switch st := loginAt(t, f.srv.URL, f.users["reader"].Email, testPassword); st {
			case 200:
				ok.Add(1)
			case 429:
				busy.Add(1)
			default:
				t.Errorf("login %d: status %d", i, st)
			}
		})
	}
	// Let the first logins fill the slots and the rest queue up behind them,
	// then release everything.
	for h.inflight.Load() < 3 {
		time.Sleep(time.Millisecond)
	}
	close(h.hold)
	wg.Wait()
	if m := h.most.Load(); m > 3 {
		t.Fatalf("%d password hashes ran at once, want at most 3", m)
	}
	if ok.Load() == 0 || ok.Load()+busy.Load() != 100 {
		t.Fatalf("%d signed in, %d turned away", ok.Load(), busy.Load())
	}
}

// TestProgressiveLoginDelay: wrong passwords slow an account down step by
// step instead of locking it; the right password always gets in after the
// announced wait, and resets the delay.
func TestProgressiveLoginDelay(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{deps: func(d *httpapi.Deps) {
		d.VerifyPassword = (&hasher{}).verify
	}})
	email := f.users["land"].Email
	for range 5 {
		wantStatus(t, f.login(f.client(), email, "falsch"), 401)
	}
	r := f.login(f.client(), email, testPassword)
	wantStatus(t, r, 429)
	if r.header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	if p := r.problem(t); !strings.Contains(p["detail"].(string), "Anmeldeversuche") {
		t.Errorf("detail %q", p["detail"])
	}
	// Other accounts are not affected.
	wantStatus(t, f.login(f.client(), f.users["reader"].Email, testPassword), 200)

	// An attacker who guesses whenever allowed meets growing waits, never
	// longer than a few minutes.
	var waits []int
	for len(waits) < 40 {
		r := f.login(f.client(), email, "falsch")
		if r.status == 401 {
			continue
		}
		wantStatus(t, r, 429)
		s, err := strconv.Atoi(r.header.Get("Retry-After"))
		must(t, err)
		if s > 180 {
			t.Fatalf("wait of %d s after %d refusals", s, len(waits))
		}
		waits = append(waits, s)
		f.clock.Add(time.Duration(s) * time.Second)
	}
	if waits[len(waits)-1] <= waits[0] {
		t.Fatalf("waits did not grow: %v", waits)
	}
	// The owner, after the announced wait, gets in; the delay is gone.
	r = f.login(f.client(), email, testPassword)
	if r.status == 429 {
		s, _ := strconv.Atoi(r.header.Get("Retry-After"))
		f.clock.Add(time.Duration(s) * time.Second)
		r = f.login(f.client(), email, testPassword)
	}
	wantStatus(t, r, 200)
	for range 5 {
		wantStatus(t, f.login(f.client(), email, "falsch"), 401)
	}
}

// TestLoginLimitPerAddress: guessing across many accounts from one address
// is limited, too.
func TestLoginLimitPerAddress(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{deps: func(d *httpapi.Deps) {
		d.VerifyPassword = (&hasher{}).verify
	}})
	for i := range 40 {
		wantStatus(t, f.login(f.client(), "gibt-es-nicht-"+strconv.Itoa(i)+"@example.de", "x"), 401)
	}
	wantStatus(t, f.login(f.client(), f.users["reader"].Email, testPassword), 429)
}

// TestWebsocketsPerUser: one account holds at most WebsocketsPerUser live
// connections; a closed one frees its slot.
func TestWebsocketsPerUser(t *testing.T) {
	var mu sync.Mutex
	var ends []func()
	live := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ends = append(ends, domain.ConnectionEnd(r.Context()))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent) // stands in for a connection that stays open
	})
	f := newFixture(t, storetest.Open(t), options{live: live, cfg: httpapi.Config{WebsocketsPerUser: 20}})
	var wg sync.WaitGroup
	var open, refused atomic.Int32
	for range 50 {
		wg.Go(func() {
			switch r := f.do(nil, "GET", "/api/ws", "", "land"); r.status {
			case 204:
				open.Add(1)
			case 429:
				if r.header.Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
				refused.Add(1)
			default:
				t.Errorf("status %d", r.status)
			}
		})
	}
	wg.Wait()
	if open.Load() != 20 || refused.Load() != 30 {
		t.Fatalf("%d connections accepted, %d refused; want 20 and 30", open.Load(), refused.Load())
	}
	wantStatus(t, f.do(nil, "GET", "/api/ws", "", "reader"), 204)
	ends[0]()
	ends[0]()
	wantStatus(t, f.do(nil, "GET", "/api/ws", "", "land"), 204)
	wantStatus(t, f.do(nil, "GET", "/api/ws", "", "land"), 429)
}
