package consult_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// hits searches as u and returns the hits as "kind:id" plus the marked
// words of all snippets.
func (f *fixture) hits(t *testing.T, u *domain.User, q string, opts ...func(*consult.SearchRequest)) ([]string, []string) {
	t.Helper()
	req := consult.SearchRequest{Query: q, Limit: 100}
	for _, o := range opts {
		o(&req)
	}
	res, err := f.svc.Search(ctx, u, f.strategy.ID, req)
	must(t, err)
	if res.Total != len(res.Hits) {
		t.Fatalf("total %d, %d hits", res.Total, len(res.Hits))
	}
	var keys, marks []string
	for _, h := range res.Hits {
		keys = append(keys, fmt.Sprintf("%s:%d", h.Kind, h.ID))
		for _, p := range h.Snippet {
			if p.Mark {
				marks = append(marks, p.Text)
			}
		}
	}
	return keys, marks
}

func key(kind domain.SearchKind, id int64) string { return fmt.Sprintf("%s:%d", kind, id) }

func wantHits(t *testing.T, got []string, want ...string) {
	t.Helper()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("hits = %v, want %v", got, want)
	}
}

func TestSearchFindsWhatTheUserMayRead(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		sid := f.strategy.ID
		hh := newUser(t, db, "land@hamburg.de", "HH", []domain.Role{domain.RoleLand})
		he := newUser(t, db, "land@hessen.de", "HE", []domain.Role{domain.RoleLand})

		th := f.thread(t, f.land, domain.KindKommentar, "Daten werden einmal erhoben", "")
		c, err := f.svc.Reply(ctx, he, th.ID, "Hessen regt eine Registermodernisierung an.")
		must(t, err)
		_, err = f.svc.SaveStatement(ctx, hh, sid, consult.StatementInput{Body: "Hamburg begrüßt die Registermodernisierung im Entwurf."})
		must(t, err)

		// A Land's draft statement: its own organisation and the moderation only.
		reg := "Registermodernisierung"
		got, marks := f.hits(t, f.land, reg)
		wantHits(t, got, key(domain.SearchComment, c.ID))
		if len(marks) == 0 || !strings.EqualFold(marks[0], reg) {
			t.Fatalf("marked %q, want %q", marks, reg)
		}
		got, _ = f.hits(t, hh, reg)
		if len(got) != 2 {
			t.Fatalf("Hamburg finds %v, want the comment and its own draft", got)
		}
		got, _ = f.hits(t, f.moderator, reg)
		if len(got) != 2 {
			t.Fatalf("moderation finds %v", got)
		}

		// Submitted, but the strategy keeps statements to their organisation.
		stmt, err := f.svc.SubmitStatementText(ctx, hh, sid, consult.StatementInput{Position: domain.PositionZustimmung,
			Body: "Hamburg begrüßt die Registermodernisierung."})
		must(t, err)
		got, _ = f.hits(t, f.land, reg, func(r *consult.SearchRequest) { r.Kind = domain.SearchStatement })
		wantHits(t, got)
		got, _ = f.hits(t, hh, reg, func(r *consult.SearchRequest) { r.Kind = domain.SearchStatement })
		wantHits(t, got, key(domain.SearchStatement, stmt.ID))

		// A hidden comment: the moderation and its author only.
		_, err = f.svc.HideComment(ctx, f.moderator, c.ID, "Off-Topic")
		must(t, err)
		got, _ = f.hits(t, f.land, reg, func(r *consult.SearchRequest) { r.Kind = domain.SearchComment })
		wantHits(t, got)
		got, _ = f.hits(t, f.moderator, reg, func(r *consult.SearchRequest) { r.Kind = domain.SearchComment })
		wantHits(t, got, key(domain.SearchComment, c.ID))
		got, _ = f.hits(t, he, reg, func(r *consult.SearchRequest) { r.Kind = domain.SearchComment })
		wantHits(t, got, key(domain.SearchComment, c.ID))

		// A hidden proposal with its replacement text.
		p := f.thread(t, he, domain.KindAenderungsvorschlag, "Bund und Länder", "Bund, Länder und Kommunen")
		got, _ = f.hits(t, f.land, "Kommunen", func(r *consult.SearchRequest) { r.Kind = domain.SearchProposal })
		wantHits(t, got, key(domain.SearchProposal, p.ID))
		_, err = f.svc.HideThread(ctx, f.moderator, p.ID, "Doppelt")
		must(t, err)
		got, _ = f.hits(t, f.land, "Kommunen")
		wantHits(t, got)

		// Filters: organisation, status, section.
		got, _ = f.hits(t, f.moderator, "Daten", func(r *consult.SearchRequest) { r.OrgCode = "BY" })
		wantHits(t, got, key(domain.SearchThread, th.ID))
		got, _ = f.hits(t, f.moderator, "Daten", func(r *consult.SearchRequest) { r.Status = domain.StatusErledigt })
		wantHits(t, got)
		got, _ = f.hits(t, f.moderator, "Daten", func(r *consult.SearchRequest) { r.SectionID = f.section.ID })
		wantHits(t, got, key(domain.SearchSection, f.section.ID), key(domain.SearchThread, th.ID))

		// Another strategy's texts never show, nor a draft strategy's sections
		// to a Land.
		draft := &domain.Strategy{Title: "Entwurfsstrategie"}
		must(t, db.CreateStrategy(ctx, draft))
		sec := &domain.Section{StrategyID: draft.ID, Part: domain.PartDach, Title: "Geheimer Entwurf", Text: "Zukunftsbild der Verwaltung"}
		must(t, db.CreateSection(ctx, sec))
		got, _ = f.hits(t, f.land, "Zukunftsbild")
		wantHits(t, got)
		res, err := f.svc.Search(ctx, f.land, draft.ID, consult.SearchRequest{Query: "Zukunftsbild"})
		must(t, err)
		if res.Total != 0 {
			t.Fatalf("a Land finds a draft: %+v", res.Hits)
		}
		res, err = f.svc.Search(ctx, f.moderator, draft.ID, consult.SearchRequest{Query: "Zukunftsbild"})
		must(t, err)
		if res.Total != 1 || res.Hits[0].Link != fmt.Sprintf("/abschnitte/%d", sec.ID) {
			t.Fatalf("moderation finds %+v", res.Hits)
		}
	})
}

func TestSearchPublicStatementsShowTheSubmittedVersion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, func(s *domain.Strategy) { s.StatementsPublic = true })
		sid := f.strategy.ID
		hh := newUser(t, db, "land@hamburg.de", "HH", []domain.Role{domain.RoleLand})
		_, err := f.svc.SaveStatement(ctx, hh, sid, consult.StatementInput{Body: "Hamburg prüft die Breitbandförderung."})
		must(t, err)
		got, _ := f.hits(t, f.land, "Breitbandförderung")
		wantHits(t, got) // a draft, even where statements are public
		v1, err := f.svc.SubmitStatementText(ctx, hh, sid, consult.StatementInput{Position: domain.PositionZustimmung,
			Body: "Hamburg unterstützt die Breitbandförderung."})
		must(t, err)
		v2, err := f.svc.SaveStatement(ctx, hh, sid, consult.StatementInput{Body: "Hamburg unterstützt die Breitbandförderung und Glasfaser."})
		must(t, err)
		got, _ = f.hits(t, f.land, "Breitbandförderung")
		wantHits(t, got, key(domain.SearchStatement, v1.ID))
		got, _ = f.hits(t, f.land, "Glasfaser")
		wantHits(t, got) // the new draft stays Hamburg's
		got, _ = f.hits(t, hh, "Breitbandförderung")
		wantHits(t, got, key(domain.SearchStatement, v2.ID))
	})
}

func TestSearchIndexFollowsTheText(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// German inflection: the plural finds the singular and back.
		for _, q := range []string{"Verwaltungen", "Verwaltung", `"arbeitet digital"`, "Verwaltung -Quantenrechner"} {
			got, _ := f.hits(t, f.land, q)
			wantHits(t, got, key(domain.SearchSection, f.section.ID))
		}
		got, _ := f.hits(t, f.land, "Quantenrechner")
		wantHits(t, got)

		// An edit through the op log is found at once ...
		text, v := f.text(t)
		n := len([]rune(text))
		f.edit(t, f.pate, "c", 1, v, fmt.Sprintf(`[%d, " Quantenrechner helfen."]`, n))
		got, marks := f.hits(t, f.land, "Quantenrechner")
		wantHits(t, got, key(domain.SearchSection, f.section.ID))
		if !slices.Contains(marks, "Quantenrechner") {
			t.Fatalf("marked %q", marks)
		}
		got, _ = f.hits(t, f.land, "Verwaltung -Quantenrechner")
		wantHits(t, got)
		// ... and so is its removal.
		f.edit(t, f.pate, "c", 2, v+1, fmt.Sprintf(`[%d, {"d": %d}]`, n, len([]rune(" Quantenrechner helfen."))))
		got, _ = f.hits(t, f.land, "Quantenrechner")
		wantHits(t, got)

		// An edited comment is found by its new words only; a deleted
		// section takes its threads out of the index.
		th := f.thread(t, f.pate, domain.KindKommentar, "Bund und Länder", "")
		_, err := f.svc.EditComment(ctx, f.pate, th.Comments[0].ID, "Ein Hinweis zur Interoperabilität.")
		must(t, err)
		got, _ = f.hits(t, f.land, "Begründung")
		wantHits(t, got)
		got, _ = f.hits(t, f.land, "Interoperabilität")
		wantHits(t, got, key(domain.SearchComment, th.Comments[0].ID))
		must(t, db.DeleteSection(ctx, f.section.ID))
		got, _ = f.hits(t, f.moderator, "Interoperabilität Verwaltung")
		wantHits(t, got)
		got, _ = f.hits(t, f.moderator, "Interoperabilität")
		wantHits(t, got)
	})
}

func TestSearchRefusesBadQueries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		bad := []string{"", "   ", `"Verwaltung`, `Verwaltung "digital`, "*", "()", "- -", "-Verwaltung",
			strings.Repeat("Verwaltung ", 30), strings.Repeat("a ", 17), "\xff\xfe"}
		for _, q := range bad {
			_, err := f.svc.Search(ctx, f.land, f.strategy.ID, consult.SearchRequest{Query: q})
			wantCode(t, err, domain.EINVALID)
		}
		// Operators of FTS5 and tsquery are words like any other.
		ok := []string{"NEAR(Verwaltung digital)", "Verwaltung*", "Verwaltung AND OR NOT", "(Verwaltung)", "title:Verwaltung",
			"Verwaltung & digital | !Daten", "Verwaltung <-> digital", `"" Verwaltung`, "Verwal'tung", "^Verwaltung", "Verwaltung:*",
			"E-Government", `\"Verwaltung\"`, "Verwaltung -", "{Verwaltung}"}
		for _, q := range ok {
			if _, err := f.svc.Search(ctx, f.land, f.strategy.ID, consult.SearchRequest{Query: q}); err != nil {
				t.Errorf("Search(%q) = %v", q, err)
			}
		}
		for _, r := range []consult.SearchRequest{{Query: "a", Kind: "x"}, {Query: "a", Status: "x"}, {Query: "a", OrgCode: "XX"},
			{Query: "a", Limit: 101}, {Query: "a", Offset: -1}} {
			_, err := f.svc.Search(ctx, f.land, f.strategy.ID, r)
			wantCode(t, err, domain.EINVALID)
		}
	})
}

func TestSnippetParts(t *testing.T) {
	s, e := domain.SnippetStart, domain.SnippetEnd
	for _, c := range []struct {
		in   string
		want []consult.SnippetPart
	}{
		{"", []consult.SnippetPart{}},
		{"ohne Treffer", []consult.SnippetPart{{Text: "ohne Treffer"}}},
		{"Die " + s + "Verwaltung" + e + " <b>arbeitet</b>", []consult.SnippetPart{{Text: "Die "}, {Text: "Verwaltung", Mark: true}, {Text: " <b>arbeitet</b>"}}},
		{s + "a" + e + s + "b" + e, []consult.SnippetPart{{Text: "a", Mark: true}, {Text: "b", Mark: true}}},
		{"offen " + s + "bis zum Ende", []consult.SnippetPart{{Text: "offen "}, {Text: "bis zum Ende", Mark: true}}},
	} {
		if got := consult.SnippetParts(c.in); !slices.Equal(got, c.want) {
			t.Errorf("SnippetParts(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

// A long text's passage is the part around the match, wherever it stands.
func TestSearchPassageOfALongText(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		long := strings.Repeat("Ein Absatz über Bund und Länder ohne das gesuchte Wort. ", 30) +
			"\n\nDer dritte Absatz handelt vom Glasfaserausbau im ländlichen Raum.\n\n" + strings.Repeat("Noch ein Absatz. ", 30)
		sec := &domain.Section{StrategyID: f.strategy.ID, Part: domain.PartDach, Title: "Netze", Text: long}
		must(t, db.CreateSection(ctx, sec))
		res, err := f.svc.Search(ctx, f.moderator, f.strategy.ID, consult.SearchRequest{Query: "Glasfaserausbau"})
		must(t, err)
		if res.Total != 1 {
			t.Fatalf("hits = %+v", res.Hits)
		}
		var text, marked string
		for _, p := range res.Hits[0].Snippet {
			text += p.Text
			if p.Mark {
				marked += p.Text
			}
		}
		if marked != "Glasfaserausbau" || !strings.Contains(text, "ländlichen") || len([]rune(text)) > 400 {
			t.Fatalf("passage %q, marked %q", text, marked)
		}
	})
}
