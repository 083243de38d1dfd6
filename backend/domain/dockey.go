package domain

import (
	"strconv"
	"strings"
)

// DocKind names a kind of live document: text co-edited through the op log.
type DocKind string

// The kinds of live documents. A kind has its own head table and op log in
// the store and its own rules in the policy; the engine treats them alike.
const (
	DocSection   DocKind = "section"   // a section of a strategy
	DocStatement DocKind = "statement" // one Fassung of an organisation's Stellungnahme
)

// Known reports whether k is a kind of document the engine serves.
func (k DocKind) Known() bool { return k == DocSection || k == DocStatement }

// MaxStatementLen bounds the text of a Stellungnahme, in code points.
const MaxStatementLen = 100000

// MaxLen is the longest text a document of kind k may hold, in code
// points; 0 leaves only the engine's own cap.
func (k DocKind) MaxLen() int {
	if k == DocStatement {
		return MaxStatementLen
	}
	return 0
}

// DocKey identifies one live document. The zero key is no document.
type DocKey struct {
	Kind DocKind
	ID   int64
}

// SectionDoc is the key of section id's text.
func SectionDoc(id int64) DocKey { return DocKey{Kind: DocSection, ID: id} }

// StatementDoc is the key of statement id's text.
func StatementDoc(id int64) DocKey { return DocKey{Kind: DocStatement, ID: id} }

// IsZero reports whether k names no document.
func (k DocKey) IsZero() bool { return k == DocKey{} }

// String is the key's wire and channel form, "kind:id" (e.g. "section:12").
func (k DocKey) String() string {
	return string(k.Kind) + ":" + strconv.FormatInt(k.ID, 10)
}

// AppendTo appends k.String() to b without allocating a string.
func (k DocKey) AppendTo(b []byte) []byte {
	b = append(b, k.Kind...)
	b = append(b, ':')
	return strconv.AppendInt(b, k.ID, 10)
}

// MarshalText implements encoding.TextMarshaler (JSON: "section:12"); the
// zero key is "".
func (k DocKey) MarshalText() ([]byte, error) {
	if k.IsZero() {
		return []byte{}, nil
	}
	return k.AppendTo(nil), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseDocKey; ""
// is the zero key.
func (k *DocKey) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*k = DocKey{}
		return nil
	}
	key, err := ParseDocKey(string(b))
	if err != nil {
		return err
	}
	*k = key
	return nil
}

// ParseDocKey reads "kind:id" with a known kind and a positive id.
func ParseDocKey(s string) (DocKey, error) {
	kind, id, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 || !DocKind(kind).Known() || len(id) > 1 && id[0] == '0' {
		return DocKey{}, Invalid("doc", "Das Dokument ist unbekannt oder ungültig angegeben (erwartet: „section:12“ oder „statement:42“).")
	}
	return DocKey{Kind: DocKind(kind), ID: n}, nil
}
