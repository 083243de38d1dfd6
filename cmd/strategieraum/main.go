// Command strategieraum is the one binary of Strategieraum: the server and
// its administration commands. It is the composition root: the only place
// that reads configuration and wires the backend packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "strategieraum:", err)
		os.Exit(1)
	}
}

// env is how run reads the environment, so tests can pass their own.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// get returns the variable's value or def when it is unset or empty.
func (e env) get(name, def string) string {
	if v := e.getenv(name); v != "" {
		return v
	}
	return def
}

const usage = `Strategieraum – gemeinsam Strategien schreiben und beteiligen.

Usage: strategieraum <command> [flags]

Commands:
  serve          run the server (HTTP, websocket, embedded UI)
  migrate up     apply pending database migrations
  migrate status list the migrations and whether they are applied
  user add       create an account
  user list      list the accounts
  user set-role  change an account's roles and topics
  user disable   disable an account and end its sessions
  user delete    delete an account's personal data, keep its contributions
  user reset-password  issue a one-time password reset link (30 minutes)
  strategy create  create an empty strategy
  strategy list    list the strategies
  strategy show|update|add-topic|add-section  build a strategy's structure
  import         import drafts (Markdown, ODT, DOCX) as sections of a strategy
  user reset-2fa remove an account's second factor and end its sessions
  backup         write a consistent copy of the database to a file
  restore        restore a backup into a new or empty database
  healthcheck    exit 0 if the local server answers /healthz
  version        print the version

Run "strategieraum <command> --help" for a command's flags and environment.
Configuration comes from flags, then STRATEGIERAUM_* environment variables;
secrets may also be given as NAME_FILE, a file holding the value.
`

// run executes one command line. It returns flag.ErrHelp after printing help.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "version", "--version":
		if len(args) > 1 && isHelp(args[1]) {
			fmt.Fprint(stdout, "Usage: strategieraum version\n\nPrint the version of this binary.\n")
			return flag.ErrHelp
		}
		fmt.Fprintln(stdout, "strategieraum", version)
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return flag.ErrHelp
	}
	getenv, err := withSecretFiles(getenv, os.ReadFile)
	if err != nil {
		return err
	}
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], e)
	case "migrate":
		return runMigrate(ctx, args[1:], e)
	case "user":
		return runUser(ctx, args[1:], e)
	case "strategy":
		return runStrategy(ctx, args[1:], e)
	case "import":
		return runImport(ctx, args[1:], e)
	case "backup":
		return runBackup(ctx, args[1:], e)
	case "restore":
		return runRestore(ctx, args[1:], e)
	case "healthcheck":
		return runHealthcheck(ctx, args[1:], e)
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

// subcommandHelp answers a command group (migrate, user) called without a
// subcommand, with a help flag, or with an unknown subcommand: the list of
// subcommands, on stdout for help (exit 0) and on stderr otherwise.
func subcommandHelp(group, list string, args []string, e env) error {
	text := fmt.Sprintf("Usage: strategieraum %s <command> [flags]\n\nCommands:\n%s\nRun \"strategieraum %s <command> --help\" for a command's flags and environment.\n", group, list, group)
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprint(e.stdout, text)
		return flag.ErrHelp
	}
	fmt.Fprint(e.stderr, text)
	if len(args) == 0 {
		return fmt.Errorf("%s needs a command", group)
	}
	return fmt.Errorf("unknown %s command %q", group, args[0])
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// whose help lists its flags and the environment variables envNames.
func newFlagSet(name, synopsis, summary string, envNames []string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: strategieraum %s\n\n%s\n", synopsis, summary)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(e.stderr, "\nFlags:")
			fs.PrintDefaults()
		}
		printEnv(e.stderr, envNames)
	}
	return fs
}
