package storetest

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// Outage is a TCP proxy in front of the test PostgreSQL that a test can
// cut, to see how the code behaves while the database is unreachable:
// Down closes every connection and refuses new ones, Up lets them through
// again.
type Outage struct {
	target string
	ln     net.Listener
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]struct{}
}

// PostgresOutage creates an empty schema like PostgresURL and returns a URL
// that reaches it through an Outage proxy. It skips t if
// STRATEGIERAUM_TEST_POSTGRES_URL is not set.
func PostgresOutage(t testing.TB) (string, *Outage) {
	t.Helper()
	u, err := url.Parse(PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	o := &Outage{target: u.Host, ln: ln, conns: map[net.Conn]struct{}{}}
	go o.accept()
	t.Cleanup(func() { ln.Close(); o.Down() })
	u.Host = ln.Addr().String()
	return u.String(), o
}

// Down cuts every open connection and refuses new ones until Up.
func (o *Outage) Down() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.down = true
	for c := range o.conns {
		c.Close()
	}
	clear(o.conns)
}

// Up lets connections through again.
func (o *Outage) Up() {
	o.mu.Lock()
	o.down = false
	o.mu.Unlock()
}

func (o *Outage) accept() {
	for {
		c, err := o.ln.Accept()
		if err != nil {
			return
		}
		go o.serve(c)
	}
}

func (o *Outage) serve(c net.Conn) {
	o.mu.Lock()
	if o.down {
		o.mu.Unlock()
		c.Close()
		return
	}
	o.mu.Unlock()
	up, err := net.Dial("tcp", o.target)
	if err != nil {
		c.Close()
		return
	}
	o.mu.Lock()
	if o.down {
		o.mu.Unlock()
		c.Close()
		up.Close()
		return
	}
	o.conns[c], o.conns[up] = struct{}{}, struct{}{}
	o.mu.Unlock()
	go func() { io.Copy(up, c); up.Close(); c.Close() }()
	io.Copy(c, up)
	c.Close()
	up.Close()
}
