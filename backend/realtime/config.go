package realtime

import "time"

// HubConfig holds the tunables of a Hub. Zero values take the defaults noted.
type HubConfig struct {
	Instance       string        // unique name of this instance in presence; random by default
	OriginPatterns []string      // extra allowed Origin host patterns for the handshake
	MaxFrameBytes  int64         // larger client frames close the connection with 1009; 1 MiB
	SendQueue      int           // frames queued per connection before it must resync; 512
	RateLimit      float64       // client frames per second per connection; 100
	RateBurst      int           // burst above RateLimit; 200
	PingInterval   time.Duration // keepalive ping period; 25 s
	PongTimeout    time.Duration // a ping unanswered this long drops the peer; 10 s
	WriteTimeout   time.Duration // a frame not written within this drops the peer; 10 s
	GapWait        time.Duration // how long an out-of-order op waits before the log is read; 150 ms
	IdleCheck      time.Duration // a quiet document is compared with the log this often; 2 s
	PresenceTTL    time.Duration // presence of a dead instance disappears after this; 7 s
	PresenceBeat   time.Duration // presence is rewritten and re-read this often; 2 s
	PermissionTTL  time.Duration // edit permission is re-checked after this; 2 s
	BatchWindow    time.Duration // longest pause between two fan-out flushes of a busy document; 25 ms
	ForwardTimeout time.Duration // a submit forwarded to a document's committer not answered within this is committed here; 1 s (negative: never forward)
	// CommitterWindow is how long an instance counts as committing to a
	// document after its last op there; 2 s. Tests of forwarding lengthen it
	// so that a slow machine does not end the committer's term mid-test.
	CommitterWindow time.Duration
	AccessCheck     time.Duration // every connection's session or token and rights are re-checked this often; 30 s
	AuditEvery      time.Duration // at most one audit entry per user for refused live frames in this time; 1 min
}

func (c *HubConfig) defaults() {
	if c.Instance == "" {
		c.Instance = randomID(6)
	}
	setDefault(&c.MaxFrameBytes, 1<<20)
	setDefault(&c.SendQueue, 512)
	setDefault(&c.RateLimit, 100)
	setDefault(&c.RateBurst, 200)
	setDefault(&c.PingInterval, 25*time.Second)
	setDefault(&c.PongTimeout, 10*time.Second)
	setDefault(&c.WriteTimeout, 10*time.Second)
	setDefault(&c.GapWait, 150*time.Millisecond)
	setDefault(&c.IdleCheck, 2*time.Second)
	setDefault(&c.PresenceTTL, 7*time.Second)
	setDefault(&c.PresenceBeat, 2*time.Second)
	setDefault(&c.PermissionTTL, 2*time.Second)
	setDefault(&c.BatchWindow, 25*time.Millisecond)
	setDefault(&c.ForwardTimeout, time.Second)
	setDefault(&c.CommitterWindow, 2*time.Second)
	setDefault(&c.AccessCheck, 30*time.Second)
	setDefault(&c.AuditEvery, time.Minute)
}

func setDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}
