package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// decodeJSON reads exactly one JSON object into v. Unknown fields, trailing
// data, invalid UTF-8 and oversized bodies are rejected with messages that
// name the problem.
func decodeJSON(c echo.Context, v any) error {
	r := c.Request()
	if mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType)); err != nil || mt != "application/json" {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType)
	}
	body, err := io.ReadAll(r.Body)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return domain.Errorf(domain.ETOOLARGE, "Der Anfragetext ist größer als %d Bytes.", mbe.Limit)
	} else if err != nil {
		return domain.Errorf(domain.EINVALID, "Der Anfragetext konnte nicht gelesen werden.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return domain.Errorf(domain.EINVALID, "Der Anfragetext ist leer; erwartet wird ein JSON-Objekt.")
	}
	if !utf8.Valid(body) {
		return domain.Errorf(domain.EINVALID, "Der Anfragetext ist kein gültiges UTF-8.")
	}
	// PostgreSQL cannot store NUL in text, and no field needs it.
	if bytes.Contains(body, []byte(`\u0000`)) {
		return domain.Errorf(domain.EINVALID, "Der Anfragetext enthält ein Nullzeichen (\\u0000); das ist nicht zulässig.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return domain.Errorf(domain.EINVALID, "Nach dem JSON-Objekt folgen weitere Daten.")
	}
	return nil
}

// jsonError translates encoding/json's errors into German validation errors.
func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var pe *time.ParseError
	switch {
	case errors.As(err, &se):
		return domain.Errorf(domain.EINVALID, "Ungültiges JSON an Position %d.", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return domain.Errorf(domain.EINVALID, "Das JSON ist unvollständig.")
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return domain.Errorf(domain.EINVALID, "Erwartet wird ein JSON-Objekt.")
		}
		return domain.Invalid(field, fmt.Sprintf("Falscher Typ: erwartet %s.", typeName(te.Type.Kind().String())))
	case errors.As(err, &pe):
		return domain.Errorf(domain.EINVALID, "Ungültige Zeitangabe: erwartet wird ISO 8601, z. B. 2025-03-01T09:00:00Z.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return domain.Invalid(field, "Unbekanntes Feld.")
	}
	return domain.Errorf(domain.EINVALID, "Der Anfragetext ist kein gültiges JSON-Objekt.")
}

func typeName(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "eine ganze Zahl im zulässigen Bereich"
	case strings.HasPrefix(kind, "float"):
		return "eine Zahl"
	case kind == "string":
		return "eine Zeichenkette"
	case kind == "bool":
		return "true oder false"
	case kind == "slice":
		return "eine Liste"
	case kind == "struct", kind == "map", kind == "ptr":
		return "ein Objekt"
	}
	return kind
}

// pathID parses a positive integer id from the path. Anything else is a
// validation error, never a lookup.
func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Invalid(name, "Ungültige Kennung: erwartet wird eine positive ganze Zahl.")
	}
	return id, nil
}

// queryInt parses an optional non-negative integer query parameter.
func queryInt(c echo.Context, name string, def, max int64) (int64, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 || n > max {
		return 0, domain.Invalid(name, fmt.Sprintf("Erwartet wird eine ganze Zahl zwischen 0 und %d.", max))
	}
	return n, nil
}

// text validates a required single-line text field and returns it
// trimmed (domain.Line, the one text validation).
func text(field, value string, max int) (string, error) { return domain.Line(field, value, max) }

// jsonEncode writes v without HTML escaping so German texts stay readable.
func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
