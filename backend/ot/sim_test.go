package ot

import "fmt"

// This file simulates a ShareDB-style server and its clients replaying a
// concurrent editing trace, to check that the op type converges on real
// concurrent histories.
//
// The server owns a linear op log. A client sends one op at a time (the
// "inflight" op) tagged with the number of log entries it has seen; the
// server transforms it against every entry committed since (incoming op on
// side Left, as ShareDB does), appends it and later the client reads the log
// in order: its own entry is the acknowledgement, every other entry is
// transformed against the client's inflight and pending ops (the client's
// ops on side Left, the server's on side Right) and applied locally. Ops are
// not composed while pending (ShareDB's preventCompose), so that each trace
// txn stays one log entry.
//
// A trace txn's positions refer to its agent's view after merging its
// parents, so a client may only have read the remote txns in that txn's
// causal history when its agent types it. Network timing is free, and two
// schedules are simulated:
//
//   - lazy: an op is sent only when another agent's txn needs it, and a
//     client reads the log only as far as its next txn needs. All
//     concurrency is then resolved on the clients; the server never has to
//     transform.
//   - eager: ops are sent as early as possible (see sim_plan_test.go) and
//     clients read every entry their next txn's view allows as soon as it
//     is committed, so the server transforms many ops against concurrent
//     ones, as a real ShareDB server does.
//
// With one op in flight and in-order delivery, a ShareDB client sees every
// op the server committed before its own by the time of the
// acknowledgement; the traces were recorded peer to peer, so sending every
// op at once (plain ShareDB timing) would produce views the trace does not
// contain. The eager schedule therefore holds an op back whenever sending it
// could force such a view. If a client is still forced to read an entry
// outside its next txn's view (only when an agent needs a txn stuck behind
// an unread acknowledgement), the txn is counted as "overseen"; the tests
// require that count to be zero, which makes every view exact, so the
// converged text must equal endContent.

// simEntry is one committed op in the server log.
type simEntry struct {
	op    Op
	agent int
	seq   int // index of the txn among its agent's txns
}

// simClient is one agent's replica and ShareDB-style client state.
type simClient struct {
	id       int
	doc      *Doc
	v        int // log entries read
	inflight Op  // sent, not acknowledged (nil if none)
	pending  []Op
	typed    int   // own txns typed so far
	recv     []int // per remote agent: txns of that agent read
}

// simResult summarises one simulated run.
type simResult struct {
	Txns       int
	Transforms int // server-side transforms of incoming ops
	ClientXs   int // client-side transform pairs (incoming against own ops)
	Overseen   int // txns typed on a view with remote txns outside their history
	Text       string
}

type simulation struct {
	eager      bool
	log        []simEntry
	server     *Doc
	clients    []*simClient
	committed  []int     // per agent: txns committed to the log
	views      [][][]int // per agent, per own txn: per agent, txns in its view
	typedAt    [][]int   // per agent, per own txn: its index in the trace
	neededAt   [][]int   // per agent, per own txn: first trace index of a remote txn that has it in view
	transforms int
	clientXs   int
}

// causalViews returns, per txn, how many txns of each agent its parents'
// history holds (a vector clock), checking the trace's invariants.
func causalViews(tr *trace) ([][]int, error) {
	n := tr.NumAgents
	views := make([][]int, len(tr.Txns))
	clocks := make([][]int, len(tr.Txns)) // the view plus the txn itself
	typed := make([]int, n)
	for i, txn := range tr.Txns {
		a := txn.Agent
		if a < 0 || a >= n {
			return nil, fmt.Errorf("txn %d: agent %d out of range", i, a)
		}
		need := make([]int, n)
		for _, p := range txn.Parents {
			if p < 0 || p >= i {
				return nil, fmt.Errorf("txn %d: parent %d is not an earlier txn", i, p)
			}
			for b, k := range clocks[p] {
				need[b] = max(need[b], k)
			}
		}
		if need[a] != typed[a] {
			return nil, fmt.Errorf("txn %d: agent %d's history holds %d of its %d earlier txns", i, a, need[a], typed[a])
		}
		views[i] = need
		typed[a]++
		clocks[i] = append([]int(nil), need...)
		clocks[i][a] = typed[a]
	}
	return views, nil
}

// runSimulation replays a concurrent trace; see the file comment.
func runSimulation(tr *trace, eager bool) (simResult, error) {
	res := simResult{Txns: len(tr.Txns)}
	views, err := causalViews(tr)
	if err != nil {
		return res, err
	}
	n := tr.NumAgents
	s := &simulation{eager: eager, server: NewDoc(""), committed: make([]int, n), views: make([][][]int, n)}
	s.plan(tr, views)
	for a := range n {
		s.clients = append(s.clients, &simClient{id: a, doc: NewDoc(""), recv: make([]int, n)})
	}
	for i, txn := range tr.Txns {
		s.views[txn.Agent] = append(s.views[txn.Agent], views[i])
	}
	for i, txn := range tr.Txns {
		c, need := s.clients[txn.Agent], views[i]
		if err := s.catchUp(c, need); err != nil {
			return res, fmt.Errorf("txn %d: %w", i, err)
		}
		for b := range n {
			if b != c.id && c.recv[b] > need[b] {
				res.Overseen++
				break
			}
		}
		if err := c.edit(txn.Patches); err != nil {
			return res, fmt.Errorf("txn %d: %w", i, err)
		}
		if eager {
			if err := s.sendIfSafe(c); err != nil {
				return res, err
			}
		}
	}
	if err := s.drain(); err != nil {
		return res, err
	}
	res.Text = s.server.String()
	for _, c := range s.clients {
		if got := c.doc.String(); got != res.Text {
			return res, fmt.Errorf("client %d diverged from the server (%d vs %d bytes)", c.id, len(got), len(res.Text))
		}
	}
	res.Transforms, res.ClientXs = s.transforms, s.clientXs
	return res, nil
}

// drain sends every op still queued and lets every client read the log.
func (s *simulation) drain() error {
	for _, c := range s.clients {
		for s.committed[c.id] < c.typed {
			if err := s.commitNext(c); err != nil {
				return err
			}
		}
	}
	for _, c := range s.clients {
		for c.v < len(s.log) {
			if err := s.readNext(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// catchUp makes client c's view hold every remote txn in need.
func (s *simulation) catchUp(c *simClient, need []int) error {
	if s.eager {
		if err := s.pump(); err != nil {
			return err
		}
	}
	for _, b := range s.clients {
		for b != c && s.committed[b.id] < need[b.id] {
			if err := s.commitNext(b); err != nil {
				return err
			}
		}
	}
	for b := range s.clients {
		for b != c.id && c.recv[b] < need[b] {
			if err := s.readNext(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// mayRead reports whether c can read its next log entry without seeing a
// remote txn outside the view of its next txn.
func (s *simulation) mayRead(c *simClient) bool {
	if c.v >= len(s.log) {
		return false
	}
	e := s.log[c.v]
	if e.agent == c.id || c.typed >= len(s.views[c.id]) {
		return true
	}
	return e.seq < s.views[c.id][c.typed][e.agent]
}

// pump delivers every entry that clients may read, sending ops on their
// acknowledgements, until nothing moves.
func (s *simulation) pump() error {
	for moved := true; moved; {
		moved = false
		for _, c := range s.clients {
			for s.mayRead(c) {
				if err := s.readNext(c); err != nil {
					return err
				}
				moved = true
			}
			if n := len(s.log); s.sendIfSafe(c) != nil || len(s.log) > n {
				moved = true
			}
		}
	}
	return nil
}

// commitNext makes the server commit c's next txn. A client has one op in
// flight, so it first reads the log up to that op's acknowledgement.
func (s *simulation) commitNext(c *simClient) error {
	for target := s.committed[c.id] + 1; s.committed[c.id] < target; {
		if c.inflight == nil {
			if len(c.pending) == 0 {
				return fmt.Errorf("agent %d has no op to send", c.id)
			}
			if err := s.flush(c); err != nil {
				return err
			}
		} else if err := s.readNext(c); err != nil {
			return err
		}
	}
	return nil
}

// flush sends c's first pending op, if nothing is in flight, and has the
// server transform it against every entry c has not read and commit it.
func (s *simulation) flush(c *simClient) error {
	if c.inflight != nil || len(c.pending) == 0 {
		return nil
	}
	op := c.pending[0]
	c.pending = c.pending[1:]
	c.inflight = op
	var err error
	for k := c.v; k < len(s.log); k++ {
		if op, err = Transform(op, s.log[k].op, Left); err != nil {
			return err
		}
		s.transforms++
	}
	if err := s.server.Apply(op); err != nil {
		return fmt.Errorf("server apply of agent %d's op: %w", c.id, err)
	}
	s.log = append(s.log, simEntry{op: op, agent: c.id, seq: s.committed[c.id]})
	s.committed[c.id]++
	return nil
}
