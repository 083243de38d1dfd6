package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Full-text search. PostgreSQL matches the generated search_vector columns
// of migration 0018 (German configuration) and their GIN indexes; SQLite matches the FTS5 table
// search_fts, whose rowid is id*8 + the source's code. Both return the same
// columns, so one scan serves both.

// searchSource is one table that search reads: its FTS5 code, the
// expression PostgreSQL indexes, and the columns of a candidate.
type searchSource struct {
	kinds  []domain.SearchKind
	code   int
	table  string // with its alias
	joins  string // further tables the columns read
	vector string // PostgreSQL: the text its search_vector column is computed from
	// long names the long text of the source, whose passage PostgreSQL
	// takes from its first line with a match (see SearchSnippets).
	long string
	cols string // the candidate columns below, in order
	// where adds the strategy and the filters that apply to this source.
	where func(f domain.SearchFilter) (string, []any)
}

// The candidate columns: kind code, id, section, thread, thread kind,
// status, author, organisation, hidden, thread hidden, thread author,
// phase, latest, newest submitted, submitted, created.
var searchSources = []searchSource{
	{
		kinds: []domain.SearchKind{domain.SearchSection}, code: 1,
		table:  "sections s",
		vector: "s.title || ' ' || s.text",
		long:   "s.text",
		cols:   "1, s.id, s.id, 0, '', '', 0, 0, " + sqlFalse + ", " + sqlFalse + ", 0, NULL, " + sqlFalse + ", " + sqlFalse + ", " + sqlFalse + ", s.updated_at",
		where: func(f domain.SearchFilter) (string, []any) {
			if f.OrgID != 0 || f.Status != "" {
				return "", nil // sections belong to no organisation and have no status
			}
			return sectionFilter("s.strategy_id", "s.id", f)
		},
	},
	{
		kinds: []domain.SearchKind{domain.SearchThread, domain.SearchProposal}, code: 2,
		table:  "threads t",
		vector: "t.quote || ' ' || t.replacement",
		cols:   "2, t.id, t.section_id, t.id, t.kind, t.status, t.author_id, t.org_id, t.hidden, t.hidden, t.author_id, t.phase_id, " + sqlFalse + ", " + sqlFalse + ", " + sqlFalse + ", t.created_at",
		where: func(f domain.SearchFilter) (string, []any) {
			w, args := threadFilter("t", f, "t.org_id")
			switch f.Kind {
			case domain.SearchThread:
				w += " AND t.kind <> 'aenderungsvorschlag'"
			case domain.SearchProposal:
				w += " AND t.kind = 'aenderungsvorschlag'"
			}
			return w, args
		},
	},
	{
		kinds: []domain.SearchKind{domain.SearchComment}, code: 3,
		table:  "comments c",
		joins:  " JOIN threads t ON t.id = c.thread_id LEFT JOIN users u ON u.id = c.author_id",
		vector: "c.body",
		cols:   "3, c.id, t.section_id, t.id, t.kind, t.status, c.author_id, COALESCE(u.org_id, 0), c.hidden, t.hidden, t.author_id, t.phase_id, " + sqlFalse + ", " + sqlFalse + ", " + sqlFalse + ", c.created_at",
		where: func(f domain.SearchFilter) (string, []any) {
			return threadFilter("t", f, "u.org_id")
		},
	},
	{
		kinds: []domain.SearchKind{domain.SearchStatement}, code: 4,
		table:  "statements st",
		vector: "st.body",
		long:   "st.body",
		cols: "4, st.id, 0, 0, '', '', st.updated_by, st.org_id, " + sqlFalse + ", " + sqlFalse + ", 0, st.phase_id, " +
			"st.version = (SELECT MAX(x.version) FROM statements x WHERE x.phase_id = st.phase_id AND x.org_id = st.org_id), " +
			"COALESCE(st.version = (SELECT MAX(x.version) FROM statements x WHERE x.phase_id = st.phase_id AND x.org_id = st.org_id AND x.submitted_at IS NOT NULL), " + sqlFalse + "), " +
			"st.submitted_at IS NOT NULL, st.created_at",
		where: func(f domain.SearchFilter) (string, []any) {
			if f.SectionID != 0 || f.Status != "" {
				return "", nil // a statement is about the whole strategy
			}
			w, args := "st.strategy_id = ?", []any{f.StrategyID}
			if f.OrgID != 0 {
				w, args = w+" AND st.org_id = ?", append(args, f.OrgID)
			}
			return w, args
		},
	},
}

// sqlFalse is a boolean both dialects read as false.
const sqlFalse = "(1 = 0)"

func sectionFilter(strategyCol, sectionCol string, f domain.SearchFilter) (string, []any) {
	w, args := strategyCol+" = ?", []any{f.StrategyID}
	if f.SectionID != 0 {
		w, args = w+" AND "+sectionCol+" = ?", append(args, f.SectionID)
	}
	return w, args
}

func threadFilter(t string, f domain.SearchFilter, orgCol string) (string, []any) {
	w, args := sectionFilter(t+".strategy_id", t+".section_id", f)
	if f.OrgID != 0 {
		w, args = w+" AND "+orgCol+" = ?", append(args, f.OrgID)
	}
	if f.Status != "" {
		w, args = w+" AND "+t+".status = ?", append(args, string(f.Status))
	}
	return w, args
}

func (s searchSource) alias() string { return strings.Fields(s.table)[1] }

func (s searchSource) wanted(k domain.SearchKind) bool {
	if k == "" {
		return true
	}
	for _, x := range s.kinds {
		if x == k {
			return true
		}
	}
	return false
}

func (s searchSource) kind(threadKind string) domain.SearchKind {
	if s.code == 2 && threadKind == string(domain.KindAenderungsvorschlag) {
		return domain.SearchProposal
	}
	return s.kinds[0]
}

// SearchCandidates implements domain.SearchStore.
func (db *DB) SearchCandidates(ctx context.Context, f domain.SearchFilter) ([]*domain.SearchCandidate, error) {
	var arms []string
	var args []any
	match := db.searchMatch(f.Query)
	if db.dialect != DialectPostgres {
		args = append(args, match)
	}
	for _, src := range searchSources {
		if !src.wanted(f.Kind) {
			continue
		}
		w, wargs := src.where(f)
		if w == "" {
			continue
		}
		if db.dialect == DialectPostgres {
			vec := src.alias() + ".search_vector"
			arms = append(arms, fmt.Sprintf("SELECT %s, ts_rank(%s, query.q) FROM %s%s CROSS JOIN query WHERE %s @@ query.q AND %s",
				src.cols, vec, src.table, src.joins, vec, w))
		} else {
			arms = append(arms, fmt.Sprintf("SELECT %s, m.score FROM m JOIN %s ON %s.id = m.r / 8%s WHERE m.r %% 8 = %d AND %s",
				src.cols, src.table, src.alias(), src.joins, src.code, w))
		}
		args = append(args, wargs...)
	}
	if len(arms) == 0 {
		return []*domain.SearchCandidate{}, nil
	}
	var q string
	if db.dialect == DialectPostgres {
		q = "WITH query AS (SELECT websearch_to_tsquery('german'::regconfig, ?) AS q) "
		args = append([]any{match}, args...)
	} else {
		q = "WITH m AS (SELECT rowid AS r, -bm25(search_fts) AS score FROM search_fts WHERE search_fts MATCH ?) "
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q += "SELECT * FROM (" + strings.Join(arms, " UNION ALL ") + ") hits ORDER BY 17 DESC, 1, 2 LIMIT ?"
	args = append(args, limit)
	rows, err := db.conn(ctx).Raw(q, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	out := []*domain.SearchCandidate{}
	for rows.Next() {
		var (
			c          domain.SearchCandidate
			code       int
			threadKind string
			status     string
			phase      *int64
			created    any
		)
		if err := rows.Scan(&code, &c.ID, &c.SectionID, &c.ThreadID, &threadKind, &status, &c.AuthorID, &c.OrgID,
			&c.Hidden, &c.ThreadHidden, &c.ThreadAuthorID, &phase, &c.Latest, &c.NewestSubmitted, &c.Submitted,
			&created, &c.Score); err != nil {
			return nil, fmt.Errorf("store: search: %w", err)
		}
		src := searchSources[code-1]
		c.Kind, c.Status, c.PhaseID, c.CreatedAt = src.kind(threadKind), domain.ThreadStatus(status), phase, scannedTime(created)
		out = append(out, &c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return out, nil
}

// scannedTime reads a time from a column whose type a UNION hides from
// the SQLite driver (which then returns the stored text).
func scannedTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case string:
		return parseStoredTime(t)
	case []byte:
		return parseStoredTime(string(t))
	}
	return time.Time{}
}

func parseStoredTime(s string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// searchMatch renders q for the dialect: a websearch string for
// PostgreSQL (which stems the German words itself), an FTS5 expression for
// SQLite in which every word is quoted, so no operator of the user's ever
// reaches FTS5.
func (db *DB) searchMatch(q domain.SearchQuery) string {
	var inc, exc []string
	for _, t := range q {
		var s string
		switch {
		case db.dialect == DialectPostgres:
			s = `"` + strings.Join(t.Words, " ") + `"`
			if t.Exclude {
				s = "-" + s
			}
		case len(t.Words) == 1:
			s = `"` + germanStem(t.Words[0]) + `"*`
		default:
			s = `"` + strings.Join(t.Words, " ") + `"`
		}
		if t.Exclude {
			exc = append(exc, s)
		} else {
			inc = append(inc, s)
		}
	}
	if db.dialect == DialectPostgres {
		return strings.Join(append(inc, exc...), " ")
	}
	m := "(" + strings.Join(inc, " AND ") + ")"
	for _, e := range exc {
		m += " NOT " + e
	}
	return m
}

// anyWord renders the terms q includes as one websearch string that
// matches a text with any of them (PostgreSQL).
func anyWord(q domain.SearchQuery) string {
	var terms []string
	for _, t := range q {
		if !t.Exclude {
			terms = append(terms, `"`+strings.Join(t.Words, " ")+`"`)
		}
	}
	return strings.Join(terms, " or ")
}

// germanStem cuts a common German inflection ending off w, so that the
// prefix query "verwaltung"* also finds "Verwaltungen" when the user typed
// the plural: SQLite has no German stemmer, PostgreSQL does this properly.
func germanStem(w string) string {
	w = strings.ToLower(w)
	r := []rune(w)
	for _, suffix := range []string{"en", "er", "es", "em", "e", "n", "s"} {
		s := []rune(suffix)
		if len(r)-len(s) >= 4 && strings.HasSuffix(w, suffix) {
			return string(r[:len(r)-len(s)])
		}
	}
	return w
}

// SearchSnippets implements domain.SearchStore.
func (db *DB) SearchSnippets(ctx context.Context, q domain.SearchQuery, keys []domain.SearchKey) (map[domain.SearchKey]string, error) {
	out := map[domain.SearchKey]string{}
	if len(keys) == 0 {
		return out, nil
	}
	match := db.searchMatch(q)
	type snippetRow struct {
		Code    int
		ID      int64
		Snippet string
	}
	var rows []snippetRow
	if db.dialect == DialectPostgres {
		byCode := map[int][]int64{}
		for _, k := range keys {
			byCode[sourceCode(k.Kind)] = append(byCode[sourceCode(k.Kind)], k.ID)
		}
		var arms []string
		args := []any{match, anyWord(q)}
		for _, src := range searchSources {
			ids := byCode[src.code]
			if len(ids) == 0 {
				continue
			}
			text := src.vector
			if src.long != "" {
				// ts_headline parses all it is given; a section's first line
				// (paragraph) with any of the words is enough for a passage
				// and is found by parsing only the lines up to it.
				text = fmt.Sprintf("COALESCE((SELECT l FROM regexp_split_to_table(%s, chr(10)) AS l "+
					"WHERE to_tsvector('german'::regconfig, l) @@ query.qany LIMIT 1), %s)", src.long, src.vector)
			}
			arms = append(arms, fmt.Sprintf("SELECT %d AS code, %s.id AS id, ts_headline('german'::regconfig, %s, query.q, "+
				"'StartSel=%s, StopSel=%s, MaxWords=28, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"') AS snippet "+
				"FROM %s CROSS JOIN query WHERE %s.id IN ?", src.code, src.alias(), text, domain.SnippetStart, domain.SnippetEnd,
				src.table, src.alias()))
			args = append(args, ids)
		}
		q := "WITH query AS (SELECT websearch_to_tsquery('german'::regconfig, ?) AS q, websearch_to_tsquery('german'::regconfig, ?) AS qany) " +
			strings.Join(arms, " UNION ALL ")
		if err := db.conn(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("store: search snippets: %w", err)
		}
	} else {
		rowids := make([]int64, len(keys))
		for i, k := range keys {
			rowids[i] = k.ID*8 + int64(sourceCode(k.Kind))
		}
		q := "SELECT rowid % 8 AS code, rowid / 8 AS id, snippet(search_fts, 0, ?, ?, '…', 24) AS snippet " +
			"FROM search_fts WHERE search_fts MATCH ? AND rowid IN ?"
		if err := db.conn(ctx).Raw(q, domain.SnippetStart, domain.SnippetEnd, match, rowids).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("store: search snippets: %w", err)
		}
	}
	for _, r := range rows {
		for _, k := range keys {
			if k.ID == r.ID && sourceCode(k.Kind) == r.Code {
				out[k] = r.Snippet
			}
		}
	}
	return out, nil
}

// sourceCode is the code of the table a kind of hit is stored in.
func sourceCode(k domain.SearchKind) int {
	for _, src := range searchSources {
		for _, x := range src.kinds {
			if x == k {
				return src.code
			}
		}
	}
	return 0
}
