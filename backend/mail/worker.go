package mail

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Deps configure a Worker. Zero durations take the defaults below.
type Deps struct {
	Outbox       domain.MailOutbox
	Users        domain.UserService
	Strategies   domain.StrategyService
	Consultation Consultation
	Sender       Sender
	// From is the sender address (for Message-IDs); BaseURL the public
	// address of the app, for links ("https://strategieraum.example").
	From    string
	BaseURL string
	// Name identifies this worker's leases (instance id plus a random part).
	Name   string
	Logger *slog.Logger
	Now    func() time.Time

	Poll        time.Duration // how often an idle worker looks for due jobs (2 s)
	Lease       time.Duration // how long a claimed job is this worker's (5 min)
	Batch       int           // jobs per claim and SMTP connection (20)
	BackoffBase time.Duration // first retry delay, doubled per attempt (30 s)
	BackoffMax  time.Duration // longest retry delay (1 h)
	MaxAttempts int           // then the job fails for good (15)
	Registerer  prometheus.Registerer
}

// Worker sends queued mails. Run one per instance; any number of
// instances may share one queue.
type Worker struct {
	d    Deps
	log  *slog.Logger
	wake chan struct{}

	sent     prometheus.Counter
	retried  prometheus.Counter
	failed   prometheus.Counter
	skipped  prometheus.Counter
	countsMu sync.Mutex
}

// NewWorker fills in defaults and registers the metrics.
func NewWorker(d Deps) *Worker {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	def := func(v *time.Duration, x time.Duration) {
		if *v <= 0 {
			*v = x
		}
	}
	def(&d.Poll, 2*time.Second)
	def(&d.Lease, 5*time.Minute)
	def(&d.BackoffBase, 30*time.Second)
	def(&d.BackoffMax, time.Hour)
	if d.Batch <= 0 {
		d.Batch = 20
	}
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = 15
	}
	if d.Name == "" {
		d.Name = "worker"
	}
	w := &Worker{d: d, log: d.Logger.With("component", "mail"), wake: make(chan struct{}, 1)}
	w.registerMetrics(d.Registerer)
	return w
}

func (w *Worker) now() time.Time { return w.d.Now().UTC() }

// Wake makes an idle worker look for jobs now (after a request queued some).
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run sends until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.d.Poll)
	defer t.Stop()
	for ctx.Err() == nil {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Warn("mail queue", "err", err)
		}
		if n > 0 && err == nil {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-w.wake:
		}
	}
}

// RunOnce claims one batch and sends it; it returns how many jobs it
// handled.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	jobs, err := w.d.Outbox.ClaimMailJobs(ctx, w.d.Name, w.now(), w.d.Lease, w.d.Batch)
	if err != nil || len(jobs) == 0 {
		return len(jobs), err
	}
	var msgs []*Message
	var sending []*domain.MailJob
	for _, j := range jobs {
		m, err := w.render(ctx, j)
		var skip errSkip
		switch {
		case errors.As(err, &skip):
			w.finish(ctx, j, domain.MailSkipped, skip.Error())
		case err != nil:
			w.retry(ctx, j, err)
		default:
			msgs = append(msgs, m)
			sending = append(sending, j)
		}
	}
	if len(msgs) > 0 {
		// Stop sending well before the lease ends, so no other worker
		// takes a job this one is still sending.
		sendCtx, cancel := context.WithTimeout(ctx, w.d.Lease/2)
		errs := w.d.Sender.Send(sendCtx, msgs)
		cancel()
		for i, j := range sending {
			switch err := errs[i]; {
			case err == nil:
				w.finish(ctx, j, domain.MailSent, "")
			case IsPermanent(err):
				w.finish(ctx, j, domain.MailFailed, err.Error())
			default:
				w.retry(ctx, j, err)
			}
		}
	}
	return len(jobs), nil
}

func (w *Worker) finish(ctx context.Context, j *domain.MailJob, state domain.MailState, why string) {
	ok, err := w.d.Outbox.FinishMailJob(context.WithoutCancel(ctx), j.ID, w.d.Name, state, why, w.now())
	if err != nil {
		w.log.Error("record mail state", "job", j.ID, "state", state, "err", err)
		return
	}
	if !ok {
		// The lease ran out and another worker took the job: a send
		// slower than the lease. Say so; the lease should be longer.
		w.log.Warn("mail lease lost", "job", j.ID)
	}
	switch state {
	case domain.MailSent:
		w.sent.Inc()
	case domain.MailFailed:
		w.failed.Inc()
		w.log.Warn("mail failed for good", "job", j.ID, "kind", j.Kind, "err", why)
	case domain.MailSkipped:
		w.skipped.Inc()
	}
}

func (w *Worker) retry(ctx context.Context, j *domain.MailJob, cause error) {
	if j.Attempts >= w.d.MaxAttempts {
		w.finish(ctx, j, domain.MailFailed, cause.Error())
		return
	}
	at := w.now().Add(w.backoff(j.Attempts))
	if err := w.d.Outbox.RetryMailJob(context.WithoutCancel(ctx), j.ID, w.d.Name, at, cause.Error()); err != nil {
		w.log.Error("reschedule mail", "job", j.ID, "err", err)
		return
	}
	w.retried.Inc()
	w.log.Info("mail will be retried", "job", j.ID, "attempt", j.Attempts, "at", at, "err", cause)
}

// backoff doubles from BackoffBase per attempt up to BackoffMax, with up
// to a quarter of jitter so that instances do not retry in step.
func (w *Worker) backoff(attempt int) time.Duration {
	d := w.d.BackoffBase
	for i := 1; i < attempt && d < w.d.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, w.d.BackoffMax)
	return d + time.Duration(rand.Int64N(int64(d)/4+1))
}

func (w *Worker) registerMetrics(reg prometheus.Registerer) {
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	}
	w.sent = counter("mail_sent_total", "Mails the SMTP server accepted from this instance.")
	w.retried = counter("mail_retries_total", "Send attempts that failed and were scheduled again.")
	w.failed = counter("mail_failed_total", "Mails given up (refused for good or too many attempts).")
	w.skipped = counter("mail_skipped_total", "Queued mails not sent (preference off, reminder obsolete, account gone).")
	if reg == nil {
		return
	}
	// One worker per registry: a second one would be a wiring mistake.
	reg.MustRegister(w.sent, w.retried, w.failed, w.skipped, &jobsCollector{w: w, desc: prometheus.NewDesc("mail_jobs",
		"Mail jobs in the queue (shared by all instances) by state.", []string{"state"}, nil)})
}

// jobsCollector counts the queue's jobs by state when /metrics is read.
type jobsCollector struct {
	w    *Worker
	desc *prometheus.Desc
}

func (c *jobsCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *jobsCollector) Collect(ch chan<- prometheus.Metric) {
	c.w.countsMu.Lock()
	defer c.w.countsMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.w.d.Outbox.CountMailJobs(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for _, s := range domain.MailStates {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(counts[s]), string(s))
	}
}
