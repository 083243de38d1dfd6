package importdoc

// The parts of a DOCX beside the document: relationships (link targets),
// styles (headings, bold and italic, lists by style, tables of contents)
// and numbering (bulleted or numbered per level).

import (
	"encoding/xml"
	"regexp"
	"strconv"
)

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
