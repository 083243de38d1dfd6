package realtime

import (
	"context"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
)

// palette holds cursor colours that keep a contrast of at least 4.5:1 with
// white text and with a white page.
var palette = []string{
	"#1f5fa8", "#b3261e", "#2e7d32", "#8e24aa", "#b45309", "#00796b",
	"#c2185b", "#4a5bb5", "#6d4c41", "#00838f", "#7b5e00", "#5e35b1",
}

// ColorFor returns the stable cursor colour of a user.
func ColorFor(userID int64) string {
	h := fnv.New32a()
	h.Write([]byte(strconv.FormatInt(userID, 10)))
	return palette[h.Sum32()%uint32(len(palette))]
}

// Presence work flags, merged per document until the presence loop runs.
const (
	presWrite   = 1 << iota // write this instance's entries to the broker
	presPublish             // tell other instances to re-read
	presRead                // re-read everyone's entries and update clients
)

// presenceChanged schedules presence work for a document: after a local
// change (a connection opened or closed it) the entries are written and
// announced; otherwise they are only re-read.
func (h *Hub) presenceChanged(doc domain.DocKey, heartbeat bool) {
	flags := presRead
	if heartbeat {
		flags |= presWrite
	}
	h.schedulePresence(doc, flags)
}

func (h *Hub) localPresenceChanged(doc domain.DocKey) {
	h.schedulePresence(doc, presWrite|presPublish|presRead)
}

func (h *Hub) schedulePresence(doc domain.DocKey, flags int) {
	h.presMu.Lock()
	h.presWork[doc] |= flags
	h.presMu.Unlock()
	select {
	case h.presenceq <- struct{}{}:
	default:
	}
}

func (h *Hub) presenceLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-h.presenceq:
		}
		h.presMu.Lock()
		work := h.presWork
		h.presWork = map[domain.DocKey]int{}
		h.presMu.Unlock()
		for doc, flags := range work {
			h.updatePresence(ctx, doc, flags)
		}
	}
}

func (h *Hub) updatePresence(ctx context.Context, doc domain.DocKey, flags int) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	r := h.findRoom(doc)
	var local []*Presence
	if r != nil {
		r.mu.Lock()
		for _, s := range r.subs {
			p := *s.self
			local = append(local, &p)
		}
		r.mu.Unlock()
	}
	if flags&presWrite != 0 {
		if err := h.deps.Broker.SetPresence(ctx, h.cfg.Instance, doc.String(), local, h.cfg.PresenceTTL); err != nil {
			h.log.Debug("writing presence failed", "doc", doc, "err", err)
		}
	}
	if flags&presPublish != 0 {
		select {
		case h.pubq <- &Message{Kind: KindPresence, Doc: doc, Instance: h.cfg.Instance}:
		default:
		}
	}
	if r == nil || flags&presRead == 0 {
		return
	}
	all, err := h.deps.Broker.Presence(ctx, doc.String())
	if err != nil {
		h.log.Debug("reading presence failed", "doc", doc, "err", err)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	remote := map[string]*Presence{}
	for _, p := range all {
		if strings.HasPrefix(p.Conn, h.cfg.Instance+".") {
			continue // local entries are known first-hand
		}
		if old := r.remote[p.Conn]; old != nil && old.V > p.V {
			p.V, p.Ranges = old.V, old.Ranges // a newer cursor arrived meanwhile
		}
		remote[p.Conn] = p
	}
	same := r.subsGen == r.subsGenSeen && len(remote) == len(r.remote)
	for conn := range remote {
		if !same {
			break
		}
		_, same = r.remote[conn]
	}
	r.remote = remote
	// The heartbeat re-reads presence every PresenceBeat; when nobody came
	// or went, skip building the sorted list of everyone (milliseconds for
	// a crowded document, with the room held and its fan-out waiting).
	if same {
		return
	}
	r.subsGenSeen = r.subsGen
	r.sendPresence()
}

// maxPresence caps the entries of one presence list: a document read by
// thousands shows the first of them and the total, and the lists stay small
// enough to send to everyone.
const maxPresence = 50

// presenceEvery is the least time between two presence lists of one room,
// so that a crowd opening a document causes a few lists, not one per person.
const presenceEvery = 250 * time.Millisecond

// presenceList returns everyone in the room, local and remote, by conn id.
func (r *room) presenceList() []*Presence {
	out := make([]*Presence, 0, len(r.subs)+len(r.remote))
	for _, s := range r.subs {
		out = append(out, s.self)
	}
	for _, p := range r.remote {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *Presence) int { return strings.Compare(a.Conn, b.Conn) })
	return out
}

// othersOf returns at most maxPresence entries of all without conn.
func othersOf(all []*Presence, conn string) []*Presence {
	others := make([]*Presence, 0, min(len(all), maxPresence))
	for _, p := range all {
		if p.Conn != conn && len(others) < maxPresence {
			others = append(others, p)
		}
	}
	return others
}

// sendPresence sends the list of everyone else to each local subscriber
// when the set of connections has changed since the last time, at most
// every presenceEvery.
func (r *room) sendPresence() {
	if wait := presenceEvery - time.Since(r.presenceSent); wait > 0 {
		if !r.presenceDue {
			r.presenceDue = true
			time.AfterFunc(wait, func() {
				r.mu.Lock()
				defer r.mu.Unlock()
				r.presenceDue = false
				r.sendPresence()
			})
		}
		return
	}
	all := r.presenceList()
	var key strings.Builder
	for _, p := range all {
		key.WriteString(p.Conn)
		key.WriteByte(' ')
	}
	if key.String() == r.sentUsers {
		return
	}
	r.sentUsers, r.presenceSent = key.String(), time.Now()
	for _, s := range r.subs {
		frame := presenceOut{T: typePresence, docRef: refOf(r.id), Users: othersOf(all, s.self.Conn), Count: len(all) - 1}
		s.c.enqueue(s, outItem{doc: r.id, frame: mustJSON(frame)})
	}
}

// cursor records the connection's selection and passes it on.
func (c *conn) cursor(ctx context.Context, f *inFrame) *frameError {
	s := c.subs[f.doc]
	r := c.hub.findRoom(f.doc)
	if s == nil || r == nil {
		return badRequest("Der Abschnitt ist auf dieser Verbindung nicht geöffnet.")
	}
	ranges := f.Ranges
	if ranges == nil {
		ranges = [][2]int{}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if *f.V > s.next {
		return &frameError{code: CodeVersionAhead, message: "Die Version der Auswahl ist neuer als der Abschnitt."}
	}
	p := *s.self
	p.V, p.Ranges = r.moveCursor(*f.V, ranges)
	s.self = &p
	frame := mustJSON(cursorOut{T: typeCursor, docRef: refOf(r.id), Conn: p.Conn, User: p.User, V: p.V, Ranges: p.Ranges})
	for oc, os := range r.subs {
		if oc != c {
			oc.enqueue(os, outItem{doc: r.id, frame: frame})
		}
	}
	cp := p
	select {
	case c.hub.pubq <- &Message{Kind: KindCursor, Doc: r.id, Instance: c.hub.cfg.Instance, Cursor: &cp}:
	default:
	}
	return nil
}

// remoteCursor takes another instance's cursor update.
func (r *room) remoteCursor(p *Presence) {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.remote[p.Conn]
	if old == nil {
		return // not (yet) in presence; the next presence read brings it
	}
	cp := *old
	cp.V, cp.Ranges = r.moveCursor(p.V, p.Ranges)
	r.remote[p.Conn] = &cp
	frame := mustJSON(cursorOut{T: typeCursor, docRef: refOf(r.id), Conn: cp.Conn, User: cp.User, V: cp.V, Ranges: cp.Ranges})
	for _, s := range r.subs {
		s.c.enqueue(s, outItem{doc: r.id, frame: frame})
	}
}

// moveCursor transforms ranges at version v through the ops delivered since,
// so that receivers get positions at the room's current version. When those
// ops are no longer at hand the ranges stay at v.
func (r *room) moveCursor(v int64, ranges [][2]int) (int64, [][2]int) {
	ops, ok := r.opsBetween(v)
	if !ok || len(ops) == 0 {
		return v, ranges
	}
	out := slices.Clone(ranges)
	for _, cop := range ops {
		op, err := ot.Parse(cop.Op)
		if err != nil {
			return v, ranges
		}
		for i := range out {
			out[i] = [2]int{ot.TransformPosition(out[i][0], op), ot.TransformPosition(out[i][1], op)}
		}
	}
	return r.sent, out
}
