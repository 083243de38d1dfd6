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
	Lang       domain.Language
	Greeting   string // "Guten Tag" or "Hello"
	Open       string // the link text of a list item
	Subject    string
	Name       string
	Paragraphs []string
	Items      []item // a list (the digest), each with its link
	Link       string
	LinkText   string
	Footer     string
}

type item struct{ Text, Link string }

var textTemplate = texttemplate.Must(texttemplate.New("text").Parse(`{{.Greeting}} {{.Name}},
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
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body>
<p>{{.Greeting}} {{.Name}},</p>
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{if .Items}}<ul>
{{range .Items}}<li>{{.Text}}{{if .Link}} (<a href="{{.Link}}">{{$.Open}}</a>){{end}}</li>
{{end}}</ul>
{{end}}{{if .Link}}<p><a href="{{.Link}}">{{.LinkText}}</a></p>
{{end}}<hr>
<p><small>{{.Footer}}</small></p>
</body>
</html>
`))

// lang picks the German or the English of a text by the recipient's
// language; German unless the account chose English.
type lang domain.Language

func (l lang) s(de, en string) string {
	if domain.Language(l) == domain.English {
		return en
	}
	return de
}

// when is t as the recipient reads a date and time (Europe/Berlin).
func (l lang) when(t time.Time) string {
	return l.s(consult.Berlin(t), t.In(export.Berlin).Format("2 January 2006 at 15:04")+" (Berlin time)")
}

// day is t's date as the recipient reads it.
func (l lang) day(t time.Time) string {
	return t.In(export.Berlin).Format(l.s("02.01.2006", "2 January 2006"))
}

func (l lang) footer() string {
	return l.s("Diese Nachricht wurde von Strategieraum automatisch versandt. Welche Benachrichtigungen Sie per E-Mail erhalten, stellen Sie unter „Sitzungen und Einstellungen“ ein.",
		"This message was sent automatically by Strategieraum. Which notifications you receive by e-mail you choose under “Sitzungen und Einstellungen” (sessions and settings).")
}

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
	l := lang(u.Language)
	switch j.Kind {
	case domain.MailNotification:
		v, err = w.notification(ctx, u, l, j)
	case domain.MailDigest:
		v, err = w.digest(ctx, u, l, j.Payload)
	case domain.MailReceipt:
		v, err = w.receipt(ctx, u, l, j.Payload)
	case domain.MailPasswordReset:
		v, err = w.reset(l, j.Payload)
	case domain.MailReminder:
		v, err = w.reminder(ctx, u, l, j.Payload)
	default:
		return nil, errSkip("unbekannte Art " + string(j.Kind))
	}
	if err != nil {
		return nil, err
	}
	v.Name, v.Footer = u.Name, l.footer()
	v.Lang, v.Greeting, v.Open = domain.Language(l), l.s("Guten Tag", "Hello"), l.s("öffnen", "open")
	if v.Lang != domain.English {
		v.Lang = domain.German
	}
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

// englishNotifications are the subject and the sentence of each kind in
// English: the bell's text, stored with the notification, is German.
var englishNotifications = map[domain.NotificationKind][2]string{
	domain.NotifyNewThread:        {"New discussion on your topic", "A new discussion was started on a section of a topic you sponsor."},
	domain.NotifyReply:            {"New reply in your discussion", "There is a new reply in a discussion you take part in."},
	domain.NotifyProposalAccepted: {"Your change proposal was accepted", "Your change proposal was accepted into the text."},
	domain.NotifyProposalRejected: {"Your change proposal was rejected", "Your change proposal was rejected."},
	domain.NotifyHidden:           {"Your contribution was hidden", "The moderation hid a contribution of yours."},
	domain.NotifyResolved:         {"A discussion was resolved", "A discussion you or your organisation took part in was marked as resolved."},
	domain.NotifyPhaseChanged:     {"New phase of the strategy", "The strategy entered a new phase."},
	domain.NotifyDeadline:         {"The consultation deadline changed", "The deadline of the consultation changed."},
	domain.NotifyCosigned:         {"Another organisation joined your discussion", "Another organisation co-signed a discussion of yours."},
	domain.NotifyAbwaegung:        {"The Abwägung was published", "The Abwägung (the weighing of the contributions) of a consultation round you took part in was published."},
}

// notificationText is the subject and the sentence of a notification in l.
func notificationText(l lang, kind domain.NotificationKind, text string) (subject, body string) {
	if en, ok := englishNotifications[kind]; ok && domain.Language(l) == domain.English {
		return en[0], en[1]
	}
	subject = l.s(notificationSubjects[kind], "New notification")
	if subject == "" {
		subject = "Neue Benachrichtigung"
	}
	return subject, text
}

func (w *Worker) notification(ctx context.Context, u *domain.User, l lang, j *domain.MailJob) (*view, error) {
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
	subject, body := notificationText(l, p.Kind, p.Text)
	v := &view{Subject: "Strategieraum: " + subject, Paragraphs: []string{body}}
	v.Link, v.LinkText = w.notificationLink(l, p.StrategyID, p.ThreadID, p.SectionID)
	return v, nil
}

// notificationLink is the discussion or, without one, the strategy.
func (w *Worker) notificationLink(l lang, strategyID int64, threadID, sectionID *int64) (link, text string) {
	switch {
	case sectionID != nil && threadID != nil:
		return w.link(fmt.Sprintf("/abschnitte/%d#diskussion-%d", *sectionID, *threadID)), l.s("Zur Diskussion", "Go to the discussion")
	case strategyID != 0:
		return w.link(fmt.Sprintf("/strategien/%d", strategyID)), l.s("Zur Strategie", "Go to the strategy")
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

func (w *Worker) digest(ctx context.Context, u *domain.User, l lang, raw json.RawMessage) (*view, error) {
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
	v := &view{Subject: l.s("Strategieraum: Ihre Benachrichtigungen vom ", "Strategieraum: your notifications of ") + l.day(p.From)}
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
		link, _ := w.notificationLink(l, n.StrategyID, n.ThreadID, sec)
		_, text := notificationText(l, n.Kind, n.Text)
		v.Items = append(v.Items, item{Text: text, Link: link})
	}
	if len(v.Items) == 0 {
		return nil, errSkip("keine Benachrichtigungen")
	}
	v.Paragraphs = []string{fmt.Sprintf(l.s("seit gestern %d Uhr gab es diese Benachrichtigungen für Sie:",
		"since %d o'clock yesterday (Berlin time) there were these notifications for you:"), DigestHour)}
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

func (w *Worker) receipt(ctx context.Context, u *domain.User, l lang, raw json.RawMessage) (*view, error) {
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
			Subject: fmt.Sprintf(l.s("Eingangsbestätigung: Stellungnahme zu „%s“ (Fassung %d)",
				"Acknowledgement of receipt: statement on “%s” (version %d)"), st.Title, s.Version),
			Paragraphs: []string{
				fmt.Sprintf(l.s("die Stellungnahme von %s zu „%s“ ist eingegangen.", "the statement of %s on “%s” has been received."), org, st.Title),
				fmt.Sprintf(l.s("Fassung %d, eingereicht am %s.", "Version %d, submitted on %s."), s.Version, l.when(*s.SubmittedAt)),
				l.s("SHA-256 des Textes (UTF-8): ", "SHA-256 of the text (UTF-8): ") + sum,
				l.s("Die Eingangsbestätigung mit dem vollständigen Text können Sie auf der Seite der Stellungnahme herunterladen.",
					"You can download the acknowledgement of receipt with the full text on the page of the statement."),
			},
			Link: w.link("/stellungnahme"), LinkText: l.s("Zur Stellungnahme", "Go to the statement"),
		}, nil
	}
	return nil, errSkip("Fassung nicht eingereicht")
}

func (w *Worker) reset(l lang, raw json.RawMessage) (*view, error) {
	var p domain.ResetMail
	if err := json.Unmarshal(raw, &p); err != nil || p.Code == "" {
		return nil, errSkip("kein Code")
	}
	if !w.now().Before(p.ExpiresAt) {
		return nil, errSkip("Code abgelaufen")
	}
	return &view{
		Subject: l.s("Strategieraum: Passwort zurücksetzen", "Strategieraum: reset your password"),
		Paragraphs: []string{
			l.s("die Administration hat für Ihr Konto einen Code zum Zurücksetzen des Passworts ausgestellt. Ihre bisherigen Sitzungen wurden beendet.",
				"the administration issued a code to reset the password of your account. Your previous sessions were ended."),
			fmt.Sprintf(l.s("Der Link gilt bis %s und nur einmal. Wenn Sie das nicht erwartet haben, wenden Sie sich bitte an die Administration.",
				"The link is valid until %s and only once. If you did not expect this, please contact the administration."), l.when(p.ExpiresAt)),
		},
		// The code travels in the fragment, which browsers do not send
		// to the server (see PasswordReset.svelte).
		Link: w.link("/passwort-zuruecksetzen#" + p.Code), LinkText: l.s("Neues Passwort setzen", "Set a new password"),
	}, nil
}

func (w *Worker) reminder(ctx context.Context, u *domain.User, l lang, raw json.RawMessage) (*view, error) {
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
		Subject: fmt.Sprintf(l.s("Erinnerung: Beteiligung an „%s“ endet am %s", "Reminder: the consultation on “%s” closes on %s"), st.Title, l.day(p.ClosesAt)),
		Paragraphs: []string{
			fmt.Sprintf(l.s("die Beteiligung an „%s“ endet am %s.", "the consultation on “%s” closes on %s."), st.Title, l.when(p.ClosesAt)),
			l.s("Von Ihrer Organisation ist noch keine Stellungnahme eingereicht.", "Your organisation has not submitted a statement yet."),
		},
		Link: w.link("/stellungnahme"), LinkText: l.s("Zur Stellungnahme", "Go to the statement"),
	}, nil
}
