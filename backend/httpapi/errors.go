package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// problemType prefixes a domain error code to form the problem "type".
// The URN is stable and names the code; it is not meant to be fetched.
const problemType = "urn:strategieraum:problem:"

// Problem is an RFC 9457 problem details document.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Instance  string `json:"instance"`
	Code      string `json:"code"`
	RequestID string `json:"request_id"`
	// Reason refines Code (e.g. stale_revision, deadline_passed) so that
	// clients can react to it and translate the message.
	Reason string         `json:"reason,omitempty"`
	Errors []FieldProblem `json:"errors,omitempty"`
	// CurrentRevision, ChangedBy and ChangedAt describe the newer revision
	// that made a save stale (reason stale_revision).
	CurrentRevision *int64     `json:"current_revision,omitempty"`
	ChangedBy       string     `json:"changed_by,omitempty"`
	ChangedAt       *time.Time `json:"changed_at,omitempty"`
}

// FieldProblem names one offending input field of a validation problem.
type FieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// statusOf maps domain error codes to HTTP statuses. Every EINVALID is 400,
// whether the JSON was malformed or a field's value is unacceptable, so that
// clients need one branch for "fix your input".
var statusOf = map[string]int{
	domain.EINVALID:      http.StatusBadRequest,
	domain.ENOTFOUND:     http.StatusNotFound,
	domain.ECONFLICT:     http.StatusConflict,
	domain.EUNAUTHORIZED: http.StatusUnauthorized,
	domain.EFORBIDDEN:    http.StatusForbidden,
	domain.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	domain.ERATELIMIT:    http.StatusTooManyRequests,
	domain.ELOCKED:       http.StatusLocked,
	domain.EINTERNAL:     http.StatusInternalServerError,
	domain.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

// codeOfStatus maps statuses from echo's own errors back to domain codes.
var codeOfStatus = map[int]string{
	http.StatusBadRequest:            domain.EINVALID,
	http.StatusNotFound:              domain.ENOTFOUND,
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusConflict:              domain.ECONFLICT,
	http.StatusUnauthorized:          domain.EUNAUTHORIZED,
	http.StatusForbidden:             domain.EFORBIDDEN,
	http.StatusRequestEntityTooLarge: domain.ETOOLARGE,
	http.StatusTooManyRequests:       domain.ERATELIMIT,
	http.StatusServiceUnavailable:    domain.EUNAVAILABLE,
}

var titles = map[int]string{
	http.StatusBadRequest:            "Ungültige Anfrage",
	http.StatusUnauthorized:          "Nicht angemeldet",
	http.StatusForbidden:             "Keine Berechtigung",
	http.StatusNotFound:              "Nicht gefunden",
	http.StatusMethodNotAllowed:      "Methode nicht erlaubt",
	http.StatusConflict:              "Konflikt",
	http.StatusRequestEntityTooLarge: "Anfrage zu groß",
	http.StatusUnsupportedMediaType:  "Nicht unterstütztes Format",
	http.StatusLocked:                "Gesperrt",
	http.StatusTooManyRequests:       "Zu viele Anfragen",
	http.StatusInternalServerError:   "Interner Fehler",
	http.StatusServiceUnavailable:    "Dienst nicht verfügbar",
}

// rateLimitError is an ERATELIMIT error that knows when to retry.
type rateLimitError struct {
	err        *domain.Error
	retryAfter int // seconds
}

func (e *rateLimitError) Error() string { return e.err.Error() }
func (e *rateLimitError) Unwrap() error { return e.err }

// handleError is echo's HTTPErrorHandler: it turns any error into a problem
// document. Internal errors are logged with the request id and shown only as
// "Interner Fehler".
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := s.problemFor(err, c)
	if p.Status >= 500 && p.Code == domain.EINTERNAL {
		s.log.ErrorContext(c.Request().Context(), "request failed",
			"request_id", p.RequestID, "method", c.Request().Method, "route", c.Path(), "err", err)
	}
	if p.Status == http.StatusForbidden {
		s.auditDenied(c, p.Detail)
	}
	if p.Status == http.StatusUnauthorized {
		// RFC 9110 requires a challenge; browsers show no dialog for Bearer.
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="strategieraum"`)
	}
	var rl *rateLimitError
	if errors.As(err, &rl) {
		c.Response().Header().Set("Retry-After", strconv.Itoa(rl.retryAfter))
	}
	if p.Status == http.StatusMethodNotAllowed {
		// echo puts the allowed methods into the context for 405s.
		if allow, ok := c.Get(echo.ContextKeyHeaderAllow).(string); ok {
			c.Response().Header().Set("Allow", allow)
		}
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().WriteHeader(p.Status)
	if c.Request().Method == http.MethodHead {
		return
	}
	_ = jsonEncode(c.Response(), p)
}

// problemFor builds the problem document for err.
func (s *Server) problemFor(err error, c echo.Context) *Problem {
	p := &Problem{Instance: c.Request().URL.Path, RequestID: requestID(c)}
	var de *domain.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &de):
		p.Code, p.Detail, p.Reason = de.Code, de.Message, de.Reason
		if st := de.Stale; st != nil {
			rev, at := st.Revision, st.ChangedAt.UTC()
			p.CurrentRevision, p.ChangedBy, p.ChangedAt = &rev, st.ChangedBy, &at
		}
		p.Status = statusOf[de.Code]
		if p.Status == 0 {
			p.Status = http.StatusInternalServerError
		}
		keys := make([]string, 0, len(de.Fields))
		for k := range de.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p.Errors = append(p.Errors, FieldProblem{Field: k, Message: de.Fields[k]})
		}
	case errors.As(err, &he):
		p.Status = he.Code
		p.Code = codeOfStatus[he.Code]
		p.Detail = echoDetail(he)
	default:
		p.Status, p.Code = http.StatusInternalServerError, domain.EINTERNAL
	}
	if p.Code == "" {
		p.Code = fmt.Sprintf("http_%d", p.Status)
	}
	if p.Status >= 500 && p.Code == domain.EINTERNAL {
		p.Detail = "Interner Fehler. Bitte nennen Sie bei Rückfragen die Anfrage-ID " + p.RequestID + "."
	}
	p.Type = problemType + p.Code
	p.Title = titles[p.Status]
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	if p.Detail == "" {
		p.Detail = p.Title + "."
	}
	return p
}

// echoDetail gives German messages for the errors echo itself raises.
func echoDetail(he *echo.HTTPError) string {
	switch he.Code {
	case http.StatusNotFound:
		return "Diese Adresse gibt es nicht."
	case http.StatusMethodNotAllowed:
		return "Diese Methode ist für diese Adresse nicht erlaubt."
	case http.StatusRequestEntityTooLarge:
		return "Der Anfragetext ist zu groß."
	case http.StatusUnsupportedMediaType:
		return "Bitte senden Sie JSON (Content-Type: application/json)."
	}
	if m, ok := he.Message.(string); ok && he.Code < 500 {
		return m
	}
	return ""
}

// auditDenied records a 403 in the audit log; failures to do so are logged
// but never change the response.
func (s *Server) auditDenied(c echo.Context, detail string) {
	u := domain.UserFromContext(c.Request().Context())
	if u == nil {
		return
	}
	s.audit(c, u, "denied", truncate(c.Request().Method+" "+c.Request().URL.Path, 200), truncate(detail, 200))
}
