package domain

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// SearchKind is what a search hit is: a section's text, a thread's quoted
// passage, a proposal (a thread with a replacement text), a comment or a
// statement.
type SearchKind string

// Search kinds.
const (
	SearchSection   SearchKind = "section"
	SearchThread    SearchKind = "thread"
	SearchProposal  SearchKind = "proposal"
	SearchComment   SearchKind = "comment"
	SearchStatement SearchKind = "statement"
)

// SearchKinds lists every kind in the order the UI offers them.
var SearchKinds = []SearchKind{SearchSection, SearchThread, SearchProposal, SearchComment, SearchStatement}

// Valid reports whether k is a known kind.
func (k SearchKind) Valid() bool { return slices.Contains(SearchKinds, k) }

// Limits on a search query.
const (
	MaxSearchQueryLen = 200 // code points
	MaxSearchTerms    = 16
)

// SearchTerm is one word or quoted phrase of a query; Exclude marks a
// term prefixed with "-", which hits must not contain.
type SearchTerm struct {
	Words   []string
	Exclude bool
}

// SearchQuery is a parsed query: what the user typed reduced to words and
// phrases, so that no dialect ever sees operators it would interpret
// (FTS5's NEAR, *, parentheses, column filters).
type SearchQuery []SearchTerm

// ParseSearchQuery splits q into words and "quoted phrases"; a word with a
// leading "-" is excluded. Only letters and digits make up words; every
// other character separates them. EINVALID (field "q", German message) for
// an empty or too long query, an unclosed quotation mark, more than
// MaxSearchTerms terms, or a query that excludes without including.
func ParseSearchQuery(q string) (SearchQuery, error) {
	q = strings.TrimSpace(q)
	if !utf8.ValidString(q) {
		return nil, Invalid("q", "Der Suchbegriff enthält ungültige Zeichen.")
	}
	if q == "" {
		return nil, Invalid("q", "Bitte geben Sie einen Suchbegriff ein.")
	}
	if utf8.RuneCountInString(q) > MaxSearchQueryLen {
		return nil, Invalid("q", "Der Suchbegriff ist zu lang (höchstens 200 Zeichen).")
	}
	if strings.Count(q, `"`)%2 != 0 {
		return nil, Invalid("q", "Ein Anführungszeichen ist nicht geschlossen.")
	}
	var out SearchQuery
	include := false
	for i, part := range strings.Split(q, `"`) {
		if i%2 == 1 { // inside quotes: one phrase
			if ws := searchWords(part); len(ws) > 0 {
				out = append(out, SearchTerm{Words: ws})
				include = true
			}
			continue
		}
		for _, f := range strings.Fields(part) {
			exclude := strings.HasPrefix(f, "-")
			for _, w := range searchWords(f) {
				out = append(out, SearchTerm{Words: []string{w}, Exclude: exclude})
				include = include || !exclude
			}
		}
	}
	if len(out) > MaxSearchTerms {
		return nil, Invalid("q", "Der Suchbegriff hat zu viele Wörter (höchstens 16).")
	}
	if !include {
		return nil, Invalid("q", "Bitte geben Sie mindestens ein Wort mit Buchstaben oder Ziffern ein.")
	}
	return out, nil
}

// searchWords returns the runs of letters and digits in s.
func searchWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// SearchFilter narrows a search to one strategy and, optionally, a
// section, an organisation, kinds of hit and a thread status.
type SearchFilter struct {
	StrategyID int64
	Query      SearchQuery
	SectionID  int64
	OrgID      int64
	Kind       SearchKind
	Status     ThreadStatus
	// Limit caps the candidates returned, best first.
	Limit int
}

// SearchCandidate is one stored text that matches a query, with what the
// policy needs to decide whether a user may read it. Fields that do not
// apply to its kind are zero.
type SearchCandidate struct {
	Kind      SearchKind
	ID        int64 // of the section, thread, comment or statement
	SectionID int64
	ThreadID  int64
	Status    ThreadStatus
	AuthorID  int64
	OrgID     int64
	Hidden    bool
	// ThreadHidden and ThreadAuthorID describe a comment's thread.
	ThreadHidden   bool
	ThreadAuthorID int64
	// PhaseID is a thread's round or a statement's phase.
	PhaseID *int64
	// Latest and NewestSubmitted tell which version of its organisation's
	// statement a statement row is.
	Latest          bool
	NewestSubmitted bool
	Submitted       bool
	CreatedAt       time.Time
	Score           float64
}

// SearchKey names one stored text for SearchSnippets.
type SearchKey struct {
	Kind SearchKind
	ID   int64
}

// Snippet markers: a stored snippet encloses each matched passage in
// SnippetStart and SnippetEnd (two private-use code points, which no
// dialect interprets), for the service to split into parts.
const (
	SnippetStart = "\uE000"
	SnippetEnd   = "\uE001"
)

// SearchStore finds stored texts by full-text search. It knows nothing of
// permissions: the caller filters candidates through the policy.
type SearchStore interface {
	// SearchCandidates returns the texts of f.StrategyID matching f.Query
	// (German stemming on PostgreSQL, prefix matching on SQLite), best
	// first, at most f.Limit.
	SearchCandidates(ctx context.Context, f SearchFilter) ([]*SearchCandidate, error)
	// SearchSnippets returns, for each key, a short passage of its text
	// around the matches of q with SnippetStart/SnippetEnd around each
	// match. Keys that no longer match are missing from the map.
	SearchSnippets(ctx context.Context, q SearchQuery, keys []SearchKey) (map[SearchKey]string, error)
}
