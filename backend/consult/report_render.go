package consult

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Labels for the report's columns and values, in German.
var (
	kindLabels = map[domain.ThreadKind]string{
		domain.KindKommentar: "Kommentar", domain.KindFrage: "Frage", domain.KindAenderungsvorschlag: "Änderungsvorschlag",
		domain.KindZustimmung: "Zustimmung", domain.KindEinwand: "Einwand"}
	statusLabels = map[domain.ThreadStatus]string{
		domain.StatusOffen: "offen", domain.StatusErledigt: "erledigt", domain.StatusUebernommen: "übernommen",
		domain.StatusAbgelehnt: "abgelehnt"}
	positionLabels = map[domain.Position]string{
		domain.PositionZustimmung: "Zustimmung", domain.PositionZustimmungMitAenderungen: "Zustimmung mit Änderungen",
		domain.PositionAblehnung: "Ablehnung", domain.PositionEnthaltung: "Enthaltung", "": "—"}
)

func countHeader() []string {
	h := []string{"Abschnitt", "Organisation", "Diskussionen"}
	for _, k := range domain.ThreadKinds {
		h = append(h, kindLabels[k])
	}
	for _, st := range domain.ThreadStatuses {
		h = append(h, statusLabels[st])
	}
	return append(h, "Stellungnahme")
}

func countRecord(r *CountRow) []string {
	rec := []string{r.SectionTitle, r.OrgCode, strconv.Itoa(r.Total)}
	for _, k := range domain.ThreadKinds {
		rec = append(rec, strconv.Itoa(r.ByKind[k]))
	}
	for _, st := range domain.ThreadStatuses {
		rec = append(rec, strconv.Itoa(r.ByStatus[st]))
	}
	return append(rec, positionLabels[r.Position])
}

var threadHeader = []string{"Diskussion", "Abschnitt", "Organisation", "Art", "Status", "Bezugstext", "Bezugstext entfernt",
	"Ersatztext", "Beiträge", "Ergebnis", "Ausgeblendet", "Erstellt (UTC)"}

func threadRecord(sec *domain.Section, t *domain.Thread) []string {
	var comments []string
	for _, c := range t.Comments {
		body := c.Body
		if c.Hidden {
			body = "[ausgeblendet: " + c.HiddenReason + "] " + body
		}
		comments = append(comments, fmt.Sprintf("%s (%s, %s): %s", c.AuthorName, c.OrgCode, c.CreatedAt.UTC().Format(time.DateTime), body))
	}
	removed, hidden := "nein", "nein"
	if t.Anchor.Removed {
		removed = "ja"
	}
	if t.Hidden {
		hidden = "ja: " + t.HiddenReason
	}
	return []string{strconv.FormatInt(t.ID, 10), sec.Title, t.OrgCode, kindLabels[t.Kind], statusLabels[t.Status],
		t.Quote, removed, t.Replacement, strings.Join(comments, "\n"), t.Resolution, hidden, t.CreatedAt.UTC().Format(time.DateTime)}
}

// WriteCSV writes the report as CSV: the counts table, an empty row, then
// one row per thread.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	write := func(rec []string) {
		for i := range rec {
			rec[i] = cell(rec[i])
		}
		_ = cw.Write(rec)
	}
	write(countHeader())
	for _, c := range r.Counts {
		write(countRecord(c))
	}
	write([]string{})
	write(append([]string(nil), threadHeader...))
	for _, s := range r.Sections {
		for _, t := range s.Threads {
			write(threadRecord(s.Section, t))
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes the report as an Excel workbook with the sheets
// Übersicht, Stellungnahmen, Diskussionen and Synopse.
func (r *Report) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sheet := func(name string, header []string, rows [][]string) error {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := f.SetSheetRow(name, "A1", &header); err != nil {
			return err
		}
		if err := f.SetRowStyle(name, 1, 1, bold); err != nil {
			return err
		}
		for i, row := range rows {
			vals := make([]any, len(row))
			for j, v := range row {
				if n, err := strconv.Atoi(v); err == nil && v != "" && j > 0 {
					vals[j] = n
				} else {
					vals[j] = v
				}
			}
			cellName, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := f.SetSheetRow(name, cellName, &vals); err != nil {
				return err
			}
		}
		return f.SetColWidth(name, "A", "L", 24)
	}
	var counts, stmts, threads, syn [][]string
	for _, c := range r.Counts {
		counts = append(counts, countRecord(c))
	}
	for _, s := range r.Statements {
		at := ""
		if s.SubmittedAt != nil {
			at = s.SubmittedAt.UTC().Format(time.DateTime)
		}
		stmts = append(stmts, []string{s.OrgCode, positionLabels[s.Position], strconv.Itoa(s.Version), at})
	}
	for _, s := range r.Sections {
		for _, t := range s.Threads {
			threads = append(threads, threadRecord(s.Section, t))
		}
		for _, c := range s.Changes {
			if c.Kind != Unchanged {
				syn = append(syn, []string{s.Section.Title, map[ChangeKind]string{Inserted: "eingefügt", Deleted: "gestrichen"}[c.Kind], c.Text})
			}
		}
	}
	steps := []struct {
		name   string
		header []string
		rows   [][]string
	}{
		{"Übersicht", countHeader(), counts},
		{"Stellungnahmen", []string{"Organisation", "Position", "Fassung", "Eingereicht (UTC)"}, stmts},
		{"Diskussionen", threadHeader, threads},
		{"Synopse", []string{"Abschnitt", "Änderung", "Text"}, syn},
	}
	for _, s := range steps {
		if err := sheet(s.name, s.header, s.rows); err != nil {
			return err
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}
