package auth

import (
	"strings"
	"testing"
)

func TestPasswordPolicy(t *testing.T) {
	const email = "Max.Muster@hessen.de"
	ok := []string{
		"Kaffee am Morgen im Amt",
		"zwölf Äpfel!!", // 13 characters, 15 bytes
		"korrekt pferd batterie heftklammer",
		strings.Repeat("Amt und Zeit ", 19) + "Ämter 12", // 256 bytes
		"max.musterhessen",
	}
	for _, p := range ok {
		if msg := PasswordProblem(p, email); msg != "" {
			t.Errorf("PasswordProblem(%q) = %q, want acceptable", p, msg)
		}
	}
	bad := map[string]string{
		"kurz":       "mindestens 12",
		"elf Zeiche": "mindestens 12",
		strings.Repeat("Amt und Zeit ", 19) + "Ämter 123": "höchstens 256",
		"zwölf Zeichen\x00":        "Steuerzeichen",
		"max.muster@hessen.de":     "E-Mail",
		"MAX.MUSTER@HESSEN.DE":     "E-Mail",
		"max.muster2026!":          "E-Mail",
		"passwort1234":             "verbreitet",
		"Passwort2026!":            "verbreitet",
		"sicherespasswort":         "verbreitet",
		"!!Willkommen123":          "verbreitet",
		"Strategieraum2026":        "verbreitet",
		"123456789012":             "verbreitet", // digits only: nothing left of it
		"aaaaaaaaaaaaaa":           "Wiederholungen",
		"abcabcabcabc":             "Wiederholungen",
		"abcdefghijklm":            "Wiederholungen",
		"zyxwvutsrqpo":             "Wiederholungen",
		"hallohallohallo":          "Wiederholungen",
		"\xff\xfe invalid UTF-8 x": "ungültige",
	}
	for p, want := range bad {
		if msg := PasswordProblem(p, email); !strings.Contains(msg, want) {
			t.Errorf("PasswordProblem(%q) = %q, want it to mention %q", p, msg, want)
		}
	}
}

func TestCommonListLoaded(t *testing.T) {
	if len(common) < 200 || !common["passwort"] || !common["qwertz123"] || common[""] {
		t.Fatalf("common list has %d entries or misses known ones", len(common))
	}
	for w := range common {
		if w != strings.ToLower(w) || strings.HasPrefix(w, "#") {
			t.Errorf("entry %q is not a lower-case password", w)
		}
	}
}
