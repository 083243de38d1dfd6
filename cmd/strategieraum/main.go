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
  serve        run the server (HTTP, websocket, embedded UI)
  migrate      apply (up) or list (status) database migrations
  user         manage accounts: add, list, set-role, disable
  healthcheck  exit 0 if the local server answers /healthz
  version      print the version

Run "strategieraum <command> --help" for a command's flags.
Configuration comes from flags, then STRATEGIERAUM_* environment variables.
`

// run executes one command line. It returns flag.ErrHelp after printing help.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], e)
	case "migrate":
		return runMigrate(ctx, args[1:], e)
	case "user":
		return runUser(ctx, args[1:], e)
	case "healthcheck":
		return runHealthcheck(ctx, args[1:], e)
	case "version", "--version":
		fmt.Fprintln(stdout, "strategieraum", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return flag.ErrHelp
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name, synopsis string, e env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: strategieraum %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}
