package policy

import (
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Consultation actions.
const (
	ReportComment  Action = "report_comment"  // report a comment to the moderators
	EditComment    Action = "edit_comment"    // change one's own comment shortly after writing it
	ViewHidden     Action = "view_hidden"     // read a hidden comment or thread
	AcceptProposal Action = "accept_proposal" // apply a change proposal to the text
	RejectProposal Action = "reject_proposal" // turn a change proposal down
	ModerateQueue  Action = "moderate_queue"  // read the reported comments
	EditStatement  Action = "edit_statement"  // write the draft of one's organisation's statement
	ReadStatement  Action = "read_statement"  // read a statement's content
	// OpenStatementText opens a statement's live text (the document the
	// organisation writes together).
	OpenStatementText Action = "open_statement_text"
	ViewAudit         Action = "view_audit"  // list and export the audit log
	ViewReport        Action = "view_report" // the consultation report and its downloads
)

// CommentEditWindow is how long authors may change their comments.
const CommentEditWindow = 15 * time.Minute

func init() {
	rules[ReportComment] = reportComment
	rules[EditComment] = editComment
	rules[ViewHidden] = viewHidden
	rules[AcceptProposal] = acceptProposal
	rules[RejectProposal] = decideProposal
	rules[ModerateQueue] = staffOnly(domain.RoleModerator)
	rules[EditStatement] = submitStatement
	rules[ReadStatement] = readStatement
	rules[OpenStatementText] = openStatementText
	rules[ViewAudit] = staffOnly(domain.RoleModerator, domain.RoleAdmin)
	rules[ViewReport] = staffOnly(domain.RoleModerator, domain.RoleAdmin)
}

// reportComment: everyone who reads the section and takes part (not
// read-only accounts) may report.
func reportComment(u *domain.User, r Resource, now time.Time) error {
	if err := readSection(u, r, now); err != nil {
		return err
	}
	if isStaff(u) || u.HasRole(domain.RoleThemenpate) || u.HasRole(domain.RoleLand) {
		return nil
	}
	return denyFor(domain.ReasonReadOnly, "Mit Ihrer Rolle können Sie nur lesen.")
}

// editComment: only the author, only within the edit window, never once
// the strategy is adopted.
func editComment(u *domain.User, r Resource, now time.Time) error {
	if r.AuthorID == 0 || r.AuthorID != u.ID {
		return deny("Nur die Verfasserin oder der Verfasser kann einen Beitrag ändern.")
	}
	if phaseOf(r) == domain.PhaseBeschlossen {
		return denyFor(domain.ReasonAdopted, "Die Strategie ist beschlossen; Beiträge sind nicht mehr änderbar.")
	}
	if now.Sub(r.WrittenAt) > CommentEditWindow {
		return deny("Beiträge können nur in den ersten 15 Minuten geändert werden.")
	}
	return roundUnchanged(Resource{Strategy: r.Strategy, Round: r.Round}, now)
}

func viewHidden(u *domain.User, r Resource, _ time.Time) error {
	if u.HasRole(domain.RoleModerator) || (r.AuthorID != 0 && r.AuthorID == u.ID) {
		return nil
	}
	return deny("Von der Moderation ausgeblendet.")
}

// decideProposal: moderators and the Themenpaten of the section's topic,
// as long as the strategy is not adopted.
func decideProposal(u *domain.User, r Resource, _ time.Time) error {
	if r.Section == nil {
		return deny("Unbekannter Abschnitt.")
	}
	if !u.HasRole(domain.RoleModerator) && !sponsors(u, r) {
		return deny("Nur Moderation und die Themenpaten des Themas entscheiden über Änderungsvorschläge.")
	}
	if phaseOf(r) == domain.PhaseBeschlossen {
		return deny("Die Strategie ist beschlossen; über Vorschläge wird nicht mehr entschieden.")
	}
	return nil
}

// acceptProposal: as decideProposal, and the text must still be editable.
func acceptProposal(u *domain.User, r Resource, now time.Time) error {
	if err := decideProposal(u, r, now); err != nil {
		return err
	}
	if r.Section.Status == domain.SectionFinal {
		return locked("Der Abschnitt ist beschlossen und kann nicht mehr geändert werden.")
	}
	return nil
}

// openStatementText: a draft's live text is the organisation's own: only
// its participants (Land accounts of that organisation) open it, not even
// the moderation, which reads statements once submitted. A submitted
// statement's text is read as readStatement says.
func openStatementText(u *domain.User, r Resource, now time.Time) error {
	if r.Submitted {
		return readStatement(u, r, now)
	}
	if r.OrgID != 0 && r.OrgID == u.OrgID && u.HasRole(domain.RoleLand) {
		return nil
	}
	return denyFor(domain.ReasonOtherOrg, "Den Entwurf einer Stellungnahme sehen nur die Beteiligten der eigenen Organisation.")
}

// readStatement: staff and the organisation's own participants always; other
// participants only submitted statements, and only if the strategy makes
// statements public.
func readStatement(u *domain.User, r Resource, _ time.Time) error {
	if isStaff(u) {
		return nil
	}
	participant := u.HasRole(domain.RoleLand) || u.HasRole(domain.RoleThemenpate) || u.HasRole(domain.RoleReader)
	if !participant {
		return deny("Sie haben keine Leseberechtigung.")
	}
	if r.OrgID != 0 && r.OrgID == u.OrgID && !u.HasRole(domain.RoleReader) {
		return nil
	}
	if r.Submitted && r.Strategy != nil && r.Strategy.StatementsPublic {
		return nil
	}
	return deny("Stellungnahmen anderer Organisationen sind nicht öffentlich.")
}
