package domain

import (
	"context"
	"encoding/json"
	"time"
)

// MailKind names what a queued mail is about.
type MailKind string

// The kinds of mail.
const (
	MailNotification  MailKind = "notification"   // a notification of the bell, as mail
	MailReceipt       MailKind = "receipt"        // acknowledgement of a submitted Stellungnahme
	MailPasswordReset MailKind = "password_reset" // a reset link issued by an administrator
	MailReminder      MailKind = "reminder"       // a round closes in 7 days or 1 day
	MailDigest        MailKind = "digest"         // a day's notifications in one mail
)

// MailState is the state of a queued mail.
type MailState string

// The states of a queued mail. Pending mails are due at their run time;
// the others are final.
const (
	MailPending MailState = "pending"
	MailSent    MailState = "sent"
	MailSkipped MailState = "skipped" // nothing to send any more (preference off, reminder obsolete)
	MailFailed  MailState = "failed"  // refused for good by the SMTP server, or too many attempts
)

// MailRetrying is not a state of its own but a count: the pending jobs
// whose last attempt failed (e.g. while the SMTP server is down).
const MailRetrying MailState = "retrying"

// MailStates lists every state and MailRetrying, for metrics.
var MailStates = []MailState{MailPending, MailRetrying, MailSent, MailSkipped, MailFailed}

// MailPreference is a user's choice for notification mails.
type MailPreference string

// The choices.
const (
	MailImmediately MailPreference = "sofort"
	MailDaily       MailPreference = "täglich"
	MailOff         MailPreference = "aus"
)

// Valid reports whether p is a known preference.
func (p MailPreference) Valid() bool { return p == MailImmediately || p == MailDaily || p == MailOff }

// Language is the language an account reads the UI and its mails in.
type Language string

// The languages.
const (
	German  Language = "de"
	English Language = "en"
)

// Valid reports whether l is a known language.
func (l Language) Valid() bool { return l == German || l == English }

// MailJob is one mail to one user in the outbox. Payload holds what the
// mail needs beyond the user (ids, a notification's text, a reset code)
// as JSON; the mail is rendered when it is sent.
type MailJob struct {
	ID        int64
	Kind      MailKind
	UserID    int64
	Payload   json.RawMessage
	DedupeKey string // empty: none; else a second job with the same key is dropped
	Attempts  int    // including the current one when claimed
	CreatedAt time.Time
	RunAt     time.Time // when to send when queued; zero: now
}

// MailOutbox is the durable queue of mails. Jobs are claimed with a lease,
// so several instances can work one queue and each job has one sender.
type MailOutbox interface {
	// EnqueueMail adds jobs, skipping those whose DedupeKey exists; it
	// returns how many were added. Does nothing while mail is off.
	EnqueueMail(ctx context.Context, jobs []*MailJob) (int, error)
	// ClaimMailJobs leases up to limit due pending jobs to worker until
	// now+lease and counts the attempt.
	ClaimMailJobs(ctx context.Context, worker string, now time.Time, lease time.Duration, limit int) ([]*MailJob, error)
	// FinishMailJob sets a claimed job's final state; false if worker no
	// longer holds the lease (then another worker has the job).
	FinishMailJob(ctx context.Context, id int64, worker string, state MailState, errText string, at time.Time) (bool, error)
	// RetryMailJob releases a claimed job to run again at runAt.
	RetryMailJob(ctx context.Context, id int64, worker string, runAt time.Time, errText string) error
	// CountMailJobs counts jobs by state.
	CountMailJobs(ctx context.Context) (map[MailState]int, error)
	// MailPreference is the user's choice (MailImmediately without one).
	MailPreference(ctx context.Context, userID int64) (MailPreference, error)
	// SetMailPreference stores the user's choice.
	SetMailPreference(ctx context.Context, userID int64, p MailPreference, at time.Time) error
}

// The payloads of the kinds of mail.
type (
	// NotificationMail is a copy of the notification: the mail says what the
	// bell says even if the notification is deleted meanwhile.
	NotificationMail struct {
		Kind       NotificationKind `json:"kind"`
		Text       string           `json:"text"`
		StrategyID int64            `json:"strategy_id"`
		ThreadID   *int64           `json:"thread_id,omitempty"`
		SectionID  *int64           `json:"section_id,omitempty"`
	}
	// ReceiptMail names the submitted version of a statement.
	ReceiptMail struct {
		StrategyID int64 `json:"strategy_id"`
		PhaseID    int64 `json:"phase_id"`
		OrgID      int64 `json:"org_id"`
		Version    int   `json:"version"`
	}
	// ResetMail carries the reset code in clear until the mail is sent.
	ResetMail struct {
		Code      string    `json:"code"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	// DigestMail covers the notifications created in [From, To).
	DigestMail struct {
		From time.Time `json:"from"`
		To   time.Time `json:"to"`
	}
	// ReminderMail names the round and the deadline it was made for.
	ReminderMail struct {
		StrategyID int64     `json:"strategy_id"`
		PhaseID    int64     `json:"phase_id"`
		ClosesAt   time.Time `json:"closes_at"`
		Days       int       `json:"days"`
	}
)

// NewMailJob is a job of kind to userID with payload p as JSON and the
// dedupe key (empty for none).
func NewMailJob(kind MailKind, userID int64, key string, p any) (*MailJob, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	return &MailJob{Kind: kind, UserID: userID, DedupeKey: key, Payload: b}, nil
}
