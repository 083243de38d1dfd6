// Package consult is the consultation's logic: threads anchored to passages
// that move with every committed edit, change proposals applied through the
// op log, moderation, statements, notifications, the audit trail of all of
// it and the moderators' report. Every action is authorised by the policy
// package; storage is behind domain.ConsultationStore.
package consult

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// Limits on user input, in code points.
const (
	MaxBodyLen        = 10000 // a comment or statement body
	MaxReplacementLen = 20000 // a proposal's replacement text
	MaxQuoteLen       = 20000 // the passage a thread is anchored to
	MaxReasonLen      = 1000  // a report, hide or reject reason, a resolve note
)

// Deps are the services a Service works with.
type Deps struct {
	Store      domain.ConsultationStore
	Strategies domain.StrategyService
	Users      domain.UserService
	OpLog      domain.OpLogService
	History    domain.HistoryService
	Audit      domain.AuditService
	// Abwaegung stores assessments and Mitzeichnungen; nil means Store,
	// which must then implement domain.AbwaegungStore too.
	Abwaegung domain.AbwaegungStore
	Logger    *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// DenialsAuditedElsewhere skips the "denied" audit rows for callers
	// (like the HTTP layer) that already record every refusal they answer.
	DenialsAuditedElsewhere bool
}

// Service implements the consultation. Safe for concurrent use; several
// instances may share one database.
type Service struct {
	d   Deps
	log *slog.Logger

	hooksMu     sync.RWMutex
	hooks       []func(userID int64, n *domain.Notification)
	threadHooks []func(ThreadEvent)
	stmtHooks   []func(StatementEvent)
}

// ThreadEvent tells listeners that a thread changed. It carries no
// content: receivers fetch the thread with their own permissions, so hidden
// posts never travel to those who may not see them.
type ThreadEvent struct {
	StrategyID int64  `json:"strategy_id"`
	SectionID  int64  `json:"section_id"`
	ThreadID   int64  `json:"thread_id"`
	Event      string `json:"event"` // created, replied, edited, accepted, rejected, resolved, reopened, hidden, cosigned, assessed
}

// OnThreadEvent registers fn to be called after every change to a thread,
// e.g. to refresh everyone's thread sidebar live. fn must not block.
func (s *Service) OnThreadEvent(fn func(ThreadEvent)) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	s.threadHooks = append(s.threadHooks, fn)
}

func (s *Service) threadChanged(t *domain.Thread, event string) {
	s.hooksMu.RLock()
	hooks := s.threadHooks
	s.hooksMu.RUnlock()
	e := ThreadEvent{StrategyID: t.StrategyID, SectionID: t.SectionID, ThreadID: t.ID, Event: event}
	for _, fn := range hooks {
		fn(e)
	}
}

// StatementEvent says that an organisation's statement was saved or
// submitted, so that its other members see it at once instead of finding
// out when their own save is refused.
type StatementEvent struct {
	StrategyID int64  `json:"strategy"`
	OrgID      int64  `json:"org"`
	Revision   int64  `json:"revision"`
	By         string `json:"by"`    // the member's name
	Event      string `json:"event"` // saved, submitted
}

// OnStatementEvent registers fn to be called after every save and
// submission of a statement. fn must not block.
func (s *Service) OnStatementEvent(fn func(StatementEvent)) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	s.stmtHooks = append(s.stmtHooks, fn)
}

func (s *Service) statementChanged(u *domain.User, st *domain.Statement, event string) {
	s.hooksMu.RLock()
	hooks := s.stmtHooks
	s.hooksMu.RUnlock()
	e := StatementEvent{StrategyID: st.StrategyID, OrgID: st.OrgID, Revision: st.Revision, By: u.Name, Event: event}
	for _, fn := range hooks {
		fn(e)
	}
}

// New returns a Service over d.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Abwaegung == nil {
		d.Abwaegung, _ = d.Store.(domain.AbwaegungStore)
	}
	log := d.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{d: d, log: log}
}

func (s *Service) now() time.Time { return s.d.Now().UTC() }

// abw is the store of the Auswertung.
func (s *Service) abw() domain.AbwaegungStore { return s.d.Abwaegung }

// OnNotify registers fn to be called with every notification stored, after
// it is stored. fn must not block; the realtime layer hands it to the
// user's connections.
func (s *Service) OnNotify(fn func(userID int64, n *domain.Notification)) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	s.hooks = append(s.hooks, fn)
}

// check asks the policy and records a denial in the audit log.
func (s *Service) check(ctx context.Context, u *domain.User, a policy.Action, r policy.Resource, target string) error {
	err := policy.Check(u, a, r, s.now())
	if err != nil && u != nil && !s.d.DenialsAuditedElsewhere && domain.ErrorCode(err) != domain.EUNAUTHORIZED {
		s.audit(ctx, u, "denied", target, string(a))
	}
	return err
}

// audit appends an event; a failure is logged, never shown, since the
// action itself has already happened.
func (s *Service) audit(ctx context.Context, u *domain.User, action, target, detail string) {
	domain.RecordAudit(ctx, s.d.Audit, s.log, s.now(), u, action, target, detail)
}

// sectionAndStrategy loads a section (without its text) and its strategy
// (with phases).
func (s *Service) sectionAndStrategy(ctx context.Context, sectionID int64) (*domain.Section, *domain.Strategy, error) {
	sec, err := s.d.Strategies.FindSectionMeta(ctx, sectionID)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.d.Strategies.FindStrategyByID(ctx, sec.StrategyID)
	if err != nil {
		return nil, nil, err
	}
	return sec, st, nil
}

// text validates a required text field (domain.Body, the one text
// validation).
func text(field, v string, max int) (string, error) { return domain.Body(field, v, max, true) }

// optionalText validates an optional text field (domain.Body).
func optionalText(field, v string, max int) (string, error) { return domain.Body(field, v, max, false) }

func threadTarget(id int64) string  { return fmt.Sprintf("thread:%d", id) }
func commentTarget(id int64) string { return fmt.Sprintf("comment:%d", id) }
