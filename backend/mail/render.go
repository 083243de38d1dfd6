package mail

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/export"
)

// Statements is the part of the consultation store the receipt needs.
type Statements interface {
	FindStatementVersions(ctx context.Context, phaseID, orgID int64) ([]*domain.Statement, error)
}

// errSkip says a job has nothing to send any more.
type errSkip string

func (e errSkip) Error() string { return string(e) }

// view is what every mail shows: a greeting, paragraphs, one link to the
// place it is about, and the footer. Plain text and HTML come from the
// same view, so they always say the same.
type view struct {
	Subject    string
	Name       string
	Paragraphs []string
	Link       string
	LinkText   string
	Footer     string
}

var textTemplate = texttemplate.Must(texttemplate.New("text").Parse(`Guten Tag {{.Name}},
{{range .Paragraphs}}
{{.}}
{{end}}{{if .Link}}
{{.LinkText}}:
{{.Link}}
{{end}}
-- 
{{.Footer}}
`))

var htmlTemplate = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body>
<p>Guten Tag {{.Name}},</p>
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{if .Link}}<p><a href="{{.Link}}">{{.LinkText}}</a></p>
{{end}}<hr>
<p><small>{{.Footer}}</small></p>
</body>
</html>
`))

const footer = "Diese Nachricht wurde von Strategieraum automatisch versandt. Welche Benachrichtigungen Sie per E-Mail erhalten, stellen Sie unter „Sitzungen und Einstellungen“ ein."

// render turns a claimed job into a message, or errSkip.
func (w *Worker) render(ctx context.Context, j *domain.MailJob) (*Message, error) {
	u, err := w.d.Users.FindUserByID(ctx, j.UserID)
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) && de.Code == domain.ENOTFOUND {
			return nil, errSkip("Benutzerkonto gelöscht")
		}
		return nil, err
	}
	if u.Disabled || u.Deleted || u.Email == "" {
		return nil, errSkip("Benutzerkonto gesperrt oder gelöscht")
	}
	var v *view
	switch j.Kind {
	case domain.MailNotification:
		v, err = w.notification(ctx, u, j.Payload)
	case domain.MailReceipt:
		v, err = w.receipt(ctx, u, j.Payload)
	case domain.MailPasswordReset:
		v, err = w.reset(j.Payload)
	case domain.MailReminder:
		v, err = w.reminder(ctx, u, j.Payload)
	default:
		return nil, errSkip("unbekannte Art " + string(j.Kind))
	}
	if err != nil {
		return nil, err
	}
	v.Name, v.Footer = u.Name, footer
	var text, html bytes.Buffer
	if err := textTemplate.Execute(&text, v); err != nil {
		return nil, err
	}
	if err := htmlTemplate.Execute(&html, v); err != nil {
		return nil, err
	}
	return &Message{To: u.Email, Subject: v.Subject, Text: text.String(), HTML: html.String(),
		MessageID: fmt.Sprintf("mail-%d.%d@%s", j.ID, j.CreatedAt.UnixMicro(), messageDomain(w.d.From))}, nil
}

// link is the absolute URL of path in the app.
func (w *Worker) link(path string) string {
	return strings.TrimRight(w.d.BaseURL, "/") + path
}

var notificationSubjects = map[domain.NotificationKind]string{
	domain.NotifyNewThread:        "Neue Diskussion zu Ihrem Thema",
	domain.NotifyReply:            "Neue Antwort in Ihrer Diskussion",
	domain.NotifyProposalAccepted: "Ihr Änderungsvorschlag wurde übernommen",
	domain.NotifyProposalRejected: "Ihr Änderungsvorschlag wurde abgelehnt",
	domain.NotifyHidden:           "Ihr Beitrag wurde ausgeblendet",
	domain.NotifyPhaseChanged:     "Neue Phase der Strategie",
	domain.NotifyDeadline:         "Die Frist der Beteiligung wurde geändert",
}

func (w *Worker) notification(ctx context.Context, u *domain.User, raw json.RawMessage) (*view, error) {
	var p domain.NotificationMail
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, errSkip("Inhalt unlesbar")
	}
	if err := w.wanted(ctx, u); err != nil {
		return nil, err
	}
	subject := notificationSubjects[p.Kind]
	if subject == "" {
		subject = "Neue Benachrichtigung"
	}
	v := &view{Subject: "Strategieraum: " + subject, Paragraphs: []string{p.Text}}
	switch {
	case p.SectionID != nil && p.ThreadID != nil:
		v.Link, v.LinkText = w.link(fmt.Sprintf("/abschnitte/%d#diskussion-%d", *p.SectionID, *p.ThreadID)), "Zur Diskussion"
	case p.StrategyID != 0:
		v.Link, v.LinkText = w.link(fmt.Sprintf("/strategien/%d", p.StrategyID)), "Zur Strategie"
	}
	return v, nil
}

// wanted is errSkip if u turned notification mails (and reminders) off.
func (w *Worker) wanted(ctx context.Context, u *domain.User) error {
	pref, err := w.d.Outbox.MailPreference(ctx, u.ID)
	if err != nil {
		return err
	}
	if pref == domain.MailOff {
		return errSkip("Benachrichtigungen per E-Mail abbestellt")
	}
	return nil
}

func (w *Worker) receipt(ctx context.Context, u *domain.User, raw json.RawMessage) (*view, error) {
	var p domain.ReceiptMail
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, errSkip("Inhalt unlesbar")
	}
	st, err := w.d.Strategies.FindStrategyByID(ctx, p.StrategyID)
	if err != nil {
		return nil, err
	}
	vs, err := w.d.Statements.FindStatementVersions(ctx, p.PhaseID, p.OrgID)
	if err != nil {
		return nil, err
	}
	for _, s := range vs {
		if s.Version != p.Version || !s.Submitted() {
			continue
		}
		org := u.Org.Name
		if org == "" {
			org = s.OrgCode
		}
		sum := consult.TextSHA256(s.Body)
		return &view{
			Subject: fmt.Sprintf("Eingangsbestätigung: Stellungnahme zu „%s“ (Fassung %d)", st.Title, s.Version),
			Paragraphs: []string{
				fmt.Sprintf("die Stellungnahme von %s zu „%s“ ist eingegangen.", org, st.Title),
				fmt.Sprintf("Fassung %d, eingereicht am %s.", s.Version, consult.Berlin(*s.SubmittedAt)),
				"SHA-256 des Textes (UTF-8): " + sum,
				"Die Eingangsbestätigung mit dem vollständigen Text können Sie auf der Seite der Stellungnahme herunterladen.",
			},
			Link: w.link("/stellungnahme"), LinkText: "Zur Stellungnahme",
		}, nil
	}
	return nil, errSkip("Fassung nicht eingereicht")
}

func (w *Worker) reset(raw json.RawMessage) (*view, error) {
	var p domain.ResetMail
	if err := json.Unmarshal(raw, &p); err != nil || p.Code == "" {
		return nil, errSkip("kein Code")
	}
	if !w.now().Before(p.ExpiresAt) {
		return nil, errSkip("Code abgelaufen")
	}
	return &view{
		Subject: "Strategieraum: Passwort zurücksetzen",
		Paragraphs: []string{
			"die Administration hat für Ihr Konto einen Code zum Zurücksetzen des Passworts ausgestellt. Ihre bisherigen Sitzungen wurden beendet.",
			fmt.Sprintf("Der Link gilt bis %s und nur einmal. Wenn Sie das nicht erwartet haben, wenden Sie sich bitte an die Administration.", consult.Berlin(p.ExpiresAt)),
		},
		// The code travels in the fragment, which browsers do not send
		// to the server (see PasswordReset.svelte).
		Link: w.link("/passwort-zuruecksetzen#" + p.Code), LinkText: "Neues Passwort setzen",
	}, nil
}

func (w *Worker) reminder(ctx context.Context, u *domain.User, raw json.RawMessage) (*view, error) {
	var p domain.ReminderMail
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, errSkip("Inhalt unlesbar")
	}
	if err := w.wanted(ctx, u); err != nil {
		return nil, err
	}
	st, err := w.d.Strategies.FindStrategyByID(ctx, p.StrategyID)
	if err != nil {
		return nil, err
	}
	ph := st.CurrentPhase
	if ph == nil || ph.ID != p.PhaseID || ph.ClosesAt == nil || !ph.ClosesAt.Equal(p.ClosesAt) || !ph.Open(w.now()) {
		return nil, errSkip("Frist geändert oder abgelaufen")
	}
	vs, err := w.d.Statements.FindStatementVersions(ctx, p.PhaseID, u.OrgID)
	if err != nil {
		return nil, err
	}
	for _, s := range vs {
		if s.Submitted() {
			return nil, errSkip("Stellungnahme inzwischen eingereicht")
		}
	}
	return &view{
		Subject: fmt.Sprintf("Erinnerung: Beteiligung an „%s“ endet am %s", st.Title, p.ClosesAt.In(export.Berlin).Format("02.01.2006")),
		Paragraphs: []string{
			fmt.Sprintf("die Beteiligung an „%s“ endet am %s.", st.Title, consult.Berlin(p.ClosesAt)),
			"Von Ihrer Organisation ist noch keine Stellungnahme eingereicht.",
		},
		Link: w.link("/stellungnahme"), LinkText: "Zur Stellungnahme",
	}, nil
}
