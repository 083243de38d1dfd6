package structure_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
	"github.com/strategieraum/strategieraum/backend/structure"
)

// TestImport imports into an existing topic, whose sections stay together
// ahead of the next topic's, and into new topics; a preview and a bad
// file change nothing, and only the administration may import.
func TestImport(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		st := &domain.Strategy{Title: "Digitalstrategie"}
		if err := db.CreateStrategy(ctx, st); err != nil {
			t.Fatal(err)
		}
		infra := &domain.Topic{StrategyID: st.ID, Title: "Digitale Infrastruktur"}
		daten := &domain.Topic{StrategyID: st.ID, Title: "Datennutzung"}
		for _, tp := range []*domain.Topic{infra, daten} {
			if err := db.CreateTopic(ctx, tp); err != nil {
				t.Fatal(err)
			}
			sec := &domain.Section{StrategyID: st.ID, TopicID: &tp.ID, Part: domain.PartSchwerpunkt, Title: "Zielbild " + tp.Title}
			if err := db.CreateSection(ctx, sec); err != nil {
				t.Fatal(err)
			}
		}
		im := structure.NewImporter(structure.ImportDeps{Strategies: db, Sections: db, Audit: db})
		admin := &domain.User{ID: 1, Roles: []domain.Role{domain.RoleAdmin}}
		moderator := &domain.User{ID: 2, Roles: []domain.Role{domain.RoleModerator}}
		md := structure.ImportFile{Name: "netze.md", Data: []byte("# Glasfaser\nÜberall.\n# Mobilfunk\n- 5G\n")}
		titles := func() []string {
			secs, err := db.FindSections(ctx, st.ID)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, s := range secs {
				out = append(out, s.Title)
			}
			return out
		}
		before := strings.Join(titles(), "|")

		if _, err := im.Import(ctx, moderator, structure.ImportRequest{StrategyID: st.ID, TopicID: &infra.ID, Files: []structure.ImportFile{md}}); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("moderator imported: %v", err)
		}
		bad := structure.ImportFile{Name: "kaputt.docx", Data: []byte("PK\x03\x04kaputt")}
		if _, err := im.Import(ctx, admin, structure.ImportRequest{StrategyID: st.ID, Files: []structure.ImportFile{md, bad}}); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("bad file: %v", err)
		}
		other := int64(99999)
		if _, err := im.Import(ctx, admin, structure.ImportRequest{StrategyID: st.ID, TopicID: &other, Files: []structure.ImportFile{md}}); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("unknown topic: %v", err)
		}
		preview, err := im.Import(ctx, admin, structure.ImportRequest{StrategyID: st.ID, TopicID: &infra.ID, Files: []structure.ImportFile{md}, Preview: true})
		if err != nil || len(preview) != 1 || len(preview[0].Sections) != 2 || preview[0].Sections[1].Text != "- 5G" || preview[0].Sections[0].ID != 0 {
			t.Fatalf("preview = %+v, %v", preview, err)
		}
		if got := strings.Join(titles(), "|"); got != before {
			t.Fatalf("something was stored: %s", got)
		}

		done, err := im.Import(ctx, admin, structure.ImportRequest{StrategyID: st.ID, TopicID: &infra.ID, Files: []structure.ImportFile{md}})
		if err != nil || len(done[0].Sections) != 2 || done[0].Sections[0].ID == 0 || *done[0].Sections[0].TopicID != infra.ID {
			t.Fatalf("import = %+v, %v", done, err)
		}
		if got, want := strings.Join(titles(), "|"), "Zielbild Digitale Infrastruktur|Glasfaser|Mobilfunk|Zielbild Datennutzung"; got != want {
			t.Fatalf("order = %s, want %s", got, want)
		}
		sec, err := db.FindSectionByID(ctx, done[0].Sections[0].ID)
		if err != nil || sec.Text != "Überall." || sec.Version != 0 || sec.Status != domain.SectionDraft || sec.Position != 2 {
			t.Fatalf("section = %+v, %v", sec, err)
		}

		// Two files without a topic: a new topic each, named after the file.
		two := []structure.ImportFile{{Name: "Informations_sicherheit.md", Data: []byte("Text")}, {Name: "b.md", Data: []byte("# B\nb")}}
		done, err = im.Import(ctx, nil, structure.ImportRequest{StrategyID: st.ID, Files: two})
		if err != nil || len(done) != 2 || done[0].Topic.Title != "Informations sicherheit" || done[0].Topic.ID == 0 || done[1].Topic.Title != "b" {
			t.Fatalf("new topics = %+v, %v", done, err)
		}
		if got, want := strings.Join(titles(), "|"), "Zielbild Digitale Infrastruktur|Glasfaser|Mobilfunk|Zielbild Datennutzung|Informations sicherheit|B"; got != want {
			t.Fatalf("order = %s, want %s", got, want)
		}
		evs, err := db.FindAuditEvents(ctx, domain.AuditFilter{Action: "structure_changed"})
		if err != nil || len(evs) != 3 || !strings.Contains(evs[0].Detail, "Kommandozeile") || evs[2].Target != fmt.Sprintf("topic:%d", infra.ID) {
			t.Fatalf("audit = %+v, %v", evs, err)
		}
	})
}
