package beschluss

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// View is a Vorlage as one user may see it: who has voted is public at
// once; the votes themselves, the Protokollerklärungen and the counts once
// the outcome is recorded (a voting member always sees its own
// organisation's vote, the moderation the votes it entered in a session).
type View struct {
	*Beschluss
	Number  string        `json:"number"`
	Members []MemberState `json:"members"`
	Voted   int           `json:"voted"`
	// Result is the outcome with its counts, once decided.
	Result *Result `json:"result"`
	// Closed is true once no vote can be cast or changed.
	Closed bool       `json:"closed"`
	Can    Permission `json:"can"`
}

// MemberState is one voting member's line of the tally.
type MemberState struct {
	Org   string      `json:"org"`
	Voted bool        `json:"voted"`
	Vote  *VoteRecord `json:"vote"` // nil while secret
}

// Permission says what the viewer may do with the Vorlage now.
type Permission struct {
	// VoteFor is the member the viewer may vote for ("" if none).
	VoteFor string `json:"vote_for"`
	Record  bool   `json:"record"` // enter a session's votes
	Close   bool   `json:"close"`
}

// Get returns one Vorlage for u, recording the outcome first if its
// deadline has passed.
func (s *Service) Get(ctx context.Context, u *domain.User, id int64) (*View, error) {
	if err := policy.Check(u, policy.ReadBeschluss, policy.Resource{}, s.now()); err != nil {
		return nil, err
	}
	b, err := s.d.Store.FindBeschluss(ctx, id)
	if err != nil {
		return nil, err
	}
	if s.expired(b) {
		if settled := s.settle(ctx, id); settled != nil {
			b = settled
		}
	}
	if err := s.nameVersions(ctx, b); err != nil {
		return nil, err
	}
	return s.view(ctx, u, b)
}

// List returns a strategy's Vorlagen for u, newest first (without text).
func (s *Service) List(ctx context.Context, u *domain.User, strategyID int64) ([]*View, error) {
	if err := policy.Check(u, policy.ReadBeschluss, policy.Resource{}, s.now()); err != nil {
		return nil, err
	}
	if _, err := s.d.Strategies.FindStrategyByID(ctx, strategyID); err != nil {
		return nil, err
	}
	list, err := s.d.Store.FindBeschluesse(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	out := make([]*View, 0, len(list))
	for _, b := range list {
		if s.expired(b) {
			if settled := s.settle(ctx, b.ID); settled != nil {
				settled.Sections = b.Sections
				b = settled
			}
		}
		v, err := s.view(ctx, u, b)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Adopted names an adopted Beschluss that includes a section, for the
// section's page: its number links the text to the decision.
type Adopted struct {
	ID        int64      `json:"id"`
	Number    string     `json:"number"`
	Title     string     `json:"title"`
	DecidedAt *time.Time `json:"decided_at"`
	TextHash  string     `json:"text_hash"`
}

// SectionBeschluesse lists the adopted Beschlüsse that include a section,
// oldest first.
func (s *Service) SectionBeschluesse(ctx context.Context, u *domain.User, sectionID int64) ([]Adopted, error) {
	if err := policy.Check(u, policy.ReadBeschluss, policy.Resource{}, s.now()); err != nil {
		return nil, err
	}
	list, err := s.d.Store.FindSectionBeschluesse(ctx, sectionID)
	if err != nil {
		return nil, err
	}
	out := make([]Adopted, 0, len(list))
	for _, b := range list {
		out = append(out, Adopted{ID: b.ID, Number: b.Number(), Title: b.Title, DecidedAt: b.DecidedAt, TextHash: b.TextHash})
	}
	return out, nil
}

func (s *Service) expired(b *Beschluss) bool {
	return b.Outcome == Offen && b.Deadline != nil && !s.now().Before(*b.Deadline)
}

func (s *Service) view(ctx context.Context, u *domain.User, b *Beschluss) (*View, error) {
	now := s.now()
	v := &View{Beschluss: b, Number: b.Number(), Closed: b.Outcome != Offen || (b.Deadline != nil && !now.Before(*b.Deadline))}
	moderator := policy.Allowed(u, policy.ManageBeschluss, policy.Resource{}, now)
	byOrg := map[string]VoteRecord{}
	for _, vr := range b.Votes {
		byOrg[vr.OrgCode] = vr
	}
	for _, m := range Members {
		ms := MemberState{Org: m}
		if vr, ok := byOrg[m]; ok {
			ms.Voted = true
			v.Voted++
			if b.Outcome != Offen || m == u.Org.Code || (moderator && b.Procedure == Sitzung) {
				rec := vr
				ms.Vote = &rec
			}
		}
		v.Members = append(v.Members, ms)
	}
	if b.Outcome != Offen {
		keys, err := s.d.Store.FindKeys(ctx)
		if err != nil {
			return nil, err
		}
		r, err := evaluate(b, keys, votesOf(b), true)
		if err != nil {
			return nil, err
		}
		r.Outcome = b.Outcome // as recorded: it may have been determined before every vote was in
		v.Result = &r
	}
	if !v.Closed {
		if b.Procedure == Umlauf && IsMember(u.Org.Code) &&
			policy.Allowed(u, policy.CastVote, policy.Resource{OrgID: u.OrgID}, now) {
			v.Can.VoteFor = u.Org.Code
		}
		v.Can.Record = moderator && b.Procedure == Sitzung
		v.Can.Close = moderator && b.Procedure == Sitzung
	}
	return v, nil
}

// Keys lists the Königsteiner tables, newest first.
func (s *Service) Keys(ctx context.Context, u *domain.User) ([]*Key, error) {
	if err := policy.Check(u, policy.ReadBeschluss, policy.Resource{}, s.now()); err != nil {
		return nil, err
	}
	return s.d.Store.FindKeys(ctx)
}

// SaveKey checks and stores a year's Königsteiner table: a source, exactly
// the 16 Länder with positive shares that add up to 100 % within
// ShareTolerance. Only administrators.
func (s *Service) SaveKey(ctx context.Context, u *domain.User, k *Key) error {
	if err := policy.Check(u, policy.ManageKey, policy.Resource{}, s.now()); err != nil {
		return err
	}
	if err := validateKey(k); err != nil {
		return err
	}
	if err := s.d.Store.SaveKey(ctx, k); err != nil {
		return err
	}
	s.audit(ctx, u, "key_saved", "koenigsteiner:"+strconv.Itoa(k.Year), k.Source)
	return nil
}

func validateKey(k *Key) error {
	if k.Year < 1949 || k.Year > 9999 {
		return domain.Invalid("year", "Bitte ein Jahr ab 1949 angeben.")
	}
	src, err := domain.Line("source", k.Source, MaxSourceLen)
	if err != nil {
		return err
	}
	k.Source = src
	var sum int64
	for land, share := range k.Shares {
		if !isLand(land) {
			return domain.Invalid("shares", "„"+land+"“ ist kein Land.")
		}
		if share <= 0 {
			return domain.Invalid("shares", "Jeder Anteil muss größer als null sein ("+land+").")
		}
		sum += share
	}
	for _, l := range Laender {
		if _, ok := k.Shares[l]; !ok {
			return domain.Invalid("shares", "Der Anteil von "+l+" fehlt; der Schlüssel braucht alle 16 Länder.")
		}
	}
	if d := sum - 100*ShareUnit; d > ShareTolerance || d < -ShareTolerance {
		return domain.Invalid("shares", "Die Anteile ergeben zusammen "+percent(sum)+" %, nicht 100 %.")
	}
	return nil
}

// ShareUnit is one percent in the units shares are stored in.
const ShareUnit = 100000

func isLand(code string) bool { return slices.Contains(Laender, code) }

// percent formats units of 1/100000 % German style, e.g. "99,98765".
func percent(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	frac := strconv.Itoa(int(v % ShareUnit))
	for len(frac) < 5 {
		frac = "0" + frac
	}
	return sign + strconv.Itoa(int(v/ShareUnit)) + "," + frac
}
