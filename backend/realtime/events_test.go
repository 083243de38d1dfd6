package realtime_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/realtime"
)

// TestThreadEventsAndNotificationsCrossInstances checks that a thread change
// reported on one instance reaches the editors of that section on another,
// and that a notification reaches exactly its recipient's connections.
func TestThreadEventsAndNotificationsCrossInstances(t *testing.T) {
	w := newWorldSQLite(t)
	mem := realtime.NewMemoryBroker()
	a := w.start(testConfig("a"), mem.View())
	b := w.start(testConfig("b"), mem.View())

	editor := dialRaw(t, a, w.editors[0].ID)
	editor.open(w.section)
	reader := dialRaw(t, b, w.reader.ID)
	reader.open(w.section)
	elsewhere := dialRaw(t, b, w.editors[1].ID) // connected, but without the section open

	b.hub.ThreadChanged(realtime.ThreadEvent{Section: w.section, Thread: 42, Event: "created"})
	for _, c := range []*rawConn{editor, reader} {
		f := c.next("threads")
		if f.Section != w.section || f.Thread != 42 || f.Event != "created" {
			t.Fatalf("threads frame %+v", f)
		}
	}
	if f, err := elsewhere.nextErr(300*time.Millisecond, "threads"); err == nil {
		t.Fatalf("a connection without the section got %+v", f)
	}

	a.hub.Notify(w.reader.ID, map[string]any{"id": 7, "text": "Neue Antwort"})
	f := reader.next("notification")
	var n struct {
		ID   int64  `json:"id"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(f.Notification, &n); err != nil || n.ID != 7 || n.Text != "Neue Antwort" {
		t.Fatalf("notification %s: %+v (%v)", f.Notification, n, err)
	}
	for _, c := range []*rawConn{editor, elsewhere} {
		if f, err := c.nextErr(300*time.Millisecond, "notification"); err == nil {
			t.Fatalf("someone else got the reader's notification: %+v", f)
		}
	}
}

// TestStatementEventsReachTheOrganisation checks that a statement event
// reaches the connections of the organisation's members on every instance,
// and no one else.
func TestStatementEventsReachTheOrganisation(t *testing.T) {
	w := newWorldSQLite(t)
	mem := realtime.NewMemoryBroker()
	a := w.start(testConfig("a"), mem.View())
	b := w.start(testConfig("b"), mem.View())
	member := dialRaw(t, a, w.editors[0].ID)      // Hessen
	otherMember := dialRaw(t, b, w.editors[1].ID) // Hessen, on the other instance
	outsider := dialRaw(t, b, w.reader.ID)        // Bayern
	org := w.editors[0].OrgID

	a.hub.StatementChanged(realtime.StatementEvent{Strategy: 1, Org: org, Revision: 3, By: "Pate 0", Event: "saved"})
	for _, c := range []*rawConn{member, otherMember} {
		f := c.next("statement")
		if f.Org != org || f.Strategy != 1 || f.Revision != 3 || f.By != "Pate 0" || f.Event != "saved" {
			t.Fatalf("statement frame %+v", f)
		}
	}
	if f, err := outsider.nextErr(300*time.Millisecond, "statement"); err == nil {
		t.Fatalf("another organisation got %+v", f)
	}
}
