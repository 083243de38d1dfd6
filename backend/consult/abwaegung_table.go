package consult

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/export"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// CategoryOpen filters the rows that have no assessment yet.
const CategoryOpen = "offen"

// AbwaegungFilter narrows the Abwägungstabelle; zero fields do not filter.
type AbwaegungFilter struct {
	SectionID int64
	OrgCode   string
	// Category is a domain.Category or CategoryOpen.
	Category string
}

// Abwaegung is the Abwägungstabelle of one round as one user may see it.
type Abwaegung struct {
	Strategy    *domain.Strategy `json:"strategy"`
	Phase       *domain.Phase    `json:"phase"`
	PublishedAt *time.Time       `json:"published_at"`
	GeneratedAt time.Time        `json:"generated_at"`
	Rows        []*AbwaegungRow  `json:"rows"`
	// Assessed and Total count the rows with an assessment (as far as the
	// user sees them) before filtering.
	Assessed int            `json:"assessed"`
	Total    int            `json:"total"`
	Can      AbwaegungCan   `json:"can"`
	Sections []SectionTitle `json:"sections"`
	// Labels name the categories as the strategy chose.
	Labels CategoryLabels `json:"labels"`
}

// SectionTitle names a section for the filter.
type SectionTitle struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// AbwaegungCan says what the user may do with the table.
type AbwaegungCan struct {
	Publish bool `json:"publish"`
	Split   bool `json:"split"`
	// Drafts: the user sees assessments before publication.
	Drafts bool `json:"drafts"`
	// Labels: the user may rename the categories.
	Labels bool `json:"labels"`
}

// AbwaegungRow is one contribution: a thread or a statement point.
type AbwaegungRow struct {
	ThreadID     *int64             `json:"thread_id"`
	PointID      *int64             `json:"point_id"`
	SectionID    *int64             `json:"section_id"`
	SectionTitle string             `json:"section_title"`
	OrgCode      string             `json:"org_code"`
	Kind         string             `json:"kind"` // a thread kind or "stellungnahme"
	Passage      string             `json:"passage"`
	Lines        string             `json:"lines"` // "Z. 3–4" of the Beteiligungsfassung
	Text         string             `json:"text"`
	Replacement  string             `json:"replacement,omitempty"`
	Cosigners    []string           `json:"cosigners"`
	Assessment   *domain.Assessment `json:"assessment"`
	// CanAssess: the user may record or change the assessment.
	CanAssess bool `json:"can_assess"`
}

// BuildAbwaegung assembles the Abwägungstabelle of the round of strategyID
// (WithRound, else the newest) as u may see it: threads of the round that
// are not hidden, points of statements u may read; assessments only for
// the drafting side until publication. Errors: ENOTFOUND, EFORBIDDEN,
// EINVALID (unknown category in f).
func (s *Service) BuildAbwaegung(ctx context.Context, u *domain.User, strategyID int64, f AbwaegungFilter) (*Abwaegung, error) {
	if f.Category != "" && f.Category != CategoryOpen && !domain.Category(f.Category).Valid() {
		return nil, domain.Invalid("category", "Erwartet: offen, beruecksichtigt, teilweise_beruecksichtigt, nicht_beruecksichtigt oder zur_kenntnis_genommen.")
	}
	st, p, err := s.consultation(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.ViewAbwaegung, policy.Resource{Strategy: st}, fmt.Sprintf("strategy:%d", st.ID)); err != nil {
		return nil, err
	}
	now := s.now()
	out := &Abwaegung{Strategy: st, Phase: p, GeneratedAt: now, Rows: []*AbwaegungRow{}, Sections: []SectionTitle{}}
	if out.PublishedAt, err = s.published(ctx, p.ID); err != nil {
		return nil, err
	}
	out.Can = AbwaegungCan{
		Publish: policy.Allowed(u, policy.PublishAbwaegung, policy.Resource{Strategy: st}, now) && out.PublishedAt == nil,
		Split:   policy.Allowed(u, policy.SplitStatement, policy.Resource{Strategy: st}, now),
		Drafts:  policy.Allowed(u, policy.ViewAssessDrafts, policy.Resource{Strategy: st}, now),
		Labels:  policy.Allowed(u, policy.PublishAbwaegung, policy.Resource{Strategy: st}, now),
	}
	if out.Labels, err = s.categoryLabels(ctx, st.ID); err != nil {
		return nil, err
	}
	rows, err := s.abwaegungRows(ctx, u, st, p)
	if err != nil {
		return nil, err
	}
	assessments, err := s.abw().FindAssessments(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	showAssessments := assessmentsShown(out.PublishedAt, out.Can.Drafts)
	for _, r := range rows {
		if showAssessments {
			r.Assessment = findAssessment(assessments, r)
		}
		out.Total++
		if r.Assessment != nil {
			out.Assessed++
		}
		if f.keep(r) {
			out.Rows = append(out.Rows, r)
		}
	}
	sections, err := s.d.Strategies.FindSections(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	for _, sec := range sections {
		if p.InScope(sec.ID) {
			out.Sections = append(out.Sections, SectionTitle{ID: sec.ID, Title: sec.Title})
		}
	}
	return out, nil
}

func (f AbwaegungFilter) keep(r *AbwaegungRow) bool {
	if f.SectionID != 0 && (r.SectionID == nil || *r.SectionID != f.SectionID) {
		return false
	}
	if f.OrgCode != "" && !strings.EqualFold(f.OrgCode, r.OrgCode) {
		return false
	}
	switch {
	case f.Category == "":
		return true
	case f.Category == CategoryOpen:
		return r.Assessment == nil
	}
	return r.Assessment != nil && string(r.Assessment.Category) == f.Category
}

func findAssessment(as []*domain.Assessment, r *AbwaegungRow) *domain.Assessment {
	for _, a := range as {
		if (r.ThreadID != nil && a.ThreadID != nil && *a.ThreadID == *r.ThreadID) ||
			(r.PointID != nil && a.PointID != nil && *a.PointID == *r.PointID) {
			return a
		}
	}
	return nil
}

// abwaegungRows lists the contributions of round p that u may read, by
// section order, then statement points.
func (s *Service) abwaegungRows(ctx context.Context, u *domain.User, st *domain.Strategy, p *domain.Phase) ([]*AbwaegungRow, error) {
	now := s.now()
	sections, err := s.d.Strategies.FindSections(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*domain.Section{}
	order := map[int64]int{}
	for i, sec := range sections {
		byID[sec.ID], order[sec.ID] = sec, i
	}
	threads, err := s.d.Store.FindThreads(ctx, domain.ThreadFilter{StrategyID: st.ID, PhaseID: p.ID})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(threads, func(i, j int) bool { return order[threads[i].SectionID] < order[threads[j].SectionID] })
	var rows []*AbwaegungRow
	for _, t := range threads {
		sec := byID[t.SectionID]
		if t.Hidden || sec == nil || !policy.Allowed(u, policy.ReadSection, policy.Resource{Strategy: st, Section: sec}, now) {
			continue
		}
		body := ""
		if len(t.Comments) > 0 && !t.Comments[0].Hidden {
			body = t.Comments[0].Body
		}
		r := &AbwaegungRow{ThreadID: &t.ID, SectionID: &sec.ID, SectionTitle: sec.Title, OrgCode: t.OrgCode,
			Kind: string(t.Kind), Passage: t.Quote, Lines: LineLabel(t.LineFrom, t.LineTo), Text: body,
			Replacement: t.Replacement, Cosigners: cosignerCodes(t.Cosigners),
			CanAssess: policy.Allowed(u, policy.Assess, policy.Resource{Strategy: st, Section: sec}, now)}
		rows = append(rows, r)
	}
	pts, err := s.abw().FindPoints(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, pt := range pts {
		if !policy.Allowed(u, policy.ReadStatement, policy.Resource{Strategy: st, OrgID: pt.OrgID, Submitted: true}, now) {
			continue
		}
		r := &AbwaegungRow{PointID: &pt.ID, SectionID: pt.SectionID, OrgCode: pt.OrgCode, Kind: "stellungnahme",
			Text: pt.Excerpt, Cosigners: []string{}}
		res := policy.Resource{Strategy: st}
		if pt.SectionID != nil && byID[*pt.SectionID] != nil {
			res.Section = byID[*pt.SectionID]
			r.SectionTitle = res.Section.Title
		}
		r.CanAssess = policy.Allowed(u, policy.Assess, res, now)
		rows = append(rows, r)
	}
	return rows, nil
}

func cosignerCodes(cs []domain.Cosigner) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.OrgCode
	}
	return out
}

// abwaegungHeader are the columns of the table's downloads.
var abwaegungHeader = []string{"Nr.", "Abschnitt", "Organisation", "Art", "Zeilen (Beteiligungsfassung)", "Bezugstext", "Beitrag",
	"Mitzeichner", "Bewertung", "Begründung", "Berücksichtigt in Fassung"}

// Table returns the Abwägungstabelle as one table for the downloads.
func (a *Abwaegung) Table() ReportTable {
	t := ReportTable{Name: "abwaegung", Title: "Abwägungstabelle", Header: abwaegungHeader}
	for i, r := range a.Rows {
		text := r.Text
		if r.Replacement != "" {
			text = "Vorschlag: " + r.Replacement + "\n\nBegründung: " + r.Text
		}
		category, reason, version := "offen", "", ""
		if a.PublishedAt == nil && !a.Can.Drafts {
			category = "noch nicht veröffentlicht"
		}
		if r.Assessment != nil {
			category, reason = a.Labels.Label(r.Assessment.Category), r.Assessment.Reason
			if r.Assessment.Version != nil {
				version = strconv.FormatInt(*r.Assessment.Version, 10)
			}
		}
		kind := "Stellungnahme"
		if r.ThreadID != nil {
			kind = kindLabels[domain.ThreadKind(r.Kind)]
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), r.SectionTitle, r.OrgCode, kind, r.Lines, r.Passage, text,
			strings.Join(r.Cosigners, ", "), category, reason, version})
	}
	return t
}

// WriteXLSX writes the Abwägungstabelle as an Excel workbook of one sheet.
func (a *Abwaegung) WriteXLSX(w io.Writer) error { return writeWorkbook(w, []ReportTable{a.Table()}) }

// Document lays out the Abwägungstabelle for the office formats (landscape
// width is the renderer's business): a note on its state, then the table.
func (a *Abwaegung) Document() *export.Document {
	state := "Entwurf: noch nicht veröffentlicht."
	if a.PublishedAt != nil {
		state = "Veröffentlicht am " + BerlinZoned(*a.PublishedAt) + "."
	}
	t := a.Table()
	tb := t.exportTable()
	tb.Widths = []int{1, 3, 2, 3, 2, 5, 7, 2, 3, 6, 2}
	blocks := []export.Block{export.Para(fmt.Sprintf("%s %d von %d Beiträgen bewertet.", state, a.Assessed, a.Total))}
	if len(tb.Rows) == 0 {
		blocks = append(blocks, export.Para("Keine Beiträge."))
	} else {
		blocks = append(blocks, tb)
	}
	return &export.Document{
		Title:    "Abwägungstabelle",
		Subtitle: a.Strategy.Title + " – " + a.Phase.Title,
		Header:   a.Strategy.Title + " – Abwägungstabelle",
		Footer:   "Erstellt am " + BerlinZoned(a.GeneratedAt),
		Blocks:   blocks,
	}
}
