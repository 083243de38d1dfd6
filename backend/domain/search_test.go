package domain_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
)

func TestParseSearchQuery(t *testing.T) {
	w := func(words ...string) domain.SearchTerm { return domain.SearchTerm{Words: words} }
	x := func(words ...string) domain.SearchTerm { return domain.SearchTerm{Words: words, Exclude: true} }
	for _, c := range []struct {
		q    string
		want domain.SearchQuery
	}{
		{"Verwaltung", domain.SearchQuery{w("Verwaltung")}},
		{"  Bund   Länder ", domain.SearchQuery{w("Bund"), w("Länder")}},
		{`"digitale Verwaltung" -Papier`, domain.SearchQuery{w("digitale", "Verwaltung"), x("Papier")}},
		{"NEAR(a b)*", domain.SearchQuery{w("NEAR"), w("a"), w("b")}},
		{"E-Government", domain.SearchQuery{w("E"), w("Government")}},
		{`title:x OR y`, domain.SearchQuery{w("title"), w("x"), w("OR"), w("y")}},
		{`"" Daten`, domain.SearchQuery{w("Daten")}},
		{"Daten & !Register <-> 2026", domain.SearchQuery{w("Daten"), w("Register"), w("2026")}},
	} {
		got, err := domain.ParseSearchQuery(c.q)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseSearchQuery(%q) = %v, %v; want %v", c.q, got, err, c.want)
		}
	}
	for _, q := range []string{"", " \t", `"offen`, `a "b" "c`, "*", "()", "-a", "- -", "\xff",
		strings.Repeat("ä", 201), strings.Repeat("a ", 17)} {
		_, err := domain.ParseSearchQuery(q)
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("ParseSearchQuery(%q) = %v, want EINVALID", q, err)
		}
		if e, ok := err.(*domain.Error); ok && (e.Fields["q"] == "" || e.Message == "") {
			t.Errorf("ParseSearchQuery(%q): no German message for the field q: %+v", q, e)
		}
	}
	if _, err := domain.ParseSearchQuery(strings.Repeat("ä", 200)); err != nil {
		t.Errorf("200 code points: %v", err)
	}
}
