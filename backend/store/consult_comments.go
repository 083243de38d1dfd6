package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

type reportRow struct {
	ID         int64 `gorm:"primaryKey"`
	CommentID  int64
	ReporterID int64
	Reason     string
	Open       bool
	CreatedAt  time.Time
}

func (reportRow) TableName() string { return "comment_reports" }

// CreateComment appends c to its thread.
func (db *DB) CreateComment(ctx context.Context, c *domain.Comment) error {
	now := utc(db.now())
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := insertComment(tx, c, now); err != nil {
			return err
		}
		return tx.Model(&threadRow{}).Where("id = ?", c.ThreadID).Update("updated_at", now).Error
	})
	if err != nil {
		return fmt.Errorf("create comment: %w", err)
	}
	return nil
}

// FindCommentByID returns one comment, or ENOTFOUND.
func (db *DB) FindCommentByID(ctx context.Context, id int64) (*domain.Comment, error) {
	var row commentRow
	if err := db.conn(ctx).Where("id = ?", id).Take(&row).Error; isNotFound(err) {
		return nil, notFound("Diesen Beitrag gibt es nicht.")
	} else if err != nil {
		return nil, fmt.Errorf("find comment: %w", err)
	}
	names, err := authors(db.conn(ctx), []int64{row.AuthorID})
	if err != nil {
		return nil, err
	}
	return commentFromRow(row, names), nil
}

// EditComment replaces a comment's body and sets EditedAt.
func (db *DB) EditComment(ctx context.Context, id int64, body, html string, at time.Time) (*domain.Comment, error) {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&commentRow{}).Where("id = ?", id).
			Updates(map[string]any{"body": body, "html": html, "edited_at": utc(at)})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return notFound("Diesen Beitrag gibt es nicht.")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("edit comment: %w", err)
	}
	return db.FindCommentByID(ctx, id)
}

// HideComment hides a comment and closes the reports on it.
func (db *DB) HideComment(ctx context.Context, id int64, reason string, by int64) (*domain.Comment, error) {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&commentRow{}).Where("id = ?", id).
			Updates(map[string]any{"hidden": true, "hidden_reason": reason, "hidden_by": by})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return notFound("Diesen Beitrag gibt es nicht.")
		}
		return tx.Model(&reportRow{}).Where("comment_id = ?", id).Update("open", false).Error
	})
	if err != nil {
		return nil, fmt.Errorf("hide comment: %w", err)
	}
	return db.FindCommentByID(ctx, id)
}

// CreateReport inserts r.
func (db *DB) CreateReport(ctx context.Context, r *domain.CommentReport) error {
	row := reportRow{CommentID: r.CommentID, ReporterID: r.ReporterID, Reason: r.Reason, Open: true, CreatedAt: utc(db.now())}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return mapConstraint(err, "comment_id", "Bereits gemeldet.", "Unbekannter Beitrag oder leerer Grund.")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create report: %w", err)
	}
	r.ID, r.CreatedAt, r.Open = row.ID, row.CreatedAt, true
	return nil
}

// FindOpenReports lists open reports, oldest first.
func (db *DB) FindOpenReports(ctx context.Context, strategyID int64) ([]*domain.CommentReport, error) {
	q := reportQuery(db.conn(ctx)).Where("comment_reports.open = ?", true).Order("comment_reports.id")
	if strategyID != 0 {
		q = q.Where("threads.strategy_id = ?", strategyID)
	}
	out, err := scanReports(q)
	if err != nil {
		return nil, fmt.Errorf("find reports: %w", err)
	}
	return out, nil
}

// CloseReport closes one open report.
func (db *DB) CloseReport(ctx context.Context, id int64) (*domain.CommentReport, error) {
	var out *domain.CommentReport
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Table("comment_reports").Where("id = ? AND open = ?", id, true).Update("open", false)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.Errorf(domain.ENOTFOUND, "Diese Meldung gibt es nicht oder sie ist bereits erledigt.")
		}
		list, err := scanReports(reportQuery(tx).Where("comment_reports.id = ?", id))
		if err != nil || len(list) != 1 {
			return fmt.Errorf("read closed report: %w", err)
		}
		out = list[0]
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("close report: %w", err)
	}
	return out, nil
}

// reportQuery selects reports with their thread, strategy and reporter's name.
func reportQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("comment_reports").
		Select("comment_reports.*, comments.thread_id AS thread_id, threads.strategy_id AS strategy_id, users.name AS reporter_name").
		Joins("JOIN comments ON comments.id = comment_reports.comment_id").
		Joins("JOIN threads ON threads.id = comments.thread_id").
		Joins("LEFT JOIN users ON users.id = comment_reports.reporter_id")
}

func scanReports(q *gorm.DB) ([]*domain.CommentReport, error) {
	type joined struct {
		ID           int64
		CommentID    int64
		ReporterID   int64
		ReporterName *string
		Reason       string
		Open         bool
		CreatedAt    time.Time
		ThreadID     int64
		StrategyID   int64
	}
	var rows []joined
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*domain.CommentReport, len(rows))
	for i, r := range rows {
		out[i] = &domain.CommentReport{ID: r.ID, CommentID: r.CommentID, ThreadID: r.ThreadID, StrategyID: r.StrategyID,
			ReporterID: r.ReporterID, Reason: r.Reason, Open: r.Open, CreatedAt: r.CreatedAt.UTC()}
		if r.ReporterName != nil {
			out[i].ReporterName = *r.ReporterName
		}
	}
	return out, nil
}

// VersionAt returns the number of ops committed to a section before t.
func (db *DB) VersionAt(ctx context.Context, sectionID int64, t time.Time) (int64, error) {
	var n int64
	err := db.conn(ctx).Table("ops").Where("section_id = ? AND created_at < ?", sectionID, utc(t)).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("version at: %w", err)
	}
	return n, nil
}
