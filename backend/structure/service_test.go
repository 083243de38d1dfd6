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

func TestCreateStrategy(t *testing.T) {
	ctx := context.Background()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		svc := structure.New(structure.Deps{Strategies: db, Audit: db})
		land := &domain.User{ID: 1, Roles: []domain.Role{domain.RoleLand}}
		if _, err := svc.CreateStrategy(ctx, land, structure.NewStrategy{Title: "X"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("a Land created a strategy: %v", err)
		}
		for title, code := range map[string]string{" ": domain.EINVALID, "a\nb": domain.EINVALID, strings.Repeat("x", 201): domain.ETOOLARGE} {
			if _, err := svc.CreateStrategy(ctx, nil, structure.NewStrategy{Title: title}); domain.ErrorCode(err) != code {
				t.Errorf("title %.20q: %v, want %s", title, err, code)
			}
		}
		st, err := svc.CreateStrategy(ctx, nil, structure.NewStrategy{Title: " Digitalstrategie ", Description: "Zeile 1\nZeile 2", StatementsPublic: true})
		if err != nil {
			t.Fatal(err)
		}
		list, err := svc.Strategies(ctx)
		if err != nil || len(list) != 1 || list[0].Title != "Digitalstrategie" || list[0].Description != "Zeile 1\nZeile 2" || !list[0].StatementsPublic {
			t.Fatalf("list = %+v, %v", list, err)
		}
		evs, err := db.FindAuditEvents(ctx, domain.AuditFilter{Action: "structure_changed"})
		if err != nil || len(evs) != 1 || evs[0].Target != fmt.Sprintf("strategy:%d", st.ID) {
			t.Fatalf("audit = %+v, %v", evs, err)
		}
	})
}
