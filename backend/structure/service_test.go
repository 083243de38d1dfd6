package structure_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
	"github.com/strategieraum/strategieraum/backend/structure"
)

var (
	admin     = &domain.User{ID: 1, Roles: []domain.Role{domain.RoleAdmin}}
	moderator = &domain.User{ID: 2, Roles: []domain.Role{domain.RoleModerator}}
	land      = &domain.User{ID: 3, Roles: []domain.Role{domain.RoleLand}}
	pate      = &domain.User{ID: 4, Roles: []domain.Role{domain.RoleThemenpate}}
)

func TestCreateStrategy(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := structure.New(structure.Deps{Strategies: db, Audit: db})
		if _, err := svc.CreateStrategy(ctx, land, structure.NewStrategy{Title: "X"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("a Land created a strategy: %v", err)
		}
		for title, code := range map[string]string{" ": domain.EINVALID, "a\nb": domain.EINVALID, strings.Repeat("x", 201): domain.ETOOLARGE} {
			if _, err := svc.CreateStrategy(ctx, structure.Operator, structure.NewStrategy{Title: title}); domain.ErrorCode(err) != code {
				t.Errorf("title %.20q: %v, want %s", title, err, code)
			}
		}
		st, err := svc.CreateStrategy(ctx, structure.Operator, structure.NewStrategy{Title: " Digitalstrategie ", Description: "Zeile 1\nZeile 2", StatementsPublic: true})
		if err != nil {
			t.Fatal(err)
		}
		list, err := svc.Strategies(ctx)
		if err != nil || len(list) != 1 || list[0].Title != "Digitalstrategie" || list[0].Description != "Zeile 1\nZeile 2" || !list[0].StatementsPublic {
			t.Fatalf("list = %+v, %v", list, err)
		}
		evs, err := db.FindAuditEvents(ctx, domain.AuditFilter{Action: "structure_changed"})
		if err != nil || len(evs) != 1 || evs[0].Target != fmt.Sprintf("strategy:%d", st.ID) || evs[0].ActorID != nil ||
			!strings.HasSuffix(evs[0].Detail, "(Kommandozeile)") {
			t.Fatalf("audit = %+v, %v", evs, err)
		}
		// A copy of the operator's value is just an account without roles.
		fake := *structure.Operator
		if _, err := svc.CreateStrategy(ctx, &fake, structure.NewStrategy{Title: "X"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("a look-alike of the operator created a strategy: %v", err)
		}
	})
}

// Only administrators build the structure; everyone else is refused with a
// reason, and nobody is refused before being asked to sign in.
func TestOnlyAdminsChangeTheStructure(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := structure.New(structure.Deps{Strategies: db, Audit: db})
		st, err := svc.CreateStrategy(ctx, admin, structure.NewStrategy{Title: "Digitalstrategie"})
		if err != nil {
			t.Fatal(err)
		}
		sec, err := svc.CreateSection(ctx, admin, st.ID, structure.NewSection{Title: "Zielbild", Part: domain.PartDach})
		if err != nil {
			t.Fatal(err)
		}
		title := "Neu"
		actions := map[string]func(u *domain.User) error{
			"create strategy": func(u *domain.User) error {
				_, err := svc.CreateStrategy(ctx, u, structure.NewStrategy{Title: "X"})
				return err
			},
			"update strategy": func(u *domain.User) error {
				_, err := svc.UpdateStrategy(ctx, u, st.ID, structure.StrategyChanges{Title: &title})
				return err
			},
			"create section": func(u *domain.User) error {
				_, err := svc.CreateSection(ctx, u, st.ID, structure.NewSection{Title: "X", Part: domain.PartDach})
				return err
			},
			"rename section": func(u *domain.User) error {
				_, _, err := svc.UpdateSection(ctx, u, sec.ID, structure.SectionChanges{Title: &title})
				return err
			},
			"reorder": func(u *domain.User) error { return svc.ReorderSections(ctx, u, st.ID, []int64{sec.ID}) },
			"remove section": func(u *domain.User) error {
				_, err := svc.RemoveSection(ctx, u, sec.ID)
				return err
			},
			"create topic": func(u *domain.User) error {
				_, err := svc.CreateTopic(ctx, u, st.ID, structure.TopicChanges{Title: &title})
				return err
			},
		}
		for name, do := range actions {
			for _, u := range []*domain.User{moderator, land, pate} {
				err := do(u)
				if domain.ErrorCode(err) != domain.EFORBIDDEN || domain.ErrorReason(err) != domain.ReasonAdminOnly {
					t.Errorf("%s by %s: %v, want forbidden admin_only", name, u.Roles[0], err)
				}
			}
			if err := do(nil); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
				t.Errorf("%s without an account: %v, want unauthorized", name, err)
			}
		}
		evs, err := db.FindAuditEvents(ctx, domain.AuditFilter{Action: "structure_changed"})
		if err != nil || len(evs) != 2 {
			t.Fatalf("refusals changed something: %d audit rows, %v", len(evs), err)
		}
	})
}

// Bad input is refused with a German message on the field.
func TestStructureInput(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := structure.New(structure.Deps{Strategies: db, Audit: db})
		st, err := svc.CreateStrategy(ctx, admin, structure.NewStrategy{Title: "Digitalstrategie"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := svc.CreateStrategy(ctx, admin, structure.NewStrategy{Title: "Andere"})
		if err != nil {
			t.Fatal(err)
		}
		foreign, err := svc.CreateTopic(ctx, admin, other.ID, structure.TopicChanges{Title: ptr("Fremd")})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name, field, code string
			err               error
		}{}
		add := func(name, field, code string, err error) {
			cases = append(cases, struct {
				name, field, code string
				err               error
			}{name, field, code, err})
		}
		_, err = svc.CreateSection(ctx, admin, st.ID, structure.NewSection{Title: "", Part: domain.PartDach})
		add("empty section title", "title", domain.EINVALID, err)
		_, err = svc.CreateSection(ctx, admin, st.ID, structure.NewSection{Title: strings.Repeat("ä", 301), Part: domain.PartDach})
		add("long section title", "title", domain.ETOOLARGE, err)
		_, err = svc.CreateSection(ctx, admin, st.ID, structure.NewSection{Title: "X", Part: "anhang"})
		add("unknown part", "part", domain.EINVALID, err)
		_, err = svc.CreateSection(ctx, admin, st.ID, structure.NewSection{Title: "X", Part: domain.PartDach, TopicID: &foreign.ID})
		add("topic of another strategy", "topic_id", domain.EINVALID, err)
		_, err = svc.CreateTopic(ctx, admin, st.ID, structure.TopicChanges{Title: ptr("Daten"), Sponsors: &[]string{"HH", "XX"}})
		add("unknown sponsor", "sponsors", domain.EINVALID, err)
		_, err = svc.CreateTopic(ctx, admin, st.ID, structure.TopicChanges{})
		add("topic without title", "title", domain.EINVALID, err)
		_, err = svc.UpdateStrategy(ctx, admin, st.ID, structure.StrategyChanges{Description: ptr("a\x00b")})
		add("NUL in description", "description", domain.EINVALID, err)
		err = svc.ReorderSections(ctx, admin, st.ID, []int64{})
		add("empty order", "ids", domain.EINVALID, err)
		for _, c := range cases {
			var e *domain.Error
			if domain.ErrorCode(c.err) != c.code || !asError(c.err, &e) || e.Fields[c.field] == "" {
				t.Errorf("%s: %v, want %s on %s", c.name, c.err, c.code, c.field)
				continue
			}
			// The message is the German text shown to the user, not a
			// Go error string.
			if m := e.Message; m == "" || strings.Contains(m, "%!") || strings.Contains(strings.ToLower(m), "invalid") {
				t.Errorf("%s: message %q is not a sentence for the user", c.name, m)
			}
		}
		if _, err := svc.UpdateStrategy(ctx, admin, 999999, structure.StrategyChanges{}); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("unknown strategy: %v", err)
		}
	})
}

// A section without contributions is deleted; one with threads or named
// versions is archived: gone from the list, kept for reports and history,
// and no longer changeable.
func TestArchiveOrDelete(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := structure.New(structure.Deps{Strategies: db, Audit: db})
		st, err := svc.CreateStrategy(ctx, admin, structure.NewStrategy{Title: "Digitalstrategie"})
		if err != nil {
			t.Fatal(err)
		}
		topic, err := svc.CreateTopic(ctx, admin, st.ID, structure.TopicChanges{Title: ptr("Datennutzung"), Sponsors: &[]string{"HH"}})
		if err != nil || len(topic.Sponsors) != 1 || topic.Sponsors[0].Code != "HH" {
			t.Fatalf("topic %+v, %v", topic, err)
		}
		mk := func(title string) *domain.Section {
			sec, err := svc.CreateSection(ctx, admin, st.ID, structure.NewSection{Title: title, Part: domain.PartSchwerpunkt, TopicID: &topic.ID})
			if err != nil {
				t.Fatal(err)
			}
			return sec
		}
		empty, discussed, frozen := mk("Leer"), mk("Diskutiert"), mk("Eingefroren")

		u := &domain.User{Email: "anna@hamburg.example", Name: "Anna", Roles: []domain.Role{domain.RoleLand}}
		orgs, err := db.FindOrganisations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		u.OrgID = orgs[0].ID
		if err := db.CreateUser(ctx, u, "x"); err != nil {
			t.Fatal(err)
		}
		th := &domain.Thread{StrategyID: st.ID, SectionID: discussed.ID, AuthorID: u.ID, OrgID: u.OrgID,
			Kind: domain.KindAenderungsvorschlag, Anchor: domain.Anchor{Start: 0, End: 0}, Quote: "", Replacement: "Neu"}
		if err := db.CreateThread(ctx, th, &domain.Comment{AuthorID: u.ID, Body: "Vorschlag", HTML: "<p>Vorschlag</p>"}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateNamedVersion(ctx, &domain.NamedVersion{SectionID: frozen.ID, Name: "Beteiligungsfassung", Version: 0}); err != nil {
			t.Fatal(err)
		}

		if got, err := svc.RemoveSection(ctx, admin, empty.ID); err != nil || got != nil {
			t.Fatalf("empty section: %+v, %v; want deleted", got, err)
		}
		if _, err := db.FindSectionByID(ctx, empty.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("empty section still there: %v", err)
		}
		for _, sec := range []*domain.Section{discussed, frozen} {
			got, err := svc.RemoveSection(ctx, admin, sec.ID)
			if err != nil || got == nil || got.ArchivedAt == nil {
				t.Fatalf("%s: %+v, %v; want archived", sec.Title, got, err)
			}
			again, err := svc.RemoveSection(ctx, admin, sec.ID)
			if err != nil || again == nil || !again.ArchivedAt.Equal(*got.ArchivedAt) {
				t.Errorf("%s removed again: %+v, %v", sec.Title, again, err)
			}
			if _, _, err := svc.UpdateSection(ctx, admin, sec.ID, structure.SectionChanges{Title: ptr("X")}); domain.ErrorReason(err) != domain.ReasonSectionArchived {
				t.Errorf("%s renamed while archived: %v", sec.Title, err)
			}
		}
		if th2, err := db.FindThreadByID(ctx, th.ID); err != nil || th2.SectionID != discussed.ID {
			t.Errorf("the proposal was lost: %+v, %v", th2, err)
		}
		all, err := db.FindSections(ctx, st.ID)
		if err != nil || len(all) != 2 {
			t.Fatalf("reports lost archived sections: %+v, %v", all, err)
		}
		listed, err := svc.Sections(ctx, admin, st)
		if err != nil || len(listed) != 0 {
			t.Errorf("archived sections listed: %+v, %v", listed, err)
		}

		// A new section: the order names the sections that are not archived.
		fresh := mk("Neu")
		if err := svc.ReorderSections(ctx, admin, st.ID, []int64{fresh.ID, discussed.ID}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("archived section reordered: %v", err)
		}
		if err := svc.ReorderSections(ctx, admin, st.ID, []int64{fresh.ID}); err != nil {
			t.Errorf("reorder: %v", err)
		}
		evs, err := db.FindAuditEvents(ctx, domain.AuditFilter{Action: "structure_changed", Target: fmt.Sprintf("section:%d", discussed.ID)})
		if err != nil || len(evs) != 2 || !strings.Contains(evs[0].Detail, "archiviert") {
			t.Errorf("audit of the archived section: %+v, %v", evs, err)
		}
	})
}

// Sections move between topics and parts, are renamed and reordered.
func TestMoveAndReorder(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := structure.New(structure.Deps{Strategies: db, Audit: db})
		st, _ := svc.CreateStrategy(ctx, admin, structure.NewStrategy{Title: "Digitalstrategie"})
		a, _ := svc.CreateTopic(ctx, admin, st.ID, structure.TopicChanges{Title: ptr("Infrastruktur"), Sponsors: &[]string{"HE"}})
		b, _ := svc.CreateTopic(ctx, admin, st.ID, structure.TopicChanges{Title: ptr("Anwendungen"), Sponsors: &[]string{"HB"}})
		one, err := svc.CreateSection(ctx, admin, st.ID, structure.NewSection{Title: "Eins", Part: domain.PartSchwerpunkt, TopicID: &a.ID})
		if err != nil {
			t.Fatal(err)
		}
		two, _ := svc.CreateSection(ctx, admin, st.ID, structure.NewSection{Title: "Zwei", Part: domain.PartSchwerpunkt, TopicID: &a.ID})
		moved, _, err := svc.UpdateSection(ctx, admin, one.ID, structure.SectionChanges{Title: ptr(" Eins, neu "), TopicID: ptrPtr(&b.ID)})
		if err != nil || moved.Title != "Eins, neu" || moved.TopicID == nil || *moved.TopicID != b.ID {
			t.Fatalf("moved %+v, %v", moved, err)
		}
		if err := svc.ReorderSections(ctx, admin, st.ID, []int64{two.ID, one.ID}); err != nil {
			t.Fatal(err)
		}
		list, _ := svc.Sections(ctx, admin, st)
		if len(list) != 2 || list[0].ID != two.ID || list[1].ID != one.ID {
			t.Errorf("order %+v", list)
		}
		if _, err := svc.UpdateTopic(ctx, admin, b.ID, structure.TopicChanges{Position: ptr(1), Sponsors: &[]string{"HB", "BUND"}}); err != nil {
			t.Fatal(err)
		}
		full, _ := db.FindStrategyByID(ctx, st.ID)
		if len(full.Topics) != 2 || full.Topics[0].ID != b.ID || len(full.Topics[0].Sponsors) != 2 {
			t.Errorf("topics %+v", full.Topics)
		}
		if err := svc.DeleteTopic(ctx, admin, a.ID); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindSectionByID(ctx, two.ID)
		if got.TopicID != nil {
			t.Errorf("section of a deleted topic keeps it: %+v", got)
		}
		updated, err := svc.UpdateStrategy(ctx, admin, st.ID, structure.StrategyChanges{Title: ptr("Föderale Digitalstrategie"), StatementsPublic: ptr(true)})
		if err != nil || updated.Title != "Föderale Digitalstrategie" || !updated.StatementsPublic || len(updated.Topics) != 1 {
			t.Errorf("updated strategy %+v, %v", updated, err)
		}
	})
}

func ptr[T any](v T) *T                        { return &v }
func ptrPtr(v *int64) **int64                  { return &v }
func asError(err error, e **domain.Error) bool { return errors.As(err, e) }
