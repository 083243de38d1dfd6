package realtime

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// One committer per busy document. When the editors of a document are spread
// over several instances, each instance's commits race the others' for the
// document's row: most writes lose once and are built again, and every op
// waits for more round trips. So an instance does not commit a submit
// itself when another instance is committing to the same document: it
// forwards the submit through the broker to that instance, which commits it
// with its own (a larger batch, one writer). The op then comes back like any
// other committed op, and the room acks it to the sender; a submit that
// produced no new op (refused, or a duplicate) is answered with a
// KindSubmitted message.
//
// Nothing here is needed for correctness, and no message is trusted to
// arrive. The committer of a document is the instance with the smallest name
// among those seen committing to it in the last HubConfig.CommitterWindow, so instances
// agree without talking about it; with none but itself an instance commits
// on its own. A forwarded submit that is not answered within
// HubConfig.ForwardTimeout, while the committer has not committed anything
// to the document in that time either (a busy committer is waited for, up
// to serviceTimeout), is committed here after all, and that instance is
// not forwarded to for this document for a while (an instance shutting down
// says so with KindLeaving, so that nobody waits for it): the op log's UNIQUE
// (document, client, seq) makes sure that an op committed by both counts once
// (the later commit finds the duplicate and acknowledges it).
//
// Redis is inside the trust boundary: the origin instance authenticated the
// user and checked the edit permission before forwarding, and the committer
// takes the submit as it comes, as it takes committed ops from the broker.

const (
	// skipFor is how long an instance that did not answer a forwarded
	// submit is left out of a document's committers.
	skipFor = 10 * time.Second
	// maxServing bounds the forwarded submits one instance commits at once;
	// more are dropped (their origins commit them after the timeout).
	maxServing = 4096
)

// ForwardedSubmit is a submit sent to another instance to commit (KindSubmit).
type ForwardedSubmit struct {
	V      int64           `json:"v"`
	Op     json.RawMessage `json:"op"`
	User   int64           `json:"user"`
	Client string          `json:"client"`
	Seq    int64           `json:"seq"`
}

// SubmitOutcome answers a ForwardedSubmit that produced no new op
// (KindSubmitted): the original op of a duplicate, or the refusal.
type SubmitOutcome struct {
	Client  string              `json:"client"`
	Seq     int64               `json:"seq"`
	Op      *domain.CommittedOp `json:"op,omitempty"` // a duplicate: the op committed before
	Code    string              `json:"code,omitempty"`
	Message string              `json:"message,omitempty"`
	Fields  map[string]string   `json:"fields,omitempty"`
}

// fwdKey names a submit: its document and (client, seq).
type fwdKey struct {
	doc    domain.DocKey
	client string
	seq    int64
}

// fwdResult is what a forwarded submit's caller is told.
type fwdResult struct {
	res *domain.SubmitResult
	err error
}

// forwarder keeps who commits to which document and the forwarded submits
// waiting for their outcome. Its lock is taken last, after any room's.
type forwarder struct {
	mu         sync.Mutex
	committers map[domain.DocKey]map[string]time.Time // document → instance → last op seen
	skip       map[domain.DocKey]map[string]time.Time // document → instance → left out until
	waiting    map[fwdKey][]chan fwdResult            // one submit may be waited for twice: resent after a reconnect while the first still waits
	nwaiting   atomic.Int64
	serving    atomic.Int64
	window     time.Duration // how long an instance counts as committing after its last op
}

func newForwarder(window time.Duration) *forwarder {
	return &forwarder{committers: map[domain.DocKey]map[string]time.Time{}, skip: map[domain.DocKey]map[string]time.Time{},
		waiting: map[fwdKey][]chan fwdResult{}, window: window}
}

// seen records that instance committed an op to document.
func (f *forwarder) seen(doc domain.DocKey, instance string, now time.Time) {
	if instance == "" {
		return
	}
	f.stamp(f.committers, doc, instance, now)
}

// stamp sets all[document][instance] to t.
func (f *forwarder) stamp(all map[domain.DocKey]map[string]time.Time, doc domain.DocKey, instance string, t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := all[doc]
	if m == nil {
		m = map[string]time.Time{}
		all[doc] = m
	}
	m[instance] = t
}

// committer returns the instance that should commit to document, or "" if
// that is self.
func (f *forwarder) committer(doc domain.DocKey, self string, now time.Time) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	best := ""
	for in, at := range f.committers[doc] {
		if now.Sub(at) > f.window || now.Before(f.skip[doc][in]) {
			continue
		}
		if best == "" || in < best {
			best = in
		}
	}
	if best == self {
		return ""
	}
	return best
}

// committedSince reports whether instance was seen committing an op to
// document after t.
func (f *forwarder) committedSince(doc domain.DocKey, instance string, t time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.committers[doc][instance].After(t)
}

// gone forgets that instance commits to document (it is shutting down).
func (f *forwarder) gone(doc domain.DocKey, instance string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.committers[doc], instance)
}

// leaveOut stops forwarding document's submits to instance for skipFor.
func (f *forwarder) leaveOut(doc domain.DocKey, instance string, now time.Time) {
	f.stamp(f.skip, doc, instance, now.Add(skipFor))
}

// sweep forgets committers and left-out instances that no longer count.
func (f *forwarder) sweep(now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, all := range []map[domain.DocKey]map[string]time.Time{f.committers, f.skip} {
		for doc, m := range all {
			for in, at := range m {
				if now.Sub(at) > skipFor {
					delete(m, in)
				}
			}
			if len(m) == 0 {
				delete(all, doc)
			}
		}
	}
}

// expect registers a forwarded submit's caller; cancel with forget.
func (f *forwarder) expect(k fwdKey) chan fwdResult {
	ch := make(chan fwdResult, 1)
	f.mu.Lock()
	f.waiting[k] = append(f.waiting[k], ch)
	f.mu.Unlock()
	f.nwaiting.Add(1)
	return ch
}

// forget removes the caller waiting on ch, and only it: another caller may
// wait for the same submit.
func (f *forwarder) forget(k fwdKey, ch chan fwdResult) {
	f.mu.Lock()
	chs := slices.DeleteFunc(f.waiting[k], func(c chan fwdResult) bool { return c == ch })
	if len(chs) == 0 {
		delete(f.waiting, k)
	} else {
		f.waiting[k] = chs
	}
	f.mu.Unlock()
	f.nwaiting.Add(-1)
}

// resolve tells every caller waiting for k its outcome; later outcomes are
// dropped.
func (f *forwarder) resolve(k fwdKey, r fwdResult) {
	if f.nwaiting.Load() == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ch := range f.waiting[k] {
		select {
		case ch <- r:
		default:
		}
	}
}

// delivered resolves the forwarded submit that op committed, if any.
func (f *forwarder) delivered(op *domain.CommittedOp) {
	f.resolve(fwdKey{op.Doc, op.ClientID, op.Seq}, fwdResult{res: &domain.SubmitResult{Op: op}})
}

// submitOp commits req: here, or at the document's committer.
func (h *Hub) submitOp(ctx context.Context, req domain.SubmitRequest) (*domain.SubmitResult, error) {
	if h.cfg.ForwardTimeout > 0 {
		if to := h.fwd.committer(req.Doc, h.cfg.Instance, time.Now()); to != "" {
			if res, err, ok := h.forward(ctx, to, req); ok {
				return res, err
			}
		}
	}
	return h.deps.OpLog.Submit(ctx, req)
}

// forward sends req to instance to and waits for the outcome. ok is false
// when the submit must be committed here: no answer in time, or the other
// instance could not commit it.
func (h *Hub) forward(ctx context.Context, to string, req domain.SubmitRequest) (res *domain.SubmitResult, err error, ok bool) {
	k := fwdKey{req.Doc, req.ClientID, req.Seq}
	ch := h.fwd.expect(k)
	defer h.fwd.forget(k, ch)
	h.publish(&Message{Kind: KindSubmit, Doc: req.Doc, Instance: h.cfg.Instance, To: to,
		Submit: &ForwardedSubmit{V: req.BaseVersion, Op: req.Op, User: req.UserID, Client: req.ClientID, Seq: req.Seq}})
	sent := time.Now()
	t := time.NewTimer(h.cfg.ForwardTimeout)
	defer t.Stop()
	for {
		select {
		case r := <-ch:
			if code := domain.ErrorCode(r.err); code == domain.EUNAVAILABLE || code == domain.EINTERNAL {
				h.fwd.leaveOut(req.Doc, to, time.Now())
				h.metrics.forwardFallbacks.Inc()
				return nil, nil, false
			}
			h.metrics.forwarded.Inc()
			return r.res, r.err, true
		case now := <-t.C:
			// A committer that committed to the document within the last
			// timeout is alive and busy: the submit waits in its queue,
			// and committing it here as well would only make two
			// instances race for the document when the machine is
			// already saturated.
			if now.Sub(sent) < serviceTimeout && h.fwd.committedSince(req.Doc, to, now.Add(-h.cfg.ForwardTimeout)) {
				t.Reset(h.cfg.ForwardTimeout)
				continue
			}
			h.fwd.leaveOut(req.Doc, to, now)
			h.metrics.forwardFallbacks.Inc()
			h.log.Debug("forwarded submit unanswered; committing here", "doc", req.Doc, "to", to)
			return nil, nil, false
		case <-ctx.Done():
			return nil, ctx.Err(), true
		}
	}
}

// serveForwarded commits a submit another instance forwarded here and
// answers if it produced no new op. It never blocks the broker.
func (h *Hub) serveForwarded(m *Message) {
	if h.fwd.serving.Load() >= maxServing {
		return
	}
	h.fwd.serving.Add(1)
	go func() {
		defer h.fwd.serving.Add(-1)
		s := m.Submit
		ctx, cancel := context.WithTimeout(h.ctx, serviceTimeout)
		defer cancel()
		res, err := h.deps.OpLog.Submit(ctx, domain.SubmitRequest{Doc: m.Doc, BaseVersion: s.V, Op: s.Op,
			UserID: s.User, ClientID: s.Client, Seq: s.Seq})
		if err == nil && !res.Duplicate {
			return // the op itself travels to the origin
		}
		out := &SubmitOutcome{Client: s.Client, Seq: s.Seq}
		if err != nil {
			// EINTERNAL and EUNAVAILABLE make the origin commit it itself.
			out.Code, out.Message, out.Fields = domain.ErrorCode(err), domain.ErrorMessage(err), domain.ErrorFields(err)
		} else {
			out.Op = res.Op
		}
		h.publish(&Message{Kind: KindSubmitted, Doc: m.Doc, Instance: h.cfg.Instance, To: m.Instance, Outcome: out})
	}()
}

// submitted hands a KindSubmitted answer to the waiting caller.
func (h *Hub) submitted(m *Message) {
	o := m.Outcome
	r := fwdResult{}
	switch {
	case o.Code != "":
		r.err = &domain.Error{Code: o.Code, Message: o.Message, Fields: o.Fields}
	case o.Op != nil && o.Op.Doc == m.Doc && o.Op.ClientID == o.Client && o.Op.Seq == o.Seq:
		r.res = &domain.SubmitResult{Op: o.Op, Duplicate: true}
	default:
		return
	}
	h.fwd.resolve(fwdKey{m.Doc, o.Client, o.Seq}, r)
}
