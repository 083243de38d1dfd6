package consult_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// rowText renders a row side as text with [-deleted-] and {+inserted+}.
func rowText(cs []consult.Change) string {
	var b strings.Builder
	for _, c := range cs {
		switch c.Kind {
		case consult.Deleted:
			b.WriteString("[-" + c.Text + "-]")
		case consult.Inserted:
			b.WriteString("{+" + c.Text + "+}")
		default:
			b.WriteString(c.Text)
		}
	}
	return b.String()
}

func TestSectionSynopse(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		if _, err := f.svc.SectionSynopse(ctx, f.reader, f.section.ID, "", ""); !isCode(err, domain.ENOTFOUND) {
			t.Fatalf("without a Beteiligungsfassung: %v, want not found", err)
		}
		// Version 1: two paragraphs; frozen as the Beteiligungsfassung.
		n := len([]rune(sectionText))
		f.edit(t, f.pate, "c", 1, 0, fmt.Sprintf(`[%d, "\n\nZweiter Absatz über Register."]`, n))
		f.reload(t)
		must(t, f.svc.FreezeRound(ctx, f.moderator, f.strategy, f.strategy.CurrentPhase))
		nv, err := db.FindNamedVersions(ctx, f.section.ID)
		must(t, err)
		cited := f.thread(t, f.land, domain.KindKommentar, "Register", "")
		// Version 2: a new first paragraph; version 3: a word replaced in
		// the (old) first paragraph.
		f.edit(t, f.pate, "c", 2, 1, `["Neuer Absatz.\n\n"]`)
		text, _ := f.text(t)
		s, _ := find(t, text, "einmal")
		f.edit(t, f.pate, "c", 3, 2, fmt.Sprintf(`[%d, {"d": 6}, "nur einmal"]`, s))

		for _, c := range []struct {
			name, from, to string
			want           []string // per row: line | old | new
			threadRow      int      // row holding the cited thread; 0: none
		}{
			{"default: Beteiligungsfassung vs current", "", "", []string{
				"1|" + sectionText + "\n\n|{+Neuer Absatz.\n\n+}Die Verwaltung arbeitet digital. Daten werden {+nur +}einmal erhoben und sicher geteilt. Bund und Länder handeln gemeinsam.\n\n",
				"2|Zweiter Absatz über Register.|Zweiter Absatz über Register.",
			}, 2},
			{"named to op-log version", fmt.Sprintf("named:%d", nv[0].ID), "2", []string{
				"1|" + sectionText + "\n\n|{+Neuer Absatz.\n\n+}" + sectionText + "\n\n",
				"2|Zweiter Absatz über Register.|Zweiter Absatz über Register.",
			}, 2},
			{"op-log versions backwards", "3", "0", []string{
				"1|[-Neuer Absatz.\n\n-]|",
				"2|Die Verwaltung arbeitet digital. Daten werden[- nur-] einmal erhoben und sicher geteilt. Bund und Länder handeln gemeinsam.[-\n\n-]|Die Verwaltung arbeitet digital. Daten werden einmal erhoben und sicher geteilt. Bund und Länder handeln gemeinsam.",
				"3|[-Zweiter Absatz über Register.-]|",
			}, 0},
			{"from the empty text", "0", "0", []string{
				"1|" + sectionText + "|" + sectionText,
			}, 0},
		} {
			sy, err := f.svc.SectionSynopse(ctx, f.reader, f.section.ID, c.from, c.to)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var got []string
			for i, r := range sy.Rows {
				got = append(got, fmt.Sprintf("%d|%s|%s", r.Line, rowText(r.Old), rowText(r.New)))
				hasThread := len(r.Threads) == 1 && r.Threads[0].ID == cited.ID
				if hasThread != (i+1 == c.threadRow) || (!hasThread && len(r.Threads) > 0) {
					t.Errorf("%s: row %d threads %v", c.name, i+1, r.Threads)
				}
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
			}
		}
		sy, err := f.svc.SectionSynopse(ctx, f.reader, f.section.ID, "", "")
		must(t, err)
		if sy.From.NamedVersionID == nil || *sy.From.NamedVersionID != nv[0].ID || sy.From.Version != 1 || sy.To.Version != 3 || !strings.HasPrefix(sy.From.Label, "Beteiligungsfassung ") {
			t.Errorf("sides %+v %+v", sy.From, sy.To)
		}

		for _, c := range []struct{ from, to, code string }{
			{"named:abc", "", domain.EINVALID},
			{"named:999999", "", domain.ENOTFOUND},
			{"4", "", domain.EINVALID},
			{"-1", "", domain.EINVALID},
			{"", "x", domain.EINVALID},
		} {
			if _, err := f.svc.SectionSynopse(ctx, f.reader, f.section.ID, c.from, c.to); !isCode(err, c.code) {
				t.Errorf("from %q to %q: %v, want %s", c.from, c.to, err, c.code)
			}
		}
		if _, err := f.svc.SectionSynopse(ctx, f.reader, 999999, "", ""); !isCode(err, domain.ENOTFOUND) {
			t.Errorf("unknown section: %v", err)
		}
	})
}

func isCode(err error, code string) bool {
	var e *domain.Error
	return errors.As(err, &e) && e.Code == code
}
