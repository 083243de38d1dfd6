package policy

import (
	"errors"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// TestRoundRules: a round's scope bounds new contributions, a thread of a
// round followed by another phase takes no more replies or edits, and the
// deadline is exact to the instant.
func TestRoundRules(t *testing.T) {
	now := opens.Add(time.Hour)
	first := &domain.Phase{ID: 1, Kind: domain.PhaseBeteiligung, OpensAt: &opens, ClosesAt: &closes}
	second := &domain.Phase{ID: 2, Kind: domain.PhaseBeteiligung, OpensAt: &opens, ClosesAt: &closes, SectionIDs: []int64{7}}
	inFirst := &domain.Strategy{ID: 1, CurrentPhase: first, Phases: []*domain.Phase{first}}
	inSecond := &domain.Strategy{ID: 1, CurrentPhase: second, Phases: []*domain.Phase{first, second}}
	sec := section(&topicX, domain.SectionConsultation) // id 1, outside the second round's scope
	scoped := &domain.Section{ID: 7, StrategyID: 1, TopicID: &topicX, Status: domain.SectionConsultation}
	for _, c := range []struct {
		name   string
		u      *domain.User
		a      Action
		r      Resource
		at     time.Time
		reason string // "" means allowed
	}{
		{"land in scope", land, Comment, Resource{Strategy: inSecond, Section: scoped}, now, ""},
		{"land outside scope", land, Comment, Resource{Strategy: inSecond, Section: sec}, now, domain.ReasonNotInRound},
		{"moderator outside scope", moderator, Comment, Resource{Strategy: inSecond, Section: sec}, now, domain.ReasonNotInRound},
		{"reply in the current round", land, Comment, Resource{Strategy: inFirst, Section: sec, Round: first}, now, ""},
		{"reply in a finished round", pateX, Comment, Resource{Strategy: inSecond, Section: scoped, Round: first}, now, domain.ReasonRoundClosed},
		{"edit in a finished round", land, EditComment, Resource{Strategy: inSecond, Round: first, AuthorID: land.ID, WrittenAt: now}, now.Add(time.Minute), domain.ReasonRoundClosed},
		{"last instant", moderator, Comment, Resource{Strategy: inFirst, Section: sec, Round: first}, closes.Add(-time.Nanosecond), ""},
		{"deadline", moderator, Comment, Resource{Strategy: inFirst, Section: sec, Round: first}, closes, domain.ReasonRoundClosed},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := Check(c.u, c.a, c.r, c.at)
			if c.reason == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var e *domain.Error
			if err == nil || !errors.As(err, &e) || e.Reason != c.reason {
				t.Fatalf("Check = %v, want reason %q", err, c.reason)
			}
		})
	}
}
