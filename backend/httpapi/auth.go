package httpapi

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
)

// touchInterval bounds how often a session's or token's last use is
// written: often enough for the 30-minute idle timeout, rarely enough not to
// write on every request.
const touchInterval = time.Minute

// tokenPrefix marks personal API tokens so that they are recognisable in
// secret scanners and never confused with session cookies.
const tokenPrefix = "srt_"

// ctxSessionID holds the current session's token hash, if any.
const ctxSessionID = "session_id"

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) string {
	h := r.Header.Get(echo.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

var errBadToken = domain.Errorf(domain.EUNAUTHORIZED, "Das API-Token ist ungültig oder wurde widerrufen.")

// authenticate finds the user of a bearer token or session cookie and puts
// it into the request context. It never rejects a request for lacking
// credentials (policy does that), only for presenting a bad bearer token,
// which a script should learn about instead of being treated as anonymous.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			// Static files and probes need no user; sparing them the
			// lookups keeps them fast and working while the database is down.
			return next(c)
		}
		var u *domain.User
		var err error
		if tok := bearerToken(r); tok != "" {
			if u, err = s.userByToken(r.Context(), tok); err != nil {
				return err
			}
		} else if u, err = s.userBySession(c); err != nil {
			return err
		}
		if u != nil {
			c.SetRequest(r.WithContext(domain.WithUser(r.Context(), u)))
		}
		return next(c)
	}
}

func (s *Server) userByToken(ctx context.Context, tok string) (*domain.User, error) {
	if !strings.HasPrefix(tok, tokenPrefix) || len(tok) > 128 {
		return nil, errBadToken
	}
	t, err := s.deps.Sessions.FindAPITokenByHash(ctx, auth.HashSecret(tok))
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, errBadToken
	} else if err != nil {
		return nil, err
	}
	u, err := s.deps.Users.FindUserByID(ctx, t.UserID)
	if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && u.Disabled) {
		return nil, errBadToken
	} else if err != nil {
		return nil, err
	}
	now := s.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchInterval {
		if err := s.deps.Sessions.TouchAPIToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// userBySession returns the user of a valid session cookie, or nil. Expired
// sessions and sessions of disabled users are deleted and their cookie
// cleared.
func (s *Server) userBySession(c echo.Context) (*domain.User, error) {
	ck, err := c.Cookie(s.cookie)
	if err != nil || ck.Value == "" || len(ck.Value) > 128 {
		return nil, nil
	}
	ctx := c.Request().Context()
	id := auth.HashSecret(ck.Value)
	sess, err := s.deps.Sessions.FindSession(ctx, id)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		s.clearCookie(c)
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	now := s.now()
	if sess.Expired(now) {
		s.clearCookie(c)
		return nil, s.deps.Sessions.DeleteSession(ctx, id)
	}
	u, err := s.deps.Users.FindUserByID(ctx, sess.UserID)
	if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && u.Disabled) {
		s.clearCookie(c)
		return nil, s.deps.Sessions.DeleteSession(ctx, id)
	} else if err != nil {
		return nil, err
	}
	if now.Sub(sess.LastSeenAt) >= touchInterval {
		err := s.deps.Sessions.TouchSession(ctx, id, now)
		if domain.ErrorCode(err) == domain.ENOTFOUND { // ended meanwhile
			s.clearCookie(c)
			return nil, nil
		} else if err != nil {
			return nil, err
		}
	}
	c.Set(ctxSessionID, id)
	return u, nil
}

func currentSessionID(c echo.Context) string {
	id, _ := c.Get(ctxSessionID).(string)
	return id
}

// setCookie hands the browser a new session token. The cookie has no
// Expires: the server enforces both timeouts, and a browser-session cookie
// disappears when the browser closes.
func (s *Server) setCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{
		Name: s.cookie, Value: token, Path: "/",
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: s.cookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode,
	})
}

// user returns the authenticated user or an EUNAUTHORIZED error, for
// routes that concern the caller's own account rather than a resource.
func user(c echo.Context) (*domain.User, error) {
	u := domain.UserFromContext(c.Request().Context())
	if u == nil {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "Bitte melden Sie sich an.")
	}
	return u, nil
}

// audit appends an event; a failing audit log is logged, not shown.
func (s *Server) audit(c echo.Context, actor *domain.User, action, target, detail string) {
	e := &domain.AuditEvent{At: s.now(), Action: action, Target: target, Detail: detail}
	if actor != nil {
		id := actor.ID
		e.ActorID, e.OrgCode = &id, actor.Org.Code
	}
	if s.deps.Audit == nil {
		return
	}
	if err := s.deps.Audit.AppendAudit(c.Request().Context(), e); err != nil {
		s.log.Error("audit append failed", "request_id", requestID(c), "action", action, "err", err)
	}
}
