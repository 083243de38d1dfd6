package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/realtime"
	"github.com/strategieraum/strategieraum/backend/realtime/redisbroker"
	"github.com/strategieraum/strategieraum/backend/store"
)

// redisPrefix namespaces every Redis key and channel of Strategieraum.
const redisPrefix = "strategieraum:"

// liveParts are the co-editing pieces: op log (which is also the history
// service), broker, hub.
type liveParts struct {
	handler http.Handler
	hub     *realtime.Hub
	ops     *collab.Service
	ready   []httpapi.NamedPinger
	closers []func()
	runDone chan struct{}
}

// newLive wires the op log, the broker (Redis if configured, else in-process)
// and the websocket hub, and starts the hub.
func newLive(ctx context.Context, c serveConfig, db *store.DB, logger *slog.Logger, reg prometheus.Registerer) (*liveParts, error) {
	l := &liveParts{runDone: make(chan struct{})}
	var broker realtime.Broker
	if c.RedisURL != "" {
		rb, err := redisbroker.Open(c.RedisURL, redisPrefix, logger)
		if err != nil {
			return nil, fmt.Errorf("redis: %w", err)
		}
		pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := rb.Ping(pingCtx); err != nil {
			rb.Close()
			return nil, fmt.Errorf("redis: %w", err)
		}
		l.closers = append(l.closers, func() { rb.Close() })
		// go-redis retries a failed ping with backoff for over a second;
		// a readiness probe wants a quick answer instead.
		l.ready = append(l.ready, httpapi.NamedPinger{Name: "redis", Pinger: rb, Timeout: 300 * time.Millisecond})
		broker = rb
	} else {
		broker = realtime.NewMemoryBroker()
	}
	ops := collab.New(db, collab.Options{Logger: logger})
	hub := realtime.NewHub(realtime.HubConfig{}, realtime.Deps{
		OpLog:      ops,
		Strategies: db,
		Statements: db,
		Broker:     broker,
		Logger:     logger,
		Metrics:    reg,
		Observe:    ops.Observe,
		Sessions:   db,
		Users:      db,
		Audit:      db,
	})
	ops.OnCommit(hub.Committed)
	l.ops = ops
	if reg != nil {
		registerOpLogMetrics(reg, ops)
	}
	go func() {
		defer close(l.runDone)
		if err := hub.Run(ctx); err != nil && ctx.Err() == nil {
			logger.Error("realtime hub stopped", "err", err)
		}
	}()
	l.handler, l.hub = hub.Handler(), hub
	return l, nil
}

// registerOpLogMetrics exports the op log's counters.
func registerOpLogMetrics(reg prometheus.Registerer, ops *collab.Service) {
	counter := func(name, help string, get func(collab.Stats) int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help},
			func() float64 { return float64(get(ops.Stats())) })
	}
	reg.MustRegister(
		counter("strategieraum_oplog_commits_total", "Transactions that committed ops.",
			func(s collab.Stats) int64 { return s.Batches }),
		counter("strategieraum_oplog_ops_total", "Ops committed.",
			func(s collab.Stats) int64 { return s.Ops }),
		counter("strategieraum_oplog_optimistic_commits_total", "Transactions committed with one conditional statement, without the row lock.",
			func(s collab.Stats) int64 { return s.Fast }),
		counter("strategieraum_oplog_text_flushes_total", "Long texts written to their document's row after their commits (when idle, on shutdown, or far behind).",
			func(s collab.Stats) int64 { return s.Flushed }),
		counter("strategieraum_oplog_write_conflicts_total", "Commit attempts lost to another instance's commit and retried.",
			func(s collab.Stats) int64 { return s.Retries }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "strategieraum_oplog_documents",
			Help: "Documents held in memory (submit queue, text and recent ops)."},
			func() float64 { return float64(ops.Stats().Docs) }),
	)
}

// pingers lists what /readyz checks.
func (l *liveParts) pingers(db *store.DB) []httpapi.NamedPinger {
	return append([]httpapi.NamedPinger{{Name: "database", Pinger: db}}, l.ready...)
}

// Shutdown disconnects live clients with "going away" so they reconnect to
// another instance, lets every queued op commit, and waits for the hub to
// stop. It must run before the database closes.
func (l *liveParts) Shutdown(ctx context.Context) {
	l.hub.Close()
	l.ops.Close()
	select {
	case <-l.runDone:
	case <-ctx.Done():
	}
}

// Close releases the broker.
func (l *liveParts) Close() {
	for i := len(l.closers) - 1; i >= 0; i-- {
		l.closers[i]()
	}
}

// demoStore is what seeding needs from the database.
type demoStore interface {
	domain.UserService
	domain.StrategyService
	CreateNamedVersion(ctx context.Context, v *domain.NamedVersion) error
}
