package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestStructureCommands builds a strategy at the command line: topic with
// sponsors, a section in it, a changed title; bad input is refused.
func TestStructureCommands(t *testing.T) {
	vars := map[string]string{"STRATEGIERAUM_DATABASE_URL": filepath.Join(t.TempDir(), "s.db")}
	out, _, err := runCmd(t, vars, "", "strategy", "create", "--title", "Digitalstrategie")
	m := regexp.MustCompile(`created strategy (\d+) `).FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("strategy create: %v %q", err, out)
	}
	sid := m[1]
	out, _, err = runCmd(t, vars, "", "strategy", "add-topic", "--strategy", sid, "--title", "Datennutzung", "--sponsors", "HH, BUND")
	m = regexp.MustCompile(`created topic (\d+) "Datennutzung"`).FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("add-topic: %v %q", err, out)
	}
	tid := m[1]
	if _, _, err := runCmd(t, vars, "", "strategy", "add-topic", "--strategy", sid, "--title", "X", "--sponsors", "XX"); err == nil ||
		!strings.Contains(err.Error(), "Unbekannte Organisation") {
		t.Errorf("unknown sponsor: %v", err)
	}
	out, _, err = runCmd(t, vars, "", "strategy", "add-section", "--strategy", sid, "--title", "Zielbild Daten", "--part", "schwerpunktthemen", "--topic", tid)
	if err != nil || !strings.Contains(out, `created section`) {
		t.Fatalf("add-section: %v %q", err, out)
	}
	if _, _, err := runCmd(t, vars, "", "strategy", "add-section", "--strategy", sid, "--title", "X", "--part", "anhang"); err == nil {
		t.Error("unknown part accepted")
	}
	if _, _, err := runCmd(t, vars, "", "strategy", "update", "--id", sid, "--title", "Föderale Digitalstrategie", "--statements-public"); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, vars, "", "strategy", "show", "--id", sid)
	if err != nil || !strings.Contains(out, "Föderale Digitalstrategie") ||
		!regexp.MustCompile(`\d+\s+Datennutzung\s+(BUND,HH|HH,BUND)`).MatchString(out) ||
		!regexp.MustCompile(`\d+\s+Zielbild Daten\s+schwerpunktthemen\s+`+tid).MatchString(out) {
		t.Fatalf("strategy show: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, vars, "", "strategy", "list")
	if err != nil || !strings.Contains(out, "public") {
		t.Errorf("visibility not changed: %v\n%s", err, out)
	}
}
