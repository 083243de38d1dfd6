package httpapi

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/export"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// renderer returns the office format named by ?format=.
func renderer(c echo.Context) (export.Renderer, error) {
	r, ok := export.Lookup(c.QueryParam("format"))
	if !ok {
		return nil, domain.Invalid("format", "Unbekanntes Format; erwartet: "+strings.Join(export.Formats(), ", ")+".")
	}
	return r, nil
}

// sendDocument renders d and sends it as a download named base plus the
// format's extension.
func sendDocument(c echo.Context, r export.Renderer, d *export.Document, base string) error {
	var buf bytes.Buffer
	if err := r.Render(&buf, d); err != nil {
		return fmt.Errorf("render %s: %w", r.Name(), err)
	}
	return download(c, r.ContentType(), base+"."+r.Name(), buf.Bytes())
}

// handleStrategyDocument returns the strategy, one part (?part=) or one
// Schwerpunktthema (?topic=) as an office document (?format=odt, docx or
// pdf), with the sections the caller may read.
func (s *Server) handleStrategyDocument(c echo.Context) error {
	st, err := s.strategyFor(c, "id")
	if err != nil {
		return err
	}
	if err := s.check(c, policy.ReadStrategy, policy.Resource{Strategy: st}); err != nil {
		return err
	}
	r, err := renderer(c)
	if err != nil {
		return err
	}
	scope, keep, err := documentScope(c, st)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	list, err := s.structure.Sections(ctx, domain.UserFromContext(ctx), st)
	if err != nil {
		return err
	}
	var sections []*domain.Section
	for _, sum := range list {
		if !keep(sum) {
			continue
		}
		sec, err := s.deps.Strategies.FindSectionByID(ctx, sum.ID)
		if err != nil {
			return err
		}
		sections = append(sections, sec)
	}
	now := s.now()
	d := export.StrategyDocument(st, sections, scope, now)
	return sendDocument(c, r, d, fmt.Sprintf("strategie-%d-%s", st.ID, now.In(export.Berlin).Format("2006-01-02")))
}

// documentScope reads ?part= or ?topic= and returns the subtitle and the
// filter of the sections to include.
func documentScope(c echo.Context, st *domain.Strategy) (string, func(*domain.Section) bool, error) {
	part, topic := c.QueryParam("part"), c.QueryParam("topic")
	switch {
	case part != "" && topic != "":
		return "", nil, domain.Invalid("topic", "Bitte entweder einen Teil oder ein Schwerpunktthema wählen.")
	case part != "":
		p := domain.Part(part)
		if !p.Valid() {
			return "", nil, domain.Invalid("part", "Erwartet: dachstrategie, schwerpunktthemen oder umsetzungsvorhaben.")
		}
		return "Teil: " + export.PartTitles[p], func(sec *domain.Section) bool { return sec.Part == p }, nil
	case topic != "":
		for _, t := range st.Topics {
			if fmt.Sprint(t.ID) == topic {
				id := t.ID
				return "Schwerpunktthema: " + t.Title, func(sec *domain.Section) bool { return sec.TopicID != nil && *sec.TopicID == id }, nil
			}
		}
		return "", nil, domain.Invalid("topic", "Dieses Schwerpunktthema gehört nicht zu der Strategie.")
	}
	return "Gesamtfassung", func(*domain.Section) bool { return true }, nil
}

// handleReportDocument returns the consultation report with its Synopse as
// an office document (?format=odt, docx or pdf); moderation only, as the
// report itself.
func (s *Server) handleReportDocument(c echo.Context) error {
	rnd, err := renderer(c)
	if err != nil {
		return err
	}
	r, err := s.report(c)
	if err != nil {
		return err
	}
	return sendDocument(c, rnd, r.Document(), fmt.Sprintf("auswertung-strategie-%d-%s", r.Strategy.ID, r.GeneratedAt.In(export.Berlin).Format("2006-01-02")))
}
