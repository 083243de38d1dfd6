// Package exporttest opens office documents with real office software in
// tests: LibreOffice (headless) and poppler's pdftotext.
package exporttest

import (
	"context"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// RequireTool finds an office tool. On a developer machine without it the
// test is skipped; in CI (CI or STRATEGIERAUM_TEST_SOFFICE set, as .ci/run
// does) a missing tool fails the test, so the check cannot silently vanish.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" || os.Getenv("STRATEGIERAUM_TEST_SOFFICE") != "" {
		t.Fatalf("%s is needed (Debian: libreoffice-writer-nogui, poppler-utils): %v", name, err)
	}
	t.Skipf("%s not installed; set STRATEGIERAUM_TEST_SOFFICE=1 to require it", name)
	return ""
}

// OfficeHTML has LibreOffice open each file and save it as XHTML, and
// returns the pages by input file name.
func OfficeHTML(t testing.TB, files map[string][]byte) map[string]string {
	t.Helper()
	pages := map[string]string{}
	for name, b := range Convert(t, files, "html:XHTML Writer File:UTF8", ".html") {
		pages[name] = string(b)
	}
	return pages
}

// Convert has LibreOffice open each file and save it with filter (as
// soffice's --convert-to takes it, e.g. "odt" or "docx:MS Word 2007 XML"),
// and returns the files it wrote, ending in ext, by input file name. One
// soffice run converts them all, with a profile of its own so parallel
// runs do not share a lock.
func Convert(t testing.TB, files map[string][]byte, filter, ext string) map[string][]byte {
	t.Helper()
	soffice := RequireTool(t, "soffice")
	dir := t.TempDir()
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", filter, "--outdir", filepath.Join(dir, "out")}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	// A guard against a hung office process, not a speed assertion.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, soffice, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	converted := map[string][]byte{}
	for name := range files {
		base := strings.TrimSuffix(name, filepath.Ext(name))
		b, err := os.ReadFile(filepath.Join(dir, "out", base+ext))
		if err != nil {
			t.Fatalf("LibreOffice did not convert %s: %v\n%s", name, err, out)
		}
		converted[name] = b
	}
	return converted
}

var (
	headingRE = regexp.MustCompile(`(?s)<h([1-6])[^>]*>(.*?)</h[1-6]>`)
	tableRE   = regexp.MustCompile(`(?s)<table.*?</table>`)
	tagRE     = regexp.MustCompile(`<[^>]*>`)
	spaceRE   = regexp.MustCompile(`\s+`)
)

// Plain strips tags and entities and folds white space.
func Plain(s string) string {
	s = html.UnescapeString(tagRE.ReplaceAllString(s, " "))
	return strings.TrimSpace(spaceRE.ReplaceAllString(strings.ReplaceAll(s, "\u00a0", " "), " "))
}

// Headings lists the headings LibreOffice found, as "level text".
func Headings(page string) []string {
	var out []string
	for _, m := range headingRE.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1]+" "+Plain(m[2]))
	}
	return out
}

// Tables returns the text of each table LibreOffice found.
func Tables(page string) []string {
	var out []string
	for _, m := range tableRE.FindAllString(page, -1) {
		out = append(out, Plain(m))
	}
	return out
}

// PDFText extracts the text of a PDF with poppler's pdftotext.
func PDFText(t testing.TB, data []byte) string {
	t.Helper()
	tool := RequireTool(t, "pdftotext")
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}
