package realtime

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/domain"
)

func FuzzDecodeFrame(f *testing.F) {
	for _, s := range []string{
		`{"t":"open","section":1}`,
		`{"t":"open","section":1,"v":3}`,
		`{"t":"op","section":1,"v":0,"op":[2,"ä😀",{"d":1}],"client":"c","seq":1}`,
		`{"t":"cursor","section":1,"v":0,"ranges":[[0,1],[4,2]]}`,
		`{"t":"close","section":1}`,
		`{"t":"op","section":-1}`, `[]`, `null`, "{\"t\":\"\xff\"}", `{"t":"cursor","section":1,"v":0,"ranges":[[1,2,3]]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, ferr := decodeFrame(data)
		if (fr == nil) == (ferr == nil) {
			t.Fatalf("want exactly one of frame and error, got %v and %v", fr, ferr)
		}
		if ferr != nil {
			if ferr.code != CodeBadRequest && ferr.code != CodeInvalidOp {
				t.Fatalf("unexpected code %q", ferr.code)
			}
			if ferr.message == "" || !utf8.ValidString(ferr.message) {
				t.Fatalf("bad message %q", ferr.message)
			}
			if !json.Valid(errorFrame(ferr)) {
				t.Fatal("error frame is not JSON")
			}
			return
		}
		if !utf8.Valid(data) || fr.Section <= 0 || (fr.V != nil && *fr.V < 0) {
			t.Fatalf("accepted %q as %+v", data, fr)
		}
		switch fr.T {
		case typeOpen, typeClose:
		case typeOp:
			if fr.V == nil || fr.Client == "" || len(fr.Client) > maxClientIDLen || fr.Seq < 0 {
				t.Fatalf("accepted op %q", data)
			}
		case typeCursor:
			if fr.V == nil || len(fr.Ranges) > maxRanges {
				t.Fatalf("accepted cursor %q", data)
			}
		default:
			t.Fatalf("accepted type %q", fr.T)
		}
	})
}

func TestOpFramesAreJSON(t *testing.T) {
	op := &domain.CommittedOp{Doc: domain.SectionDoc(4), Version: 7, Op: json.RawMessage(`[1,"\"😀"]`), UserID: 9, ClientID: "a\"b", Seq: 3}
	e := opEntry(op)
	var one struct {
		T       string          `json:"t"`
		Doc     string          `json:"doc"`
		Section int64           `json:"section"`
		V       int64           `json:"v"`
		Op      json.RawMessage `json:"op"`
		User    int64           `json:"user"`
		Client  string          `json:"client"`
		Seq     int64           `json:"seq"`
	}
	if err := json.Unmarshal(opFrame(domain.SectionDoc(4), e), &one); err != nil {
		t.Fatal(err)
	}
	if one.T != "op" || one.Doc != "section:4" || one.Section != 4 || one.V != 7 || string(one.Op) != string(op.Op) || one.User != 9 || one.Client != "a\"b" || one.Seq != 3 {
		t.Fatalf("op frame %+v", one)
	}
	var many struct {
		T       string            `json:"t"`
		Doc     string            `json:"doc"`
		Section *int64            `json:"section"`
		Ops     []json.RawMessage `json:"ops"`
	}
	// A statement's frames name it by doc only.
	if err := json.Unmarshal(opsFrame(domain.StatementDoc(4), [][]byte{e, e}), &many); err != nil || many.T != "ops" ||
		many.Doc != "statement:4" || many.Section != nil || len(many.Ops) != 2 {
		t.Fatalf("ops frame %+v %v", many, err)
	}
}

func TestColorIsStable(t *testing.T) {
	if ColorFor(42) != ColorFor(42) {
		t.Fatal("colour of a user changes")
	}
	seen := map[string]bool{}
	for id := range int64(100) {
		seen[ColorFor(id)] = true
	}
	if len(seen) < len(palette)/2 {
		t.Fatalf("only %d colours over 100 users", len(seen))
	}
}
