package domain

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. Each maps to exactly one HTTP status and one websocket error
// code; the mapping lives in the transport packages.
const (
	EINVALID      = "invalid"      // a field or value is not acceptable
	ENOTFOUND     = "not_found"    // the resource does not exist (or is not visible)
	ECONFLICT     = "conflict"     // the request conflicts with the current state
	EUNAUTHORIZED = "unauthorized" // no or no valid credentials
	EFORBIDDEN    = "forbidden"    // credentials valid, action not allowed
	ETOOLARGE     = "too_large"    // a body or value exceeds a size limit
	ERATELIMIT    = "rate_limited" // too many requests
	ELOCKED       = "locked"       // the resource is frozen (final section, submitted statement)
	EINTERNAL     = "internal"     // anything unexpected; details are logged, never shown
	EUNAVAILABLE  = "unavailable"  // a dependency (database, broker) is not reachable
)

// Reasons refine a code where clients react differently or translate the
// message: they travel as the problem's "reason" member.
const (
	ReasonStaleRevision   = "stale_revision"     // saved on an older revision than the current one
	ReasonRoundClosed     = "round_closed"       // the consultation round's deadline has passed (or a later phase began)
	ReasonNotInRound      = "not_in_round"       // the section is outside the current round's scope
	ReasonContribLimit    = "contribution_limit" // too many threads or comments in a short time
	ReasonDeadlinePassed  = "deadline_passed"    // a vote's deadline has passed (Umlaufverfahren)
	ReasonNotYetOpen      = "not_yet_open"       // the consultation window has not opened yet
	ReasonPhaseClosed     = "phase_closed"       // no consultation phase is running
	ReasonAdopted         = "adopted"            // the strategy is adopted; nothing changes any more
	ReasonSectionLocked   = "section_locked"     // the section is final
	ReasonSectionArchived = "section_archived"   // the section was archived; it is read only
	ReasonAdminOnly       = "admin_only"         // reserved for administrators
	ReasonReadOnly        = "read_only"          // the account's role only reads
	ReasonNotSponsor      = "not_sponsor"        // only the topic's Themenpaten (or staff) may do this
	ReasonStaffOnly       = "staff_only"         // reserved for moderators or administrators
	ReasonOtherOrg        = "other_org"          // only for one's own organisation
	ReasonOwnContribution = "own_contribution"   // one cannot co-sign one's own organisation's contribution
	ReasonNotParticipant  = "not_participant"    // only participants (role land) write statements
	ReasonLoginThrottled  = "login_throttled"    // too many failed sign-ins
	ReasonBadCredentials  = "bad_credentials"    // e-mail or password wrong
	ReasonLoginRequired   = "login_required"     // no session or token
	ReasonAccountDisabled = "account_disabled"   // the account is disabled
	// The second factor (TOTP).
	ReasonSecondFactorRequired = "second_factor_required" // set up the second factor first
	ReasonBadSecondFactor      = "bad_second_factor"      // code or recovery code wrong
	ReasonCodeReused           = "code_reused"            // that code was used already
	ReasonLoginExpired         = "login_expired"          // the password step timed out
	ReasonSSOAccount           = "sso_account"            // the identity provider handles it
	ReasonRequiredForRole      = "required_for_role"      // the role must keep its second factor
)

// Error is the one error type that carries a code and a user-facing German
// message. Fields names offending input fields for validation errors;
// Reason refines Code; Stale describes a newer revision for a refused save.
type Error struct {
	Code    string
	Reason  string
	Message string
	Fields  map[string]string
	Stale   *StaleRevision
	Err     error // wrapped cause, never shown to users
}

// StaleRevision says who changed a document since a refused save began.
type StaleRevision struct {
	Revision  int64
	ChangedBy string
	ChangedAt time.Time
}

// WithReason sets the reason of e and returns e.
func (e *Error) WithReason(reason string) *Error {
	e.Reason = reason
	return e
}

// ErrorReason returns the reason of the first *Error in err's chain, or "".
func ErrorReason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the wrapped cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming one offending field.
func Invalid(field, message string) *Error {
	return &Error{Code: EINVALID, Message: message, Fields: map[string]string{field: message}}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Errors without a code
// yield the generic "Interner Fehler" so that internals never leak.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Interner Fehler"
}

// ErrorFields returns the offending fields of a validation error, or nil.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
