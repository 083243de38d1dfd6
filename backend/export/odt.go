package export

import (
	"fmt"
	"io"
	"strings"
)

// ODT writes OpenDocument Text (ODF 1.3), the public sector's open format:
// headings with outline levels (so LibreOffice's navigator and table of
// contents see them), lists, tables with a repeated header row, links, a
// table of contents and page numbers in the footer.
type ODT struct{}

func init() { Register(ODT{}) }

// Name implements Renderer.
func (ODT) Name() string { return "odt" }

// ContentType implements Renderer.
func (ODT) ContentType() string { return "application/vnd.oasis.opendocument.text" }

const odfNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.3"`

// Render implements Renderer.
func (ODT) Render(w io.Writer, d *Document) error {
	f := newZipFile(w)
	if err := f.stored("mimetype", "application/vnd.oasis.opendocument.text"); err != nil {
		return err
	}
	steps := []struct {
		name string
		fill func(x *xmlWriter)
	}{
		{"content.xml", func(x *xmlWriter) { odtContent(x, d) }},
		{"styles.xml", func(x *xmlWriter) { odtStyles(x, d) }},
		{"meta.xml", func(x *xmlWriter) { odtMeta(x, d, f) }},
		{"META-INF/manifest.xml", odtManifest},
	}
	for _, s := range steps {
		if err := f.entry(s.name, s.fill); err != nil {
			return err
		}
	}
	return f.close()
}

func odtManifest(x *xmlWriter) {
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>`)
}

func odtMeta(x *xmlWriter, d *Document, f *zipFile) {
	x.raw(`<?xml version="1.0" encoding="UTF-8"?><office:document-meta ` + odfNS + `><office:meta><meta:generator>Strategieraum</meta:generator><dc:title>`)
	x.text(d.Title)
	x.raw(`</dc:title><dc:language>de-DE</dc:language><meta:creation-date>` + f.now.UTC().Format("2006-01-02T15:04:05") + `</meta:creation-date></office:meta></office:document-meta>`)
}

func odtStyles(x *xmlWriter, d *Document) {
	x.raw(`<?xml version="1.0" encoding="UTF-8"?><office:document-styles ` + odfNS + `>
<office:font-face-decls><style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/><style:font-face style:name="Liberation Mono" svg:font-family="'Liberation Mono'" style:font-family-generic="modern" style:font-pitch="fixed"/></office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/><style:text-properties style:font-name="Liberation Sans" fo:font-size="11pt" fo:language="de" fo:country="DE" fo:hyphenate="true"/></style:default-style>
<style:style style:name="Standard" style:family="paragraph" style:class="text"/>
<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.21cm" fo:line-height="115%"/></style:style>
<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text"><style:paragraph-properties fo:margin-top="0.42cm" fo:margin-bottom="0.21cm" fo:keep-with-next="always"/><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading" style:class="chapter"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="24pt"/></style:style>
<style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Heading" style:class="chapter"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="14pt" fo:font-weight="normal"/></style:style>
`)
	for l, size := range []string{"18pt", "15pt", "13pt"} {
		fmt.Fprintf(x.w, `<style:style style:name="Heading_20_%d" style:display-name="Heading %d" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="%d" style:class="text"><style:text-properties fo:font-size="%s"/></style:style>`+"\n", l+1, l+1, l+1, size)
		fmt.Fprintf(x.w, `<style:style style:name="Contents_20_%d" style:display-name="Contents %d" style:family="paragraph" style:parent-style-name="Standard" style:class="index"><style:paragraph-properties fo:margin-left="%.1fcm"/></style:style>`+"\n", l+1, l+1, float64(l)*0.5)
	}
	x.raw(`<style:style style:name="Contents_20_Heading" style:display-name="Contents Heading" style:family="paragraph" style:parent-style-name="Heading" style:class="index"><style:text-properties fo:font-size="16pt"/></style:style>
<style:style style:name="Preformatted_20_Text" style:display-name="Preformatted Text" style:family="paragraph" style:parent-style-name="Standard" style:class="html"><style:text-properties style:font-name="Liberation Mono" fo:font-size="10pt"/></style:style>
<style:style style:name="List_20_Contents" style:display-name="List Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="list"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.1cm"/></style:style>
<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"/>
<style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:text-properties fo:font-size="9pt"/></style:style>
<style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="9pt"/></style:style>
<style:style style:name="Internet_20_link" style:display-name="Internet link" style:family="text"><style:text-properties fo:color="#000080" style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>
</office:styles>
<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2cm"/><style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="0.5cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.5cm"/></style:footer-style></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"><style:header><text:p text:style-name="Header">`)
	x.text(d.Header)
	x.raw(`</text:p></style:header><style:footer><text:p text:style-name="Footer">`)
	if d.Footer != "" {
		x.text(d.Footer)
		x.raw(` – `)
	}
	x.raw(`Seite <text:page-number text:select-page="current">1</text:page-number></text:p></style:footer></style:master-page></office:master-styles></office:document-styles>`)
}

// Text style bits; automatic style "T<n>" carries the formatting of bits n.
const (
	fBold = 1 << iota
	fItalic
	fCode
	fInserted
	fDeleted
	fAll = 1<<iota - 1
)

func runBits(r Run) int {
	b := 0
	if r.Bold {
		b |= fBold
	}
	if r.Italic {
		b |= fItalic
	}
	if r.Code {
		b |= fCode
	}
	if r.Inserted {
		b |= fInserted
	}
	if r.Deleted {
		b |= fDeleted
	}
	return b
}

func odtContent(x *xmlWriter, d *Document) {
	x.raw(`<?xml version="1.0" encoding="UTF-8"?><office:document-content ` + odfNS + `><office:automatic-styles>`)
	for b := 1; b <= fAll; b++ {
		fmt.Fprintf(x.w, `<style:style style:name="T%d" style:family="text"><style:text-properties`, b)
		if b&fBold != 0 {
			x.raw(` fo:font-weight="bold"`)
		}
		if b&fItalic != 0 {
			x.raw(` fo:font-style="italic"`)
		}
		if b&fCode != 0 {
			x.raw(` style:font-name="Liberation Mono"`)
		}
		if b&fInserted != 0 {
			x.raw(` style:text-underline-style="solid" style:text-underline-width="bold" style:text-underline-color="font-color"`)
		}
		if b&fDeleted != 0 {
			x.raw(` style:text-line-through-style="solid"`)
		}
		switch {
		case b&fInserted != 0:
			x.raw(` fo:color="#006100"`)
		case b&fDeleted != 0:
			x.raw(` fo:color="#9c0006"`)
		}
		x.raw(`/></style:style>`)
	}
	x.raw(`<text:list-style style:name="LB">`)
	for l := 1; l <= 10; l++ {
		fmt.Fprintf(x.w, `<text:list-level-style-bullet text:level="%d" text:bullet-char="%s"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.5cm" fo:margin-left="%.1fcm"/></style:list-level-properties></text:list-level-style-bullet>`, l, []string{"•", "◦", "▪"}[(l-1)%3], float64(l)*0.6)
	}
	x.raw(`</text:list-style><text:list-style style:name="LN">`)
	for l := 1; l <= 10; l++ {
		fmt.Fprintf(x.w, `<text:list-level-style-number text:level="%d" style:num-suffix="." style:num-format="1"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.6cm" fo:margin-left="%.1fcm"/></style:list-level-properties></text:list-level-style-number>`, l, float64(l)*0.7)
	}
	x.raw(`</text:list-style><style:style style:name="Tbl" style:family="table"><style:table-properties style:width="16.5cm" table:align="margins"/></style:style><style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/></style:style><style:style style:name="HeadCell" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000" fo:background-color="#e6e6e6"/></style:style>`)
	tables := 0
	walkTables(d.Blocks, func(t *Table) {
		tables++
		cols := tableColumns(t)
		for i, w := range columnWidths(t, cols) {
			fmt.Fprintf(x.w, `<style:style style:name="Tbl%d.C%d" style:family="table-column"><style:table-column-properties style:rel-column-width="%d*"/></style:style>`, tables, i, w)
		}
	})
	x.raw(`</office:automatic-styles><office:body><office:text>`)
	o := odtBody{x: x}
	if d.Title != "" {
		x.raw(`<text:p text:style-name="Title">`)
		x.text(d.Title)
		x.raw(`</text:p>`)
	}
	if d.Subtitle != "" {
		x.raw(`<text:p text:style-name="Subtitle">`)
		x.text(d.Subtitle)
		x.raw(`</text:p>`)
	}
	if d.Contents {
		o.contents(d.Blocks)
	}
	o.blocks(d.Blocks, "Text_20_body")
	x.raw(`</office:text></office:body></office:document-content>`)
}

// walkTables calls f for every table in document order, nested ones after
// the table that holds them, the same order odtBody meets them.
func walkTables(bs []Block, f func(t *Table)) {
	for _, b := range bs {
		switch b := b.(type) {
		case Table:
			f(&b)
			for _, c := range b.Header {
				walkTables(c.Blocks, f)
			}
			for _, r := range b.Rows {
				for _, c := range r {
					walkTables(c.Blocks, f)
				}
			}
		case List:
			for _, it := range b.Items {
				walkTables(it, f)
			}
		}
	}
}

// walkHeadings calls f for every heading outside tables, in order.
func walkHeadings(bs []Block, f func(h Heading)) {
	for _, b := range bs {
		switch b := b.(type) {
		case Heading:
			f(b)
		case List:
			for _, it := range b.Items {
				walkHeadings(it, f)
			}
		}
	}
}

func tableColumns(t *Table) int {
	n := max(len(t.Header), len(t.Widths))
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	return max(n, 1)
}

// columnWidths returns cols relative widths, equal where none are given.
func columnWidths(t *Table, cols int) []int {
	out := make([]int, cols)
	for i := range out {
		out[i] = 1000
		if i < len(t.Widths) && t.Widths[i] > 0 {
			out[i] = t.Widths[i] * 1000
		}
	}
	return out
}

type odtBody struct {
	x      *xmlWriter
	tables int
}

// contents writes a table-of-contents field that LibreOffice updates
// (Extras › Verzeichnisse aktualisieren); its body is filled with the
// headings already, so the document reads right before any update.
func (o *odtBody) contents(bs []Block) {
	x := o.x
	x.raw(`<text:table-of-content text:name="Inhaltsverzeichnis" text:protected="true"><text:table-of-content-source text:outline-level="3"><text:index-title-template text:style-name="Contents_20_Heading">Inhalt</text:index-title-template>`)
	for l := 1; l <= 3; l++ {
		fmt.Fprintf(x.w, `<text:table-of-content-entry-template text:outline-level="%d" text:style-name="Contents_20_%d"><text:index-entry-link-start/><text:index-entry-chapter/><text:index-entry-text/><text:index-entry-tab-stop style:type="right" style:leader-char="."/><text:index-entry-page-number/><text:index-entry-link-end/></text:table-of-content-entry-template>`, l, l)
	}
	x.raw(`</text:table-of-content-source><text:index-body><text:index-title text:name="Inhaltsverzeichnis_Head"><text:p text:style-name="Contents_20_Heading">Inhalt</text:p></text:index-title>`)
	walkHeadings(bs, func(h Heading) {
		fmt.Fprintf(x.w, `<text:p text:style-name="Contents_20_%d">`, clampLevel(h.Level))
		x.text(PlainText(h.Runs))
		x.raw(`</text:p>`)
	})
	x.raw(`</text:index-body></text:table-of-content>`)
}

func (o *odtBody) blocks(bs []Block, paraStyle string) {
	x := o.x
	for _, b := range bs {
		switch b := b.(type) {
		case Heading:
			l := clampLevel(b.Level)
			fmt.Fprintf(x.w, `<text:h text:style-name="Heading_20_%d" text:outline-level="%d">`, l, l)
			o.runs(b.Runs)
			x.raw(`</text:h>`)
		case Paragraph:
			style := paraStyle
			if b.Preformatted {
				style = "Preformatted_20_Text"
			}
			x.raw(`<text:p text:style-name="` + style + `">`)
			o.runs(b.Runs)
			x.raw(`</text:p>`)
		case List:
			style := "LB"
			if b.Ordered {
				style = "LN"
			}
			x.raw(`<text:list text:style-name="` + style + `">`)
			for _, it := range b.Items {
				x.raw(`<text:list-item>`)
				if len(it) == 0 {
					x.raw(`<text:p/>`)
				}
				o.blocks(it, "List_20_Contents")
				x.raw(`</text:list-item>`)
			}
			x.raw(`</text:list>`)
		case Table:
			o.table(&b)
		}
	}
}

func (o *odtBody) table(t *Table) {
	x := o.x
	o.tables++
	n := o.tables
	cols := tableColumns(t)
	fmt.Fprintf(x.w, `<table:table table:name="Tabelle%d" table:style-name="Tbl">`, n)
	for i := 0; i < cols; i++ {
		fmt.Fprintf(x.w, `<table:table-column table:style-name="Tbl%d.C%d"/>`, n, i)
	}
	row := func(cells []Cell, head bool) {
		x.raw(`<table:table-row>`)
		for i := 0; i < cols; i++ {
			style, para := "Cell", "Table_20_Contents"
			if head {
				style, para = "HeadCell", "Table_20_Heading"
			}
			x.raw(`<table:table-cell table:style-name="` + style + `" office:value-type="string">`)
			if i < len(cells) && len(cells[i].Blocks) > 0 {
				o.blocks(cells[i].Blocks, para)
			} else {
				x.raw(`<text:p/>`)
			}
			x.raw(`</table:table-cell>`)
		}
		x.raw(`</table:table-row>`)
	}
	if len(t.Header) > 0 {
		x.raw(`<table:table-header-rows>`)
		row(t.Header, true)
		x.raw(`</table:table-header-rows>`)
	}
	for _, r := range t.Rows {
		row(r, false)
	}
	x.raw(`</table:table>`)
}

func (o *odtBody) runs(rs []Run) {
	x := o.x
	for _, r := range rs {
		if r.Link != "" {
			x.raw(`<text:a xlink:type="simple" xlink:href="`)
			x.text(r.Link)
			x.raw(`" text:style-name="Internet_20_link">`)
		}
		bits := runBits(r)
		if bits != 0 {
			fmt.Fprintf(x.w, `<text:span text:style-name="T%d">`, bits)
		}
		o.text(r.Text)
		if bits != 0 {
			x.raw(`</text:span>`)
		}
		if r.Link != "" {
			x.raw(`</text:a>`)
		}
	}
}

// text writes s with ODF's white-space elements: ODF collapses runs of
// spaces, so the second and later spaces of a run are text:s, and tabs and
// line breaks are elements of their own.
func (o *odtBody) text(s string) {
	x := o.x
	for len(s) > 0 {
		i := strings.IndexAny(s, " \t\n\r")
		if i < 0 {
			x.text(s)
			return
		}
		x.text(s[:i])
		switch s[i] {
		case '\t':
			x.raw(`<text:tab/>`)
			s = s[i+1:]
		case '\n':
			x.raw(`<text:line-break/>`)
			s = s[i+1:]
		case '\r':
			s = s[i+1:]
		default:
			j := i
			for j < len(s) && s[j] == ' ' {
				j++
			}
			x.raw(" ")
			if n := j - i - 1; n > 0 {
				fmt.Fprintf(x.w, `<text:s text:c="%d"/>`, n)
			}
			s = s[j:]
		}
	}
}
