package policy

import (
	"errors"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// TestSectionCan checks the section flags across roles, phases and states:
// they are what the editor and the sidebar show, so they must agree with
// Check.
func TestSectionCan(t *testing.T) {
	beteiligung := strategy(domain.PhaseBeteiligung, false)
	entwurf := strategy(domain.PhaseEntwurf, false)
	beschlossen := strategy(domain.PhaseBeschlossen, false)
	secX := section(&topicX, domain.SectionDraft)
	secY := section(&topicY, domain.SectionDraft)
	secXCons := section(&topicX, domain.SectionConsultation)
	secXFinal := section(&topicX, domain.SectionFinal)
	all := domain.SectionPermissions{Edit: true, Comment: true, Propose: true, Restore: true}
	talk := domain.SectionPermissions{Comment: true, Propose: true}
	none := domain.SectionPermissions{}
	cases := []struct {
		name string
		u    *domain.User
		st   *domain.Strategy
		sec  *domain.Section
		want domain.SectionPermissions
	}{
		{"admin draft", admin, entwurf, secX, all},
		{"moderator draft", moderator, entwurf, secX, all},
		{"pate own topic", pateX, entwurf, secX, all},
		{"pate other topic", pateX, entwurf, secY, talk},
		{"pate in consultation", pateX, beteiligung, secXCons, talk},
		{"pate final section", pateX, beteiligung, secXFinal, none},
		{"land in consultation", land, beteiligung, secXCons, talk},
		{"land in draft phase", land, entwurf, secX, none},
		{"reader in consultation", reader, beteiligung, secXCons, none},
		{"adopted", moderator, beschlossen, secXFinal, none},
		{"disabled", disabled, entwurf, secX, none},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := SectionCan(c.u, c.st, c.sec, now)
			if got == nil || *got != c.want {
				t.Fatalf("SectionCan = %+v; want %+v", got, c.want)
			}
		})
	}
	if SectionCan(nil, entwurf, secX, now) != nil {
		t.Fatal("flags for no user; want nil")
	}
}

// TestUserCan checks the global capabilities that drive the header links.
func TestUserCan(t *testing.T) {
	cases := []struct {
		name string
		u    *domain.User
		want domain.UserPermissions
	}{
		{"admin", admin, domain.UserPermissions{ManageUsers: true, ViewAudit: true, ViewReport: true, ViewStatements: true, ManageKey: true, ManageStructure: true, ImportDocuments: true}},
		{"moderator", moderator, domain.UserPermissions{Moderate: true, ViewAudit: true, ViewReport: true, ViewStatements: true, ManageBeschluss: true}},
		{"pate", pateX, domain.UserPermissions{}},
		{"land", land, domain.UserPermissions{WriteStatement: true, ViewStatements: true}},
		{"reader", reader, domain.UserPermissions{}},
		{"disabled admin", disabled, domain.UserPermissions{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := UserCan(c.u, now); got == nil || *got != c.want {
				t.Fatalf("UserCan = %+v; want %+v", got, c.want)
			}
		})
	}
}

// TestStatementCan checks the statement flags for the own and another
// organisation, inside and outside the consultation window.
func TestStatementCan(t *testing.T) {
	beteiligung := strategy(domain.PhaseBeteiligung, false)
	auswertung := strategy(domain.PhaseAuswertung, false)
	cases := []struct {
		name      string
		u         *domain.User
		st        *domain.Strategy
		org       int64
		submitted bool
		want      domain.StatementPermissions
	}{
		{"land own draft", land, beteiligung, orgBY, false, domain.StatementPermissions{Read: true, Edit: true, Submit: true}},
		{"land own submitted", land, beteiligung, orgBY, true, domain.StatementPermissions{Read: true, Submit: true, NewVersion: true}},
		{"land after deadline", land, auswertung, orgBY, false, domain.StatementPermissions{Read: true}},
		{"land other org", land, beteiligung, orgHE, false, domain.StatementPermissions{}},
		{"moderator", moderator, beteiligung, orgBY, false, domain.StatementPermissions{Read: true}},
		{"reader", reader, beteiligung, orgFITK, false, domain.StatementPermissions{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := StatementCan(c.u, c.st, c.org, c.submitted, now); got == nil || *got != c.want {
				t.Fatalf("StatementCan = %+v; want %+v", got, c.want)
			}
		})
	}
}

// TestReasons checks that refusals carry the reason the browser translates.
func TestReasons(t *testing.T) {
	closed := strategy(domain.PhaseBeteiligung, false)
	past := now.Add(48 * time.Hour)
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"deadline", Check(land, Comment, Resource{Strategy: closed, Section: section(&topicX, domain.SectionConsultation)}, past), domain.ReasonRoundClosed},
		{"phase", Check(land, SubmitStatement, Resource{Strategy: strategy(domain.PhaseAuswertung, false), OrgID: orgBY}, now), domain.ReasonPhaseClosed},
		{"locked", Check(pateX, EditSection, Resource{Strategy: closed, Section: section(&topicX, domain.SectionFinal)}, now), domain.ReasonSectionLocked},
		{"read only", Check(reader, Comment, Resource{Strategy: closed, Section: section(&topicX, domain.SectionConsultation)}, now), domain.ReasonReadOnly},
		{"not sponsor", Check(pateX, EditSection, Resource{Strategy: closed, Section: section(&topicY, domain.SectionDraft)}, now), domain.ReasonNotSponsor},
		{"no user", Check(nil, ReadStrategy, Resource{}, now), domain.ReasonLoginRequired},
	}
	for _, c := range cases {
		var de *domain.Error
		if !errors.As(c.err, &de) || de.Reason != c.want {
			t.Errorf("%s: %v has reason %q; want %q", c.name, c.err, domain.ErrorReason(c.err), c.want)
		}
	}
}
