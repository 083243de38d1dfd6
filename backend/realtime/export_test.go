package realtime

import (
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Committer returns the instance that h forwards doc's submits to now,
// or "" if h commits them itself. Tests wait on it instead of sleeping
// until a broker message has probably arrived.
func Committer(h *Hub, doc domain.DocKey) string {
	return h.fwd.committer(doc, h.cfg.Instance, time.Now())
}

// MaskedFrame is a client frame (opcode op, masked) for tests that speak
// the protocol by hand.
var MaskedFrame = maskedFrame

// Attached reports whether h runs on its MemoryBroker (or a view of one)
// and is subscribed to notifications. Tests that publish an event right
// after starting a hub wait on it: an event published before that is lost,
// as the broker contract allows. Other brokers report true.
func Attached(h *Hub) bool {
	var v *memoryView
	switch b := h.deps.Broker.(type) {
	case *memoryView:
		v = b
	case *MemoryBroker:
		v = b.defaultView()
	default:
		return true
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.handle != nil && v.channels[NotifyChannel]
}
