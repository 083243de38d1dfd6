// Command loadgen puts live-editing load on one or more Strategieraum
// instances: N websocket clients open one section, E of them type at a given
// rate, and it reports edit-to-delivery latency at every other client,
// submit-to-ack latency, committed ops per second and errors.
//
//	loadgen -url http://localhost:8080,http://localhost:8081 -section 3 \
//	        -email pate@hessen.example -password … -clients 200 -editors 10 -rate 5 -duration 30s
//
// With -idle it only holds N open connections, to measure the server's
// memory per idle connection.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	urls            []string
	token           string
	email, password string
	section         int64
	clients         int
	editors         int
	rate            float64
	duration        time.Duration
	idle            bool
}

func parseFlags(args []string, getenv func(string) string) (*config, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	var c config
	urls := fs.String("url", "http://localhost:8080", "comma-separated base URLs of the instances")
	fs.StringVar(&c.token, "token", getenv("STRATEGIERAUM_TOKEN"), "API token (default $STRATEGIERAUM_TOKEN)")
	fs.StringVar(&c.email, "email", "", "log in with this e-mail and create a token (instead of -token)")
	fs.StringVar(&c.password, "password", getenv("STRATEGIERAUM_PASSWORD"), "password for -email (default $STRATEGIERAUM_PASSWORD)")
	fs.Int64Var(&c.section, "section", 0, "section id to open (required)")
	fs.IntVar(&c.clients, "clients", 50, "websocket clients in total")
	fs.IntVar(&c.editors, "editors", 5, "how many of the clients type")
	fs.Float64Var(&c.rate, "rate", 5, "keystrokes per second per editor")
	fs.DurationVar(&c.duration, "duration", 30*time.Second, "how long the editors type")
	fs.BoolVar(&c.idle, "idle", false, "only hold -clients idle connections until interrupted")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	for _, u := range strings.Split(*urls, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			c.urls = append(c.urls, u)
		}
	}
	switch {
	case len(c.urls) == 0:
		return nil, errors.New("-url is empty")
	case c.section <= 0:
		return nil, errors.New("-section is required")
	case c.clients < 1 || c.editors < 0 || c.editors > c.clients:
		return nil, errors.New("need 1 <= -clients and 0 <= -editors <= -clients")
	case c.rate <= 0:
		return nil, errors.New("-rate must be positive")
	case c.token == "" && c.email == "":
		return nil, errors.New("give -token (or $STRATEGIERAUM_TOKEN) or -email and -password")
	}
	return &c, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := parseFlags(args, getenv)
	if err != nil {
		return err
	}
	if cfg.token == "" {
		if cfg.token, err = login(ctx, cfg.urls[0], cfg.email, cfg.password); err != nil {
			return err
		}
	}
	st := newStats()
	clients := make([]*client, cfg.clients)
	for i := range clients {
		clients[i] = &client{cfg: cfg, stats: st, url: cfg.urls[i%len(cfg.urls)], editor: i < cfg.editors, id: fmt.Sprintf("lg%d-%d", time.Now().UnixNano()%1e6, i)}
	}
	// Connect everyone first, a few at a time, so that the typing starts
	// with all receivers in place. Each client reads from the moment it is
	// connected, so that it answers the server's pings.
	start := make(chan struct{})
	var wg, readers sync.WaitGroup
	sem := make(chan struct{}, 64)
	for _, c := range clients {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := c.connect(ctx); err != nil {
				st.error("connect: " + err.Error())
				return
			}
			readers.Add(1)
			go func() { defer readers.Done(); c.run(ctx, start) }()
		}()
	}
	wg.Wait()
	connected := 0
	for _, c := range clients {
		if c.ws != nil {
			connected++
		}
	}
	fmt.Fprintf(stdout, "%d of %d clients connected to %d instance(s)\n", connected, len(clients), len(cfg.urls))
	if connected == 0 {
		return errors.New("no client could connect")
	}
	if cfg.idle {
		fmt.Fprintln(stdout, "holding idle connections; measure the server's memory now, interrupt to end")
		<-ctx.Done()
		return nil
	}
	startedAt := time.Now()
	close(start)
	select {
	case <-ctx.Done():
	case <-time.After(cfg.duration):
	}
	elapsed := time.Since(startedAt)
	// Let the last acks and deliveries arrive.
	time.Sleep(2 * time.Second)
	for _, c := range clients {
		if c.ws != nil {
			c.close()
		}
	}
	readers.Wait()
	st.report(stdout, elapsed, connected-1)
	return nil
}
