package consult

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// HiddenPlaceholder is what everyone but moderators and the author sees of
// hidden content.
const HiddenPlaceholder = "von der Moderation ausgeblendet"

// NewThread is a request to start a thread on code points [Start, End) of
// a section's text at Version.
type NewThread struct {
	SectionID   int64             `json:"section_id"`
	Kind        domain.ThreadKind `json:"kind"`
	Start       int               `json:"start"`
	End         int               `json:"end"`
	Version     int64             `json:"version"`
	Body        string            `json:"body"`
	Replacement string            `json:"replacement"` // aenderungsvorschlag only
}

// CreateThread starts a thread with its first comment. The passage is
// quoted from the text at req.Version and the anchor moved to the newest
// version. Errors: ENOTFOUND (section), EFORBIDDEN/ELOCKED (policy),
// EINVALID (kind, range, version from the future), ETOOLARGE.
func (s *Service) CreateThread(ctx context.Context, u *domain.User, req NewThread) (*domain.Thread, error) {
	sec, st, err := s.sectionAndStrategy(ctx, req.SectionID)
	if err != nil {
		return nil, err
	}
	if !req.Kind.Valid() {
		return nil, domain.Invalid("kind", "Erwartet: kommentar, frage, aenderungsvorschlag, zustimmung oder einwand.")
	}
	action := policy.Comment
	if req.Kind == domain.KindAenderungsvorschlag {
		action = policy.Propose
	}
	if err := s.check(ctx, u, action, policy.Resource{Strategy: st, Section: sec}, fmt.Sprintf("section:%d", sec.ID)); err != nil {
		return nil, err
	}
	body, err := text("body", req.Body, MaxBodyLen)
	if err != nil {
		return nil, err
	}
	var replacement string
	if req.Kind == domain.KindAenderungsvorschlag {
		if replacement, err = optionalText("replacement", req.Replacement, MaxReplacementLen); err != nil {
			return nil, err
		}
	} else if req.Replacement != "" {
		return nil, domain.Invalid("replacement", "Ersatztext gibt es nur bei Änderungsvorschlägen.")
	}
	current, version, err := s.d.OpLog.Snapshot(ctx, domain.SectionDoc(sec.ID))
	if err != nil {
		return nil, err
	}
	if req.Version < 0 || req.Version > version {
		return nil, domain.Invalid("version", fmt.Sprintf("Die Fassung %d gibt es nicht; der Abschnitt ist bei Fassung %d.", req.Version, version))
	}
	base := current
	if req.Version < version {
		if base, err = s.d.History.TextAt(ctx, domain.SectionDoc(sec.ID), req.Version); err != nil {
			return nil, err
		}
	}
	n := utf8.RuneCountInString(base)
	if req.Start < 0 || req.End > n || req.Start >= req.End {
		return nil, domain.Invalid("start", fmt.Sprintf("Der markierte Bereich %d–%d liegt nicht im Text (0–%d).", req.Start, req.End, n))
	}
	if req.End-req.Start > MaxQuoteLen {
		return nil, domain.Invalid("end", "Die markierte Passage ist zu lang.")
	}
	quote := runeSlice(base, req.Start, req.End)
	if req.Kind == domain.KindAenderungsvorschlag && replacement == quote {
		return nil, domain.Invalid("replacement", "Der Vorschlag ändert nichts an der Passage.")
	}
	a := domain.Anchor{Start: req.Start, End: req.End, Version: req.Version}
	if err := s.advance(ctx, sec.ID, []*domain.Anchor{&a}); err != nil {
		return nil, err
	}
	if a.Removed {
		return nil, domain.Errorf(domain.ECONFLICT, "Die markierte Passage wurde inzwischen gelöscht.")
	}
	t := &domain.Thread{StrategyID: st.ID, SectionID: sec.ID, AuthorID: u.ID, OrgID: u.OrgID, Kind: req.Kind,
		Anchor: a, Quote: quote, Replacement: replacement}
	if p := st.CurrentPhase; p != nil && p.Kind == domain.PhaseBeteiligung {
		id := p.ID
		t.PhaseID = &id
		if t.LineFrom, t.LineTo, err = s.lines(ctx, sec.ID, p.ID, a); err != nil {
			return nil, err
		}
	}
	c := &domain.Comment{AuthorID: u.ID, Body: body, HTML: RenderMarkdown(body)}
	if err := s.d.Store.CreateThread(ctx, t, c); err != nil {
		return nil, err
	}
	s.audit(ctx, u, "thread_created", threadTarget(t.ID), fmt.Sprintf("section:%d kind:%s", sec.ID, t.Kind))
	s.notifyNewThread(ctx, u, sec, t)
	s.threadChanged(t, "created")
	return s.Thread(ctx, u, t.ID)
}

// Reply appends a comment to a thread. Errors: ENOTFOUND, EFORBIDDEN,
// ECONFLICT (hidden thread), EINVALID, ETOOLARGE.
func (s *Service) Reply(ctx context.Context, u *domain.User, threadID int64, body string) (*domain.Comment, error) {
	t, _, _, err := s.allowedThread(ctx, u, threadID, policy.Comment, threadTarget(threadID))
	if err != nil {
		return nil, err
	}
	if t.Hidden {
		return nil, domain.Errorf(domain.ECONFLICT, "Diese Diskussion wurde von der Moderation ausgeblendet; Antworten sind nicht möglich.")
	}
	if body, err = text("body", body, MaxBodyLen); err != nil {
		return nil, err
	}
	c := &domain.Comment{ThreadID: t.ID, AuthorID: u.ID, Body: body, HTML: RenderMarkdown(body)}
	if err := s.d.Store.CreateComment(ctx, c); err != nil {
		return nil, err
	}
	s.notifyReply(ctx, u, t)
	s.threadChanged(t, "replied")
	return s.d.Store.FindCommentByID(ctx, c.ID)
}

// EditComment changes the author's own comment within the edit window; the
// comment is then shown as "bearbeitet". Errors: ENOTFOUND, EFORBIDDEN,
// ECONFLICT (hidden), EINVALID, ETOOLARGE.
func (s *Service) EditComment(ctx context.Context, u *domain.User, commentID int64, body string) (*domain.Comment, error) {
	c, err := s.d.Store.FindCommentByID(ctx, commentID)
	if err != nil {
		return nil, err
	}
	t, sec, st, err := s.threadContext(ctx, u, c.ThreadID)
	if err != nil {
		return nil, err
	}
	r := threadResource(t, sec, st)
	r.AuthorID, r.WrittenAt = c.AuthorID, c.CreatedAt
	if err := s.check(ctx, u, policy.EditComment, r, commentTarget(c.ID)); err != nil {
		return nil, err
	}
	if c.Hidden || t.Hidden {
		return nil, domain.Errorf(domain.ECONFLICT, "Ausgeblendete Beiträge können nicht geändert werden.")
	}
	if body, err = text("body", body, MaxBodyLen); err != nil {
		return nil, err
	}
	if body == c.Body {
		return c, nil
	}
	out, err := s.d.Store.EditComment(ctx, c.ID, body, RenderMarkdown(body), s.now())
	if err != nil {
		return nil, err
	}
	s.threadChanged(t, "edited")
	return out, nil
}

// threadContext loads a thread with its section and strategy after checking
// that u may read the section; a thread on a section u cannot read is
// ENOTFOUND so that its existence is not revealed.
func (s *Service) threadContext(ctx context.Context, u *domain.User, id int64) (*domain.Thread, *domain.Section, *domain.Strategy, error) {
	t, err := s.d.Store.FindThreadByID(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	sec, st, err := s.sectionAndStrategy(ctx, t.SectionID)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := policy.Check(u, policy.ReadSection, policy.Resource{Strategy: st, Section: sec}, s.now()); err != nil {
		if domain.ErrorCode(err) == domain.EUNAUTHORIZED {
			return nil, nil, nil, err
		}
		return nil, nil, nil, domain.Errorf(domain.ENOTFOUND, "Diese Diskussion gibt es nicht.")
	}
	return t, sec, st, nil
}

// allowedThread is threadContext followed by the policy check of action on
// the thread's section; target names what the audit of a denial records.
func (s *Service) allowedThread(ctx context.Context, u *domain.User, threadID int64, action policy.Action, target string) (*domain.Thread, *domain.Section, *domain.Strategy, error) {
	t, sec, st, err := s.threadContext(ctx, u, threadID)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := s.check(ctx, u, action, threadResource(t, sec, st), target); err != nil {
		return nil, nil, nil, err
	}
	return t, sec, st, nil
}

// threadResource is what the policy needs to know about t: its section,
// its strategy and the consultation round it belongs to.
func threadResource(t *domain.Thread, sec *domain.Section, st *domain.Strategy) policy.Resource {
	r := policy.Resource{Strategy: st, Section: sec}
	if t.PhaseID != nil {
		for _, p := range st.Phases {
			if p.ID == *t.PhaseID {
				r.Round = p
			}
		}
	}
	return r
}

// Thread returns one thread as u may see it, with its anchor at the
// newest version.
func (s *Service) Thread(ctx context.Context, u *domain.User, id int64) (*domain.Thread, error) {
	t, sec, st, err := s.threadContext(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := s.refresh(ctx, []*domain.Thread{t}); err != nil {
		return nil, err
	}
	out := s.redact(u, t, sec, st)
	return out, s.attachAssessments(ctx, u, st, []*domain.Thread{out})
}

// SectionThreads lists a section's threads as u may see them, anchors at
// the newest version. EFORBIDDEN if u may not read the section.
func (s *Service) SectionThreads(ctx context.Context, u *domain.User, sectionID int64) ([]*domain.Thread, error) {
	sec, st, err := s.sectionAndStrategy(ctx, sectionID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.ReadSection, policy.Resource{Strategy: st, Section: sec}, fmt.Sprintf("section:%d", sec.ID)); err != nil {
		return nil, err
	}
	ts, err := s.d.Store.FindThreads(ctx, domain.ThreadFilter{SectionID: sec.ID})
	if err != nil {
		return nil, err
	}
	if err := s.refresh(ctx, ts); err != nil {
		return nil, err
	}
	for i, t := range ts {
		ts[i] = s.redact(u, t, sec, st)
	}
	return ts, s.attachAssessments(ctx, u, st, ts)
}

// redact returns t as u may see it: hidden threads and comments keep their
// content only for moderators and their author.
func (s *Service) redact(u *domain.User, t *domain.Thread, sec *domain.Section, st *domain.Strategy) *domain.Thread {
	out := *t
	now := s.now()
	out.Can = threadCan(u, &out, sec, st, now)
	if !postVisible(u, t.Hidden, t.AuthorID, now) {
		out.Replacement, out.HiddenReason = "", ""
	}
	out.Comments = make([]*domain.Comment, len(t.Comments))
	round := threadResource(t, sec, st).Round
	for i, c := range t.Comments {
		cc := *c
		if !commentVisible(u, c.Hidden, c.AuthorID, t.Hidden, t.AuthorID, now) {
			cc.Body, cc.HTML, cc.HiddenReason = "", "<p><em>"+HiddenPlaceholder+"</em></p>", ""
			cc.Hidden = true
		}
		cc.Can = commentCan(u, &cc, sec, st, round, now)
		out.Comments[i] = &cc
	}
	return &out
}

// postVisible reports whether u may read a thread or comment that may be
// hidden: hidden posts only for moderators and their author.
func postVisible(u *domain.User, hidden bool, author int64, now time.Time) bool {
	return !hidden || policy.Allowed(u, policy.ViewHidden, policy.Resource{AuthorID: author}, now)
}

// commentVisible reports whether u may read a comment: it and its thread
// must be visible to u, except that the author of a hidden thread still
// reads the visible replies in it.
func commentVisible(u *domain.User, hidden bool, author int64, threadHidden bool, threadAuthor int64, now time.Time) bool {
	if !hidden && !threadHidden {
		return true
	}
	return postVisible(u, true, author, now) || (threadHidden && !hidden && postVisible(u, true, threadAuthor, now))
}

// threadCan asks the policy what u may do with t, so the browser shows only
// the actions that would work.
func threadCan(u *domain.User, t *domain.Thread, sec *domain.Section, st *domain.Strategy, now time.Time) *domain.ThreadPermissions {
	if u == nil {
		return nil
	}
	r := threadResource(t, sec, st)
	may := func(a policy.Action) bool { return policy.Allowed(u, a, r, now) }
	open := t.Status == domain.StatusOffen
	proposal := t.Kind == domain.KindAenderungsvorschlag
	decidable := proposal && open && !t.Anchor.Removed
	cosign, withdraw := cosignCan(u, t, r, now)
	return &domain.ThreadPermissions{
		Cosign:   cosign,
		Withdraw: withdraw,
		Reply:    !t.Hidden && may(policy.Comment),
		Resolve:  open && !proposal && may(policy.ResolveThread),
		Reopen:   !open && may(policy.ResolveThread),
		Hide:     !t.Hidden && may(policy.HideComment),
		Accept:   decidable && may(policy.AcceptProposal),
		Reject:   decidable && may(policy.RejectProposal),
	}
}

// commentCan asks the policy what u may do with c.
func commentCan(u *domain.User, c *domain.Comment, sec *domain.Section, st *domain.Strategy, round *domain.Phase, now time.Time) *domain.CommentPermissions {
	if u == nil {
		return nil
	}
	r := policy.Resource{Strategy: st, Section: sec, AuthorID: c.AuthorID, WrittenAt: c.CreatedAt, Round: round}
	return &domain.CommentPermissions{
		Edit:   !c.Hidden && policy.Allowed(u, policy.EditComment, r, now),
		Report: !c.Hidden && c.AuthorID != u.ID && policy.Allowed(u, policy.ReportComment, r, now),
		Hide:   !c.Hidden && policy.Allowed(u, policy.HideComment, r, now),
	}
}

// ThreadQuery narrows StrategyThreads, e.g. for the moderators' dashboard.
type ThreadQuery struct {
	Status  domain.ThreadStatus
	Kind    domain.ThreadKind
	OrgID   int64
	TopicID int64
	// OlderThan keeps threads created at least this long ago (0: all).
	OlderThan time.Duration
}

// StrategyThreads lists the threads of every section of a strategy that u
// may read, filtered by q, as u may see them.
func (s *Service) StrategyThreads(ctx context.Context, u *domain.User, strategyID int64, q ThreadQuery) ([]*domain.Thread, error) {
	st, err := s.d.Strategies.FindStrategyByID(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.ReadStrategy, policy.Resource{Strategy: st}, fmt.Sprintf("strategy:%d", st.ID)); err != nil {
		return nil, err
	}
	if q.Status != "" && !q.Status.Valid() {
		return nil, domain.Invalid("status", "Unbekannter Status.")
	}
	if q.Kind != "" && !q.Kind.Valid() {
		return nil, domain.Invalid("kind", "Unbekannte Art.")
	}
	sections, err := s.d.Strategies.FindSections(ctx, st.ID)
	if err != nil {
		return nil, err
	}
	readable := map[int64]bool{}
	byID := map[int64]*domain.Section{}
	for _, sec := range sections {
		byID[sec.ID] = sec
		if q.TopicID != 0 && (sec.TopicID == nil || *sec.TopicID != q.TopicID) {
			continue
		}
		readable[sec.ID] = policy.Allowed(u, policy.ReadSection, policy.Resource{Strategy: st, Section: sec}, s.now())
	}
	all, err := s.d.Store.FindThreads(ctx, domain.ThreadFilter{StrategyID: st.ID, Status: q.Status, Kind: q.Kind, OrgID: q.OrgID})
	if err != nil {
		return nil, err
	}
	cutoff := s.now().Add(-q.OlderThan)
	var out []*domain.Thread
	for _, t := range all {
		if readable[t.SectionID] && (q.OlderThan <= 0 || !t.CreatedAt.After(cutoff)) {
			out = append(out, t)
		}
	}
	if err := s.refresh(ctx, out); err != nil {
		return nil, err
	}
	for i, t := range out {
		out[i] = s.redact(u, t, byID[t.SectionID], st)
	}
	if out == nil {
		out = []*domain.Thread{}
	}
	return out, nil
}
