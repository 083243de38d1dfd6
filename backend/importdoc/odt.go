package importdoc

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// ODF namespaces (ODF 1.2/1.3 part 3).
const (
	nsText   = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	nsStyle  = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
	nsFO     = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
	nsXlink  = "http://www.w3.org/1999/xlink"
	nsOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	nsDraw   = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
)

// emphasis is a style's bold and italic; nil where the style says nothing.
type emphasis struct{ bold, italic *bool }

func (e emphasis) over(base emphasis) emphasis {
	if e.bold == nil {
		e.bold = base.bold
	}
	if e.italic == nil {
		e.italic = base.italic
	}
	return e
}

func (e emphasis) is() (bold, italic bool) {
	return e.bold != nil && *e.bold, e.italic != nil && *e.italic
}

// styled is what the styles of both formats share: a parent style and
// bold and italic.
type styled struct {
	parent  string
	outline int // heading level 1…, 0 for none
	emphasis
}

// resolveOutline is the heading level of a style or of its nearest
// parent that has one.
func resolveOutline(get func(name string) *styled, name string) int {
	for i := 0; name != "" && i < 32; i++ {
		s := get(name)
		if s == nil {
			break
		}
		if s.outline > 0 {
			return s.outline
		}
		name = s.parent
	}
	return 0
}

// resolveStyle follows a style's parents (a bounded number of steps, since
// a hostile file may make them a cycle) to its bold and italic.
func resolveStyle(get func(name string) *styled, name string) emphasis {
	var e emphasis
	for i := 0; name != "" && i < 32; i++ {
		s := get(name)
		if s == nil {
			break
		}
		e = e.over(s.emphasis)
		name = s.parent
	}
	return e
}

// odtReader collects styles and turns office:text into blocks.
type odtReader struct {
	styles     map[string]*styled      // family + ":" + name
	listStyles map[string]map[int]bool // list style -> level -> numbered
	cur        *styled                 // style being read
	curList    map[int]bool            // list style being read

	blocks []block
	// Reading the body.
	inBody   bool
	para     *block
	fmt      []emphasis // paragraph and span formatting, innermost last
	hrefs    []string
	lists    []odtList
	itemPara bool // the current list item already has its block
	nextList int
}

type odtList struct {
	style string
	id    int
}

func parseODT(l Limits, fileName string, data []byte) ([]ImportedSection, error) {
	a, err := openArchive(l, fileName, data)
	if err != nil {
		return nil, err
	}
	r := &odtReader{styles: map[string]*styled{}, listStyles: map[string]map[int]bool{}}
	if err := a.decode("styles.xml", true, nil, r.token); err != nil {
		return nil, err
	}
	if err := a.decode("content.xml", false, skippedODF, r.token); err != nil {
		return nil, err
	}
	return sections(l, fileName, r.blocks), nil
}

func attr(t xml.StartElement, space, local string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (r *odtReader) token(tok xml.Token, _ int) error {
	switch t := tok.(type) {
	case xml.StartElement:
		r.start(t)
	case xml.EndElement:
		r.end(t)
	case xml.CharData:
		if r.para != nil {
			r.text(string(t))
		}
	}
	return nil
}

func (r *odtReader) start(t xml.StartElement) {
	n := t.Name
	switch {
	case n.Space == nsStyle && n.Local == "style":
		name, _ := attr(t, nsStyle, "name")
		family, _ := attr(t, nsStyle, "family")
		parent, _ := attr(t, nsStyle, "parent-style-name")
		r.cur = &styled{parent: parent}
		r.styles[family+":"+name] = r.cur
		// Heading styles: by their outline level, else by the name
		// ("Heading_20_1", displayed "Heading 1" or "Überschrift 1").
		display, _ := attr(t, nsStyle, "display-name")
		if lvl, err := strconv.Atoi(attrOr(t, nsStyle, "default-outline-level", "")); err == nil && lvl > 0 {
			r.cur.outline = min(lvl, 10)
		} else if m := headingName.FindStringSubmatch(strings.ReplaceAll(name, "_20_", " ")); m != nil {
			r.cur.outline, _ = strconv.Atoi(m[2])
		} else if m := headingName.FindStringSubmatch(display); m != nil {
			r.cur.outline, _ = strconv.Atoi(m[2])
		}
	case n.Space == nsStyle && n.Local == "text-properties" && r.cur != nil:
		if w, ok := attr(t, nsFO, "font-weight"); ok {
			b := w == "bold" || (len(w) == 3 && w >= "600")
			r.cur.bold = &b
		}
		if s, ok := attr(t, nsFO, "font-style"); ok {
			i := s == "italic" || s == "oblique"
			r.cur.italic = &i
		}
	case n.Space == nsText && n.Local == "list-style":
		name, _ := attr(t, nsStyle, "name")
		r.curList = map[int]bool{}
		r.listStyles[name] = r.curList
	case n.Space == nsText && (n.Local == "list-level-style-number" || n.Local == "list-level-style-bullet") && r.curList != nil:
		lvl, _ := strconv.Atoi(attrOr(t, nsText, "level", "1"))
		r.curList[lvl] = n.Local == "list-level-style-number"
	case n.Space == nsOffice && n.Local == "text":
		r.inBody = true
	case !r.inBody:
	case n.Space == nsText && n.Local == "list":
		style, _ := attr(t, nsText, "style-name")
		if style == "" && len(r.lists) > 0 {
			style = r.lists[len(r.lists)-1].style
		}
		r.nextList++
		r.lists = append(r.lists, odtList{style: style, id: r.nextList})
	case n.Space == nsText && (n.Local == "list-item" || n.Local == "list-header"):
		r.itemPara = false
	case n.Space == nsText && (n.Local == "p" || n.Local == "h"):
		r.paragraph(t)
	case n.Space == nsText && n.Local == "span":
		style, _ := attr(t, nsText, "style-name")
		r.pushFmt(r.resolve("text", style))
	case n.Space == nsText && n.Local == "a":
		href, _ := attr(t, nsXlink, "href")
		r.hrefs = append(r.hrefs, href)
	case n.Space == nsText && n.Local == "s" && r.para != nil:
		c, _ := strconv.Atoi(attrOr(t, nsText, "c", "1"))
		r.addText(strings.Repeat(" ", min(max(c, 1), 100)))
	case n.Space == nsText && n.Local == "tab" && r.para != nil:
		r.addText(" ")
	case n.Space == nsText && n.Local == "line-break" && r.para != nil:
		r.para.runs = append(r.para.runs, run{brk: true})
	}
}

// skippedODF names subtrees whose text is not part of the running text:
// notes, comments, tracked deletions, generated indexes (a table of
// contents repeats the headings) and drawings with their text boxes.
func skippedODF(n xml.Name) bool {
	switch n.Space {
	case nsText:
		switch n.Local {
		case "note", "tracked-changes", "table-of-content", "illustration-index", "table-index",
			"object-index", "user-index", "alphabetical-index", "bibliography", "sequence-decls", "variable-decls":
			return true
		}
	case nsOffice:
		return n.Local == "annotation" || n.Local == "forms"
	case nsDraw:
		return true
	}
	return false
}

func attrOr(t xml.StartElement, space, local, def string) string {
	if v, ok := attr(t, space, local); ok {
		return v
	}
	return def
}

func (r *odtReader) paragraph(t xml.StartElement) {
	style, _ := attr(t, nsText, "style-name")
	base := r.resolve("paragraph", style)
	r.fmt = append(r.fmt[:0], base)
	get := func(n string) *styled { return r.styles["paragraph:"+n] }
	if lvl := resolveOutline(get, style); t.Name.Local == "h" || lvl > 0 {
		if v, err := strconv.Atoi(attrOr(t, nsText, "outline-level", "")); err == nil && v > 0 {
			lvl = v
		}
		lvl = max(lvl, 1)
		r.fmt[0] = emphasis{}
		r.blocks = append(r.blocks, block{kind: headingBlock, level: min(lvl, 10)})
		r.para = &r.blocks[len(r.blocks)-1]
		return
	}
	if len(r.lists) > 0 {
		if r.itemPara && len(r.blocks) > 0 && r.blocks[len(r.blocks)-1].kind == itemBlock {
			// A further paragraph of the same item continues it.
			r.para = &r.blocks[len(r.blocks)-1]
			r.para.runs = append(r.para.runs, run{brk: true})
			return
		}
		l := r.lists[len(r.lists)-1]
		r.blocks = append(r.blocks, block{kind: itemBlock, level: len(r.lists), list: l.id, ordered: r.numbered(l.style, len(r.lists))})
		r.itemPara = true
	} else {
		r.blocks = append(r.blocks, block{kind: paraBlock})
	}
	r.para = &r.blocks[len(r.blocks)-1]
}

// numbered reports whether level of the list style counts; a level the
// style does not define takes the nearest one above it.
func (r *odtReader) numbered(style string, level int) bool {
	ls := r.listStyles[style]
	for l := level; l >= 1; l-- {
		if v, ok := ls[l]; ok {
			return v
		}
	}
	return false
}

func (r *odtReader) end(t xml.EndElement) {
	n := t.Name
	switch {
	case n.Space == nsStyle && n.Local == "style":
		r.cur = nil
	case n.Space == nsText && n.Local == "list-style":
		r.curList = nil
	case n.Space == nsOffice && n.Local == "text":
		r.inBody = false
	case !r.inBody:
	case n.Space == nsText && n.Local == "list":
		if len(r.lists) > 0 {
			r.lists = r.lists[:len(r.lists)-1]
		}
		r.itemPara = false
	case n.Space == nsText && (n.Local == "p" || n.Local == "h"):
		r.para = nil
		r.fmt = r.fmt[:0]
		r.hrefs = r.hrefs[:0]
	case n.Space == nsText && n.Local == "span":
		if len(r.fmt) > 1 {
			r.fmt = r.fmt[:len(r.fmt)-1]
		}
	case n.Space == nsText && n.Local == "a":
		if len(r.hrefs) > 0 {
			r.hrefs = r.hrefs[:len(r.hrefs)-1]
		}
	}
}

func (r *odtReader) pushFmt(e emphasis) {
	if len(r.fmt) > 0 {
		e = e.over(r.fmt[len(r.fmt)-1])
	}
	r.fmt = append(r.fmt, e)
}

func (r *odtReader) resolve(family, name string) emphasis {
	return resolveStyle(func(n string) *styled { return r.styles[family+":"+n] }, name)
}

// text adds character data, collapsing white space as ODF does (a run of
// spaces is written as text:s).
func (r *odtReader) text(s string) {
	var sb strings.Builder
	space := false
	for _, c := range s {
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			if !space {
				sb.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		sb.WriteRune(c)
	}
	r.addText(sb.String())
}

func (r *odtReader) addText(s string) {
	if s == "" || r.para == nil {
		return
	}
	var e emphasis
	if len(r.fmt) > 0 {
		e = r.fmt[len(r.fmt)-1]
	}
	b, i := e.is()
	href := ""
	if len(r.hrefs) > 0 {
		href = r.hrefs[len(r.hrefs)-1]
	}
	r.para.runs = append(r.para.runs, run{text: s, bold: b, italic: i, href: href})
}
