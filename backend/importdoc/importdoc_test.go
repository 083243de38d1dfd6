package importdoc

import (
	"archive/zip"
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
)

func mustParse(t *testing.T, name string, data []byte) []ImportedSection {
	t.Helper()
	secs, _, err := Parse(name, data)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return secs
}

func check(t *testing.T, got, want []ImportedSection) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("sections:\n got %q\nwant %q", got, want)
	}
}

func TestMarkdown(t *testing.T) {
	src := "Vorwort mit *Betonung*.\r\n\r\n# Zukunftsbild\n\nText **fett** und [Link](https://example.org).\n\n## Ziele\n\n- eins\n  - zwei\n1. drei\n\n```\n# kein Abschnitt\n```\n\nLeitlinien\n==========\n\nZweiter Teil.\n\n### Tief\n"
	check(t, mustParse(t, "entwurf.md", []byte(src)), []ImportedSection{
		{"Einleitung", "Vorwort mit *Betonung*."},
		{"Zukunftsbild", "Text **fett** und [Link](https://example.org).\n\n# Ziele\n\n- eins\n  - zwei\n1. drei\n\n```\n# kein Abschnitt\n```"},
		{"Leitlinien", "Zweiter Teil.\n\n## Tief"},
	})
	// Without headings the file names the one section; ## is the top
	// level when there is no #.
	check(t, mustParse(t, `C:\Entwürfe\Daten_nutzung.markdown`, []byte("\ufeffNur Text.\n")), []ImportedSection{{"Daten nutzung", "Nur Text."}})
	check(t, mustParse(t, "a.md", []byte("## Eins\nA\n### Unter\nB\n## Zwei\n")), []ImportedSection{{"Eins", "A\n# Unter\nB"}, {"Zwei", ""}})
	// A heading with markup gives a plain title.
	check(t, mustParse(t, "a.md", []byte("# Die *Digitale* `Transformation`\nx\n# 1. Ziele ##\n---\nFront\n---\n<!--\n# kein\n-->\n~~~\n# kein\n~~~\n    # kein\n- Liste\n---")),
		[]ImportedSection{{"Die Digitale Transformation", "x"}, {"1. Ziele", "---\n# Front\n<!--\n# kein\n-->\n~~~\n# kein\n~~~\n    # kein\n- Liste\n---"}})
}

func TestODT(t *testing.T) {
	styles := `<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="T2" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="T3" style:family="text" style:parent-style-name="T1"><style:text-properties fo:font-style="italic"/></style:style>
<text:list-style style:name="L1"><text:list-level-style-bullet text:level="1"/><text:list-level-style-number text:level="2"/></text:list-style>
<text:list-style style:name="L2"><text:list-level-style-number text:level="1"/></text:list-style>`
	body := `<text:p>Vorab   ein  Satz.</text:p>
<text:h text:outline-level="1">Digitale <text:span text:style-name="T1">Infrastruktur</text:span></text:h>
<text:p>Ein <text:span text:style-name="T1">fetter</text:span>, ein <text:span text:style-name="T2">kursiver </text:span>und ein <text:span text:style-name="T3">beides</text:span> Teil.<text:line-break/>Zweite<text:s text:c="2"/>Zeile mit <text:a xlink:href="https://www.it-planungsrat.de">IT-PLR</text:a> und <text:a xlink:href="javascript:alert(1)">Skript</text:a>.</text:p>
<text:h text:outline-level="2">Ziele</text:h>
<text:list text:style-name="L1"><text:list-item><text:p>Netze</text:p><text:list><text:list-item><text:p>Glasfaser</text:p></text:list-item><text:list-item><text:p>Mobilfunk</text:p></text:list-item></text:list></text:list-item><text:list-item><text:p>Rechenzentren</text:p></text:list-item></text:list>
<text:list text:style-name="L2"><text:list-item><text:p>Erstens</text:p></text:list-item><text:list-item><text:p>Zweitens</text:p><text:p>noch dazu</text:p></text:list-item></text:list>
<text:p>* kein [Link] # 1. &amp;amp;<text:note><text:note-body><text:p>Fußnote</text:p></text:note-body></text:note></text:p>
<text:table-of-content><text:index-body><text:p>Inhaltsverzeichnis</text:p></text:index-body></text:table-of-content>
<text:h text:outline-level="1">Datennutzung</text:h>
<text:p/>`
	check(t, mustParse(t, "strategie.odt", odtOf(t, styles, body)), []ImportedSection{
		{"Einleitung", "Vorab ein Satz."},
		{"Digitale Infrastruktur", "Ein **fetter**, ein *kursiver* und ein ***beides*** Teil.\\\nZweite  Zeile mit [IT-PLR](https://www.it-planungsrat.de) und Skript.\n\n" +
			"# Ziele\n\n- Netze\n  1. Glasfaser\n  2. Mobilfunk\n- Rechenzentren\n\n1. Erstens\n2. Zweitens\\\n   noch dazu\n\n\\* kein \\[Link\\] # 1. \\&amp;"},
		{"Datennutzung", ""},
	})
}

func TestDOCX(t *testing.T) {
	styles := `<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Zwischentitel"><w:name w:val="Zwischentitel"/><w:basedOn w:val="berschrift2"/></w:style>
<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Aufzhlung"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Verzeichnis1"><w:name w:val="toc 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Inhaltsverzeichnisberschrift"><w:name w:val="TOC Heading"/><w:basedOn w:val="berschrift1"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
<w:style w:type="character" w:styleId="Fett"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>`
	numbering := `<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>`
	rels := `<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.fitko.de/" TargetMode="External"/>`
	p := func(inner string) string { return "<w:p>" + inner + "</w:p>" }
	r := func(props, text string) string {
		return `<w:r><w:rPr>` + props + `</w:rPr><w:t xml:space="preserve">` + text + `</w:t></w:r>`
	}
	body := `<w:sdt><w:sdtContent><w:p><w:pPr><w:pStyle w:val="Inhaltsverzeichnisberschrift"/></w:pPr>` + r("", "Inhalt") + `</w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="Verzeichnis1"/></w:pPr>` + r("", "Zukunftsbild 1") + `</w:p></w:sdtContent></w:sdt>` +
		p(r("", "Präambel")) +
		`<w:p><w:pPr><w:pStyle w:val="berschrift1"/></w:pPr>` + r("<w:b/>", "Zukunftsbild") + `</w:p>` +
		p(r("", "Ein ")+r("<w:b/>", "fetter")+r("", " und ")+r("<w:i/>", "kursiver")+r(`<w:b/><w:b w:val="0"/>`, " Text, ")+r(`<w:rStyle w:val="Fett"/>`, "stark")+
			`<w:hyperlink r:id="rId9">`+r("", "FITKO")+`</w:hyperlink>`+
			`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "https://example.org/a b" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`+r("", "Feld")+`<w:r><w:fldChar w:fldCharType="end"/></w:r>`+
			`<w:r><w:br/><w:t>neu</w:t><w:tab/><w:t>Zeile</w:t></w:r><w:del><w:r><w:delText>weg</w:delText></w:r></w:del>`) +
		`<w:p><w:pPr><w:pStyle w:val="Zwischentitel"/></w:pPr>` + r("", "Leitplanken") + `</w:p>` +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>` + r("", "erstens") + `</w:p>` +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr>` + r("", "Punkt") + `</w:p>` +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>` + r("", "zweitens") + `</w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="Aufzhlung"/></w:pPr>` + r("", "Stichpunkt") + `</w:p>` +
		`<w:tbl><w:tr><w:tc>` + p(r("", "Zelle")) + `</w:tc></w:tr></w:tbl>` +
		`<w:p><w:pPr><w:pStyle w:val="berschrift1"/><w:outlineLvl w:val="9"/></w:pPr>` + r("", "Kein Titel") + `</w:p>` +
		`<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr>` + r("", "Umsetzung") + `</w:p>` + p(r("", "Ende"))
	check(t, mustParse(t, "Entwurf.DOCX", docxOf(t, body, styles, numbering, rels)), []ImportedSection{
		{"Einleitung", "Präambel"},
		{"Zukunftsbild", "Ein **fetter** und *kursiver* Text, **stark**[FITKO](https://www.fitko.de/)[Feld](https://example.org/a%20b)\\\nneu Zeile\n\n" +
			"# Leitplanken\n\n1. erstens\n   - Punkt\n2. zweitens\n\n- Stichpunkt\n\nZelle\n\nKein Titel"},
		{"Umsetzung", "Ende"},
	})
	// Without styles.xml, the style id names the heading.
	check(t, mustParse(t, "x.docx", docxOf(t, `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>`+r("", "Titel")+`</w:p>`+p(r("", "Text")), "", "", "")),
		[]ImportedSection{{"Titel", "Text"}})
}

// TestRefused checks that wrong, damaged and oversized files are refused
// with a German message and the right code.
func TestRefused(t *testing.T) {
	odt := odtOf(t, "", "<text:p>x</text:p>")
	docx := docxOf(t, "<w:p><w:r><w:t>x</w:t></w:r></w:p>", "", "", "")
	deep := docxOf(t, strings.Repeat("<w:sdt>", 200)+strings.Repeat("</w:sdt>", 200), "", "", "")
	many := func() []byte {
		parts := []string{"word/document.xml", "<w:document " + wNS + "/>"}
		for i := range 30 {
			parts = append(parts, "media/"+string(rune('a'+i)), "")
		}
		return zipOf(t, parts...)
	}()
	cases := []struct {
		name   string
		file   string
		data   []byte
		limits Limits
		code   string
	}{
		{"odt named docx", "a.docx", odt, Limits{}, domain.EINVALID},
		{"docx named odt", "a.odt", docx, Limits{}, domain.EINVALID},
		{"docx named md", "a.md", docx, Limits{}, domain.EINVALID},
		{"text named docx", "a.docx", []byte("# Hallo"), Limits{}, domain.EINVALID},
		{"pdf", "a.md", []byte("%PDF-1.7 ..."), Limits{}, domain.EINVALID},
		{"old doc", "a.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), Limits{}, domain.EINVALID},
		{"ole named docx", "a.docx", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xxxx"), Limits{}, domain.EINVALID},
		{"unknown extension", "a.exe", []byte("MZ"), Limits{}, domain.EINVALID},
		{"spreadsheet", "a.odt", zipOf(t, "mimetype", "application/vnd.oasis.opendocument.spreadsheet", "content.xml", "<x/>"), Limits{}, domain.EINVALID},
		{"broken zip", "a.docx", append([]byte("PK\x03\x04"), make([]byte, 50)...), Limits{}, domain.EINVALID},
		{"broken xml", "a.docx", zipOf(t, "word/document.xml", "<w:document "+wNS+"><w:body>"), Limits{}, domain.EINVALID},
		{"binary md", "a.md", []byte("a\x00b"), Limits{}, domain.EINVALID},
		{"latin1 md", "a.md", []byte("Stra\xdfe"), Limits{}, domain.EINVALID},
		{"empty", "a.md", []byte(" \n\n"), Limits{}, domain.EINVALID},
		{"empty odt", "a.odt", odtOf(t, "", "<text:p/>"), Limits{}, domain.EINVALID},
		{"file too large", "a.md", []byte("0123456789"), Limits{MaxFileSize: 5}, domain.ETOOLARGE},
		{"too deep", "a.docx", deep, Limits{}, domain.ETOOLARGE},
		{"too many entries", "a.docx", many, Limits{MaxEntries: 20}, domain.ETOOLARGE},
		{"too many entries declared", "a.docx", declareEntries(many, 60000), Limits{MaxEntries: 20}, domain.ETOOLARGE},
		{"unpacked too large", "a.docx", docx, Limits{MaxUnpacked: 100}, domain.ETOOLARGE},
		{"too many sections", "a.md", []byte("# a\n# b\n# c\n"), Limits{MaxSections: 2}, domain.ETOOLARGE},
		{"section too long", "a.md", []byte("# a\n" + strings.Repeat("ä", 11)), Limits{MaxSectionLen: 10}, domain.ETOOLARGE},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := c.limits.Parse(c.file, c.data)
			var de *domain.Error
			if domain.ErrorCode(err) != c.code || !asDomain(err, &de) || de.Fields["file"] == "" {
				t.Fatalf("err = %v (%s), want %s on field file", err, domain.ErrorCode(err), c.code)
			}
		})
	}
}

func asDomain(err error, de **domain.Error) bool {
	e, ok := err.(*domain.Error)
	*de = e
	return ok
}

// TestZipBomb checks that an entry is not inflated past the budget even
// when its declared size lies.
func TestZipBomb(t *testing.T) {
	big := "<w:document " + wNS + "><w:body><w:p><w:r><w:t>" + strings.Repeat("a", 1<<20) + "</w:t></w:r></w:p></w:body></w:document>"
	data := zipOf(t, "word/document.xml", big)
	if _, _, err := (Limits{MaxUnpacked: 1 << 20}).Parse("a.docx", data); domain.ErrorCode(err) != domain.ETOOLARGE {
		t.Fatalf("honest size: %v", err)
	}
	// Rewrite the declared sizes in the local header and the central
	// directory to 100 bytes.
	lied := lieAboutSizes(t, data, 100)
	zr, err := zip.NewReader(bytes.NewReader(lied), int64(len(lied)))
	if err != nil || zr.File[0].UncompressedSize64 != 100 {
		t.Fatalf("lying zip not made: %v", err)
	}
	if _, _, err := (Limits{MaxUnpacked: 1 << 19}).Parse("a.docx", lied); domain.ErrorCode(err) != domain.ETOOLARGE && domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("lying size: %v", err)
	}
	if _, _, err := (Limits{MaxUnpacked: 1 << 19}).Parse("a.docx", lied); err == nil {
		t.Fatal("a zip bomb was read")
	}
}

// lieAboutSizes sets the uncompressed size of every entry to n in the
// local headers and the central directory.
func lieAboutSizes(t *testing.T, data []byte, n uint32) []byte {
	out := bytes.Clone(data)
	put := func(at int) {
		out[at], out[at+1], out[at+2], out[at+3] = byte(n), byte(n>>8), byte(n>>16), byte(n>>24)
	}
	for i := 0; i+4 <= len(out); i++ {
		switch string(out[i : i+4]) {
		case "PK\x03\x04":
			put(i + 22)
		case "PK\x01\x02":
			put(i + 24)
		}
	}
	return out
}

// TestMarkdownHostile parses inputs on which a full CommonMark parse
// takes time growing with the square of their size (it took minutes for
// these); the cut is a line scan and finishes whatever they hold.
func TestMarkdownHostile(t *testing.T) {
	for name, unit := range map[string]string{"links": "[a](", "quotes": ">", "emphasis": "*a_", "brackets": "["} {
		src := "# Titel\n" + strings.Repeat(unit, (2<<20)/len(unit))
		secs, _, err := (Limits{MaxSectionLen: 4 << 20}).Parse("a.md", []byte(src))
		if err != nil || len(secs) != 1 || secs[0].Title != "Titel" {
			t.Errorf("%s: %d sections, %v", name, len(secs), err)
		}
	}
}

// declareEntries sets the entry count of the end of central directory
// record, as a zip may claim any number.
func declareEntries(data []byte, n int) []byte {
	out := bytes.Clone(data)
	i := bytes.LastIndex(out, []byte("PK\x05\x06"))
	out[i+8], out[i+9], out[i+10], out[i+11] = byte(n), byte(n>>8), byte(n), byte(n>>8)
	return out
}
