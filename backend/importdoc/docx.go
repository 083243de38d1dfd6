package importdoc

import (
	"encoding/xml"
	"regexp"
	"strconv"
)

// WordprocessingML namespaces, transitional and strict (ECMA-376).
var (
	nsW = map[string]bool{
		"http://schemas.openxmlformats.org/wordprocessingml/2006/main": true,
		"http://purl.oclc.org/ooxml/wordprocessingml/main":             true,
	}
	nsR = map[string]bool{
		"http://schemas.openxmlformats.org/officeDocument/2006/relationships": true,
		"http://purl.oclc.org/ooxml/officeDocument/relationships":             true,
	}
)

const nsMC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

// wStyle is a paragraph or character style of styles.xml.
type wStyle struct {
	styled      // parent is w:basedOn
	name        string
	outline     int // heading level 1…9, 0 for none
	numID, ilvl string
}

type docxReader struct {
	styles map[string]*wStyle         // type + ":" + styleId
	numFmt map[string]map[string]bool // abstractNumId -> ilvl -> numbered
	numAbs map[string]string          // numId -> abstractNumId
	rels   map[string]string          // relationship id -> external target
	stack  []string                   // local names of the open w: elements
	cur    *wStyle
	curAbs string
	curLvl string
	curNum string
	blocks []block

	// The paragraph being read.
	inPara      bool
	pStyle      string
	numID, ilvl string
	outline     int
	runs        []run
	runFmt      emphasis
	inRPr       bool
	hrefs       []string
	fields      []docxField
}

// docxField is an open complex field (w:fldChar): its instruction, and
// whether its result (after "separate") is being read.
type docxField struct {
	instr  string
	result bool
	href   bool
}

func parseDOCX(l Limits, fileName string, data []byte) ([]ImportedSection, error) {
	a, err := openArchive(l, fileName, data)
	if err != nil {
		return nil, err
	}
	r := &docxReader{styles: map[string]*wStyle{}, numFmt: map[string]map[string]bool{},
		numAbs: map[string]string{}, rels: map[string]string{}}
	if err := a.decode("word/_rels/document.xml.rels", true, nil, r.rel); err != nil {
		return nil, err
	}
	if err := a.decode("word/styles.xml", true, nil, r.style); err != nil {
		return nil, err
	}
	if err := a.decode("word/numbering.xml", true, nil, r.numbering); err != nil {
		return nil, err
	}
	if err := a.decode("word/document.xml", false, skippedDOCX, r.token); err != nil {
		return nil, err
	}
	return sections(l, fileName, r.blocks), nil
}

// skippedDOCX names subtrees that are not running text: the fallback of
// alternative content (its choice is read), text boxes and drawings,
// tracked deletions and moves, the properties of content controls.
func skippedDOCX(n xml.Name) bool {
	if n.Space == nsMC {
		return n.Local == "Fallback"
	}
	if !nsW[n.Space] {
		return false
	}
	switch n.Local {
	case "txbxContent", "drawing", "pict", "del", "moveFrom", "sdtPr", "footnoteReference", "endnoteReference", "object":
		return true
	}
	return false
}

var hyperlinkInstr = regexp.MustCompile(`^\s*HYPERLINK\s+"([^"]+)"`)

func (r *docxReader) token(tok xml.Token, _ int) error {
	switch t := tok.(type) {
	case xml.StartElement:
		if nsW[t.Name.Space] {
			r.startW(t)
		}
	case xml.EndElement:
		if nsW[t.Name.Space] {
			r.endW(t)
		}
	case xml.CharData:
		if len(r.stack) > 0 && r.inPara {
			switch r.stack[len(r.stack)-1] {
			case "t":
				if !r.inFieldInstr() {
					r.addRun(string(t))
				}
			case "instrText":
				if n := len(r.fields); n > 0 && !r.fields[n-1].result && len(r.fields[n-1].instr) < 4096 {
					r.fields[n-1].instr += string(t)
				}
			}
		}
	}
	return nil
}

// inFieldInstr reports whether text is inside a field's instruction part.
func (r *docxReader) inFieldInstr() bool {
	return len(r.fields) > 0 && !r.fields[len(r.fields)-1].result
}

func (r *docxReader) startW(t xml.StartElement) {
	r.stack = append(r.stack, t.Name.Local)
	parent := ""
	if len(r.stack) > 1 {
		parent = r.stack[len(r.stack)-2]
	}
	switch t.Name.Local {
	case "p":
		r.inPara, r.pStyle, r.numID, r.ilvl, r.outline, r.runs = true, "", "", "", 0, nil
	case "pStyle":
		r.pStyle = attrVal(t)
	case "numId":
		if parent == "numPr" {
			r.numID = attrVal(t)
		}
	case "ilvl":
		if parent == "numPr" {
			r.ilvl = attrVal(t)
		}
	case "outlineLvl":
		if parent == "pPr" {
			r.outline = outlineLevel(attrVal(t))
		}
	case "r":
		r.runFmt = r.resolve("paragraph", r.pStyle)
	case "rPr":
		r.inRPr = parent == "r"
	case "rStyle":
		if r.inRPr {
			r.runFmt = r.resolve("character", attrVal(t)).over(r.runFmt)
		}
	case "b":
		if r.inRPr {
			r.runFmt.bold = on(t)
		}
	case "i":
		if r.inRPr {
			r.runFmt.italic = on(t)
		}
	case "hyperlink":
		id := ""
		for _, a := range t.Attr {
			if a.Name.Local == "id" && nsR[a.Name.Space] {
				id = a.Value
			}
		}
		r.hrefs = append(r.hrefs, r.rels[id])
	case "tab":
		if parent == "r" {
			r.addRun(" ")
		}
	case "br", "cr":
		if typ, _ := wAttr(t, "type"); typ == "" || typ == "textWrapping" {
			r.runs = append(r.runs, run{brk: true})
		}
	case "noBreakHyphen":
		r.addRun("-")
	case "fldChar":
		r.fieldChar(t)
	}
}

// fieldChar follows complex fields (w:fldChar begin, separate, end): the
// result of a HYPERLINK field is a link.
func (r *docxReader) fieldChar(t xml.StartElement) {
	switch typ, _ := wAttr(t, "fldCharType"); typ {
	case "begin":
		if len(r.fields) < 16 {
			r.fields = append(r.fields, docxField{})
		}
	case "separate":
		if n := len(r.fields); n > 0 && !r.fields[n-1].result {
			f := &r.fields[n-1]
			f.result = true
			if m := hyperlinkInstr.FindStringSubmatch(f.instr); m != nil {
				f.href = true
				r.hrefs = append(r.hrefs, m[1])
			}
		}
	case "end":
		if n := len(r.fields); n > 0 {
			if r.fields[n-1].href && len(r.hrefs) > 0 {
				r.hrefs = r.hrefs[:len(r.hrefs)-1]
			}
			r.fields = r.fields[:n-1]
		}
	}
}

func (r *docxReader) endW(t xml.EndElement) {
	if len(r.stack) > 0 {
		r.stack = r.stack[:len(r.stack)-1]
	}
	switch t.Name.Local {
	case "p":
		r.endParagraph()
	case "rPr":
		r.inRPr = false
	case "hyperlink":
		if len(r.hrefs) > 0 {
			r.hrefs = r.hrefs[:len(r.hrefs)-1]
		}
	}
}

func (r *docxReader) addRun(s string) {
	if !r.inPara || s == "" {
		return
	}
	b, i := r.runFmt.is()
	href := ""
	if len(r.hrefs) > 0 {
		href = r.hrefs[len(r.hrefs)-1]
	}
	r.runs = append(r.runs, run{text: s, bold: b, italic: i, href: href})
}

// endParagraph decides what the paragraph was: a heading by its style or
// outline level, a list item by its numbering (directly or from its
// style), a paragraph otherwise.
func (r *docxReader) endParagraph() {
	if !r.inPara {
		return
	}
	r.inPara = false
	b := block{kind: paraBlock, runs: r.runs}
	outline, numID, ilvl := r.outline, r.numID, r.ilvl
	name := r.pStyle
	for i := 0; name != "" && i < 32; i++ {
		s := r.styles["paragraph:"+name]
		if s == nil {
			break
		}
		if outline == 0 {
			outline = s.outline
		}
		if numID == "" {
			numID = s.numID
		}
		if ilvl == "" {
			ilvl = s.ilvl
		}
		name = s.parent
	}
	if outline == 0 && len(r.styles) == 0 {
		// Without styles.xml only the style's id can tell.
		if m := headingName.FindStringSubmatch(r.pStyle); m != nil {
			outline, _ = strconv.Atoi(m[2])
		}
	}
	if r.isTOC(r.pStyle) {
		// A table of contents repeats the headings.
		r.runs = nil
		return
	}
	switch {
	case outline > 0:
		b.kind, b.level = headingBlock, outline
		for i := range b.runs {
			b.runs[i].bold, b.runs[i].italic = false, false
		}
	case numID != "" && numID != "0":
		lvl, _ := strconv.Atoi(ilvl)
		lvl = min(max(lvl, 0), 8)
		b.kind, b.level = itemBlock, lvl+1
		b.list, _ = strconv.Atoi(numID)
		b.ordered = r.numFmt[r.numAbs[numID]][strconv.Itoa(lvl)]
	}
	r.blocks = append(r.blocks, b)
	r.runs = nil
}

func (r *docxReader) resolve(typ, id string) emphasis {
	return resolveStyle(func(n string) *styled {
		if s := r.styles[typ+":"+n]; s != nil {
			return &s.styled
		}
		return nil
	}, id)
}
