package consult

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// A line of a frozen version is a paragraph (an Absatz): a run of non-blank
// lines, ended by a blank line or the end of the text, numbered from 1 in
// each section. Paragraph numbers do not depend on screen width or font,
// so "Z. 12" means the same on paper, in the browser and in every export.

// Paragraphs returns the code point range [start, end) of each paragraph
// of text, in order.
func Paragraphs(text string) [][2]int {
	var out [][2]int
	pos := 0
	start, end := -1, -1
	for _, line := range strings.SplitAfter(text, "\n") {
		n := len([]rune(line))
		body := strings.TrimRight(line, "\n")
		if strings.TrimFunc(body, unicode.IsSpace) == "" {
			if start >= 0 {
				out = append(out, [2]int{start, end})
				start = -1
			}
		} else {
			if start < 0 {
				start = pos
			}
			end = pos + len([]rune(body))
		}
		pos += n
	}
	if start >= 0 {
		out = append(out, [2]int{start, end})
	}
	return out
}

// LineLabel is how a contribution cites lines: "Z. 12" or "Z. 12–14".
func LineLabel(from, to *int) string {
	if from == nil || to == nil {
		return ""
	}
	if *from == *to {
		return fmt.Sprintf("Z. %d", *from)
	}
	return fmt.Sprintf("Z. %d–%d", *from, *to)
}

// roundVersion is the Beteiligungsfassung of a section in round phaseID,
// or nil if the round froze none.
func (s *Service) roundVersion(ctx context.Context, sectionID, phaseID int64) (*domain.NamedVersion, error) {
	vs, err := s.d.Store.FindNamedVersions(ctx, sectionID)
	if err != nil {
		return nil, err
	}
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].PhaseID != nil && *vs[i].PhaseID == phaseID {
			return vs[i], nil
		}
	}
	return nil, nil
}

// lines finds the paragraphs of the round's Beteiligungsfassung that the
// passage a (at the newest version) lies in: each paragraph's range is
// moved through the op log to the newest version, exactly as anchors are,
// so the numbers hold however far the live text has moved on. A passage
// wholly in text written after the freeze cites the paragraph before it.
func (s *Service) lines(ctx context.Context, sectionID, phaseID int64, a domain.Anchor) (from, to *int, err error) {
	nv, err := s.roundVersion(ctx, sectionID, phaseID)
	if err != nil || nv == nil {
		return nil, nil, err
	}
	paras := Paragraphs(nv.Text)
	anchors := make([]*domain.Anchor, len(paras))
	for i, p := range paras {
		anchors[i] = &domain.Anchor{Start: p[0], End: p[1], Version: nv.Version}
	}
	if err := s.advance(ctx, sectionID, anchors); err != nil {
		return nil, nil, err
	}
	first, last, before := 0, 0, 0
	for i, p := range anchors {
		n := i + 1
		if p.Removed {
			continue
		}
		if p.Start < a.End && a.Start < p.End {
			if first == 0 {
				first = n
			}
			last = n
		}
		if p.Start <= a.Start {
			before = n
		}
	}
	if first == 0 {
		if before == 0 {
			return nil, nil, nil
		}
		first, last = before, before
	}
	return &first, &last, nil
}

// FreezeRound stores the text of every section in round p's scope as its
// Beteiligungsfassung, named after the day the round opens. The phase
// handler calls it when a beteiligung begins; a failure leaves the round
// without line numbers and is returned for the log.
func (s *Service) FreezeRound(ctx context.Context, u *domain.User, st *domain.Strategy, p *domain.Phase) error {
	if p.Kind != domain.PhaseBeteiligung {
		return nil
	}
	sections, err := s.d.Strategies.FindSections(ctx, st.ID)
	if err != nil {
		return err
	}
	day := p.StartedAt
	if p.OpensAt != nil {
		day = *p.OpensAt
	}
	name := "Beteiligungsfassung " + day.In(berlinLoc).Format("02.01.2006")
	for _, sec := range sections {
		if !p.InScope(sec.ID) {
			continue
		}
		if _, err := s.freeze(ctx, u, sec.ID, &p.ID, name); err != nil {
			return err
		}
	}
	return nil
}

// freeze stores a section's current text as a named version.
func (s *Service) freeze(ctx context.Context, u *domain.User, sectionID int64, phaseID *int64, name string) (*domain.NamedVersion, error) {
	text, version, err := s.d.OpLog.Snapshot(ctx, domain.SectionDoc(sectionID))
	if err != nil {
		return nil, err
	}
	nv := &domain.NamedVersion{SectionID: sectionID, PhaseID: phaseID, Version: version, Text: text, Name: name}
	if u != nil {
		id := u.ID
		nv.CreatedBy = &id
	}
	if err := s.d.Store.CreateNamedVersion(ctx, nv); err != nil {
		return nil, err
	}
	s.audit(ctx, u, "version_frozen", fmt.Sprintf("section:%d", sectionID), fmt.Sprintf("version:%d name:%s", version, name))
	return nv, nil
}

// FreezeVersion stores a section's current text as a named version, such
// as a Beschlussfassung. Moderators and admins only. Errors: ENOTFOUND,
// EFORBIDDEN, EINVALID (empty or too long name).
func (s *Service) FreezeVersion(ctx context.Context, u *domain.User, sectionID int64, name string) (*domain.NamedVersion, error) {
	sec, st, err := s.sectionAndStrategy(ctx, sectionID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.ChangePhase, policy.Resource{Strategy: st, Section: sec}, fmt.Sprintf("section:%d", sec.ID)); err != nil {
		return nil, err
	}
	if name, err = text("name", name, MaxNameLen); err != nil {
		return nil, err
	}
	return s.freeze(ctx, u, sec.ID, nil, name)
}

// MaxNameLen bounds a named version's name in code points.
const MaxNameLen = 200

// NamedVersions lists a section's named versions, oldest first, for
// everyone who may read the section. Errors: ENOTFOUND, EFORBIDDEN.
func (s *Service) NamedVersions(ctx context.Context, u *domain.User, sectionID int64) ([]*domain.NamedVersion, error) {
	sec, st, err := s.sectionAndStrategy(ctx, sectionID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.ReadSection, policy.Resource{Strategy: st, Section: sec}, fmt.Sprintf("section:%d", sec.ID)); err != nil {
		return nil, err
	}
	return s.d.Store.FindNamedVersions(ctx, sec.ID)
}
