package store_test

import (
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestSectionCRUD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "S")
		topic := &domain.Topic{StrategyID: s.ID, Title: "Datennutzung"}
		must(t, db.CreateTopic(ctx, topic))
		sec := &domain.Section{StrategyID: s.ID, Title: "Zukunftsbild", Part: domain.PartDach, Text: "Einleitung", Version: 7}
		before := time.Now().Add(-time.Second)
		must(t, db.CreateSection(ctx, sec))
		if sec.ID == 0 || sec.Position != 1 || sec.Version != 0 || sec.Status != domain.SectionDraft ||
			sec.UpdatedAt.Before(before) || sec.Text != "Einleitung" {
			t.Fatalf("created %+v", sec)
		}
		got, err := db.FindSectionByID(ctx, sec.ID)
		must(t, err)
		if *got != *sec {
			t.Errorf("FindSectionByID = %+v, want %+v", got, sec)
		}
		meta, err := db.FindSectionMeta(ctx, sec.ID)
		must(t, err)
		noText := *sec
		noText.Text = ""
		if *meta != noText {
			t.Errorf("FindSectionMeta = %+v, want the section without its text", meta)
		}
		_, err = db.FindSectionMeta(ctx, 12)
		wantCode(t, err, domain.ENOTFOUND)
		_, err = db.FindSectionByID(ctx, 12)
		wantCode(t, err, domain.ENOTFOUND)
		if msg := domain.ErrorMessage(err); msg != "Abschnitt 12 nicht gefunden." {
			t.Errorf("message = %q", msg)
		}

		newSection(t, db, s, "Leitlinien", nil)
		listed, err := db.FindSections(ctx, s.ID)
		must(t, err)
		if len(listed) != 2 || listed[0].ID != sec.ID || listed[0].Text != "" || listed[0].Title != "Zukunftsbild" {
			t.Errorf("FindSections = %+v", listed)
		}
		if none, err := db.FindSections(ctx, 999); err != nil || len(none) != 0 {
			t.Errorf("unknown strategy: %v, %v", none, err)
		}

		upd, err := db.UpdateSection(ctx, sec.ID, domain.SectionUpdate{Title: ptr("Zukunftsbild der Verwaltung"),
			TopicID: ptr(&topic.ID), Part: ptr(domain.PartSchwerpunkt), Status: ptr(domain.SectionConsultation)})
		must(t, err)
		if upd.Title != "Zukunftsbild der Verwaltung" || upd.TopicID == nil || *upd.TopicID != topic.ID ||
			upd.Part != domain.PartSchwerpunkt || upd.Status != domain.SectionConsultation ||
			upd.Text != "Einleitung" || upd.UpdatedAt.Before(sec.UpdatedAt) {
			t.Errorf("updated %+v", upd)
		}
		upd, err = db.UpdateSection(ctx, sec.ID, domain.SectionUpdate{TopicID: ptr[*int64](nil)})
		must(t, err)
		if upd.TopicID != nil || upd.Title != "Zukunftsbild der Verwaltung" {
			t.Errorf("detach: %+v", upd)
		}

		must(t, db.DeleteSection(ctx, sec.ID))
		wantCode(t, db.DeleteSection(ctx, sec.ID), domain.ENOTFOUND)
		_, err = db.FindSectionByID(ctx, sec.ID)
		wantCode(t, err, domain.ENOTFOUND)
	})
}

func TestSectionValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "S")
		other := newStrategy(t, db, "Andere")
		foreign := &domain.Topic{StrategyID: other.ID, Title: "Fremd"}
		must(t, db.CreateTopic(ctx, foreign))
		cases := map[string]domain.Section{
			"title":       {StrategyID: s.ID, Part: domain.PartDach},
			"part":        {StrategyID: s.ID, Title: "x", Part: "anhang"},
			"status":      {StrategyID: s.ID, Title: "x", Part: domain.PartDach, Status: "archiv"},
			"strategy_id": {StrategyID: 999, Title: "x", Part: domain.PartDach},
			"topic_id":    {StrategyID: s.ID, Title: "x", Part: domain.PartDach, TopicID: &foreign.ID},
		}
		for field, sec := range cases {
			err := db.CreateSection(ctx, &sec)
			wantCode(t, err, domain.EINVALID)
			if _, ok := domain.ErrorFields(err)[field]; !ok {
				t.Errorf("%s: fields %v", field, domain.ErrorFields(err))
			}
		}
		sec := newSection(t, db, s, "Gültig", nil)
		for name, upd := range map[string]domain.SectionUpdate{
			"title":  {Title: ptr(" ")},
			"part":   {Part: ptr(domain.Part("x"))},
			"status": {Status: ptr(domain.SectionStatus("x"))},
			"topic":  {TopicID: ptr(&foreign.ID)},
		} {
			_, err := db.UpdateSection(ctx, sec.ID, upd)
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("update %s: %v", name, err)
			}
		}
		_, err := db.UpdateSection(ctx, 999, domain.SectionUpdate{Title: ptr("x")})
		wantCode(t, err, domain.ENOTFOUND)
		if got, _ := db.FindSectionByID(ctx, sec.ID); got.Title != "Gültig" || got.Part != domain.PartSchwerpunkt {
			t.Errorf("failed updates changed section: %+v", got)
		}
	})
}

func TestSectionPositionsAndReorder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "S")
		other := newStrategy(t, db, "Andere")
		a := newSection(t, db, s, "A", nil)
		b := newSection(t, db, s, "B", nil)
		c := &domain.Section{StrategyID: s.ID, Title: "C", Part: domain.PartDach, Position: 1}
		must(t, db.CreateSection(ctx, c))
		x := newSection(t, db, other, "X", nil)
		if got := sectionOrder(t, db, s.ID); !equal(got, []int64{c.ID, a.ID, b.ID}) {
			t.Fatalf("order after insert at 1 = %v, want [%d %d %d]", got, c.ID, a.ID, b.ID)
		}

		must(t, db.ReorderSections(ctx, s.ID, []int64{b.ID, a.ID, c.ID}))
		if got := sectionOrder(t, db, s.ID); !equal(got, []int64{b.ID, a.ID, c.ID}) {
			t.Errorf("order after reorder = %v", got)
		}
		for name, ids := range map[string][]int64{
			"missing":   {b.ID, a.ID},
			"duplicate": {b.ID, a.ID, a.ID},
			"foreign":   {b.ID, a.ID, x.ID},
			"extra":     {b.ID, a.ID, c.ID, x.ID},
			"unknown":   {b.ID, a.ID, 999},
			"empty":     {},
		} {
			err := db.ReorderSections(ctx, s.ID, ids)
			wantCode(t, err, domain.EINVALID)
			if _, ok := domain.ErrorFields(err)["ids"]; !ok {
				t.Errorf("%s: fields %v", name, domain.ErrorFields(err))
			}
		}
		if got := sectionOrder(t, db, s.ID); !equal(got, []int64{b.ID, a.ID, c.ID}) {
			t.Errorf("rejected reorder changed order: %v", got)
		}
		wantCode(t, db.ReorderSections(ctx, 999, nil), domain.ENOTFOUND)
		if got := sectionOrder(t, db, other.ID); !equal(got, []int64{x.ID}) {
			t.Errorf("other strategy = %v", got)
		}
	})
}

func TestDeleteStrategyCascadesToSections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "Weg")
		sec := newSection(t, db, s, "A", nil)
		must(t, db.ExecRaw(ctx, "DELETE FROM strategies WHERE title = 'Weg'"))
		_, err := db.FindSectionByID(ctx, sec.ID)
		wantCode(t, err, domain.ENOTFOUND)
	})
}

func sectionOrder(t *testing.T, db *store.DB, strategyID int64) []int64 {
	t.Helper()
	list, err := db.FindSections(ctx, strategyID)
	must(t, err)
	ids := make([]int64, len(list))
	for i, s := range list {
		ids[i] = s.ID
		if s.Position != i+1 {
			t.Errorf("section %d at index %d has position %d", s.ID, i, s.Position)
		}
	}
	return ids
}

// Sections created at once still get distinct, dense positions.
func TestConcurrentCreateSection(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "S")
		const n = 8
		errs := make(chan error, n)
		for i := range n {
			go func() {
				errs <- db.CreateSection(ctx, &domain.Section{StrategyID: s.ID, Title: "A", Part: domain.PartDach, Position: i % 3})
			}()
		}
		for range n {
			must(t, <-errs)
		}
		if got := sectionOrder(t, db, s.ID); len(got) != n {
			t.Errorf("%d sections, want %d", len(got), n)
		}
	})
}
