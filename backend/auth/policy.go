package auth

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The password policy follows NIST SP 800-63B (5.1.1.2) and the BSI
// IT-Grundschutz (ORP.4.A22): a minimum length, a generous maximum, no
// composition rules, and a check against commonly used passwords and the
// account's own e-mail address. Length is counted in characters (runes), so
// umlauts count once; the maximum is in bytes because that bounds hashing.

//go:embed common_passwords.txt
var commonList string

// common holds the refused passwords, lower case.
var common = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
}()

// PasswordProblem says in German why password is not acceptable for the
// account with that e-mail address, or returns "" if it is.
func PasswordProblem(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return "Das Passwort enthält ungültige Zeichen."
	case n < MinPasswordLen:
		return fmt.Sprintf("Das Passwort muss mindestens %d Zeichen haben.", MinPasswordLen)
	case len(password) > MaxPasswordLen:
		return fmt.Sprintf("Das Passwort darf höchstens %d Bytes lang sein.", MaxPasswordLen)
	case strings.ContainsFunc(password, unicode.IsControl):
		return "Das Passwort darf keine Steuerzeichen enthalten."
	}
	lower := strings.ToLower(password)
	email = strings.ToLower(strings.TrimSpace(email))
	local, _, _ := strings.Cut(email, "@")
	if email != "" && (lower == email || lower == local || strings.Trim(lower, "0123456789!?.-_ ") == local) {
		return "Das Passwort darf nicht Ihre E-Mail-Adresse sein."
	}
	if isCommon(lower) {
		return "Dieses Passwort ist zu verbreitet und wird bei Angriffen zuerst ausprobiert. Bitte wählen Sie ein anderes, z. B. einen Satz aus mehreren Wörtern."
	}
	if repetitive(lower) {
		return "Das Passwort besteht nur aus Wiederholungen oder einer Zeichenfolge. Bitte wählen Sie ein anderes, z. B. einen Satz aus mehreren Wörtern."
	}
	return ""
}

// isCommon reports whether the password is on the list, also after
// dropping the digits and punctuation people append ("Passwort2026!").
func isCommon(lower string) bool {
	if common[lower] {
		return true
	}
	stem := strings.TrimRightFunc(lower, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == ' ' })
	stem = strings.TrimLeftFunc(stem, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == ' ' })
	return stem == "" || common[stem]
}

// repetitive reports a password that is one short unit repeated
// ("abcabcabcabc") or a run of consecutive characters ("123456789012"
// wraps, "abcdefghijkl").
func repetitive(lower string) bool {
	r := []rune(lower)
	for unit := 1; unit <= len(r)/2; unit++ {
		if len(r)%unit != 0 {
			continue
		}
		if strings.Repeat(string(r[:unit]), len(r)/unit) == lower {
			return true
		}
	}
	up, down := true, true
	for i := 1; i < len(r); i++ {
		d := r[i] - r[i-1]
		up = up && (d == 1 || (r[i-1] == '9' && r[i] == '0'))
		down = down && (d == -1 || (r[i-1] == '0' && r[i] == '9'))
	}
	return up || down
}
