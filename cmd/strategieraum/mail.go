package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/mail"
	"github.com/strategieraum/strategieraum/backend/store"
)

// The SMTP variables. STRATEGIERAUM_SMTP_URL holds everything in one
// (smtp://user:password@host:587?tls=starttls); the single variables
// override its parts.
var smtpEnv = []string{"STRATEGIERAUM_SMTP_URL", "STRATEGIERAUM_SMTP_HOST", "STRATEGIERAUM_SMTP_PORT",
	"STRATEGIERAUM_SMTP_USER", "STRATEGIERAUM_SMTP_PASSWORD", "STRATEGIERAUM_SMTP_FROM", "STRATEGIERAUM_SMTP_TLS"}

// parseSMTP reads the SMTP settings; no host means no mail.
func parseSMTP(e env) (mail.SMTPConfig, error) {
	c := mail.SMTPConfig{TLS: mail.TLSStartTLS}
	var err error
	if raw := e.getenv("STRATEGIERAUM_SMTP_URL"); raw != "" {
		if c, err = mail.ParseSMTPURL(raw, c); err != nil {
			return c, fmt.Errorf("STRATEGIERAUM_SMTP_URL: %w", err)
		}
	}
	set := func(name string, to *string) {
		if v := e.getenv(name); v != "" {
			*to = v
		}
	}
	set("STRATEGIERAUM_SMTP_HOST", &c.Host)
	set("STRATEGIERAUM_SMTP_USER", &c.Username)
	set("STRATEGIERAUM_SMTP_PASSWORD", &c.Password)
	set("STRATEGIERAUM_SMTP_FROM", &c.From)
	set("STRATEGIERAUM_SMTP_TLS", &c.TLS)
	if p := e.getenv("STRATEGIERAUM_SMTP_PORT"); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil {
			return c, fmt.Errorf("STRATEGIERAUM_SMTP_PORT %q: a number", p)
		}
	}
	if err := c.Check(); err != nil {
		return c, fmt.Errorf("SMTP settings: %w", err)
	}
	return c, nil
}

// startMail turns the outbox on and runs this instance's sender when an
// SMTP server is configured; without one nothing is queued. Reminders are
// queued by every instance; their keys keep them single.
func startMail(ctx context.Context, c serveConfig, db *store.DB, svc *consult.Service, logger *slog.Logger, reg prometheus.Registerer) error {
	if !c.SMTP.Configured() {
		logger.Info("no SMTP server configured: no mails are queued or sent (STRATEGIERAUM_SMTP_URL)")
		return nil
	}
	if c.PublicURL == "" {
		return fmt.Errorf("mail (STRATEGIERAUM_SMTP_…) needs STRATEGIERAUM_PUBLIC_URL for the links in mails")
	}
	sender, err := mail.NewSMTP(c.SMTP)
	if err != nil {
		return err
	}
	db.EnableMail(true)
	w := mail.NewWorker(mail.Deps{Outbox: db, Users: db, Strategies: db, Consultation: db, Sender: sender,
		From: c.SMTP.From, BaseURL: c.PublicURL, Name: workerName(), Logger: logger, Registerer: reg})
	go w.Run(ctx)
	// Notifications queued their mails in their own transaction; wake the
	// sender instead of waiting for its next look.
	svc.OnNotify(func(int64, *domain.Notification) { w.Wake() })
	go every(ctx, 10*time.Minute, logger, "deadline reminder mails", func(ctx context.Context) error {
		n, err := svc.MailReminders(ctx, db)
		if n > 0 {
			w.Wake()
		}
		return err
	})
	logger.Info("mail on", "smtp", c.SMTP.Host, "tls", c.SMTP.TLS, "from", c.SMTP.From)
	return nil
}

// workerName tells this instance's leases apart from other instances'.
func workerName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return host + "-" + hex.EncodeToString(b)
}
