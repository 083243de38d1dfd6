package main

import (
	"log/slog"

	"github.com/strategieraum/strategieraum/backend/beschluss"
	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/realtime"
	"github.com/strategieraum/strategieraum/backend/store"
)

// newBeschluss wires the Beschluss service onto the op log's history (for
// freezing older versions) and pushes every change of a tally through the
// hub to every instance.
func newBeschluss(db *store.DB, ops *collab.Service, hub *realtime.Hub, logger *slog.Logger) *beschluss.Service {
	svc := beschluss.New(beschluss.Deps{Store: db, Strategies: db, History: ops, Audit: db, Logger: logger})
	svc.OnChange(func(ev beschluss.Event) {
		hub.BeschlussChanged(realtime.BeschlussEvent{Strategy: ev.StrategyID, Beschluss: ev.BeschlussID, Event: ev.Event})
	})
	return svc
}
