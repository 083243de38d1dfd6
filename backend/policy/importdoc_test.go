package policy

import (
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// TestImportDocuments: only the administration imports drafts.
func TestImportDocuments(t *testing.T) {
	entwurf := strategy(domain.PhaseEntwurf, false)
	cases := []struct {
		name string
		u    *domain.User
		want string
	}{
		{"anonymous", nil, domain.EUNAUTHORIZED},
		{"admin", admin, ""},
		{"disabled admin", disabled, domain.EFORBIDDEN},
		{"moderator", moderator, domain.EFORBIDDEN},
		{"pate", pateX, domain.EFORBIDDEN},
		{"land", land, domain.EFORBIDDEN},
		{"reader", reader, domain.EFORBIDDEN},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := domain.ErrorCode(Check(c.u, ImportDocuments, Resource{Strategy: entwurf}, now)); got != c.want {
				t.Fatalf("Check = %q, want %q", got, c.want)
			}
		})
	}
}
