package policy

import (
	"errors"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// TestAbwaegungPolicyTable covers Mitzeichnung and the Abwägung: who
// co-signs what until when, who assesses, splits statements, publishes and
// reads drafts.
func TestAbwaegungPolicyTable(t *testing.T) {
	round := &domain.Phase{ID: 1, Kind: domain.PhaseBeteiligung, OpensAt: &opens, ClosesAt: &closes}
	inRound := &domain.Strategy{ID: 1, CurrentPhase: round, Phases: []*domain.Phase{round}}
	auswertungPhase := &domain.Phase{ID: 2, Kind: domain.PhaseAuswertung}
	after := &domain.Strategy{ID: 1, CurrentPhase: auswertungPhase, Phases: []*domain.Phase{round, auswertungPhase}}
	beschlossen := strategy(domain.PhaseBeschlossen, false)
	secX := section(&topicX, domain.SectionConsultation)
	secY := section(&topicY, domain.SectionConsultation)
	heThread := Resource{Strategy: inRound, Section: secX, Round: round, OrgID: orgHE}
	withAt := func(r Resource, s *domain.Strategy) Resource { r.Strategy = s; return r }
	stimm := user([]domain.Role{domain.RoleStimmberechtigt}, orgBY)
	for _, c := range []struct {
		name   string
		u      *domain.User
		a      Action
		r      Resource
		at     time.Time
		code   string // "" means allowed
		reason string
	}{
		{"land cosigns another org's thread", land, Cosign, heThread, now, "", ""},
		{"land cosigns one second before the deadline", land, Cosign, heThread, closes.Add(-time.Second), "", ""},
		{"land does not cosign at the deadline", land, Cosign, heThread, closes, domain.EFORBIDDEN, domain.ReasonRoundClosed},
		{"land does not cosign one second after", land, Cosign, heThread, closes.Add(time.Second), domain.EFORBIDDEN, domain.ReasonRoundClosed},
		{"land does not cosign its own org's thread", land, Cosign, Resource{Strategy: inRound, Section: secX, Round: round, OrgID: orgBY}, now, domain.EFORBIDDEN, domain.ReasonOwnContribution},
		{"land does not cosign after the round", land, Cosign, withAt(heThread, after), now, domain.EFORBIDDEN, domain.ReasonRoundClosed},
		{"land does not cosign a thread outside rounds", land, Cosign, Resource{Strategy: inRound, Section: secX, OrgID: orgHE}, now, domain.EFORBIDDEN, domain.ReasonPhaseClosed},
		{"moderator does not cosign", moderator, Cosign, heThread, now, domain.EFORBIDDEN, domain.ReasonNotParticipant},
		{"pate does not cosign", pateX, Cosign, Resource{Strategy: inRound, Section: secX, Round: round, OrgID: orgBY}, now, domain.EFORBIDDEN, domain.ReasonNotParticipant},
		{"reader does not cosign", reader, Cosign, heThread, now, domain.EFORBIDDEN, domain.ReasonNotParticipant},

		{"pate assesses own topic", pateX, Assess, Resource{Strategy: after, Section: secX}, now, "", ""},
		{"pate assesses during the round", pateX, Assess, Resource{Strategy: inRound, Section: secX}, now, "", ""},
		{"pate does not assess other topic", pateX, Assess, Resource{Strategy: after, Section: secY}, now, domain.EFORBIDDEN, domain.ReasonNotSponsor},
		{"pate does not assess a point without section", pateX, Assess, Resource{Strategy: after}, now, domain.EFORBIDDEN, domain.ReasonNotSponsor},
		{"moderator assesses a point without section", moderator, Assess, Resource{Strategy: after}, now, "", ""},
		{"land does not assess", land, Assess, Resource{Strategy: after, Section: secX}, now, domain.EFORBIDDEN, domain.ReasonNotSponsor},
		{"admin does not assess", admin, Assess, Resource{Strategy: after, Section: secX}, now, domain.EFORBIDDEN, domain.ReasonNotSponsor},
		{"no assessment once adopted", moderator, Assess, Resource{Strategy: beschlossen, Section: secX}, now, domain.EFORBIDDEN, domain.ReasonAdopted},

		{"pate splits statements", pateX, SplitStatement, Resource{Strategy: after}, now, "", ""},
		{"moderator splits statements", moderator, SplitStatement, Resource{Strategy: after}, now, "", ""},
		{"land does not split statements", land, SplitStatement, Resource{Strategy: after}, now, domain.EFORBIDDEN, domain.ReasonNotSponsor},
		{"no splitting once adopted", pateX, SplitStatement, Resource{Strategy: beschlossen}, now, domain.EFORBIDDEN, domain.ReasonAdopted},

		{"moderator publishes", moderator, PublishAbwaegung, Resource{Strategy: after}, now, "", ""},
		{"pate does not publish", pateX, PublishAbwaegung, Resource{Strategy: after}, now, domain.EFORBIDDEN, domain.ReasonStaffOnly},
		{"admin does not publish", admin, PublishAbwaegung, Resource{Strategy: after}, now, domain.EFORBIDDEN, domain.ReasonStaffOnly},

		{"land views the table", land, ViewAbwaegung, Resource{Strategy: after}, now, "", ""},
		{"reader views the table", reader, ViewAbwaegung, Resource{Strategy: after}, now, "", ""},
		{"stimmberechtigt views the table", stimm, ViewAbwaegung, Resource{Strategy: after}, now, "", ""},
		{"no table without strategy", land, ViewAbwaegung, Resource{}, now, domain.EFORBIDDEN, ""},

		{"pate reads drafts", pateX, ViewAssessDrafts, Resource{Strategy: after}, now, "", ""},
		{"moderator reads drafts", moderator, ViewAssessDrafts, Resource{Strategy: after}, now, "", ""},
		{"admin reads drafts", admin, ViewAssessDrafts, Resource{Strategy: after}, now, "", ""},
		{"land does not read drafts", land, ViewAssessDrafts, Resource{Strategy: after}, now, domain.EFORBIDDEN, ""},
		{"reader does not read drafts", reader, ViewAssessDrafts, Resource{Strategy: after}, now, domain.EFORBIDDEN, ""},
		{"disabled account reads nothing", disabled, ViewAssessDrafts, Resource{Strategy: after}, now, domain.EFORBIDDEN, domain.ReasonAccountDisabled},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := Check(c.u, c.a, c.r, c.at)
			if got := domain.ErrorCode(err); got != c.code {
				t.Fatalf("Check = %q (%v), want %q", got, err, c.code)
			}
			if c.reason != "" {
				var e *domain.Error
				if !errors.As(err, &e) || e.Reason != c.reason {
					t.Fatalf("reason of %v, want %q", err, c.reason)
				}
			}
		})
	}
}
