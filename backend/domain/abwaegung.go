package domain

import (
	"context"
	"slices"
	"time"
)

// Category is the drafting side's assessment of a contribution in the
// Abwägung of a consultation round.
type Category string

// Assessment categories, in the order of the Abwägungstabelle's filter.
const (
	CategoryBeruecksichtigt          Category = "beruecksichtigt"
	CategoryTeilweiseBeruecksichtigt Category = "teilweise_beruecksichtigt"
	CategoryNichtBeruecksichtigt     Category = "nicht_beruecksichtigt"
	CategoryZurKenntnisGenommen      Category = "zur_kenntnis_genommen"
)

// Categories lists every category in a stable order.
var Categories = []Category{CategoryBeruecksichtigt, CategoryTeilweiseBeruecksichtigt, CategoryNichtBeruecksichtigt, CategoryZurKenntnisGenommen}

// DefaultCategoryLabels are the labels of the categories of a strategy
// that has not set its own.
var DefaultCategoryLabels = map[Category]string{
	CategoryBeruecksichtigt:          "berücksichtigt",
	CategoryTeilweiseBeruecksichtigt: "teilweise berücksichtigt",
	CategoryNichtBeruecksichtigt:     "nicht berücksichtigt",
	CategoryZurKenntnisGenommen:      "zur Kenntnis genommen",
}

// Valid reports whether c is a known category.
func (c Category) Valid() bool { return slices.Contains(Categories, c) }

// NeedsReason reports whether an assessment of category c must give a
// reason: every one except "zur Kenntnis genommen", which records that a
// contribution (a question, an agreement) asked for no change.
func (c Category) NeedsReason() bool { return c != CategoryZurKenntnisGenommen }

// Assessment is the assessment of one contribution: a thread of a round
// (ThreadID) or a point of a statement (PointID).
type Assessment struct {
	ID       int64    `json:"id"`
	PhaseID  int64    `json:"phase_id"`
	ThreadID *int64   `json:"thread_id"`
	PointID  *int64   `json:"point_id"`
	Category Category `json:"category"`
	Reason   string   `json:"reason"`
	// Version is the section's version in which the contribution was taken
	// into account (a link into the history and the Synopse), if any.
	Version   *int64    `json:"version"`
	UpdatedBy int64     `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ThreadAssessment is a thread's assessment as the sidebar shows it: the
// category with the strategy's label, the reason, and whether it is still
// an unpublished draft.
type ThreadAssessment struct {
	Category Category `json:"category"`
	Label    string   `json:"label"`
	Reason   string   `json:"reason"`
	Draft    bool     `json:"draft"`
}

// StatementPoint is an excerpt of a submitted statement version that is
// assessed on its own.
type StatementPoint struct {
	ID          int64     `json:"id"`
	StatementID int64     `json:"statement_id"`
	PhaseID     int64     `json:"phase_id"`
	OrgID       int64     `json:"org_id"`
	OrgCode     string    `json:"org_code"`
	SectionID   *int64    `json:"section_id"`
	Excerpt     string    `json:"excerpt"`
	CreatedBy   int64     `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// Cosigner is an organisation that joined another organisation's thread
// (Mitzeichnung).
type Cosigner struct {
	OrgID     int64     `json:"org_id"`
	OrgCode   string    `json:"org_code"`
	UserID    int64     `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// Publication records that a round's Abwägung was published.
type Publication struct {
	PhaseID     int64     `json:"phase_id"`
	PublishedBy int64     `json:"published_by"`
	PublishedAt time.Time `json:"published_at"`
}

// AbwaegungStore persists assessments, statement points, publications and
// Mitzeichnungen.
type AbwaegungStore interface {
	// Cosign records that orgID joins threadID. It reports false (and
	// changes nothing) if the organisation had joined already; the
	// primary key (thread, organisation) decides between concurrent calls.
	// EINVALID if the thread is unknown.
	Cosign(ctx context.Context, threadID, orgID, userID int64, at time.Time) (bool, error)
	// Uncosign withdraws orgID's Mitzeichnung of threadID and reports
	// whether there was one.
	Uncosign(ctx context.Context, threadID, orgID int64) (bool, error)

	// CreatePoint stores p and sets its ID and CreatedAt. EINVALID if the
	// statement or section is unknown.
	CreatePoint(ctx context.Context, p *StatementPoint) error
	// FindPoints lists the points of the statements of round phaseID,
	// oldest first, with PhaseID, OrgID and OrgCode filled.
	FindPoints(ctx context.Context, phaseID int64) ([]*StatementPoint, error)
	// DeletePoint removes a point and its assessment. ENOTFOUND if absent.
	DeletePoint(ctx context.Context, id int64) error

	// SaveAssessment stores a as the assessment of its thread or point,
	// replacing an earlier one, and returns the earlier one (nil if none).
	SaveAssessment(ctx context.Context, a *Assessment) (*Assessment, error)
	// FindAssessments lists the assessments of round phaseID.
	FindAssessments(ctx context.Context, phaseID int64) ([]*Assessment, error)

	// Publish records the publication of round phaseID's Abwägung and
	// returns it; if it was published already, the first publication.
	Publish(ctx context.Context, phaseID, by int64, at time.Time) (*Publication, bool, error)
	// FindPublication returns round phaseID's publication; ENOTFOUND if the
	// Abwägung is not published.
	FindPublication(ctx context.Context, phaseID int64) (*Publication, error)

	// FindCategoryLabels returns the labels strategyID set for the
	// categories; a category it did not set is missing from the map.
	FindCategoryLabels(ctx context.Context, strategyID int64) (map[Category]string, error)
	// SaveCategoryLabels replaces the labels of strategyID.
	SaveCategoryLabels(ctx context.Context, strategyID int64, labels map[Category]string, by int64, at time.Time) error
}
