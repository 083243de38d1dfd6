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
