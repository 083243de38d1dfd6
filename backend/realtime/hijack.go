package realtime

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"sync"
)

// The HTTP server hands a hijacked connection over with a 4 KiB read and a
// 4 KiB write buffer, which the websocket library keeps for the life of the
// connection: two thirds of the heap an idle connection costs. smallBuffers
// hands it smaller ones instead.
const (
	readBufSize  = 512 // client frames are small: pings, cursors, single ops
	writeBufSize = 256 // frame header and small frames; larger frames bypass it (frameSink)
)

// smallBuffers wraps the ResponseWriter given to websocket.Accept so that
// Hijack returns the connection with small buffers. Bytes the client sent
// right after the handshake and the server has already read are carried
// over, so nothing is lost.
type smallBuffers struct {
	http.ResponseWriter
}

// Hijack implements http.Hijacker.
func (w smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	nc, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	if brw.Writer.Buffered() > 0 { // the server has flushed the 101 response; be safe anyway
		if err := brw.Writer.Flush(); err != nil {
			nc.Close()
			return nil, nil, err
		}
	}
	return nc, bufio.NewReadWriter(carryOver(brw.Reader, nc), bufio.NewWriterSize(&frameSink{conn: nc}, writeBufSize)), nil
}

// carryOver returns a small reader of nc that holds whatever old has
// already buffered. The bytes are in the new reader's buffer, not only in
// its source: the websocket library takes what is buffered and reads on from
// nc itself.
func carryOver(old *bufio.Reader, nc net.Conn) *bufio.Reader {
	n := old.Buffered()
	if n == 0 {
		return bufio.NewReaderSize(nc, readBufSize)
	}
	early, _ := old.Peek(n)
	r := bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(early)), nc), max(readBufSize, n))
	r.Peek(n) // one read of the bytes.Reader, which it exhausts; nc is not touched
	return r
}

// frameSink is what the websocket library's write buffer flushes into. A
// frame larger than the buffer would otherwise cost two system calls: the
// full buffer (header and the payload's first bytes), then the rest of the
// payload, which the buffer passes on directly. frameSink follows the frame
// headers and holds back a write that ends inside a frame until the frame's
// rest arrives, then writes both with one writev. The payload is never
// copied; the held part is at most one buffer.
//
// The library writes a frame's header into an empty buffer and every frame
// completely, under its own write lock, so held bytes never wait beyond
// the library's write of that frame. If the stream is not what that
// expects (a header split between two writes, a masked frame), frameSink
// passes everything through at once from then on.
type frameSink struct {
	conn        net.Conn
	left        int64 // bytes of the current frame still to come; 0 at a frame boundary
	passThrough bool
	held        *heldBytes // the start of the current frame, or nil
}

type heldBytes struct {
	n    int
	buf  [writeBufSize]byte
	arr  [2][]byte
	bufs net.Buffers
}

// heldPool keeps held bytes off idle connections: a frame's start is held
// only for the span of one write.
var heldPool = sync.Pool{New: func() any { return new(heldBytes) }}

func (s *frameSink) Write(p []byte) (int, error) {
	if !s.follow(p) && s.held == nil && len(p) <= writeBufSize {
		h := heldPool.Get().(*heldBytes)
		h.n = copy(h.buf[:], p)
		s.held = h
		return len(p), nil
	}
	h := s.held
	if h == nil {
		return s.conn.Write(p)
	}
	s.held = nil
	h.arr = [2][]byte{h.buf[:h.n], p}
	h.bufs = h.arr[:]
	n, err := h.bufs.WriteTo(s.conn)
	n -= int64(h.n)
	h.arr, h.bufs = [2][]byte{}, nil
	heldPool.Put(h)
	if err != nil {
		s.passThrough = true
		return int(max(n, 0)), err
	}
	return len(p), nil
}

// follow advances over p's bytes in the frame stream and reports whether p
// ends at a frame boundary (always true once the stream is not understood).
func (s *frameSink) follow(p []byte) bool {
	for len(p) > 0 && !s.passThrough {
		if s.left == 0 {
			n, ok := frameSize(p)
			if !ok {
				s.passThrough = true
				break
			}
			s.left = n
		}
		k := min(int64(len(p)), s.left)
		s.left -= k
		p = p[k:]
	}
	return s.passThrough || s.left == 0
}

// frameSize returns the length of the unmasked websocket frame that begins
// p (header and payload), if p holds its whole header.
func frameSize(p []byte) (int64, bool) {
	if len(p) < 2 || p[1]&0x80 != 0 {
		return 0, false
	}
	switch l := int64(p[1] & 0x7f); l {
	case 126:
		if len(p) < 4 {
			return 0, false
		}
		return 4 + (int64(p[2])<<8 | int64(p[3])), true
	case 127:
		if len(p) < 10 {
			return 0, false
		}
		var n int64
		for _, b := range p[2:10] {
			n = n<<8 | int64(b)
		}
		if n < 0 {
			return 0, false
		}
		return 10 + n, true
	default:
		return 2 + l, true
	}
}
