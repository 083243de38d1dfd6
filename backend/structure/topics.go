package structure

import (
	"context"
	"fmt"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// TopicChanges describe a Schwerpunktthema to create or the changes to
// one; nil fields stay. Sponsors are organisation codes (BUND, HE, …): the
// sponsoring organisations whose Themenpaten edit the topic's sections.
type TopicChanges struct {
	Title    *string
	Position *int
	Sponsors *[]string
}

// CreateTopic adds a Schwerpunktthema to strategy strategyID (appended
// unless a position is given). ENOTFOUND for the strategy; EINVALID on
// title (required), position or sponsors (an unknown code).
func (s *Service) CreateTopic(ctx context.Context, actor *domain.User, strategyID int64, in TopicChanges) (*domain.Topic, error) {
	now := s.now()
	st, err := s.strategy(ctx, actor, strategyID, now)
	if err != nil {
		return nil, err
	}
	if in.Title == nil {
		return nil, domain.Invalid("title", "Darf nicht leer sein.")
	}
	upd, err := s.topicUpdate(ctx, in)
	if err != nil {
		return nil, err
	}
	t := &domain.Topic{StrategyID: st.ID, Title: *upd.Title}
	if upd.Position != nil {
		t.Position = *upd.Position
	}
	if upd.SponsorIDs != nil {
		for _, id := range *upd.SponsorIDs {
			t.Sponsors = append(t.Sponsors, domain.Organisation{ID: id})
		}
	}
	if err := s.d.Strategies.CreateTopic(ctx, t); err != nil {
		return nil, err
	}
	s.audit(ctx, actor, now, fmt.Sprintf("topic:%d", t.ID), "Schwerpunktthema angelegt")
	return s.d.Strategies.FindTopicByID(ctx, t.ID)
}

// UpdateTopic renames, moves or changes the sponsors of a topic.
// ENOTFOUND; EINVALID on the fields.
func (s *Service) UpdateTopic(ctx context.Context, actor *domain.User, id int64, ch TopicChanges) (*domain.Topic, error) {
	now := s.now()
	t, err := s.topic(ctx, actor, id, now)
	if err != nil {
		return nil, err
	}
	upd, err := s.topicUpdate(ctx, ch)
	if err != nil {
		return nil, err
	}
	out, err := s.d.Strategies.UpdateTopic(ctx, t.ID, upd)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, actor, now, fmt.Sprintf("topic:%d", t.ID), "Schwerpunktthema geändert")
	return out, nil
}

// DeleteTopic removes a topic; its sections stay, without a topic.
// ENOTFOUND.
func (s *Service) DeleteTopic(ctx context.Context, actor *domain.User, id int64) error {
	now := s.now()
	t, err := s.topic(ctx, actor, id, now)
	if err != nil {
		return err
	}
	if err := s.d.Strategies.DeleteTopic(ctx, t.ID); err != nil {
		return err
	}
	s.audit(ctx, actor, now, fmt.Sprintf("topic:%d", t.ID), "Schwerpunktthema gelöscht")
	return nil
}

// topic loads a topic and checks that actor may change its strategy.
func (s *Service) topic(ctx context.Context, actor *domain.User, id int64, now time.Time) (*domain.Topic, error) {
	if err := authenticated(actor); err != nil {
		return nil, err
	}
	t, err := s.d.Strategies.FindTopicByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.strategy(ctx, actor, t.StrategyID, now); err != nil {
		return nil, err
	}
	return t, nil
}

// topicUpdate validates ch and resolves the sponsor codes.
func (s *Service) topicUpdate(ctx context.Context, ch TopicChanges) (domain.TopicUpdate, error) {
	var upd domain.TopicUpdate
	var err error
	if upd.Title, err = optional(ch.Title, func(v string) (string, error) { return domain.Line("title", v, MaxTitleLen) }); err != nil {
		return upd, err
	}
	if ch.Position != nil {
		if *ch.Position < 1 || *ch.Position > MaxSections {
			return upd, domain.Invalid("position", "Erwartet wird eine Position zwischen 1 und 10000.")
		}
		upd.Position = ch.Position
	}
	if ch.Sponsors != nil {
		if len(*ch.Sponsors) > MaxSponsors {
			return upd, domain.Invalid("sponsors", "Zu viele Organisationen.")
		}
		ids := []int64{}
		for _, code := range *ch.Sponsors {
			o, err := s.d.Strategies.FindOrganisationByCode(ctx, code)
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return upd, domain.Invalid("sponsors", fmt.Sprintf("Unbekannte Organisation „%s“.", shorten(code, 20)))
			} else if err != nil {
				return upd, err
			}
			ids = append(ids, o.ID)
		}
		upd.SponsorIDs = &ids
	}
	return upd, nil
}

// shorten cuts s to at most n code points, for quoting input in messages.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
