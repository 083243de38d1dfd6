package export

import (
	"reflect"
	"testing"
)

func TestFromMarkdown(t *testing.T) {
	got := FromMarkdown("# Ziel\n\nText mit **fett**, _kursiv_ und [Link](https://example.org/ä).\n\n1. eins\n2. zwei\n\n<script>x</script>\n\n[böse](javascript:alert(1))", 1)
	want := []Block{
		Heading{Level: 2, Runs: []Run{Text("Ziel")}},
		Paragraph{Runs: []Run{Text("Text mit "), {Text: "fett", Bold: true}, Text(", "), {Text: "kursiv", Italic: true}, Text(" und "), {Text: "Link", Link: "https://example.org/ä"}, Text(".")}},
		List{Ordered: true, Items: [][]Block{{Paragraph{Runs: []Run{Text("eins")}}}, {Paragraph{Runs: []Run{Text("zwei")}}}}},
		Paragraph{Runs: []Run{Text("böse")}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %#v\nwant %#v", got, want)
	}
}

func TestFromMarkdownTableAndCode(t *testing.T) {
	got := FromMarkdown("| A | B |\n|---|---|\n| 1 | 2 |\n\n```\nx  y\n```\n", 0)
	if len(got) != 2 {
		t.Fatalf("got %d blocks: %#v", len(got), got)
	}
	tb, ok := got[0].(Table)
	if !ok || len(tb.Header) != 2 || len(tb.Rows) != 1 || PlainText(tb.Rows[0][1].Blocks[0].(Paragraph).Runs) != "2" {
		t.Fatalf("table: %#v", got[0])
	}
	if p, ok := got[1].(Paragraph); !ok || !p.Preformatted || PlainText(p.Runs) != "x  y" {
		t.Fatalf("code block: %#v", got[1])
	}
}
