package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/export"
)

// abwaegung builds the Abwägungstabelle named by the path, filtered by
// ?section=, ?org= and ?category=.
func (s *Server) abwaegung(c echo.Context) (*consult.Abwaegung, error) {
	svc, u, id, err := s.consultOn(c)
	if err != nil {
		return nil, err
	}
	f := consult.AbwaegungFilter{OrgCode: c.QueryParam("org"), Category: c.QueryParam("category")}
	if v := c.QueryParam("section"); v != "" {
		if f.SectionID, err = strconv.ParseInt(v, 10, 64); err != nil || f.SectionID <= 0 {
			return nil, domain.Invalid("section", "Erwartet: die Kennung eines Abschnitts.")
		}
	}
	return svc.BuildAbwaegung(c.Request().Context(), u, id, f)
}

// handleAbwaegung returns the Abwägungstabelle as JSON.
func (s *Server) handleAbwaegung(c echo.Context) error {
	a, err := s.abwaegung(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

func abwaegungFile(a *consult.Abwaegung) string {
	return fmt.Sprintf("abwaegung-strategie-%d-%s", a.Strategy.ID, a.GeneratedAt.In(export.Berlin).Format("2006-01-02"))
}

// handleAbwaegungXLSX returns the Abwägungstabelle as an Excel workbook.
func (s *Server) handleAbwaegungXLSX(c echo.Context) error {
	a, err := s.abwaegung(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := a.WriteXLSX(&buf); err != nil {
		return err
	}
	return download(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", abwaegungFile(a)+".xlsx", buf.Bytes())
}

// handleAbwaegungDocument returns the Abwägungstabelle as an office
// document (?format=odt, docx or pdf).
func (s *Server) handleAbwaegungDocument(c echo.Context) error {
	rnd, err := renderer(c)
	if err != nil {
		return err
	}
	a, err := s.abwaegung(c)
	if err != nil {
		return err
	}
	return sendDocument(c, rnd, a.Document(), abwaegungFile(a))
}

// roundRequest names the round a write is about; 0 is the newest.
type roundRequest struct {
	Phase int64 `json:"phase"`
}

func withRound(ctx context.Context, phase int64) context.Context {
	if phase > 0 {
		return consult.WithRound(ctx, phase)
	}
	return ctx
}

// handlePublishAbwaegung publishes a round's Abwägung.
func (s *Server) handlePublishAbwaegung() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r roundRequest) (*domain.Publication, error) {
		return svc.Publish(withRound(ctx, r.Phase), u, id)
	})
}

type pointRequest struct {
	consult.PointInput
	Phase int64 `json:"phase"`
}

// handleAddPoint defines a point of a submitted statement.
func (s *Server) handleAddPoint() echo.HandlerFunc {
	return onItem(s, http.StatusCreated, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r pointRequest) (*domain.StatementPoint, error) {
		return svc.AddPoint(withRound(ctx, r.Phase), u, id, r.PointInput)
	})
}

// handleDeletePoint removes a statement point before publication.
func (s *Server) handleDeletePoint() echo.HandlerFunc {
	return func(c echo.Context) error {
		point, err := pathID(c, "point")
		if err != nil {
			return err
		}
		svc, u, id, err := s.consultOn(c)
		if err != nil {
			return err
		}
		if err := svc.DeletePoint(c.Request().Context(), u, id, point); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// handleAssessPoint records the assessment of a statement point.
func (s *Server) handleAssessPoint() echo.HandlerFunc {
	return func(c echo.Context) error {
		point, err := pathID(c, "point")
		if err != nil {
			return err
		}
		return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r consult.AssessmentInput) (*domain.Assessment, error) {
			return svc.AssessPoint(ctx, u, id, point, r)
		})(c)
	}
}

// handleAssessThread records the assessment of a thread.
func (s *Server) handleAssessThread() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r consult.AssessmentInput) (*domain.Assessment, error) {
		return svc.AssessThread(ctx, u, id, r)
	})
}

// handleCosign joins (or, with DELETE, leaves) a thread for one's organisation.
func (s *Server) handleCosign(join bool) echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, _ noBody) (*domain.Thread, error) {
		if join {
			return svc.Cosign(ctx, u, id)
		}
		return svc.Withdraw(ctx, u, id)
	})
}

// handleAbwaegungLabels returns the labels of the assessment categories.
func (s *Server) handleAbwaegungLabels() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, _ noBody) (consult.CategoryLabels, error) {
		return svc.CategoryLabels(ctx, u, id)
	})
}

// handleSaveAbwaegungLabels sets the labels of the assessment categories.
func (s *Server) handleSaveAbwaegungLabels() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r map[string]string) (consult.CategoryLabels, error) {
		return svc.SaveCategoryLabels(ctx, u, id, r)
	})
}
