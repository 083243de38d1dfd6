package export

import (
	"strings"
	"testing"
)

func TestDefuseLeavesOrdinaryTextAlone(t *testing.T) {
	para := "Bund und Länder stellen **Leistungen** digital bereit, [mehr](https://example.org).\n\n"
	item := "- ein Punkt mit _Betonung_\n"
	code := "```\n" + strings.Repeat("x*_[a](", MaxInlineRun/4) + "\n```\n"
	for name, src := range map[string]string{
		"short":                      "[a](" + "**b**",
		"many short paragraphs":      strings.Repeat(para, 2*MaxInlineRun/len(para)),
		"a long list of short items": strings.Repeat(item, 2*MaxInlineRun/len(item)),
		"a long fenced code block":   code + para,
		"a table of many short rows": "| A | B |\n|---|---|\n" + strings.Repeat("| **1** | 2 |\n", 2*MaxInlineRun/14),
	} {
		if got := Defuse(src); got != src {
			t.Errorf("%s: changed", name)
		}
	}
}

func TestDefuseShowsAnOversizedParagraphLiterally(t *testing.T) {
	hostile := strings.Repeat("[a](*a_", MaxInlineRun/7+100)
	src := "# Ziel\n\nDer **erste** Absatz.\n\n" + hostile + "\nnoch eine Zeile\n\nDer _letzte_ Absatz."
	got := FromMarkdown(src, 0)
	if len(got) != 4 {
		t.Fatalf("got %d blocks: want heading and three paragraphs", len(got))
	}
	if p := got[1].(Paragraph); len(p.Runs) != 3 || !p.Runs[1].Bold {
		t.Errorf("the short paragraph before lost its emphasis: %#v", p.Runs)
	}
	if text := PlainText(got[2].(Paragraph).Runs); text != hostile+" noch eine Zeile" && text != hostile+"\nnoch eine Zeile" {
		t.Errorf("the oversized paragraph is not its literal text (%d bytes, starts %q)", len(text), text[:min(len(text), 40)])
	}
	if p := got[3].(Paragraph); len(p.Runs) != 3 || !p.Runs[1].Italic {
		t.Errorf("the short paragraph after lost its emphasis: %#v", p.Runs)
	}
}
