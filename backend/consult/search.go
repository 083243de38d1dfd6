package consult

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// Search limits.
const (
	DefaultSearchLimit = 20
	MaxSearchLimit     = 100
	// maxSearchCandidates caps the matches read from the store before the
	// policy is applied; a query matching more than this is too broad to
	// page through and says so (SearchResult.Truncated).
	maxSearchCandidates = 1000
)

// SearchRequest is a search in one strategy. OrgCode, Kind and Status are
// optional filters; Limit 0 means DefaultSearchLimit.
type SearchRequest struct {
	Query     string
	SectionID int64
	OrgCode   string
	Kind      domain.SearchKind
	Status    domain.ThreadStatus
	Limit     int
	Offset    int
}

// SnippetPart is a piece of a hit's passage; Mark is set on the words that
// match. The browser renders parts as text, so stored text never becomes
// markup.
type SnippetPart struct {
	Text string `json:"text"`
	Mark bool   `json:"mark,omitempty"`
}

// SearchHit is one text u may read that matches the query.
type SearchHit struct {
	Kind         domain.SearchKind   `json:"kind"`
	ID           int64               `json:"id"`
	SectionID    int64               `json:"section_id,omitempty"`
	SectionTitle string              `json:"section_title,omitempty"`
	ThreadID     int64               `json:"thread_id,omitempty"`
	Status       domain.ThreadStatus `json:"status,omitempty"`
	OrgCode      string              `json:"org_code,omitempty"`
	OrgName      string              `json:"org_name,omitempty"`
	Submitted    bool                `json:"submitted,omitempty"`
	CreatedAt    time.Time           `json:"created_at"`
	Snippet      []SnippetPart       `json:"snippet"`
	// Link is the path in the app that shows the passage.
	Link string `json:"link"`
}

// SearchResult is one page of hits; Total counts every hit u may read.
type SearchResult struct {
	Query     string      `json:"query"`
	Total     int         `json:"total"`
	Truncated bool        `json:"truncated"`
	Hits      []SearchHit `json:"hits"`
}

// Search finds the section texts, threads, proposals, comments and
// statements of a strategy that match req.Query and that u may read: every
// candidate passes the same checks as reading it directly (ReadSection for
// everything on a section, ViewHidden for hidden posts, ReadStatement for
// statements, showing the version the statement pages show). Errors:
// ENOTFOUND, EINVALID (field q, kind, status, org, limit, offset).
func (s *Service) Search(ctx context.Context, u *domain.User, strategyID int64, req SearchRequest) (*SearchResult, error) {
	st, err := s.d.Strategies.FindStrategyByID(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.ReadStrategy, policy.Resource{Strategy: st}, fmt.Sprintf("strategy:%d", st.ID)); err != nil {
		return nil, err
	}
	q, err := domain.ParseSearchQuery(req.Query)
	if err != nil {
		return nil, err
	}
	limit := req.Limit
	if limit == 0 {
		limit = DefaultSearchLimit
	}
	if limit < 1 || limit > MaxSearchLimit {
		return nil, domain.Invalid("limit", "Es können 1 bis 100 Treffer je Seite angezeigt werden.")
	}
	if req.Offset < 0 || req.Offset > maxSearchCandidates {
		return nil, domain.Invalid("offset", "Ungültiger Beginn der Trefferliste.")
	}
	// Two reads at once: every round trip counts on a busy database.
	var sections []*domain.Section
	var orgs []*domain.Organisation
	if err := parallel(
		func() (err error) { sections, err = s.d.Strategies.FindSections(ctx, st.ID); return err },
		func() (err error) { orgs, err = s.d.Strategies.FindOrganisations(ctx); return err },
	); err != nil {
		return nil, err
	}
	f, err := searchFilter(st, q, req, orgs)
	if err != nil {
		return nil, err
	}
	cands, err := s.d.Store.SearchCandidates(ctx, f)
	if err != nil {
		return nil, err
	}
	secs := map[int64]*domain.Section{}
	for _, sec := range sections {
		if policy.Allowed(u, policy.ReadSection, policy.Resource{Strategy: st, Section: sec}, s.now()) {
			secs[sec.ID] = sec
		}
	}
	var visible []*domain.SearchCandidate
	for _, c := range cands {
		if s.mayReadHit(u, st, secs, c) {
			visible = append(visible, c)
		}
	}
	res := &SearchResult{Query: req.Query, Total: len(visible), Truncated: len(cands) >= maxSearchCandidates, Hits: []SearchHit{}}
	page := visible[min(req.Offset, len(visible)):min(req.Offset+limit, len(visible))]
	if res.Hits, err = s.hits(ctx, st, q, page, secs, orgs); err != nil {
		return nil, err
	}
	return res, nil
}

// hits turns the candidates of one page into hits with their passages.
func (s *Service) hits(ctx context.Context, st *domain.Strategy, q domain.SearchQuery, page []*domain.SearchCandidate,
	secs map[int64]*domain.Section, orgs []*domain.Organisation) ([]SearchHit, error) {
	out := []SearchHit{}
	if len(page) == 0 {
		return out, nil
	}
	keys := make([]domain.SearchKey, len(page))
	for i, c := range page {
		keys[i] = domain.SearchKey{Kind: c.Kind, ID: c.ID}
	}
	snippets, err := s.d.Store.SearchSnippets(ctx, q, keys)
	if err != nil {
		return nil, err
	}
	orgByID := map[int64]*domain.Organisation{}
	for _, o := range orgs {
		orgByID[o.ID] = o
	}
	for i, c := range page {
		h := SearchHit{Kind: c.Kind, ID: c.ID, SectionID: c.SectionID, ThreadID: c.ThreadID, Status: c.Status,
			Submitted: c.Submitted, CreatedAt: c.CreatedAt, Snippet: SnippetParts(snippets[keys[i]]), Link: hitLink(st.ID, c)}
		if sec := secs[c.SectionID]; sec != nil {
			h.SectionTitle = sec.Title
		}
		if o := orgByID[c.OrgID]; o != nil {
			h.OrgCode, h.OrgName = o.Code, o.Name
		}
		out = append(out, h)
	}
	return out, nil
}

// searchFilter validates the filters of req; orgs are all organisations.
func searchFilter(st *domain.Strategy, q domain.SearchQuery, req SearchRequest, orgs []*domain.Organisation) (domain.SearchFilter, error) {
	f := domain.SearchFilter{StrategyID: st.ID, Query: q, SectionID: req.SectionID, Kind: req.Kind, Status: req.Status,
		Limit: maxSearchCandidates}
	if f.Kind != "" && !f.Kind.Valid() {
		return f, domain.Invalid("kind", "Unbekannte Art von Treffer.")
	}
	if f.Status != "" && !f.Status.Valid() {
		return f, domain.Invalid("status", "Unbekannter Status.")
	}
	if req.OrgCode != "" {
		for _, o := range orgs {
			if strings.EqualFold(o.Code, req.OrgCode) {
				f.OrgID = o.ID
			}
		}
		if f.OrgID == 0 {
			return f, domain.Invalid("org", "Unbekannte Organisation.")
		}
	}
	return f, nil
}

// parallel runs fns at once and returns the first error of them in order.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// mayReadHit applies to a candidate the checks that reading it directly
// applies. secs holds the sections of st that u may read.
func (s *Service) mayReadHit(u *domain.User, st *domain.Strategy, secs map[int64]*domain.Section, c *domain.SearchCandidate) bool {
	now := s.now()
	switch c.Kind {
	case domain.SearchSection:
		return secs[c.SectionID] != nil
	case domain.SearchThread, domain.SearchProposal:
		return secs[c.SectionID] != nil && postVisible(u, c.Hidden, c.AuthorID, now)
	case domain.SearchComment:
		return secs[c.SectionID] != nil && commentVisible(u, c.Hidden, c.AuthorID, c.ThreadHidden, c.ThreadAuthorID, now)
	case domain.SearchStatement:
		// As Service.Statement: whoever reads the organisation's drafts sees
		// its newest version, others its newest submitted one if allowed.
		if policy.Allowed(u, policy.ReadStatement, policy.Resource{Strategy: st, OrgID: c.OrgID}, now) {
			return c.Latest
		}
		return c.NewestSubmitted &&
			policy.Allowed(u, policy.ReadStatement, policy.Resource{Strategy: st, OrgID: c.OrgID, Submitted: true}, now)
	}
	return false
}

// hitLink is the app's path to the passage of c.
func hitLink(strategyID int64, c *domain.SearchCandidate) string {
	switch c.Kind {
	case domain.SearchSection:
		return fmt.Sprintf("/abschnitte/%d", c.SectionID)
	case domain.SearchStatement:
		return fmt.Sprintf("/stellungnahme?strategie=%d", strategyID)
	}
	return fmt.Sprintf("/abschnitte/%d#diskussion-%d", c.SectionID, c.ThreadID)
}

// SnippetParts splits a stored snippet at its markers
// (domain.SnippetStart, domain.SnippetEnd).
func SnippetParts(s string) []SnippetPart {
	parts := []SnippetPart{}
	mark := false
	for s != "" {
		sep := domain.SnippetStart
		if mark {
			sep = domain.SnippetEnd
		}
		text, rest, found := strings.Cut(s, sep)
		if text != "" {
			parts = append(parts, SnippetPart{Text: strings.NewReplacer(domain.SnippetStart, "", domain.SnippetEnd, "").Replace(text), Mark: mark})
		}
		s = rest
		if found {
			mark = !mark
		}
	}
	return parts
}
