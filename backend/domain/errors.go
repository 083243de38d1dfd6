package domain

import (
	"errors"
	"fmt"
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

// Error is the one error type that carries a code and a user-facing German
// message. Fields names offending input fields for validation errors.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	Err     error // wrapped cause, never shown to users
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
