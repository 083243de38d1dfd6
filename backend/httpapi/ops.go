package httpapi

import (
	"context"
	_ "embed"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
)

//go:embed openapi.yaml
var openapiYAML []byte

// readyTimeout bounds each dependency check of /readyz that names no
// timeout of its own.
const readyTimeout = time.Second

func (s *Server) handleHealth(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.Version})
}

// handleReady pings every dependency in parallel and names those that fail.
func (s *Server) handleReady(c echo.Context) error {
	var mu sync.Mutex
	var failed []string
	var wg sync.WaitGroup
	for _, p := range s.deps.Ready {
		wg.Go(func() {
			timeout := p.Timeout
			if timeout <= 0 {
				timeout = readyTimeout
			}
			ctx, cancel := context.WithTimeout(c.Request().Context(), timeout)
			defer cancel()
			if err := p.Pinger.Ping(ctx); err != nil {
				if domain.ErrorCode(err) != domain.EUNAVAILABLE { // the store logs its outages itself
					s.log.Warn("readiness check failed", "request_id", requestID(c), "dependency", p.Name, "err", err)
				}
				mu.Lock()
				failed = append(failed, p.Name)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(failed) > 0 {
		slices.Sort(failed)
		return domain.Errorf(domain.EUNAVAILABLE, "Nicht erreichbar: %s.", strings.Join(failed, ", "))
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) handleOpenAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", openapiYAML)
}

// handleAPINotFound answers unknown API paths. echo routes a known path
// with an unregistered method here too, because a not-found route takes
// precedence over its 405; so look for the path under other methods first.
func (s *Server) handleAPINotFound(c echo.Context) error {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := s.echo.NewContext(nil, nil)
		s.echo.Router().Find(m, c.Request().URL.Path, probe)
		if p := probe.Path(); p != "" && p != c.Path() {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		c.Set(echo.ContextKeyHeaderAllow, strings.Join(allow, ", "))
		return echo.ErrMethodNotAllowed
	}
	return domain.Errorf(domain.ENOTFOUND, "Diese API-Adresse gibt es nicht.")
}

// handleLive hands an authenticated, same-origin websocket handshake to the
// live-editing handler, which reads the user from the request context. The
// user must get one of their connection slots first (liveSlot).
func (s *Server) handleLive(c echo.Context) error {
	u, err := user(c)
	if err != nil {
		return err
	}
	if s.deps.Live == nil {
		return domain.Errorf(domain.EUNAVAILABLE, "Die gemeinsame Bearbeitung ist derzeit nicht verfügbar.")
	}
	end, err := s.liveSlot(c.Request().Context(), u)
	if err != nil {
		return err
	}
	r := c.Request()
	s.deps.Live.ServeHTTP(c.Response(), r.WithContext(domain.WithConnectionEnd(r.Context(), end)))
	return nil
}
