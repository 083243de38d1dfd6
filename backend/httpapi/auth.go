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

// ctxSessionID holds the current session's token hash, if any;
// ctxSessionUntil when it times out unless used again.
const (
	ctxSessionID    = "session_id"
	ctxSessionUntil = "session_until"
)

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) string {
	h := r.Header.Get(echo.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

var errBadToken = domain.Errorf(domain.EUNAUTHORIZED, "Das API-Token ist ungültig, abgelaufen oder wurde widerrufen.")

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
		var cred domain.Credential
		if tok := bearerToken(r); tok != "" {
			if u, err = s.userByToken(r.Context(), tok); err != nil {
				return err
			}
			cred.TokenHash = auth.HashSecret(tok)
		} else if u, err = s.userBySession(c); err != nil {
			return err
		} else {
			cred.SessionID = currentSessionID(c)
			cred.Until, _ = c.Get(ctxSessionUntil).(time.Time)
		}
		if u != nil {
			// The live channel keeps the credential to re-check it while
			// the connection stays open (realtime's access checks).
			ctx := domain.WithCredential(domain.WithUser(r.Context(), u), cred)
			c.SetRequest(r.WithContext(ctx))
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
	if t.Expired(s.now()) {
		return nil, errBadToken
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
		sess.LastSeenAt = now
	}
	c.Set(ctxSessionID, id)
	c.Set(ctxSessionUntil, sess.Until())
	return u, nil
}

func currentSessionID(c echo.Context) string {
	id, _ := c.Get(ctxSessionID).(string)
	return id
}

// browserSession returns the user of a browser session, refusing API
// tokens: what could make a stolen token outlive its revocation (a new
// token) or lock its owner out (ending their sessions) needs the person.
func browserSession(c echo.Context) (*domain.User, error) {
	u, err := user(c)
	if err != nil {
		return nil, err
	}
	if currentSessionID(c) == "" {
		return nil, domain.Errorf(domain.EFORBIDDEN, "Das geht nur angemeldet im Browser, nicht mit einem API-Token.")
	}
	return u, nil
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
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "Bitte melden Sie sich an.").WithReason(domain.ReasonLoginRequired)
	}
	return u, nil
}

// audit appends an event; a failing audit log is logged, not shown.
func (s *Server) audit(c echo.Context, actor *domain.User, action, target, detail string) {
	domain.RecordAudit(c.Request().Context(), s.deps.Audit, s.log.With("request_id", requestID(c)), s.now(), actor, action, target, detail)
}
