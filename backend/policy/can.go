package policy

import (
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// SectionCan says what u may do with sec of st at now, so that the browser
// shows only the controls that would work; nil without a user.
func SectionCan(u *domain.User, st *domain.Strategy, sec *domain.Section, now time.Time) *domain.SectionPermissions {
	if u == nil || sec == nil {
		return nil
	}
	r := Resource{Strategy: st, Section: sec}
	edit := Allowed(u, EditSection, r, now)
	return &domain.SectionPermissions{
		Edit:    edit,
		Comment: Allowed(u, Comment, r, now),
		Propose: Allowed(u, Propose, r, now),
		Restore: edit,
	}
}

// StatementCan says what u may do with the statement of orgID in st at now.
// submitted tells whether its current version is submitted (then saving
// starts a new version).
func StatementCan(u *domain.User, st *domain.Strategy, orgID int64, submitted bool, now time.Time) *domain.StatementPermissions {
	if u == nil {
		return nil
	}
	r := Resource{Strategy: st, OrgID: orgID, Submitted: submitted}
	write := Allowed(u, EditStatement, r, now)
	return &domain.StatementPermissions{
		Read:       Allowed(u, ReadStatement, r, now),
		Edit:       write && !submitted,
		Submit:     write && Allowed(u, SubmitStatement, r, now),
		NewVersion: write && submitted,
	}
}

// UserCan gives u's global capabilities: the pages and actions that do
// not depend on one strategy or section.
func UserCan(u *domain.User, now time.Time) *domain.UserPermissions {
	if u == nil {
		return nil
	}
	var r Resource
	return &domain.UserPermissions{
		Moderate:    Allowed(u, ModerateQueue, r, now),
		ManageUsers: Allowed(u, ManageUsers, r, now),
		ViewAudit:   Allowed(u, ViewAudit, r, now),
		ViewReport:  Allowed(u, ViewReport, r, now),
		// Writing depends on the phase; this flag says whether the
		// account writes for its organisation at all (role land).
		WriteStatement: !u.Disabled && u.HasRole(domain.RoleLand),
		ViewStatements: !u.Disabled && (u.HasRole(domain.RoleLand) || isStaff(u)),
		// Beschlüsse.
		ManageBeschluss: Allowed(u, ManageBeschluss, r, now),
		ManageKey:       Allowed(u, ManageKey, r, now),
		ManageStructure: Allowed(u, ManageStructure, r, now),
		ImportDocuments: Allowed(u, ImportDocuments, r, now),
	}
}
