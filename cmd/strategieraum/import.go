package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/strategieraum/strategieraum/backend/importdoc"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/structure"
)

// newImporter is the import of drafts as the server and the command line
// use it.
func newImporter(db *store.DB, logger *slog.Logger) *structure.Importer {
	return structure.NewImporter(structure.ImportDeps{Strategies: db, Sections: db, Audit: db, Logger: logger})
}

func runImport(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("import", "import --strategy ID [--topic ID | --topic-title T] [--preview] FILE...",
		"Import drafts (Markdown .md, ODT, DOCX) as sections of a strategy, cut at their top-level\n"+
			"headings. The sections go to the end of the topic given, or into a new topic: one named\n"+
			"--topic-title for all files, or one per file named after it. All files are read first;\n"+
			"if one cannot be imported, nothing is created. --preview prints the sections only.", databaseEnv, e)
	dbURL := databaseFlag(fs, e)
	strategy := fs.Int64("strategy", 0, "the strategy's id (required)")
	topic := fs.Int64("topic", 0, "the id of an existing topic whose end takes the sections")
	topicTitle := fs.String("topic-title", "", "the title of a new topic for all files")
	preview := fs.Bool("preview", false, "print the sections that would be created, create nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *strategy <= 0 || fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("--strategy and at least one FILE are required")
	}
	req := structure.ImportRequest{StrategyID: *strategy, TopicTitle: *topicTitle, Preview: *preview}
	if *topic > 0 {
		req.TopicID = topic
	}
	for _, name := range fs.Args() {
		data, err := readLimited(name)
		if err != nil {
			return err
		}
		req.Files = append(req.Files, structure.ImportFile{Name: name, Data: data})
	}
	db, err := openDB(ctx, *dbURL, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	files, err := newImporter(db, nil).Import(ctx, nil, req)
	if err != nil {
		return err
	}
	verb := "imported"
	if *preview {
		verb = "would import"
	}
	for _, f := range files {
		fmt.Fprintf(e.stdout, "%s %q (%s) into topic %d %q: %d sections\n", verb, f.Name, f.Format, f.Topic.ID, f.Topic.Title, len(f.Sections))
		for _, s := range f.Sections {
			fmt.Fprintf(e.stdout, "  section %d %q (%d characters)\n", s.ID, s.Title, len([]rune(s.Text)))
		}
	}
	return nil
}

// readLimited reads a file to import, refusing one larger than the import
// takes before reading it whole.
func readLimited(name string) ([]byte, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if st.Size() > importdoc.DefaultMaxFileSize {
		return nil, fmt.Errorf("%s: larger than 10 MiB", name)
	}
	return os.ReadFile(name)
}
