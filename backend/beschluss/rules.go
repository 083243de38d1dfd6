// Package beschluss holds the decisions of the IT-Planungsrat: the voting
// rules (this file: pure functions, standard library only), the
// Königsteiner Schlüssel, Beschlussvorlagen, votes and results.
package beschluss

import (
	"fmt"
	"slices"
)

// Vote is a voting member's answer to a Beschlussvorlage.
type Vote string

// Votes.
const (
	Zustimmung Vote = "zustimmung"
	Ablehnung  Vote = "ablehnung"
	Enthaltung Vote = "enthaltung"
)

// Valid reports whether v is a known vote.
func (v Vote) Valid() bool { return v == Zustimmung || v == Ablehnung || v == Enthaltung }

// Rule is the majority a Vorlage needs.
type Rule string

// Rules (IT-Staatsvertrag).
const (
	// Einstimmig: every voting member agrees. Whether an abstention
	// prevents unanimity is Params.AbstentionBlocks.
	Einstimmig Rule = "einstimmig"
	// Rechtsverbindlich: the Bund agrees and at least 11 Länder agree whose
	// Königsteiner shares add up to at least two thirds of the Länder's total.
	Rechtsverbindlich Rule = "rechtsverbindlich"
	// Empfehlung: more Zustimmungen than Ablehnungen among the votes cast;
	// abstentions are not votes cast.
	Empfehlung Rule = "empfehlung"
)

// Valid reports whether r is a known rule.
func (r Rule) Valid() bool { return r == Einstimmig || r == Rechtsverbindlich || r == Empfehlung }

// Bund is the Bund's organisation code.
const Bund = "BUND"

// Laender lists the codes of the 16 Länder (ISO 3166-2:DE suffixes).
var Laender = []string{"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"}

// Members lists the 17 voting members: the Bund, then the Länder.
var Members = append([]string{Bund}, Laender...)

// IsMember reports whether code is one of the 17 voting members.
func IsMember(code string) bool { return slices.Contains(Members, code) }

// MinLaender is the number of agreeing Länder a binding decision needs.
const MinLaender = 11

// Params are what Evaluate needs besides the votes.
type Params struct {
	Rule Rule
	// AbstentionBlocks makes an abstention prevent unanimity. The rules of
	// procedure decide; by default (false) only an Ablehnung prevents it.
	AbstentionBlocks bool
	// Shares are the Länder's Königsteiner shares in units of 1/100000 %
	// (12.96662 % is 1296662), used by Rechtsverbindlich.
	Shares map[string]int64
	// OnlyAgreeing: the decision binds only the members who agreed.
	OnlyAgreeing bool
}

// Outcome is the state of a decision.
type Outcome string

// Outcomes.
const (
	Offen      Outcome = "offen"      // not determined yet
	Angenommen Outcome = "angenommen" // adopted
	Abgelehnt  Outcome = "abgelehnt"  // not adopted
)

// Result is what Evaluate computes.
type Result struct {
	Outcome Outcome `json:"outcome"`
	// Determined is true when no vote still to come (or changed, for the
	// members who have not voted) can change the outcome, or voting closed.
	Determined bool `json:"determined"`
	Zustimmung int  `json:"zustimmung"`
	Ablehnung  int  `json:"ablehnung"`
	Enthaltung int  `json:"enthaltung"`
	NotVoted   int  `json:"not_voted"`
	// LaenderYes counts the agreeing Länder; ShareYes their Königsteiner
	// shares, ShareTotal all 16 shares (units of 1/100000 %).
	LaenderYes int   `json:"laender_yes"`
	ShareYes   int64 `json:"share_yes"`
	ShareTotal int64 `json:"share_total"`
	// Bound lists the members the decision binds once adopted: all 17, or
	// with OnlyAgreeing only those who agreed.
	Bound []string `json:"bound,omitempty"`
}

// Evaluate computes the outcome of the votes (member code → vote; codes that
// are not voting members are an error) under p. While open, members without
// a vote may still vote anything: the outcome is determined as soon as the
// most and the least favourable remaining votes lead to the same result (an
// Ablehnung ends an einstimmig vote at once). Once closed, members without a
// vote count as not agreeing.
func Evaluate(p Params, votes map[string]Vote, closed bool) (Result, error) {
	if !p.Rule.Valid() {
		return Result{}, fmt.Errorf("unknown rule %q", p.Rule)
	}
	for code, v := range votes {
		if !IsMember(code) {
			return Result{}, fmt.Errorf("%q is not a voting member", code)
		}
		if !v.Valid() {
			return Result{}, fmt.Errorf("unknown vote %q", v)
		}
	}
	if p.Rule == Rechtsverbindlich {
		for _, l := range Laender {
			if p.Shares[l] <= 0 {
				return Result{}, fmt.Errorf("no Königsteiner share for %s", l)
			}
		}
	}
	r := count(p, votes)
	if closed {
		r.Determined = true
		r.Outcome = outcomeOf(passes(p, votes, ""))
	} else {
		best, worst := passes(p, votes, Zustimmung), passes(p, votes, Ablehnung)
		switch {
		case worst:
			r.Outcome, r.Determined = Angenommen, true
		case !best:
			r.Outcome, r.Determined = Abgelehnt, true
		default:
			r.Outcome = Offen
		}
	}
	if r.Outcome == Angenommen {
		r.Bound = bound(p, votes)
	}
	return r, nil
}

func outcomeOf(ok bool) Outcome {
	if ok {
		return Angenommen
	}
	return Abgelehnt
}

func count(p Params, votes map[string]Vote) Result {
	var r Result
	for _, m := range Members {
		switch votes[m] {
		case Zustimmung:
			r.Zustimmung++
		case Ablehnung:
			r.Ablehnung++
		case Enthaltung:
			r.Enthaltung++
		default:
			r.NotVoted++
		}
	}
	for _, l := range Laender {
		r.ShareTotal += p.Shares[l]
		if votes[l] == Zustimmung {
			r.LaenderYes++
			r.ShareYes += p.Shares[l]
		}
	}
	return r
}

// passes reports whether the rule is met when every member without a vote
// votes fill ("" leaves them without a vote).
func passes(p Params, votes map[string]Vote, fill Vote) bool {
	vote := func(m string) Vote {
		if v, ok := votes[m]; ok {
			return v
		}
		return fill
	}
	switch p.Rule {
	case Einstimmig:
		yes := 0
		for _, m := range Members {
			switch vote(m) {
			case Zustimmung:
				yes++
			case Enthaltung:
				if p.AbstentionBlocks {
					return false
				}
			default: // Ablehnung or no vote
				return false
			}
		}
		return yes > 0
	case Rechtsverbindlich:
		if vote(Bund) != Zustimmung {
			return false
		}
		n, share, total := 0, int64(0), int64(0)
		for _, l := range Laender {
			total += p.Shares[l]
			if vote(l) == Zustimmung {
				n++
				share += p.Shares[l]
			}
		}
		return n >= MinLaender && 3*share >= 2*total
	default: // Empfehlung
		yes, no := 0, 0
		for _, m := range Members {
			switch vote(m) {
			case Zustimmung:
				yes++
			case Ablehnung:
				no++
			}
		}
		return yes > no
	}
}

func bound(p Params, votes map[string]Vote) []string {
	if !p.OnlyAgreeing {
		return append([]string(nil), Members...)
	}
	var out []string
	for _, m := range Members {
		if votes[m] == Zustimmung {
			out = append(out, m)
		}
	}
	return out
}
