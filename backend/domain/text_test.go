package domain

import (
	"strings"
	"testing"
)

func TestLineAndBody(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got       func() (string, error)
		want      string
		code, msg string
	}{
		{"line trimmed", func() (string, error) { return Line("f", "  Titel  ", 10) }, "Titel", "", ""},
		{"line empty", func() (string, error) { return Line("f", " \t ", 10) }, "", EINVALID, "leer"},
		{"line newline", func() (string, error) { return Line("f", "a\nb", 10) }, "", EINVALID, "Steuerzeichen"},
		{"line too long", func() (string, error) { return Line("f", strings.Repeat("ä", 11), 10) }, "", ETOOLARGE, "höchstens 10"},
		{"line at limit", func() (string, error) { return Line("f", strings.Repeat("ä", 10), 10) }, strings.Repeat("ä", 10), "", ""},
		{"body keeps lines", func() (string, error) { return Body("f", " a\nb ", 10, true) }, "a\nb", "", ""},
		{"optional body as given", func() (string, error) { return Body("f", " ", 10, false) }, " ", "", ""},
		{"body NUL", func() (string, error) { return Body("f", "a\x00", 10, false) }, "", EINVALID, "ungültige"},
		{"body bad UTF-8", func() (string, error) { return Body("f", "a\xff", 10, true) }, "", EINVALID, "ungültige"},
		{"body too long", func() (string, error) { return Body("f", "abc", 2, false) }, "", ETOOLARGE, "zu lang"},
	} {
		v, err := tc.got()
		if tc.code == "" {
			if err != nil || v != tc.want {
				t.Errorf("%s: %q, %v; want %q", tc.name, v, err, tc.want)
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Code != tc.code || !strings.Contains(e.Fields["f"], tc.msg) {
			t.Errorf("%s: %v, want %s mentioning %q on field f", tc.name, err, tc.code, tc.msg)
		}
	}
}
