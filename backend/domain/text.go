package domain

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The one validation of user texts, used by every service and transport.
// Lengths count code points. A text must be valid UTF-8 without NUL (which
// PostgreSQL cannot store); a text longer than allowed is ETOOLARGE, every
// other fault EINVALID on the named field.

// Line validates a required single-line text (a name, a title) and
// returns it trimmed: not empty, no control characters, at most max.
func Line(field, v string, max int) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", Invalid(field, "Darf nicht leer sein.")
	}
	if strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return "", Invalid(field, "Darf keine Steuerzeichen und keine Zeilenumbrüche enthalten.")
	}
	return Body(field, v, max, true)
}

// Body validates a multi-line text (a comment, a description). A required
// one is returned trimmed and must not be empty; an optional one is
// returned as given.
func Body(field, v string, max int, required bool) (string, error) {
	if required {
		if v = strings.TrimSpace(v); v == "" {
			return "", Invalid(field, "Darf nicht leer sein.")
		}
	}
	if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return "", Invalid(field, "Der Text enthält ungültige Zeichen.")
	}
	if n := utf8.RuneCountInString(v); n > max {
		e := Invalid(field, fmt.Sprintf("Der Text ist zu lang (%d Zeichen, höchstens %d).", n, max))
		e.Code = ETOOLARGE
		return "", e
	}
	return v, nil
}
