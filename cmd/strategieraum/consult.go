package main

import (
	"log/slog"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/realtime"
	"github.com/strategieraum/strategieraum/backend/store"
)

// newConsult wires the consultation service onto the same op log the live
// editors use, so an accepted proposal reaches every editor like any edit,
// and pushes thread changes and notifications through the hub to every
// instance. The HTTP layer audits the refusals it answers itself.
func newConsult(db *store.DB, ops *collab.Service, hub *realtime.Hub, logger *slog.Logger) *consult.Service {
	svc := consult.New(consult.Deps{Store: db, Strategies: db, Users: db, OpLog: ops, History: ops, Audit: db,
		Logger: logger, DenialsAuditedElsewhere: true})
	svc.OnThreadEvent(func(ev consult.ThreadEvent) {
		hub.ThreadChanged(realtime.ThreadEvent{Section: ev.SectionID, Thread: ev.ThreadID, Event: ev.Event})
	})
	svc.OnNotify(func(userID int64, n *domain.Notification) { hub.Notify(userID, n) })
	svc.OnStatementEvent(func(ev consult.StatementEvent) {
		hub.StatementChanged(realtime.StatementEvent{Strategy: ev.StrategyID, Org: ev.OrgID, Revision: ev.Revision, By: ev.By, Event: ev.Event})
	})
	return svc
}
