package consult

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// The rules of the Abwägung, as decided for this product:
//   - A contribution is a thread of the round (its opening comment or
//     proposal; replies are the discussion about it) or a point of a
//     submitted statement. Threads the moderation hid are no contributions.
//   - Every category but "zur Kenntnis genommen" needs a reason.
//   - Until the moderation publishes a round's Abwägung, only the drafting
//     side (moderators, administrators, Themenpaten) sees assessments.
//   - After publication assessments may still be corrected: every change is
//     audited with the old and new category, shown at once, and the
//     author's organisation is notified. Refusing corrections would leave
//     an obvious error in the table handed to the IT-Planungsrat.

// AssessmentInput is what the drafting side records for a contribution.
type AssessmentInput struct {
	Category domain.Category `json:"category"`
	Reason   string          `json:"reason"`
	// Version is the section's version in which the contribution was taken
	// into account; optional.
	Version *int64 `json:"version"`
}

// PointInput defines a point of an organisation's newest submitted
// statement in the round: an excerpt of its text, optionally tied to a
// section.
type PointInput struct {
	OrgID     int64  `json:"org_id"`
	Excerpt   string `json:"excerpt"`
	SectionID *int64 `json:"section_id"`
}

// AssessThread records the assessment of thread id, a contribution to a
// round. Errors: ENOTFOUND, EFORBIDDEN, EINVALID (category, missing reason,
// version beyond the section's), ECONFLICT (no round's thread, hidden).
func (s *Service) AssessThread(ctx context.Context, u *domain.User, id int64, in AssessmentInput) (*domain.Assessment, error) {
	t, sec, st, err := s.threadContext(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.Assess, policy.Resource{Strategy: st, Section: sec}, threadTarget(t.ID)); err != nil {
		return nil, err
	}
	if t.PhaseID == nil {
		return nil, domain.Errorf(domain.ECONFLICT, "Diese Diskussion gehört zu keiner Beteiligungsrunde und wird nicht abgewogen.")
	}
	if t.Hidden {
		return nil, domain.Errorf(domain.ECONFLICT, "Der Beitrag wurde von der Moderation ausgeblendet.")
	}
	a, err := s.assessment(ctx, in, &sec.ID)
	if err != nil {
		return nil, err
	}
	a.PhaseID, a.ThreadID, a.UpdatedBy = *t.PhaseID, &t.ID, u.ID
	if err := s.saveAssessment(ctx, u, st, a, threadTarget(t.ID)); err != nil {
		return nil, err
	}
	s.threadChanged(t, "assessed")
	return a, nil
}

// AssessPoint records the assessment of statement point id of a round of
// strategyID. Errors as AssessThread.
func (s *Service) AssessPoint(ctx context.Context, u *domain.User, strategyID, id int64, in AssessmentInput) (*domain.Assessment, error) {
	st, _, pt, err := s.point(ctx, strategyID, id)
	if err != nil {
		return nil, err
	}
	r := policy.Resource{Strategy: st}
	if pt.SectionID != nil {
		if r.Section, err = s.d.Strategies.FindSectionMeta(ctx, *pt.SectionID); err != nil {
			return nil, err
		}
	}
	if err := s.check(ctx, u, policy.Assess, r, pointTarget(id)); err != nil {
		return nil, err
	}
	a, err := s.assessment(ctx, in, pt.SectionID)
	if err != nil {
		return nil, err
	}
	a.PhaseID, a.PointID, a.UpdatedBy = pt.PhaseID, &pt.ID, u.ID
	return a, s.saveAssessment(ctx, u, st, a, pointTarget(id))
}

// assessment validates in; sectionID is where Version must exist.
func (s *Service) assessment(ctx context.Context, in AssessmentInput, sectionID *int64) (*domain.Assessment, error) {
	if !in.Category.Valid() {
		return nil, domain.Invalid("category", "Erwartet: beruecksichtigt, teilweise_beruecksichtigt, nicht_beruecksichtigt oder zur_kenntnis_genommen.")
	}
	reason, err := domain.Body("reason", in.Reason, MaxReasonLen, in.Category.NeedsReason())
	if err != nil {
		return nil, err
	}
	if in.Version != nil {
		if sectionID == nil {
			return nil, domain.Invalid("version", "Eine Fassung lässt sich nur bei einem Beitrag zu einem Abschnitt angeben.")
		}
		_, v, err := s.d.OpLog.Snapshot(ctx, domain.SectionDoc(*sectionID))
		if err != nil {
			return nil, err
		}
		if *in.Version < 0 || *in.Version > v {
			return nil, domain.Invalid("version", fmt.Sprintf("Der Abschnitt hat die Fassungen 0 bis %d.", v))
		}
	}
	return &domain.Assessment{Category: in.Category, Reason: reason, Version: in.Version, UpdatedAt: s.now()}, nil
}

// saveAssessment stores a and audits it; a change after publication is
// audited as such and told to the contribution's organisation.
func (s *Service) saveAssessment(ctx context.Context, u *domain.User, st *domain.Strategy, a *domain.Assessment, target string) error {
	before, err := s.abw().SaveAssessment(ctx, a)
	if err != nil {
		return err
	}
	old := "—"
	if before != nil {
		old = string(before.Category)
	}
	if _, err := s.abw().FindPublication(ctx, a.PhaseID); err != nil {
		if domain.ErrorCode(err) != domain.ENOTFOUND {
			return err
		}
		s.audit(ctx, u, "assessment_saved", target, fmt.Sprintf("phase:%d category:%s", a.PhaseID, a.Category))
		return nil
	}
	s.audit(ctx, u, "assessment_changed_after_publication", target,
		fmt.Sprintf("phase:%d category:%s→%s reason:%s", a.PhaseID, old, a.Category, a.Reason))
	labels, err := s.categoryLabels(ctx, st.ID)
	if err != nil {
		return err
	}
	s.notifyOrgs(ctx, st, a.PhaseID, s.contributorOrgs(ctx, a), fmt.Sprintf("assessment:%d:%d", a.ID, a.UpdatedAt.UnixNano()),
		fmt.Sprintf("Die veröffentlichte Abwägung zu „%s“ wurde für einen Beitrag Ihrer Organisation geändert: jetzt „%s“.", st.Title, labels.Label(a.Category)))
	return nil
}

// contributorOrgs is the organisation whose contribution a assesses.
func (s *Service) contributorOrgs(ctx context.Context, a *domain.Assessment) map[int64]bool {
	orgs := map[int64]bool{}
	if a.ThreadID != nil {
		if t, err := s.d.Store.FindThreadByID(ctx, *a.ThreadID); err == nil {
			orgs[t.OrgID] = true
		}
		return orgs
	}
	pts, err := s.abw().FindPoints(ctx, a.PhaseID)
	if err == nil {
		for _, p := range pts {
			if p.ID == *a.PointID {
				orgs[p.OrgID] = true
			}
		}
	}
	return orgs
}

// AddPoint defines a point of the newest submitted statement of in.OrgID in
// the round of strategyID (WithRound, else the newest). Errors: ENOTFOUND
// (no submitted statement), EFORBIDDEN, EINVALID (excerpt not in the text).
func (s *Service) AddPoint(ctx context.Context, u *domain.User, strategyID int64, in PointInput) (*domain.StatementPoint, error) {
	st, p, err := s.consultation(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.SplitStatement, policy.Resource{Strategy: st}, fmt.Sprintf("strategy:%d", st.ID)); err != nil {
		return nil, err
	}
	latest, err := s.d.Store.FindStatement(ctx, p.ID, in.OrgID)
	if err != nil {
		return nil, err
	}
	sub, err := s.newestSubmitted(ctx, latest)
	if err != nil {
		return nil, err
	}
	if sub == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "Diese Organisation hat in der Runde keine Stellungnahme eingereicht.")
	}
	excerpt, err := text("excerpt", in.Excerpt, MaxStatementLen)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(normalSpace(sub.Body), normalSpace(excerpt)) {
		return nil, domain.Invalid("excerpt", "Der Punkt muss ein Auszug aus dem Text der eingereichten Stellungnahme sein.")
	}
	if in.SectionID != nil {
		sec, err := s.d.Strategies.FindSectionMeta(ctx, *in.SectionID)
		if err != nil || sec.StrategyID != st.ID {
			return nil, domain.Invalid("section_id", "Unbekannter Abschnitt dieser Strategie.")
		}
	}
	pt := &domain.StatementPoint{StatementID: sub.ID, PhaseID: p.ID, OrgID: sub.OrgID, OrgCode: sub.OrgCode, SectionID: in.SectionID,
		Excerpt: excerpt, CreatedBy: u.ID}
	if err := s.abw().CreatePoint(ctx, pt); err != nil {
		return nil, err
	}
	s.audit(ctx, u, "statement_point_added", pointTarget(pt.ID), fmt.Sprintf("statement:%d org:%s", sub.ID, sub.OrgCode))
	return pt, nil
}

// DeletePoint removes point id of a round of strategyID with its
// assessment; not once the Abwägung is published (ECONFLICT).
func (s *Service) DeletePoint(ctx context.Context, u *domain.User, strategyID, id int64) error {
	st, _, pt, err := s.point(ctx, strategyID, id)
	if err != nil {
		return err
	}
	if err := s.check(ctx, u, policy.SplitStatement, policy.Resource{Strategy: st}, pointTarget(id)); err != nil {
		return err
	}
	if _, err := s.abw().FindPublication(ctx, pt.PhaseID); err == nil {
		return domain.Errorf(domain.ECONFLICT, "Die Abwägung ist veröffentlicht; ihre Punkte bleiben bestehen. Ändern Sie stattdessen die Bewertung.")
	}
	if err := s.abw().DeletePoint(ctx, id); err != nil {
		return err
	}
	s.audit(ctx, u, "statement_point_deleted", pointTarget(id), fmt.Sprintf("org:%s", pt.OrgCode))
	return nil
}

// point finds point id among the rounds of strategyID.
func (s *Service) point(ctx context.Context, strategyID, id int64) (*domain.Strategy, *domain.Phase, *domain.StatementPoint, error) {
	st, err := s.d.Strategies.FindStrategyByID(ctx, strategyID)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, p := range st.Phases {
		if p.Kind != domain.PhaseBeteiligung {
			continue
		}
		pts, err := s.abw().FindPoints(ctx, p.ID)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, pt := range pts {
			if pt.ID == id {
				return st, p, pt, nil
			}
		}
	}
	return nil, nil, nil, domain.Errorf(domain.ENOTFOUND, "Diesen Punkt gibt es nicht.")
}

// Publish publishes the Abwägung of the round of strategyID (WithRound,
// else the newest) and notifies every participant whose organisation
// contributed or co-signed. Publishing twice returns the first
// publication and notifies nobody again. Moderators only; the round must
// have closed (ECONFLICT otherwise).
func (s *Service) Publish(ctx context.Context, u *domain.User, strategyID int64) (*domain.Publication, error) {
	st, p, err := s.consultation(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.PublishAbwaegung, policy.Resource{Strategy: st}, fmt.Sprintf("phase:%d", p.ID)); err != nil {
		return nil, err
	}
	if st.CurrentPhase != nil && st.CurrentPhase.ID == p.ID && !p.Closed(s.now()) {
		return nil, domain.Errorf(domain.ECONFLICT, "Die Beteiligungsrunde läuft noch; die Abwägung wird nach ihrem Ende veröffentlicht.")
	}
	pub, created, err := s.abw().Publish(ctx, p.ID, u.ID, s.now())
	if err != nil || !created {
		return pub, err
	}
	s.audit(ctx, u, "abwaegung_published", fmt.Sprintf("phase:%d", p.ID), fmt.Sprintf("strategy:%d", st.ID))
	orgs := map[int64]bool{}
	threads, err := s.d.Store.FindThreads(ctx, domain.ThreadFilter{StrategyID: st.ID, PhaseID: p.ID})
	if err != nil {
		return nil, err
	}
	for _, t := range threads {
		orgs[t.OrgID] = true
		for _, c := range t.Cosigners {
			orgs[c.OrgID] = true
		}
	}
	pts, err := s.abw().FindPoints(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, pt := range pts {
		orgs[pt.OrgID] = true
	}
	s.notifyOrgs(ctx, st, p.ID, orgs, fmt.Sprintf("abwaegung:%d", p.ID),
		fmt.Sprintf("Die Abwägung der Beteiligung „%s“ zu „%s“ ist veröffentlicht: sehen Sie, wie Ihre Beiträge bewertet wurden.", p.Title, st.Title))
	return pub, nil
}

// notifyOrgs tells the participants (role land) of orgs about the
// Abwägung of round phaseID, once per key.
func (s *Service) notifyOrgs(ctx context.Context, st *domain.Strategy, phaseID int64, orgs map[int64]bool, key, msg string) {
	var ns []*domain.Notification
	for _, m := range s.usersWhere(ctx, func(m *domain.User) bool { return orgs[m.OrgID] && m.HasRole(domain.RoleLand) }) {
		ns = append(ns, &domain.Notification{UserID: m.ID, Kind: domain.NotifyAbwaegung, StrategyID: st.ID,
			Target: fmt.Sprintf("abwaegung:%d:%d", st.ID, phaseID), Key: key, Text: msg})
	}
	s.notify(ctx, ns)
}

func pointTarget(id int64) string { return fmt.Sprintf("statement_point:%d", id) }

// normalSpace collapses runs of white space, so that an excerpt copied
// from the rendered statement matches its Markdown source.
func normalSpace(v string) string { return strings.Join(strings.Fields(v), " ") }

// published reports when round phaseID's Abwägung was published, or nil.
func (s *Service) published(ctx context.Context, phaseID int64) (*time.Time, error) {
	pub, err := s.abw().FindPublication(ctx, phaseID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &pub.PublishedAt, nil
}
