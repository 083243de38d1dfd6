package realtime

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// StatusRevoked closes a connection whose session or token ended or whose
// account was disabled or deleted: log in again before reconnecting.
const StatusRevoked websocket.StatusCode = 4401

// touchEvery bounds how often live activity refreshes a session's idle
// timer, as the HTTP layer does for requests.
const touchEvery = time.Minute

// access is what a connection knows about its right to stay open: the
// credential of its handshake and the user as last loaded. A connection is
// re-checked when its user's access changes (AccessChanged, from any
// instance), when its session is due to expire, and every AccessCheck.
type access struct {
	cred    domain.Credential
	user    atomic.Pointer[domain.User]
	gen     atomic.Int64 // bumped by every check: the submit path re-checks edit rights
	until   atomic.Int64 // unix ns at which the session expires unless touched; 0: unknown
	active  atomic.Bool  // the client sent a frame other than a ping since the last touch
	revoked atomic.Bool  // no frame of the client is handled any more

	mu      sync.Mutex             // one check of this connection at a time
	mayEdit map[domain.DocKey]bool // document → edit allowed at the last check; guarded by mu
}

func (a *access) init(u *domain.User, cred domain.Credential) {
	a.user.Store(u)
	a.cred = cred
	if !cred.Until.IsZero() {
		a.until.Store(cred.Until.UnixNano())
	}
	a.mayEdit = map[domain.DocKey]bool{}
}

// user returns the connection's user as last loaded.
func (c *conn) user() *domain.User { return c.access.user.Load() }

// AccessChanged implements domain.AccessNotifier: the user's connections
// here are re-checked at once, and every other instance is told to do the
// same through the broker.
func (h *Hub) AccessChanged(userID int64) {
	go h.recheck(h.connsWhere(func(c *conn) bool { return c.userID == userID }))
	h.publish(&Message{Kind: KindAccess, Instance: h.cfg.Instance, User: userID})
}

// PublishAccessChanged tells every hub behind b that userID's access may
// have changed. It is for processes without a hub, such as the command
// line's user administration.
func PublishAccessChanged(ctx context.Context, b Broker, userID int64) error {
	return b.Publish(ctx, &Message{Kind: KindAccess, User: userID})
}

// connsWhere lists the local connections for which match holds.
func (h *Hub) connsWhere(match func(*conn) bool) []*conn {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*conn
	for c := range h.conns {
		if match(c) {
			out = append(out, c)
		}
	}
	return out
}

// sweepAccess re-checks every connection; it is the safety net for a lost
// KindAccess message and for sessions that merely time out.
func (h *Hub) sweepAccess() {
	if !h.sweeping.CompareAndSwap(false, true) {
		return
	}
	defer h.sweeping.Store(false)
	h.recheck(h.connsWhere(func(*conn) bool { return true }))
}

// checkExpiries re-checks the connections whose session is due to expire;
// live activity may have kept it alive meanwhile (see checkCredential).
func (h *Hub) checkExpiries(now time.Time) {
	due := h.connsWhere(func(c *conn) bool {
		u := c.access.until.Load()
		return u != 0 && now.UnixNano() >= u
	})
	for _, c := range due {
		c.access.until.Store(0) // set again by a successful check
	}
	if len(due) > 0 {
		go h.recheck(due)
	}
}

// recheck loads the credential and user of each connection again and
// closes or downgrades those that lost their rights. A database that does
// not answer ends the round without touching anyone: an outage is no
// reason to throw editors out, and the next round tries again.
func (h *Hub) recheck(conns []*conn) {
	r := &round{users: map[int64]*domain.User{}, tokens: map[string]error{}}
	for _, c := range conns {
		ctx, cancel := context.WithTimeout(h.ctx, 5*time.Second)
		err := h.checkConn(ctx, c, r)
		cancel()
		switch code := domain.ErrorCode(err); code {
		case "":
			h.metrics.accessChecks.Inc()
		case domain.EUNAUTHORIZED:
			c.revoke(domain.ErrorMessage(err))
		case domain.EUNAVAILABLE:
			return
		default:
			if h.ctx.Err() != nil {
				return
			}
			h.log.Warn("access check failed", "user", c.userID, "err", err)
		}
	}
}

// round caches what one re-check round has loaded: each account once, and
// each API token once (a load generator may hold thousands of connections
// on one token).
type round struct {
	users  map[int64]*domain.User
	tokens map[string]error
}

// revoked is the error of a check that found the connection's credential
// or account gone.
func revoked(msg string) error { return domain.Errorf(domain.EUNAUTHORIZED, "%s", msg) }

// checkConn checks one connection: credential, account, and the rights in
// each open document.
func (h *Hub) checkConn(ctx context.Context, c *conn, r *round) error {
	c.access.mu.Lock()
	defer c.access.mu.Unlock()
	if c.access.revoked.Load() {
		return nil
	}
	if err := h.checkCredential(ctx, c, r); err != nil {
		return err
	}
	if h.deps.Users == nil {
		return nil
	}
	u, ok := r.users[c.userID]
	if !ok {
		var err error
		u, err = h.deps.Users.FindUserByID(ctx, c.userID)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return revoked("Ihr Konto wurde gelöscht.")
		} else if err != nil {
			return err
		}
		r.users[c.userID] = u
	}
	if u.Disabled {
		return revoked("Ihr Konto ist deaktiviert. Bitte wenden Sie sich an die Administration.")
	}
	old := c.access.user.Swap(u)
	c.access.gen.Add(1)
	return h.checkDocs(ctx, c, old, u)
}

// checkCredential checks that the session or API token of the handshake
// still exists, belongs to the user and has not expired. Live editing
// counts as activity: a session whose connection sent edits is touched like
// one that made requests, so nobody is logged out for idleness while
// typing; a tab that is merely open (pings only) lets the session idle out.
func (h *Hub) checkCredential(ctx context.Context, c *conn, r *round) error {
	cred, now := c.access.cred, h.now()
	switch {
	case h.deps.Sessions == nil:
	case cred.SessionID != "":
		s, err := h.deps.Sessions.FindSession(ctx, cred.SessionID)
		if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && s.UserID != c.userID) {
			return revoked("Ihre Sitzung wurde beendet. Bitte melden Sie sich erneut an.")
		} else if err != nil {
			return err
		}
		if s.Expired(now) {
			return revoked("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.")
		}
		if now.Sub(s.LastSeenAt) >= touchEvery && c.access.active.Swap(false) {
			err := h.deps.Sessions.TouchSession(ctx, cred.SessionID, now)
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return revoked("Ihre Sitzung wurde beendet. Bitte melden Sie sich erneut an.")
			} else if err != nil {
				return err
			}
			s.LastSeenAt = now
		}
		c.access.until.Store(s.Until().UnixNano())
	case cred.TokenHash != "":
		if err, ok := r.tokens[cred.TokenHash]; ok {
			return err
		}
		t, err := h.deps.Sessions.FindAPITokenByHash(ctx, cred.TokenHash)
		if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && t.UserID != c.userID) {
			err = revoked("Das API-Token wurde widerrufen.")
		}
		r.tokens[cred.TokenHash] = err
		return err
	}
	return nil
}

// checkDocs compares the rights of u in each open document with what
// the connection had. Losing the right to read closes the connection (the
// client reconnects and is refused that document only); losing the right to
// edit sends "forbidden" for the document, which makes the editor read-only.
func (h *Hub) checkDocs(ctx context.Context, c *conn, old, u *domain.User) error {
	now := h.now()
	for _, id := range c.openDocs() {
		res, err := h.resource(ctx, id)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		rules := docRules[id.Kind]
		if err := policy.Check(u, rules[toRead], res, now); err != nil {
			c.sendError(&frameError{code: CodeForbidden, message: domain.ErrorMessage(err), doc: id})
			c.access.revoked.Store(true)
			c.closeWith(websocket.StatusPolicyViolation, "access changed")
			return nil
		}
		editErr := policy.Check(u, rules[toEdit], res, now)
		had, known := c.access.mayEdit[id]
		if !known {
			had = policy.Check(old, rules[toEdit], res, now) == nil
		}
		c.access.mayEdit[id] = editErr == nil
		if had && editErr != nil {
			c.sendError(&frameError{code: CodeForbidden, message: domain.ErrorMessage(editErr), doc: id})
		}
	}
	return nil
}

// openDocs lists the documents open on the connection.
func (c *conn) openDocs() []domain.DocKey {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]domain.DocKey, 0, len(c.subs))
	for id := range c.subs {
		ids = append(ids, id)
	}
	return ids
}

// revoke tells the client why (an "unauthorized" error for every open
// document, or one without a document) and closes with StatusRevoked. From
// here on no frame of the client is handled.
func (c *conn) revoke(msg string) {
	if c.access.revoked.Swap(true) {
		return
	}
	ids := c.openDocs()
	if len(ids) == 0 {
		c.sendError(&frameError{code: CodeUnauthorized, message: msg})
	}
	for _, id := range ids {
		c.sendError(&frameError{code: CodeUnauthorized, message: msg, doc: id})
	}
	c.hub.metrics.revoked.Inc()
	c.closeWith(StatusRevoked, "access revoked")
}

// auditMark remembers when a user's last refused live frame was audited
// and how many were refused since without an entry.
type auditMark struct {
	at      time.Time
	skipped int
}

// auditDenied records a refused live frame in the audit log like a 403 of
// the REST API, but at most one entry per user and AuditEvery: an entry
// names how many refusals it stands for, so a flood of forbidden ops cannot
// fill the log.
func (h *Hub) auditDenied(c *conn, frame string, doc domain.DocKey, err error) {
	if h.deps.Audit == nil {
		return
	}
	now := h.now()
	h.auditMu.Lock()
	m := h.audited[c.userID]
	if now.Sub(m.at) < h.cfg.AuditEvery {
		m.skipped++
		h.audited[c.userID] = m
		h.auditMu.Unlock()
		return
	}
	if len(h.audited) > 1000 {
		for id, old := range h.audited {
			if now.Sub(old.at) >= h.cfg.AuditEvery {
				delete(h.audited, id)
			}
		}
	}
	h.audited[c.userID] = auditMark{at: now}
	h.auditMu.Unlock()
	detail := "WS " + frame + ": " + domain.ErrorMessage(err)
	if m.skipped > 0 {
		detail += fmt.Sprintf(" (und %d weitere seit dem letzten Eintrag)", m.skipped)
	}
	u, id := c.user(), c.userID
	e := &domain.AuditEvent{At: now, ActorID: &id, OrgCode: u.Org.Code, Action: "denied",
		Target: doc.String(), Detail: detail}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), serviceTimeout)
		defer cancel()
		if err := h.deps.Audit.AppendAudit(ctx, e); err != nil {
			h.log.Warn("audit of a refused live frame failed", "user", id, "err", err)
		}
	}()
}

func (h *Hub) now() time.Time {
	if h.deps.Now != nil {
		return h.deps.Now()
	}
	return time.Now()
}
