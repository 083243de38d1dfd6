// Package importdoc reads an existing draft (Markdown, ODT or DOCX) and cuts
// it into sections at its top-level headings, each section's text as the
// Markdown the editor writes. It is pure: bytes and a file name in,
// sections out; storing them is the caller's business.
//
// Every input is treated as hostile: the file size, the number of zip
// entries, the declared and the actually inflated size of the parts read
// and the nesting of their XML are limited, and the type is judged by the
// content, not by the extension alone. Faults are *domain.Error with code
// invalid or too_large and a German message on the field "file".
package importdoc

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// ImportedSection is one section cut from a document: the text of its
// top-level heading and the Markdown below it.
type ImportedSection struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Format names a document type that can be imported.
type Format string

// The formats Parse reads.
const (
	Markdown Format = "markdown"
	ODT      Format = "odt"
	DOCX     Format = "docx"
)

// Limits bound what Parse accepts. The zero value of a field means its
// default.
type Limits struct {
	MaxFileSize   int64 // bytes of the uploaded file
	MaxUnpacked   int64 // bytes inflated from the zip entries read, all together
	MaxEntries    int   // entries in the zip's directory
	MaxDepth      int   // nesting of XML elements
	MaxSections   int   // sections produced
	MaxSectionLen int   // code points of one section's text
	MaxTitleLen   int   // code points of a title; longer headings are shortened
}

// Defaults for Limits.
const (
	DefaultMaxFileSize   = 10 << 20
	DefaultMaxUnpacked   = 64 << 20
	DefaultMaxEntries    = 2000
	DefaultMaxDepth      = 128
	DefaultMaxSections   = 500
	DefaultMaxSectionLen = 1 << 20 // collab.DefaultMaxTextLen
	DefaultMaxTitleLen   = 300     // what the section routes accept
)

func (l Limits) withDefaults() Limits {
	def := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxFileSize, DefaultMaxFileSize)
	def(&l.MaxUnpacked, DefaultMaxUnpacked)
	defInt(&l.MaxEntries, DefaultMaxEntries)
	defInt(&l.MaxDepth, DefaultMaxDepth)
	defInt(&l.MaxSections, DefaultMaxSections)
	defInt(&l.MaxSectionLen, DefaultMaxSectionLen)
	defInt(&l.MaxTitleLen, DefaultMaxTitleLen)
	return l
}

// Parse reads the file with the default limits; see Limits.Parse.
func Parse(fileName string, data []byte) ([]ImportedSection, Format, error) {
	return Limits{}.Parse(fileName, data)
}

// Parse judges the type of data by its content, checks it against the
// extension of fileName (.md/.markdown/.txt, .odt, .docx) and cuts it into
// sections. Text before the first top-level heading becomes a section
// "Einleitung"; a document without headings is one section named after the
// file. EINVALID for an unknown, mismatched, damaged or empty file,
// ETOOLARGE when a limit is exceeded.
func (l Limits) Parse(fileName string, data []byte) ([]ImportedSection, Format, error) {
	l = l.withDefaults()
	if int64(len(data)) > l.MaxFileSize {
		return nil, "", tooLarge("Die Datei ist größer als %d MiB.", l.MaxFileSize>>20)
	}
	if n := declaredEntries(data); bytes.HasPrefix(data, zipMagic) && n > l.MaxEntries {
		return nil, "", tooManyEntries(fileName, n, l.MaxEntries)
	}
	f, err := detect(fileName, data)
	if err != nil {
		return nil, "", err
	}
	var secs []ImportedSection
	switch f {
	case Markdown:
		secs, err = parseMarkdown(l, fileName, data)
	case ODT:
		secs, err = parseODT(l, fileName, data)
	case DOCX:
		secs, err = parseDOCX(l, fileName, data)
	}
	if err != nil {
		return nil, "", err
	}
	if len(secs) == 0 {
		return nil, "", invalid("Die Datei „%s“ enthält keinen Text.", baseName(fileName))
	}
	if len(secs) > l.MaxSections {
		return nil, "", tooLarge("Die Datei ergäbe %d Abschnitte; höchstens %d sind möglich.", len(secs), l.MaxSections)
	}
	for _, s := range secs {
		if n := utf8.RuneCountInString(s.Body); n > l.MaxSectionLen {
			return nil, "", tooLarge("Der Abschnitt „%s“ ist zu lang (%d Zeichen, höchstens %d).", s.Title, n, l.MaxSectionLen)
		}
	}
	return secs, f, nil
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") // .doc, .xls of old
	pdfMagic = []byte("%PDF-")
)

// detect returns the format of data and refuses a file whose content does
// not match its extension.
func detect(fileName string, data []byte) (Format, error) {
	name := baseName(fileName)
	var want Format
	switch strings.ToLower(path.Ext(strings.ReplaceAll(fileName, `\`, "/"))) {
	case ".md", ".markdown", ".txt":
		want = Markdown
	case ".odt":
		want = ODT
	case ".docx":
		want = DOCX
	case ".doc":
		return "", invalid("„%s“ ist im alten Word-Format (.doc). Bitte speichern Sie die Datei als DOCX oder ODT.", name)
	default:
		return "", invalid("„%s“ kann nicht importiert werden: erwartet wird eine Markdown-Datei (.md), ein ODT- oder ein DOCX-Dokument.", name)
	}
	var got Format
	switch {
	case bytes.HasPrefix(data, zipMagic):
		got = zipFormat(data)
		if got == "" {
			return "", invalid("„%s“ ist weder ein ODT- noch ein DOCX-Textdokument.", name)
		}
	case bytes.HasPrefix(data, oleMagic):
		return "", invalid("„%s“ ist im alten Word-Format (.doc). Bitte speichern Sie die Datei als DOCX oder ODT.", name)
	case bytes.HasPrefix(data, pdfMagic):
		return "", invalid("„%s“ ist ein PDF-Dokument; PDF kann nicht importiert werden.", name)
	default:
		got = Markdown
	}
	if got != want {
		return "", invalid("Der Inhalt von „%s“ passt nicht zur Dateiendung: die Datei ist %s.", name, describe(got))
	}
	return got, nil
}

func describe(f Format) string {
	switch f {
	case ODT:
		return "ein ODT-Dokument"
	case DOCX:
		return "ein DOCX-Dokument"
	}
	return "kein Office-Dokument"
}

// baseName is the file name without directories, as browsers and shells
// may send either separator.
func baseName(fileName string) string {
	return path.Base(strings.ReplaceAll(fileName, `\`, "/"))
}

// FileTitle is the title of a document without headings (and of a topic
// made for it): its file name without the extension, or "Einleitung" if
// nothing is left.
func FileTitle(fileName string) string {
	b := baseName(fileName)
	b = strings.TrimSuffix(b, path.Ext(b))
	b = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '_' {
			return ' '
		}
		return r
	}, b)), " ")
	if b == "" || b == "." || !utf8.ValidString(b) {
		return introTitle
	}
	return b
}

// introTitle names the section of text before the first heading.
const introTitle = "Einleitung"

func invalid(format string, args ...any) error {
	return domain.Invalid("file", fmt.Sprintf(format, args...))
}

func tooLarge(format string, args ...any) error {
	e := domain.Invalid("file", fmt.Sprintf(format, args...))
	e.Code = domain.ETOOLARGE
	return e
}
