package realtime

import (
	"context"
	"encoding/json"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// ThreadEvent tells the editors of a document that one of its discussion
// threads changed, so they refetch it. It carries ids only: what a user may
// see of the thread is decided when the thread is fetched.
type ThreadEvent struct {
	Section int64  `json:"section"`
	Thread  int64  `json:"thread"`
	Event   string `json:"event"`
}

type threadsOut struct {
	T string `json:"t"`
	ThreadEvent
}

// StatementEvent tells the members of an organisation that its statement
// was saved or submitted (frame "statement"), so that a member editing the
// draft learns of it at once. The text itself is fetched over REST.
type StatementEvent struct {
	Strategy int64  `json:"strategy"`
	Org      int64  `json:"org"`
	Revision int64  `json:"revision"`
	By       string `json:"by"`
	Event    string `json:"event"`
}

type statementOut struct {
	T string `json:"t"`
	StatementEvent
}

type notificationOut struct {
	T            string          `json:"t"`
	Notification json.RawMessage `json:"notification"`
}

// ThreadChanged publishes ev to every instance; each sends a "threads" frame
// to the connections that have the document open. Like every broker message
// it may be lost; clients also refetch threads after ops and periodically.
func (h *Hub) ThreadChanged(ev ThreadEvent) {
	data, err := json.Marshal(ev)
	if err != nil {
		return
	}
	h.publish(&Message{Kind: KindThreads, Doc: domain.SectionDoc(ev.Section), Instance: h.cfg.Instance, Data: data})
}

// Notify publishes a notification for one user to every instance; each sends
// a "notification" frame to that user's connections. notification must
// marshal to JSON; it is what the REST feed lists for the same event.
func (h *Hub) Notify(userID int64, notification any) {
	data, err := json.Marshal(notification)
	if err != nil {
		h.log.Warn("notification not encodable", "user", userID, "err", err)
		return
	}
	h.publish(&Message{Kind: KindNotify, Instance: h.cfg.Instance, User: userID, Data: data})
}

// StatementChanged publishes ev to every instance; each sends a "statement"
// frame to the connections of the organisation's members. It may be lost
// like any broker message; a stale save is still refused by the server.
func (h *Hub) StatementChanged(ev StatementEvent) {
	data, err := json.Marshal(ev)
	if err != nil {
		return
	}
	h.publish(&Message{Kind: KindStatement, Instance: h.cfg.Instance, Data: data})
}

// publish hands m to the publishing goroutines without ever blocking.
func (h *Hub) publish(m *Message) {
	select {
	case h.pubq <- m:
	default:
		h.metrics.brokerDropped.Inc()
	}
}

// deliverThreads sends a thread event to the document's local subscribers.
func (h *Hub) deliverThreads(m *Message) {
	r := h.findRoom(m.Doc)
	if r == nil {
		return
	}
	var ev ThreadEvent
	if json.Unmarshal(m.Data, &ev) != nil || domain.SectionDoc(ev.Section) != m.Doc {
		return
	}
	frame := mustJSON(threadsOut{T: "threads", ThreadEvent: ev})
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.subs {
		s.c.enqueue(s, outItem{doc: r.id, frame: frame})
	}
}

// deliverNotification sends a notification to the recipient's local
// connections.
func (h *Hub) deliverNotification(m *Message) {
	if m.User == 0 || !json.Valid(m.Data) {
		return
	}
	h.sendWhere(mustJSON(notificationOut{T: "notification", Notification: m.Data}), func(c *conn) bool { return c.userID == m.User })
}

// deliverStatement sends a statement event to the local connections of the
// organisation's members.
func (h *Hub) deliverStatement(m *Message) {
	var ev StatementEvent
	if json.Unmarshal(m.Data, &ev) != nil || ev.Org == 0 {
		return
	}
	h.sendWhere(mustJSON(statementOut{T: "statement", StatementEvent: ev}), func(c *conn) bool { return c.user().OrgID == ev.Org })
}

// sendWhere queues frame on every local connection for which match holds.
func (h *Hub) sendWhere(frame []byte, match func(*conn) bool) {
	h.mu.Lock()
	var conns []*conn
	for c := range h.conns {
		if match(c) {
			conns = append(conns, c)
		}
	}
	h.mu.Unlock()
	for _, c := range conns {
		c.enqueue(nil, outItem{frame: frame})
	}
}

// subscribeNotifications joins the per-user channel; a broker that is down
// renews the subscription when it reconnects.
func (h *Hub) subscribeNotifications(ctx context.Context) {
	if err := h.deps.Broker.Subscribe(ctx, NotifyChannel); err != nil {
		h.log.Warn("subscribing to notifications failed; retried on reconnect", "err", err)
	}
}
