package consult

import (
	"fmt"
	"strings"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/export"
)

// Document lays out the receipt for the office formats: the facts of the
// submission as a table, then the submitted text.
func (r *Receipt) Document() *export.Document {
	rows := [][]string{
		{"Strategie", r.Strategy},
		{"Organisation", r.OrgName + " (" + r.OrgCode + ")"},
		{"Fassung", fmt.Sprint(r.Version)},
		{"Gesamtposition", positionLabels[r.Position]},
		{"Eingereicht von", r.SubmittedBy},
		{"Eingereicht am", BerlinZoned(r.SubmittedAt) + " (" + r.SubmittedAt.Format(time.RFC3339) + ")"},
		{"SHA-256 des Textes (UTF-8)", r.SHA256},
	}
	facts := export.Table{Widths: []int{1, 2}}
	for _, row := range rows {
		facts.Rows = append(facts.Rows, []export.Cell{{Blocks: []export.Block{export.Paragraph{Runs: []export.Run{{Text: row[0], Bold: true}}}}}, export.TextCell(row[1])})
	}
	blocks := []export.Block{facts, export.H(1, "Text der Stellungnahme")}
	blocks = append(blocks, export.FromMarkdown(r.Body, 1)...)
	return &export.Document{
		Title: "Eingangsbestätigung", Subtitle: r.Strategy,
		Header: fmt.Sprintf("Stellungnahme %s, Fassung %d", r.OrgCode, r.Version),
		Footer: "Eingereicht am " + BerlinZoned(r.SubmittedAt),
		Blocks: blocks,
	}
}

// Document lays out the consultation report for the office formats: the
// statements, the counts per section and organisation, and per section a
// Synopse (text at the start of the consultation beside the current text)
// with every thread beside its section.
func (r *Report) Document() *export.Document {
	d := &export.Document{
		Title:    "Auswertung der Beteiligung",
		Subtitle: r.Strategy.Title + " – " + r.Phase.Title,
		Header:   r.Strategy.Title,
		Footer:   "Erstellt am " + BerlinZoned(r.GeneratedAt),
		Contents: true,
	}
	for _, tb := range r.Tables() {
		if tb.Name != "stellungnahmen" && tb.Name != "uebersicht" {
			continue
		}
		t := tb.exportTable()
		d.Blocks = append(d.Blocks, export.H(1, tb.Title))
		if len(t.Rows) == 0 {
			d.Blocks = append(d.Blocks, export.Para("Keine Einträge."))
			continue
		}
		d.Blocks = append(d.Blocks, t)
	}
	d.Blocks = append(d.Blocks, export.H(1, "Synopse"))
	for _, s := range r.Sections {
		syn := r.sectionSynopse(s)
		d.Blocks = append(d.Blocks, syn.Blocks()...)
	}
	return d
}

// sectionSynopse turns a section's word diff and threads into a Synopse of
// one row.
func (r *Report) sectionSynopse(s *SectionReport) *export.Synopse {
	row := export.SynopseRow{Passage: s.Section.Title}
	for _, c := range s.Changes {
		switch c.Kind {
		case Unchanged:
			row.Old = append(row.Old, export.Text(c.Text))
			row.New = append(row.New, export.Text(c.Text))
		case Deleted:
			row.Old = append(row.Old, export.Run{Text: c.Text, Deleted: true})
		case Inserted:
			row.New = append(row.New, export.Run{Text: c.Text, Inserted: true})
		}
	}
	for _, t := range s.Threads {
		row.Contributions = append(row.Contributions, threadContribution(t))
	}
	return &export.Synopse{
		Title:     "Synopse: " + s.Section.Title,
		FromLabel: fmt.Sprintf("Beteiligungsfassung (Version %d)", s.FromVersion),
		ToLabel:   fmt.Sprintf("Aktuelle Fassung (Version %d)", s.ToVersion),
		Rows:      []export.SynopseRow{row},
	}
}

// threadContribution is a thread as it stands beside a Synopse passage:
// quote, status, replacement and every comment.
func threadContribution(t *domain.Thread) export.Contribution {
	var b strings.Builder
	if l := LineLabel(t.LineFrom, t.LineTo); l != "" {
		b.WriteString(l + " ")
	}
	if t.Quote != "" {
		fmt.Fprintf(&b, "zu „%s“ ", t.Quote)
	}
	fmt.Fprintf(&b, "(%s)", statusLabels[t.Status])
	if t.Replacement != "" {
		fmt.Fprintf(&b, " – Ersatztext: „%s“", t.Replacement)
	}
	for _, c := range t.Comments {
		body := c.Body
		if c.Hidden {
			body = "[ausgeblendet: " + c.HiddenReason + "]"
		}
		fmt.Fprintf(&b, " – %s: %s", c.OrgCode, body)
	}
	if t.Hidden {
		b.WriteString(" [Diskussion ausgeblendet: " + t.HiddenReason + "]")
	}
	return export.Contribution{Org: t.OrgCode, Kind: kindLabels[t.Kind], Text: b.String()}
}

// exportTable is t as a table of the office formats, header row included.
func (t ReportTable) exportTable() export.Table {
	out := export.Table{}
	for _, h := range t.Header {
		out.Header = append(out.Header, export.TextCell(h))
	}
	for _, row := range t.Rows {
		cells := make([]export.Cell, len(row))
		for i, v := range row {
			cells[i] = export.TextCell(v)
		}
		out.Rows = append(out.Rows, cells)
	}
	return out
}
