package policy

import (
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// TestConsultationPolicyTable covers the consultation's actions the same
// way TestPolicyTable covers the foundation's.
func TestConsultationPolicyTable(t *testing.T) {
	beteiligung := strategy(domain.PhaseBeteiligung, false)
	public := strategy(domain.PhaseBeteiligung, false)
	public.StatementsPublic = true
	entwurf := strategy(domain.PhaseEntwurf, false)
	auswertung := strategy(domain.PhaseAuswertung, false)
	beschlossen := strategy(domain.PhaseBeschlossen, false)
	secX := section(&topicX, domain.SectionConsultation)
	secY := section(&topicY, domain.SectionConsultation)
	secXFinal := section(&topicX, domain.SectionFinal)
	late := closes.Add(time.Second)
	justBefore := closes.Add(-time.Second)
	written := now.Add(-10 * time.Minute)
	landID := land.ID

	type tc struct {
		name string
		u    *domain.User
		a    Action
		r    Resource
		at   time.Time
		want string
	}
	F, L, A := domain.EFORBIDDEN, domain.ELOCKED, ""
	cases := []tc{
		{"land reports in beteiligung", land, ReportComment, Resource{Strategy: beteiligung, Section: secX}, now, A},
		{"land reports in auswertung", land, ReportComment, Resource{Strategy: auswertung, Section: secX}, now, A},
		{"reader does not report", reader, ReportComment, Resource{Strategy: beteiligung, Section: secX}, now, F},
		{"land cannot report unseen drafts", land, ReportComment, Resource{Strategy: entwurf, Section: secX}, now, F},

		{"author edits within 15 minutes", land, EditComment, Resource{Strategy: beteiligung, AuthorID: landID, WrittenAt: written}, now, A},
		{"author edits not after 15 minutes", land, EditComment, Resource{Strategy: beteiligung, AuthorID: landID, WrittenAt: now.Add(-16 * time.Minute)}, now, F},
		{"others never edit", moderator, EditComment, Resource{Strategy: beteiligung, AuthorID: 77, WrittenAt: written}, now, F},
		{"no edits when beschlossen", land, EditComment, Resource{Strategy: beschlossen, AuthorID: landID, WrittenAt: written}, now, F},

		{"moderator sees hidden", moderator, ViewHidden, Resource{AuthorID: 77}, now, A},
		{"author sees own hidden", land, ViewHidden, Resource{AuthorID: landID}, now, A},
		{"others do not see hidden", pateX, ViewHidden, Resource{AuthorID: 77}, now, F},
		{"admin does not see hidden", admin, ViewHidden, Resource{AuthorID: 77}, now, F},

		{"pate accepts own topic", pateX, AcceptProposal, Resource{Strategy: beteiligung, Section: secX}, now, A},
		{"pate accepts after close", pateX, AcceptProposal, Resource{Strategy: beteiligung, Section: secX}, late, A},
		{"pate does not accept other topic", pateX, AcceptProposal, Resource{Strategy: beteiligung, Section: secY}, now, F},
		{"moderator accepts", moderator, AcceptProposal, Resource{Strategy: auswertung, Section: secY}, now, A},
		{"land does not accept", land, AcceptProposal, Resource{Strategy: beteiligung, Section: secX}, now, F},
		{"admin does not accept", admin, AcceptProposal, Resource{Strategy: beteiligung, Section: secX}, now, F},
		{"no accept into a final section", moderator, AcceptProposal, Resource{Strategy: beteiligung, Section: secXFinal}, now, L},
		{"no accept when beschlossen", moderator, AcceptProposal, Resource{Strategy: beschlossen, Section: secX}, now, F},
		{"reject on a final section", pateX, RejectProposal, Resource{Strategy: auswertung, Section: secXFinal}, now, A},
		{"land does not reject", land, RejectProposal, Resource{Strategy: beteiligung, Section: secX}, now, F},

		{"moderator reads the queue", moderator, ModerateQueue, Resource{}, now, A},
		{"pate does not read the queue", pateX, ModerateQueue, Resource{}, now, F},

		{"land edits own statement", land, EditStatement, Resource{Strategy: beteiligung, OrgID: orgBY}, now, A},
		{"land edits one second before close", land, EditStatement, Resource{Strategy: beteiligung, OrgID: orgBY}, justBefore, A},
		{"land does not edit one second after close", land, EditStatement, Resource{Strategy: beteiligung, OrgID: orgBY}, late, F},
		{"land does not edit another org's statement", land, EditStatement, Resource{Strategy: beteiligung, OrgID: orgHE}, now, F},

		{"land reads own draft", land, ReadStatement, Resource{Strategy: beteiligung, OrgID: orgBY}, now, A},
		{"land does not read other draft", land, ReadStatement, Resource{Strategy: public, OrgID: orgHE}, now, F},
		{"land reads other submitted if public", land, ReadStatement, Resource{Strategy: public, OrgID: orgHE, Submitted: true}, now, A},
		{"land does not read other submitted if not public", land, ReadStatement, Resource{Strategy: beteiligung, OrgID: orgHE, Submitted: true}, now, F},
		{"moderator reads every statement", moderator, ReadStatement, Resource{Strategy: beteiligung, OrgID: orgHE}, now, A},

		{"land opens own draft text", land, OpenStatementText, Resource{Strategy: beteiligung, OrgID: orgBY}, now, A},
		{"land does not open another org's draft text", land, OpenStatementText, Resource{Strategy: public, OrgID: orgHE}, now, F},
		{"moderator does not open a draft text", moderator, OpenStatementText, Resource{Strategy: beteiligung, OrgID: orgHE}, now, F},
		{"pate does not open a draft text of its org", pateX, OpenStatementText, Resource{Strategy: beteiligung, OrgID: pateX.OrgID}, now, F},
		{"moderator opens a submitted text", moderator, OpenStatementText, Resource{Strategy: beteiligung, OrgID: orgHE, Submitted: true}, now, A},
		{"land opens another org's submitted text if public", land, OpenStatementText, Resource{Strategy: public, OrgID: orgHE, Submitted: true}, now, A},
		{"land does not open another org's submitted text if not public", land, OpenStatementText, Resource{Strategy: beteiligung, OrgID: orgHE, Submitted: true}, now, F},

		{"moderator views audit", moderator, ViewAudit, Resource{}, now, A},
		{"admin views audit", admin, ViewAudit, Resource{}, now, A},
		{"pate does not view audit", pateX, ViewAudit, Resource{}, now, F},
		{"land does not view audit", land, ViewAudit, Resource{}, now, F},
		{"moderator views report", moderator, ViewReport, Resource{Strategy: auswertung}, now, A},
		{"land does not view report", land, ViewReport, Resource{Strategy: auswertung}, now, F},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Check(c.u, c.a, c.r, c.at)
			if got := domain.ErrorCode(err); got != c.want {
				t.Fatalf("Check = %q (%v), want %q", got, err, c.want)
			}
			if err != nil && domain.ErrorMessage(err) == "" {
				t.Fatal("denial without a message")
			}
		})
	}
}
