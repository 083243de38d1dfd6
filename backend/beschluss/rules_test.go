package beschluss

import (
	"slices"
	"testing"
)

// shares2016 is the Königsteiner Schlüssel of 2016 in units of 1/100000 %.
var shares2016 = map[string]int64{
	"BW": 1296662, "BY": 1553327, "BE": 508324, "BB": 303655, "HB": 95331, "HH": 255752,
	"HE": 739885, "MV": 201240, "NI": 933138, "NW": 2114424, "RP": 483089, "SL": 121111,
	"SN": 505577, "ST": 279941, "SH": 339074, "TH": 269470,
}

// all returns a vote of v for every member, with the overrides applied
// (an empty vote removes the member: it has not voted).
func all(v Vote, over map[string]Vote) map[string]Vote {
	out := map[string]Vote{}
	for _, m := range Members {
		out[m] = v
	}
	for m, x := range over {
		if x == "" {
			delete(out, m)
		} else {
			out[m] = x
		}
	}
	return out
}

// only returns the given votes and no others.
func only(v Vote, codes ...string) map[string]Vote {
	out := map[string]Vote{}
	for _, c := range codes {
		out[c] = v
	}
	return out
}

// with adds over to votes.
func with(votes map[string]Vote, over map[string]Vote) map[string]Vote {
	for m, v := range over {
		votes[m] = v
	}
	return votes
}

// The 11 smallest Länder hold 26.97 %, far below two thirds.
var small11 = []string{"HB", "SL", "MV", "HH", "TH", "ST", "BB", "SH", "RP", "SN", "BE"}

// The 10 largest Länder hold 89.87 %, above two thirds, but are only 10.
var large10 = []string{"NW", "BY", "BW", "NI", "HE", "BE", "SN", "RP", "SH", "BB"}

// The 11 largest Länder: enough Länder and enough shares.
var large11 = append(slices.Clone(large10), "ST")

func TestEvaluate(t *testing.T) {
	ein := Params{Rule: Einstimmig, Shares: shares2016}
	einStrict := Params{Rule: Einstimmig, AbstentionBlocks: true, Shares: shares2016}
	rv := Params{Rule: Rechtsverbindlich, Shares: shares2016}
	emp := Params{Rule: Empfehlung}
	cases := []struct {
		name       string
		p          Params
		votes      map[string]Vote
		closed     bool
		want       Outcome
		determined bool
	}{
		{"einstimmig all agree", ein, all(Zustimmung, nil), false, Angenommen, true},
		{"einstimmig abstention does not block by default", ein, all(Zustimmung, map[string]Vote{"HB": Enthaltung}), false, Angenommen, true},
		{"einstimmig abstention blocks when set", einStrict, all(Zustimmung, map[string]Vote{"HB": Enthaltung}), false, Abgelehnt, true},
		{"einstimmig all abstain is no decision", ein, all(Enthaltung, nil), false, Abgelehnt, true},
		{"einstimmig fails at the first Ablehnung", ein, only(Ablehnung, "SL"), false, Abgelehnt, true},
		{"einstimmig open while one member is missing", ein, all(Zustimmung, map[string]Vote{"TH": ""}), false, Offen, false},
		{"einstimmig a member that did not vote prevents it at the deadline", ein, all(Zustimmung, map[string]Vote{"TH": ""}), true, Abgelehnt, true},
		{"einstimmig nobody voted, open", ein, nil, false, Offen, false},

		{"rechtsverbindlich all agree", rv, all(Zustimmung, nil), false, Angenommen, true},
		{"rechtsverbindlich Bund rejects", rv, all(Zustimmung, map[string]Vote{Bund: Ablehnung}), false, Abgelehnt, true},
		{"rechtsverbindlich Bund abstains", rv, all(Zustimmung, map[string]Vote{Bund: Enthaltung}), false, Abgelehnt, true},
		{"rechtsverbindlich Bund rejects is determined at once", rv, only(Ablehnung, Bund), false, Abgelehnt, true},
		{"rechtsverbindlich 11 Länder below two thirds", rv, with(only(Zustimmung, append([]string{Bund}, small11...)...), only(Ablehnung, "NW", "BY", "BW", "NI", "HE")), false, Abgelehnt, true},
		{"rechtsverbindlich 10 Länder above two thirds", rv, with(only(Zustimmung, append([]string{Bund}, large10...)...), only(Ablehnung, "ST", "TH", "HH", "MV", "SL", "HB")), false, Abgelehnt, true},
		{"rechtsverbindlich 11 Länder above two thirds", rv, with(only(Zustimmung, append([]string{Bund}, large11...)...), only(Ablehnung, "TH", "HH", "MV", "SL", "HB")), false, Angenommen, true},
		{"rechtsverbindlich adopted before the last five voted", rv, only(Zustimmung, append([]string{Bund}, large11...)...), false, Angenommen, true},
		{"rechtsverbindlich abstentions count as not agreeing", rv, with(only(Zustimmung, append([]string{Bund}, large10...)...), only(Enthaltung, "ST", "TH", "HH", "MV", "SL", "HB")), false, Abgelehnt, true},
		{"rechtsverbindlich open while it can still pass", rv, only(Zustimmung, append([]string{Bund}, large10...)...), false, Offen, false},
		{"rechtsverbindlich non-voters at the deadline", rv, only(Zustimmung, append([]string{Bund}, large10...)...), true, Abgelehnt, true},
		{"rechtsverbindlich six large Länder against decide early", rv, only(Ablehnung, "NW", "BY", "BW", "NI", "HE", "BE"), false, Abgelehnt, true},

		{"empfehlung simple majority", emp, with(only(Zustimmung, "BUND", "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV"), only(Ablehnung, "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH")), false, Angenommen, true},
		{"empfehlung tie fails", emp, with(only(Zustimmung, "BW", "BY"), only(Ablehnung, "BE", "BB")), true, Abgelehnt, true},
		{"empfehlung abstentions are not votes cast", emp, with(only(Zustimmung, "BW", "BY"), with(only(Ablehnung, "BE"), only(Enthaltung, "BUND", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"))), false, Angenommen, true},
		{"empfehlung open", emp, only(Zustimmung, "BW", "BY"), false, Offen, false},
		{"empfehlung non-voters do not count at the deadline", emp, only(Zustimmung, "BW"), true, Angenommen, true},
		{"empfehlung nobody voted at the deadline", emp, nil, true, Abgelehnt, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Evaluate(c.p, c.votes, c.closed)
			if err != nil {
				t.Fatal(err)
			}
			if r.Outcome != c.want || r.Determined != c.determined {
				t.Fatalf("outcome %s determined %v, want %s %v (%+v)", r.Outcome, r.Determined, c.want, c.determined, r)
			}
			if n := r.Zustimmung + r.Ablehnung + r.Enthaltung + r.NotVoted; n != len(Members) {
				t.Fatalf("counts add up to %d, want %d", n, len(Members))
			}
		})
	}
}

// Small11 and large10 must be what their names say, or the cases above
// test nothing.
func TestEvaluateFixtures(t *testing.T) {
	var total int64
	for _, v := range shares2016 {
		total += v
	}
	if total != 10000000 {
		t.Fatalf("2016 shares add up to %d", total)
	}
	if len(small11) != 11 || 3*share(small11) >= 2*total {
		t.Fatalf("small11: %d Länder, %d", len(small11), share(small11))
	}
	if len(large10) != 10 || 3*share(large10) < 2*total {
		t.Fatalf("large10: %d Länder, %d", len(large10), share(large10))
	}
}

func TestEvaluateCountsAndBound(t *testing.T) {
	votes := with(only(Zustimmung, append([]string{Bund}, large11...)...), only(Ablehnung, "TH", "HH"))
	votes["MV"] = Enthaltung
	r, err := Evaluate(Params{Rule: Rechtsverbindlich, Shares: shares2016, OnlyAgreeing: true}, votes, true)
	if err != nil {
		t.Fatal(err)
	}
	if r.Zustimmung != 12 || r.Ablehnung != 2 || r.Enthaltung != 1 || r.NotVoted != 2 || r.LaenderYes != 11 {
		t.Fatalf("counts %+v", r)
	}
	if r.ShareTotal != 10000000 || r.ShareYes != share(large11) {
		t.Fatalf("shares %d / %d", r.ShareYes, r.ShareTotal)
	}
	want := append([]string{Bund}, "BW", "BY", "BE", "BB", "HE", "NI", "NW", "RP", "SN", "ST", "SH")
	if !slices.Equal(r.Bound, want) {
		t.Fatalf("bound %v, want %v", r.Bound, want)
	}
	r, _ = Evaluate(Params{Rule: Rechtsverbindlich, Shares: shares2016}, votes, true)
	if !slices.Equal(r.Bound, Members) {
		t.Fatalf("without the option the decision binds all: %v", r.Bound)
	}
}

func share(codes []string) int64 {
	var s int64
	for _, c := range codes {
		s += shares2016[c]
	}
	return s
}

func TestEvaluateRefusesBadInput(t *testing.T) {
	p := Params{Rule: Rechtsverbindlich, Shares: shares2016}
	for name, c := range map[string]struct {
		p     Params
		votes map[string]Vote
	}{
		"unknown rule":        {Params{Rule: "mehrheit"}, nil},
		"unknown vote":        {p, map[string]Vote{"BW": "ja"}},
		"not a voting member": {p, map[string]Vote{"FITKO": Zustimmung}},
		"missing share":       {Params{Rule: Rechtsverbindlich, Shares: map[string]int64{"BW": 1}}, nil},
	} {
		if _, err := Evaluate(c.p, c.votes, false); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
