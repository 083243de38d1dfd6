package httpapi

import (
	"context"
	"time"
)

// PurgeSessions deletes expired sessions every interval until ctx ends.
// Expired sessions are already refused on use; purging keeps the table
// small and drops the last trace of old logins (DSGVO data minimisation).
// The composition root runs it in its own goroutine.
func (s *Server) PurgeSessions(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := s.deps.Sessions.DeleteExpiredSessions(ctx, s.now())
		if err != nil && ctx.Err() == nil {
			s.log.Warn("purging expired sessions failed", "err", err)
		} else if n > 0 {
			s.log.Info("purged expired sessions", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
