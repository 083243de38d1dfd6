package policy

import (
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

var (
	now    = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	opens  = now.Add(-24 * time.Hour)
	closes = now.Add(24 * time.Hour)
	topicX = int64(1)
	topicY = int64(2)
)

func user(roles []domain.Role, org int64, topics ...int64) *domain.User {
	return &domain.User{ID: 1, OrgID: org, Roles: roles, TopicIDs: topics}
}

func strategy(kind domain.PhaseKind, editInConsultation bool) *domain.Strategy {
	p := &domain.Phase{Kind: kind}
	if kind == domain.PhaseBeteiligung {
		p.OpensAt, p.ClosesAt = &opens, &closes
	}
	return &domain.Strategy{ID: 1, CurrentPhase: p, EditDuringConsultation: editInConsultation}
}

func section(topic *int64, status domain.SectionStatus) *domain.Section {
	return &domain.Section{ID: 1, StrategyID: 1, TopicID: topic, Status: status}
}

const (
	orgBY   = int64(3)
	orgHE   = int64(8)
	orgFITK = int64(18)
)

var (
	admin     = user([]domain.Role{domain.RoleAdmin}, orgFITK)
	moderator = user([]domain.Role{domain.RoleModerator}, orgFITK)
	pateX     = user([]domain.Role{domain.RoleThemenpate}, orgHE, topicX)
	land      = user([]domain.Role{domain.RoleLand}, orgBY)
	reader    = user([]domain.Role{domain.RoleReader}, orgFITK)
	disabled  = &domain.User{ID: 9, OrgID: orgFITK, Roles: []domain.Role{domain.RoleAdmin}, Disabled: true}
)

// TestPolicyTable covers every role × action × ownership × phase case the
// foundation defines. want is the error code ("" means allowed).
func TestPolicyTable(t *testing.T) {
	beteiligung := strategy(domain.PhaseBeteiligung, false)
	beteiligungEdit := strategy(domain.PhaseBeteiligung, true)
	entwurf := strategy(domain.PhaseEntwurf, false)
	auswertung := strategy(domain.PhaseAuswertung, false)
	beschlossen := strategy(domain.PhaseBeschlossen, false)
	secX := section(&topicX, domain.SectionDraft)
	secY := section(&topicY, domain.SectionDraft)
	secXCons := section(&topicX, domain.SectionConsultation)
	secXFinal := section(&topicX, domain.SectionFinal)
	secNoTopic := section(nil, domain.SectionDraft)
	secXArchived := section(&topicX, domain.SectionConsultation)
	secXArchived.ArchivedAt = &opens
	late := closes.Add(time.Second)
	early := opens.Add(-time.Second)

	type tc struct {
		name string
		u    *domain.User
		a    Action
		r    Resource
		at   time.Time
		want string
	}
	F, U, L, A := domain.EFORBIDDEN, domain.EUNAUTHORIZED, domain.ELOCKED, ""
	cases := []tc{
		// Anonymous and disabled users can do nothing.
		{"anonymous reads", nil, ReadStrategy, Resource{Strategy: beteiligung}, now, U},
		{"anonymous edits", nil, EditSection, Resource{Strategy: entwurf, Section: secX}, now, U},
		{"disabled admin manages users", disabled, ManageUsers, Resource{}, now, F},
		{"disabled admin reads", disabled, ReadStrategy, Resource{Strategy: beteiligung}, now, F},
		{"unknown action", admin, Action("drop_tables"), Resource{}, now, F},

		// Reading.
		{"reader reads strategy", reader, ReadStrategy, Resource{Strategy: entwurf}, now, A},
		{"reader reads section in beteiligung", reader, ReadSection, Resource{Strategy: beteiligung, Section: secX}, now, A},
		{"reader does not see drafts", reader, ReadSection, Resource{Strategy: entwurf, Section: secX}, now, F},
		{"land does not see drafts", land, ReadSection, Resource{Strategy: entwurf, Section: secX}, now, F},
		{"land reads in auswertung", land, ReadSection, Resource{Strategy: auswertung, Section: secX}, now, A},
		{"pate sees other topic's draft", pateX, ReadSection, Resource{Strategy: entwurf, Section: secY}, now, A},
		{"moderator sees drafts", moderator, ReadSection, Resource{Strategy: entwurf, Section: secY}, now, A},
		{"read without section", reader, ReadSection, Resource{Strategy: beteiligung}, now, F},

		// Editing.
		{"pate edits own topic", pateX, EditSection, Resource{Strategy: entwurf, Section: secX}, now, A},
		{"pate does not edit other topic", pateX, EditSection, Resource{Strategy: entwurf, Section: secY}, now, F},
		{"pate does not edit untopiced section", pateX, EditSection, Resource{Strategy: entwurf, Section: secNoTopic}, now, F},
		{"pate edits in consultation if allowed", pateX, EditSection, Resource{Strategy: beteiligungEdit, Section: secXCons}, now, A},
		{"pate not in consultation if not allowed", pateX, EditSection, Resource{Strategy: beteiligung, Section: secXCons}, now, F},
		{"final section is locked for pate", pateX, EditSection, Resource{Strategy: entwurf, Section: secXFinal}, now, L},
		{"final section is locked for admin", admin, EditSection, Resource{Strategy: entwurf, Section: secXFinal}, now, L},
		{"moderator edits any draft", moderator, EditSection, Resource{Strategy: entwurf, Section: secY}, now, A},
		{"admin edits any draft", admin, EditSection, Resource{Strategy: entwurf, Section: secNoTopic}, now, A},
		{"land never edits", land, EditSection, Resource{Strategy: beteiligungEdit, Section: secX}, now, F},
		{"reader never edits", reader, EditSection, Resource{Strategy: entwurf, Section: secX}, now, F},

		// Commenting and proposing.
		{"land comments in window", land, Comment, Resource{Strategy: beteiligung, Section: secXCons}, now, A},
		{"land comments one second before close", land, Comment, Resource{Strategy: beteiligung, Section: secXCons}, closes.Add(-time.Second), A},
		{"land does not comment after close", land, Comment, Resource{Strategy: beteiligung, Section: secXCons}, late, F},
		{"land does not comment before open", land, Comment, Resource{Strategy: beteiligung, Section: secXCons}, early, F},
		{"land does not comment in entwurf", land, Comment, Resource{Strategy: entwurf, Section: secX}, now, F},
		{"land does not comment in auswertung", land, Comment, Resource{Strategy: auswertung, Section: secX}, now, F},
		{"reader never comments", reader, Comment, Resource{Strategy: beteiligung, Section: secX}, now, F},
		{"pate discusses drafts", pateX, Comment, Resource{Strategy: entwurf, Section: secY}, now, A},
		{"pate cannot reply after close", pateX, Comment, Resource{Strategy: beteiligung, Section: secX}, late, F},
		{"moderator cannot reply after close", moderator, Comment, Resource{Strategy: beteiligung, Section: secX}, late, F},
		{"nobody comments when beschlossen", moderator, Comment, Resource{Strategy: beschlossen, Section: secX}, now, F},
		{"land proposes in window", land, Propose, Resource{Strategy: beteiligung, Section: secXCons}, now, A},
		{"land does not propose after close", land, Propose, Resource{Strategy: beteiligung, Section: secXCons}, late, F},
		{"no proposal for a final section", land, Propose, Resource{Strategy: beteiligung, Section: secXFinal}, now, L},
		{"nobody edits an archived section", admin, EditSection, Resource{Strategy: beteiligungEdit, Section: secXArchived}, now, L},
		{"pate does not edit an archived section", pateX, EditSection, Resource{Strategy: beteiligungEdit, Section: secXArchived}, now, L},
		{"no comment on an archived section", land, Comment, Resource{Strategy: beteiligung, Section: secXArchived}, now, L},
		{"archived section stays readable", land, ReadSection, Resource{Strategy: beteiligung, Section: secXArchived}, now, A},

		// Moderation.
		{"moderator resolves", moderator, ResolveThread, Resource{Strategy: beteiligung, Section: secY}, now, A},
		{"pate resolves own topic", pateX, ResolveThread, Resource{Strategy: beteiligung, Section: secX}, now, A},
		{"pate does not resolve other topic", pateX, ResolveThread, Resource{Strategy: beteiligung, Section: secY}, now, F},
		{"land does not resolve", land, ResolveThread, Resource{Strategy: beteiligung, Section: secX}, now, F},
		{"moderator hides", moderator, HideComment, Resource{Strategy: beteiligung, Section: secX}, now, A},
		{"pate does not hide", pateX, HideComment, Resource{Strategy: beteiligung, Section: secX}, now, F},
		{"admin does not hide", admin, HideComment, Resource{Strategy: beteiligung, Section: secX}, now, F},
		{"moderator changes phase", moderator, ChangePhase, Resource{Strategy: beteiligung}, now, A},
		{"admin changes phase", admin, ChangePhase, Resource{Strategy: beteiligung}, now, A},
		{"pate does not change phase", pateX, ChangePhase, Resource{Strategy: beteiligung}, now, F},
		{"land does not change phase", land, ChangePhase, Resource{Strategy: beteiligung}, now, F},

		// Statements.
		{"land submits for own org", land, SubmitStatement, Resource{Strategy: beteiligung, OrgID: orgBY}, now, A},
		{"land does not submit for another org", land, SubmitStatement, Resource{Strategy: beteiligung, OrgID: orgHE}, now, F},
		{"land does not submit after deadline", land, SubmitStatement, Resource{Strategy: beteiligung, OrgID: orgBY}, late, F},
		{"land does not submit in entwurf", land, SubmitStatement, Resource{Strategy: entwurf, OrgID: orgBY}, now, F},
		{"pate does not submit statements", pateX, SubmitStatement, Resource{Strategy: beteiligung, OrgID: orgHE}, now, F},
		{"moderator does not submit statements", moderator, SubmitStatement, Resource{Strategy: beteiligung, OrgID: orgFITK}, now, F},

		// Administration.
		{"admin manages users", admin, ManageUsers, Resource{}, now, A},
		{"moderator does not manage users", moderator, ManageUsers, Resource{}, now, F},
		{"pate does not manage users", pateX, ManageUsers, Resource{}, now, F},
		{"admin manages structure", admin, ManageStructure, Resource{Strategy: entwurf}, now, A},
		{"moderator does not manage structure", moderator, ManageStructure, Resource{Strategy: entwurf}, now, F},
		{"pate does not manage structure", pateX, ManageStructure, Resource{Strategy: entwurf}, now, F},
		{"land does not manage structure", land, ManageStructure, Resource{Strategy: entwurf}, now, F},
		{"reader does not manage structure", reader, ManageStructure, Resource{Strategy: entwurf}, now, F},

		// One's own settings.
		{"reader manages own settings", reader, ManageOwnAccount, Resource{}, now, A},
		{"land manages own settings", land, ManageOwnAccount, Resource{}, now, A},
		{"admin manages own settings", admin, ManageOwnAccount, Resource{}, now, A},
		{"nobody signed in manages no settings", nil, ManageOwnAccount, Resource{}, now, domain.EUNAUTHORIZED},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Check(c.u, c.a, c.r, c.at)
			if got := domain.ErrorCode(err); got != c.want {
				t.Fatalf("Check = %q (%v), want %q", got, err, c.want)
			}
			if err != nil && domain.ErrorMessage(err) == "" {
				t.Fatal("denial without a message")
			}
			if Allowed(c.u, c.a, c.r, c.at) != (c.want == "") {
				t.Fatal("Allowed disagrees with Check")
			}
		})
	}
}

// TestEveryActionDeniesByDefault checks that a user with no roles is denied
// every action on every resource shape.
func TestEveryActionDeniesByDefault(t *testing.T) {
	nobody := &domain.User{ID: 5, OrgID: orgBY}
	for a := range rules {
		for _, r := range []Resource{{}, {Strategy: strategy(domain.PhaseBeteiligung, true), Section: section(&topicX, domain.SectionDraft), OrgID: orgBY}} {
			if a == ReadStrategy && r.Strategy != nil {
				continue // the structure is visible to every account by design
			}
			if err := Check(nobody, a, r, now); err == nil {
				t.Errorf("%s allowed for a user without roles on %+v", a, r)
			}
		}
	}
}

func TestDeadlineMessageNamesBerlinTime(t *testing.T) {
	closesAt := time.Date(2026, 3, 31, 16, 0, 0, 0, time.UTC) // 18:00 CEST
	s := &domain.Strategy{CurrentPhase: &domain.Phase{Kind: domain.PhaseBeteiligung, ClosesAt: &closesAt}}
	err := Check(land, Comment, Resource{Strategy: s, Section: section(&topicX, domain.SectionConsultation)}, closesAt)
	if got, want := domain.ErrorMessage(err), "Die Beteiligungsfrist endete am 31.03.2026 um 18:00 Uhr."; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
}
