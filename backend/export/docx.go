package export

import (
	"fmt"
	"io"
	"strings"
)

// DOCX writes Office Open XML (WordprocessingML) for Word: the built-in
// styles Title, Heading1..3 (so Word's navigation and TOC see them),
// numbering definitions for lists, hyperlinks, tables with a repeated
// header row, a TOC field updated on opening, and page numbers (PAGE
// field) in the footer.
type DOCX struct{}

func init() { Register(DOCX{}) }

// Name implements Renderer.
func (DOCX) Name() string { return "docx" }

// ContentType implements Renderer.
func (DOCX) ContentType() string {
	return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
}

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// Render implements Renderer. The document part is written first, while
// hyperlink relationships and list instances are counted, and the parts
// that list them follow.
func (DOCX) Render(w io.Writer, d *Document) error {
	f := newZipFile(w)
	b := &docxBody{}
	steps := []struct {
		name string
		fill func(x *xmlWriter)
	}{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", func(x *xmlWriter) {
			x.raw(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`)
		}},
		{"docProps/core.xml", func(x *xmlWriter) {
			x.raw(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>`)
			x.text(d.Title)
			x.raw(`</dc:title><dc:language>de-DE</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">` + f.now.UTC().Format("2006-01-02T15:04:05Z") + `</dcterms:created></cp:coreProperties>`)
		}},
		{"word/document.xml", func(x *xmlWriter) { b.x = x; b.document(d) }},
		{"word/_rels/document.xml.rels", b.rels},
		{"word/numbering.xml", b.numbering},
		{"word/styles.xml", docxStyles},
		{"word/settings.xml", func(x *xmlWriter) {
			x.raw(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings ` + wNS + `><w:updateFields w:val="true"/><w:defaultTabStop w:val="708"/><w:characterSpacingControl w:val="doNotCompress"/></w:settings>`)
		}},
		{"word/header1.xml", func(x *xmlWriter) {
			x.raw(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr ` + wNS + `><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><w:t xml:space="preserve">`)
			x.text(d.Header)
			x.raw(`</w:t></w:r></w:p></w:hdr>`)
		}},
		{"word/footer1.xml", func(x *xmlWriter) {
			x.raw(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr ` + wNS + `><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">`)
			if d.Footer != "" {
				x.text(d.Footer + " – ")
			}
			x.raw(`Seite </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>`)
		}},
	}
	for _, s := range steps {
		if err := f.entry(s.name, s.fill); err != nil {
			return err
		}
	}
	return f.close()
}

func docxContentTypes(x *xmlWriter) {
	const wml = "application/vnd.openxmlformats-officedocument.wordprocessingml."
	x.raw(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/word/document.xml" ContentType="` + wml + `document.main+xml"/>` +
		`<Override PartName="/word/styles.xml" ContentType="` + wml + `styles+xml"/>` +
		`<Override PartName="/word/numbering.xml" ContentType="` + wml + `numbering+xml"/>` +
		`<Override PartName="/word/settings.xml" ContentType="` + wml + `settings+xml"/>` +
		`<Override PartName="/word/header1.xml" ContentType="` + wml + `header+xml"/>` +
		`<Override PartName="/word/footer1.xml" ContentType="` + wml + `footer+xml"/>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`)
}

func docxStyles(x *xmlWriter) {
	x.raw(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles ` + wNS + `>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Liberation Sans" w:hAnsi="Liberation Sans" w:cs="Liberation Sans" w:eastAsia="Liberation Sans"/><w:sz w:val="22"/><w:lang w:val="de-DE"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="48"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="28"/></w:rPr></w:style>
`)
	for l, size := range []int{36, 30, 26} {
		fmt.Fprintf(x.w, `<w:style w:type="paragraph" w:styleId="Heading%d"><w:name w:val="heading %d"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="%d"/></w:pPr><w:rPr><w:b/><w:sz w:val="%d"/></w:rPr></w:style>`+"\n", l+1, l+1, l, size)
		fmt.Fprintf(x.w, `<w:style w:type="paragraph" w:styleId="TOC%d"><w:name w:val="toc %d"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:pPr><w:ind w:left="%d"/></w:pPr></w:style>`+"\n", l+1, l+1, l*240)
	}
	x.raw(`<w:style w:type="paragraph" w:styleId="TOCHeading"><w:name w:val="TOC Heading"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="60"/><w:ind w:left="720"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Preformatted"><w:name w:val="HTML Preformatted"/><w:basedOn w:val="Normal"/><w:rPr><w:rFonts w:ascii="Liberation Mono" w:hAnsi="Liberation Mono" w:cs="Liberation Mono"/><w:sz w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="18"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="18"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="000080"/><w:u w:val="single"/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders></w:tblPr></w:style>
</w:styles>`)
}

// textWidth is the width between the page margins in twentieths of a point
// (A4, 2.5 cm left and 2 cm right).
const textWidth = 9355

type docxBody struct {
	x     *xmlWriter
	links []string
	// lists holds, per list instance, whether it is numbered; each list
	// gets its own w:num so that numbering restarts.
	lists []bool
}

func (b *docxBody) document(d *Document) {
	x := b.x
	x.raw(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + wNS + `><w:body>`)
	if d.Title != "" {
		b.para("Title", nil, []Run{Text(d.Title)})
	}
	if d.Subtitle != "" {
		b.para("Subtitle", nil, []Run{Text(d.Subtitle)})
	}
	if d.Contents {
		b.contents(d.Blocks)
	}
	b.blocks(d.Blocks, "Normal", 0)
	x.raw(`<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/><w:footerReference w:type="default" r:id="rIdFooter"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1417" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>`)
}

// contents writes a TOC field; Word fills it on opening (updateFields in
// the settings), LibreOffice shows its stored result, which already lists
// the headings.
func (b *docxBody) contents(bs []Block) {
	x := b.x
	b.para("TOCHeading", nil, []Run{Text("Inhalt")})
	first := true
	walkHeadings(bs, func(h Heading) {
		fmt.Fprintf(x.w, `<w:p><w:pPr><w:pStyle w:val="TOC%d"/></w:pPr>`, clampLevel(h.Level))
		if first {
			x.raw(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-3" \h \z \u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`)
			first = false
		}
		b.runs([]Run{Text(PlainText(h.Runs))})
		x.raw(`</w:p>`)
	})
	if first {
		x.raw(`<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-3" \h \z \u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`)
	} else {
		x.raw(`<w:p>`)
	}
	x.raw(`<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`)
}

func (b *docxBody) blocks(bs []Block, paraStyle string, depth int) {
	for _, bl := range bs {
		switch bl := bl.(type) {
		case Heading:
			b.para(fmt.Sprintf("Heading%d", clampLevel(bl.Level)), nil, bl.Runs)
		case Paragraph:
			style := paraStyle
			if bl.Preformatted {
				style = "Preformatted"
			}
			b.para(style, nil, bl.Runs)
		case List:
			b.lists = append(b.lists, bl.Ordered)
			num := len(b.lists)
			for _, it := range bl.Items {
				marked := false
				for _, ib := range it {
					if p, ok := ib.(Paragraph); ok && !marked {
						b.para("ListParagraph", &listRef{num: num, level: min(depth, 8)}, p.Runs)
						marked = true
						continue
					}
					b.blocks([]Block{ib}, "ListParagraph", depth+1)
				}
				if !marked && len(it) == 0 {
					b.para("ListParagraph", &listRef{num: num, level: min(depth, 8)}, nil)
				}
			}
		case Table:
			b.table(&bl)
		}
	}
}

type listRef struct{ num, level int }

func (b *docxBody) para(style string, list *listRef, rs []Run) {
	x := b.x
	x.raw(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>`)
	if list != nil {
		fmt.Fprintf(x.w, `<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr>`, list.level, list.num)
	}
	x.raw(`</w:pPr>`)
	b.runs(rs)
	x.raw(`</w:p>`)
}

func (b *docxBody) table(t *Table) {
	x := b.x
	cols := tableColumns(t)
	widths := columnWidths(t, cols)
	total := 0
	for _, w := range widths {
		total += w
	}
	x.raw(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	tw := make([]int, cols)
	for i, w := range widths {
		tw[i] = textWidth * w / total
		fmt.Fprintf(x.w, `<w:gridCol w:w="%d"/>`, tw[i])
	}
	x.raw(`</w:tblGrid>`)
	row := func(cells []Cell, head bool) {
		x.raw(`<w:tr>`)
		if head {
			x.raw(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		}
		for i := 0; i < cols; i++ {
			fmt.Fprintf(x.w, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, tw[i])
			if head {
				x.raw(`<w:shd w:val="clear" w:color="auto" w:fill="E6E6E6"/>`)
			}
			x.raw(`</w:tcPr>`)
			var bs []Block
			if i < len(cells) {
				bs = cells[i].Blocks
			}
			if head {
				bs = boldened(bs)
			}
			if len(bs) == 0 {
				x.raw(`<w:p/>`)
			}
			b.blocks(bs, "Normal", 0)
			// A cell must end with a paragraph; a nested table needs one after it.
			if len(bs) > 0 {
				if _, ok := bs[len(bs)-1].(Table); ok {
					x.raw(`<w:p/>`)
				}
			}
			x.raw(`</w:tc>`)
		}
		x.raw(`</w:tr>`)
	}
	if len(t.Header) > 0 {
		row(t.Header, true)
	}
	for _, r := range t.Rows {
		row(r, false)
	}
	x.raw(`</w:tbl>`)
	// Two tables in a row would merge in Word; a paragraph keeps them apart.
	x.raw(`<w:p/>`)
}

// boldened returns the paragraphs of bs with bold runs (header cells).
func boldened(bs []Block) []Block {
	out := make([]Block, len(bs))
	for i, bl := range bs {
		if p, ok := bl.(Paragraph); ok {
			runs := make([]Run, len(p.Runs))
			for j, r := range p.Runs {
				r.Bold = true
				runs[j] = r
			}
			p.Runs = runs
			bl = p
		}
		out[i] = bl
	}
	return out
}

func (b *docxBody) runs(rs []Run) {
	x := b.x
	for _, r := range rs {
		if r.Link != "" {
			b.links = append(b.links, r.Link)
			fmt.Fprintf(x.w, `<w:hyperlink r:id="rIdLink%d">`, len(b.links))
		}
		x.raw(`<w:r>`)
		if r.Link != "" || runBits(r) != 0 {
			x.raw(`<w:rPr>`)
			if r.Link != "" {
				x.raw(`<w:rStyle w:val="Hyperlink"/>`)
			}
			if r.Code {
				x.raw(`<w:rFonts w:ascii="Liberation Mono" w:hAnsi="Liberation Mono" w:cs="Liberation Mono"/>`)
			}
			if r.Bold {
				x.raw(`<w:b/>`)
			}
			if r.Italic {
				x.raw(`<w:i/>`)
			}
			if r.Deleted {
				x.raw(`<w:strike/><w:color w:val="9C0006"/>`)
			}
			if r.Inserted {
				x.raw(`<w:color w:val="006100"/><w:u w:val="thick"/>`)
			}
			x.raw(`</w:rPr>`)
		}
		b.text(r.Text)
		x.raw(`</w:r>`)
		if r.Link != "" {
			x.raw(`</w:hyperlink>`)
		}
	}
}

// text writes s inside a run: line breaks and tabs are elements of their
// own, and every w:t keeps its spaces.
func (b *docxBody) text(s string) {
	x := b.x
	s = strings.ReplaceAll(s, "\r", "")
	for {
		i := strings.IndexAny(s, "\n\t")
		part := s
		if i >= 0 {
			part = s[:i]
		}
		if part != "" {
			x.raw(`<w:t xml:space="preserve">`)
			x.text(part)
			x.raw(`</w:t>`)
		}
		if i < 0 {
			return
		}
		if s[i] == '\n' {
			x.raw(`<w:br/>`)
		} else {
			x.raw(`<w:tab/>`)
		}
		s = s[i+1:]
	}
}

func (b *docxBody) rels(x *xmlWriter) {
	x.raw(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>`)
	for i, l := range b.links {
		fmt.Fprintf(x.w, `<Relationship Id="rIdLink%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" TargetMode="External" Target="`, i+1)
		x.text(l)
		x.raw(`"/>`)
	}
	x.raw(`</Relationships>`)
}

// numbering defines one bullet and one decimal abstract list and one
// instance per list, numbered ones restarting at 1.
func (b *docxBody) numbering(x *xmlWriter) {
	x.raw(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering ` + wNS + `>`)
	for id, ordered := range []bool{false, true} {
		fmt.Fprintf(x.w, `<w:abstractNum w:abstractNumId="%d"><w:multiLevelType w:val="hybridMultilevel"/>`, id)
		for l := 0; l < 9; l++ {
			format, text := "bullet", []string{"•", "◦", "▪"}[l%3]
			if ordered {
				format, text = "decimal", fmt.Sprintf("%%%d.", l+1)
			}
			fmt.Fprintf(x.w, `<w:lvl w:ilvl="%d"><w:start w:val="1"/><w:numFmt w:val="%s"/><w:lvlText w:val="%s"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="%d" w:hanging="360"/></w:pPr></w:lvl>`, l, format, text, 720+l*360)
		}
		x.raw(`</w:abstractNum>`)
	}
	for i, ordered := range b.lists {
		abstract := 0
		if ordered {
			abstract = 1
		}
		fmt.Fprintf(x.w, `<w:num w:numId="%d"><w:abstractNumId w:val="%d"/>`, i+1, abstract)
		if ordered {
			x.raw(`<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>`)
		}
		x.raw(`</w:num>`)
	}
	x.raw(`</w:numbering>`)
}
