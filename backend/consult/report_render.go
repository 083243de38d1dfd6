package consult

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

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

var threadHeader = []string{"Diskussion", "Abschnitt", "Organisation", "Art", "Status", "Bezugstext", "Zeilen (Beteiligungsfassung)", "Bezugstext entfernt",
	"Ersatztext", "Beiträge", "Ergebnis", "Ausgeblendet", "Erstellt (Europe/Berlin)", "Mitzeichner"}

func threadRecord(sec *domain.Section, t *domain.Thread) []string {
	var comments []string
	for _, c := range t.Comments {
		body := c.Body
		if c.Hidden {
			body = "[ausgeblendet: " + c.HiddenReason + "] " + body
		}
		comments = append(comments, fmt.Sprintf("%s (%s, %s): %s", c.AuthorName, c.OrgCode, BerlinZoned(c.CreatedAt), body))
	}
	removed, hidden := "nein", "nein"
	if t.Anchor.Removed {
		removed = "ja"
	}
	if t.Hidden {
		hidden = "ja: " + t.HiddenReason
	}
	return []string{strconv.FormatInt(t.ID, 10), sec.Title, t.OrgCode, kindLabels[t.Kind], statusLabels[t.Status],
		t.Quote, LineLabel(t.LineFrom, t.LineTo), removed, t.Replacement, strings.Join(comments, "\n"), t.Resolution, hidden, BerlinZoned(t.CreatedAt),
		strings.Join(cosignerCodes(t.Cosigners), ", ")}
}

// ReportTable is one table of the report: a sheet of the workbook and one
// CSV file each.
type ReportTable struct {
	Name   string // the key in ?table=
	Title  string // the sheet's name
	Header []string
	Rows   [][]string
}

// ReportTableNames are the tables of the report in sheet order.
var ReportTableNames = []string{"uebersicht", "stellungnahmen", "diskussionen", "synopse"}

// Tables returns the report's tables: counts per section and organisation,
// statements, threads, and the Synopse's changes. Times are in
// Europe/Berlin with the zone named.
func (r *Report) Tables() []ReportTable {
	var counts, stmts, threads, syn [][]string
	for _, c := range r.Counts {
		counts = append(counts, countRecord(c))
	}
	for _, s := range r.Statements {
		at := ""
		if s.SubmittedAt != nil {
			at = BerlinZoned(*s.SubmittedAt)
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
	return []ReportTable{
		{"uebersicht", "Übersicht", countHeader(), counts},
		{"stellungnahmen", "Stellungnahmen", []string{"Organisation", "Position", "Fassung", "Eingereicht (Europe/Berlin)"}, stmts},
		{"diskussionen", "Diskussionen", threadHeader, threads},
		{"synopse", "Synopse", []string{"Abschnitt", "Änderung", "Text"}, syn},
	}
}

// WriteCSV writes one table of the report (see ReportTableNames) as CSV for
// German Excel: UTF-8 with a byte-order mark, semicolons, CRLF line ends.
// Errors: EINVALID for an unknown table.
func (r *Report) WriteCSV(w io.Writer, table string) error {
	for _, t := range r.Tables() {
		if t.Name != table {
			continue
		}
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		cw.Comma, cw.UseCRLF = ';', true
		for _, rec := range append([][]string{t.Header}, t.Rows...) {
			out := make([]string, len(rec))
			for i, v := range rec {
				out[i] = cell(v)
			}
			if err := cw.Write(out); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}
	return domain.Invalid("table", "Erwartet: "+strings.Join(ReportTableNames, ", ")+".")
}

// WriteXLSX writes the report as an Excel workbook with one sheet per
// table; each has a bold, frozen header row and an autofilter.
func (r *Report) WriteXLSX(w io.Writer) error { return writeWorkbook(w, r.Tables()) }

// writeWorkbook writes tables as an Excel workbook, one sheet each.
func writeWorkbook(w io.Writer, tables []ReportTable) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for _, t := range tables {
		if err := writeSheet(f, t, bold); err != nil {
			return fmt.Errorf("sheet %s: %w", t.Title, err)
		}
	}
	if err := f.DeleteSheet("Sheet1"); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

func writeSheet(f *excelize.File, t ReportTable, bold int) error {
	name := t.Title
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	if err := f.SetSheetRow(name, "A1", &t.Header); err != nil {
		return err
	}
	if err := f.SetRowStyle(name, 1, 1, bold); err != nil {
		return err
	}
	for i, row := range t.Rows {
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
	last, _ := excelize.ColumnNumberToName(len(t.Header))
	if err := f.SetColWidth(name, "A", last, 24); err != nil {
		return err
	}
	if err := f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return f.AutoFilter(name, fmt.Sprintf("A1:%s%d", last, len(t.Rows)+1), nil)
}
