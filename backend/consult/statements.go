package consult

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
	"github.com/strategieraum/strategieraum/backend/policy"
)

type roundKey struct{}

// WithRound names the consultation round (a beteiligung phase) that the
// reading calls made with ctx (statements, their versions and receipts,
// the report) are about; without it they are about the newest round.
// Writing a statement always goes to the newest round.
func WithRound(ctx context.Context, phaseID int64) context.Context {
	if phaseID == 0 {
		return ctx
	}
	return context.WithValue(ctx, roundKey{}, phaseID)
}

// consultation returns the strategy and the round named by WithRound in
// ctx, or else its newest round (beteiligung phase). ENOTFOUND if there
// has been none or the named phase is not a round of the strategy.
func (s *Service) consultation(ctx context.Context, strategyID int64) (*domain.Strategy, *domain.Phase, error) {
	want, _ := ctx.Value(roundKey{}).(int64)
	return s.round(ctx, strategyID, want)
}

// round returns the strategy and its round phaseID, or its newest round if
// phaseID is 0.
func (s *Service) round(ctx context.Context, strategyID, phaseID int64) (*domain.Strategy, *domain.Phase, error) {
	st, err := s.d.Strategies.FindStrategyByID(ctx, strategyID)
	if err != nil {
		return nil, nil, err
	}
	for i := len(st.Phases) - 1; i >= 0; i-- {
		p := st.Phases[i]
		if p.Kind == domain.PhaseBeteiligung && (phaseID == 0 || p.ID == phaseID) {
			return st, p, nil
		}
	}
	if phaseID != 0 {
		return nil, nil, domain.Errorf(domain.ENOTFOUND, "Diese Strategie hat keine Beteiligungsrunde %d.", phaseID)
	}
	return nil, nil, domain.Errorf(domain.ENOTFOUND, "Für diese Strategie gab es noch keine Beteiligung.")
}

// ownStatement finds the strategy's consultation and checks that u may take
// action a on the statement of u's own organisation.
func (s *Service) ownStatement(ctx context.Context, u *domain.User, strategyID int64, a policy.Action) (*domain.Strategy, *domain.Phase, error) {
	st, p, err := s.round(ctx, strategyID, 0)
	if err != nil {
		return nil, nil, err
	}
	orgID := int64(0)
	if u != nil {
		orgID = u.OrgID
	}
	if err := s.check(ctx, u, a, policy.Resource{Strategy: st, OrgID: orgID}, fmt.Sprintf("strategy:%d", st.ID)); err != nil {
		return nil, nil, err
	}
	return st, p, nil
}

// StatementInput is the editable part of a statement.
type StatementInput struct {
	Position domain.Position `json:"position"`
	// Body is the whole text as the client has it. The text of an existing
	// draft is a live document; a save that changes it commits the change
	// as one edit through the op log, so that it merges with the live
	// edits of others instead of replacing them.
	Body string `json:"body"`
	// BaseRevision is the revision the position was edited on. If set and
	// someone has saved or submitted since, the save is refused (ECONFLICT)
	// instead of overwriting their changes; without it the last save wins.
	BaseRevision *int64 `json:"base_revision,omitempty"`
	// DocVersion is the version of the draft's live document that Body was
	// edited on. Saving, the change is made against the text at that
	// version (else against the current text); submitting, the document
	// must still be at it, so that exactly the text the user saw is
	// submitted (else ECONFLICT with Fields["doc_version"]).
	DocVersion *int64 `json:"doc_version,omitempty"`
}

// SaveStatement stores the draft of u's organisation's statement in the
// strategy's consultation. After a submitted version it starts the next
// version with in.Body; the submitted one never changes. A changed text of
// an existing draft goes through the op log. Errors: ENOTFOUND,
// EFORBIDDEN (not a participant of that organisation, outside the window),
// EINVALID, ETOOLARGE, ECONFLICT (stale revision), ELOCKED (submitted
// meanwhile).
func (s *Service) SaveStatement(ctx context.Context, u *domain.User, strategyID int64, in StatementInput) (*domain.Statement, error) {
	out, _, err := s.saveStatement(ctx, u, strategyID, in)
	return out, err
}

// saveStatement is SaveStatement; it also returns the document version
// right after this save's own edit of the text.
func (s *Service) saveStatement(ctx context.Context, u *domain.User, strategyID int64, in StatementInput) (*domain.Statement, int64, error) {
	st, p, err := s.ownStatement(ctx, u, strategyID, policy.EditStatement)
	if err != nil {
		return nil, 0, err
	}
	if in.Position != "" && !in.Position.Valid() {
		return nil, 0, domain.Invalid("position", "Erwartet: zustimmung, zustimmung_mit_aenderungen, ablehnung oder enthaltung.")
	}
	if in.BaseRevision != nil && *in.BaseRevision < 0 {
		return nil, 0, domain.Invalid("base_revision", "Die Revision darf nicht negativ sein.")
	}
	if in.DocVersion != nil && *in.DocVersion < 0 {
		return nil, 0, domain.Invalid("doc_version", "Die Version darf nicht negativ sein.")
	}
	body, err := optionalText("body", in.Body, MaxStatementLen)
	if err != nil {
		return nil, 0, err
	}
	if in.DocVersion != nil {
		// Refused before anything is stored: a version the draft's text
		// has not reached.
		cur, err := s.d.Store.FindStatement(ctx, p.ID, u.OrgID)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return nil, 0, err
		}
		if err == nil && !cur.Submitted() && *in.DocVersion > cur.DocVersion {
			return nil, 0, aheadOf(cur.DocVersion)
		}
	}
	stmt := &domain.Statement{StrategyID: st.ID, PhaseID: p.ID, OrgID: u.OrgID, Position: in.Position, Body: body, UpdatedBy: u.ID}
	if err := s.d.Store.SaveStatementDraft(ctx, stmt, in.BaseRevision); err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT && domain.ErrorFields(err)["revision"] != "" {
			return nil, 0, s.staleStatement(ctx, p.ID, u.OrgID, err)
		}
		return nil, 0, err
	}
	version := stmt.DocVersion
	if stmt.DocVersion != 0 || stmt.Body != body { // an existing draft, else it starts with body
		if version, err = s.editStatementText(ctx, u, stmt.ID, body, in.DocVersion); err != nil {
			return nil, 0, err
		}
	}
	out, err := s.d.Store.FindStatement(ctx, p.ID, u.OrgID)
	if err != nil {
		return nil, 0, err
	}
	s.statementChanged(u, out, "saved")
	return s.statementFor(u, st, out), version, nil
}

// editStatementText commits, as one edit by u, the change from the draft's
// text at base (nil: the current text) to body, and returns the document
// version after it. The op log transforms the edit past everything
// committed since base, so live edits of others stay.
func (s *Service) editStatementText(ctx context.Context, u *domain.User, id int64, body string, base *int64) (int64, error) {
	doc := domain.StatementDoc(id)
	from, current, err := s.d.OpLog.Snapshot(ctx, doc)
	if err != nil {
		return 0, err
	}
	version := current
	if base != nil && *base != current {
		if *base > current {
			return 0, aheadOf(current)
		}
		if from, err = s.d.History.TextAt(ctx, doc, *base); err != nil {
			return 0, err
		}
		version = *base
	}
	op := ot.Diff(from, body)
	if op.IsNoop() {
		return current, nil
	}
	raw, err := json.Marshal(op)
	if err != nil {
		return 0, err
	}
	res, err := s.d.OpLog.Submit(ctx, domain.SubmitRequest{Doc: doc, BaseVersion: version, Op: raw,
		UserID: u.ID, ClientID: restClientID(), Seq: 1})
	if err != nil {
		return 0, err
	}
	return res.Op.Version + 1, nil
}

// aheadOf is the EINVALID of a doc_version the text has not reached.
func aheadOf(current int64) error {
	return domain.Invalid("doc_version", fmt.Sprintf("Der Text ist erst bei Version %d.", current))
}

// restClientID is the client id of an edit saved over REST; it is fresh
// for every save, so no save is ever taken for a resent one.
func restClientID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "rest-" + hex.EncodeToString(b)
}

// statementFor is a copy of stmt with what u may do with it, so that the
// copy sent to others in live events never carries u's flags.
func (s *Service) statementFor(u *domain.User, st *domain.Strategy, stmt *domain.Statement) *domain.Statement {
	out := *withHTML(stmt)
	out.Can = policy.StatementCan(u, st, stmt.OrgID, stmt.Submitted(), s.now())
	return &out
}

// withHTML is stmt with its HTML: a submitted version has it frozen, a
// draft's live text is rendered as it is now.
func withHTML(stmt *domain.Statement) *domain.Statement {
	if stmt.Submitted() || stmt.HTML != "" {
		return stmt
	}
	out := *stmt
	out.HTML = RenderMarkdown(out.Body)
	return &out
}

// staleStatement says who changed the statement since the refused save was
// begun, and when.
func (s *Service) staleStatement(ctx context.Context, phaseID, orgID int64, stale error) error {
	cur, err := s.d.Store.FindStatement(ctx, phaseID, orgID)
	if err != nil {
		return stale
	}
	who, when, what := cur.UpdatedBy, cur.UpdatedAt, "geändert"
	if cur.Submitted() {
		who, when, what = *cur.SubmittedBy, *cur.SubmittedAt, "eingereicht"
	}
	name := "jemand anderes"
	if u, err := s.d.Users.FindUserByID(ctx, who); err == nil {
		name = u.Name
	}
	e := domain.Errorf(domain.ECONFLICT, "%s hat die Stellungnahme am %s %s. Ihre Änderungen sind nicht gespeichert: bitte laden Sie den aktuellen Stand und übertragen Sie Ihre Änderungen.",
		name, Berlin(when), what)
	e.Reason = domain.ReasonStaleRevision
	e.Stale = &domain.StaleRevision{Revision: cur.Revision, ChangedBy: name, ChangedAt: when.UTC()}
	return e
}

// MaxStatementLen bounds a statement's body in code points, typed live or
// sent over REST.
const MaxStatementLen = domain.MaxStatementLen

// SubmitStatement freezes the draft of u's organisation's statement as it
// is now; see SubmitStatementAt.
func (s *Service) SubmitStatement(ctx context.Context, u *domain.User, strategyID int64) (*domain.Statement, error) {
	return s.SubmitStatementAt(ctx, u, strategyID, nil)
}

// SubmitStatementAt freezes the draft of u's organisation's statement: its
// text, at docVersion if given, and that text rendered. Errors: ENOTFOUND
// (no draft), EFORBIDDEN (policy, deadline), EINVALID (no position or empty
// body), ELOCKED (already submitted), ECONFLICT (the text has moved past
// docVersion; Fields["doc_version"] is the current version).
func (s *Service) SubmitStatementAt(ctx context.Context, u *domain.User, strategyID int64, docVersion *int64) (*domain.Statement, error) {
	st, p, err := s.ownStatement(ctx, u, strategyID, policy.SubmitStatement)
	if err != nil {
		return nil, err
	}
	if docVersion != nil && *docVersion < 0 {
		return nil, domain.Invalid("doc_version", "Die Version darf nicht negativ sein.")
	}
	out, err := s.d.Store.SubmitStatementAt(ctx, p.ID, u.OrgID, u.ID, s.now(), docVersion, func(d *domain.Statement) (string, error) {
		if err := submittable(d.Position, d.Body); err != nil {
			return "", err
		}
		return RenderMarkdown(d.Body), nil
	})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, u, "statement_submitted", fmt.Sprintf("statement:%d", out.ID),
		fmt.Sprintf("strategy:%d org:%s version:%d", st.ID, out.OrgCode, out.Version))
	s.statementChanged(u, out, "submitted")
	return s.statementFor(u, st, out), nil
}

// SubmitStatementText checks that in is complete, saves it as the draft of
// u's organisation's statement and submits it. Nothing is stored when in is
// incomplete, or when in.DocVersion is given and the text has moved past
// it; with in.DocVersion exactly the saved text is submitted. Errors: those
// of SaveStatement and SubmitStatementAt; EINVALID names every missing
// field at once.
func (s *Service) SubmitStatementText(ctx context.Context, u *domain.User, strategyID int64, in StatementInput) (*domain.Statement, error) {
	_, p, err := s.ownStatement(ctx, u, strategyID, policy.SubmitStatement)
	if err != nil {
		return nil, err
	}
	if in.Position != "" && !in.Position.Valid() {
		return nil, domain.Invalid("position", "Erwartet: zustimmung, zustimmung_mit_aenderungen, ablehnung oder enthaltung.")
	}
	if err := submittable(in.Position, in.Body); err != nil {
		return nil, err
	}
	if in.DocVersion != nil {
		cur, err := s.d.Store.FindStatement(ctx, p.ID, u.OrgID)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return nil, err
		}
		if err == nil && !cur.Submitted() && cur.DocVersion != *in.DocVersion {
			return nil, movedPast(cur.DocVersion)
		}
	}
	_, version, err := s.saveStatement(ctx, u, strategyID, in)
	if err != nil {
		return nil, err
	}
	var at *int64
	if in.DocVersion != nil {
		at = &version
	}
	return s.SubmitStatementAt(ctx, u, strategyID, at)
}

// movedPast is the ECONFLICT of a submission made on a text that has been
// edited since: the store's and this one say the same.
func movedPast(current int64) error {
	e := domain.Errorf(domain.ECONFLICT, "Der Text der Stellungnahme wurde inzwischen weiter bearbeitet. Bitte prüfen Sie den aktuellen Stand, bevor Sie einreichen.")
	e.Fields = map[string]string{"doc_version": strconv.FormatInt(current, 10)}
	return e
}

// submittable says what a statement lacks to be submitted: a position and
// a text, each as its own field.
func submittable(p domain.Position, body string) error {
	fields := map[string]string{}
	if !p.Valid() {
		fields["position"] = "Bitte wählen Sie eine Gesamtposition."
	}
	if strings.TrimSpace(body) == "" {
		fields["body"] = "Bitte schreiben Sie den Text der Stellungnahme."
	}
	if len(fields) == 0 {
		return nil
	}
	msg := "Die Stellungnahme ist noch nicht vollständig."
	if len(fields) == 1 {
		for _, m := range fields {
			msg = m
		}
	}
	return &domain.Error{Code: domain.EINVALID, Message: msg, Fields: fields}
}

// StatementStatus says whether an organisation has submitted; everyone may
// see it. Position is filled only where u may read the statement.
type StatementStatus struct {
	PhaseID     int64           `json:"phase_id"` // the round
	OrgID       int64           `json:"org_id"`
	OrgCode     string          `json:"org_code"`
	Version     int             `json:"version"` // newest submitted version, 0 if none
	SubmittedAt *time.Time      `json:"submitted_at"`
	Position    domain.Position `json:"position,omitempty"`
	submitted   *domain.Statement
}

// Statements lists the organisations that have submitted, with their newest
// submitted version, as u may see it; drafts are listed only to their own
// organisation and the moderation.
func (s *Service) Statements(ctx context.Context, u *domain.User, strategyID int64) ([]*StatementStatus, error) {
	st, p, err := s.consultation(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.ReadStrategy, policy.Resource{Strategy: st}, fmt.Sprintf("strategy:%d", st.ID)); err != nil {
		return nil, err
	}
	latest, err := s.d.Store.FindStatements(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	out := make([]*StatementStatus, 0, len(latest))
	for _, l := range latest {
		sub, err := s.newestSubmitted(ctx, l)
		if err != nil {
			return nil, err
		}
		if sub == nil && !policy.Allowed(u, policy.ReadStatement, policy.Resource{Strategy: st, OrgID: l.OrgID}, s.now()) {
			continue // that an organisation is drafting is its own business
		}
		ss := &StatementStatus{PhaseID: p.ID, OrgID: l.OrgID, OrgCode: l.OrgCode, submitted: sub}
		if sub != nil {
			ss.Version, ss.SubmittedAt = sub.Version, sub.SubmittedAt
			if policy.Allowed(u, policy.ReadStatement, policy.Resource{Strategy: st, OrgID: l.OrgID, Submitted: true}, s.now()) {
				ss.Position = sub.Position
			}
		}
		out = append(out, ss)
	}
	return out, nil
}

func (s *Service) newestSubmitted(ctx context.Context, latest *domain.Statement) (*domain.Statement, error) {
	if latest.Submitted() {
		return latest, nil
	}
	if latest.Version == 1 {
		return nil, nil
	}
	vs, err := s.d.Store.FindStatementVersions(ctx, latest.PhaseID, latest.OrgID)
	if err != nil {
		return nil, err
	}
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].Submitted() {
			return vs[i], nil
		}
	}
	return nil, nil
}

// Statement returns orgID's statement as u may read it: its own
// organisation and moderators get the newest version (draft included),
// others the newest submitted version if statements are public.
// Errors: ENOTFOUND, EFORBIDDEN.
func (s *Service) Statement(ctx context.Context, u *domain.User, strategyID, orgID int64) (*domain.Statement, error) {
	st, p, err := s.consultation(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	latest, err := s.d.Store.FindStatement(ctx, p.ID, orgID)
	if err != nil {
		return nil, err
	}
	target := fmt.Sprintf("statement:%d", latest.ID)
	if policy.Allowed(u, policy.ReadStatement, policy.Resource{Strategy: st, OrgID: orgID}, s.now()) {
		return s.statementFor(u, st, latest), nil
	}
	sub, err := s.newestSubmitted(ctx, latest)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.ReadStatement, policy.Resource{Strategy: st, OrgID: orgID, Submitted: sub != nil}, target); err != nil {
		return nil, err
	}
	return s.statementFor(u, st, sub), nil
}

// StatementVersions lists every version of orgID's statement for its own
// organisation and the moderation. Errors: EFORBIDDEN.
func (s *Service) StatementVersions(ctx context.Context, u *domain.User, strategyID, orgID int64) ([]*domain.Statement, error) {
	st, p, err := s.consultation(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.ReadStatement, policy.Resource{Strategy: st, OrgID: orgID}, fmt.Sprintf("strategy:%d", st.ID)); err != nil {
		return nil, err
	}
	vs, err := s.d.Store.FindStatementVersions(ctx, p.ID, orgID)
	for i, v := range vs {
		vs[i] = withHTML(v)
	}
	return vs, err
}
