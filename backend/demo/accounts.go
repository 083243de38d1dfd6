package demo

import (
	"strings"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Account describes one demo account as Seed creates it.
type Account struct {
	Email   string
	Name    string
	OrgCode string
	Roles   []domain.Role
	Topics  []string // titles of the topics a Themenpate edits
}

// participants maps each organisation that takes part in a consultation to
// the invented name of its demo participant, in the order the accounts are
// listed: Bund, the Länder as in DOMAIN.md, then the Spitzenverbände.
var participants = []struct{ code, name string }{
	{"BUND", "Andreas Vogt"},
	{"BW", "Eva Kühn"},
	{"BY", "Florian Huber"},
	{"BE", "Sarah Lindner"},
	{"BB", "Uwe Schröder"},
	{"HB", "Birte Meyer"},
	{"HH", "Jan Hansen"},
	{"HE", "Daniela Roth"},
	{"MV", "Kai Ahrens"},
	{"NI", "Martina Wolff"},
	{"NW", "Christian Schulte"},
	{"RP", "Petra Zimmer"},
	{"SL", "Tobias Klein"},
	{"SN", "Anja Lehmann"},
	{"ST", "Ralf Böttcher"},
	{"SH", "Frauke Nissen"},
	{"TH", "Matthias Ebert"},
	{"DLT", "Ute Berger"},
	{"DST", "Michael Franke"},
	{"DStGB", "Susanne Graf"},
}

// votingMembers is how many of the first participants (the Bund and the 16
// Länder) are voting members of the IT-Planungsrat.
const votingMembers = 17

// patenNames holds the two invented Themenpaten names per sponsoring
// organisation.
var patenNames = map[string][2]string{
	"ST":   {"Sabine Köhler", "Thomas Rieck"},
	"HE":   {"Claudia Brandt", "Markus Seidel"},
	"HB":   {"Heike Janssen", "Ole Brinkmann"},
	"HH":   {"Nina Petersen", "Lars Hoffmann"},
	"BUND": {"Julia Wendt", "Stefan Kramer"},
}

// Accounts lists the demo accounts (e-mail, name, organisation code, roles,
// topic titles) in the order Seed creates them. The result is a fresh copy.
func Accounts() []Account {
	accs := []Account{
		{Email: "admin@fitko.example", Name: "Katrin Albers", OrgCode: "FITKO", Roles: []domain.Role{domain.RoleAdmin}},
		{Email: "moderation@fitko.example", Name: "Jonas Wiegand", OrgCode: "FITKO", Roles: []domain.Role{domain.RoleModerator}},
	}
	for _, t := range topics {
		domainPart := strings.ToLower(t.sponsor) + ".example"
		for i, name := range patenNames[t.sponsor] {
			accs = append(accs, Account{
				Email:   "pate" + string(rune('1'+i)) + "@" + domainPart,
				Name:    name,
				OrgCode: t.sponsor,
				Roles:   []domain.Role{domain.RoleThemenpate},
				Topics:  []string{t.title},
			})
		}
	}
	for i, p := range participants {
		roles := []domain.Role{domain.RoleLand}
		if i < votingMembers {
			// The Bund's and each Land's participant also votes for it in
			// the IT-Planungsrat.
			roles = append(roles, domain.RoleStimmberechtigt)
		}
		accs = append(accs, Account{
			Email:   "beteiligung@" + strings.ToLower(p.code) + ".example",
			Name:    p.name,
			OrgCode: p.code,
			Roles:   roles,
		})
	}
	accs = append(accs, Account{Email: "lesen@fitko.example", Name: "Miriam Hollstein", OrgCode: "FITKO", Roles: []domain.Role{domain.RoleReader}})
	return accs
}
