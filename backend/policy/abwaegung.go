package policy

import (
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Actions of the Auswertung: the Abwägung and Mitzeichnungen.
const (
	Cosign           Action = "cosign"             // join (or withdraw from) another organisation's thread
	Assess           Action = "assess"             // record the assessment of a contribution
	SplitStatement   Action = "split_statement"    // define the points a statement is assessed by
	PublishAbwaegung Action = "publish_abwaegung"  // publish a round's Abwägung to the participants
	ViewAbwaegung    Action = "view_abwaegung"     // read the Abwägungstabelle (assessments once published)
	ViewAssessDrafts Action = "view_assess_drafts" // read assessments before they are published
)

func init() {
	rules[Cosign] = cosign
	rules[Assess] = assess
	rules[SplitStatement] = splitStatement
	rules[PublishAbwaegung] = staffOnly(domain.RoleModerator)
	rules[ViewAbwaegung] = viewAbwaegung
	rules[ViewAssessDrafts] = draftingSide
}

// cosign: a participant (role land) joins a thread of another organisation
// (r.OrgID) for its own organisation, only while the thread's round is
// open; the same holds for withdrawing.
func cosign(u *domain.User, r Resource, now time.Time) error {
	if !u.HasRole(domain.RoleLand) {
		return denyFor(domain.ReasonNotParticipant, "Mitzeichnen können nur Beteiligte für ihre Organisation.")
	}
	if r.OrgID == 0 || r.OrgID == u.OrgID {
		return denyFor(domain.ReasonOwnContribution, "Beiträge der eigenen Organisation können nicht mitgezeichnet werden.")
	}
	if err := readSection(u, r, now); err != nil {
		return err
	}
	if err := roundUnchanged(r, now); err != nil {
		return err
	}
	if r.Round == nil {
		return denyFor(domain.ReasonPhaseClosed, "Mitzeichnen ist nur bei Beiträgen einer Beteiligungsrunde möglich.")
	}
	return consultationOpen(r, now)
}

// assess: moderators, and the Themenpaten of the contribution's section;
// a statement point without a section only moderators. Never once the
// strategy is adopted.
func assess(u *domain.User, r Resource, _ time.Time) error {
	if !u.HasRole(domain.RoleModerator) && !sponsors(u, r) {
		return denyFor(domain.ReasonNotSponsor, "Nur Moderation und die Themenpaten des Themas bewerten Beiträge.")
	}
	if phaseOf(r) == domain.PhaseBeschlossen {
		return denyFor(domain.ReasonAdopted, "Die Strategie ist beschlossen; die Abwägung ist abgeschlossen.")
	}
	return nil
}

// splitStatement: moderators and Themenpaten, until the strategy is adopted.
func splitStatement(u *domain.User, r Resource, _ time.Time) error {
	if !u.HasRole(domain.RoleModerator) && !u.HasRole(domain.RoleThemenpate) {
		return denyFor(domain.ReasonNotSponsor, "Nur Moderation und Themenpaten gliedern Stellungnahmen in Punkte.")
	}
	if phaseOf(r) == domain.PhaseBeschlossen {
		return denyFor(domain.ReasonAdopted, "Die Strategie ist beschlossen; die Abwägung ist abgeschlossen.")
	}
	return nil
}

// draftingSide: moderators, administrators and Themenpaten see assessments
// before they are published.
func draftingSide(u *domain.User, _ Resource, _ time.Time) error {
	if isStaff(u) || u.HasRole(domain.RoleThemenpate) {
		return nil
	}
	return deny("Die Abwägung ist noch nicht veröffentlicht.")
}

// viewAbwaegung: everyone who takes part or reads, once there was a round.
func viewAbwaegung(u *domain.User, r Resource, now time.Time) error {
	if err := readStrategy(u, r, now); err != nil {
		return err
	}
	if isStaff(u) || u.HasRole(domain.RoleThemenpate) || u.HasRole(domain.RoleLand) || u.HasRole(domain.RoleReader) || u.HasRole(domain.RoleStimmberechtigt) {
		return nil
	}
	return deny("Sie haben keine Leseberechtigung.")
}
