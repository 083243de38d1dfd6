package realtime

import "encoding/json"

// KindBeschluss carries a BeschlussEvent in Data; it travels on the
// NotifyChannel.
const KindBeschluss MessageKind = "beschluss"

// BeschlussEvent tells every connection that a Beschlussvorlage was
// created, voted on or decided (frame "beschluss"), so that open tallies
// refetch it. It carries ids only: which votes a user may see is decided
// when the Vorlage is fetched.
type BeschlussEvent struct {
	Strategy  int64  `json:"strategy"`
	Beschluss int64  `json:"beschluss"`
	Event     string `json:"event"`
}

type beschlussOut struct {
	T string `json:"t"`
	BeschlussEvent
}

// BeschlussChanged publishes ev to every instance; each sends a
// "beschluss" frame to all its connections. It may be lost like any broker
// message; the page also refetches when it reconnects.
func (h *Hub) BeschlussChanged(ev BeschlussEvent) {
	data, err := json.Marshal(ev)
	if err != nil {
		return
	}
	h.publish(&Message{Kind: KindBeschluss, Instance: h.cfg.Instance, Data: data})
}

func (h *Hub) deliverBeschluss(m *Message) {
	var ev BeschlussEvent
	if json.Unmarshal(m.Data, &ev) != nil || ev.Beschluss == 0 {
		return
	}
	h.sendWhere(mustJSON(beschlussOut{T: "beschluss", BeschlussEvent: ev}), func(*conn) bool { return true })
}
