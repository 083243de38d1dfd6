package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// TestImportCommand imports two Markdown files into new topics, after a
// preview that creates nothing and a refused file that creates nothing.
func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"STRATEGIERAUM_DATABASE_URL": filepath.Join(dir, "s.db")}
	if _, _, err := runCmd(t, vars, "", "migrate", "up"); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, vars, "", "strategy", "create", "--title", "Digitalstrategie")
	id := regexp.MustCompile(`created strategy (\d+)`).FindStringSubmatch(out)
	if err != nil || id == nil {
		t.Fatalf("strategy create: %v %q", err, out)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("Datennutzung.md", "# Zielbild\nDaten **teilen**.\n# Leitplanken\n- offen\n")
	b := write("Sicherheit.md", "Ohne Überschrift.")
	bad := write("falsch.docx", "# kein Word")

	if _, _, err := runCmd(t, vars, "", "import", "--strategy", id[1], a, bad); err == nil || !strings.Contains(err.Error(), "falsch.docx") {
		t.Fatalf("bad file: %v", err)
	}
	out, _, err = runCmd(t, vars, "", "import", "--strategy", id[1], "--preview", a)
	if err != nil || !strings.Contains(out, `would import`) || !strings.Contains(out, `"Leitplanken"`) {
		t.Fatalf("preview: %v %q", err, out)
	}
	out, _, err = runCmd(t, vars, "", "import", "--strategy", id[1], a, b)
	if err != nil || !regexp.MustCompile(`imported ".*Datennutzung.md" \(markdown\) into topic \d+ "Datennutzung": 2 sections\n  section \d+ "Zielbild"`).MatchString(out) ||
		!strings.Contains(out, `into topic`) || !strings.Contains(out, `"Sicherheit": 1 sections`) {
		t.Fatalf("import: %v %q", err, out)
	}
	// The preview and the refused file created nothing: three sections.
	db := storetest.OpenURL(t, vars["STRATEGIERAUM_DATABASE_URL"], nil)
	sid, _ := strconv.ParseInt(id[1], 10, 64)
	if secs, err := db.FindSections(context.Background(), sid); err != nil || len(secs) != 3 {
		t.Fatalf("%d sections stored (%v):\n%s", len(secs), err, out)
	}
	if _, _, err := runCmd(t, vars, "", "import", "--strategy", id[1]); err == nil {
		t.Fatal("import without files accepted")
	}
}
