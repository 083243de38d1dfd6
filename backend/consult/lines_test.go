package consult_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestParagraphs(t *testing.T) {
	for _, c := range []struct {
		text string
		want string
	}{
		{"", "[]"},
		{"\n\n  \n", "[]"},
		{"Ein Satz.", "[[0 9]]"},
		{"Eins\nzwei\n\nDrei", "[[0 9] [11 15]]"},
		{"\n\nÄ\n \n\nÖü\n", "[[2 3] [7 9]]"},
		{"- Liste\n- Punkt\n\n## Titel", "[[0 15] [17 25]]"},
	} {
		if got := fmt.Sprint(consult.Paragraphs(c.text)); got != c.want {
			t.Errorf("Paragraphs(%q) = %s, want %s", c.text, got, c.want)
		}
	}
	one, two := 12, 14
	if got := consult.LineLabel(&one, &two); got != "Z. 12–14" {
		t.Errorf("label %q", got)
	}
	if got := consult.LineLabel(&one, &one); got != "Z. 12" {
		t.Errorf("label %q", got)
	}
	if got := consult.LineLabel(nil, nil); got != "" {
		t.Errorf("label %q", got)
	}
}

// Threads cite the paragraphs of the Beteiligungsfassung even after the live
// text gained a paragraph in front of them.
func TestThreadsCiteFrozenLines(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		n := len([]rune(sectionText))
		f.edit(t, f.pate, "c", 1, 0, `[`+strconv.Itoa(n)+`, "\n\nZweiter Absatz über Register."]`)
		f.reload(t)
		must(t, f.svc.FreezeRound(ctx, f.moderator, f.strategy, f.strategy.CurrentPhase))
		vs, err := db.FindNamedVersions(ctx, f.section.ID)
		must(t, err)
		if len(vs) != 1 || vs[0].Version != 1 || vs[0].PhaseID == nil || *vs[0].PhaseID != f.phase.ID || vs[0].Text != sectionText+"\n\nZweiter Absatz über Register." {
			t.Fatalf("named versions = %+v", vs)
		}
		if want := "Beteiligungsfassung " + consult.Berlin(*f.phase.OpensAt)[:10]; vs[0].Name != want {
			t.Fatalf("name %q, want %q", vs[0].Name, want)
		}
		// The live text moves on: a new first paragraph.
		f.edit(t, f.pate, "c", 2, 1, `["Neuer erster Absatz.\n\n"]`)

		for _, c := range []struct {
			passage string
			want    string
		}{
			{"Register", "Z. 2"},
			{"gemeinsam.\n\nZweiter", "Z. 1–2"},
			{"Daten werden", "Z. 1"},
			{"Neuer erster", ""},
		} {
			th := f.thread(t, f.land, domain.KindKommentar, c.passage, "")
			if got := consult.LineLabel(th.LineFrom, th.LineTo); got != c.want {
				t.Errorf("%q cites %q, want %q", c.passage, got, c.want)
			}
			stored, err := db.FindThreadByID(ctx, th.ID)
			must(t, err)
			if got := consult.LineLabel(stored.LineFrom, stored.LineTo); got != c.want {
				t.Errorf("%q stored as %q, want %q", c.passage, got, c.want)
			}
		}
	})
}
