package realtime

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Error codes of "error" frames (docs/protocol.md).
const (
	CodeBadRequest    = "bad_request"
	CodeUnauthorized  = "unauthorized"
	CodeForbidden     = "forbidden"
	CodeNotFound      = "not_found"
	CodeVersionAhead  = "version_ahead"
	CodeInvalidOp     = "invalid_op"
	CodeSectionLocked = "section_locked"
	CodeTooLarge      = "too_large"
	CodeRateLimited   = "rate_limited"
	CodeResync        = "resync"
	CodeUnavailable   = "unavailable"
)

// Frame types.
const (
	typeOpen     = "open"
	typeOp       = "op"
	typeOps      = "ops"
	typeCursor   = "cursor"
	typeClose    = "close"
	typeSnapshot = "snapshot"
	typeAck      = "ack"
	typePresence = "presence"
	typeError    = "error"
	typePing     = "ping"
	typePong     = "pong"
)

// pongFrame answers a client's "ping": the heartbeat by which a browser
// notices a connection that is open on paper but carries nothing.
var pongFrame = []byte(`{"t":"pong"}`)

// Limits on client input; a frame as a whole is limited by MaxFrameBytes.
const (
	maxClientIDLen = 64
	maxRanges      = 32
)

// inFrame is any frame a client sends. Fields not used by a type are ignored.
type inFrame struct {
	T string `json:"t"`
	// Doc names the document ("section:12", "statement:42"); Section, a
	// section's id, is the older way to name a section and still read.
	Doc     string          `json:"doc"`
	Section int64           `json:"section"`
	doc     domain.DocKey   // Doc or Section, resolved by decodeFrame
	V       *int64          `json:"v"`
	Op      json.RawMessage `json:"op"`
	Client  string          `json:"client"`
	Seq     int64           `json:"seq"`
	Ranges  [][2]int        `json:"ranges"`
}

// frameError is a rejected frame: the code and German message of the error
// frame to send back.
type frameError struct {
	code, message string
	doc           domain.DocKey
	seq           int64
}

func (e *frameError) Error() string { return e.code + ": " + e.message }

func badRequest(msg string) *frameError { return &frameError{code: CodeBadRequest, message: msg} }

// decodeFrame parses and validates one client frame. It never panics; every
// problem is reported as a *frameError with code bad_request or invalid_op.
func decodeFrame(data []byte) (*inFrame, *frameError) {
	if !utf8.Valid(data) {
		return nil, badRequest("Die Nachricht ist kein gültiges UTF-8.")
	}
	var f inFrame
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		return nil, badRequest("Die Nachricht ist kein gültiges JSON-Objekt der erwarteten Form.")
	}
	if dec.More() {
		return nil, badRequest("Nach dem JSON-Objekt folgen weitere Daten.")
	}
	fail := func(msg string) (*inFrame, *frameError) {
		e := badRequest(msg)
		e.doc, e.seq = f.doc, f.Seq
		return nil, e
	}
	switch f.T {
	case typePing:
		return &f, nil
	case typeOpen, typeClose, typeOp, typeCursor:
	default:
		return fail("Unbekannter Nachrichtentyp.")
	}
	switch {
	case f.Doc != "":
		doc, err := domain.ParseDocKey(f.Doc)
		if err != nil || f.Section != 0 && doc != domain.SectionDoc(f.Section) {
			return fail("Das Dokument fehlt oder ist ungültig angegeben (erwartet: „section:12“ oder „statement:42“).")
		}
		f.doc = doc
	case f.Section > 0:
		f.doc = domain.SectionDoc(f.Section)
	default:
		return fail("Das Dokument fehlt oder ist ungültig angegeben (erwartet: „section:12“ oder „statement:42“).")
	}
	if f.V != nil && *f.V < 0 {
		return fail("Die Version darf nicht negativ sein.")
	}
	switch f.T {
	case typeOp:
		if f.V == nil {
			return fail("Die Version fehlt.")
		}
		if f.Client == "" || len(f.Client) > maxClientIDLen {
			return fail("Die Client-ID fehlt oder ist länger als 64 Zeichen.")
		}
		if f.Seq < 0 {
			return fail("Die Sequenznummer darf nicht negativ sein.")
		}
		if len(bytes.TrimSpace(f.Op)) == 0 || bytes.Equal(bytes.TrimSpace(f.Op), []byte("null")) {
			return nil, &frameError{code: CodeInvalidOp, message: "Die Operation fehlt.", doc: f.doc, seq: f.Seq}
		}
	case typeCursor:
		if f.V == nil {
			return fail("Die Version fehlt.")
		}
		if len(f.Ranges) > maxRanges {
			return fail("Zu viele Auswahlbereiche.")
		}
		for _, r := range f.Ranges {
			if r[0] < 0 || r[1] < 0 {
				return fail("Positionen dürfen nicht negativ sein.")
			}
		}
	}
	return &f, nil
}

// opEntry encodes one committed op as it appears inside "op" and "ops"
// frames. It starts with `{"v":` so that an "op" frame can reuse it.
func opEntry(op *domain.CommittedOp) []byte {
	b := make([]byte, 0, len(op.Op)+len(op.ClientID)+64)
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, op.Version, 10)
	b = append(b, `,"op":`...)
	b = append(b, op.Op...)
	b = append(b, `,"user":`...)
	b = strconv.AppendInt(b, op.UserID, 10)
	b = append(b, `,"client":`...)
	b = appendJSONString(b, op.ClientID)
	b = append(b, `,"seq":`...)
	b = strconv.AppendInt(b, op.Seq, 10)
	return append(b, '}')
}

// appendDoc appends the fields that name doc in every frame about it:
// "doc":"kind:id", and for a section also "section":id, for clients that
// route by section id.
func appendDoc(b []byte, doc domain.DocKey) []byte {
	b = append(b, `"doc":"`...)
	b = doc.AppendTo(b)
	b = append(b, '"')
	if doc.Kind == domain.DocSection {
		b = append(b, `,"section":`...)
		b = strconv.AppendInt(b, doc.ID, 10)
	}
	return b
}

// opFrame builds {"t":"op","doc":D,"v":…} from one entry.
func opFrame(doc domain.DocKey, entry []byte) []byte {
	b := make([]byte, 0, len(entry)+64)
	b = append(b, `{"t":"op",`...)
	b = appendDoc(b, doc)
	b = append(b, ',')
	return append(b, entry[1:]...)
}

// opsFrame builds {"t":"ops","doc":D,"ops":[…]} from entries.
func opsFrame(doc domain.DocKey, entries [][]byte) []byte {
	n := 72
	for _, e := range entries {
		n += len(e) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, `{"t":"ops",`...)
	b = appendDoc(b, doc)
	b = append(b, `,"ops":[`...)
	for i, e := range entries {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, e...)
	}
	return append(b, "]}"...)
}

func appendJSONString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

// docRef names a frame's document: "doc" always, "section" as well for a
// section (clients that route by section id).
type docRef struct {
	Doc     domain.DocKey `json:"doc"`
	Section int64         `json:"section,omitempty"`
}

// refOf is the docRef of doc.
func refOf(doc domain.DocKey) docRef {
	r := docRef{Doc: doc}
	if doc.Kind == domain.DocSection {
		r.Section = doc.ID
	}
	return r
}

type ackOut struct {
	T string `json:"t"`
	docRef
	V   int64 `json:"v"`
	Seq int64 `json:"seq"`
}

type errorOut struct {
	T       string `json:"t"`
	Code    string `json:"code"`
	Message string `json:"message"`
	*docRef
	Seq int64 `json:"seq,omitempty"`
}

type snapshotOut struct {
	T string `json:"t"`
	docRef
	V        int64       `json:"v"`
	Text     string      `json:"text"`
	Presence []*Presence `json:"presence"`
	Count    int         `json:"count"` // others with the document open; Presence lists at most 50
}

type presenceOut struct {
	T string `json:"t"`
	docRef
	Users []*Presence `json:"users"`
	Count int         `json:"count"` // others with the document open; Users lists at most 50
}

type cursorOut struct {
	T string `json:"t"`
	docRef
	Conn   string   `json:"conn"`
	User   int64    `json:"user"`
	V      int64    `json:"v"`
	Ranges [][2]int `json:"ranges"`
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("realtime: encoding an outgoing frame: " + err.Error()) // only fixed, encodable types reach here
	}
	return b
}

func errorFrame(e *frameError) []byte {
	out := errorOut{T: typeError, Code: e.code, Message: e.message, Seq: e.seq}
	if !e.doc.IsZero() {
		ref := refOf(e.doc)
		out.docRef = &ref
	}
	return mustJSON(out)
}

// errorFromDomain maps a service error to an error frame. Unexpected errors
// become "resync": the op's fate is unknown, so the client re-opens with its
// version and resubmits, which the op log deduplicates.
func errorFromDomain(err error, isOp bool) *frameError {
	code := CodeResync
	switch domain.ErrorCode(err) {
	case domain.EINVALID:
		// Only a fault in the op itself is invalid_op; a bad client id or
		// seq is a malformed frame.
		code = CodeBadRequest
		if f := domain.ErrorFields(err); isOp && (f == nil || f["op"] != "") {
			code = CodeInvalidOp
		}
	case domain.ENOTFOUND:
		code = CodeNotFound
	case domain.ECONFLICT:
		code = CodeVersionAhead
	case domain.ELOCKED:
		code = CodeSectionLocked
	case domain.EFORBIDDEN:
		code = CodeForbidden
	case domain.EUNAUTHORIZED:
		code = CodeUnauthorized
	case domain.ETOOLARGE:
		code = CodeTooLarge
	case domain.ERATELIMIT:
		code = CodeRateLimited
	case domain.EUNAVAILABLE:
		// Nothing was committed and nothing is lost: the client keeps its
		// op and tries again after a pause (same client id and seq).
		code = CodeUnavailable
	default:
		return &frameError{code: code, message: "Interner Fehler – bitte den Abschnitt neu laden."}
	}
	return &frameError{code: code, message: domain.ErrorMessage(err)}
}
