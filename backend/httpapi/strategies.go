package httpapi

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
	"github.com/strategieraum/strategieraum/backend/structure"
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

// sectionFor loads the section named by the path (without its text) and
// its strategy, and checks that the caller may do a on it.
func (s *Server) sectionFor(c echo.Context, a policy.Action) (*domain.Section, *domain.Strategy, error) {
	if _, err := user(c); err != nil {
		return nil, nil, err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	sec, err := s.deps.Strategies.FindSectionMeta(ctx, id)
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

// withText returns sec with its current text and version.
func (s *Server) withText(ctx context.Context, sec *domain.Section) (*domain.Section, error) {
	if s.deps.Texts == nil {
		return s.deps.Strategies.FindSectionByID(ctx, sec.ID)
	}
	text, v, err := s.deps.Texts.Snapshot(ctx, domain.SectionDoc(sec.ID))
	if err != nil {
		return nil, err
	}
	out := *sec
	out.Text, out.Version = text, v
	return &out, nil
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

// handleListSections lists the sections the caller may read, in order;
// archived sections have left the table of contents.
func (s *Server) handleListSections(c echo.Context) error {
	st, err := s.strategyFor(c, "id")
	if err != nil {
		return err
	}
	if err := s.check(c, policy.ReadStrategy, policy.Resource{Strategy: st}); err != nil {
		return err
	}
	u := domain.UserFromContext(c.Request().Context())
	list, err := s.structure.Sections(c.Request().Context(), u, st)
	if err != nil {
		return err
	}
	out := make([]sectionSummary, 0, len(list))
	for _, sec := range list {
		out = append(out, sectionSummary{
			ID: sec.ID, Title: sec.Title, TopicID: sec.TopicID, Part: sec.Part, Position: sec.Position,
			Status: sec.Status, Version: sec.Version, UpdatedAt: sec.UpdatedAt.UTC().Format(timeFormat),
			Can: policy.SectionCan(u, st, sec, s.now()),
		})
	}
	return c.JSON(http.StatusOK, out)
}

// strategyRequest is the body of POST and PATCH /api/strategies; absent
// fields keep their value (or the default when creating).
type strategyRequest struct {
	Title                  *string `json:"title"`
	Description            *string `json:"description"`
	StatementsPublic       *bool   `json:"statements_public"`
	EditDuringConsultation *bool   `json:"edit_during_consultation"`
}

func (s *Server) handleCreateStrategy(c echo.Context) error {
	u, err := user(c)
	if err != nil {
		return err
	}
	var req strategyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	st, err := s.structure.CreateStrategy(c.Request().Context(), u, structure.NewStrategy{
		Title: deref(req.Title), Description: deref(req.Description),
		StatementsPublic: deref(req.StatementsPublic), EditDuringConsultation: deref(req.EditDuringConsultation)})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, st)
}

func (s *Server) handleUpdateStrategy(c echo.Context) error {
	u, id, err := actorAnd(c, "id")
	if err != nil {
		return err
	}
	var req strategyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	st, err := s.structure.UpdateStrategy(c.Request().Context(), u, id, structure.StrategyChanges{
		Title: req.Title, Description: req.Description,
		StatementsPublic: req.StatementsPublic, EditDuringConsultation: req.EditDuringConsultation})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// actorAnd returns the signed-in account and the id in path parameter
// param: anonymous callers are refused before the id is looked at, and a
// service never sees a nil account from the web.
func actorAnd(c echo.Context, param string) (*domain.User, int64, error) {
	u, err := user(c)
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(c, param)
	if err != nil {
		return nil, 0, err
	}
	return u, id, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// timeFormat is RFC 3339 with seconds, always in UTC.
const timeFormat = "2006-01-02T15:04:05Z07:00"

func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
