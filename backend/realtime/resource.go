package realtime

import (
	"context"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// StatementFinder loads a statement (one Fassung) by id, for the rights on
// its live text.
type StatementFinder interface {
	FindStatementByID(ctx context.Context, id int64) (*domain.Statement, error)
}

// intent is what a connection wants to do with a document; each kind of
// document answers it with its own policy action.
type intent int

const (
	toRead intent = iota
	toEdit
)

// docRules are the policy actions of one kind of document.
var docRules = map[domain.DocKind][2]policy.Action{
	domain.DocSection:   {toRead: policy.ReadSection, toEdit: policy.EditSection},
	domain.DocStatement: {toRead: policy.OpenStatementText, toEdit: policy.EditStatement},
}

// serviceTimeout bounds each database call made for one frame.
const serviceTimeout = 10 * time.Second

// authorize checks that the connection's user may do what with document
// id, by the rules of the document's kind.
func (c *conn) authorize(ctx context.Context, id domain.DocKey, what intent) error {
	res, err := c.hub.resource(ctx, id)
	if err != nil {
		return err
	}
	return policy.Check(c.user(), docRules[id.Kind][what], res, time.Now())
}

// resource loads what the policy needs to judge document id: a section
// with its strategy, or a statement's organisation and state with its
// strategy. It is kept for PermissionTTL and shared by all connections: a
// busy document with hundreds of editors would otherwise cost two queries
// per editor and PermissionTTL.
func (h *Hub) resource(ctx context.Context, id domain.DocKey) (policy.Resource, error) {
	if res, ok := h.freshResource(id); ok {
		return res, nil
	}
	// Connections that ask at once share one load: when the entry runs
	// out, every editor's next op and every reader's re-check would
	// otherwise each query the database, all of them while it is slowest.
	// The load looks at the cache again, so that a caller that missed it
	// just before the previous load stored its result does not load again.
	v, err, _ := h.resLoads.Do(id.String(), func() (any, error) {
		if res, ok := h.freshResource(id); ok {
			return res, nil
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), serviceTimeout)
		defer cancel()
		res, err := h.loadResource(ctx, id)
		if err != nil {
			return nil, err
		}
		h.resMu.Lock()
		for k, old := range h.resources {
			if time.Since(old.at) >= h.cfg.PermissionTTL {
				delete(h.resources, k) // keeps the map as small as the set of busy documents
			}
		}
		h.resources[id] = cachedResource{res: res, at: time.Now()}
		h.resMu.Unlock()
		return res, nil
	})
	if err != nil {
		return policy.Resource{}, err
	}
	return v.(policy.Resource), nil
}

// freshResource returns document id's resource if it is younger than
// PermissionTTL.
func (h *Hub) freshResource(id domain.DocKey) (policy.Resource, bool) {
	h.resMu.Lock()
	defer h.resMu.Unlock()
	e, ok := h.resources[id]
	return e.res, ok && time.Since(e.at) < h.cfg.PermissionTTL
}

// loadResource reads document id's resource from the services.
func (h *Hub) loadResource(ctx context.Context, id domain.DocKey) (policy.Resource, error) {
	var res policy.Resource
	var strategyID int64
	switch id.Kind {
	case domain.DocSection:
		s, err := h.deps.Strategies.FindSectionMeta(ctx, id.ID)
		if err != nil {
			return res, err
		}
		res.Section, strategyID = s, s.StrategyID
	case domain.DocStatement:
		if h.deps.Statements == nil {
			return res, domain.Errorf(domain.ENOTFOUND, "Die Stellungnahme wurde nicht gefunden.")
		}
		s, err := h.deps.Statements.FindStatementByID(ctx, id.ID)
		if err != nil {
			return res, err
		}
		res.OrgID, res.Submitted, strategyID = s.OrgID, s.SubmittedAt != nil, s.StrategyID
	default:
		return res, domain.Errorf(domain.ENOTFOUND, "Dieses Dokument gibt es nicht.")
	}
	st, err := h.deps.Strategies.FindStrategyByID(ctx, strategyID)
	if err != nil {
		return res, err
	}
	res.Strategy = st
	return res, nil
}

// cachedResource is a document's resource as loaded at a time.
type cachedResource struct {
	res policy.Resource
	at  time.Time
}
