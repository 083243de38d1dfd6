package store_test

import (
	"slices"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// TestCreateTopicSections: a new topic and an existing one take their
// sections in order after their last section, and positions come back
// final; one bad group leaves everything as it was.
func TestCreateTopicSections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "S")
		other := newStrategy(t, db, "Andere")
		a := &domain.Topic{StrategyID: s.ID, Title: "A"}
		must(t, db.CreateTopic(ctx, a))
		first := &domain.Section{StrategyID: s.ID, TopicID: &a.ID, Part: domain.PartSchwerpunkt, Title: "A1"}
		last := &domain.Section{StrategyID: s.ID, Part: domain.PartUmsetzung, Title: "Ende"}
		must(t, db.CreateSection(ctx, first))
		must(t, db.CreateSection(ctx, last))
		foreign := &domain.Topic{StrategyID: other.ID, Title: "Fremd"}
		must(t, db.CreateTopic(ctx, foreign))

		sec := func(title, text string) *domain.Section {
			return &domain.Section{Part: domain.PartSchwerpunkt, Title: title, Text: text}
		}
		titles := func() []string {
			list, err := db.FindSections(ctx, s.ID)
			must(t, err)
			var out []string
			for _, x := range list {
				out = append(out, x.Title)
			}
			return out
		}
		bad := []domain.TopicSections{
			{Topic: &domain.Topic{Title: "Neu"}, Sections: []*domain.Section{sec("N1", "")}},
			{Topic: &domain.Topic{ID: foreign.ID}, Sections: []*domain.Section{sec("F1", "")}},
		}
		wantCode(t, db.CreateTopicSections(ctx, s.ID, bad), domain.EINVALID)
		st, err := db.FindStrategyByID(ctx, s.ID)
		must(t, err)
		if got := titles(); len(got) != 2 || len(st.Topics) != 1 {
			t.Fatalf("a failed import left sections %v, topics %d", got, len(st.Topics))
		}
		wantCode(t, db.CreateTopicSections(ctx, s.ID, []domain.TopicSections{{Topic: &domain.Topic{ID: a.ID}, Sections: []*domain.Section{sec(" ", "")}}}), domain.EINVALID)
		wantCode(t, db.CreateTopicSections(ctx, 999999, []domain.TopicSections{{Topic: &domain.Topic{Title: "X"}}}), domain.EINVALID)

		neu := &domain.Topic{Title: " Neu "}
		a2, a3, n1 := sec("A2", "Text **A2**"), sec("A3", ""), sec("N1", "n")
		groups := []domain.TopicSections{
			{Topic: neu, Sections: []*domain.Section{n1}},
			{Topic: &domain.Topic{ID: a.ID}, Sections: []*domain.Section{a2, a3}},
		}
		must(t, db.CreateTopicSections(ctx, s.ID, groups))
		if got, want := titles(), []string{"A1", "A2", "A3", "Ende", "N1"}; !slices.Equal(got, want) {
			t.Fatalf("order %v, want %v", got, want)
		}
		if neu.ID == 0 || neu.Title != "Neu" || neu.Position != 2 || *n1.TopicID != neu.ID || n1.Position != 5 || a2.Position != 2 || a3.Position != 3 {
			t.Fatalf("topic %+v, positions n1 %d a2 %d a3 %d", neu, n1.Position, a2.Position, a3.Position)
		}
		got, err := db.FindSectionByID(ctx, a2.ID)
		must(t, err)
		if got.Text != "Text **A2**" || got.Version != 0 || got.Status != domain.SectionDraft || *got.TopicID != a.ID {
			t.Fatalf("section %+v", got)
		}
	})
}
