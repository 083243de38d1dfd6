package beschluss

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
	_ "time/tzdata" // Beschluss numbers follow the German calendar year even without zone data

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Procedure is how the members vote.
type Procedure string

// Procedures.
const (
	// Umlauf is the Umlaufverfahren: members vote in writing until a deadline.
	Umlauf Procedure = "umlauf"
	// Sitzung is a session: the moderator enters the votes as recorded.
	Sitzung Procedure = "sitzung"
)

// Valid reports whether p is a known procedure.
func (p Procedure) Valid() bool { return p == Umlauf || p == Sitzung }

// Beschluss is a Beschlussvorlage and, once adopted, the Beschluss.
type Beschluss struct {
	ID               int64     `json:"id"`
	StrategyID       int64     `json:"strategy_id"`
	Title            string    `json:"title"`
	DecisionText     string    `json:"decision_text"`
	Rule             Rule      `json:"rule"`
	AbstentionBlocks bool      `json:"abstention_blocks"`
	OnlyAgreeing     bool      `json:"only_agreeing"`
	Procedure        Procedure `json:"procedure"`
	// Deadline ends an Umlaufverfahren: votes are accepted before it.
	Deadline *time.Time `json:"deadline"`
	// KeyYear is the Königsteiner Schlüssel a rechtsverbindlich vote uses.
	KeyYear  *int            `json:"key_year"`
	TextHash string          `json:"text_hash"`
	Sections []FrozenSection `json:"sections"`
	Outcome  Outcome         `json:"outcome"`
	// NumberYear and NumberSeq make the Beschluss number ("2026/14"); set
	// on adoption only.
	NumberYear *int       `json:"-"`
	NumberSeq  *int       `json:"-"`
	DecidedAt  *time.Time `json:"decided_at"`
	CreatedBy  *int64     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	// Votes are the members' current votes, in member order.
	Votes []VoteRecord `json:"-"`
}

// Number is the Beschluss number "YYYY/N", or "" before adoption.
func (b *Beschluss) Number() string {
	if b.NumberYear == nil || b.NumberSeq == nil {
		return ""
	}
	return fmt.Sprintf("%d/%d", *b.NumberYear, *b.NumberSeq)
}

// FrozenSection is a section's text as the Vorlage put it to the vote.
type FrozenSection struct {
	SectionID int64  `json:"section_id"`
	Title     string `json:"title"`
	Version   int64  `json:"version"`
	// VersionName is the name of the named version at Version, such as
	// "Beteiligungsfassung 2026-03-02", when there is one; filled in when
	// the Vorlage is read, not stored.
	VersionName string `json:"version_name,omitempty"`
	Text        string `json:"text"`
}

// VoteRecord is one member organisation's vote.
type VoteRecord struct {
	OrgCode string `json:"org"`
	Vote    Vote   `json:"vote"`
	// Declaration is the Protokollerklärung, "" if none.
	Declaration string `json:"declaration"`
	CastBy      *int64 `json:"cast_by"`
	CastByName  string `json:"cast_by_name"`
	// Recorded marks a vote the moderator entered as recorded in a session.
	Recorded bool      `json:"recorded"`
	CastAt   time.Time `json:"cast_at"`
}

// Key is the Königsteiner Schlüssel of one year: the 16 Länder's shares in
// units of 1/100000 %.
type Key struct {
	Year      int              `json:"year"`
	Source    string           `json:"source"`
	Shares    map[string]int64 `json:"shares"`
	UpdatedAt time.Time        `json:"updated_at"`
}

// Store keeps Vorlagen, votes and the Königsteiner Schlüssel. Implemented
// by backend/store on SQLite and PostgreSQL.
type Store interface {
	// CreateBeschluss inserts b with its frozen sections and sets ID and
	// CreatedAt. EINVALID for an unknown strategy or key year.
	CreateBeschluss(ctx context.Context, b *Beschluss) error
	// FindBeschluesse lists a strategy's Vorlagen, newest first, with their
	// votes but without the sections' text.
	FindBeschluesse(ctx context.Context, strategyID int64) ([]*Beschluss, error)
	// FindBeschluss returns one Vorlage with its frozen sections and votes,
	// or ENOTFOUND.
	FindBeschluss(ctx context.Context, id int64) (*Beschluss, error)
	// UpdateBeschluss locks the Vorlage (so that instances sharing the
	// database take turns), hands its current state to fn and stores, in
	// the same transaction, what fn returns: a vote that adds or replaces
	// the organisation's vote (nil: none), and the outcome. Once the outcome
	// is not Offen the decision is recorded with time now; Angenommen also
	// takes the next number of now's year (Europe/Berlin) and makes the
	// frozen sections that still exist final. An error from fn rolls back.
	// ENOTFOUND if absent.
	UpdateBeschluss(ctx context.Context, id int64, now time.Time, fn func(*Beschluss) (*VoteRecord, Outcome, error)) (*Beschluss, error)
	// FindSectionBeschluesse lists the adopted Beschlüsse that include the
	// section, oldest first, without text and votes.
	FindSectionBeschluesse(ctx context.Context, sectionID int64) ([]*Beschluss, error)
	// FindDueBeschluesse lists the ids of open Umlaufverfahren whose
	// deadline is at or before now.
	FindDueBeschluesse(ctx context.Context, now time.Time) ([]int64, error)
	// FindNamedVersions lists a section's named versions (such as its
	// Beteiligungsfassung), oldest first.
	FindNamedVersions(ctx context.Context, sectionID int64) ([]*domain.NamedVersion, error)

	// FindKeys lists the Königsteiner tables, newest year first.
	FindKeys(ctx context.Context) ([]*Key, error)
	// FindKey returns one year's table, or ENOTFOUND.
	FindKey(ctx context.Context, year int) (*Key, error)
	// SaveKey inserts or replaces the table of k.Year and sets UpdatedAt.
	SaveKey(ctx context.Context, k *Key) error
}

// TextHash is the SHA-256 (hex) of the frozen sections in this canonical
// serialisation, section after section in the Vorlage's order:
//
//	<section id>\n<version>\n<title length>\n<title>\n<text length>\n<text>\n
//
// with numbers in decimal and lengths in bytes of the UTF-8 text, so that
// anyone can recompute it from the published text.
func TextHash(sections []FrozenSection) string {
	h := sha256.New()
	for _, s := range sections {
		for _, part := range []string{
			strconv.FormatInt(s.SectionID, 10), strconv.FormatInt(s.Version, 10),
			strconv.Itoa(len(s.Title)), s.Title, strconv.Itoa(len(s.Text)), s.Text,
		} {
			h.Write([]byte(part))
			h.Write([]byte{'\n'})
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// berlin is the zone whose calendar year numbers Beschlüsse.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // time/tzdata is embedded
	}
	return loc
}()

// NumberYear is the year a Beschluss adopted at t is numbered in: the
// calendar year in Germany.
func NumberYear(t time.Time) int { return t.In(berlin).Year() }
