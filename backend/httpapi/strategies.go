package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// check asks the policy whether the caller may do a on r.
func (s *Server) check(c echo.Context, a policy.Action, r policy.Resource) error {
	return policy.Check(domain.UserFromContext(c.Request().Context()), a, r, s.now())
}

// strategyFor loads the strategy named by the path parameter, with its
// topics and phases, after making sure someone is logged in: anonymous
// callers learn nothing about which ids exist.
func (s *Server) strategyFor(c echo.Context, param string) (*domain.Strategy, error) {
	if _, err := user(c); err != nil {
		return nil, err
	}
	id, err := pathID(c, param)
	if err != nil {
		return nil, err
	}
	return s.deps.Strategies.FindStrategyByID(c.Request().Context(), id)
}

// sectionFor loads the section named by the path and its strategy, and
// checks that the caller may do a on it.
func (s *Server) sectionFor(c echo.Context, a policy.Action) (*domain.Section, *domain.Strategy, error) {
	if _, err := user(c); err != nil {
		return nil, nil, err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	sec, err := s.deps.Strategies.FindSectionByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.deps.Strategies.FindStrategyByID(ctx, sec.StrategyID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.check(c, a, policy.Resource{Strategy: st, Section: sec}); err != nil {
		return nil, nil, err
	}
	return sec, st, nil
}

func (s *Server) handleListOrganisations(c echo.Context) error {
	if _, err := user(c); err != nil {
		return err
	}
	list, err := s.deps.Strategies.FindOrganisations(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(list))
}

func (s *Server) handleListStrategies(c echo.Context) error {
	if _, err := user(c); err != nil {
		return err
	}
	list, err := s.deps.Strategies.FindStrategies(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]*domain.Strategy, 0, len(list))
	for _, st := range list {
		if s.check(c, policy.ReadStrategy, policy.Resource{Strategy: st}) == nil {
			out = append(out, st)
		}
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) handleGetStrategy(c echo.Context) error {
	st, err := s.strategyFor(c, "id")
	if err != nil {
		return err
	}
	if err := s.check(c, policy.ReadStrategy, policy.Resource{Strategy: st}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// sectionSummary is a section without its text, for the table of contents.
type sectionSummary struct {
	ID        int64                `json:"id"`
	Title     string               `json:"title"`
	TopicID   *int64               `json:"topic_id"`
	Part      domain.Part          `json:"part"`
	Position  int                  `json:"position"`
	Status    domain.SectionStatus `json:"status"`
	Version   int64                `json:"version"`
	UpdatedAt string               `json:"updated_at"`
	// Can says what the asking user may do with the section.
	Can *domain.SectionPermissions `json:"can,omitempty"`
}

// handleListSections lists the sections the caller may read, in order.
func (s *Server) handleListSections(c echo.Context) error {
	st, err := s.strategyFor(c, "id")
	if err != nil {
		return err
	}
	if err := s.check(c, policy.ReadStrategy, policy.Resource{Strategy: st}); err != nil {
		return err
	}
	list, err := s.deps.Strategies.FindSections(c.Request().Context(), st.ID)
	if err != nil {
		return err
	}
	out := make([]sectionSummary, 0, len(list))
	for _, sec := range list {
		if s.check(c, policy.ReadSection, policy.Resource{Strategy: st, Section: sec}) != nil {
			continue
		}
		out = append(out, sectionSummary{
			ID: sec.ID, Title: sec.Title, TopicID: sec.TopicID, Part: sec.Part, Position: sec.Position,
			Status: sec.Status, Version: sec.Version, UpdatedAt: sec.UpdatedAt.UTC().Format(timeFormat),
			Can: policy.SectionCan(domain.UserFromContext(c.Request().Context()), st, sec, s.now()),
		})
	}
	return c.JSON(http.StatusOK, out)
}

// timeFormat is RFC 3339 with seconds, always in UTC.
const timeFormat = "2006-01-02T15:04:05Z07:00"

func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
