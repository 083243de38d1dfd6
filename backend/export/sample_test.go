package export

// sample is a document with every kind of block, German characters and a
// Synopse, shared by the format tests.
func sample() *Document {
	blocks := []Block{H(1, "Dachstrategie – Zukunftsbild")}
	blocks = append(blocks, FromMarkdown("## Ziele für Länder\n\nDie **Föderale** _Digitalstrategie_ verbindet [Bund und Länder](https://www.it-planungsrat.de/) „gemeinsam“ – straßenweit.\n\n- erster Punkt\n- zweiter Punkt mit `Code`\n  1. eins\n  2. zwei\n\n| Spalte Ä | Spalte Ö |\n|---|---|\n| Übergabe | Maßnahme |\n", 0)...)
	blocks = append(blocks, SynopseSample().Blocks()...)
	return &Document{Title: "Föderale Digitalstrategie", Subtitle: "Gesamtfassung", Header: "Föderale Digitalstrategie", Footer: "Stand 01.12.2026", Contents: true, Blocks: blocks}
}
