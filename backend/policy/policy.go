// Package policy is the one place that decides who may do what. HTTP
// handlers and the websocket loop ask Check before acting; nothing else
// decides. Everything not explicitly allowed is denied.
package policy

import (
	"time"
	_ "time/tzdata" // deadlines are shown in Europe/Berlin even where the OS has no zone data

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Action is something a user may attempt.
type Action string

// Actions. Later features add theirs here and to the table test.
const (
	ReadStrategy    Action = "read_strategy"    // strategy metadata: topics, phases
	ReadSection     Action = "read_section"     // a section's text and live ops
	EditSection     Action = "edit_section"     // submit ops to a section's text
	Comment         Action = "comment"          // start a thread or reply
	Propose         Action = "propose"          // submit a change proposal
	ResolveThread   Action = "resolve_thread"   // resolve or reopen a thread
	HideComment     Action = "hide_comment"     // hide a comment or thread
	ChangePhase     Action = "change_phase"     // move a strategy to another phase
	SubmitStatement Action = "submit_statement" // submit a Stellungnahme for an organisation
	ManageUsers     Action = "manage_users"     // create, change, disable accounts
	ManageStructure Action = "manage_structure" // sections, topics, Themenpaten assignment
	// ManageOwnAccount: one's own settings (e.g. which mails one gets).
	ManageOwnAccount Action = "manage_own_account"
)

// Resource is what an action is aimed at. Strategy carries its CurrentPhase;
// Section is set for section-level actions; OrgID names the organisation a
// statement is submitted for.
type Resource struct {
	Strategy *domain.Strategy
	Section  *domain.Section
	OrgID    int64
	// AuthorID and WrittenAt describe a thread or comment the action is
	// aimed at (editing one's own comment, seeing one's own hidden post).
	AuthorID  int64
	WrittenAt time.Time
	// Submitted marks a statement that has been submitted.
	Submitted bool
	// Round is the consultation round (a beteiligung phase of Strategy)
	// a thread or comment belongs to; nil for those outside any round.
	Round *domain.Phase
}

// Check returns nil if u may do a on r at time now. Otherwise it returns a
// *domain.Error: EUNAUTHORIZED when there is no user, EFORBIDDEN otherwise,
// with a German message that says why.
func Check(u *domain.User, a Action, r Resource, now time.Time) error {
	if u == nil {
		return domain.Errorf(domain.EUNAUTHORIZED, "Bitte melden Sie sich an.").WithReason(domain.ReasonLoginRequired)
	}
	if u.Disabled {
		return domain.Errorf(domain.EFORBIDDEN, "Ihr Konto ist deaktiviert.").WithReason(domain.ReasonAccountDisabled)
	}
	rule, ok := rules[a]
	if !ok {
		return deny("Diese Aktion ist nicht vorgesehen.")
	}
	return rule(u, r, now)
}

// Allowed is Check as a boolean, for deciding what to show.
func Allowed(u *domain.User, a Action, r Resource, now time.Time) bool {
	return Check(u, a, r, now) == nil
}

func deny(msg string) error { return domain.Errorf(domain.EFORBIDDEN, "%s", msg) }

// denyFor is deny with a reason code the browser can translate.
func denyFor(reason, msg string) error {
	return domain.Errorf(domain.EFORBIDDEN, "%s", msg).WithReason(reason)
}

// locked is the ELOCKED error for a final section.
func locked(msg string) error {
	return domain.Errorf(domain.ELOCKED, "%s", msg).WithReason(domain.ReasonSectionLocked)
}

var rules = map[Action]func(*domain.User, Resource, time.Time) error{
	ReadStrategy:    readStrategy,
	ReadSection:     readSection,
	EditSection:     editSection,
	Comment:         comment,
	Propose:         propose,
	ResolveThread:   resolveThread,
	HideComment:     staffOnly(domain.RoleModerator),
	ChangePhase:     staffOnly(domain.RoleModerator, domain.RoleAdmin),
	SubmitStatement: submitStatement,
	ManageUsers:     staffOnly(domain.RoleAdmin),
	// The administration builds the structure (domain.RoleAdmin); the
	// moderation runs phases within it.
	ManageStructure: adminOnly,
}

// adminOnly allows administrators and says so when it refuses.
func adminOnly(u *domain.User, _ Resource, _ time.Time) error {
	if u.HasRole(domain.RoleAdmin) {
		return nil
	}
	return denyFor(domain.ReasonAdminOnly, "Diese Aktion ist der Administration vorbehalten.")
}

// isStaff reports whether u runs the platform (moderator or admin).
func isStaff(u *domain.User) bool {
	return u.HasRole(domain.RoleModerator) || u.HasRole(domain.RoleAdmin)
}

func staffOnly(roles ...domain.Role) func(*domain.User, Resource, time.Time) error {
	return func(u *domain.User, _ Resource, _ time.Time) error {
		for _, r := range roles {
			if u.HasRole(r) {
				return nil
			}
		}
		return denyFor(domain.ReasonStaffOnly, "Diese Aktion ist der Moderation oder Administration vorbehalten.")
	}
}

func phaseOf(r Resource) domain.PhaseKind {
	if r.Strategy == nil || r.Strategy.CurrentPhase == nil {
		return domain.PhaseEntwurf
	}
	return r.Strategy.CurrentPhase.Kind
}

// sponsors reports whether u is Themenpate of r's section's topic.
func sponsors(u *domain.User, r Resource) bool {
	return r.Section != nil && r.Section.TopicID != nil && u.SponsorsTopic(*r.Section.TopicID)
}

func readStrategy(u *domain.User, r Resource, _ time.Time) error {
	if r.Strategy == nil {
		return deny("Unbekannte Strategie.")
	}
	return nil // every active account may see the structure and phases
}

// readSection: drafts (phase entwurf) are for Themenpaten and staff only.
func readSection(u *domain.User, r Resource, _ time.Time) error {
	if r.Section == nil {
		return deny("Unbekannter Abschnitt.")
	}
	if isStaff(u) || u.HasRole(domain.RoleThemenpate) {
		return nil
	}
	if phaseOf(r) == domain.PhaseEntwurf {
		return deny("Entwürfe sind bis zur Beteiligung nur für Themenpaten und Moderation sichtbar.")
	}
	if u.HasRole(domain.RoleLand) || u.HasRole(domain.RoleReader) || u.HasRole(domain.RoleStimmberechtigt) {
		return nil
	}
	return deny("Sie haben keine Leseberechtigung.")
}

// NotArchived refuses changes to a section taken out of the structure:
// ELOCKED with reason section_archived.
func NotArchived(s *domain.Section) error {
	if s.Archived() {
		return domain.Errorf(domain.ELOCKED, "%s", "Der Abschnitt ist archiviert; er kann nur noch gelesen werden.").
			WithReason(domain.ReasonSectionArchived)
	}
	return nil
}

func editSection(u *domain.User, r Resource, _ time.Time) error {
	s := r.Section
	if s == nil {
		return deny("Unbekannter Abschnitt.")
	}
	if err := NotArchived(s); err != nil {
		return err
	}
	if !isStaff(u) && !sponsors(u, r) {
		return denyFor(domain.ReasonNotSponsor, "Nur die Themenpaten dieses Schwerpunktthemas dürfen den Abschnitt bearbeiten.")
	}
	switch s.Status {
	case domain.SectionDraft:
		return nil
	case domain.SectionConsultation:
		if r.Strategy != nil && r.Strategy.EditDuringConsultation {
			return nil
		}
		return denyFor(domain.ReasonPhaseClosed, "Während der Beteiligung ist der Abschnitt nicht bearbeitbar.")
	case domain.SectionFinal:
		return locked("Der Abschnitt ist beschlossen und kann nicht mehr geändert werden.")
	}
	return deny("Unbekannter Status des Abschnitts.")
}

// consultationOpen is the window in which participants may contribute.
func consultationOpen(r Resource, now time.Time) error {
	if r.Strategy == nil || r.Strategy.CurrentPhase == nil || r.Strategy.CurrentPhase.Kind != domain.PhaseBeteiligung {
		return denyFor(domain.ReasonPhaseClosed, "Beiträge sind nur während einer Beteiligungsphase möglich.")
	}
	p := r.Strategy.CurrentPhase
	if p.OpensAt != nil && now.Before(*p.OpensAt) {
		return denyFor(domain.ReasonNotYetOpen, "Die Beteiligung beginnt am "+berlin(*p.OpensAt)+".")
	}
	if p.Closed(now) {
		return roundClosedError(p)
	}
	return nil
}

func roundClosedError(p *domain.Phase) error {
	return denyFor(domain.ReasonRoundClosed, "Die Beteiligungsfrist endete am "+berlin(*p.ClosesAt)+".")
}

// roundUnchanged refuses every change to a consultation round after its
// deadline, whoever asks: nothing new while the current beteiligung is past
// closes_at, and nothing in a thread whose round has closed or was
// followed by another phase. Contributions outside the current round's
// scope are refused too.
func roundUnchanged(r Resource, now time.Time) error {
	if cur := currentRound(r); cur != nil {
		if cur.Closed(now) {
			return roundClosedError(cur)
		}
		if r.Section != nil && !cur.InScope(r.Section.ID) {
			return denyFor(domain.ReasonNotInRound, "Dieser Abschnitt gehört nicht zur laufenden Beteiligungsrunde.")
		}
	}
	if rd := r.Round; rd != nil {
		if rd.Closed(now) {
			return roundClosedError(rd)
		}
		if cur := currentRound(r); cur == nil || cur.ID != rd.ID {
			return denyFor(domain.ReasonRoundClosed, "Die Beteiligungsrunde dieser Diskussion ist beendet; ihre Beiträge sind abgeschlossen.")
		}
	}
	return nil
}

// currentRound is the strategy's current phase if it is a beteiligung.
func currentRound(r Resource) *domain.Phase {
	if r.Strategy == nil || r.Strategy.CurrentPhase == nil || r.Strategy.CurrentPhase.Kind != domain.PhaseBeteiligung {
		return nil
	}
	return r.Strategy.CurrentPhase
}

// comment: staff always (but not on adopted strategies); Themenpaten on any
// section until the strategy is adopted; participants only inside the
// consultation window.
func comment(u *domain.User, r Resource, now time.Time) error {
	if err := readSection(u, r, now); err != nil {
		return err
	}
	if phaseOf(r) == domain.PhaseBeschlossen {
		return denyFor(domain.ReasonAdopted, "Die Strategie ist beschlossen; Beiträge sind nicht mehr möglich.")
	}
	if r.Section.Status == domain.SectionFinal {
		return locked("Der Abschnitt ist beschlossen; Beiträge sind nicht mehr möglich.")
	}
	if err := NotArchived(r.Section); err != nil {
		return err
	}
	if err := roundUnchanged(r, now); err != nil {
		return err
	}
	if isStaff(u) || u.HasRole(domain.RoleThemenpate) {
		return nil
	}
	if u.HasRole(domain.RoleLand) {
		return consultationOpen(r, now)
	}
	return denyFor(domain.ReasonReadOnly, "Mit Ihrer Rolle können Sie nur lesen.")
}

// propose: as comment (which already refuses final sections).
func propose(u *domain.User, r Resource, now time.Time) error {
	return comment(u, r, now)
}

func resolveThread(u *domain.User, r Resource, _ time.Time) error {
	if u.HasRole(domain.RoleModerator) || sponsors(u, r) {
		return nil
	}
	return deny("Nur Moderation und die Themenpaten des Themas können Diskussionen abschließen.")
}

func submitStatement(u *domain.User, r Resource, now time.Time) error {
	if !u.HasRole(domain.RoleLand) {
		return denyFor(domain.ReasonNotParticipant, "Stellungnahmen geben Beteiligte für ihre Organisation ab.")
	}
	if r.OrgID != u.OrgID {
		return denyFor(domain.ReasonOtherOrg, "Sie können nur für Ihre eigene Organisation Stellung nehmen.")
	}
	return consultationOpen(r, now)
}

var berlinLoc = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()

// berlin formats t as Germans read a deadline.
func berlin(t time.Time) string {
	return t.In(berlinLoc).Format("02.01.2006 um 15:04 Uhr")
}
