package consult

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// Receipt is the acknowledgement of receipt (Eingangsbestätigung) of one
// submitted version of a statement: who submitted which text when. SHA256
// is the hex SHA-256 of the text's UTF-8 bytes, so that the organisation
// can later show that a copy is the text it submitted.
type Receipt struct {
	Strategy    string          `json:"strategy"`
	OrgCode     string          `json:"org_code"`
	OrgName     string          `json:"org_name"`
	Version     int             `json:"version"`
	Position    domain.Position `json:"position"`
	SubmittedAt time.Time       `json:"submitted_at"`
	SubmittedBy string          `json:"submitted_by"`
	SHA256      string          `json:"sha256"`
	Body        string          `json:"body"`
}

// StatementReceipt returns the receipt of version of orgID's statement for
// those who may read all its versions (its organisation and the
// moderation). Errors: EFORBIDDEN, ENOTFOUND (no such version, or not
// submitted).
func (s *Service) StatementReceipt(ctx context.Context, u *domain.User, strategyID, orgID int64, version int) (*Receipt, error) {
	st, p, err := s.consultation(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	if err := s.check(ctx, u, policy.ReadStatement, policy.Resource{Strategy: st, OrgID: orgID}, fmt.Sprintf("strategy:%d", st.ID)); err != nil {
		return nil, err
	}
	vs, err := s.d.Store.FindStatementVersions(ctx, p.ID, orgID)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if v.Version != version {
			continue
		}
		if !v.Submitted() {
			return nil, domain.Errorf(domain.ENOTFOUND, "Fassung %d ist noch nicht eingereicht.", version)
		}
		r := &Receipt{Strategy: st.Title, OrgCode: v.OrgCode, OrgName: v.OrgCode, Version: v.Version, Position: v.Position,
			SubmittedAt: v.SubmittedAt.UTC(), SubmittedBy: "unbekannt", SHA256: TextSHA256(v.Body), Body: v.Body}
		if by, err := s.d.Users.FindUserByID(ctx, *v.SubmittedBy); err == nil {
			r.SubmittedBy = by.Name
			if by.OrgID == orgID && by.Org.Name != "" {
				r.OrgName = by.Org.Name
			}
		}
		return r, nil
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "Diese Fassung der Stellungnahme gibt es nicht.")
}

// TextSHA256 is the hex SHA-256 of text's UTF-8 bytes.
func TextSHA256(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// WriteText writes the receipt as a plain text file (UTF-8, CRLF line ends
// for Windows editors).
func (r *Receipt) WriteText(w io.Writer) error {
	lines := []string{
		"Eingangsbestätigung",
		"",
		"Strategie:       " + r.Strategy,
		"Organisation:    " + r.OrgName + " (" + r.OrgCode + ")",
		fmt.Sprintf("Fassung:         %d", r.Version),
		"Gesamtposition:  " + positionLabels[r.Position],
		"Eingereicht von: " + r.SubmittedBy,
		"Eingereicht am:  " + BerlinZoned(r.SubmittedAt) + " (" + r.SubmittedAt.Format(time.RFC3339) + ")",
		"SHA-256 des Textes (UTF-8): " + r.SHA256,
		"",
		"Text der Stellungnahme:",
		"",
		r.Body,
		"",
	}
	_, err := io.WriteString(w, strings.Join(lines, "\r\n"))
	return err
}

var receiptTemplate = template.Must(template.New("receipt").Funcs(template.FuncMap{
	"zoned":    BerlinZoned,
	"position": func(p domain.Position) string { return positionLabels[p] },
	"utc":      func(t time.Time) string { return t.Format(time.RFC3339) },
}).Parse(`<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><title>Eingangsbestätigung – {{.OrgCode}}, Fassung {{.Version}}</title></head>
<body>
<h1>Eingangsbestätigung</h1>
<table>
<tr><th scope="row">Strategie</th><td>{{.Strategy}}</td></tr>
<tr><th scope="row">Organisation</th><td>{{.OrgName}} ({{.OrgCode}})</td></tr>
<tr><th scope="row">Fassung</th><td>{{.Version}}</td></tr>
<tr><th scope="row">Gesamtposition</th><td>{{position .Position}}</td></tr>
<tr><th scope="row">Eingereicht von</th><td>{{.SubmittedBy}}</td></tr>
<tr><th scope="row">Eingereicht am</th><td><time datetime="{{utc .SubmittedAt}}">{{zoned .SubmittedAt}}</time></td></tr>
<tr><th scope="row">SHA-256 des Textes (UTF-8)</th><td><code>{{.SHA256}}</code></td></tr>
</table>
<h2>Text der Stellungnahme</h2>
<pre>{{.Body}}</pre>
</body>
</html>
`))

// WriteHTML writes the receipt as a printable page without external
// resources, styles or scripts.
func (r *Receipt) WriteHTML(w io.Writer) error {
	return receiptTemplate.Execute(w, r)
}

// BerlinZoned formats t in Europe/Berlin with the zone named, as in
// "01.12.2026 14:05 MEZ" (MESZ in summer).
func BerlinZoned(t time.Time) string {
	b := t.In(berlinLoc)
	zone := "MEZ"
	if b.IsDST() {
		zone = "MESZ"
	}
	return b.Format("02.01.2006 15:04") + " " + zone
}
