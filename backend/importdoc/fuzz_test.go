package importdoc

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Small limits keep each fuzz input cheap: the point is that no input
// panics, hangs or yields anything but sections or a coded error.
var fuzzLimits = Limits{MaxFileSize: 1 << 16, MaxUnpacked: 1 << 18, MaxEntries: 64, MaxDepth: 64}

func fuzzParse(t *testing.T, name string, data []byte) {
	secs, _, err := fuzzLimits.Parse(name, data)
	if err != nil {
		if c := domain.ErrorCode(err); c != domain.EINVALID && c != domain.ETOOLARGE {
			t.Fatalf("error without a code of the file: %v", err)
		}
		return
	}
	if len(secs) == 0 {
		t.Fatal("no sections and no error")
	}
	for _, s := range secs {
		if strings.TrimSpace(s.Title) == "" || strings.ContainsAny(s.Title, "\n\r\x00") || !utf8.ValidString(s.Title) || !utf8.ValidString(s.Body) {
			t.Fatalf("bad section %q", s)
		}
	}
}

// FuzzImportODT varies the body and the automatic styles of content.xml.
func FuzzImportODT(f *testing.F) {
	f.Add("<text:h>T</text:h><text:p>a<text:span text:style-name=\"T1\">b</text:span></text:p>", "<style:style style:name=\"T1\" style:family=\"text\" style:parent-style-name=\"T1\"/>")
	f.Add("<text:list><text:list-item><text:list><text:list-item><text:p>x</text:p></text:list-item></text:list></text:list-item></text:list>", "")
	f.Add("<text:p><text:a xlink:href=\"https://a\">a<text:line-break/></text:a><text:s text:c=\"99999\"/></text:p>", "")
	f.Fuzz(func(t *testing.T, body, styles string) {
		fuzzParse(t, "f.odt", odtOf(t, styles, body))
	})
}

// FuzzImportDOCX varies word/document.xml's body and word/styles.xml.
func FuzzImportDOCX(f *testing.F) {
	f.Add(`<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>T</w:t></w:r></w:p>`, `<w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Heading1"/></w:style>`)
	f.Add(`<w:p><w:pPr><w:numPr><w:ilvl w:val="7"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:fldChar w:fldCharType="separate"/><w:t>x</w:t></w:r></w:p>`, "")
	f.Add(`<w:p><w:hyperlink r:id="x"><w:r><w:br/><w:t>a</w:t></w:r></w:hyperlink></w:p>`, "")
	f.Fuzz(func(t *testing.T, body, styles string) {
		fuzzParse(t, "f.docx", docxOf(t, body, styles, "", ""))
	})
}

// FuzzImportZip varies the file's bytes themselves: damaged zips.
func FuzzImportZip(f *testing.F) {
	f.Add(odtOf(f, "", "<text:p>x</text:p>"), true)
	f.Add(docxOf(f, "<w:p><w:r><w:t>x</w:t></w:r></w:p>", "", "", ""), false)
	f.Fuzz(func(t *testing.T, data []byte, odt bool) {
		name := "f.docx"
		if odt {
			name = "f.odt"
		}
		fuzzParse(t, name, data)
	})
}

// FuzzImportMarkdown varies a Markdown file.
func FuzzImportMarkdown(f *testing.F) {
	f.Add("# A\ntext\n## B\n- x\n\n```\n# c\n```\nD\n===\n")
	f.Add("Setext\n---\n#\n# \n####### x\n> # q\n")
	f.Fuzz(func(t *testing.T, src string) {
		fuzzParse(t, "f.md", []byte(src))
	})
}
