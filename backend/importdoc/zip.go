package importdoc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// zipFormat tells an ODF text document from a WordprocessingML one by
// their parts; "" for any other zip, or one that cannot be read.
func zipFormat(data []byte) Format {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	var hasDocument bool
	for _, f := range zr.File {
		switch f.Name {
		case "mimetype":
			// The first entry, stored uncompressed (ODF 1.2 part 3, 3.3);
			// its 39 bytes are read only when they are declared short.
			if f.UncompressedSize64 > 100 {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				continue
			}
			b, err := io.ReadAll(io.LimitReader(rc, 100))
			rc.Close()
			mt := strings.TrimSpace(string(b))
			if err == nil && (mt == "application/vnd.oasis.opendocument.text" || mt == "application/vnd.oasis.opendocument.text-template") {
				return ODT
			}
		case "word/document.xml":
			hasDocument = true
		}
	}
	if hasDocument {
		return DOCX
	}
	return ""
}

// archive is a zip being read under a budget of inflated bytes.
type archive struct {
	zr     *zip.Reader
	name   string // the file's name, for messages
	budget int64  // bytes that may still be inflated
	limits Limits
}

// errBudget is returned by a budgetReader that has run out.
var errBudget = errors.New("inflated size over budget")

func openArchive(l Limits, fileName string, data []byte) (*archive, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, invalid("„%s“ ist beschädigt und kann nicht gelesen werden.", baseName(fileName))
	}
	if len(zr.File) > l.MaxEntries {
		return nil, tooManyEntries(fileName, len(zr.File), l.MaxEntries)
	}
	return &archive{zr: zr, name: baseName(fileName), budget: l.MaxUnpacked, limits: l}, nil
}

// declaredEntries reads the number of entries from the end of central
// directory record, so that a directory of very many entries is refused
// before archive/zip reads it; -1 where there is none or it is a Zip64
// count (then the count after reading decides).
func declaredEntries(data []byte) int {
	const eocd, minLen = "PK\x05\x06", 22
	from := max(0, len(data)-(minLen+0xffff))
	i := bytes.LastIndex(data[from:], []byte(eocd))
	if i < 0 || from+i+minLen > len(data) {
		return -1
	}
	rec := data[from+i:]
	n := int(rec[10]) | int(rec[11])<<8
	if n == 0xffff {
		return -1
	}
	return n
}

func tooManyEntries(fileName string, n, max int) error {
	return tooLarge("„%s“ enthält %d Teile; höchstens %d sind zulässig.", baseName(fileName), n, max)
}

// file returns the first entry of that name, or nil.
func (a *archive) file(name string) *zip.File {
	for _, f := range a.zr.File {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// decode streams the XML of entry name to fn, which sees every token with
// its depth. A missing entry is nil without calling fn when optional.
// The declared size is checked before inflating and the inflated bytes are
// counted while reading, since the declaration may lie.
func (a *archive) decode(name string, optional bool, skip func(xml.Name) bool, fn func(tok xml.Token, depth int) error) error {
	f := a.file(name)
	if f == nil {
		if optional {
			return nil
		}
		return invalid("„%s“ ist unvollständig: der Teil %s fehlt.", a.name, name)
	}
	if f.UncompressedSize64 > uint64(a.budget) {
		return a.overBudget()
	}
	rc, err := f.Open()
	if err != nil {
		return invalid("„%s“ ist beschädigt und kann nicht gelesen werden.", a.name)
	}
	defer rc.Close()
	br := &budgetReader{r: rc, left: &a.budget}
	err = decodeXML(br, a.limits.MaxDepth, skip, fn)
	switch {
	case errors.Is(err, errBudget):
		return a.overBudget()
	case errors.Is(err, errDepth):
		return tooLarge("„%s“ ist zu tief verschachtelt (mehr als %d Ebenen).", a.name, a.limits.MaxDepth)
	case err != nil:
		var de *domain.Error
		if errors.As(err, &de) {
			return err
		}
		return invalid("„%s“ ist beschädigt: %s enthält kein gültiges XML.", a.name, name)
	}
	return nil
}

func (a *archive) overBudget() error {
	return tooLarge("„%s“ ist entpackt größer als %d MiB.", a.name, a.limits.MaxUnpacked>>20)
}

// budgetReader fails with errBudget once more than *left bytes were read.
type budgetReader struct {
	r    io.Reader
	left *int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if *b.left <= 0 {
		// One byte more tells a part that ends exactly at the budget from
		// one that goes on.
		var one [1]byte
		if n, _ := b.r.Read(one[:]); n > 0 {
			return 0, errBudget
		}
		return b.r.Read(p)
	}
	if int64(len(p)) > *b.left {
		p = p[:*b.left]
	}
	n, err := b.r.Read(p)
	*b.left -= int64(n)
	return n, err
}

// errDepth is returned when XML nests deeper than allowed.
var errDepth = errors.New("xml too deep")

// decodeXML streams r's tokens to fn with their depth (1 for the root
// element), leaving out the subtrees of elements skip (if not nil) names. Go's decoder expands no external or custom entities, so the
// input bounds the work. Names carry their namespace URI, so that any
// prefix a producer chose is read alike.
func decodeXML(r io.Reader, maxDepth int, skip func(xml.Name) bool, fn func(tok xml.Token, depth int) error) error {
	dec := xml.NewDecoder(r)
	depth, skipping := 0, 0 // skipping is the depth of the skipped element
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if depth != 0 {
				return errors.New("unexpected end of XML")
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxDepth {
				return errDepth
			}
			if skipping == 0 && skip != nil && skip(t.Name) {
				skipping = depth
			}
			if skipping > 0 {
				continue
			}
			if err := fn(t, depth); err != nil {
				return err
			}
		case xml.EndElement:
			if skipping == 0 {
				if err := fn(t, depth); err != nil {
					return err
				}
			} else if skipping == depth {
				skipping = 0
			}
			depth--
		case xml.CharData:
			if skipping > 0 {
				continue
			}
			if err := fn(t, depth); err != nil {
				return err
			}
		}
	}
}
