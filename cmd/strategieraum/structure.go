package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/structure"
)

// The structure commands build a strategy at the command line, through
// the same service (validation, audit) as the Struktur page.

func structureService(db *store.DB) *structure.Service {
	return structure.New(structure.Deps{Strategies: db, Audit: db})
}

// withStructure opens the database at url and runs fn with the structure
// service on it.
func withStructure(ctx context.Context, url string, fn func(*structure.Service) error) error {
	db, err := openDB(ctx, url, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(structureService(db))
}

func runStrategyUpdate(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("strategy update", "strategy update --id N [--title T] [--description D] [--statements-public=true|false]",
		"Change a strategy's title, description or the visibility of submitted statements; flags not given stay.", databaseEnv, e)
	dbURL := databaseFlag(fs, e)
	id := fs.Int64("id", 0, "the strategy's id (required)")
	title := fs.String("title", "", "the new title")
	desc := fs.String("description", "", "the new description")
	public := fs.Bool("statements-public", false, "submitted statements are readable by every participant")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *id <= 0 {
		fs.Usage()
		return fmt.Errorf("--id is required")
	}
	var ch structure.StrategyChanges
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "title":
			ch.Title = title
		case "description":
			ch.Description = desc
		case "statements-public":
			ch.StatementsPublic = public
		}
	})
	return withStructure(ctx, *dbURL, func(svc *structure.Service) error {
		st, err := svc.UpdateStrategy(ctx, structure.Operator, *id, ch)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "updated strategy %d %q\n", st.ID, st.Title)
		return nil
	})
}

func runStrategyAddTopic(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("strategy add-topic", "strategy add-topic --strategy N --title T [--sponsors CODE[,CODE]]",
		"Add a Schwerpunktthema with its sponsoring organisations and print its id. Themenpaten are then assigned with \"user set-role --role themenpate --topic ID\".", databaseEnv, e)
	dbURL := databaseFlag(fs, e)
	sid := fs.Int64("strategy", 0, "the strategy's id (required)")
	title := fs.String("title", "", "the topic's title (required)")
	sponsors := fs.String("sponsors", "", "sponsoring organisations, comma-separated codes, e.g. HH,BUND")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *sid <= 0 || *title == "" {
		fs.Usage()
		return fmt.Errorf("--strategy and --title are required")
	}
	codes := splitList(*sponsors)
	return withStructure(ctx, *dbURL, func(svc *structure.Service) error {
		t, err := svc.CreateTopic(ctx, structure.Operator, *sid, structure.TopicChanges{Title: title, Sponsors: &codes})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created topic %d %q\n", t.ID, t.Title)
		return nil
	})
}

func runStrategyAddSection(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("strategy add-section", "strategy add-section --strategy N --title T --part PART [--topic ID]",
		"Append an empty draft section and print its id. PART is dachstrategie, schwerpunktthemen or umsetzungsvorhaben.", databaseEnv, e)
	dbURL := databaseFlag(fs, e)
	sid := fs.Int64("strategy", 0, "the strategy's id (required)")
	title := fs.String("title", "", "the section's title (required)")
	part := fs.String("part", "", "dachstrategie, schwerpunktthemen or umsetzungsvorhaben (required)")
	topic := fs.Int64("topic", 0, "the id of the Schwerpunktthema the section belongs to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *sid <= 0 || *title == "" || *part == "" {
		fs.Usage()
		return fmt.Errorf("--strategy, --title and --part are required")
	}
	in := structure.NewSection{Title: *title, Part: domain.Part(*part)}
	if *topic > 0 {
		in.TopicID = topic
	}
	return withStructure(ctx, *dbURL, func(svc *structure.Service) error {
		sec, err := svc.CreateSection(ctx, structure.Operator, *sid, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created section %d %q\n", sec.ID, sec.Title)
		return nil
	})
}

func runStrategyShow(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("strategy show", "strategy show --id N", "List a strategy's topics with their sponsors and its sections in order (archived ones are left out).", databaseEnv, e)
	dbURL := databaseFlag(fs, e)
	id := fs.Int64("id", 0, "the strategy's id (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *id <= 0 {
		fs.Usage()
		return fmt.Errorf("--id is required")
	}
	return withStructure(ctx, *dbURL, func(svc *structure.Service) error { return printStructure(ctx, svc, *id, e) })
}

// printStructure lists strategy id's topics and sections.
func printStructure(ctx context.Context, svc *structure.Service, id int64, e env) error {
	st, err := svc.Strategy(ctx, structure.Operator, id)
	if err != nil {
		return err
	}
	sections, err := svc.Sections(ctx, structure.Operator, st)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d %s\n\n", st.ID, st.Title)
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TOPIC\tTITLE\tSPONSORS")
	for _, t := range st.Topics {
		codes := make([]string, len(t.Sponsors))
		for i, o := range t.Sponsors {
			codes[i] = o.Code
		}
		fmt.Fprintf(w, "%d\t%s\t%s\n", t.ID, t.Title, strings.Join(codes, ","))
	}
	fmt.Fprintln(w, "\nSECTION\tTITLE\tPART\tTOPIC")
	for _, s := range sections {
		topic := "-"
		if s.TopicID != nil {
			topic = strconv.FormatInt(*s.TopicID, 10)
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", s.ID, s.Title, s.Part, topic)
	}
	return w.Flush()
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(v string) []string {
	out := []string{}
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
