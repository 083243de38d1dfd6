package ot

import (
	"math"
	"sort"
)

// The eager schedule knows the whole trace in advance and uses it to send
// ops early without breaking any view: a client sends an op while behind on
// the log only if it will be allowed to read every entry it is behind on
// before any other agent needs its following op (which it can send only
// after reading this op's acknowledgement).

// plan records, per agent and own txn, when it is typed and when another
// agent first needs it.
func (s *simulation) plan(tr *trace, views [][]int) {
	n := tr.NumAgents
	s.typedAt = make([][]int, n)
	s.neededAt = make([][]int, n)
	for i, txn := range tr.Txns {
		s.typedAt[txn.Agent] = append(s.typedAt[txn.Agent], i)
		s.neededAt[txn.Agent] = append(s.neededAt[txn.Agent], math.MaxInt)
	}
	for i, txn := range tr.Txns {
		for b, k := range views[i] {
			if b == txn.Agent {
				continue
			}
			// Views only grow, so walk back from the newest txn in view.
			for j := k - 1; j >= 0 && s.neededAt[b][j] == math.MaxInt; j-- {
				s.neededAt[b][j] = i
			}
		}
	}
}

// readTime returns twice the trace time at which client c may read the
// remote txn seq of agent b: just before typing its first txn that has it
// in view, or just after its last txn.
func (s *simulation) readTime(c *simClient, b, seq int) int {
	v := s.views[c.id]
	j := sort.Search(len(v), func(j int) bool { return v[j][b] > seq })
	if j == len(v) {
		return 2*s.typedAt[c.id][len(v)-1] + 1
	}
	return 2 * s.typedAt[c.id][j]
}

// nextNeed returns twice the trace time at which some agent first needs
// c's own txn k+1 after k, the one c can send only after reading the
// acknowledgement of k.
func (s *simulation) nextNeed(c *simClient) int {
	next := s.committed[c.id] + 1
	if next < len(s.neededAt[c.id]) && s.neededAt[c.id][next] != math.MaxInt {
		return 2 * s.neededAt[c.id][next]
	}
	return math.MaxInt
}

// sendIfSafe sends c's next op if that can never force any client to read
// a log entry outside the view of its next txn: c must be able to read
// every entry before its acknowledgement in time to send its following op,
// every other client must be able to read the new entry in time to send
// its own following op, and no other client may have to read the new
// entry before an earlier unread entry it sees later.
func (s *simulation) sendIfSafe(c *simClient) error {
	if c.inflight != nil || len(c.pending) == 0 {
		return nil
	}
	need := s.nextNeed(c)
	for _, e := range s.log[c.v:] {
		if s.readTime(c, e.agent, e.seq) >= need {
			return nil
		}
	}
	seq := s.committed[c.id]
	for _, o := range s.clients {
		if o == c {
			continue
		}
		rt := s.readTime(o, c.id, seq)
		if rt >= s.nextNeed(o) {
			return nil
		}
		for _, e := range s.log[o.v:] {
			if e.agent != o.id && s.readTime(o, e.agent, e.seq) > rt {
				return nil
			}
		}
	}
	return s.flush(c)
}
