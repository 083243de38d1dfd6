package realtime_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/realtime"
)

// idleConn opens a websocket by hand and sends one "open" frame; it keeps
// nothing but the socket, so that the benchmark measures the server side.
func idleConn(b *testing.B, addr, path string, open []byte) net.Conn {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Errorf("dial: %v", err)
		return nil
	}
	fmt.Fprint(c, upgradeRequest(path, addr))
	resp, err := http.ReadResponse(bufio.NewReaderSize(c, 512), nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		b.Errorf("handshake: %v %v", resp, err)
		return c
	}
	frame := realtime.MaskedFrame(0x1, open) // a text frame, masked as clients must send
	if _, err := c.Write(frame); err != nil {
		b.Error(err)
	}
	return c
}

// upgradeRequest is a websocket handshake request.
func upgradeRequest(path, addr string) string {
	return "GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
}

// BenchmarkIdleConnections reports the server's memory (heap and goroutine
// stacks) per idle connection that has a section open. The number of
// connections is STRATEGIERAUM_BENCH_CONNS (default 5000); run with
// -benchtime=1x.
func BenchmarkIdleConnections(b *testing.B) {
	n := 5000
	if s := os.Getenv("STRATEGIERAUM_BENCH_CONNS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	w := newWorldSQLite(b)
	cfg := testConfig("bench")
	cfg.PingInterval = time.Hour // the hand-made clients do not answer pings
	in := w.start(cfg, nil)
	addr := strings.TrimPrefix(in.srv.URL, "http://")
	path := "/api/ws?as=" + itoa(w.editors[0].ID)
	open, _ := json.Marshal(map[string]any{"t": "open", "section": w.section})
	for range b.N {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		g0 := runtime.NumGoroutine()
		conns := make([]net.Conn, n)
		var wg sync.WaitGroup
		for k := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := k; i < n && !b.Failed(); i += 8 {
					conns[i] = idleConn(b, addr, path, open)
				}
			}()
		}
		wg.Wait()
		// Wait until every connection is served and the snapshot and
		// presence frames are written.
		deadline := time.Now().Add(time.Minute)
		for in.metric(b, "strategieraum_ws_connections") < float64(n) && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		time.Sleep(2 * time.Second)
		for range 3 { // stacks grown while opening shrink over a few cycles
			runtime.GC()
		}
		runtime.ReadMemStats(&after)
		g1 := runtime.NumGoroutine()
		used := float64(after.HeapInuse+after.StackInuse) - float64(before.HeapInuse+before.StackInuse)
		b.ReportMetric(used/float64(n), "B/conn")
		b.ReportMetric((float64(after.HeapInuse)-float64(before.HeapInuse))/float64(n), "heapB/conn")
		b.ReportMetric((float64(after.StackInuse)-float64(before.StackInuse))/float64(n), "stackB/conn")
		b.ReportMetric(float64(g1-g0)/float64(n), "goroutines/conn")
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
	}
}
