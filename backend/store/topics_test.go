package store_test

import (
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestTopicCRUD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "S")
		hb, hh := org(t, db, "HB"), org(t, db, "HH")
		a := &domain.Topic{StrategyID: s.ID, Title: " Digitale Anwendungen ", Sponsors: []domain.Organisation{{ID: hb.ID}}}
		must(t, db.CreateTopic(ctx, a))
		if a.ID == 0 || a.Title != "Digitale Anwendungen" || a.Position != 1 || len(a.Sponsors) != 1 || a.Sponsors[0] != *hb {
			t.Fatalf("created %+v", a)
		}
		b := &domain.Topic{StrategyID: s.ID, Title: "Datennutzung"}
		c := &domain.Topic{StrategyID: s.ID, Title: "Informationssicherheit"}
		must(t, db.CreateTopic(ctx, b))
		must(t, db.CreateTopic(ctx, c))
		if b.Position != 2 || c.Position != 3 || b.Sponsors == nil {
			t.Errorf("appended positions %d, %d; sponsors %v", b.Position, c.Position, b.Sponsors)
		}

		got, err := db.UpdateTopic(ctx, b.ID, domain.TopicUpdate{Title: ptr("Datennutzung und -teilung"),
			SponsorIDs: &[]int64{hh.ID, hb.ID, hh.ID}})
		must(t, err)
		if got.Title != "Datennutzung und -teilung" || len(got.Sponsors) != 2 || got.Sponsors[0] != *hb || got.Sponsors[1] != *hh {
			t.Errorf("updated %+v", got)
		}
		// Moving c to the front renumbers the others.
		_, err = db.UpdateTopic(ctx, c.ID, domain.TopicUpdate{Position: ptr(1)})
		must(t, err)
		if got := topicOrder(t, db, s.ID); !equal(got, []int64{c.ID, a.ID, b.ID}) {
			t.Errorf("order after move = %v, want [%d %d %d]", got, c.ID, a.ID, b.ID)
		}
		_, err = db.UpdateTopic(ctx, c.ID, domain.TopicUpdate{Position: ptr(99)})
		must(t, err)
		if got := topicOrder(t, db, s.ID); !equal(got, []int64{a.ID, b.ID, c.ID}) {
			t.Errorf("order after move to end = %v", got)
		}
		found, err := db.FindTopicByID(ctx, c.ID)
		must(t, err)
		if found.Position != 3 {
			t.Errorf("position = %d, want 3", found.Position)
		}

		_, err = db.FindTopicByID(ctx, 999)
		wantCode(t, err, domain.ENOTFOUND)
		_, err = db.UpdateTopic(ctx, 999, domain.TopicUpdate{Title: ptr("x")})
		wantCode(t, err, domain.ENOTFOUND)
		_, err = db.UpdateTopic(ctx, a.ID, domain.TopicUpdate{Title: ptr("")})
		wantCode(t, err, domain.EINVALID)
		_, err = db.UpdateTopic(ctx, a.ID, domain.TopicUpdate{Position: ptr(0)})
		wantCode(t, err, domain.EINVALID)
		_, err = db.UpdateTopic(ctx, a.ID, domain.TopicUpdate{SponsorIDs: &[]int64{999}})
		wantCode(t, err, domain.EINVALID)
		if got, _ := db.FindTopicByID(ctx, a.ID); len(got.Sponsors) != 1 {
			t.Errorf("failed sponsor update changed sponsors: %+v", got.Sponsors)
		}

		wantCode(t, db.CreateTopic(ctx, &domain.Topic{StrategyID: s.ID, Title: ""}), domain.EINVALID)
		wantCode(t, db.CreateTopic(ctx, &domain.Topic{StrategyID: 999, Title: "x"}), domain.EINVALID)
		wantCode(t, db.CreateTopic(ctx, &domain.Topic{StrategyID: s.ID, Title: "x",
			Sponsors: []domain.Organisation{{Code: "XX"}}}), domain.EINVALID)
		wantCode(t, db.CreateTopic(ctx, &domain.Topic{StrategyID: s.ID, Title: "x",
			Sponsors: []domain.Organisation{{ID: 999}}}), domain.EINVALID)
		if got := topicOrder(t, db, s.ID); len(got) != 3 {
			t.Errorf("failed creates stored topics: %v", got)
		}
	})
}

// Deleting a topic keeps its sections (detached) and drops Themenpaten
// assignments to it.
func TestDeleteTopicDetachesSections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "S")
		topic := &domain.Topic{StrategyID: s.ID, Title: "Digitale Infrastruktur", Sponsors: []domain.Organisation{{Code: "HE"}}}
		must(t, db.CreateTopic(ctx, topic))
		sec := newSection(t, db, s, "Zielbild", &topic.ID)
		pate := newUser(t, db, "pate@he.de", "HE", domain.RoleThemenpate)
		_, err := db.UpdateUser(ctx, pate.ID, domain.UserUpdate{TopicIDs: &[]int64{topic.ID}})
		must(t, err)

		must(t, db.DeleteTopic(ctx, topic.ID))
		wantCode(t, db.DeleteTopic(ctx, topic.ID), domain.ENOTFOUND)
		_, err = db.FindTopicByID(ctx, topic.ID)
		wantCode(t, err, domain.ENOTFOUND)
		got, err := db.FindSectionByID(ctx, sec.ID)
		must(t, err)
		if got.TopicID != nil {
			t.Errorf("section still has topic %d", *got.TopicID)
		}
		u, err := db.FindUserByID(ctx, pate.ID)
		must(t, err)
		if len(u.TopicIDs) != 0 {
			t.Errorf("Themenpate still assigned to %v", u.TopicIDs)
		}
	})
}

func topicOrder(t *testing.T, db *store.DB, strategyID int64) []int64 {
	t.Helper()
	s, err := db.FindStrategyByID(ctx, strategyID)
	must(t, err)
	ids := make([]int64, len(s.Topics))
	for i, tp := range s.Topics {
		ids[i] = tp.ID
		if tp.Position != i+1 {
			t.Errorf("topic %d at index %d has position %d", tp.ID, i, tp.Position)
		}
	}
	return ids
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
