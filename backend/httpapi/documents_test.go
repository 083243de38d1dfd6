package httpapi_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/export/exporttest"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// zipPart returns one part of an office file.
func zipPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	must(t, err)
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			must(t, err)
			defer rc.Close()
			b, err := io.ReadAll(rc)
			must(t, err)
			return string(b)
		}
	}
	t.Fatalf("no %s in the file", name)
	return ""
}

func TestStrategyDocument(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		must(t, f.seedText("## Ziel für Länder\n\nDaten **teilen** – „sicher“ und straßenweit.\n\n- erstens\n- zweitens\n"))
		path := fmt.Sprintf("/api/strategies/%d/document", f.strategy.ID)

		// Anonymous callers learn nothing; bad parameters are problems.
		wantStatus(t, f.do(nil, "GET", path+"?format=odt", "", ""), 401)
		for _, q := range []string{"", "?format=rtf", "?format=odt&part=anhang", "?format=odt&topic=99999", fmt.Sprintf("?format=odt&part=dachstrategie&topic=%d", f.topic.ID)} {
			r := f.do(nil, "GET", path+q, "", "reader")
			wantStatus(t, r, 400)
			r.problem(t)
		}
		wantStatus(t, f.do(nil, "GET", "/api/strategies/99999/document?format=odt", "", "reader"), 404)

		// A reader sees no drafts, so the document holds none of the draft sections.
		r := f.do(nil, "GET", path+"?format=docx", "", "reader")
		wantStatus(t, r, 200)
		if doc := zipPart(t, r.body, "word/document.xml"); strings.Contains(doc, "Zielbild Datennutzung") || !strings.Contains(doc, "Diese Auswahl enthält keine Abschnitte.") {
			t.Fatalf("a reader's document shows drafts: %s", doc)
		}

		// The moderation downloads the whole strategy as DOCX and one topic as ODT.
		r = f.do(nil, "GET", path+"?format=docx", "", "moderator")
		wantStatus(t, r, 200)
		if ct := r.header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
			t.Fatalf("content type %q", ct)
		}
		if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, `.docx"`) {
			t.Fatalf("content disposition %q", cd)
		}
		doc := zipPart(t, r.body, "word/document.xml")
		for _, want := range []string{"Dachstrategie", "Zukunftsbild der Verwaltung", "Schwerpunktthemen", "Datennutzung", "Zielbild Datennutzung", "Ziel für Länder"} {
			if !strings.Contains(doc, want) {
				t.Errorf("document lacks %q", want)
			}
		}
		docx := r.body
		r = f.do(nil, "GET", fmt.Sprintf("%s?format=odt&topic=%d", path, f.topic.ID), "", "moderator")
		wantStatus(t, r, 200)
		content := zipPart(t, r.body, "content.xml")
		if !strings.Contains(content, "Schwerpunktthema: Datennutzung") || strings.Contains(content, "Zukunftsbild der Verwaltung") {
			t.Fatalf("topic selection wrong: %s", content)
		}
		odt := r.body
		r = f.do(nil, "GET", path+"?format=pdf&part=dachstrategie", "", "moderator")
		wantStatus(t, r, 200)
		if !bytes.HasPrefix(r.body, []byte("%PDF-")) {
			t.Fatalf("not a PDF: %q", r.body[:min(len(r.body), 20)])
		}

		if db.Dialect() != "sqlite" {
			return // LibreOffice reads the same bytes on either database; once is enough
		}
		pages := exporttest.OfficeHTML(t, map[string][]byte{"ganz.docx": docx, "thema.odt": odt})
		for name, want := range map[string][]string{
			"ganz.docx": {"1 Dachstrategie", "2 Zukunftsbild der Verwaltung", "1 Schwerpunktthemen", "2 Datennutzung", "3 Zielbild Datennutzung", "3 Ziel für Länder"},
			"thema.odt": {"1 Schwerpunktthemen", "2 Datennutzung", "3 Zielbild Datennutzung", "3 Ziel für Länder"},
		} {
			hs := strings.Join(exporttest.Headings(pages[name]), "\n")
			for _, w := range want {
				if !strings.Contains(hs, w) {
					t.Errorf("%s: heading %q missing in\n%s", name, w, hs)
				}
			}
			if text := exporttest.Plain(pages[name]); !strings.Contains(text, "Daten teilen – „sicher“ und straßenweit.") {
				t.Errorf("%s: text lost: %s", name, text)
			}
		}
	})
}

// TestReceiptAndReportDocuments: a Land's receipt and the moderation's
// report with its Synopse, in every office format, opened by LibreOffice
// and pdftotext.
func TestReceiptAndReportDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		f.openConsultation(t, "Bund und Länder teilen Daten sicher und einmal.")
		sec := f.sections[0].ID
		r := f.do(nil, "POST", fmt.Sprintf("/api/sections/%d/threads", sec), `{"kind":"aenderungsvorschlag","start":29,"end":35,"version":1,"body":"Präziser – „datensparsam“.","replacement":"sicher und datensparsam"}`, "land")
		wantStatus(t, r, 201)
		var prop struct{ ID int64 }
		r.json(t, &prop)
		wantStatus(t, f.do(nil, "POST", fmt.Sprintf("/api/threads/%d/accept", prop.ID), `{}`, "themenpate"), 200)
		stmt := fmt.Sprintf("/api/strategies/%d/statement", f.strategy.ID)
		wantStatus(t, f.do(nil, "PUT", stmt, `{"position":"zustimmung","body":"## Begründung\n\nHessen stimmt **zu** – „gern“ und straßenweit."}`, "land"), 200)
		wantStatus(t, f.do(nil, "POST", stmt+"/submit", "", "land"), 200)

		receipt := fmt.Sprintf("/api/strategies/%d/statements/%d/versions/1/receipt", f.strategy.ID, f.users["land"].OrgID)
		wantStatus(t, f.do(nil, "GET", receipt+"?format=odt", "", "reader"), 403)
		files := map[string][]byte{}
		for _, format := range []string{"odt", "docx", "pdf"} {
			r := f.do(nil, "GET", receipt+"?format="+format, "", "land")
			wantStatus(t, r, 200)
			files["receipt."+format] = r.body
		}
		report := fmt.Sprintf("/api/strategies/%d/report/document", f.strategy.ID)
		wantStatus(t, f.do(nil, "GET", report+"?format=odt", "", "land"), 403)
		r = f.do(nil, "GET", report+"?format=xlsx", "", "moderator")
		wantStatus(t, r, 400)
		r.problem(t)
		for _, format := range []string{"odt", "docx", "pdf"} {
			r := f.do(nil, "GET", report+"?format="+format, "", "moderator")
			wantStatus(t, r, 200)
			files["report."+format] = r.body
		}
		if db.Dialect() != "sqlite" {
			return
		}
		receiptWant := []string{"Eingangsbestätigung", "Organisation", "(HE)", "Gesamtposition Zustimmung", "Test land",
			consult.TextSHA256("## Begründung\n\nHessen stimmt **zu** – „gern“ und straßenweit."), "Hessen stimmt zu – „gern“ und straßenweit."}
		reportWant := []string{"Auswertung der Beteiligung", "Stellungnahmen", "HE", "Zustimmung", "Synopse: Zielbild Datennutzung",
			"HE – Änderungsvorschlag:", "Präziser – „datensparsam“."}
		pages := exporttest.OfficeHTML(t, map[string][]byte{"receipt.odt": files["receipt.odt"], "receipt.docx": files["receipt.docx"],
			"report.odt": files["report.odt"], "report.docx": files["report.docx"]})
		for name, page := range pages {
			want := receiptWant
			if strings.HasPrefix(name, "report") {
				want = reportWant
				var synopse string
				for _, tb := range exporttest.Tables(page) {
					if strings.Contains(tb, "Beteiligungsfassung") && strings.Contains(tb, "Zielbild Datennutzung") {
						synopse = tb
					}
				}
				for _, w := range []string{"Bund und Länder teilen Daten sicher und einmal.", "Bund und Länder teilen Daten sicher und datensparsam und einmal.", "HE – Änderungsvorschlag"} {
					if !strings.Contains(synopse, w) {
						t.Errorf("%s: Synopse table lacks %q: %s", name, w, synopse)
					}
				}
			} else if hs := strings.Join(exporttest.Headings(page), "\n"); !strings.Contains(hs, "1 Text der Stellungnahme") || !strings.Contains(hs, "3 Begründung") {
				t.Errorf("%s: headings %s", name, hs)
			}
			text := exporttest.Plain(page)
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s lacks %q", name, w)
				}
			}
		}
		for name, want := range map[string][]string{"receipt.pdf": receiptWant, "report.pdf": append(reportWant, "[+datensparsam und ]")} {
			text := exporttest.Plain(exporttest.PDFText(t, files[name]))
			// The hash is wrapped inside its table cell.
			joined := strings.ReplaceAll(text, " ", "")
			for _, w := range want {
				if !strings.Contains(text, w) && !strings.Contains(joined, w) {
					t.Errorf("%s lacks %q:\n%s", name, w, text)
				}
			}
		}
	})
}
