package store

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// FindStatementByID returns one Fassung of a statement by its id, the key
// of its live text. ENOTFOUND if there is none.
func (db *DB) FindStatementByID(ctx context.Context, id int64) (*domain.Statement, error) {
	var row statementRow
	err := db.conn(ctx).Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, notFound("Die Stellungnahme wurde nicht gefunden.")
	} else if err != nil {
		return nil, fmt.Errorf("find statement %d: %w", id, err)
	}
	out, err := db.statementsFrom(db.conn(ctx), []statementRow{row})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}
