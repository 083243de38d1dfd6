package consult

import (
	"strings"
	"testing"
	"testing/quick"
)

func TestWordDiff(t *testing.T) {
	t.Parallel()
	got := WordDiff("Bund und Länder handeln gemeinsam.", "Bund, Länder und Kommunen handeln gemeinsam.")
	var from, to strings.Builder
	marked := ""
	for _, c := range got {
		if c.Kind != Inserted {
			from.WriteString(c.Text)
		}
		if c.Kind != Deleted {
			to.WriteString(c.Text)
		}
		if c.Kind != Unchanged {
			marked += string(c.Kind[0]) + "[" + c.Text + "]"
		}
	}
	if from.String() != "Bund und Länder handeln gemeinsam." || to.String() != "Bund, Länder und Kommunen handeln gemeinsam." {
		t.Fatalf("diff does not reproduce both texts: %+v", got)
	}
	if strings.Contains(marked, "Länd[") || !strings.Contains(marked, "Kommunen") {
		t.Fatalf("changes split words or miss one: %s", marked)
	}
}

// TestWordDiffReproducesBoth checks on random texts that the unchanged and
// deleted parts give the old text and the unchanged and inserted parts the
// new one.
func TestWordDiffReproducesBoth(t *testing.T) {
	t.Parallel()
	f := func(a, b string) bool {
		var from, to strings.Builder
		for _, c := range WordDiff(a, b) {
			if c.Kind != Inserted {
				from.WriteString(c.Text)
			}
			if c.Kind != Deleted {
				to.WriteString(c.Text)
			}
		}
		return from.String() == strings.ToValidUTF8(a, "\uFFFD") && to.String() == strings.ToValidUTF8(b, "\uFFFD")
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 300}); err != nil {
		t.Fatal(err)
	}
}
