package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/beschluss"
	"github.com/strategieraum/strategieraum/backend/domain"
)

var errNoBeschluss = domain.Errorf(domain.EUNAVAILABLE, "Beschlüsse sind derzeit nicht verfügbar.")

// beschlussFor returns the Beschluss service and the logged-in user.
func (s *Server) beschlussFor(c echo.Context) (*beschluss.Service, *domain.User, error) {
	u, err := user(c)
	if err != nil {
		return nil, nil, err
	}
	if s.deps.Beschluss == nil {
		return nil, nil, errNoBeschluss
	}
	return s.deps.Beschluss, u, nil
}

type vorlageRequest struct {
	Title            string                 `json:"title"`
	DecisionText     string                 `json:"decision_text"`
	Rule             beschluss.Rule         `json:"rule"`
	AbstentionBlocks bool                   `json:"abstention_blocks"`
	OnlyAgreeing     bool                   `json:"only_agreeing"`
	Procedure        beschluss.Procedure    `json:"procedure"`
	Deadline         *time.Time             `json:"deadline"`
	KeyYear          *int                   `json:"key_year"`
	Sections         []beschluss.SectionRef `json:"sections"`
}

type ballotRequest struct {
	Org         string         `json:"org"`
	Vote        beschluss.Vote `json:"vote"`
	Declaration string         `json:"declaration"`
}

type keyRequest struct {
	Source string           `json:"source"`
	Shares map[string]int64 `json:"shares"`
}

// handleListBeschluesse lists a strategy's Vorlagen.
func (s *Server) handleListBeschluesse() echo.HandlerFunc {
	return onItemOf(s.beschlussFor, http.StatusOK, func(ctx context.Context, svc *beschluss.Service, u *domain.User, id int64, _ noBody) ([]*beschluss.View, error) {
		list, err := svc.List(ctx, u, id)
		return nonNil(list), err
	})
}

// handleCreateBeschluss creates a Vorlage on sections of a strategy.
func (s *Server) handleCreateBeschluss() echo.HandlerFunc {
	return onItemOf(s.beschlussFor, http.StatusCreated, func(ctx context.Context, svc *beschluss.Service, u *domain.User, id int64, r vorlageRequest) (*beschluss.View, error) {
		b, err := svc.Create(ctx, u, beschluss.NewVorlage{StrategyID: id, Title: r.Title, DecisionText: r.DecisionText,
			Rule: r.Rule, AbstentionBlocks: r.AbstentionBlocks, OnlyAgreeing: r.OnlyAgreeing, Procedure: r.Procedure,
			Deadline: r.Deadline, KeyYear: r.KeyYear, Sections: r.Sections})
		if err != nil {
			return nil, err
		}
		return svc.Get(ctx, u, b.ID)
	})
}

// handleGetBeschluss returns a Vorlage with its tally as the caller may see it.
func (s *Server) handleGetBeschluss() echo.HandlerFunc {
	return onItemOf(s.beschlussFor, http.StatusOK, func(ctx context.Context, svc *beschluss.Service, u *domain.User, id int64, _ noBody) (*beschluss.View, error) {
		return svc.Get(ctx, u, id)
	})
}

// handleVote casts or changes the vote of the caller's organisation.
func (s *Server) handleVote() echo.HandlerFunc {
	return onItemOf(s.beschlussFor, http.StatusOK, func(ctx context.Context, svc *beschluss.Service, u *domain.User, id int64, r ballotRequest) (*beschluss.View, error) {
		return svc.Vote(ctx, u, id, beschluss.Ballot(r))
	})
}

// handleRecordVote enters a member's vote as recorded in a session.
func (s *Server) handleRecordVote() echo.HandlerFunc {
	return onItemOf(s.beschlussFor, http.StatusOK, func(ctx context.Context, svc *beschluss.Service, u *domain.User, id int64, r ballotRequest) (*beschluss.View, error) {
		return svc.Record(ctx, u, id, beschluss.Ballot(r))
	})
}

// handleCloseBeschluss ends a session's vote and records the outcome.
func (s *Server) handleCloseBeschluss() echo.HandlerFunc {
	return onItemOf(s.beschlussFor, http.StatusOK, func(ctx context.Context, svc *beschluss.Service, u *domain.User, id int64, _ noBody) (*beschluss.View, error) {
		return svc.Close(ctx, u, id)
	})
}

// handleSectionBeschluesse lists the adopted Beschlüsse of a section.
func (s *Server) handleSectionBeschluesse() echo.HandlerFunc {
	return onItemOf(s.beschlussFor, http.StatusOK, func(ctx context.Context, svc *beschluss.Service, u *domain.User, id int64, _ noBody) ([]beschluss.Adopted, error) {
		return svc.SectionBeschluesse(ctx, u, id)
	})
}

// handleBeschlussDocument serves the printable result document.
func (s *Server) handleBeschlussDocument(c echo.Context) error {
	svc, u, err := s.beschlussFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := svc.Get(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := beschluss.WriteHTML(&buf, v); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Security-Policy", beschluss.DocumentContentSecurityPolicy)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

// handleListKeys lists the Königsteiner tables.
func (s *Server) handleListKeys(c echo.Context) error {
	svc, u, err := s.beschlussFor(c)
	if err != nil {
		return err
	}
	keys, err := svc.Keys(c.Request().Context(), u)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(keys))
}

// handleSaveKey stores a year's Königsteiner table.
func (s *Server) handleSaveKey(c echo.Context) error {
	svc, u, err := s.beschlussFor(c)
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		return domain.Invalid("year", "Ungültiges Jahr: erwartet wird eine Jahreszahl.")
	}
	var r keyRequest
	if err := decodeJSON(c, &r); err != nil {
		return err
	}
	k := &beschluss.Key{Year: year, Source: r.Source, Shares: r.Shares}
	if err := svc.SaveKey(c.Request().Context(), u, k); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, k)
}
