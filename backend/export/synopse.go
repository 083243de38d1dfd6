package export

// Synopse is two versions side by side, passage by passage, with the
// contributions (comments, proposals) made on each passage beside them.
// How the versions are compared is not this package's business: rows
// arrive with the old and new text already split into runs, deletions
// marked Deleted in Old and insertions marked Inserted in New.
type Synopse struct {
	Title     string
	FromLabel string // e.g. "Beteiligungsfassung (Version 12)"
	ToLabel   string // e.g. "Aktuelle Fassung (Version 40)"
	Rows      []SynopseRow
}

// SynopseRow is one passage (usually a section) in both versions.
type SynopseRow struct {
	Passage       string
	Old, New      []Run
	Contributions []Contribution
}

// Contribution is one contribution on a passage, e.g. BY's proposal.
type Contribution struct {
	Org  string
	Kind string
	Text string
}

// Blocks renders the Synopse as a heading and a three-column table: old
// text, new text, contributions; the header row repeats on every page.
func (s *Synopse) Blocks() []Block {
	t := Table{
		Header: []Cell{TextCell(s.FromLabel), TextCell(s.ToLabel), TextCell("Beiträge")},
		Widths: []int{5, 5, 4},
	}
	for _, r := range s.Rows {
		title := Paragraph{Runs: []Run{{Text: r.Passage, Bold: true}}}
		contrib := Cell{}
		for _, c := range r.Contributions {
			contrib.Blocks = append(contrib.Blocks, Paragraph{Runs: []Run{{Text: c.Org + " – " + c.Kind + ": ", Bold: true}, Text(c.Text)}})
		}
		if len(contrib.Blocks) == 0 {
			contrib.Blocks = []Block{Para("—")}
		}
		t.Rows = append(t.Rows, []Cell{
			{Blocks: []Block{title, Paragraph{Runs: r.Old}}},
			{Blocks: []Block{title, Paragraph{Runs: r.New}}},
			contrib,
		})
	}
	return []Block{H(2, s.Title), t}
}

// SynopseSample is a small Synopse for tests and previews.
func SynopseSample() *Synopse {
	return &Synopse{
		Title:     "Synopse: Zielbild Datennutzung",
		FromLabel: "Beteiligungsfassung",
		ToLabel:   "Aktuelle Fassung",
		Rows: []SynopseRow{{
			Passage: "Zielbild: Datennutzung",
			Old:     []Run{Text("Daten werden "), {Text: "künftig", Deleted: true}, Text(" gemeinsam genutzt.")},
			New:     []Run{Text("Daten werden "), {Text: "ab 2027 über Ländergrenzen", Inserted: true}, Text(" gemeinsam genutzt.")},
			Contributions: []Contribution{
				{Org: "BY", Kind: "Änderungsvorschlag", Text: "„ab 2027“ statt „künftig“ – verbindlicher."},
				{Org: "HH", Kind: "Zustimmung", Text: "Übernahme begrüßt."},
			},
		}},
	}
}
