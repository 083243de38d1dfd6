package domain

import "time"

// OrgKind classifies an organisation.
type OrgKind string

// Organisation kinds.
const (
	OrgBund     OrgKind = "bund"
	OrgLand     OrgKind = "land"
	OrgFITKO    OrgKind = "fitko"
	OrgKommunal OrgKind = "kommunal" // kommunale Spitzenverbände
)

// Organisation is the Bund, a Land, FITKO or a kommunaler Spitzenverband.
// Every user belongs to exactly one.
type Organisation struct {
	ID   int64   `json:"id"`
	Code string  `json:"code"` // BUND, ISO 3166-2:DE suffix (BW, BY, ...), FITKO, DLT, DST, DStGB
	Name string  `json:"name"`
	Kind OrgKind `json:"kind"`
}

// Role is one of a user's roles.
type Role string

// Roles. A user has one or more.
const (
	RoleAdmin      Role = "admin"      // manages users and structure
	RoleModerator  Role = "moderator"  // runs phases, resolves and hides threads (FITKO)
	RoleThemenpate Role = "themenpate" // edits the sections of its topics
	RoleLand       Role = "land"       // participant for its organisation
	RoleReader     Role = "reader"     // reads only
	// RoleStimmberechtigt votes on Beschlussvorlagen for its organisation
	// (Bund or a Land); deputies hold it too, one vote counts per organisation.
	RoleStimmberechtigt Role = "stimmberechtigt"
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleAdmin, RoleModerator, RoleThemenpate, RoleLand, RoleReader, RoleStimmberechtigt}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// User is an account. Only name, official e-mail, organisation and roles are
// stored about a person (DSGVO).
type User struct {
	ID       int64        `json:"id"`
	Email    string       `json:"email"`
	Name     string       `json:"name"`
	OrgID    int64        `json:"org_id"`
	Org      Organisation `json:"organisation"`
	Roles    []Role       `json:"roles"`
	TopicIDs []int64      `json:"topic_ids"` // topics this user is Themenpate of
	Disabled bool         `json:"disabled"`
	// Deleted marks an account whose personal data was deleted; it keeps
	// its contributions under a pseudonym (UserService.PseudonymiseUser).
	Deleted   bool      `json:"deleted"`
	CreatedAt time.Time `json:"created_at"`
	// SecondFactor is set when the account has a confirmed TOTP factor.
	SecondFactor bool `json:"second_factor"`
	// SSO is set when the account is linked to a single sign-on identity;
	// its second factor is then the identity provider's.
	SSO bool `json:"sso"`
	// Language is the account's language for the UI and its mails.
	Language Language `json:"language,omitempty"`
}

// HasRole reports whether u has role r.
func (u *User) HasRole(r Role) bool {
	for _, x := range u.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// SponsorsTopic reports whether u is Themenpate of topic id.
func (u *User) SponsorsTopic(id int64) bool {
	if !u.HasRole(RoleThemenpate) {
		return false
	}
	for _, t := range u.TopicIDs {
		if t == id {
			return true
		}
	}
	return false
}

// Strategy is one strategy document, e.g. "Föderale Digitalstrategie".
type Strategy struct {
	ID          int64  `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// EditDuringConsultation lets Themenpaten keep editing while sections
	// are in consultation.
	EditDuringConsultation bool `json:"edit_during_consultation"`
	// StatementsPublic makes submitted statements readable by every
	// participant, not only by moderators and the submitting organisation.
	StatementsPublic bool      `json:"statements_public"`
	CreatedAt        time.Time `json:"created_at"`

	Topics       []*Topic `json:"topics,omitempty"`
	Phases       []*Phase `json:"phases,omitempty"`
	CurrentPhase *Phase   `json:"current_phase,omitempty"`
}

// Topic is a Schwerpunktthema. Its sponsoring organisations provide the
// Themenpaten who edit its sections.
type Topic struct {
	ID         int64          `json:"id"`
	StrategyID int64          `json:"strategy_id"`
	Title      string         `json:"title"`
	Position   int            `json:"position"`
	Sponsors   []Organisation `json:"sponsors"`
}

// Part names one of the three parts of a strategy.
type Part string

// The parts of the Föderale Digitalstrategie.
const (
	PartDach        Part = "dachstrategie"
	PartSchwerpunkt Part = "schwerpunktthemen"
	PartUmsetzung   Part = "umsetzungsvorhaben"
)

// Valid reports whether p is a known part.
func (p Part) Valid() bool {
	return p == PartDach || p == PartSchwerpunkt || p == PartUmsetzung
}

// SectionStatus is the editing state of a section.
type SectionStatus string

// Section states.
const (
	SectionDraft        SectionStatus = "draft"
	SectionConsultation SectionStatus = "consultation"
	SectionFinal        SectionStatus = "final"
)

// Valid reports whether s is a known status.
func (s SectionStatus) Valid() bool {
	return s == SectionDraft || s == SectionConsultation || s == SectionFinal
}

// Section is an ordered, separately edited part of a strategy. Version is the
// number of operations applied to its text.
type Section struct {
	ID         int64         `json:"id"`
	StrategyID int64         `json:"strategy_id"`
	TopicID    *int64        `json:"topic_id"`
	Part       Part          `json:"part"`
	Position   int           `json:"position"`
	Title      string        `json:"title"`
	Text       string        `json:"text,omitempty"`
	Version    int64         `json:"version"`
	Status     SectionStatus `json:"status"`
	UpdatedAt  time.Time     `json:"updated_at"`
	// ArchivedAt is set once the section was removed from the structure
	// while it had contributions: it leaves the table of contents and the
	// editor but stays in reports and the history.
	ArchivedAt *time.Time `json:"archived_at,omitempty"`
}

// Archived reports whether the section was archived.
func (s *Section) Archived() bool { return s != nil && s.ArchivedAt != nil }

// PhaseKind is the stage a strategy is in.
type PhaseKind string

// Phases in their usual order.
const (
	PhaseEntwurf     PhaseKind = "entwurf"
	PhaseBeteiligung PhaseKind = "beteiligung"
	PhaseAuswertung  PhaseKind = "auswertung"
	PhaseBeschlossen PhaseKind = "beschlossen"
)

// Valid reports whether k is a known phase.
func (k PhaseKind) Valid() bool {
	return k == PhaseEntwurf || k == PhaseBeteiligung || k == PhaseAuswertung || k == PhaseBeschlossen
}

// Phase is one entry of a strategy's phase history; the newest is current.
// OpensAt and ClosesAt bound a consultation window (stored in UTC, shown in
// Europe/Berlin).
type Phase struct {
	ID         int64      `json:"id"`
	StrategyID int64      `json:"strategy_id"`
	Kind       PhaseKind  `json:"kind"`
	Title      string     `json:"title"`
	OpensAt    *time.Time `json:"opens_at"`
	ClosesAt   *time.Time `json:"closes_at"`
	StartedAt  time.Time  `json:"started_at"`
	ActorID    *int64     `json:"actor_id"`
	// SectionIDs is the scope of a consultation round: the sections it
	// consults on. Empty means every section of the strategy.
	SectionIDs []int64 `json:"section_ids"`
}

// InScope reports whether a consultation round consults on section id.
func (p *Phase) InScope(id int64) bool {
	if p == nil || len(p.SectionIDs) == 0 {
		return true
	}
	for _, s := range p.SectionIDs {
		if s == id {
			return true
		}
	}
	return false
}

// Closed reports whether a round's deadline has passed at t: t is at or
// after ClosesAt. A round without a deadline never closes by itself.
func (p *Phase) Closed(t time.Time) bool {
	return p != nil && p.ClosesAt != nil && !t.Before(*p.ClosesAt)
}

// Open reports whether a consultation window is open at t: the phase is
// beteiligung and t lies in [OpensAt, ClosesAt).
func (p *Phase) Open(t time.Time) bool {
	if p == nil || p.Kind != PhaseBeteiligung {
		return false
	}
	if p.OpensAt != nil && t.Before(*p.OpensAt) {
		return false
	}
	if p.ClosesAt != nil && !t.Before(*p.ClosesAt) {
		return false
	}
	return true
}
