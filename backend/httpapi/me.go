package httpapi

import (
	"net/http"
	"regexp"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

func (s *Server) handleMe(c echo.Context) error {
	u, err := user(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.me(u))
}

// meView is the signed-in user with what they may do anywhere.
type meView struct {
	*domain.User
	Can *domain.UserPermissions `json:"can"`
	// SecondFactorSetupRequired: the account must set up its second factor
	// before it reaches anything else.
	SecondFactorSetupRequired bool `json:"second_factor_setup_required"`
}

// me is u with its global capabilities, decided by the policy.
func (s *Server) me(u *domain.User) meView {
	return meView{User: u, Can: policy.UserCan(u, s.now()), SecondFactorSetupRequired: s.mustEnrol(u)}
}

// handleListSessions lists the caller's sessions, marking the one this
// request came with.
func (s *Server) handleListSessions(c echo.Context) error {
	u, err := user(c)
	if err != nil {
		return err
	}
	list, err := s.deps.Sessions.FindUserSessions(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	cur := currentSessionID(c)
	out := make([]*domain.Session, 0, len(list))
	for _, sess := range list {
		if sess.Expired(s.now()) {
			continue
		}
		sess.Current = cur != "" && sess.ID == cur
		out = append(out, sess)
	}
	return c.JSON(http.StatusOK, out)
}

// validPublicID matches the public ids handleLogin makes (base64url).
var validPublicID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// handleEndSession ends one of the caller's sessions by its public id.
func (s *Server) handleEndSession(c echo.Context) error {
	u, err := browserSession(c)
	if err != nil {
		return err
	}
	pid := c.Param("id")
	if !validPublicID.MatchString(pid) {
		return domain.Invalid("id", "Ungültige Sitzungskennung.")
	}
	if err := s.deps.Sessions.DeleteSessionByPublicID(c.Request().Context(), u.ID, pid); err != nil {
		return err
	}
	s.accessChanged(u.ID)
	s.audit(c, u, "logout", "session", "Sitzung beendet")
	return c.NoContent(http.StatusNoContent)
}
