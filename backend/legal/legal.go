// Package legal holds the legal pages every installation must show
// (Impressum, Datenschutzerklärung, Erklärung zur Barrierefreiheit). The
// operator writes them as Markdown files; until then the shipped defaults
// are shown, with every detail only the operator knows marked
// [PLATZHALTER].
package legal

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

//go:embed defaults/*.md
var defaults embed.FS

// Placeholder marks what the operator must fill in.
const Placeholder = "[PLATZHALTER"

// maxPageBytes bounds one page's Markdown file.
const maxPageBytes = 1 << 20

// Page is one legal page, rendered.
type Page struct {
	Slug  string `json:"page"`
	Title string `json:"title"`
	// HTML is the Markdown rendered and sanitised.
	HTML string `json:"html"`
	// Placeholder is true while the text still holds [PLATZHALTER] marks.
	Placeholder bool `json:"placeholder"`
	// Default is true when the shipped text is shown, no operator's file.
	Default bool `json:"default"`
}

// Slugs lists the pages with their titles; a page's file is <slug>.md.
var Slugs = []struct{ Slug, Title string }{
	{"impressum", "Impressum"},
	{"datenschutz", "Datenschutzerklärung"},
	{"barrierefreiheit", "Erklärung zur Barrierefreiheit"},
}

// Pages are the legal pages by slug.
type Pages map[string]*Page

// Load reads <dir>/<slug>.md for every page and renders it with render
// (Markdown to sanitised HTML). A page whose file is missing, or every page
// when dir is "", gets the shipped default. A dir that is not a readable
// directory, or a file that cannot be read, is empty or is larger than
// 1 MiB, is an error, so that a mistake shows at start-up.
func Load(dir string, render func(markdown string) string) (Pages, error) {
	if dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("legal pages: %s is not a readable directory", dir)
		}
	}
	pages := Pages{}
	for _, s := range Slugs {
		text, isDefault, err := read(dir, s.Slug)
		if err != nil {
			return nil, err
		}
		pages[s.Slug] = &Page{Slug: s.Slug, Title: s.Title, HTML: render(text),
			Placeholder: strings.Contains(text, Placeholder), Default: isDefault}
	}
	return pages, nil
}

func read(dir, slug string) (text string, isDefault bool, err error) {
	name := slug + ".md"
	if dir != "" {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// fall through to the default
		case err != nil:
			return "", false, fmt.Errorf("legal pages: %w", err)
		case len(b) > maxPageBytes:
			return "", false, fmt.Errorf("legal pages: %s is larger than 1 MiB", path)
		case strings.TrimSpace(string(b)) == "":
			return "", false, fmt.Errorf("legal pages: %s is empty", path)
		default:
			return string(b), false, nil
		}
	}
	b, err := defaults.ReadFile("defaults/" + name)
	if err != nil {
		return "", false, fmt.Errorf("legal pages: default %s: %w", name, err)
	}
	return string(b), true, nil
}
