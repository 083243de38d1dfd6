package realtime

import (
	"context"
	"time"

	"github.com/coder/websocket"
)

// enqueue queues an item for writing. s, if set, is the subscription the
// item belongs to; nothing more is queued for a stale one. When the queue is
// full the connection is too slow: its queue is dropped and every open
// document gets a "resync" error, so the client re-opens from its version.
func (c *conn) enqueue(s *sub, it outItem) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.closing || (s != nil && s.stale) {
		return
	}
	if len(c.queue) >= c.hub.cfg.SendQueue {
		c.queue = c.queue[:0]
		for id, os := range c.subs {
			os.stale = true
			c.queue = append(c.queue, outItem{doc: id, frame: errorFrame(&frameError{
				code: CodeResync, doc: id,
				message: "Die Verbindung kommt nicht nach – bitte den Abschnitt mit der bekannten Version neu öffnen.",
			})})
		}
		c.hub.metrics.resyncs.Inc()
		return
	}
	c.queue = append(c.queue, it)
	if !c.writing {
		c.writing = true
		go c.writeLoop()
	}
}

func (c *conn) writeLoop() {
	var batch []outItem
	for {
		c.mu.Lock()
		if len(c.queue) == 0 || c.closed {
			c.writing = false
			c.queue = nil // let an idle connection's buffer go
			c.mu.Unlock()
			return
		}
		batch, c.queue = c.queue, batch[:0]
		c.mu.Unlock()
		if err := c.writeBatch(batch); err != nil {
			c.mu.Lock()
			c.closed, c.writing, c.queue = true, false, nil
			c.mu.Unlock()
			c.ws.CloseNow() // the peer is gone or stuck; the read loop cleans up
			return
		}
		clear(batch)
	}
}

// writeBatch writes items in order.
func (c *conn) writeBatch(items []outItem) error {
	for len(items) > 0 {
		frame, n := nextFrame(items)
		if err := c.write(frame); err != nil {
			return err
		}
		items = items[n:]
	}
	return nil
}

// nextFrame returns the frame for the first of items and how many items it
// covers: a run of ops of one document is coalesced into one frame of at
// most maxOpsPerFrame ops. A run of one item with a ready frame (the frame
// a room shares among its receivers) is returned as it is; a longer run is
// encoded anew, so shared frames are never written to.
func nextFrame(items []outItem) ([]byte, int) {
	it := items[0]
	if it.entries == nil {
		return it.frame, 1
	}
	j, n := 1, len(it.entries)
	for j < len(items) && items[j].entries != nil && items[j].doc == it.doc && n+len(items[j].entries) <= maxOpsPerFrame {
		n += len(items[j].entries)
		j++
	}
	if j == 1 {
		if it.frame != nil {
			return it.frame, 1
		}
		return entriesFrame(it.doc, it.entries), 1
	}
	entries := make([][]byte, 0, n)
	for _, x := range items[:j] {
		entries = append(entries, x.entries...)
	}
	return entriesFrame(it.doc, entries), j
}

// write sends one frame. It passes no deadline: a context with one costs
// a timer per frame, which is a good part of the fan-out's CPU. Instead the
// hub's tick drops a connection whose write has taken longer than
// WriteTimeout (checkWrites). Nor is it the hub's context: a write cut
// short by shutdown would close the connection before the close frame
// could explain why.
func (c *conn) write(frame []byte) error {
	c.hub.metrics.framesOut.Inc()
	c.writeSince.Store(time.Now().UnixNano())
	err := c.ws.Write(context.Background(), websocket.MessageText, frame)
	c.writeSince.Store(0)
	return err
}

// checkWrites closes every connection whose current write began more than
// WriteTimeout ago; its writer then fails and the read loop cleans up.
func (h *Hub) checkWrites(now time.Time) {
	limit := now.Add(-h.cfg.WriteTimeout).UnixNano()
	h.mu.Lock()
	var stuck []*conn
	for c := range h.conns {
		if t := c.writeSince.Load(); t != 0 && t < limit {
			stuck = append(stuck, c)
		}
	}
	h.mu.Unlock()
	for _, c := range stuck {
		c.ws.CloseNow()
	}
}
