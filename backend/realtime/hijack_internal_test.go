package realtime

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// frameSizes are payload sizes around every boundary of the frame header
// and of the write buffer, and a large frame.
var frameSizes = []int{0, 1, 125, 126, 127, 200, 251, 252, 253, 254, 255, 256, 257, 500, 508, 509, 510, 511, 512, 513, 4096, 65535, 65536, 1 << 20}

// echoServer answers every message with the same message, through
// smallBuffers as the hub does.
func echoServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(smallBuffers{w}, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
		if err != nil {
			return
		}
		defer ws.CloseNow()
		ws.SetReadLimit(4 << 20)
		for {
			typ, b, err := ws.Read(context.Background())
			if err != nil {
				return
			}
			if err := ws.Write(context.Background(), typ, b); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func payload(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// Frames of every size, the large ones beyond the write buffer, arrive
// intact and in order.
func TestSmallBuffersFramesIntact(t *testing.T) {
	srv := echoServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // bounds a broken run only
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	ws.SetReadLimit(4 << 20)
	for _, n := range frameSizes {
		want := payload(n)
		if err := ws.Write(ctx, websocket.MessageBinary, want); err != nil {
			t.Fatalf("write %d bytes: %v", n, err)
		}
		_, got, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("read %d bytes: %v", n, err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("frame of %d bytes came back as %d different bytes", n, len(got))
		}
	}
}

// maskedFrame builds a client frame.
func maskedFrame(op byte, p []byte) []byte {
	f := []byte{0x80 | op}
	switch {
	case len(p) < 126:
		f = append(f, 0x80|byte(len(p)))
	case len(p) <= 0xffff:
		f = append(f, 0x80|126)
		f = binary.BigEndian.AppendUint16(f, uint16(len(p)))
	default:
		f = append(f, 0x80|127)
		f = binary.BigEndian.AppendUint64(f, uint64(len(p)))
	}
	var mask [4]byte
	rand.Read(mask[:])
	f = append(f, mask[:]...)
	for i, x := range p {
		f = append(f, x^mask[i%4])
	}
	return f
}

// Frames a client sends in the same packet as its handshake are in the
// server's read buffer at the hijack; they are carried over, also when
// they are more than the small read buffer holds.
func TestSmallBuffersCarryOverEarlyBytes(t *testing.T) {
	srv := echoServer(t)
	addr := strings.TrimPrefix(srv.URL, "http://")
	for _, n := range []int{5, readBufSize + 700} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(time.Minute)) // bounds a broken run only
			first, second := payload(n), payload(3)
			req := "GET / HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
				"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
			msg := append([]byte(req), maskedFrame(0x2, first)...)
			msg = append(msg, maskedFrame(0x2, second)...)
			if _, err := c.Write(msg); err != nil { // one write: handshake and frames
				t.Fatal(err)
			}
			br := bufio.NewReader(c)
			resp, err := http.ReadResponse(br, nil)
			if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
				t.Fatalf("handshake: %v %v", resp, err)
			}
			for _, want := range [][]byte{first, second} {
				got := readServerFrame(t, br)
				if !bytes.Equal(got, want) {
					t.Fatalf("echo of %d early bytes: got %d different bytes", len(want), len(got))
				}
			}
		})
	}
}

// readServerFrame reads one unmasked, unfragmented frame.
func readServerFrame(t *testing.T, br *bufio.Reader) []byte {
	t.Helper()
	var h [2]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		t.Fatal(err)
	}
	n := int64(h[1] & 0x7f)
	switch n {
	case 126:
		var b [2]byte
		io.ReadFull(br, b[:])
		n = int64(binary.BigEndian.Uint16(b[:]))
	case 127:
		var b [8]byte
		io.ReadFull(br, b[:])
		n = int64(binary.BigEndian.Uint64(b[:]))
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(br, p); err != nil {
		t.Fatal(err)
	}
	return p
}

// recorder is a net.Conn that keeps what is written to it.
type recorder struct {
	net.Conn
	out bytes.Buffer
}

func (r *recorder) Write(p []byte) (int, error) { return r.out.Write(p) }

// frameSink passes on every frame completely by the end of the write
// buffer's flush, in the order the websocket library writes it: header
// byte by byte, payload, flush.
func TestFrameSinkPassesWholeFrames(t *testing.T) {
	rec := &recorder{}
	sink := &frameSink{conn: rec}
	bw := bufio.NewWriterSize(sink, writeBufSize)
	var want bytes.Buffer
	for _, n := range frameSizes {
		p := payload(n)
		var frame bytes.Buffer
		frame.WriteByte(0x82)
		switch {
		case n < 126:
			frame.WriteByte(byte(n))
		case n <= 0xffff:
			frame.WriteByte(126)
			binary.Write(&frame, binary.BigEndian, uint16(n))
		default:
			frame.WriteByte(127)
			binary.Write(&frame, binary.BigEndian, uint64(n))
		}
		hdr := frame.Bytes()
		bw.WriteByte(hdr[0])
		bw.WriteByte(hdr[1])
		bw.Write(hdr[2:])
		bw.Write(p)
		if err := bw.Flush(); err != nil {
			t.Fatal(err)
		}
		want.Write(hdr)
		want.Write(p)
		if sink.held != nil || !bytes.Equal(rec.out.Bytes(), want.Bytes()) {
			t.Fatalf("after a frame of %d bytes: %d of %d bytes passed on", n, rec.out.Len(), want.Len())
		}
	}
	if sink.passThrough {
		t.Fatal("frameSink lost track of the frames")
	}
	// A stream it does not understand (a header split between writes) is
	// passed through at once.
	rec.out.Reset()
	sink2 := &frameSink{conn: rec}
	sink2.Write([]byte{0x82})
	if !sink2.passThrough || rec.out.Len() != 1 {
		t.Fatalf("a split header: passThrough %v, %d bytes passed on", sink2.passThrough, rec.out.Len())
	}
}
