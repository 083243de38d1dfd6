package consult

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// MaxCategoryLabelLen bounds the label a strategy gives a category.
const MaxCategoryLabelLen = 60

// CategoryLabels are the labels of the four assessment categories, by key.
type CategoryLabels map[domain.Category]string

// Label returns the label of c; the default if none is set.
func (l CategoryLabels) Label(c domain.Category) string {
	if v, ok := l[c]; ok && v != "" {
		return v
	}
	return domain.DefaultCategoryLabels[c]
}

// categoryLabels returns every category's label for strategyID, the
// defaults where the strategy set none.
func (s *Service) categoryLabels(ctx context.Context, strategyID int64) (CategoryLabels, error) {
	set, err := s.abw().FindCategoryLabels(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	out := CategoryLabels{}
	for _, c := range domain.Categories {
		out[c] = CategoryLabels(set).Label(c)
	}
	return out, nil
}

// CategoryLabels returns the labels of the assessment categories of
// strategyID to whoever may view its Abwägung. Errors: ENOTFOUND,
// EFORBIDDEN.
func (s *Service) CategoryLabels(ctx context.Context, u *domain.User, strategyID int64) (CategoryLabels, error) {
	st, err := s.d.Strategies.FindStrategyByID(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.ViewAbwaegung, policy.Resource{Strategy: st}, fmt.Sprintf("strategy:%d", st.ID)); err != nil {
		return nil, err
	}
	return s.categoryLabels(ctx, st.ID)
}

// SaveCategoryLabels sets the labels of the assessment categories of
// strategyID; every category needs one. Those who publish the Abwägung
// (the moderation) name its categories. Errors: ENOTFOUND, EFORBIDDEN,
// EINVALID (unknown category, missing, empty or overlong label).
func (s *Service) SaveCategoryLabels(ctx context.Context, u *domain.User, strategyID int64, in map[string]string) (CategoryLabels, error) {
	st, err := s.d.Strategies.FindStrategyByID(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.PublishAbwaegung, policy.Resource{Strategy: st}, fmt.Sprintf("strategy:%d", st.ID)); err != nil {
		return nil, err
	}
	for k := range in {
		if !domain.Category(k).Valid() {
			return nil, domain.Invalid("labels", fmt.Sprintf("Unbekannte Bewertung „%s“. Erwartet: beruecksichtigt, teilweise_beruecksichtigt, nicht_beruecksichtigt und zur_kenntnis_genommen.", k))
		}
	}
	out := CategoryLabels{}
	var detail []string
	for _, c := range domain.Categories {
		v, err := domain.Line("labels."+string(c), in[string(c)], MaxCategoryLabelLen)
		if err != nil {
			return nil, err
		}
		out[c] = v
		detail = append(detail, fmt.Sprintf("%s=%s", c, v))
	}
	if err := s.abw().SaveCategoryLabels(ctx, st.ID, out, u.ID, s.now()); err != nil {
		return nil, err
	}
	s.audit(ctx, u, "abwaegung_labels_saved", fmt.Sprintf("strategy:%d", st.ID), strings.Join(detail, " "))
	return out, nil
}

// assessmentsShown is the rule who sees a round's assessments: everyone
// who sees the contribution once the Abwägung is published, before that
// only the drafting side (drafts).
func assessmentsShown(publishedAt *time.Time, drafts bool) bool { return publishedAt != nil || drafts }

// attachAssessments sets the Assessment of those of ts (threads of strategy
// st, redacted for u) whose assessment u may see by assessmentsShown.
// Hidden threads are no contributions and carry none.
func (s *Service) attachAssessments(ctx context.Context, u *domain.User, st *domain.Strategy, ts []*domain.Thread) error {
	drafts := policy.Allowed(u, policy.ViewAssessDrafts, policy.Resource{Strategy: st}, s.now())
	var labels CategoryLabels
	byPhase := map[int64]map[int64]*domain.ThreadAssessment{}
	for _, t := range ts {
		if t.PhaseID == nil || t.Hidden {
			continue
		}
		found, ok := byPhase[*t.PhaseID]
		if !ok {
			pub, err := s.published(ctx, *t.PhaseID)
			if err != nil {
				return err
			}
			found = map[int64]*domain.ThreadAssessment{}
			byPhase[*t.PhaseID] = found
			if !assessmentsShown(pub, drafts) {
				continue
			}
			if labels == nil {
				if labels, err = s.categoryLabels(ctx, st.ID); err != nil {
					return err
				}
			}
			as, err := s.abw().FindAssessments(ctx, *t.PhaseID)
			if err != nil {
				return err
			}
			for _, a := range as {
				if a.ThreadID != nil {
					found[*a.ThreadID] = &domain.ThreadAssessment{Category: a.Category, Label: labels.Label(a.Category), Reason: a.Reason, Draft: pub == nil}
				}
			}
		}
		t.Assessment = found[t.ID]
	}
	return nil
}
