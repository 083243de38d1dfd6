package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// render renders d in format name.
func render(t testing.TB, name string, d *Document) []byte {
	t.Helper()
	r, ok := Lookup(name)
	if !ok {
		t.Fatalf("format %q not registered (have %v)", name, Formats())
	}
	var buf bytes.Buffer
	if err := r.Render(&buf, d); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipEntries reads every entry of an office package and checks that each
// XML part is well-formed.
func zipEntries(t *testing.T, data []byte) (*zip.Reader, map[string]string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = string(b)
		if strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels") {
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := dec.Token(); err != nil {
					if !errors.Is(err, io.EOF) {
						t.Fatalf("%s is not well-formed: %v", f.Name, err)
					}
					break
				}
			}
		}
	}
	return zr, out
}

func TestODTPackage(t *testing.T) {
	zr, parts := zipEntries(t, render(t, "odt", sample()))
	first := zr.File[0]
	if first.Name != "mimetype" || first.Method != zip.Store || parts["mimetype"] != "application/vnd.oasis.opendocument.text" {
		t.Fatalf("first entry %q method %d: ODF needs the mimetype first and stored", first.Name, first.Method)
	}
	for _, want := range []string{"content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"} {
		if _, ok := parts[want]; !ok {
			t.Errorf("missing %s", want)
		}
	}
	content := parts["content.xml"]
	for _, want := range []string{`<text:h text:style-name="Heading_20_1" text:outline-level="1">Dachstrategie – Zukunftsbild</text:h>`, `<text:table-of-content`, `xlink:href="https://www.it-planungsrat.de/"`, `<table:table-header-rows>`} {
		if !strings.Contains(content, want) {
			t.Errorf("content.xml lacks %s", want)
		}
	}
	if !strings.Contains(parts["styles.xml"], `<text:page-number`) {
		t.Error("no page number in the footer")
	}
}

func TestDOCXPackage(t *testing.T) {
	_, parts := zipEntries(t, render(t, "docx", sample()))
	doc := parts["word/document.xml"]
	for _, want := range []string{`<w:pStyle w:val="Heading1"/>`, `<w:pStyle w:val="Heading2"/>`, ` TOC \o "1-3"`, `<w:hyperlink r:id="rIdLink1">`, `<w:tblHeader/>`, `<w:numId w:val="2"/>`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if !strings.Contains(parts["word/_rels/document.xml.rels"], `Id="rIdLink1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" TargetMode="External" Target="https://www.it-planungsrat.de/"`) {
		t.Error("the hyperlink has no relationship")
	}
	if !strings.Contains(parts["word/footer1.xml"], `w:instr=" PAGE "`) {
		t.Error("no page number in the footer")
	}
	if !strings.Contains(parts["word/numbering.xml"], `<w:num w:numId="2"><w:abstractNumId w:val="1"/>`) {
		t.Error("the nested numbered list has no decimal numbering")
	}
}

// Text that XML cannot hold (control characters) and markup in user text
// must not break the file.
func TestHostileText(t *testing.T) {
	d := &Document{Title: "a\x00b <x> & \"q\"", Blocks: []Block{Para("\x01\x1f</text:p><w:p>  zwei  Leerzeichen\tTab\nZeile"), Heading{Level: 9, Runs: []Run{{Text: "tief", Link: "https://e.org/?a=1&b=<2>"}}}}}
	for _, f := range []string{"odt", "docx"} {
		zipEntries(t, render(t, f, d))
	}
}

func TestRegistry(t *testing.T) {
	if got := strings.Join(Formats(), ","); !strings.Contains(got, "docx") || !strings.Contains(got, "odt") {
		t.Fatalf("formats %s", got)
	}
	if _, ok := Lookup("rtf"); ok {
		t.Fatal("unknown format found")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("registering odt twice did not panic")
		}
	}()
	Register(ODT{})
}
