package consult

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// Report is the moderators' view of one consultation: counts per section
// and organisation, every thread, the statements and a Synopse per section.
type Report struct {
	Strategy    *domain.Strategy   `json:"strategy"`
	Phase       *domain.Phase      `json:"phase"`
	GeneratedAt time.Time          `json:"generated_at"`
	Counts      []*CountRow        `json:"counts"`
	Statements  []*StatementStatus `json:"statements"`
	Sections    []*SectionReport   `json:"sections"`
}

// CountRow counts one organisation's threads on one section.
type CountRow struct {
	SectionID    int64                       `json:"section_id"`
	SectionTitle string                      `json:"section_title"`
	OrgCode      string                      `json:"org_code"`
	Total        int                         `json:"total"`
	ByKind       map[domain.ThreadKind]int   `json:"by_kind"`
	ByStatus     map[domain.ThreadStatus]int `json:"by_status"`
	// Position is the organisation's submitted statement position, if any.
	Position domain.Position `json:"position"`
}

// SectionReport holds a section's threads and its Synopse: the text when
// the consultation started beside the current text.
type SectionReport struct {
	Section     *domain.Section  `json:"section"`
	FromVersion int64            `json:"from_version"`
	ToVersion   int64            `json:"to_version"`
	Changes     []Change         `json:"changes"`
	Threads     []*domain.Thread `json:"threads"`
}

// BuildReport assembles the report of one consultation round of strategyID:
// the one named by WithRound in ctx, else the newest. Only that round's
// threads and statements count, so a later round never changes it. Moderators and admins only. Hidden content is
// included, marked hidden, since the report is for the moderation.
func (s *Service) BuildReport(ctx context.Context, u *domain.User, strategyID int64) (*Report, error) {
	st, err := s.d.Strategies.FindStrategyByID(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.ViewReport, policy.Resource{Strategy: st}, fmt.Sprintf("strategy:%d", st.ID)); err != nil {
		return nil, err
	}
	st, p, err := s.consultation(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	stmts, err := s.Statements(ctx, u, st.ID)
	if err != nil {
		return nil, err
	}
	positions := map[string]domain.Position{}
	for _, ss := range stmts {
		if ss.submitted != nil {
			positions[ss.OrgCode] = ss.submitted.Position
			ss.Position = ss.submitted.Position
		}
	}
	sections, err := s.d.Strategies.FindSections(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	threads, err := s.d.Store.FindThreads(ctx, domain.ThreadFilter{StrategyID: st.ID, PhaseID: p.ID})
	if err != nil {
		return nil, err
	}
	if err := s.refresh(ctx, threads); err != nil {
		return nil, err
	}
	bySection := map[int64][]*domain.Thread{}
	for _, t := range threads {
		bySection[t.SectionID] = append(bySection[t.SectionID], t)
	}
	r := &Report{Strategy: st, Phase: p, GeneratedAt: s.now(), Statements: stmts}
	for _, sec := range sections {
		if !p.InScope(sec.ID) && len(bySection[sec.ID]) == 0 {
			continue
		}
		sr, err := s.sectionReport(ctx, sec, p, bySection[sec.ID])
		if err != nil {
			return nil, err
		}
		r.Sections = append(r.Sections, sr)
		r.Counts = append(r.Counts, countRows(sec, bySection[sec.ID], positions)...)
	}
	s.audit(ctx, u, "report_viewed", fmt.Sprintf("strategy:%d", st.ID), "")
	return r, nil
}

func (s *Service) sectionReport(ctx context.Context, sec *domain.Section, p *domain.Phase, ts []*domain.Thread) (*SectionReport, error) {
	current, v, err := s.d.OpLog.Snapshot(ctx, domain.SectionDoc(sec.ID))
	if err != nil {
		return nil, err
	}
	from, err := s.d.Store.VersionAt(ctx, sec.ID, p.StartedAt)
	if err != nil {
		return nil, err
	}
	from = min(from, v)
	start := current
	if from < v {
		if start, err = s.d.History.TextAt(ctx, domain.SectionDoc(sec.ID), from); err != nil {
			return nil, err
		}
	}
	full := *sec
	full.Text, full.Version = current, v
	if ts == nil {
		ts = []*domain.Thread{}
	}
	return &SectionReport{Section: &full, FromVersion: from, ToVersion: v, Changes: WordDiff(start, current), Threads: ts}, nil
}

func countRows(sec *domain.Section, ts []*domain.Thread, positions map[string]domain.Position) []*CountRow {
	byOrg := map[string]*CountRow{}
	for _, t := range ts {
		row := byOrg[t.OrgCode]
		if row == nil {
			row = &CountRow{SectionID: sec.ID, SectionTitle: sec.Title, OrgCode: t.OrgCode, Position: positions[t.OrgCode],
				ByKind: map[domain.ThreadKind]int{}, ByStatus: map[domain.ThreadStatus]int{}}
			byOrg[t.OrgCode] = row
		}
		row.Total++
		row.ByKind[t.Kind]++
		row.ByStatus[t.Status]++
	}
	out := make([]*CountRow, 0, len(byOrg))
	for _, r := range byOrg {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OrgCode < out[j].OrgCode })
	return out
}
