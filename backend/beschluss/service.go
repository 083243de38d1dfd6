package beschluss

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// Limits on input, in code points or counts.
const (
	MaxTitleLen       = 300
	MaxDecisionLen    = 20000
	MaxDeclarationLen = 5000
	MaxSections       = 50
	MaxSourceLen      = 500
	// ShareTolerance is how far (in 1/100000 %) a key's 16 shares may add
	// up away from 100 %: 0.01 percentage points, room for rounding.
	ShareTolerance = 1000
)

// Deps are the services a Service works with.
type Deps struct {
	Store      Store
	Strategies domain.StrategyService
	History    domain.HistoryService
	Audit      domain.AuditService
	Logger     *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Event tells listeners that a Vorlage changed: created, voted (a vote was
// cast or changed) or decided. It carries ids only; what a user may see is
// decided when the Vorlage is fetched.
type Event struct {
	StrategyID  int64  `json:"strategy"`
	BeschlussID int64  `json:"beschluss"`
	Event       string `json:"event"`
}

// Service runs Beschlussvorlagen. Safe for concurrent use; instances may
// share one database.
type Service struct {
	d   Deps
	log *slog.Logger

	mu    sync.RWMutex
	hooks []func(Event)
}

// New returns a Service over d.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	log := d.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{d: d, log: log}
}

// OnChange registers fn, called after every change. fn must not block.
func (s *Service) OnChange(fn func(Event)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks = append(s.hooks, fn)
}

func (s *Service) changed(b *Beschluss, event string) {
	s.mu.RLock()
	hooks := s.hooks
	s.mu.RUnlock()
	for _, fn := range hooks {
		fn(Event{StrategyID: b.StrategyID, BeschlussID: b.ID, Event: event})
	}
}

func (s *Service) now() time.Time { return s.d.Now().UTC() }

// audit appends an event; a failure is logged, never shown, since the
// action itself has already happened.
func (s *Service) audit(ctx context.Context, u *domain.User, action, target, detail string) {
	e := &domain.AuditEvent{Action: action, Target: target, Detail: detail, At: s.now()}
	if u != nil {
		id := u.ID
		e.ActorID, e.OrgCode = &id, u.Org.Code
	}
	if err := s.d.Audit.AppendAudit(ctx, e); err != nil {
		s.log.Error("audit append failed", "action", action, "target", target, "err", err)
	}
}

func target(id int64) string { return "beschluss:" + strconv.FormatInt(id, 10) }

// SectionRef names a section for a Vorlage and, optionally, the version of
// its text: a named version (such as the Beteiligungsfassung) by its id, or
// an op-log version by number; neither means the current text.
type SectionRef struct {
	SectionID      int64  `json:"section_id"`
	Version        *int64 `json:"version"`
	NamedVersionID *int64 `json:"named_version_id"`
}

// NewVorlage is what a moderator submits.
type NewVorlage struct {
	StrategyID       int64
	Title            string
	DecisionText     string
	Rule             Rule
	AbstentionBlocks bool
	OnlyAgreeing     bool
	Procedure        Procedure
	Deadline         *time.Time
	KeyYear          *int
	Sections         []SectionRef
}

// Create checks n, freezes the sections' text and stores the Vorlage.
// EFORBIDDEN unless u is a moderator; EINVALID for bad input, a section of
// another strategy, a version that does not exist or a section still in
// consultation.
func (s *Service) Create(ctx context.Context, u *domain.User, n NewVorlage) (*Beschluss, error) {
	if err := policy.Check(u, policy.ManageBeschluss, policy.Resource{}, s.now()); err != nil {
		return nil, err
	}
	b, err := s.validate(ctx, n)
	if err != nil {
		return nil, err
	}
	if b.Sections, err = s.freeze(ctx, n.StrategyID, n.Sections); err != nil {
		return nil, err
	}
	b.TextHash = TextHash(b.Sections)
	id := u.ID
	b.CreatedBy = &id
	if err := s.d.Store.CreateBeschluss(ctx, b); err != nil {
		return nil, err
	}
	s.audit(ctx, u, "beschluss_created", target(b.ID), fmt.Sprintf("%s, %s, SHA-256 %s", b.Rule, b.Procedure, b.TextHash))
	s.changed(b, "created")
	return b, nil
}

func (s *Service) validate(ctx context.Context, n NewVorlage) (*Beschluss, error) {
	b := &Beschluss{StrategyID: n.StrategyID, Rule: n.Rule, AbstentionBlocks: n.AbstentionBlocks,
		OnlyAgreeing: n.OnlyAgreeing, Procedure: n.Procedure}
	var err error
	if b.Title, err = domain.Line("title", n.Title, MaxTitleLen); err != nil {
		return nil, err
	}
	if b.DecisionText, err = domain.Body("decision_text", n.DecisionText, MaxDecisionLen, true); err != nil {
		return nil, err
	}
	if _, err := s.d.Strategies.FindStrategyByID(ctx, n.StrategyID); err != nil {
		return nil, err
	}
	if !n.Rule.Valid() {
		return nil, domain.Invalid("rule", "Unbekannte Mehrheitsregel: erlaubt sind einstimmig, rechtsverbindlich und empfehlung.")
	}
	switch n.Procedure {
	case Umlauf:
		if n.Deadline == nil {
			return nil, domain.Invalid("deadline", "Ein Umlaufverfahren braucht eine Frist.")
		}
		if !n.Deadline.After(s.now()) {
			return nil, domain.Invalid("deadline", "Die Frist muss in der Zukunft liegen.")
		}
		d := n.Deadline.UTC()
		b.Deadline = &d
	case Sitzung:
		if n.Deadline != nil {
			return nil, domain.Invalid("deadline", "In einer Sitzung gibt es keine Frist; die Moderation schließt die Abstimmung.")
		}
	default:
		return nil, domain.Invalid("procedure", "Unbekanntes Verfahren: erlaubt sind umlauf und sitzung.")
	}
	if n.Rule == Rechtsverbindlich {
		k, err := s.key(ctx, n.KeyYear)
		if err != nil {
			return nil, err
		}
		b.KeyYear = &k.Year
	} else if n.KeyYear != nil {
		return nil, domain.Invalid("key_year", "Der Königsteiner Schlüssel gilt nur für rechtsverbindliche Beschlüsse.")
	}
	return b, nil
}

// key returns the given year's Königsteiner table, or the newest.
func (s *Service) key(ctx context.Context, year *int) (*Key, error) {
	if year != nil {
		k, err := s.d.Store.FindKey(ctx, *year)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return nil, domain.Invalid("key_year", fmt.Sprintf("Für %d ist kein Königsteiner Schlüssel hinterlegt.", *year))
		}
		return k, err
	}
	keys, err := s.d.Store.FindKeys(ctx)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, domain.Invalid("key_year", "Es ist kein Königsteiner Schlüssel hinterlegt.")
	}
	return keys[0], nil
}

// freeze reads each section's text at the requested version.
func (s *Service) freeze(ctx context.Context, strategyID int64, refs []SectionRef) ([]FrozenSection, error) {
	if len(refs) == 0 {
		return nil, domain.Invalid("sections", "Wählen Sie mindestens einen Abschnitt.")
	}
	if len(refs) > MaxSections {
		return nil, domain.Invalid("sections", fmt.Sprintf("Höchstens %d Abschnitte je Vorlage.", MaxSections))
	}
	seen := map[int64]bool{}
	out := make([]FrozenSection, 0, len(refs))
	for _, ref := range refs {
		if seen[ref.SectionID] {
			return nil, domain.Invalid("sections", "Ein Abschnitt ist doppelt gewählt.")
		}
		seen[ref.SectionID] = true
		sec, err := s.d.Strategies.FindSectionByID(ctx, ref.SectionID)
		if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && sec.StrategyID != strategyID) {
			return nil, domain.Invalid("sections", fmt.Sprintf("Den Abschnitt %d gibt es in dieser Strategie nicht.", ref.SectionID))
		} else if err != nil {
			return nil, err
		}
		if sec.Status == domain.SectionConsultation {
			return nil, domain.Invalid("sections", fmt.Sprintf("Der Abschnitt „%s“ ist noch in der Beteiligung und wird bearbeitet; beenden Sie zuerst die Beteiligung.", sec.Title))
		}
		v, text, name, err := s.textOf(ctx, sec, ref)
		if err != nil {
			return nil, err
		}
		out = append(out, FrozenSection{SectionID: sec.ID, Title: sec.Title, Version: v, VersionName: name, Text: text})
	}
	return out, nil
}

// textOf returns the version, text and (for a named version) the name that
// ref asks for of section sec.
func (s *Service) textOf(ctx context.Context, sec *domain.Section, ref SectionRef) (int64, string, string, error) {
	switch {
	case ref.NamedVersionID != nil && ref.Version != nil:
		return 0, "", "", domain.Invalid("sections", fmt.Sprintf("Für den Abschnitt „%s“ ist entweder eine benannte Fassung oder eine Versionsnummer anzugeben, nicht beides.", sec.Title))
	case ref.NamedVersionID != nil:
		named, err := s.d.Store.FindNamedVersions(ctx, sec.ID)
		if err != nil {
			return 0, "", "", err
		}
		for _, nv := range named {
			if nv.ID == *ref.NamedVersionID {
				return nv.Version, nv.Text, nv.Name, nil
			}
		}
		return 0, "", "", domain.Invalid("sections", fmt.Sprintf("Die benannte Fassung %d gehört nicht zum Abschnitt „%s“.", *ref.NamedVersionID, sec.Title))
	case ref.Version != nil:
		if *ref.Version < 0 || *ref.Version > sec.Version {
			return 0, "", "", domain.Invalid("sections", fmt.Sprintf("Die Fassung %d des Abschnitts „%s“ gibt es nicht (aktuell: Fassung %d).", *ref.Version, sec.Title, sec.Version))
		}
		if *ref.Version == sec.Version {
			return sec.Version, sec.Text, "", nil
		}
		text, err := s.d.History.TextAt(ctx, domain.SectionDoc(sec.ID), *ref.Version)
		return *ref.Version, text, "", err
	}
	return sec.Version, sec.Text, "", nil
}

// nameVersions fills in the names of the frozen sections' versions where a
// named version of the same section has that version.
func (s *Service) nameVersions(ctx context.Context, b *Beschluss) error {
	for i := range b.Sections {
		fs := &b.Sections[i]
		named, err := s.d.Store.FindNamedVersions(ctx, fs.SectionID)
		if err != nil {
			return err
		}
		for _, nv := range named {
			if nv.Version == fs.Version {
				fs.VersionName = nv.Name // the newest of several names wins
			}
		}
	}
	return nil
}
