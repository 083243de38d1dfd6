package domain

import (
	"context"
	"time"
)

// ThreadKind is what a thread contributes to a passage.
type ThreadKind string

// Thread kinds.
const (
	KindKommentar           ThreadKind = "kommentar"
	KindFrage               ThreadKind = "frage"
	KindAenderungsvorschlag ThreadKind = "aenderungsvorschlag"
	KindZustimmung          ThreadKind = "zustimmung"
	KindEinwand             ThreadKind = "einwand"
)

// ThreadKinds lists every kind in a stable order (the report's columns).
var ThreadKinds = []ThreadKind{KindKommentar, KindFrage, KindAenderungsvorschlag, KindZustimmung, KindEinwand}

// Valid reports whether k is a known kind.
func (k ThreadKind) Valid() bool {
	for _, x := range ThreadKinds {
		if k == x {
			return true
		}
	}
	return false
}

// ThreadStatus is where a thread stands.
type ThreadStatus string

// Thread states. Uebernommen and Abgelehnt apply to proposals only.
const (
	StatusOffen       ThreadStatus = "offen"
	StatusErledigt    ThreadStatus = "erledigt"
	StatusUebernommen ThreadStatus = "uebernommen"
	StatusAbgelehnt   ThreadStatus = "abgelehnt"
)

// ThreadStatuses lists every status in a stable order.
var ThreadStatuses = []ThreadStatus{StatusOffen, StatusErledigt, StatusUebernommen, StatusAbgelehnt}

// Valid reports whether s is a known status.
func (s ThreadStatus) Valid() bool {
	for _, x := range ThreadStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// Anchor is a thread's passage: code points [Start, End) of the section's
// text at Version. Removed is set once every character of the passage has
// been deleted; Start = End then marks where it was.
type Anchor struct {
	Start   int   `json:"start"`
	End     int   `json:"end"`
	Version int64 `json:"version"`
	Removed bool  `json:"removed"`
}

// Thread is a discussion anchored to a passage of a section. A thread of
// kind aenderungsvorschlag carries Replacement, the proposed new text.
type Thread struct {
	ID         int64 `json:"id"`
	StrategyID int64 `json:"strategy_id"`
	SectionID  int64 `json:"section_id"`
	// PhaseID is the consultation round (a beteiligung phase) the thread
	// was started in; nil for threads started outside any round.
	PhaseID *int64 `json:"phase_id"`
	// LineFrom and LineTo are the lines (paragraphs) of the round's
	// Beteiligungsfassung the passage lies in, fixed when the thread was
	// started ("Z. 12–14"); nil where the round froze no version.
	LineFrom   *int         `json:"line_from"`
	LineTo     *int         `json:"line_to"`
	AuthorID   int64        `json:"author_id"`
	AuthorName string       `json:"author_name"`
	OrgID      int64        `json:"org_id"`
	OrgCode    string       `json:"org_code"`
	Kind       ThreadKind   `json:"kind"`
	Status     ThreadStatus `json:"status"`
	Anchor     Anchor       `json:"anchor"`
	// Quote is the passage's text when the thread was started; it never
	// changes, so the thread stays readable after the passage is gone.
	Quote       string `json:"quote"`
	Replacement string `json:"replacement,omitempty"`
	// Affected marks an open proposal whose passage overlapped one that was
	// accepted: it may no longer fit the text.
	Affected bool `json:"affected"`
	// Resolution is the note of the last resolve or reopen, or the reason a
	// proposal was rejected.
	Resolution string     `json:"resolution"`
	ResolvedBy *int64     `json:"resolved_by"`
	ResolvedAt *time.Time `json:"resolved_at"`
	AcceptedBy *int64     `json:"accepted_by"`
	// AcceptedVersion is the version the accepted proposal's op was
	// committed at.
	AcceptedVersion *int64    `json:"accepted_version"`
	Hidden          bool      `json:"hidden"`
	HiddenReason    string    `json:"hidden_reason,omitempty"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	// Can says what the user who asked may do with the thread, decided by
	// the policy for each answer; nil where no user asked.
	Can      *ThreadPermissions `json:"can,omitempty"`
	Comments []*Comment         `json:"comments"`
	// Cosigners are the other organisations that joined the thread
	// (Mitzeichnung), oldest first.
	Cosigners []Cosigner `json:"cosigners"`
	// Assessment is the thread's assessment in the Abwägung, for those who
	// may see it: participants once it is published, the drafting side
	// also as a draft; nil otherwise.
	Assessment *ThreadAssessment `json:"assessment,omitempty"`
}

// Comment is one Markdown message in a thread; the first one opens it.
// HTML is rendered on the server and sanitised with an allow-list.
type Comment struct {
	ID           int64      `json:"id"`
	ThreadID     int64      `json:"thread_id"`
	AuthorID     int64      `json:"author_id"`
	AuthorName   string     `json:"author_name"`
	OrgCode      string     `json:"org_code"`
	Body         string     `json:"body"`
	HTML         string     `json:"html"`
	EditedAt     *time.Time `json:"edited_at"` // set when the author changed it ("bearbeitet")
	Hidden       bool       `json:"hidden"`
	HiddenReason string     `json:"hidden_reason,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	// Can says what the user who asked may do with the comment (see Thread.Can).
	Can *CommentPermissions `json:"can,omitempty"`
}

// ThreadPermissions are the actions the asking user may take on a thread.
type ThreadPermissions struct {
	Reply   bool `json:"reply"`
	Resolve bool `json:"resolve"`
	Reopen  bool `json:"reopen"`
	Hide    bool `json:"hide"`
	Accept  bool `json:"accept"`
	Reject  bool `json:"reject"`
	// Cosign and Withdraw: join the thread for one's organisation, or
	// withdraw that Mitzeichnung.
	Cosign   bool `json:"cosign"`
	Withdraw bool `json:"withdraw"`
}

// CommentPermissions are the actions the asking user may take on a comment.
type CommentPermissions struct {
	Edit   bool `json:"edit"`
	Report bool `json:"report"`
	Hide   bool `json:"hide"`
}

// CommentReport is a participant's report of a comment to the moderators.
type CommentReport struct {
	ID         int64 `json:"id"`
	CommentID  int64 `json:"comment_id"`
	ThreadID   int64 `json:"thread_id"`
	StrategyID int64 `json:"strategy_id"`
	ReporterID int64 `json:"reporter_id"`
	// ReporterName is the reporter's name (a pseudonym once the account is deleted).
	ReporterName string    `json:"reporter_name"`
	Reason       string    `json:"reason"`
	Open         bool      `json:"open"` // false once the comment was hidden or the report dismissed
	CreatedAt    time.Time `json:"created_at"`
}

// Position is an organisation's overall stance in a statement.
type Position string

// Statement positions.
const (
	PositionZustimmung               Position = "zustimmung"
	PositionZustimmungMitAenderungen Position = "zustimmung_mit_aenderungen"
	PositionAblehnung                Position = "ablehnung"
	PositionEnthaltung               Position = "enthaltung"
)

// Valid reports whether p is a known position.
func (p Position) Valid() bool {
	switch p {
	case PositionZustimmung, PositionZustimmungMitAenderungen, PositionAblehnung, PositionEnthaltung:
		return true
	}
	return false
}

// Statement is one version of an organisation's Stellungnahme in one
// consultation (a strategy's beteiligung phase). A submitted version is
// frozen; a new version may follow it.
type Statement struct {
	ID         int64    `json:"id"`
	StrategyID int64    `json:"strategy_id"`
	PhaseID    int64    `json:"phase_id"`
	OrgID      int64    `json:"org_id"`
	OrgCode    string   `json:"org_code"`
	Version    int      `json:"version"`
	Position   Position `json:"position"`
	// Body is the text: for a draft the head of its live document
	// (StatementDoc(ID)) at DocVersion, for a submitted version the frozen
	// text.
	Body string `json:"body"`
	// HTML is Body rendered; for a draft rendered when it is read, for a
	// submitted version frozen with the text.
	HTML        string     `json:"html"`
	UpdatedBy   int64      `json:"updated_by"`
	UpdatedAt   time.Time  `json:"updated_at"`
	SubmittedBy *int64     `json:"submitted_by"`
	SubmittedAt *time.Time `json:"submitted_at"`
	CreatedAt   time.Time  `json:"created_at"`
	// Revision counts the saves (and the submission) of the
	// organisation's statement across its versions; a save names the
	// revision it was made on.
	Revision int64 `json:"revision"`
	// DocVersion is the version of the live document at Body: the number
	// of ops committed to this Fassung's text (0 for a new Fassung).
	DocVersion int64 `json:"doc_version"`
	// Can says what the user who asked may do with the statement, decided
	// by the policy; nil where no user asked.
	Can *StatementPermissions `json:"can,omitempty"`
}

// Submitted reports whether s is frozen.
func (s *Statement) Submitted() bool { return s.SubmittedAt != nil }

// NotificationKind says what a notification is about.
type NotificationKind string

// Notification kinds.
const (
	NotifyNewThread        NotificationKind = "new_thread"        // on a section of my topic
	NotifyReply            NotificationKind = "reply"             // in a thread I take part in
	NotifyProposalAccepted NotificationKind = "proposal_accepted" // my proposal
	NotifyProposalRejected NotificationKind = "proposal_rejected" // my proposal
	NotifyHidden           NotificationKind = "hidden"            // my comment or thread
	NotifyPhaseChanged     NotificationKind = "phase_changed"
	NotifyDeadline         NotificationKind = "deadline"  // 48 hours before closes_at
	NotifyCosigned         NotificationKind = "cosigned"  // another organisation joined my thread
	NotifyAbwaegung        NotificationKind = "abwaegung" // the Abwägung of a round I took part in was published
	NotifyResolved         NotificationKind = "resolved"  // a thread I or my organisation took part in is erledigt
)

// Notification is one entry of a user's feed.
type Notification struct {
	ID         int64            `json:"id"`
	UserID     int64            `json:"user_id"`
	Kind       NotificationKind `json:"kind"`
	Text       string           `json:"text"`   // German, short, no content of hidden posts
	Target     string           `json:"target"` // e.g. "thread:12", "strategy:1"
	StrategyID int64            `json:"strategy_id"`
	ThreadID   *int64           `json:"thread_id"`
	// Key deduplicates: a user gets at most one notification per non-empty
	// key (e.g. one deadline reminder per phase).
	Key       string     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// ThreadFilter narrows FindThreads; zero fields do not filter.
type ThreadFilter struct {
	StrategyID int64
	SectionID  int64
	Status     ThreadStatus
	Kind       ThreadKind
	OrgID      int64
	IDs        []int64
	// PhaseID keeps only the threads of that consultation round.
	PhaseID int64
}

// ThreadUpdate holds the state changes UpdateThread applies; nil fields
// stay. IfStatus, if set, makes the update conditional on the current
// status (ECONFLICT otherwise), so two moderators cannot both accept.
type ThreadUpdate struct {
	IfStatus        *ThreadStatus
	Status          *ThreadStatus
	Resolution      *string
	ResolvedBy      **int64
	ResolvedAt      **time.Time
	AcceptedBy      *int64
	AcceptedVersion *int64
	Anchor          *Anchor
	Hidden          *bool
	HiddenReason    *string
	HiddenBy        *int64
}

// AnchorUpdate moves one thread's anchor from FromVersion to Anchor.
type AnchorUpdate struct {
	ThreadID    int64
	FromVersion int64
	Anchor      Anchor
}

// ConsultationStore persists threads, comments, reports, statements and
// notifications. It enforces storage invariants only (existence, frozen
// statements); who may do what is decided by the policy in the service.
type ConsultationStore interface {
	SearchStore

	// CreateThread inserts t with its first comment c in one transaction
	// and sets their IDs and times. ENOTFOUND if the section is unknown.
	CreateThread(ctx context.Context, t *Thread, c *Comment) error
	// FindThreadByID returns a thread with its comments (oldest first).
	// ENOTFOUND if absent.
	FindThreadByID(ctx context.Context, id int64) (*Thread, error)
	// FindThreads lists threads with their comments, oldest first.
	FindThreads(ctx context.Context, f ThreadFilter) ([]*Thread, error)
	// UpdateAnchors stores each update's anchor if the thread's stored
	// anchor is still at its FromVersion, all in one transaction, and
	// returns how many were stored (the others had been moved by another
	// instance already, which is just as good).
	UpdateAnchors(ctx context.Context, ups []AnchorUpdate) (int, error)
	// UpdateThread applies upd and returns the new state. ENOTFOUND,
	// ECONFLICT (IfStatus did not match).
	UpdateThread(ctx context.Context, id int64, upd ThreadUpdate) (*Thread, error)
	// MarkAffected flags the given threads as affected by an accepted
	// proposal.
	MarkAffected(ctx context.Context, ids []int64) error

	// CreateComment appends c to its thread. ENOTFOUND if the thread is
	// unknown.
	CreateComment(ctx context.Context, c *Comment) error
	// FindCommentByID returns one comment, or ENOTFOUND.
	FindCommentByID(ctx context.Context, id int64) (*Comment, error)
	// EditComment replaces a comment's body and HTML and sets EditedAt.
	EditComment(ctx context.Context, id int64, body, html string, at time.Time) (*Comment, error)
	// HideComment hides a comment with a reason; the text stays stored.
	// Open reports on it are closed.
	HideComment(ctx context.Context, id int64, reason string, by int64) (*Comment, error)

	// CreateReport inserts r and sets ID and CreatedAt.
	CreateReport(ctx context.Context, r *CommentReport) error
	// FindOpenReports lists open reports, oldest first; strategyID 0 lists
	// all.
	FindOpenReports(ctx context.Context, strategyID int64) ([]*CommentReport, error)
	// CloseReport closes one open report and returns it (ReporterName
	// and ThreadID filled); ENOTFOUND if there is no open report id.
	CloseReport(ctx context.Context, id int64) (*CommentReport, error)

	// FindStatements returns the newest version of every organisation's
	// statement in the consultation phaseID, ordered by organisation.
	FindStatements(ctx context.Context, phaseID int64) ([]*Statement, error)
	// FindStatement returns the newest version of orgID's statement in
	// phaseID, or ENOTFOUND.
	FindStatement(ctx context.Context, phaseID, orgID int64) (*Statement, error)
	// FindStatementVersions lists all versions, oldest first.
	FindStatementVersions(ctx context.Context, phaseID, orgID int64) ([]*Statement, error)
	// SaveStatementDraft stores s as the organisation's current draft:
	// it updates the newest version if that is still a draft and inserts
	// version 1 or (after a submitted version) the next version otherwise.
	// The text of an existing draft is its live document, changed only
	// through the op log: there s.Body is not stored but set to the draft's
	// current text (at s.DocVersion). A new version starts with s.Body at
	// document version 0. Sets ID, Version, Revision, DocVersion and times.
	// With base set, ECONFLICT (Fields["revision"]: the current one) unless
	// the newest version is still at revision *base.
	SaveStatementDraft(ctx context.Context, s *Statement, base *int64) error
	// SubmitStatement freezes the newest version of orgID's statement. In
	// one transaction it locks the draft, checks docVersion (if not nil)
	// against the draft's document version (ECONFLICT with
	// Fields["doc_version"]: the current one), calls freeze with the draft
	// as locked, which refuses it or returns the HTML of its body, and
	// stores that HTML with the submission. ENOTFOUND without a draft,
	// ELOCKED if it is already submitted; freeze's error as it is.
	SubmitStatement(ctx context.Context, phaseID, orgID, by int64, at time.Time, docVersion *int64,
		freeze func(draft *Statement) (html string, err error)) (*Statement, error)

	// CreateNotifications inserts ns, skipping any whose (user, key) exists.
	// It returns the ones inserted, with IDs.
	CreateNotifications(ctx context.Context, ns []*Notification) ([]*Notification, error)
	// FindNotifications lists a user's notifications, newest first.
	FindNotifications(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]*Notification, error)
	// CountUnread counts a user's unread notifications.
	CountUnread(ctx context.Context, userID int64) (int, error)
	// MarkRead marks the user's notifications ids (all if ids is empty) read.
	MarkRead(ctx context.Context, userID int64, ids []int64, at time.Time) error

	// CreateNamedVersion stores v and sets its ID and CreatedAt.
	// ENOTFOUND if the section is unknown.
	CreateNamedVersion(ctx context.Context, v *NamedVersion) error
	// FindNamedVersions lists a section's named versions, oldest first.
	FindNamedVersions(ctx context.Context, sectionID int64) ([]*NamedVersion, error)

	// VersionAt returns the version a section had at time t: the number of
	// ops committed before t.
	VersionAt(ctx context.Context, sectionID int64, t time.Time) (int64, error)
}

// NamedVersion is a section's text frozen at one op-log version under a
// name, such as the Beteiligungsfassung of a round (PhaseID set).
type NamedVersion struct {
	ID        int64     `json:"id"`
	SectionID int64     `json:"section_id"`
	PhaseID   *int64    `json:"phase_id"`
	Version   int64     `json:"version"`
	Text      string    `json:"text"`
	Name      string    `json:"name"`
	CreatedBy *int64    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// SectionPermissions are the actions the asking user may take on a section.
type SectionPermissions struct {
	Edit    bool `json:"edit"`    // change the text (and restore an older version)
	Comment bool `json:"comment"` // start a discussion or reply
	Propose bool `json:"propose"` // submit a change proposal
	Restore bool `json:"restore"` // restore a version from the history
}

// StatementPermissions are the actions the asking user may take on the
// statement of their organisation.
type StatementPermissions struct {
	Read       bool `json:"read"`        // read the statement
	Edit       bool `json:"edit"`        // save the draft
	Submit     bool `json:"submit"`      // submit the draft
	NewVersion bool `json:"new_version"` // start a new version after a submitted one
}

// UserPermissions are the global capabilities of the signed-in user.
type UserPermissions struct {
	Moderate       bool `json:"moderate"`        // the moderation queue
	ManageUsers    bool `json:"manage_users"`    // administer accounts
	ViewAudit      bool `json:"view_audit"`      // the audit log
	ViewReport     bool `json:"view_report"`     // the consultation report
	WriteStatement bool `json:"write_statement"` // write the statement of the own organisation
	ViewStatements bool `json:"view_statements"` // the statements page: writers and staff
	// Beschlüsse (backend/beschluss).
	ManageBeschluss bool `json:"manage_beschluss"` // create Vorlagen, enter a session's votes, close a vote
	ManageKey       bool `json:"manage_key"`       // edit the Königsteiner Schlüssel
	// ManageStructure: create and edit strategies, topics and sections.
	ManageStructure bool `json:"manage_structure"`
	// ImportDocuments: import a draft as sections (backend/importdoc).
	ImportDocuments bool `json:"import_documents"`
}
