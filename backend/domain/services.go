package domain

import (
	"context"
	"time"
)

// UserFilter narrows FindUsers. Zero fields do not filter.
type UserFilter struct {
	OrgID *int64
	Email *string
}

// UserUpdate holds the changes UpdateUser applies; nil fields stay as they are.
type UserUpdate struct {
	Name     *string
	OrgID    *int64
	Roles    *[]Role
	TopicIDs *[]int64
	Disabled *bool
}

// UserService stores accounts.
type UserService interface {
	// CreateUser inserts u with the given argon2id password hash and sets
	// u.ID and u.CreatedAt. ECONFLICT if the e-mail is taken, EINVALID if the
	// organisation, a role or a topic is unknown.
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	// FindUserByID returns the user with organisation, roles and topics,
	// or ENOTFOUND.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// FindUserByEmail looks up case-insensitively; ENOTFOUND if absent.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// FindUsers lists users ordered by id.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, error)
	// UpdateUser applies upd atomically and returns the new state.
	// ENOTFOUND, EINVALID as for CreateUser.
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)
	// PseudonymiseUser deletes the account's personal data (name, e-mail,
	// password, roles, topics, sessions, tokens) and disables it; what it
	// contributed stays, attributed to a pseudonym and its organisation.
	// ENOTFOUND if absent.
	PseudonymiseUser(ctx context.Context, id int64) (*User, error)
	// PasswordHash returns the stored hash, or ENOTFOUND.
	PasswordHash(ctx context.Context, userID int64) (string, error)
	// SetPasswordHash replaces the stored hash.
	SetPasswordHash(ctx context.Context, userID int64, hash string) error
	// SetUserLanguage stores the account's language. ENOTFOUND.
	SetUserLanguage(ctx context.Context, userID int64, lang Language) error
}

// SessionService stores login sessions and API tokens.
type SessionService interface {
	// CreateSession inserts s (s.ID is the token hash).
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session with that token hash, or ENOTFOUND.
	// It does not check expiry; callers do, with Session.Expired.
	FindSession(ctx context.Context, id string) (*Session, error)
	// TouchSession sets LastSeenAt.
	TouchSession(ctx context.Context, id string, at time.Time) error
	// DeleteSession removes one session by token hash (no error if absent).
	DeleteSession(ctx context.Context, id string) error
	// DeleteSessionByPublicID removes a session of userID; ENOTFOUND if the
	// user has no such session.
	DeleteSessionByPublicID(ctx context.Context, userID int64, publicID string) error
	// DeleteUserSessions removes all sessions of a user, optionally keeping one.
	DeleteUserSessions(ctx context.Context, userID int64, keepID string) error
	// FindUserSessions lists a user's sessions, newest first.
	FindUserSessions(ctx context.Context, userID int64) ([]*Session, error)
	// DeleteExpiredSessions removes sessions expired at t and returns how many.
	DeleteExpiredSessions(ctx context.Context, t time.Time) (int, error)

	// CreateAPIToken inserts t (t.Hash set) and sets t.ID and t.CreatedAt.
	CreateAPIToken(ctx context.Context, t *APIToken) error
	// FindAPITokenByHash returns the token, or ENOTFOUND.
	FindAPITokenByHash(ctx context.Context, hash string) (*APIToken, error)
	// FindUserAPITokens lists a user's tokens, newest first.
	FindUserAPITokens(ctx context.Context, userID int64) ([]*APIToken, error)
	// TouchAPIToken sets LastUsedAt.
	TouchAPIToken(ctx context.Context, id int64, at time.Time) error
	// DeleteAPIToken revokes a token of userID; ENOTFOUND if not theirs.
	DeleteAPIToken(ctx context.Context, userID, id int64) error
}

// TopicUpdate holds changes to a topic; nil fields stay.
type TopicUpdate struct {
	Title      *string
	Position   *int
	SponsorIDs *[]int64 // organisation ids
}

// SectionUpdate holds changes to a section's metadata; nil fields stay.
// The text changes only through the op log.
type SectionUpdate struct {
	Title   *string
	TopicID **int64 // set to a nil *int64 to detach from a topic
	Part    *Part
	Status  *SectionStatus
}

// StrategyUpdate holds changes to a strategy's own fields; nil fields stay.
type StrategyUpdate struct {
	Title                  *string
	Description            *string
	StatementsPublic       *bool
	EditDuringConsultation *bool
}

// StrategyService stores organisations, strategies, topics, sections and
// phases.
type StrategyService interface {
	// FindOrganisations lists all organisations ordered by id.
	FindOrganisations(ctx context.Context) ([]*Organisation, error)
	// FindOrganisationByCode returns one organisation, or ENOTFOUND.
	FindOrganisationByCode(ctx context.Context, code string) (*Organisation, error)
	// CreateOrganisation inserts o; ECONFLICT if the code exists.
	CreateOrganisation(ctx context.Context, o *Organisation) error

	// CreateStrategy inserts s and sets its ID and CreatedAt.
	CreateStrategy(ctx context.Context, s *Strategy) error
	// FindStrategies lists strategies without topics and phases.
	FindStrategies(ctx context.Context) ([]*Strategy, error)
	// FindStrategyByID returns the strategy with its topics (ordered, with
	// sponsors), its phase history (oldest first) and CurrentPhase, or
	// ENOTFOUND.
	FindStrategyByID(ctx context.Context, id int64) (*Strategy, error)
	// UpdateStrategy applies upd and returns the strategy as
	// FindStrategyByID does. ENOTFOUND, EINVALID for an empty title.
	UpdateStrategy(ctx context.Context, id int64, upd StrategyUpdate) (*Strategy, error)

	// CreateTopic inserts t (appending it if Position is 0) with its sponsors.
	CreateTopic(ctx context.Context, t *Topic) error
	// FindTopicByID returns a topic with sponsors, or ENOTFOUND.
	FindTopicByID(ctx context.Context, id int64) (*Topic, error)
	// UpdateTopic applies upd and returns the new state.
	UpdateTopic(ctx context.Context, id int64, upd TopicUpdate) (*Topic, error)
	// DeleteTopic removes a topic; its sections keep existing without a
	// topic. ENOTFOUND if absent.
	DeleteTopic(ctx context.Context, id int64) error

	// CreateSection inserts s at version 0 (appending it if Position is 0).
	CreateSection(ctx context.Context, s *Section) error
	// FindSections lists a strategy's sections ordered by position, without
	// their text, archived ones included (reports keep them).
	FindSections(ctx context.Context, strategyID int64) ([]*Section, error)
	// FindSectionByID returns a section with its text, or ENOTFOUND.
	FindSectionByID(ctx context.Context, id int64) (*Section, error)
	// FindSectionMeta returns a section without its text (for checks that
	// need only its place and state), or ENOTFOUND.
	FindSectionMeta(ctx context.Context, id int64) (*Section, error)
	// UpdateSection applies upd and returns the new state.
	UpdateSection(ctx context.Context, id int64, upd SectionUpdate) (*Section, error)
	// ReorderSections sets positions 1..n in the order of ids, which must
	// be exactly the strategy's sections that are not archived (EINVALID
	// otherwise); archived ones follow in their old order.
	ReorderSections(ctx context.Context, strategyID int64, ids []int64) error
	// DeleteSection removes a section and everything attached to it.
	DeleteSection(ctx context.Context, id int64) error
	// DeleteSectionUnlessUsed removes a section in one transaction only if
	// nothing was contributed to it: no thread (comments and proposals
	// included), no named version, no Beschluss text, and at most one
	// operation on its text. Otherwise it changes nothing and returns
	// used=true. ENOTFOUND if absent.
	DeleteSectionUnlessUsed(ctx context.Context, id int64) (used bool, err error)
	// ArchiveSection marks a section archived at at and returns it;
	// archiving an archived section keeps its first time. ENOTFOUND.
	ArchiveSection(ctx context.Context, id int64, at time.Time) (*Section, error)

	// AddPhase appends p to its strategy's history, making it current, and
	// sets p.ID and p.StartedAt.
	AddPhase(ctx context.Context, p *Phase) error
	// UpdatePhaseTimes moves the window of consultation round phaseID of
	// strategyID to [opensAt, closesAt) in place, so that everything
	// already contributed stays in its round, and returns the phase as it
	// was before and as it is now. ENOTFOUND (no such phase of that
	// strategy), EINVALID (not a beteiligung, closes before it opens).
	UpdatePhaseTimes(ctx context.Context, strategyID, phaseID int64, opensAt, closesAt time.Time) (before, after *Phase, err error)
}

// AuditEvent is one append-only audit log row: who did what to which target,
// when (UTC). It never holds content or secrets.
type AuditEvent struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	ActorID *int64    `json:"actor_id"`
	// ActorName is the actor's current name, filled in when listing
	// ("" for the system or a user no longer known).
	ActorName string `json:"actor_name"`
	OrgCode   string `json:"org_code"`
	Action    string `json:"action"` // e.g. login, login_failed, denied, role_changed, phase_changed
	Target    string `json:"target"` // e.g. "user:12", "strategy:1"
	Detail    string `json:"detail"` // short, non-personal description
}

// AuditFilter narrows FindAuditEvents.
type AuditFilter struct {
	Action  string
	ActorID *int64
	OrgCode string // the actor's organisation at the time
	Target  string // exact ("thread:12"), or a kind with a trailing colon ("thread:")
	Since   *time.Time
	Limit   int
	Offset  int
}

// AuditService appends to and reads the audit log. There is no update or
// delete.
type AuditService interface {
	// AppendAudit inserts e, setting ID and At (if zero).
	AppendAudit(ctx context.Context, e *AuditEvent) error
	// FindAuditEvents lists events newest first.
	FindAuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, error)
	// FindAuditActors lists every person who appears as actor in the log,
	// ordered by name, so the log can be filtered by name.
	FindAuditActors(ctx context.Context) ([]*AuditActor, error)
}

// AuditActor is a person who acted in the audit log: id, current name (a
// pseudonym once deleted) and organisation code.
type AuditActor struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	OrgCode string `json:"org_code"`
}

// Pinger reports whether a dependency is reachable; used by /readyz.
type Pinger interface {
	Ping(ctx context.Context) error
}

// IdentityService links accounts to the stable identifiers of single
// sign-on issuers.
type IdentityService interface {
	// FindUserByIdentity returns the account linked to the issuer's
	// subject, or ENOTFOUND.
	FindUserByIdentity(ctx context.Context, issuer, subject string) (*User, error)
	// LinkIdentity links the account to the issuer's subject. ECONFLICT if
	// the subject is linked to another account or the account already has
	// another subject at that issuer; linking the same pair again is
	// harmless. ENOTFOUND for an unknown account.
	LinkIdentity(ctx context.Context, userID int64, issuer, subject string) error
}
