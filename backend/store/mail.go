package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/strategieraum/strategieraum/backend/domain"
)

var _ domain.MailOutbox = (*DB)(nil)

type mailJobRow struct {
	ID           int64 `gorm:"primaryKey"`
	Kind         string
	UserID       int64
	Payload      string
	DedupeKey    *string
	State        string
	Attempts     int
	RunAt        time.Time
	ClaimedBy    *string
	ClaimedUntil *time.Time
	LastError    string
	CreatedAt    time.Time
	DoneAt       *time.Time
}

func (mailJobRow) TableName() string { return "mail_jobs" }

type mailPreferenceRow struct {
	UserID        int64 `gorm:"primaryKey"`
	Notifications string
	UpdatedAt     time.Time
}

func (mailPreferenceRow) TableName() string { return "mail_preferences" }

// maxMailError bounds the stored text of the last SMTP error.
const maxMailError = 500

// EnableMail turns the outbox on: from now on the events that cause mail
// (notifications, submitted statements, issued reset codes) queue it in
// their own transaction. Off (the default, no SMTP server configured),
// nothing is queued.
func (db *DB) EnableMail(on bool) { db.mailOn.Store(on) }

// MailEnabled reports whether mails are queued.
func (db *DB) MailEnabled() bool { return db.mailOn.Load() }

// EnqueueMail adds jobs in one transaction, skipping duplicate keys.
func (db *DB) EnqueueMail(ctx context.Context, jobs []*domain.MailJob) (int, error) {
	if !db.MailEnabled() || len(jobs) == 0 {
		return 0, nil
	}
	n := 0
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var err error
		n, err = db.enqueueMail(tx, jobs)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("enqueue mail: %w", err)
	}
	return n, nil
}

// enqueueMail inserts jobs within tx (the transaction of the event that
// causes them) if mail is on.
func (db *DB) enqueueMail(tx *gorm.DB, jobs []*domain.MailJob) (int, error) {
	if !db.MailEnabled() {
		return 0, nil
	}
	if len(jobs) == 0 {
		return 0, nil
	}
	now := utc(db.now())
	rows := make([]mailJobRow, len(jobs))
	for i, j := range jobs {
		rows[i] = mailJobRow{Kind: string(j.Kind), UserID: j.UserID, Payload: string(j.Payload), State: string(domain.MailPending),
			RunAt: now, CreatedAt: now}
		if !j.RunAt.IsZero() {
			rows[i].RunAt = utc(j.RunAt)
		}
		if len(j.Payload) == 0 {
			rows[i].Payload = "{}"
		}
		if j.DedupeKey != "" {
			k := j.DedupeKey
			rows[i].DedupeKey = &k
		}
	}
	// Multi-row inserts: a deadline change queues hundreds in its request.
	res := tx.Clauses(clause.OnConflict{DoNothing: true}).Omit("ID").CreateInBatches(rows, 200)
	return int(res.RowsAffected), res.Error
}

// ClaimMailJobs leases due jobs. Candidates are read first and taken by
// one conditional UPDATE that repeats the conditions (PostgreSQL checks
// them again on each row it has to wait for; SQLite has one writer), so of
// several workers on any number of instances exactly one wins a job.
// RETURNING names the rows this worker won.
func (db *DB) ClaimMailJobs(ctx context.Context, worker string, now time.Time, lease time.Duration, limit int) ([]*domain.MailJob, error) {
	now = utc(now)
	due := "state = ? AND run_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)"
	var ids []int64
	err := db.conn(ctx).Model(&mailJobRow{}).Where(due, domain.MailPending, now, now).
		Order("run_at, id").Limit(limit).Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("find due mail: %w", unavailable(err))
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var won []mailJobRow
	err = db.tx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&won).Clauses(clause.Returning{}).
			Where("id IN ? AND "+due, ids, domain.MailPending, now, now).
			Updates(map[string]any{"claimed_by": worker, "claimed_until": now.Add(lease), "attempts": gorm.Expr("attempts + 1")}).Error
	})
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	sort.Slice(won, func(i, j int) bool { return won[i].ID < won[j].ID })
	out := make([]*domain.MailJob, len(won))
	for i, c := range won {
		out[i] = &domain.MailJob{ID: c.ID, Kind: domain.MailKind(c.Kind), UserID: c.UserID,
			Payload: json.RawMessage(c.Payload), Attempts: c.Attempts, CreatedAt: c.CreatedAt.UTC()}
	}
	return out, nil
}

// FinishMailJob records a final state and drops the payload (a reset code
// must not outlive its mail).
func (db *DB) FinishMailJob(ctx context.Context, id int64, worker string, state domain.MailState, errText string, at time.Time) (bool, error) {
	var n int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&mailJobRow{}).Where("id = ? AND state = ? AND claimed_by = ?", id, domain.MailPending, worker).
			Updates(map[string]any{"state": string(state), "done_at": utc(at), "claimed_until": nil, "payload": "{}",
				"last_error": clip(errText)})
		n = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return false, fmt.Errorf("finish mail: %w", err)
	}
	return n == 1, nil
}

// RetryMailJob releases the lease and sets the next attempt's time.
func (db *DB) RetryMailJob(ctx context.Context, id int64, worker string, runAt time.Time, errText string) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&mailJobRow{}).Where("id = ? AND state = ? AND claimed_by = ?", id, domain.MailPending, worker).
			Updates(map[string]any{"run_at": utc(runAt), "claimed_until": nil, "last_error": clip(errText)}).Error
	})
	if err != nil {
		return fmt.Errorf("retry mail: %w", err)
	}
	return nil
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > maxMailError {
		return string(r[:maxMailError])
	}
	return s
}

// CountMailJobs counts jobs by state, and the pending ones that failed
// before as MailRetrying.
func (db *DB) CountMailJobs(ctx context.Context) (map[domain.MailState]int, error) {
	var rows []struct {
		State string
		N     int
	}
	if err := db.conn(ctx).Model(&mailJobRow{}).Select("state, count(*) AS n").Group("state").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("count mail: %w", unavailable(err))
	}
	out := map[domain.MailState]int{}
	for _, s := range domain.MailStates {
		out[s] = 0
	}
	for _, r := range rows {
		out[domain.MailState(r.State)] = r.N
	}
	var retrying int64
	if err := db.conn(ctx).Model(&mailJobRow{}).Where("state = ? AND last_error <> ''", domain.MailPending).Count(&retrying).Error; err != nil {
		return nil, fmt.Errorf("count mail: %w", unavailable(err))
	}
	out[domain.MailRetrying] = int(retrying)
	return out, nil
}

// MailPreference returns the user's choice; sofort without a row.
func (db *DB) MailPreference(ctx context.Context, userID int64) (domain.MailPreference, error) {
	var rows []mailPreferenceRow
	if err := db.conn(ctx).Where("user_id = ?", userID).Limit(1).Find(&rows).Error; err != nil {
		return "", fmt.Errorf("mail preference: %w", unavailable(err))
	}
	if len(rows) == 0 {
		return domain.MailImmediately, nil
	}
	return domain.MailPreference(rows[0].Notifications), nil
}

// SetMailPreference stores the user's choice.
func (db *DB) SetMailPreference(ctx context.Context, userID int64, p domain.MailPreference, at time.Time) error {
	if !p.Valid() {
		return domain.Invalid("notifications", "Bitte wählen Sie „sofort“, „täglich“ oder „aus“.")
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := userExists(tx, userID); err != nil {
			return err
		}
		return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"notifications", "updated_at"})}).
			Create(&mailPreferenceRow{UserID: userID, Notifications: string(p), UpdatedAt: utc(at)}).Error
	})
	if err != nil {
		return fmt.Errorf("set mail preference: %w", err)
	}
	return nil
}

// notificationMails are the mail jobs of stored notifications, with the
// section of each thread so the mail can link to the passage.
func notificationMails(tx *gorm.DB, ns []*domain.Notification) ([]*domain.MailJob, error) {
	sections := map[int64]*int64{}
	var jobs []*domain.MailJob
	for _, n := range ns {
		if strings.HasPrefix(n.Key, "deadline:") {
			// The bell's 48-hour reminder; by mail, organisations that
			// have not submitted get their own reminders (kind reminder).
			continue
		}
		p := domain.NotificationMail{Kind: n.Kind, Text: n.Text, StrategyID: n.StrategyID, ThreadID: n.ThreadID}
		if n.ThreadID != nil {
			sec, ok := sections[*n.ThreadID]
			if !ok {
				var ids []int64
				if err := tx.Table("threads").Where("id = ?", *n.ThreadID).Pluck("section_id", &ids).Error; err != nil {
					return nil, err
				}
				if len(ids) == 1 {
					sec = &ids[0]
				}
				sections[*n.ThreadID] = sec
			}
			p.SectionID = sec
		}
		j, err := domain.NewMailJob(domain.MailNotification, n.UserID, fmt.Sprintf("notification:%d", n.ID), p)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

// receiptMails queues the acknowledgement of a submitted statement to
// every active member of the organisation.
func (db *DB) receiptMails(tx *gorm.DB, st statementRow) error {
	if !db.MailEnabled() {
		return nil
	}
	var users []int64
	if err := tx.Model(&userRow{}).Where("org_id = ? AND disabled = ?", st.OrgID, false).Order("id").Pluck("id", &users).Error; err != nil {
		return err
	}
	p := domain.ReceiptMail{StrategyID: st.StrategyID, PhaseID: st.PhaseID, OrgID: st.OrgID, Version: st.Version}
	jobs := make([]*domain.MailJob, 0, len(users))
	for _, u := range users {
		j, err := domain.NewMailJob(domain.MailReceipt, u, fmt.Sprintf("receipt:%d:%d:%d:%d", st.PhaseID, st.OrgID, st.Version, u), p)
		if err != nil {
			return err
		}
		jobs = append(jobs, j)
	}
	_, err := db.enqueueMail(tx, jobs)
	return err
}

// resetMail queues the reset link of r if its code is given.
func (db *DB) resetMail(tx *gorm.DB, r *domain.PasswordReset, id int64) error {
	if r.Code == "" || !db.MailEnabled() {
		return nil
	}
	j, err := domain.NewMailJob(domain.MailPasswordReset, r.UserID, fmt.Sprintf("reset:%d", id), domain.ResetMail{Code: r.Code, ExpiresAt: r.ExpiresAt})
	if err != nil {
		return err
	}
	_, err = db.enqueueMail(tx, []*domain.MailJob{j})
	return err
}
