package realtime_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/realtime/redisbroker"
)

const redisEnv = "STRATEGIERAUM_TEST_REDIS_URL"

// redisEnvURL returns the shared test Redis URL or "".
func redisEnvURL() string { return os.Getenv(redisEnv) }

// redisURL returns the shared test Redis, skipping when it is not set.
func redisURL(t *testing.T) string {
	u := os.Getenv(redisEnv)
	if u == "" {
		t.Skip(redisEnv + " not set")
	}
	return u
}

// newRedisBroker returns a broker on url under a prefix of this test's own.
func newRedisBroker(t *testing.T, url, prefix string) *redisbroker.Broker {
	b, err := redisbroker.Open(url, prefix, quietLog)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := b.Ping(ctx); err != nil {
		t.Fatalf("redis at %s: %v", url, err)
	}
	return b
}

func testPrefix(t *testing.T) string {
	return fmt.Sprintf("strategieraum-test:%s:%d:", t.Name(), time.Now().UnixNano())
}

// redisServer is a redis-server of the test's own that can be restarted.
type redisServer struct {
	t    *testing.T
	port int
	cmd  *exec.Cmd
}

// startRedisServer starts redis-server on a free port. It needs the binary
// on PATH; the test fails (not skips) without it when Redis tests are on.
func startRedisServer(t *testing.T) *redisServer {
	redisURL(t)
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatalf("%s is set but redis-server is not on PATH: cannot test a Redis restart", redisEnv)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &redisServer{t: t, port: l.Addr().(*net.TCPAddr).Port}
	l.Close()
	s.start()
	t.Cleanup(s.stop)
	return s
}

func (s *redisServer) url() string { return "redis://127.0.0.1:" + strconv.Itoa(s.port) + "/0" }

func (s *redisServer) start() {
	s.cmd = exec.Command("redis-server", "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no")
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("redis-server: %v", err)
	}
	for range 100 {
		if c, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(s.port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatal("redis-server did not start")
}

func (s *redisServer) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		s.cmd = nil
	}
}
