package importdoc

import (
	"archive/zip"
	"bytes"
	"testing"
)

// zipOf writes name/content pairs, in order, as a zip.
func zipOf(t testing.TB, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		method := zip.Deflate
		if parts[i] == "mimetype" {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: parts[i], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const odtHead = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0">`

// odtOf builds an ODT with automatic styles and a body.
func odtOf(t testing.TB, automatic, body string) []byte {
	return zipOf(t, "mimetype", "application/vnd.oasis.opendocument.text",
		"content.xml", odtHead+`<office:automatic-styles>`+automatic+`</office:automatic-styles><office:body><office:text>`+
			body+`</office:text></office:body></office:document-content>`)
}

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// docxOf builds a DOCX from the body of word/document.xml and optional
// styles, numbering and relationships (the inside of their root elements).
func docxOf(t testing.TB, body, styles, numbering, rels string) []byte {
	parts := []string{
		"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml", `<?xml version="1.0"?><w:document ` + wNS + `><w:body>` + body + `</w:body></w:document>`,
	}
	if styles != "" {
		parts = append(parts, "word/styles.xml", `<?xml version="1.0"?><w:styles `+wNS+`>`+styles+`</w:styles>`)
	}
	if numbering != "" {
		parts = append(parts, "word/numbering.xml", `<?xml version="1.0"?><w:numbering `+wNS+`>`+numbering+`</w:numbering>`)
	}
	if rels != "" {
		parts = append(parts, "word/_rels/document.xml.rels",
			`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels+`</Relationships>`)
	}
	return zipOf(t, parts...)
}
