package structure

import (
	"context"
	"fmt"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// Sections lists the sections of strategy st that actor may read, in
// order, without archived ones: they have left the table of contents.
func (s *Service) Sections(ctx context.Context, actor *domain.User, st *domain.Strategy) ([]*domain.Section, error) {
	list, err := s.d.Strategies.FindSections(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]*domain.Section, 0, len(list))
	for _, sec := range list {
		if !sec.Archived() && (actor == Operator || policy.Allowed(actor, policy.ReadSection, policy.Resource{Strategy: st, Section: sec}, now)) {
			out = append(out, sec)
		}
	}
	return out, nil
}

// NewSection is what CreateSection needs.
type NewSection struct {
	Title   string
	Part    domain.Part
	TopicID *int64
}

// CreateSection appends an empty draft section to strategy strategyID.
// ENOTFOUND for the strategy; EINVALID on title, part or topic_id (a topic
// of another strategy); ETOOLARGE on title.
func (s *Service) CreateSection(ctx context.Context, actor *domain.User, strategyID int64, in NewSection) (*domain.Section, error) {
	now := s.now()
	st, err := s.strategy(ctx, actor, strategyID, now)
	if err != nil {
		return nil, err
	}
	title, err := domain.Line("title", in.Title, MaxSectionTitleLen)
	if err != nil {
		return nil, err
	}
	if err := validPart(in.Part); err != nil {
		return nil, err
	}
	if err := s.checkTopic(ctx, st.ID, in.TopicID); err != nil {
		return nil, err
	}
	sec := &domain.Section{StrategyID: st.ID, Title: title, TopicID: in.TopicID, Part: in.Part, Status: domain.SectionDraft}
	if err := s.d.Strategies.CreateSection(ctx, sec); err != nil {
		return nil, err
	}
	s.audit(ctx, actor, now, fmt.Sprintf("section:%d", sec.ID), "Abschnitt angelegt")
	return sec, nil
}

// SectionChanges are the changes UpdateSection applies; nil fields stay.
// TopicID set to a nil *int64 takes the section out of its topic.
type SectionChanges struct {
	Title   *string
	TopicID **int64
	Part    *domain.Part
	Status  *domain.SectionStatus
}

// UpdateSection renames a section, moves it to another topic or part, or
// sets its status, and returns it with its strategy. ENOTFOUND; ELOCKED
// (reason section_archived) for an archived section; EINVALID or ETOOLARGE
// on the fields.
func (s *Service) UpdateSection(ctx context.Context, actor *domain.User, id int64, ch SectionChanges) (*domain.Section, *domain.Strategy, error) {
	now := s.now()
	sec, st, err := s.section(ctx, actor, id, now)
	if err != nil {
		return nil, nil, err
	}
	if err := policy.NotArchived(sec); err != nil {
		return nil, nil, err
	}
	upd := domain.SectionUpdate{TopicID: ch.TopicID, Part: ch.Part, Status: ch.Status}
	if upd.Title, err = optional(ch.Title, func(v string) (string, error) { return domain.Line("title", v, MaxSectionTitleLen) }); err != nil {
		return nil, nil, err
	}
	if ch.Part != nil {
		if err := validPart(*ch.Part); err != nil {
			return nil, nil, err
		}
	}
	if ch.Status != nil && !ch.Status.Valid() {
		return nil, nil, domain.Invalid("status", "Erwartet: draft, consultation oder final.")
	}
	if ch.TopicID != nil {
		if err := s.checkTopic(ctx, st.ID, *ch.TopicID); err != nil {
			return nil, nil, err
		}
	}
	out, err := s.d.Strategies.UpdateSection(ctx, id, upd)
	if err != nil {
		return nil, nil, err
	}
	s.audit(ctx, actor, now, fmt.Sprintf("section:%d", id), "Abschnitt geändert")
	return out, st, nil
}

// ReorderSections puts the strategy's sections that are not archived in
// the order of ids (all of them, each once). ENOTFOUND; EINVALID on ids.
func (s *Service) ReorderSections(ctx context.Context, actor *domain.User, strategyID int64, ids []int64) error {
	now := s.now()
	st, err := s.strategy(ctx, actor, strategyID, now)
	if err != nil {
		return err
	}
	if len(ids) == 0 || len(ids) > MaxSections {
		return domain.Invalid("ids", "Erwartet wird die vollständige Liste der Abschnitts-IDs.")
	}
	if err := s.d.Strategies.ReorderSections(ctx, st.ID, ids); err != nil {
		return err
	}
	s.audit(ctx, actor, now, fmt.Sprintf("strategy:%d", st.ID), "Abschnitte umsortiert")
	return nil
}

// RemoveSection deletes a section nothing was contributed to. A section
// with contributions (threads, proposals, named versions, Beschluss texts,
// edits beyond its first operation) is archived instead and returned: it
// leaves the table of contents and the editor, and stays in reports and
// the history. Removing an archived section changes nothing. ENOTFOUND.
func (s *Service) RemoveSection(ctx context.Context, actor *domain.User, id int64) (archived *domain.Section, err error) {
	now := s.now()
	sec, _, err := s.section(ctx, actor, id, now)
	if err != nil {
		return nil, err
	}
	if sec.Archived() {
		return sec, nil
	}
	used, err := s.d.Strategies.DeleteSectionUnlessUsed(ctx, id)
	if err != nil {
		return nil, err
	}
	target := fmt.Sprintf("section:%d", id)
	if !used {
		s.audit(ctx, actor, now, target, "Abschnitt gelöscht")
		return nil, nil
	}
	out, err := s.d.Strategies.ArchiveSection(ctx, id, now)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, actor, now, target, "Abschnitt archiviert (mit Beiträgen)")
	return out, nil
}

// strategy loads a strategy and checks that actor may change it.
func (s *Service) strategy(ctx context.Context, actor *domain.User, id int64, now time.Time) (*domain.Strategy, error) {
	if err := authenticated(actor); err != nil {
		return nil, err
	}
	st, err := s.d.Strategies.FindStrategyByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.allow(actor, st, now); err != nil {
		return nil, err
	}
	return st, nil
}

// section loads a section with its strategy and checks that actor may
// change the strategy's structure.
func (s *Service) section(ctx context.Context, actor *domain.User, id int64, now time.Time) (*domain.Section, *domain.Strategy, error) {
	if err := authenticated(actor); err != nil {
		return nil, nil, err
	}
	sec, err := s.d.Strategies.FindSectionByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.strategy(ctx, actor, sec.StrategyID, now)
	if err != nil {
		return nil, nil, err
	}
	return sec, st, nil
}

// authenticated refuses a missing account before anything is looked up,
// so anonymous callers learn nothing about which ids exist.
func authenticated(actor *domain.User) error {
	if actor == nil {
		return policy.Check(nil, policy.ManageStructure, policy.Resource{}, time.Time{})
	}
	return nil
}

// Strategy returns strategy id with its topics and phases, for a caller
// allowed to change it. ENOTFOUND.
func (s *Service) Strategy(ctx context.Context, actor *domain.User, id int64) (*domain.Strategy, error) {
	return s.strategy(ctx, actor, id, s.now())
}

// checkTopic makes sure a topic id, if given, belongs to the strategy.
func (s *Service) checkTopic(ctx context.Context, strategyID int64, id *int64) error {
	if id == nil {
		return nil
	}
	t, err := s.d.Strategies.FindTopicByID(ctx, *id)
	if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && t.StrategyID != strategyID) {
		return domain.Invalid("topic_id", "Dieses Schwerpunktthema gibt es in der Strategie nicht.")
	}
	return err
}

func validPart(p domain.Part) error {
	if !p.Valid() {
		return domain.Invalid("part", "Erwartet: dachstrategie, schwerpunktthemen oder umsetzungsvorhaben.")
	}
	return nil
}
