package policy

import (
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Beschluss actions.
const (
	ReadBeschluss   Action = "read_beschluss"   // list and read Vorlagen, tallies and results
	ManageBeschluss Action = "manage_beschluss" // create a Vorlage, enter a session's votes, close a vote
	CastVote        Action = "cast_vote"        // vote on a Vorlage for one's own organisation (Resource.OrgID)
	ManageKey       Action = "manage_key"       // edit the Königsteiner Schlüssel
)

// ReasonNotVoter is the reason for a vote by an account that does not hold
// the role stimmberechtigt of a voting member (Bund or Land).
const ReasonNotVoter = "not_voter"

func init() {
	rules[ReadBeschluss] = readBeschluss
	rules[ManageBeschluss] = staffOnly(domain.RoleModerator)
	rules[CastVote] = castVote
	rules[ManageKey] = staffOnly(domain.RoleAdmin)
}

// readBeschluss: decisions of the IT-Planungsrat are published; every
// account with a role may follow them.
func readBeschluss(u *domain.User, _ Resource, _ time.Time) error {
	if len(u.Roles) == 0 {
		return deny("Sie haben keine Leseberechtigung.")
	}
	return nil
}

// castVote: an account with the role stimmberechtigt of the Bund or a Land
// votes for its own organisation only; deputies hold the same role, and
// one vote counts per organisation.
func castVote(u *domain.User, r Resource, _ time.Time) error {
	if !u.HasRole(domain.RoleStimmberechtigt) || (u.Org.Kind != domain.OrgBund && u.Org.Kind != domain.OrgLand) {
		return denyFor(ReasonNotVoter, "Abstimmen dürfen nur die stimmberechtigten Mitglieder des IT-Planungsrats (Bund und Länder).")
	}
	if r.OrgID == 0 || r.OrgID != u.OrgID {
		return denyFor(domain.ReasonOtherOrg, "Sie können nur für Ihre eigene Organisation abstimmen.")
	}
	return nil
}
