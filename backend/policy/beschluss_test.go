package policy

import (
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

func TestBeschlussPolicy(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	bund := domain.Organisation{ID: 1, Code: "BUND", Kind: domain.OrgBund}
	by := domain.Organisation{ID: 3, Code: "BY", Kind: domain.OrgLand}
	fitko := domain.Organisation{ID: 18, Code: "FITKO", Kind: domain.OrgFITKO}
	user := func(o domain.Organisation, roles ...domain.Role) *domain.User {
		return &domain.User{ID: o.ID*100 + int64(len(roles)), OrgID: o.ID, Org: o, Roles: roles}
	}
	voterBY := user(by, domain.RoleStimmberechtigt)
	deputyBY := user(by, domain.RoleLand, domain.RoleStimmberechtigt)
	voterBund := user(bund, domain.RoleStimmberechtigt)
	landBY := user(by, domain.RoleLand)
	voterFITKO := user(fitko, domain.RoleStimmberechtigt)
	moderator := user(fitko, domain.RoleModerator)
	admin := user(fitko, domain.RoleAdmin)
	disabled := user(by, domain.RoleStimmberechtigt)
	disabled.Disabled = true

	F, U, A := domain.EFORBIDDEN, domain.EUNAUTHORIZED, ""
	cases := []struct {
		name string
		u    *domain.User
		a    Action
		r    Resource
		want string
	}{
		{"anonymous reads", nil, ReadBeschluss, Resource{}, U},
		{"land reads", landBY, ReadBeschluss, Resource{}, A},
		{"voter votes for own Land", voterBY, CastVote, Resource{OrgID: by.ID}, A},
		{"deputy votes for own Land", deputyBY, CastVote, Resource{OrgID: by.ID}, A},
		{"Bund votes for the Bund", voterBund, CastVote, Resource{OrgID: bund.ID}, A},
		{"Land cannot vote for another", voterBY, CastVote, Resource{OrgID: bund.ID}, F},
		{"vote without organisation", voterBY, CastVote, Resource{}, F},
		{"participant without the role", landBY, CastVote, Resource{OrgID: by.ID}, F},
		{"FITKO is no voting member", voterFITKO, CastVote, Resource{OrgID: fitko.ID}, F},
		{"moderator does not vote", moderator, CastVote, Resource{OrgID: fitko.ID}, F},
		{"disabled voter", disabled, CastVote, Resource{OrgID: by.ID}, F},
		{"moderator manages Vorlagen", moderator, ManageBeschluss, Resource{}, A},
		{"admin does not create Vorlagen", admin, ManageBeschluss, Resource{}, F},
		{"voter does not create Vorlagen", voterBY, ManageBeschluss, Resource{}, F},
		{"admin edits the key", admin, ManageKey, Resource{}, A},
		{"moderator does not edit the key", moderator, ManageKey, Resource{}, F},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := domain.ErrorCode(Check(c.u, c.a, c.r, now)); got != c.want {
				t.Fatalf("code %q, want %q", got, c.want)
			}
		})
	}
}
