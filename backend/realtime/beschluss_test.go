package realtime_test

import (
	"testing"

	"github.com/strategieraum/strategieraum/backend/realtime"
)

func TestBeschlussEventsReachEveryone(t *testing.T) {
	w := newWorldSQLite(t)
	mem := realtime.NewMemoryBroker()
	a := w.start(testConfig("a"), mem.View())
	b := w.start(testConfig("b"), mem.View())
	member := dialRaw(t, a, w.editors[0].ID)
	reader := dialRaw(t, b, w.reader.ID) // on the other instance, another organisation

	a.hub.BeschlussChanged(realtime.BeschlussEvent{Strategy: 1, Beschluss: 7, Event: "voted"})
	for _, c := range []*rawConn{member, reader} {
		f := c.next("beschluss")
		if f.Beschluss != 7 || f.Strategy != 1 || f.Event != "voted" {
			t.Fatalf("beschluss frame %+v", f)
		}
	}
}
