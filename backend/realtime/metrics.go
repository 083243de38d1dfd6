package realtime

import "github.com/prometheus/client_golang/prometheus"

// metrics are the hub's Prometheus instruments.
type metrics struct {
	connections   prometheus.Gauge
	framesIn      prometheus.Counter
	framesOut     prometheus.Counter
	resyncs       prometheus.Counter
	revoked       prometheus.Counter
	gapsRepaired  prometheus.Counter
	brokerDropped prometheus.Counter
	submitTime    prometheus.Histogram
	sendDelay     prometheus.Histogram

	forwarded        prometheus.Counter
	forwardFallbacks prometheus.Counter
	accessChecks     prometheus.Counter
}

// latencyBuckets span 1 ms to about 4 s.
var latencyBuckets = prometheus.ExponentialBuckets(0.001, 2, 13)

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		connections: prometheus.NewGauge(prometheus.GaugeOpts{Name: "strategieraum_ws_connections",
			Help: "Open websocket connections."}),
		framesIn: prometheus.NewCounter(prometheus.CounterOpts{Name: "strategieraum_ws_frames_in_total",
			Help: "Websocket frames received from clients."}),
		framesOut: prometheus.NewCounter(prometheus.CounterOpts{Name: "strategieraum_ws_frames_out_total",
			Help: "Websocket frames sent to clients."}),
		revoked: prometheus.NewCounter(prometheus.CounterOpts{Name: "strategieraum_ws_revoked_total",
			Help: "Connections closed because their session or token ended or their account was disabled or deleted."}),
		resyncs: prometheus.NewCounter(prometheus.CounterOpts{Name: "strategieraum_ws_resyncs_total",
			Help: "Connections told to resync because their send queue overflowed."}),
		gapsRepaired: prometheus.NewCounter(prometheus.CounterOpts{Name: "strategieraum_ws_gap_ops_repaired_total",
			Help: "Ops missing from the broker and delivered from the op log instead."}),
		brokerDropped: prometheus.NewCounter(prometheus.CounterOpts{Name: "strategieraum_ws_broker_publish_failures_total",
			Help: "Broker messages that could not be published."}),
		submitTime: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "strategieraum_ws_submit_seconds",
			Help: "Time a submitted op waits for the op log to commit it.", Buckets: latencyBuckets}),
		sendDelay: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "strategieraum_ws_op_send_delay_seconds",
			Help: "Time from an op's commit to its fan-out to the local connections' queues (broker, ordering, batching).", Buckets: latencyBuckets}),
		forwarded: prometheus.NewCounter(prometheus.CounterOpts{Name: "strategieraum_ws_submits_forwarded_total",
			Help: "Submits committed by the instance that commits to their document, on this instance's behalf."}),
		forwardFallbacks: prometheus.NewCounter(prometheus.CounterOpts{Name: "strategieraum_ws_submit_forward_fallbacks_total",
			Help: "Forwarded submits committed here after all, because the other instance did not answer in time or could not commit."}),
		accessChecks: prometheus.NewCounter(prometheus.CounterOpts{Name: "strategieraum_ws_access_checks_total",
			Help: "Open connections whose credential and rights in every open document were checked again."}),
	}
	if reg != nil {
		reg.MustRegister(m.connections, m.framesIn, m.framesOut, m.resyncs, m.revoked, m.gapsRepaired, m.brokerDropped, m.submitTime, m.sendDelay, m.forwarded, m.forwardFallbacks, m.accessChecks)
	}
	return m
}
