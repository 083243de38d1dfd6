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

func wAttr(t xml.StartElement, local string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == local && (nsW[a.Name.Space] || a.Name.Space == "") {
			return a.Value, true
		}
	}
	return "", false
}

// on reads an on/off property such as w:b: present means on unless its
// val says otherwise.
func on(t xml.StartElement) *bool {
	v, _ := wAttr(t, "val")
	b := v != "0" && v != "false" && v != "off" && v != "none"
	return &b
}

func (r *docxReader) rel(tok xml.Token, _ int) error {
	if t, ok := tok.(xml.StartElement); ok && t.Name.Local == "Relationship" {
		var id, target, mode string
		for _, a := range t.Attr {
			switch a.Name.Local {
			case "Id":
				id = a.Value
			case "Target":
				target = a.Value
			case "TargetMode":
				mode = a.Value
			}
		}
		if mode == "External" {
			r.rels[id] = target
		}
	}
	return nil
}

var (
	headingName = regexp.MustCompile(`(?i)^(heading|überschrift|berschrift)\s*([1-9])$`)
	// tocName matches the styles of a table of contents' entries and
	// heading: "TOC 1", "toc 2", "Contents 1" (LibreOffice), "Verzeichnis 1",
	// "TOC Heading", "Inhaltsverzeichnisüberschrift".
	tocName = regexp.MustCompile(`(?i)^(toc|contents|verzeichnis|inhaltsverzeichnis)\s*(\d|heading|überschrift)`)
)

// isTOC reports whether the paragraph style id belongs to a table of
// contents, by its id or its name.
func (r *docxReader) isTOC(id string) bool {
	if id == "" {
		return false
	}
	if tocName.MatchString(id) {
		return true
	}
	s := r.styles["paragraph:"+id]
	return s != nil && tocName.MatchString(s.name)
}

func (r *docxReader) style(tok xml.Token, _ int) error {
	switch t := tok.(type) {
	case xml.StartElement:
		if !nsW[t.Name.Space] {
			return nil
		}
		r.stack = append(r.stack, t.Name.Local)
		switch t.Name.Local {
		case "style":
			typ, _ := wAttr(t, "type")
			id, _ := wAttr(t, "styleId")
			r.cur = &wStyle{}
			r.styles[typ+":"+id] = r.cur
			if m := headingName.FindStringSubmatch(id); m != nil {
				r.cur.outline, _ = strconv.Atoi(m[2])
			}
		}
		if r.cur == nil {
			return nil
		}
		parent := ""
		if len(r.stack) > 1 {
			parent = r.stack[len(r.stack)-2]
		}
		switch t.Name.Local {
		case "name":
			r.cur.name, _ = wAttr(t, "val")
			if m := headingName.FindStringSubmatch(r.cur.name); m != nil {
				r.cur.outline, _ = strconv.Atoi(m[2])
			}
		case "basedOn":
			r.cur.parent, _ = wAttr(t, "val")
		case "outlineLvl":
			r.cur.outline = outlineLevel(attrVal(t))
		case "numId":
			r.cur.numID = attrVal(t)
		case "ilvl":
			r.cur.ilvl = attrVal(t)
		case "b":
			if parent == "rPr" && len(r.stack) == 4 {
				r.cur.bold = on(t)
			}
		case "i":
			if parent == "rPr" && len(r.stack) == 4 {
				r.cur.italic = on(t)
			}
		}
	case xml.EndElement:
		if !nsW[t.Name.Space] {
			return nil
		}
		if t.Name.Local == "style" {
			r.cur = nil
		}
		if len(r.stack) > 0 {
			r.stack = r.stack[:len(r.stack)-1]
		}
	}
	return nil
}

// outlineLevel reads w:outlineLvl (0 for a level-1 heading): the heading
// level, or -1 for 9, "body text", which a style based on a heading uses to
// be none.
func outlineLevel(v string) int {
	n, err := strconv.Atoi(v)
	switch {
	case err != nil || n < 0 || n > 9:
		return 0
	case n == 9:
		return -1
	}
	return n + 1
}

func attrVal(t xml.StartElement) string {
	v, _ := wAttr(t, "val")
	return v
}

func (r *docxReader) numbering(tok xml.Token, _ int) error {
	t, ok := tok.(xml.StartElement)
	if !ok || !nsW[t.Name.Space] {
		return nil
	}
	switch t.Name.Local {
	case "abstractNum":
		r.curAbs, _ = wAttr(t, "abstractNumId")
		r.curNum = ""
		if r.numFmt[r.curAbs] == nil {
			r.numFmt[r.curAbs] = map[string]bool{}
		}
	case "lvl":
		r.curLvl, _ = wAttr(t, "ilvl")
	case "numFmt":
		if r.curNum == "" && r.numFmt[r.curAbs] != nil {
			v := attrVal(t)
			r.numFmt[r.curAbs][r.curLvl] = v != "bullet" && v != "none" && v != ""
		}
	case "num":
		r.curNum, _ = wAttr(t, "numId")
	case "abstractNumId":
		if r.curNum != "" {
			r.numAbs[r.curNum] = attrVal(t)
		}
	}
	return nil
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
