package importdoc_test

import (
	"bytes"
	"os"
	"reflect"
	"testing"

	"github.com/strategieraum/strategieraum/backend/export"
	"github.com/strategieraum/strategieraum/backend/export/exporttest"
	"github.com/strategieraum/strategieraum/backend/importdoc"
)

// entwurf is what testdata/entwurf.html says, as sections: LibreOffice's
// ODT and DOCX of it must both import to this.
var entwurf = []importdoc.ImportedSection{
	{Title: "Einleitung", Body: "Vorbemerkung der Themenpaten."},
	{Title: "Zielbild", Body: "Die Verwaltung nutzt **leistungsfähige Netze** und *sichere* Rechenzentren; mehr beim [IT-Planungsrat](https://www.it-planungsrat.de/).\n\n" +
		"# Handlungsfelder\n\n- Netze\n  - Glasfaser\n  - Mobilfunk\n- Rechenzentren"},
	{Title: "Leitplanken", Body: "1. Offene Standards\n2. Gemeinsame Betriebsmodelle\n\nGrößere Änderungen stimmt die FITKO ab."},
}

// TestLibreOfficeFixtures imports the committed files LibreOffice made
// from testdata/entwurf.html.
func TestLibreOfficeFixtures(t *testing.T) {
	for _, name := range []string{"testdata/entwurf.odt", "testdata/entwurf.docx"} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		secs, _, err := importdoc.Parse(name, data)
		if err != nil || !reflect.DeepEqual(secs, entwurf) {
			t.Errorf("%s:\n got %q (%v)\nwant %q", name, secs, err, entwurf)
		}
	}
}

// TestLibreOfficeConversion has LibreOffice write ODT and DOCX from HTML
// made here, and imports what it wrote. Skipped without soffice on a
// developer machine; required with STRATEGIERAUM_TEST_SOFFICE=1 or in CI.
func TestLibreOfficeConversion(t *testing.T) {
	html := []byte(`<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>T</title></head><body>
<h1>Datennutzung</h1>
<p>Daten <strong>gemeinsam</strong> und <em>sicher</em> nutzen, <a href="mailto:kontakt@fitko.de">Kontakt</a>.</p>
<h2>Schritte</h2>
<ol><li>Katalog<ol><li>Metadaten</li></ol></li><li>Zugänge</li></ol>
<h3>Prüfung</h3>
<p>Jährlich.</p>
<h1>Informationssicherheit</h1>
<p>Schutzbedarf nach BSI IT-Grundschutz.</p>
</body></html>`)
	want := []importdoc.ImportedSection{
		{Title: "Datennutzung", Body: "Daten **gemeinsam** und *sicher* nutzen, [Kontakt](mailto:kontakt@fitko.de).\n\n# Schritte\n\n1. Katalog\n   1. Metadaten\n2. Zugänge\n\n## Prüfung\n\nJährlich."},
		{Title: "Informationssicherheit", Body: "Schutzbedarf nach BSI IT-Grundschutz."},
	}
	in := map[string][]byte{"entwurf.html": html}
	for filter, ext := range map[string]string{"odt": ".odt", "docx:MS Word 2007 XML": ".docx"} {
		out := exporttest.Convert(t, in, filter, ext)
		secs, _, err := importdoc.Parse("entwurf"+ext, out["entwurf.html"])
		if err != nil || !reflect.DeepEqual(secs, want) {
			t.Errorf("%s:\n got %q (%v)\nwant %q", ext, secs, err, want)
		}
	}
}

// TestExportRoundTrip imports what the export writes: a section's text
// survives ODT and DOCX.
func TestExportRoundTrip(t *testing.T) {
	text := "Ein **fetter** und *kursiver* Satz mit [Link](https://example.org/).\n\n# Unterpunkt\n\n- eins\n  - zwei\n- drei\n\n1. erstens\n2. zweitens"
	d := &export.Document{Title: "Strategie"}
	d.Blocks = append(d.Blocks, export.H(1, "Abschnitt A"))
	d.Blocks = append(d.Blocks, export.FromMarkdown(text, 1)...)
	d.Blocks = append(d.Blocks, export.H(1, "Abschnitt B"), export.Para("Ende."))
	// The document's title stands before the first heading.
	want := []importdoc.ImportedSection{{Title: "Einleitung", Body: "**Strategie**"}, {Title: "Abschnitt A", Body: text}, {Title: "Abschnitt B", Body: "Ende."}}
	for _, format := range []string{"odt", "docx"} {
		r, ok := export.Lookup(format)
		if !ok {
			t.Fatalf("no %s renderer", format)
		}
		var buf bytes.Buffer
		if err := r.Render(&buf, d); err != nil {
			t.Fatal(err)
		}
		secs, _, err := importdoc.Parse("strategie."+format, buf.Bytes())
		if err != nil || !reflect.DeepEqual(secs, want) {
			t.Errorf("%s:\n got %q (%v)\nwant %q", format, secs, err, want)
		}
	}
}
