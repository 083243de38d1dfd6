package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/strategieraum/strategieraum/backend/structure"
)

// strategyCommands lists the strategy subcommands for the group's help.
const strategyCommands = `  create       create a strategy
  list         list the strategies
  show         list a strategy's topics and sections
  update       change a strategy's title, description or statement visibility
  add-topic    add a Schwerpunktthema with its sponsoring organisations
  add-section  append a section
`

func runStrategy(ctx context.Context, args []string, e env) error {
	if len(args) > 0 {
		switch args[0] {
		case "create":
			return runStrategyCreate(ctx, args[1:], e)
		case "list":
			return runStrategyList(ctx, args[1:], e)
		case "show":
			return runStrategyShow(ctx, args[1:], e)
		case "update":
			return runStrategyUpdate(ctx, args[1:], e)
		case "add-topic":
			return runStrategyAddTopic(ctx, args[1:], e)
		case "add-section":
			return runStrategyAddSection(ctx, args[1:], e)
		}
	}
	return subcommandHelp("strategy", strategyCommands, args, e)
}

func runStrategyCreate(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("strategy create", "strategy create --title T [--description D] [--statements-public]",
		"Create an empty strategy (then add topics and sections) and print its id.", databaseEnv, e)
	dbURL := databaseFlag(fs, e)
	title := fs.String("title", "", "the strategy's title (required)")
	desc := fs.String("description", "", "a short description")
	public := fs.Bool("statements-public", false, "submitted statements are readable by every participant")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *title == "" {
		fs.Usage()
		return fmt.Errorf("--title is required")
	}
	return withStructure(ctx, *dbURL, func(svc *structure.Service) error {
		st, err := svc.CreateStrategy(ctx, structure.Operator,
			structure.NewStrategy{Title: *title, Description: *desc, StatementsPublic: *public})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created strategy %d %q\n", st.ID, st.Title)
		return nil
	})
}

func runStrategyList(ctx context.Context, args []string, e env) error {
	db, err := openForList(ctx, "strategy list", "List the strategies with id and title.", args, e)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := structureService(db).Strategies(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tTITLE\tSTATEMENTS")
	for _, s := range list {
		vis := "organisation"
		if s.StatementsPublic {
			vis = "public"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\n", s.ID, s.Title, vis)
	}
	return w.Flush()
}
