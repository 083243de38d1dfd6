// Package mail sends the platform's e-mails: the outbox worker that claims
// queued jobs (domain.MailOutbox), renders them (German, plain text and
// HTML) and hands them to an SMTP server through wneessen/go-mail, with
// retries and backoff.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes of the SMTP connection.
const (
	TLSStartTLS = "starttls" // STARTTLS required (the default)
	TLSImplicit = "tls"      // TLS from the first byte (SMTPS, usually port 465)
	TLSNone     = "none"     // plain text; only for a relay on the same host or tests
)

// SMTPConfig is where mails go.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	TLS      string
	Timeout  time.Duration
}

// Configured reports whether a server is set.
func (c SMTPConfig) Configured() bool { return c.Host != "" }

// ParseSMTPURL reads (without checking the result; see Check) smtp://user:password@host:port?tls=starttls|none and
// smtps://… (implicit TLS) into c's server fields; From stays as it is.
func ParseSMTPURL(raw string, c SMTPConfig) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return c, fmt.Errorf("SMTP URL: %w", err)
	}
	switch u.Scheme {
	case "smtp":
		c.TLS = TLSStartTLS
	case "smtps":
		c.TLS = TLSImplicit
	default:
		return c, fmt.Errorf("SMTP URL: scheme %q, want smtp or smtps", u.Scheme)
	}
	if t := u.Query().Get("tls"); t != "" {
		c.TLS = t
	}
	c.Host = u.Hostname()
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil {
			return c, fmt.Errorf("SMTP URL: port %q", p)
		}
	}
	if u.User != nil {
		c.Username = u.User.Username()
		if pw, ok := u.User.Password(); ok {
			c.Password = pw
		}
	}
	if from := u.Query().Get("from"); from != "" {
		c.From = from
	}
	return c, nil
}

// Check validates a configured server.
func (c SMTPConfig) Check() error {
	if !c.Configured() {
		return nil
	}
	switch c.TLS {
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return fmt.Errorf("SMTP TLS mode %q: want starttls, tls or none", c.TLS)
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("SMTP port %d out of range", c.Port)
	}
	if !strings.Contains(c.From, "@") {
		return errors.New("SMTP sender address (From) missing")
	}
	return nil
}

// Message is one rendered mail to one recipient.
type Message struct {
	To        string
	Subject   string
	Text      string
	HTML      string
	MessageID string // without angle brackets; stable per job, so a repeat is recognisable
}

// Sender delivers messages. It returns one error per message (nil: the
// server accepted it); an error wrapped by Permanent will not be retried.
type Sender interface {
	Send(ctx context.Context, msgs []*Message) []error
}

// PermanentError marks an error that retrying will not cure (5xx).
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// IsPermanent reports whether err will not go away by retrying.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// SMTP sends through one connection per batch.
type SMTP struct{ c SMTPConfig }

// NewSMTP checks c and returns a sender for it.
func NewSMTP(c SMTPConfig) (*SMTP, error) {
	if !c.Configured() {
		return nil, errors.New("no SMTP server configured")
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	return &SMTP{c: c}, nil
}

func (s *SMTP) client() (*gomail.Client, error) {
	port := s.c.Port
	opts := []gomail.Option{gomail.WithTimeout(s.timeout())}
	switch s.c.TLS {
	case TLSImplicit:
		if port == 0 {
			port = 465
		}
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		if port == 0 {
			port = 25
		}
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		if port == 0 {
			port = 587
		}
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	opts = append(opts, gomail.WithPort(port))
	if s.c.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.c.Username), gomail.WithPassword(s.c.Password))
	}
	return gomail.NewClient(s.c.Host, opts...)
}

func (s *SMTP) timeout() time.Duration {
	if s.c.Timeout > 0 {
		return s.c.Timeout
	}
	return 30 * time.Second
}

// Send delivers msgs over one connection. A message counts as sent once
// the server accepted its data; a failed connection fails all of them
// temporarily.
func (s *SMTP) Send(ctx context.Context, msgs []*Message) []error {
	errs := make([]error, len(msgs))
	fail := func(err error) []error {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	gms := make([]*gomail.Msg, len(msgs))
	for i, m := range msgs {
		gm, err := s.build(m)
		if err != nil {
			errs[i] = &PermanentError{err}
			continue
		}
		gms[i] = gm
	}
	c, err := s.client()
	if err != nil {
		return fail(&PermanentError{err})
	}
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fail(fmt.Errorf("connect to SMTP server: %w", err))
	}
	defer c.CloseWithSMTPClient(conn)
	// One message at a time, so that a slow server cannot keep the batch
	// past ctx's deadline (the worker's lease): what is left is tried again.
	for i, gm := range gms {
		if gm == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			errs[i] = fmt.Errorf("not tried: %w", err)
			continue
		}
		err := c.SendWithSMTPClient(conn, gm)
		switch {
		case gm.HasSendError() && !gm.SendErrorIsTemp():
			errs[i] = &PermanentError{gm.SendError()}
		case gm.HasSendError():
			errs[i] = gm.SendError()
		case err != nil:
			errs[i] = err // the connection failed before the message was tried
		}
	}
	return errs
}

func (s *SMTP) build(m *Message) (*gomail.Msg, error) {
	gm := gomail.NewMsg()
	if err := gm.From(s.c.From); err != nil {
		return nil, err
	}
	if err := gm.To(m.To); err != nil {
		return nil, err
	}
	gm.Subject(m.Subject)
	gm.SetDate()
	if m.MessageID != "" {
		gm.SetMessageIDWithValue(m.MessageID)
	}
	gm.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	gm.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		gm.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return gm, nil
}

// messageDomain is the right-hand side of Message-IDs: the sender's domain.
func messageDomain(from string) string {
	if i := strings.LastIndex(from, "@"); i >= 0 {
		return strings.Trim(from[i+1:], "> ")
	}
	host, _, err := net.SplitHostPort(from)
	if err == nil {
		return host
	}
	return "strategieraum.invalid"
}
