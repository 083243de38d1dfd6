package beschluss

import (
	"context"
	"fmt"
	"strings"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// Ballot is a vote as submitted: for which member organisation, which
// answer, and an optional Protokollerklärung.
type Ballot struct {
	Org         string
	Vote        Vote
	Declaration string
}

func (b *Ballot) validate() error {
	b.Org = strings.TrimSpace(b.Org)
	if !IsMember(b.Org) {
		return domain.Invalid("org", "Stimmberechtigt sind nur der Bund und die 16 Länder.")
	}
	if !b.Vote.Valid() {
		return domain.Invalid("vote", "Unbekannte Stimme: erlaubt sind zustimmung, ablehnung und enthaltung.")
	}
	d, err := domain.Body("declaration", strings.TrimSpace(b.Declaration), MaxDeclarationLen, false)
	b.Declaration = d
	return err
}

// Vote casts or replaces the vote of u's organisation in an
// Umlaufverfahren. EINVALID for bad input, EFORBIDDEN unless u is a voting
// member voting for its own organisation, ELOCKED once the deadline has
// passed (at the deadline itself, too) or the outcome is determined.
func (s *Service) Vote(ctx context.Context, u *domain.User, id int64, in Ballot) (*View, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	org, err := s.d.Strategies.FindOrganisationByCode(ctx, in.Org)
	if err != nil {
		return nil, err
	}
	if err := policy.Check(u, policy.CastVote, policy.Resource{OrgID: org.ID}, s.now()); err != nil {
		s.audit(ctx, u, "denied", target(id), string(policy.CastVote))
		return nil, err
	}
	return s.cast(ctx, u, id, in, false)
}

// Record enters a member's vote as recorded in a session (Sitzung). Only
// moderators; ELOCKED once the vote is closed.
func (s *Service) Record(ctx context.Context, u *domain.User, id int64, in Ballot) (*View, error) {
	if err := policy.Check(u, policy.ManageBeschluss, policy.Resource{}, s.now()); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	return s.cast(ctx, u, id, in, true)
}

func (s *Service) cast(ctx context.Context, u *domain.User, id int64, in Ballot, recorded bool) (*View, error) {
	keys, err := s.d.Store.FindKeys(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	expired := false
	b, err := s.d.Store.UpdateBeschluss(ctx, id, now, func(b *Beschluss) (*VoteRecord, Outcome, error) {
		if b.Deadline != nil && !now.Before(*b.Deadline) {
			expired = true
			return nil, Offen, domain.Errorf(domain.ELOCKED, "Die Frist dieses Umlaufverfahrens ist abgelaufen; Stimmen können nicht mehr abgegeben oder geändert werden.").
				WithReason(domain.ReasonDeadlinePassed)
		}
		if err := open(b); err != nil {
			return nil, Offen, err
		}
		if recorded != (b.Procedure == Sitzung) {
			if recorded {
				return nil, Offen, domain.Errorf(domain.ECONFLICT, "Im Umlaufverfahren stimmen die Mitglieder selbst ab.")
			}
			return nil, Offen, domain.Errorf(domain.ECONFLICT, "In einer Sitzung trägt die Moderation die Stimmen ein.")
		}
		uid := u.ID
		v := &VoteRecord{OrgCode: in.Org, Vote: in.Vote, Declaration: in.Declaration, CastBy: &uid, Recorded: recorded, CastAt: now}
		votes := votesOf(b)
		votes[in.Org] = in.Vote
		r, err := evaluate(b, keys, votes, false)
		if err != nil || !r.Determined {
			return v, Offen, err
		}
		return v, r.Outcome, nil
	})
	if expired {
		s.settle(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	s.audit(ctx, u, "vote_cast", target(id), in.Org)
	s.changed(b, "voted")
	s.decided(ctx, b)
	return s.view(ctx, u, b)
}

// ReasonDecided is the reason for refusing a vote on a decided Vorlage.
const ReasonDecided = "decided"

// open refuses a Vorlage that is decided.
func open(b *Beschluss) error {
	if b.Outcome != Offen {
		return domain.Errorf(domain.ELOCKED, "Über diese Vorlage ist bereits entschieden.").WithReason(ReasonDecided)
	}
	return nil
}

// decided audits and announces a decision that b now carries.
func (s *Service) decided(ctx context.Context, b *Beschluss) {
	if b.Outcome == Offen {
		return
	}
	detail := string(b.Outcome)
	if n := b.Number(); n != "" {
		detail = "Beschluss " + n
	}
	s.audit(ctx, nil, "beschluss_decided", target(b.ID), detail)
	s.changed(b, "decided")
}

// Close ends the vote of a session, or of an Umlaufverfahren whose deadline
// has passed, and records the outcome. Only moderators.
func (s *Service) Close(ctx context.Context, u *domain.User, id int64) (*View, error) {
	if err := policy.Check(u, policy.ManageBeschluss, policy.Resource{}, s.now()); err != nil {
		return nil, err
	}
	keys, err := s.d.Store.FindKeys(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	b, err := s.d.Store.UpdateBeschluss(ctx, id, now, func(b *Beschluss) (*VoteRecord, Outcome, error) {
		if err := open(b); err != nil {
			return nil, Offen, err
		}
		if b.Deadline != nil && now.Before(*b.Deadline) {
			return nil, Offen, domain.Errorf(domain.ECONFLICT, "Das Umlaufverfahren läuft bis zu seiner Frist; es kann nicht vorher geschlossen werden.")
		}
		r, err := evaluate(b, keys, votesOf(b), true)
		return nil, r.Outcome, err
	})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, u, "beschluss_closed", target(id), "")
	s.decided(ctx, b)
	return s.view(ctx, u, b)
}

// SettleDue records the outcome of every Umlaufverfahren whose deadline has
// passed, so that the result reaches every open page at the deadline and
// not only when somebody next reads the Vorlage. Instances may run it at
// the same time: the Vorlage's lock lets one of them decide it.
func (s *Service) SettleDue(ctx context.Context) error {
	ids, err := s.d.Store.FindDueBeschluesse(ctx, s.now())
	if err != nil {
		return err
	}
	for _, id := range ids {
		s.settle(ctx, id)
	}
	return nil
}

// settle records the outcome of an Umlaufverfahren whose deadline has
// passed, if nobody has yet. Failures are logged: the next read retries.
func (s *Service) settle(ctx context.Context, id int64) *Beschluss {
	keys, err := s.d.Store.FindKeys(ctx)
	if err != nil {
		s.log.Error("settling an expired Umlaufverfahren failed", "beschluss", id, "err", err)
		return nil
	}
	now := s.now()
	settled := false
	b, err := s.d.Store.UpdateBeschluss(ctx, id, now, func(b *Beschluss) (*VoteRecord, Outcome, error) {
		if b.Outcome != Offen || b.Deadline == nil || now.Before(*b.Deadline) {
			return nil, Offen, nil
		}
		r, err := evaluate(b, keys, votesOf(b), true)
		settled = err == nil
		return nil, r.Outcome, err
	})
	if err != nil {
		s.log.Error("settling an expired Umlaufverfahren failed", "beschluss", id, "err", err)
		return nil
	}
	if settled {
		s.decided(ctx, b)
	}
	return b
}

func votesOf(b *Beschluss) map[string]Vote {
	out := map[string]Vote{}
	for _, v := range b.Votes {
		out[v.OrgCode] = v.Vote
	}
	return out
}

// evaluate applies b's rule to votes with the Königsteiner tables keys
// (read before any transaction, so that a locked Vorlage never waits for a
// second connection).
func evaluate(b *Beschluss, keys []*Key, votes map[string]Vote, closed bool) (Result, error) {
	p := Params{Rule: b.Rule, AbstentionBlocks: b.AbstentionBlocks, OnlyAgreeing: b.OnlyAgreeing}
	if b.Rule == Rechtsverbindlich {
		for _, k := range keys {
			if b.KeyYear != nil && k.Year == *b.KeyYear {
				p.Shares = k.Shares
			}
		}
	}
	r, err := Evaluate(p, votes, closed)
	if err != nil {
		return Result{}, fmt.Errorf("evaluate beschluss %d: %w", b.ID, err)
	}
	return r, nil
}
