// Package mailpittest runs a real SMTP server for tests: axllent/mailpit,
// started on free loopback ports, with its messages read back through its
// HTTP API. The binary is found through STRATEGIERAUM_TEST_MAILPIT, PATH or
// $(go env GOPATH)/bin; without it a test fails in CI (CI=true) and is
// skipped elsewhere, saying how to install it.
package mailpittest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Env names the variable that may point at the mailpit binary.
const Env = "STRATEGIERAUM_TEST_MAILPIT"

// Server is a running mailpit. Its messages survive Kill and Start (they
// are kept in a database file in the test's temporary directory).
type Server struct {
	t        testing.TB
	bin      string
	dir      string
	SMTPPort int
	httpPort int
	cmd      *exec.Cmd
	exited   chan struct{}
}

// Binary finds mailpit, or "".
func Binary() string {
	if p := os.Getenv(Env); p != "" {
		return p
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = strings.TrimSpace(string(out))
		}
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// Start runs mailpit for the rest of t.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Binary()
	if bin == "" {
		msg := "mailpit not found: go install github.com/axllent/mailpit@v1.33.1 (or set " + Env + ")"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	s := &Server{t: t, bin: bin, dir: t.TempDir(), SMTPPort: freePort(t), httpPort: freePort(t)}
	s.Start()
	t.Cleanup(s.Kill)
	return s
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Start (re)starts the process on the same ports and waits until its API
// answers.
func (s *Server) Start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "--quiet",
		"--smtp", "127.0.0.1:"+strconv.Itoa(s.SMTPPort),
		"--listen", "127.0.0.1:"+strconv.Itoa(s.httpPort),
		"--database", filepath.Join(s.dir, "mailpit.db"))
	s.cmd.Stdout, s.cmd.Stderr = os.Stderr, os.Stderr
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("start mailpit: %v", err)
	}
	s.exited = make(chan struct{})
	go func(c *exec.Cmd, done chan struct{}) { _ = c.Wait(); close(done) }(s.cmd, s.exited)
	s.wait(func() error {
		select {
		case <-s.exited:
			return errStop
		default:
		}
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(s.SMTPPort), time.Second)
		if err != nil {
			return err
		}
		c.Close()
		_, err = s.Count()
		return err
	}, "mailpit to start")
}

var errStop = errors.New("mailpit exited")

// Kill ends the process at once (SIGKILL), as a crash or an outage would,
// and waits until it is gone.
func (s *Server) Kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.exited
	s.cmd = nil
}

// URL is the SMTP URL for the mail settings (plain text, loopback).
func (s *Server) URL() string {
	return fmt.Sprintf("smtp://127.0.0.1:%d?tls=none", s.SMTPPort)
}

func (s *Server) api(path string, out any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d%s", s.httpPort, path), nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("mailpit %s: %s", path, res.Status)
	}
	return json.NewDecoder(res.Body).Decode(out)
}

// Address is a mailbox in a message.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Summary is a message in the list.
type Summary struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      Address   `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
}

// Message is one message with its bodies.
type Message struct {
	Summary
	Text string `json:"Text"`
	HTML string `json:"HTML"`
}

// Count is the number of messages received so far.
func (s *Server) Count() (int, error) {
	var out struct {
		Total int `json:"total"`
	}
	err := s.api("/api/v1/messages?limit=1", &out)
	return out.Total, err
}

// Messages lists every message received, newest first.
func (s *Server) Messages() []Summary {
	s.t.Helper()
	var out struct {
		Total    int       `json:"total"`
		Messages []Summary `json:"messages"`
	}
	if err := s.api("/api/v1/messages?limit=100000", &out); err != nil {
		s.t.Fatal(err)
	}
	return out.Messages
}

// Message reads message id with its text and HTML.
func (s *Server) Message(id string) Message {
	s.t.Helper()
	var m Message
	if err := s.api("/api/v1/message/"+id, &m); err != nil {
		s.t.Fatal(err)
	}
	return m
}

// WaitCount waits until at least n messages arrived and returns them.
func (s *Server) WaitCount(n int) []Summary {
	s.t.Helper()
	s.wait(func() error {
		got, err := s.Count()
		if err != nil {
			return err
		}
		if got < n {
			return fmt.Errorf("%d of %d messages", got, n)
		}
		return nil
	}, fmt.Sprintf("%d messages", n))
	return s.Messages()
}

// wait polls cond until it returns nil; it gives up after two minutes
// (a loaded machine is slow, a lost mail never arrives).
func (s *Server) wait(cond func() error, what string) {
	s.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		err := cond()
		if err == nil {
			return
		}
		if errors.Is(err, errStop) || time.Now().After(deadline) {
			s.t.Fatalf("waiting for %s: %v", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
