package beschluss_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/beschluss"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestCreateFreezesTheText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		v0 := int64(0)
		deadline := f.Now().Add(time.Hour)
		b, err := f.svc.Create(ctx, f.moderator, beschluss.NewVorlage{StrategyID: f.strategy.ID, Title: " Leitlinien ",
			DecisionText: "Der IT-Planungsrat beschließt die Leitlinien.", Rule: beschluss.Rechtsverbindlich,
			Procedure: beschluss.Umlauf, Deadline: &deadline, Sections: []beschluss.SectionRef{{SectionID: f.draft.ID, Version: &v0}}})
		must(t, err)
		got, err := f.svc.Get(ctx, f.landBY, b.ID)
		must(t, err)
		want := []beschluss.FrozenSection{{SectionID: f.draft.ID, Title: "Leitlinien", Version: 0, Text: draftText}}
		if len(got.Sections) != 1 || got.Sections[0] != want[0] {
			t.Fatalf("sections %+v", got.Sections)
		}
		if got.TextHash != beschluss.TextHash(want) || len(got.TextHash) != 64 || got.Title != "Leitlinien" {
			t.Fatalf("hash %q title %q", got.TextHash, got.Title)
		}
		if got.KeyYear == nil || *got.KeyYear != 2016 {
			t.Fatalf("key year %v, want the seeded 2016", got.KeyYear)
		}
		cur, err := f.svc.Create(ctx, f.moderator, beschluss.NewVorlage{StrategyID: f.strategy.ID, Title: "Aktuell",
			DecisionText: "Der IT-Planungsrat beschließt …", Rule: beschluss.Empfehlung, Procedure: beschluss.Sitzung,
			Sections: []beschluss.SectionRef{{SectionID: f.draft.ID}}})
		must(t, err)
		if cur.Sections[0].Version != 1 || cur.Sections[0].Text != draftText+" Gemeinsam." || cur.TextHash == b.TextHash {
			t.Fatalf("current version frozen as %+v", cur.Sections[0])
		}
	})
}

func TestCreateOnANamedVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// The Beteiligungsfassung froze version 0; the live text is at 1.
		named := &domain.NamedVersion{SectionID: f.draft.ID, Version: 0, Text: draftText, Name: "Beteiligungsfassung 2026-03-02"}
		must(t, db.CreateNamedVersion(ctx, named))
		b, err := f.svc.Create(ctx, f.moderator, beschluss.NewVorlage{StrategyID: f.strategy.ID, Title: "Leitlinien",
			DecisionText: "Der IT-Planungsrat beschließt die Leitlinien.", Rule: beschluss.Empfehlung, Procedure: beschluss.Sitzung,
			Sections: []beschluss.SectionRef{{SectionID: f.draft.ID, NamedVersionID: &named.ID}}})
		must(t, err)
		want := beschluss.FrozenSection{SectionID: f.draft.ID, Title: "Leitlinien", Version: 0, VersionName: named.Name, Text: draftText}
		got, err := f.svc.Get(ctx, f.landBY, b.ID)
		must(t, err)
		if len(got.Sections) != 1 || got.Sections[0] != want {
			t.Fatalf("sections %+v, want %+v", got.Sections, want)
		}
		// The name is not part of what is decided: the hash is that of the text.
		want.VersionName = ""
		if got.TextHash != beschluss.TextHash([]beschluss.FrozenSection{want}) {
			t.Fatalf("hash %s", got.TextHash)
		}

		other := &domain.Section{StrategyID: f.strategy.ID, Part: domain.PartDach, Title: "Andere", Text: "x"}
		must(t, db.CreateSection(ctx, other))
		foreign := &domain.NamedVersion{SectionID: other.ID, Version: 0, Text: "x", Name: "Fremd"}
		must(t, db.CreateNamedVersion(ctx, foreign))
		v0 := int64(0)
		for name, ref := range map[string]beschluss.SectionRef{
			"named version of another section": {SectionID: f.draft.ID, NamedVersionID: &foreign.ID},
			"named version and number":         {SectionID: f.draft.ID, NamedVersionID: &named.ID, Version: &v0},
		} {
			_, err := f.svc.Create(ctx, f.moderator, beschluss.NewVorlage{StrategyID: f.strategy.ID, Title: "X",
				DecisionText: "Der IT-Planungsrat beschließt …", Rule: beschluss.Empfehlung, Procedure: beschluss.Sitzung,
				Sections: []beschluss.SectionRef{ref}})
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("%s: got %v, want invalid", name, err)
			}
		}
	})
}

func TestTextHashIsCanonical(t *testing.T) {
	secs := []beschluss.FrozenSection{{SectionID: 7, Title: "Ä", Version: 3, Text: "x\ny"}, {SectionID: 12, Title: "B", Version: 0, Text: ""}}
	// The documented serialisation, written out by hand.
	sum := sha256.Sum256([]byte("7\n3\n2\nÄ\n3\nx\ny\n" + "12\n0\n1\nB\n0\n\n"))
	if got := beschluss.TextHash(secs); got != hex.EncodeToString(sum[:]) {
		t.Fatalf("hash %s", got)
	}
	moved := beschluss.TextHash([]beschluss.FrozenSection{{SectionID: 7, Title: "Ä\n3", Version: 3, Text: "y"}})
	if moved == beschluss.TextHash(secs[:1]) {
		t.Fatal("length prefixes must keep title and text apart")
	}
}

func TestCreateRefusesBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		other := &domain.Strategy{Title: "Andere"}
		must(t, db.CreateStrategy(ctx, other))
		foreign := &domain.Section{StrategyID: other.ID, Part: domain.PartDach, Title: "Fremd"}
		must(t, db.CreateSection(ctx, foreign))
		future, past := f.Now().Add(time.Hour), f.Now().Add(-time.Second)
		v2, year := int64(2), 1999
		ok := func() beschluss.NewVorlage {
			return beschluss.NewVorlage{StrategyID: f.strategy.ID, Title: "T", DecisionText: "Der IT-Planungsrat beschließt …",
				Rule: beschluss.Einstimmig, Procedure: beschluss.Umlauf, Deadline: &future,
				Sections: []beschluss.SectionRef{{SectionID: f.draft.ID}}}
		}
		cases := []struct {
			name  string
			u     *domain.User
			edit  func(*beschluss.NewVorlage)
			code  string
			field string
		}{
			{"not a moderator", f.voters["BY"], func(*beschluss.NewVorlage) {}, domain.EFORBIDDEN, ""},
			{"admin", f.admin, func(*beschluss.NewVorlage) {}, domain.EFORBIDDEN, ""},
			{"empty title", f.moderator, func(n *beschluss.NewVorlage) { n.Title = "  " }, domain.EINVALID, "title"},
			{"no decision text", f.moderator, func(n *beschluss.NewVorlage) { n.DecisionText = "" }, domain.EINVALID, "decision_text"},
			{"unknown rule", f.moderator, func(n *beschluss.NewVorlage) { n.Rule = "mehrheit" }, domain.EINVALID, "rule"},
			{"unknown procedure", f.moderator, func(n *beschluss.NewVorlage) { n.Procedure = "brief" }, domain.EINVALID, "procedure"},
			{"umlauf without deadline", f.moderator, func(n *beschluss.NewVorlage) { n.Deadline = nil }, domain.EINVALID, "deadline"},
			{"deadline in the past", f.moderator, func(n *beschluss.NewVorlage) { n.Deadline = &past }, domain.EINVALID, "deadline"},
			{"sitzung with deadline", f.moderator, func(n *beschluss.NewVorlage) { n.Procedure = beschluss.Sitzung }, domain.EINVALID, "deadline"},
			{"no sections", f.moderator, func(n *beschluss.NewVorlage) { n.Sections = nil }, domain.EINVALID, "sections"},
			{"section twice", f.moderator, func(n *beschluss.NewVorlage) { n.Sections = append(n.Sections, n.Sections[0]) }, domain.EINVALID, "sections"},
			{"section still in consultation", f.moderator, func(n *beschluss.NewVorlage) {
				n.Sections = []beschluss.SectionRef{{SectionID: f.consulted.ID}}
			}, domain.EINVALID, "sections"},
			{"version that does not exist", f.moderator, func(n *beschluss.NewVorlage) { n.Sections[0].Version = &v2 }, domain.EINVALID, "sections"},
			{"section of another strategy", f.moderator, func(n *beschluss.NewVorlage) {
				n.Sections = []beschluss.SectionRef{{SectionID: foreign.ID}}
			}, domain.EINVALID, "sections"},
			{"unknown section", f.moderator, func(n *beschluss.NewVorlage) { n.Sections = []beschluss.SectionRef{{SectionID: 99999}} }, domain.EINVALID, "sections"},
			{"key without year", f.moderator, func(n *beschluss.NewVorlage) {
				n.Rule, n.KeyYear = beschluss.Rechtsverbindlich, &year
			}, domain.EINVALID, "key_year"},
			{"key for a non-binding rule", f.moderator, func(n *beschluss.NewVorlage) { n.KeyYear = &year }, domain.EINVALID, "key_year"},
		}
		for _, c := range cases {
			n := ok()
			c.edit(&n)
			_, err := f.svc.Create(ctx, c.u, n)
			wantCode(t, err, c.code)
			var de *domain.Error
			if c.field != "" {
				if !asError(err, &de) || de.Fields[c.field] == "" || !strings.ContainsAny(de.Message, "äöüÄÖÜßeE") {
					t.Fatalf("%s: error %v does not name %s", c.name, err, c.field)
				}
			}
		}
		list, err := f.svc.List(ctx, f.moderator, f.strategy.ID)
		must(t, err)
		if len(list) != 0 {
			t.Fatalf("refused Vorlagen were stored: %d", len(list))
		}
	})
}

func TestVoteAuthorisationAndBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.umlauf(t, beschluss.Einstimmig)
		fitkoVoter := newUser(t, db, "stimme@fitko.de", "FITKO", domain.RoleStimmberechtigt)
		cases := []struct {
			name string
			u    *domain.User
			in   beschluss.Ballot
			code string
		}{
			{"participant without the role", f.landBY, beschluss.Ballot{Org: "BY", Vote: beschluss.Zustimmung}, domain.EFORBIDDEN},
			{"moderator", f.moderator, beschluss.Ballot{Org: "BY", Vote: beschluss.Zustimmung}, domain.EFORBIDDEN},
			{"a Land for another", f.voters["BY"], beschluss.Ballot{Org: "BW", Vote: beschluss.Zustimmung}, domain.EFORBIDDEN},
			{"a Land for the Bund", f.voters["HB"], beschluss.Ballot{Org: "BUND", Vote: beschluss.Ablehnung}, domain.EFORBIDDEN},
			{"FITKO is no member", fitkoVoter, beschluss.Ballot{Org: "FITKO", Vote: beschluss.Zustimmung}, domain.EINVALID},
			{"unknown vote", f.voters["BY"], beschluss.Ballot{Org: "BY", Vote: "ja"}, domain.EINVALID},
			{"unknown organisation", f.voters["BY"], beschluss.Ballot{Org: "XX", Vote: beschluss.Zustimmung}, domain.EINVALID},
			{"declaration too long", f.voters["BY"], beschluss.Ballot{Org: "BY", Vote: beschluss.Zustimmung,
				Declaration: strings.Repeat("x", beschluss.MaxDeclarationLen+1)}, domain.ETOOLARGE},
			{"no account", nil, beschluss.Ballot{Org: "BY", Vote: beschluss.Zustimmung}, domain.EUNAUTHORIZED},
		}
		for _, c := range cases {
			_, err := f.svc.Vote(ctx, c.u, b.ID, c.in)
			if domain.ErrorCode(err) != c.code {
				t.Fatalf("%s: code %q, want %q (%v)", c.name, domain.ErrorCode(err), c.code, err)
			}
		}
		_, err := f.svc.Vote(ctx, f.voters["BY"], 99999, beschluss.Ballot{Org: "BY", Vote: beschluss.Zustimmung})
		wantCode(t, err, domain.ENOTFOUND)
		got, err := f.svc.Get(ctx, f.moderator, b.ID)
		must(t, err)
		if got.Voted != 0 || got.Outcome != beschluss.Offen {
			t.Fatalf("refused votes changed the tally: %d voted, %s", got.Voted, got.Outcome)
		}
	})
}

func TestOneVotePerOrganisation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		b := f.umlauf(t, beschluss.Empfehlung)
		f.vote(t, b.ID, "BY", beschluss.Ablehnung)
		// The deputy votes for Bayern too: the later vote replaces the first.
		v, err := f.svc.Vote(ctx, f.deputyBY, b.ID, beschluss.Ballot{Org: "BY", Vote: beschluss.Zustimmung, Declaration: " Bayern stimmt mit Vorbehalt zu. "})
		must(t, err)
		if v.Voted != 1 || v.Members[2].Org != "BY" || v.Members[2].Vote == nil || v.Members[2].Vote.Vote != beschluss.Zustimmung ||
			v.Members[2].Vote.Declaration != "Bayern stimmt mit Vorbehalt zu." || v.Members[2].Vote.CastBy == nil || *v.Members[2].Vote.CastBy != f.deputyBY.ID {
			t.Fatalf("tally after the deputy's vote: %d voted, %+v", v.Voted, v.Members[2].Vote)
		}
		// Others see that Bayern voted, not how, while the vote is open.
		other, err := f.svc.Get(ctx, f.voters["BW"], b.ID)
		must(t, err)
		if !other.Members[2].Voted || other.Members[2].Vote != nil || other.Result != nil {
			t.Fatalf("vote is visible before the result: %+v %+v", other.Members[2], other.Result)
		}
		if other.Can.VoteFor != "BW" {
			t.Fatalf("BW may vote for %q", other.Can.VoteFor)
		}
	})
}

func asError(err error, target **domain.Error) bool { return errors.As(err, target) }
