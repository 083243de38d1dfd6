package consult

import (
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/export"
)

func TestRenderMarkdownShowsAnOversizedParagraphLiterally(t *testing.T) {
	hostile := strings.Repeat("[a](*a_", export.MaxInlineRun/7+100)
	got := RenderMarkdown("Der **erste** Absatz.\n\n" + hostile)
	if !strings.Contains(got, "<strong>erste</strong>") {
		t.Errorf("the short paragraph lost its emphasis: %.80s", got)
	}
	if !strings.Contains(got, "<p>"+strings.Repeat("[a](*a_", 20)) || strings.Contains(got, "<em>") || strings.Contains(got, "<a ") {
		t.Errorf("the oversized paragraph is not shown as its literal text: %.200s", got[strings.Index(got, "</p>"):])
	}
}
