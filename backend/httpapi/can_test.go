package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// TestPermissionFlags checks that /api/me, sections and statements carry
// the policy's flags for the asking user, so that the browser decides
// nothing itself.
func TestPermissionFlags(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		wantMe := map[string]domain.UserPermissions{
			"admin":      {ManageUsers: true, ViewAudit: true, ViewReport: true, ViewStatements: true, ManageKey: true, ManageStructure: true, ImportDocuments: true},
			"moderator":  {Moderate: true, ViewAudit: true, ViewReport: true, ViewStatements: true, ManageBeschluss: true},
			"themenpate": {},
			"land":       {WriteStatement: true, ViewStatements: true},
			"reader":     {},
		}
		for name, want := range wantMe {
			r := f.do(nil, "GET", "/api/me", "", name)
			wantStatus(t, r, 200)
			var me struct {
				ID  int64                   `json:"id"`
				Can *domain.UserPermissions `json:"can"`
			}
			r.json(t, &me)
			if me.ID != f.users[name].ID || me.Can == nil || *me.Can != want {
				t.Errorf("%s: /api/me can = %+v; want %+v", name, me.Can, want)
			}
		}

		sec := f.sections[0]
		section := func(as string) domain.SectionPermissions {
			t.Helper()
			r := f.do(nil, "GET", fmt.Sprintf("/api/sections/%d", sec.ID), "", as)
			wantStatus(t, r, 200)
			var v struct{ Can *domain.SectionPermissions }
			r.json(t, &v)
			if v.Can == nil {
				t.Fatalf("%s: section without can: %s", as, r.body)
			}
			// The table of contents carries the same flags.
			r = f.do(nil, "GET", fmt.Sprintf("/api/strategies/%d/sections", f.strategy.ID), "", as)
			wantStatus(t, r, 200)
			var list []struct {
				ID  int64
				Can *domain.SectionPermissions
			}
			r.json(t, &list)
			for _, s := range list {
				if s.ID == sec.ID && (s.Can == nil || *s.Can != *v.Can) {
					t.Fatalf("%s: list can %+v, section can %+v", as, s.Can, v.Can)
				}
			}
			return *v.Can
		}
		all := domain.SectionPermissions{Edit: true, Comment: true, Propose: true, Restore: true}
		if got := section("themenpate"); got != all {
			t.Errorf("themenpate on a draft: %+v; want %+v", got, all)
		}
		f.openConsultation(t, "")
		talk := domain.SectionPermissions{Comment: true, Propose: true}
		for as, want := range map[string]domain.SectionPermissions{"reader": {}, "land": talk} {
			if got := section(as); got != want {
				t.Errorf("%s in the consultation: %+v; want %+v", as, got, want)
			}
		}

		stmt := fmt.Sprintf("/api/strategies/%d/statement", f.strategy.ID)
		r := f.do(nil, "PUT", stmt, `{"body":"Hessen stimmt zu.","base_revision":0}`, "land")
		wantStatus(t, r, 200)
		var saved domain.Statement
		r.json(t, &saved)
		if saved.Can == nil || !saved.Can.Edit || !saved.Can.Submit || saved.Can.NewVersion || !saved.Can.Read {
			t.Errorf("saved statement can = %+v", saved.Can)
		}
	})
}

// TestProblemMembers checks the typed extension members of problem
// documents: reason everywhere it applies, and the stale revision of a
// refused statement save as top-level members rather than field errors.
func TestProblemMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		r := f.login(nil, f.users["land"].Email, "falsch-falsch-falsch")
		wantStatus(t, r, 401)
		if p := r.problem(t); p["code"] != "unauthorized" || p["reason"] != "bad_credentials" {
			t.Errorf("wrong password problem = %v", p)
		}
		f.openConsultation(t, "")
		stmt := fmt.Sprintf("/api/strategies/%d/statement", f.strategy.ID)
		wantStatus(t, f.do(nil, "PUT", stmt, `{"body":"Erste Fassung","base_revision":0}`, "land"), 200)
		r = f.do(nil, "PUT", stmt, `{"body":"Überholt","base_revision":0}`, "land")
		wantStatus(t, r, 409)
		p := r.problem(t)
		if p["code"] != "conflict" || p["reason"] != "stale_revision" || p["current_revision"] != float64(1) ||
			p["changed_by"] != f.users["land"].Name || p["changed_at"] == nil {
			t.Errorf("stale statement problem = %v", p)
		}
		if _, ok := p["errors"]; ok {
			t.Errorf("stale statement problem carries field errors: %v", p)
		}
		r = f.do(nil, "PUT", stmt, `{"body":"x"}`, "reader")
		wantStatus(t, r, 403)
		if p := r.problem(t); p["code"] != "forbidden" || p["reason"] == nil {
			t.Errorf("forbidden problem without reason: %v", p)
		}
	})
}
