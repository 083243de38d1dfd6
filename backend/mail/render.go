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
	"time"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/export"
)

// Consultation is the part of the consultation store mails read.
type Consultation interface {
	FindStatementVersions(ctx context.Context, phaseID, orgID int64) ([]*domain.Statement, error)
	FindNotifications(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]*domain.Notification, error)
	FindThreadByID(ctx context.Context, id int64) (*domain.Thread, error)
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
	Items      []item // a list (the digest), each with its link
	Link       string
	LinkText   string
	Footer     string
}

type item struct{ Text, Link string }

var textTemplate = texttemplate.Must(texttemplate.New("text").Parse(`Guten Tag {{.Name}},
{{range .Paragraphs}}
{{.}}
{{end}}{{range .Items}}
- {{.Text}}{{if .Link}}
  {{.Link}}{{end}}
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
{{end}}{{if .Items}}<ul>
{{range .Items}}<li>{{.Text}}{{if .Link}} (<a href="{{.Link}}">öffnen</a>){{end}}</li>
{{end}}</ul>
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
		v, err = w.notification(ctx, u, j)
	case domain.MailDigest:
		v, err = w.digest(ctx, u, j.Payload)
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
	domain.NotifyResolved:         "Eine Diskussion wurde erledigt",
	domain.NotifyPhaseChanged:     "Neue Phase der Strategie",
	domain.NotifyDeadline:         "Die Frist der Beteiligung wurde geändert",
}

func (w *Worker) notification(ctx context.Context, u *domain.User, j *domain.MailJob) (*view, error) {
	var p domain.NotificationMail
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return nil, errSkip("Inhalt unlesbar")
	}
	pref, err := w.d.Outbox.MailPreference(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	switch pref {
	case domain.MailOff:
		return nil, errSkip("Benachrichtigungen per E-Mail abbestellt")
	case domain.MailDaily:
		return nil, w.toDigest(ctx, u, j.CreatedAt)
	}
	subject := notificationSubjects[p.Kind]
	if subject == "" {
		subject = "Neue Benachrichtigung"
	}
	v := &view{Subject: "Strategieraum: " + subject, Paragraphs: []string{p.Text}}
	v.Link, v.LinkText = w.notificationLink(p.StrategyID, p.ThreadID, p.SectionID)
	return v, nil
}

// notificationLink is the discussion or, without one, the strategy.
func (w *Worker) notificationLink(strategyID int64, threadID, sectionID *int64) (link, text string) {
	switch {
	case sectionID != nil && threadID != nil:
		return w.link(fmt.Sprintf("/abschnitte/%d#diskussion-%d", *sectionID, *threadID)), "Zur Diskussion"
	case strategyID != 0:
		return w.link(fmt.Sprintf("/strategien/%d", strategyID)), "Zur Strategie"
	}
	return "", ""
}

// DigestHour is when the daily digest goes out (Europe/Berlin).
const DigestHour = 7

// digestSlot is the first DigestHour o'clock in Berlin after t.
func digestSlot(t time.Time) time.Time {
	b := t.In(export.Berlin)
	slot := time.Date(b.Year(), b.Month(), b.Day(), DigestHour, 0, 0, 0, export.Berlin)
	if !slot.After(b) {
		slot = time.Date(b.Year(), b.Month(), b.Day()+1, DigestHour, 0, 0, 0, export.Berlin)
	}
	return slot
}

// toDigest makes sure u's digest for the notification created at created
// is queued (one job per account and day, by key) and skips the single
// mail: the digest reads the notifications themselves when it is sent.
func (w *Worker) toDigest(ctx context.Context, u *domain.User, created time.Time) error {
	slot := digestSlot(created)
	from := time.Date(slot.Year(), slot.Month(), slot.Day()-1, DigestHour, 0, 0, 0, export.Berlin)
	j, err := domain.NewMailJob(domain.MailDigest, u.ID, fmt.Sprintf("digest:%d:%s", u.ID, slot.Format("2006-01-02")),
		domain.DigestMail{From: from.UTC(), To: slot.UTC()})
	if err != nil {
		return err
	}
	j.RunAt = slot
	if _, err := w.d.Outbox.EnqueueMail(ctx, []*domain.MailJob{j}); err != nil {
		return err
	}
	return errSkip("im Tagesüberblick")
}

func (w *Worker) digest(ctx context.Context, u *domain.User, raw json.RawMessage) (*view, error) {
	var p domain.DigestMail
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, errSkip("Inhalt unlesbar")
	}
	if err := w.wanted(ctx, u); err != nil {
		return nil, err
	}
	ns, err := w.d.Consultation.FindNotifications(ctx, u.ID, false, 200)
	if err != nil {
		return nil, err
	}
	v := &view{Subject: "Strategieraum: Ihre Benachrichtigungen vom " + p.From.In(export.Berlin).Format("02.01.2006")}
	sections := map[int64]*int64{}
	for i := len(ns) - 1; i >= 0; i-- { // oldest first
		n := ns[i]
		if n.CreatedAt.Before(p.From) || !n.CreatedAt.Before(p.To) {
			continue
		}
		var sec *int64
		if n.ThreadID != nil {
			if s, ok := sections[*n.ThreadID]; ok {
				sec = s
			} else if th, err := w.d.Consultation.FindThreadByID(ctx, *n.ThreadID); err == nil {
				sec = &th.SectionID
				sections[*n.ThreadID] = sec
			}
		}
		link, _ := w.notificationLink(n.StrategyID, n.ThreadID, sec)
		v.Items = append(v.Items, item{Text: n.Text, Link: link})
	}
	if len(v.Items) == 0 {
		return nil, errSkip("keine Benachrichtigungen")
	}
	v.Paragraphs = []string{fmt.Sprintf("seit gestern %d Uhr gab es diese Benachrichtigungen für Sie:", DigestHour)}
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
	vs, err := w.d.Consultation.FindStatementVersions(ctx, p.PhaseID, p.OrgID)
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
	vs, err := w.d.Consultation.FindStatementVersions(ctx, p.PhaseID, u.OrgID)
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
