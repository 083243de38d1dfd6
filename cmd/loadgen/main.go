// Command loadgen puts live-editing load on one or more Strategieraum
// instances: N websocket clients open one document (-doc, e.g. section:3 or
// statement:42; -section 3 is short for -doc section:3) or are spread over
// several (-docs section:1-50,statement:7: clients i·u … i·u+u-1 for u
// instances open the i-th modulo their number, one on each instance), E of them type at a given rate, and it reports edit-to-delivery latency (at a sample of the
// clients: -sample), submit-to-ack latency, committed ops per second,
// errors and, with -pids, the CPU the server processes used.
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
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
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
	docs            []domain.DocKey // the documents to open: -docs, -doc or -section
	clients         int
	editors         int
	rate            float64
	duration        time.Duration
	idle            bool
	sample          int
	pids            []int
	editorURLs      []string
}

func parseFlags(args []string, getenv func(string) string) (*config, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	var c config
	urls := fs.String("url", "http://localhost:8080", "comma-separated base URLs of the instances")
	fs.StringVar(&c.token, "token", getenv("STRATEGIERAUM_TOKEN"), "API token (default $STRATEGIERAUM_TOKEN)")
	fs.StringVar(&c.email, "email", "", "log in with this e-mail and create a token (instead of -token)")
	fs.StringVar(&c.password, "password", getenv("STRATEGIERAUM_PASSWORD"), "password for -email (default $STRATEGIERAUM_PASSWORD)")
	fs.Int64Var(&c.section, "section", 0, "section id to open (or -doc)")
	docFlag := fs.String("doc", "", "document to open, e.g. section:3 or statement:42 (or -section)")
	docsFlag := fs.String("docs", "", "documents to spread the clients over, e.g. section:1-50,statement:7 (in turn, one client per instance each; editors too)")
	fs.IntVar(&c.clients, "clients", 50, "websocket clients in total")
	fs.IntVar(&c.editors, "editors", 5, "how many of the clients type")
	fs.Float64Var(&c.rate, "rate", 5, "keystrokes per second per editor")
	fs.DurationVar(&c.duration, "duration", 30*time.Second, "how long the editors type")
	fs.BoolVar(&c.idle, "idle", false, "only hold -clients idle connections until interrupted")
	fs.IntVar(&c.sample, "sample", 100, "how many clients decode every frame and measure edit→delivery (readers first, spread over the instances)")
	editorURLs := fs.String("editor-url", "", "comma-separated base URLs the editors use (default: -url); to tell commit contention between instances from fan-out")
	pids := fs.String("pids", "", "comma-separated process ids of the server instances, to report their CPU use")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	for _, p := range strings.Split(*pids, ",") {
		if p = strings.TrimSpace(p); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("-pids: %q is not a process id", p)
			}
			c.pids = append(c.pids, n)
		}
	}
	c.urls = splitURLs(*urls)
	c.editorURLs = splitURLs(*editorURLs)
	if len(c.editorURLs) == 0 {
		c.editorURLs = c.urls
	}
	switch {
	case *docsFlag != "":
		docs, err := parseDocs(*docsFlag)
		if err != nil {
			return nil, fmt.Errorf("-docs: %w", err)
		}
		c.docs = docs
	case *docFlag != "":
		doc, err := domain.ParseDocKey(*docFlag)
		if err != nil {
			return nil, fmt.Errorf("-doc: %s", domain.ErrorMessage(err))
		}
		c.docs = []domain.DocKey{doc}
	case c.section > 0:
		c.docs = []domain.DocKey{domain.SectionDoc(c.section)}
	}
	switch {
	case len(c.urls) == 0:
		return nil, errors.New("-url is empty")
	case len(c.docs) == 0:
		return nil, errors.New("-docs, -doc or -section is required")
	case c.clients < 1 || c.editors < 0 || c.editors > c.clients:
		return nil, errors.New("need 1 <= -clients and 0 <= -editors <= -clients")
	case c.rate <= 0:
		return nil, errors.New("-rate must be positive")
	case c.sample < 0:
		return nil, errors.New("-sample must not be negative")
	case c.token == "" && c.email == "":
		return nil, errors.New("give -token (or $STRATEGIERAUM_TOKEN) or -email and -password")
	}
	return &c, nil
}

// maxDocs bounds the documents of one run, so that a typo in a range does
// not make a list of billions.
const maxDocs = 100000

// parseDocs reads a comma-separated list of documents, each a key
// (section:3) or a range of ids of one kind (section:1-50).
func parseDocs(s string) ([]domain.DocKey, error) {
	var out []domain.DocKey
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		kind, ids, _ := strings.Cut(item, ":")
		first, last, isRange := strings.Cut(ids, "-")
		from, err := domain.ParseDocKey(kind + ":" + first)
		if err != nil {
			return nil, fmt.Errorf("%q: %s", item, domain.ErrorMessage(err))
		}
		to := from
		if isRange {
			if to, err = domain.ParseDocKey(kind + ":" + last); err != nil {
				return nil, fmt.Errorf("%q: %s", item, domain.ErrorMessage(err))
			}
			if to.ID < from.ID {
				return nil, fmt.Errorf("%q: the range ends before it begins", item)
			}
		}
		if int64(len(out))+to.ID-from.ID+1 > maxDocs {
			return nil, fmt.Errorf("more than %d documents", maxDocs)
		}
		for id := from.ID; id <= to.ID; id++ {
			out = append(out, domain.DocKey{Kind: from.Kind, ID: id})
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no document given")
	}
	return out, nil
}

func splitURLs(s string) []string {
	var out []string
	for _, u := range strings.Split(s, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			out = append(out, u)
		}
	}
	return out
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
	clients := make([]*client, cfg.clients)
	var editors []*client
	var ids []string
	run := time.Now().UnixNano() % 1e6
	for i := range clients {
		// Consecutive clients alternate between the instances and take
		// the same document in turns of one per instance, so that every
		// document has clients (and editors) on every instance.
		c := &client{cfg: cfg, url: cfg.urls[i%len(cfg.urls)], doc: cfg.docs[i/len(cfg.urls)%len(cfg.docs)], index: -1, id: fmt.Sprintf("lg%d-%d", run, i)}
		if i < cfg.editors {
			c.url = cfg.editorURLs[i%len(cfg.editorURLs)]
			c.index, c.wake = len(editors), make(chan struct{}, 1)
			editors = append(editors, c)
			ids = append(ids, c.id)
		}
		// Readers are sampled from the end, so that consecutive ones
		// alternate between the instances; editors only if -sample asks for
		// more clients than there are readers.
		c.sampled = i >= cfg.clients-cfg.sample
		clients[i] = c
	}
	st := newStats(ids, int(cfg.rate*cfg.duration.Seconds())+64)
	for _, c := range clients {
		c.stats = st
	}
	// Connect everyone first, a few at a time, so that the typing starts
	// with all receivers in place. Each client reads from the moment it is
	// connected, so that it answers the server's pings.
	var wg, readers sync.WaitGroup
	sem := make(chan struct{}, 64)
	for _, c := range clients {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := c.connect(ctx); err != nil {
				c.error("connect: " + err.Error())
				return
			}
			readers.Add(1)
			go func() { defer readers.Done(); c.run(ctx) }()
		}()
	}
	wg.Wait()
	connected := 0
	for _, c := range clients {
		if c.ws != nil {
			connected++
		}
	}
	fmt.Fprintf(stdout, "%d of %d clients connected to %d instance(s), %d document(s)\n", connected, len(clients), len(cfg.urls), len(cfg.docs))
	if connected == 0 {
		return errors.New("no client could connect")
	}
	if cfg.idle {
		fmt.Fprintln(stdout, "holding idle connections; measure the server's memory now, interrupt to end")
		<-ctx.Done()
		return nil
	}
	sctx, stopSenders := context.WithCancel(ctx)
	var active []*client
	for _, c := range editors {
		if c.ws != nil {
			active = append(active, c)
			go c.sendLoop(sctx)
		}
	}
	cpu := newCPUMeter(append([]int{os.Getpid()}, cfg.pids...))
	startedAt := time.Now()
	typeLoop(ctx, active, cfg.rate, cfg.duration)
	elapsed := time.Since(startedAt)
	cpuUse := cpu.read(elapsed)
	// Let the last acks and deliveries arrive.
	time.Sleep(2 * time.Second)
	stopSenders()
	for _, c := range clients {
		if c.ws != nil {
			c.close()
		}
	}
	readers.Wait()
	gather(clients).report(stdout, elapsed)
	fmt.Fprintf(stdout, "cpu             %s\n", cpuUse)
	return nil
}

// cpuMeter reports the CPU used by processes over the typing period.
type cpuMeter struct {
	pids        []int
	start       []int64
	busy, total int64
}

func newCPUMeter(pids []int) *cpuMeter {
	m := &cpuMeter{pids: pids, start: make([]int64, len(pids))}
	for i, p := range pids {
		m.start[i], _ = cpuTicks(p)
	}
	m.busy, m.total, _ = machineTicks()
	return m
}

// read describes each process's use as a share of one core; the first is
// loadgen itself.
func (m *cpuMeter) read(elapsed time.Duration) string {
	var parts []string
	for i, p := range m.pids {
		name := "pid " + strconv.Itoa(p)
		if i == 0 {
			name = "loadgen"
		}
		t, err := cpuTicks(p)
		if err != nil {
			parts = append(parts, name+" ?")
			continue
		}
		share := float64(t-m.start[i]) / clockTicks / elapsed.Seconds() * 100
		parts = append(parts, fmt.Sprintf("%s %.0f%%", name, share))
	}
	out := strings.Join(parts, ", ") + " (of one core, while typing)"
	if busy, total, err := machineTicks(); err == nil && total > m.total {
		out += fmt.Sprintf("; machine %.0f%% busy over %d cores", float64(busy-m.busy)/float64(total-m.total)*100, runtime.NumCPU())
	}
	return out
}
