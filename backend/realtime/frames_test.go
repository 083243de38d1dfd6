package realtime_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/realtime"
)

func TestBadFramesGetErrorsAndChangeNothing(t *testing.T) {
	w := newWorldSQLite(t)
	in := w.start(testConfig("a"), nil)
	c := dialRaw(t, in, w.editors[0].ID)
	snap := c.open(w.section)
	text, v := w.dbText(domain.SectionDoc(w.section))
	if snap.Text != text || snap.V != v || v != 0 {
		t.Fatalf("snapshot %q v%d, database %q v%d", snap.Text, snap.V, text, v)
	}
	n := int64(len([]rune(text)))
	cases := []struct {
		name, frame, code string
		binary            bool
	}{
		{"not JSON", `hallo`, realtime.CodeBadRequest, false},
		{"trailing data", `{"t":"open","section":1} {}`, realtime.CodeBadRequest, false},
		{"unknown type", `{"t":"tanz","section":1}`, realtime.CodeBadRequest, false},
		{"no section", `{"t":"open"}`, realtime.CodeBadRequest, false},
		{"invalid UTF-8", "{\"t\":\"cursor\",\"section\":1,\"v\":0,\"x\":\"\xff\xfe\"}", realtime.CodeBadRequest, false},
		{"binary", `{"t":"open","section":1}`, realtime.CodeBadRequest, true},
		{"invalid op", `{"t":"op","section":S,"v":0,"op":[{"x":1}],"client":"c1","seq":1}`, realtime.CodeInvalidOp, false},
		{"op not an array", `{"t":"op","section":S,"v":0,"op":"abc","client":"c1","seq":1}`, realtime.CodeInvalidOp, false},
		{"past the end", `{"t":"op","section":S,"v":0,"op":[N,"x"],"client":"c1","seq":1}`, realtime.CodeInvalidOp, false},
		{"delete past the end", `{"t":"op","section":S,"v":0,"op":[{"d":N}],"client":"c1","seq":1}`, realtime.CodeInvalidOp, false},
		{"version from the future", `{"t":"op","section":S,"v":99,"op":["x"],"client":"c1","seq":1}`, realtime.CodeVersionAhead, false},
		{"no client id", `{"t":"op","section":S,"v":0,"op":["x"],"seq":1}`, realtime.CodeBadRequest, false},
		{"blank client id", `{"t":"op","section":S,"v":0,"op":["x"],"client":"  ","seq":1}`, realtime.CodeBadRequest, false},
		{"section not open", `{"t":"op","section":F,"v":0,"op":["x"],"client":"c1","seq":1}`, realtime.CodeBadRequest, false},
		{"unknown section", `{"t":"open","section":987654}`, realtime.CodeNotFound, false},
		{"open ahead", `{"t":"open","section":S,"v":99}`, realtime.CodeVersionAhead, false},
	}
	repl := strings.NewReplacer("S", itoa(w.section), "F", itoa(w.final), "N", itoa(n+1))
	for _, tc := range cases {
		typ := websocket.MessageText
		if tc.binary {
			typ = websocket.MessageBinary
		}
		c.sendRaw(typ, []byte(repl.Replace(tc.frame)))
		f := c.next("error", "ack", "snapshot", "ops")
		if f.T != "error" || f.Code != tc.code {
			t.Errorf("%s: want error %s, got %+v", tc.name, tc.code, f)
		}
	}
	if text2, v2 := w.dbText(domain.SectionDoc(w.section)); text2 != text || v2 != v {
		t.Fatalf("bad frames changed the section: %q v%d", text2, v2)
	}
	// The connection still works.
	ack := c.submit(w.section, 0, []any{"Neu: "}, "c1", 1)
	if text2, v2 := w.dbText(domain.SectionDoc(w.section)); ack.V != 0 || v2 != 1 || text2 != "Neu: "+text {
		t.Fatalf("after a good op: ack v%d, database v%d %q", ack.V, v2, text2)
	}
	// A frame over 1 MiB closes the connection with 1009.
	c.sendRaw(websocket.MessageText, []byte(`{"t":"cursor","x":"`+strings.Repeat("a", 1<<20)+`"}`))
	_, err := c.nextErr(5*time.Second, "never")
	if websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Fatalf("want close 1009, got %v", err)
	}
}

func TestFloodingIsRateLimitedThenClosed(t *testing.T) {
	w := newWorldSQLite(t)
	cfg := testConfig("a")
	cfg.RateLimit, cfg.RateBurst = 5, 10
	in := w.start(cfg, nil)
	c := dialRaw(t, in, w.editors[0].ID)
	c.open(w.section)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		for ctx.Err() == nil {
			if c.ws.Write(ctx, websocket.MessageText, []byte(`{"t":"cursor","section":`+itoa(w.section)+`,"v":0,"ranges":[[0,0]]}`)) != nil {
				return
			}
		}
	}()
	f := c.next("error")
	if f.Code != realtime.CodeRateLimited {
		t.Fatalf("want rate_limited, got %+v", f)
	}
	_, err := c.nextErr(5*time.Second, "never")
	if websocket.CloseStatus(err) != websocket.StatusPolicyViolation {
		t.Fatalf("want close 1008, got %v", err)
	}
}

func TestNoUserIsUnauthorized(t *testing.T) {
	w := newWorldSQLite(t)
	in := w.start(testConfig("a"), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, in.wsURL(0), nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("want 401, got %v %v", resp, err)
	}
}

func TestPermissions(t *testing.T) {
	w := newWorldSQLite(t)
	in := w.start(testConfig("a"), nil)
	editor, reader := dialRaw(t, in, w.editors[0].ID), dialRaw(t, in, w.reader.ID)
	editor.open(w.section)
	reader.open(w.section)
	editor.submit(w.section, 0, []any{"Entwurf: "}, "ed", 1)
	got := reader.next("op")
	if got.V != 0 || got.User != w.editors[0].ID || got.Client != "ed" {
		t.Fatalf("reader got %+v", got)
	}
	reader.send(map[string]any{"t": "op", "section": w.section, "v": 1, "op": []any{"x"}, "client": "rd", "seq": 1})
	reader.expectError(realtime.CodeForbidden)

	editor.open(w.final)
	editor.send(map[string]any{"t": "op", "section": w.final, "v": 0, "op": []any{"x"}, "client": "ed", "seq": 2})
	f := editor.expectError(realtime.CodeSectionLocked)
	if f.Section != w.final || f.Seq != 2 {
		t.Errorf("error frame names section %d seq %d", f.Section, f.Seq)
	}
	if _, v := w.dbText(domain.SectionDoc(w.final)); v != 0 {
		t.Fatalf("final section changed to v%d", v)
	}
	if _, v := w.dbText(domain.SectionDoc(w.section)); v != 1 {
		t.Fatalf("section at v%d after one op", v)
	}
}

func TestHubCloseSaysGoingAway(t *testing.T) {
	w := newWorldSQLite(t)
	in := w.start(testConfig("a"), nil)
	c := dialRaw(t, in, w.editors[0].ID)
	c.open(w.section)
	in.hub.Close()
	_, err := c.nextErr(5*time.Second, "never")
	if websocket.CloseStatus(err) != websocket.StatusGoingAway && !errors.Is(err, context.DeadlineExceeded) {
		t.Logf("close: %v", err)
	}
	if websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Fatalf("want close 1001, got %v", err)
	}
}

// TestTextCapAndPing checks that an op that would grow a section past its
// size cap is answered too_large and changes nothing, and that a ping is
// answered with a pong.
func TestTextCapAndPing(t *testing.T) {
	w := newWorldSQLite(t)
	in := w.start(testConfig("a"), nil)
	c := dialRaw(t, in, w.editors[0].ID)
	c.open(w.section)
	c.send(map[string]any{"t": "ping"})
	c.next("pong")
	text, _ := w.dbText(domain.SectionDoc(w.section))
	n := len([]rune(text))
	half := strings.Repeat("a", 600_000) // two of these pass the 1,048,576 code points
	c.submit(w.section, 0, []any{n, half}, "ed", 1)
	c.send(map[string]any{"t": "op", "section": w.section, "v": 1, "op": []any{n, half}, "client": "ed", "seq": 2})
	if f := c.expectError(realtime.CodeTooLarge); f.Seq != 2 {
		t.Fatalf("too_large names seq %d", f.Seq)
	}
	if _, v := w.dbText(domain.SectionDoc(w.section)); v != 1 {
		t.Fatalf("section at v%d", v)
	}
}
