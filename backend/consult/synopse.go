package consult

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/export"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// SynopseVersion names one side of a Synopse: a named version (a
// Beteiligungsfassung or a version frozen by hand) or a version of the op
// log.
type SynopseVersion struct {
	Label string `json:"label"`
	// NamedVersionID is set where the side is a named version.
	NamedVersionID *int64 `json:"named_version_id"`
	// Version is the op-log version the text is at.
	Version int64 `json:"version"`
}

// SynopseRow is one paragraph of the older version beside what became of
// it: Old holds its unchanged and deleted words, New the unchanged and
// inserted ones. Line is the paragraph's number in the older version
// ("Z. 3"); text before the first paragraph belongs to row 1, and an
// empty older version gives one row with Line 0.
type SynopseRow struct {
	Line int      `json:"line"`
	Old  []Change `json:"old"`
	New  []Change `json:"new"`
	// Threads are the threads and proposals that cite this paragraph first
	// (their line_from); only where the older version is the
	// Beteiligungsfassung their lines refer to.
	Threads []*domain.Thread `json:"threads"`
}

// Synopse compares two versions of a section paragraph by paragraph.
type Synopse struct {
	SectionID    int64          `json:"section_id"`
	SectionTitle string         `json:"section_title"`
	From         SynopseVersion `json:"from"`
	To           SynopseVersion `json:"to"`
	Rows         []*SynopseRow  `json:"rows"`
}

// SectionSynopse compares two versions of a section word by word, aligned
// by the paragraphs of from, with the threads that cite each paragraph
// beside it. from and to are each "named:<id>" (a named version of the
// section), a plain op-log version number, or empty: from defaults to the
// newest Beteiligungsfassung, to to the current text. Everyone who may
// read the section may see it. Errors: ENOTFOUND (section, named version
// or no Beteiligungsfassung yet), EFORBIDDEN, EINVALID (malformed or
// out-of-range version).
func (s *Service) SectionSynopse(ctx context.Context, u *domain.User, sectionID int64, from, to string) (*Synopse, error) {
	sec, st, err := s.sectionAndStrategy(ctx, sectionID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.ReadSection, policy.Resource{Strategy: st, Section: sec}, fmt.Sprintf("section:%d", sec.ID)); err != nil {
		return nil, err
	}
	named, err := s.d.Store.FindNamedVersions(ctx, sec.ID)
	if err != nil {
		return nil, err
	}
	current, cv, err := s.d.OpLog.Snapshot(ctx, domain.SectionDoc(sec.ID))
	if err != nil {
		return nil, err
	}
	oldText, oldSide, oldNV, err := s.synopseSide(ctx, sec.ID, "from", from, named, current, cv)
	if err != nil {
		return nil, err
	}
	newText, newSide, _, err := s.synopseSide(ctx, sec.ID, "to", to, named, current, cv)
	if err != nil {
		return nil, err
	}
	out := &Synopse{SectionID: sec.ID, SectionTitle: sec.Title, From: oldSide, To: newSide, Rows: alignRows(oldText, WordDiff(oldText, newText))}
	if oldNV == nil || oldNV.PhaseID == nil {
		return out, nil
	}
	threads, err := s.SectionThreads(ctx, u, sec.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range threads {
		if t.PhaseID == nil || *t.PhaseID != *oldNV.PhaseID || t.LineFrom == nil {
			continue
		}
		i := min(max(*t.LineFrom, 1), len(out.Rows)) - 1
		out.Rows[i].Threads = append(out.Rows[i].Threads, t)
	}
	return out, nil
}

// synopseSide resolves one side of a Synopse to its text.
func (s *Service) synopseSide(ctx context.Context, sectionID int64, field, spec string, named []*domain.NamedVersion, current string, cv int64) (string, SynopseVersion, *domain.NamedVersion, error) {
	var nv *domain.NamedVersion
	switch {
	case spec == "" && field == "to":
		return current, SynopseVersion{Label: fmt.Sprintf("Aktuelle Fassung (Version %d)", cv), Version: cv}, nil, nil
	case spec == "":
		for i := len(named) - 1; i >= 0 && nv == nil; i-- {
			if named[i].PhaseID != nil {
				nv = named[i]
			}
		}
		if nv == nil {
			return "", SynopseVersion{}, nil, domain.Errorf(domain.ENOTFOUND, "Dieser Abschnitt hat noch keine Beteiligungsfassung; bitte zwei Fassungen wählen.")
		}
	case strings.HasPrefix(spec, "named:"):
		id, err := strconv.ParseInt(strings.TrimPrefix(spec, "named:"), 10, 64)
		if err != nil {
			return "", SynopseVersion{}, nil, domain.Invalid(field, "Erwartet: named:<Nummer> oder eine Versionsnummer.")
		}
		for _, n := range named {
			if n.ID == id {
				nv = n
			}
		}
		if nv == nil {
			return "", SynopseVersion{}, nil, domain.Errorf(domain.ENOTFOUND, "Diese Fassung gibt es für den Abschnitt nicht.")
		}
	default:
		v, err := strconv.ParseInt(spec, 10, 64)
		if err != nil || v < 0 || v > cv {
			return "", SynopseVersion{}, nil, domain.Invalid(field, fmt.Sprintf("Erwartet: named:<Nummer> oder eine Versionsnummer von 0 bis %d.", cv))
		}
		text := current
		if v < cv {
			if text, err = s.d.History.TextAt(ctx, domain.SectionDoc(sectionID), v); err != nil {
				return "", SynopseVersion{}, nil, err
			}
		}
		return text, SynopseVersion{Label: fmt.Sprintf("Version %d", v), Version: v}, nil, nil
	}
	id := nv.ID
	return nv.Text, SynopseVersion{Label: fmt.Sprintf("%s (Version %d)", nv.Name, nv.Version), NamedVersionID: &id, Version: nv.Version}, nv, nil
}

// alignRows splits a word diff of old against a newer text into rows, one
// per paragraph of old. Unchanged and deleted runs advance through old and
// are cut where a paragraph starts; an insertion joins the row the old
// text has reached.
func alignRows(old string, changes []Change) []*SynopseRow {
	paras := Paragraphs(old)
	rows := []*SynopseRow{{Line: min(len(paras), 1)}}
	for i := 1; i < len(paras); i++ {
		rows = append(rows, &SynopseRow{Line: i + 1})
	}
	row, pos := 0, 0
	add := func(r *SynopseRow, c Change) {
		if c.Kind != Inserted {
			r.Old = appendChange(r.Old, c)
		}
		if c.Kind != Deleted {
			r.New = appendChange(r.New, c)
		}
	}
	for _, c := range changes {
		if c.Kind == Inserted {
			add(rows[row], c)
			continue
		}
		text := []rune(c.Text)
		for len(text) > 0 {
			n := len(text)
			if row+1 < len(paras) {
				n = min(n, paras[row+1][0]-pos)
			}
			if n == 0 {
				row++
				continue
			}
			add(rows[row], Change{Kind: c.Kind, Text: string(text[:n])})
			text, pos = text[n:], pos+n
		}
	}
	for _, r := range rows {
		r.Old, r.New = nonNilChanges(r.Old), nonNilChanges(r.New)
		r.Threads = []*domain.Thread{}
	}
	return rows
}

func appendChange(cs []Change, c Change) []Change {
	if n := len(cs); n > 0 && cs[n-1].Kind == c.Kind {
		cs[n-1].Text += c.Text
		return cs
	}
	return append(cs, c)
}

func nonNilChanges(cs []Change) []Change {
	if cs == nil {
		return []Change{}
	}
	return cs
}

// Document lays out the Synopse for the office formats: one table row per
// paragraph, the contributions beside it.
func (sy *Synopse) Document() *export.Document {
	doc := &export.Synopse{Title: "Synopse: " + sy.SectionTitle, FromLabel: sy.From.Label, ToLabel: sy.To.Label}
	for _, r := range sy.Rows {
		row := export.SynopseRow{Passage: fmt.Sprintf("Z. %d", r.Line)}
		for _, c := range r.Old {
			row.Old = append(row.Old, export.Run{Text: c.Text, Deleted: c.Kind == Deleted})
		}
		for _, c := range r.New {
			row.New = append(row.New, export.Run{Text: c.Text, Inserted: c.Kind == Inserted})
		}
		for _, t := range r.Threads {
			row.Contributions = append(row.Contributions, threadContribution(t))
		}
		doc.Rows = append(doc.Rows, row)
	}
	return &export.Document{Title: doc.Title, Blocks: doc.Blocks()}
}
