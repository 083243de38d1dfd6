package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// TestDeleteSectionUnlessUsed: one operation (the first text) is not a
// contribution, a second one is; an archived section leaves the order.
func TestDeleteSectionUnlessUsed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := context.Background()
		sec, u := oplogSection(t, db, "", "HE")
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		must(t, appendOps(db, sec.ID, []*domain.LoggedOp{opRow(sec.ID, 0, `["Erster Text"]`, u.ID, "c1", 1, 11, 0, at)}, "Erster Text"))
		other := &domain.Section{StrategyID: sec.StrategyID, Part: domain.PartDach, Title: "Zweiter"}
		must(t, db.CreateSection(c, other))

		// Version 1: still unused; a copy is deleted, the original gets a second op.
		copySec := &domain.Section{StrategyID: sec.StrategyID, Part: domain.PartDach, Title: "Kopie"}
		must(t, db.CreateSection(c, copySec))
		must(t, appendOps(db, copySec.ID, []*domain.LoggedOp{opRow(copySec.ID, 0, `["x"]`, u.ID, "c2", 1, 1, 0, at)}, "x"))
		used, err := db.DeleteSectionUnlessUsed(c, copySec.ID)
		if err != nil || used {
			t.Fatalf("one op: used=%v, %v; want deleted", used, err)
		}
		_, err = db.FindSectionByID(c, copySec.ID)
		wantCode(t, err, domain.ENOTFOUND)

		must(t, appendOps(db, sec.ID, []*domain.LoggedOp{opRow(sec.ID, 1, `[11,"!"]`, u.ID, "c1", 2, 1, 0, at)}, "Erster Text!"))
		used, err = db.DeleteSectionUnlessUsed(c, sec.ID)
		if err != nil || !used {
			t.Fatalf("two ops: used=%v, %v; want kept", used, err)
		}
		got, err := db.ArchiveSection(c, sec.ID, at)
		if err != nil || got.ArchivedAt == nil || !got.ArchivedAt.Equal(at) || got.Text != "Erster Text!" {
			t.Fatalf("archived %+v, %v", got, err)
		}
		again, err := db.ArchiveSection(c, sec.ID, at.Add(time.Hour))
		if err != nil || !again.ArchivedAt.Equal(at) {
			t.Errorf("archived again: %+v, %v; want the first time kept", again, err)
		}
		_, err = db.DeleteSectionUnlessUsed(c, 999999)
		wantCode(t, err, domain.ENOTFOUND)

		// The order names only the sections that are not archived.
		wantCode(t, db.ReorderSections(c, sec.StrategyID, []int64{other.ID, sec.ID}), domain.EINVALID)
		must(t, db.ReorderSections(c, sec.StrategyID, []int64{other.ID}))
		list, err := db.FindSections(c, sec.StrategyID)
		must(t, err)
		if len(list) != 2 || list[0].ID != other.ID || list[0].Position != 1 || list[1].ID != sec.ID || list[1].ArchivedAt == nil {
			t.Errorf("sections %+v", list)
		}
	})
}

// TestUpdateStrategy changes only the fields given.
func TestUpdateStrategy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := context.Background()
		st := newStrategy(t, db, "Digitalstrategie")
		out, err := db.UpdateStrategy(c, st.ID, domain.StrategyUpdate{Description: ptr("Neu"), StatementsPublic: ptr(true)})
		if err != nil || out.Title != "Digitalstrategie" || out.Description != "Neu" || !out.StatementsPublic || out.EditDuringConsultation {
			t.Fatalf("updated %+v, %v", out, err)
		}
		_, err = db.UpdateStrategy(c, st.ID, domain.StrategyUpdate{Title: ptr(" ")})
		wantCode(t, err, domain.EINVALID)
		_, err = db.UpdateStrategy(c, 999999, domain.StrategyUpdate{})
		wantCode(t, err, domain.ENOTFOUND)
	})
}
