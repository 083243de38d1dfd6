package ot

import "fmt"

// Client side of the simulation in sim_test.go.

// readNext delivers log entry c.v to client c.
func (s *simulation) readNext(c *simClient) error {
	if c.v >= len(s.log) {
		return fmt.Errorf("client %d waits for a log entry that was never committed", c.id)
	}
	e := s.log[c.v]
	c.v++
	if e.agent == c.id {
		c.inflight = nil
		if s.eager {
			return s.sendIfSafe(c)
		}
		return nil
	}
	op := e.op
	var err error
	s.clientXs += len(c.pending)
	if c.inflight != nil {
		s.clientXs++
		if c.inflight, op, err = transformX(c.inflight, op); err != nil {
			return err
		}
	}
	for i := range c.pending {
		if c.pending[i], op, err = transformX(c.pending[i], op); err != nil {
			return err
		}
	}
	c.recv[e.agent] = e.seq + 1
	return c.doc.Apply(op)
}

// transformX transforms a client op and a server op against each other.
func transformX(client, server Op) (Op, Op, error) {
	c2, err := Transform(client, server, Left)
	if err != nil {
		return nil, nil, err
	}
	s2, err := Transform(server, client, Right)
	return c2, s2, err
}

// edit applies a txn's patches to the local view and queues them as one op.
func (c *simClient) edit(patches []patch) error {
	op := Op{}
	for _, p := range patches {
		po := patchOp(nil, p)
		if err := c.doc.Apply(po); err != nil {
			return fmt.Errorf("agent %d: patch %v does not fit the local view: %w", c.id, p, err)
		}
		var err error
		if op, err = Compose(op, po); err != nil {
			return err
		}
	}
	c.pending = append(c.pending, op)
	c.typed++
	return nil
}
