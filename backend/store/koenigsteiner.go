package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/strategieraum/strategieraum/backend/beschluss"
)

type keyRow struct {
	Year      int `gorm:"primaryKey"`
	Source    string
	UpdatedAt time.Time
}

func (keyRow) TableName() string { return "koenigsteiner_keys" }

type shareRow struct {
	Year  int    `gorm:"primaryKey"`
	Land  string `gorm:"primaryKey"`
	Share int64
}

func (shareRow) TableName() string { return "koenigsteiner_shares" }

// FindKeys lists the Königsteiner tables, newest year first.
func (db *DB) FindKeys(ctx context.Context) ([]*beschluss.Key, error) {
	var out []*beschluss.Key
	err := db.snapshotTx(ctx, func(tx *gorm.DB) error {
		var rows []keyRow
		if err := tx.Order("year DESC").Find(&rows).Error; err != nil {
			return err
		}
		var shares []shareRow
		if err := tx.Find(&shares).Error; err != nil {
			return err
		}
		byYear := map[int]map[string]int64{}
		for _, s := range shares {
			if byYear[s.Year] == nil {
				byYear[s.Year] = map[string]int64{}
			}
			byYear[s.Year][s.Land] = s.Share
		}
		for _, r := range rows {
			out = append(out, &beschluss.Key{Year: r.Year, Source: r.Source, Shares: byYear[r.Year], UpdatedAt: r.UpdatedAt.UTC()})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find keys: %w", err)
	}
	return out, nil
}

// FindKey returns one year's table.
func (db *DB) FindKey(ctx context.Context, year int) (*beschluss.Key, error) {
	var k *beschluss.Key
	err := db.snapshotTx(ctx, func(tx *gorm.DB) error {
		var rows []keyRow
		if err := tx.Where("year = ?", year).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return notFound("Für %d ist kein Königsteiner Schlüssel hinterlegt.", year)
		}
		var shares []shareRow
		if err := tx.Where("year = ?", year).Find(&shares).Error; err != nil {
			return err
		}
		k = &beschluss.Key{Year: year, Source: rows[0].Source, Shares: map[string]int64{}, UpdatedAt: rows[0].UpdatedAt.UTC()}
		for _, s := range shares {
			k.Shares[s.Land] = s.Share
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find key: %w", err)
	}
	return k, nil
}

// SaveKey inserts or replaces the table of k.Year.
func (db *DB) SaveKey(ctx context.Context, k *beschluss.Key) error {
	now := utc(db.now())
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("year = ?", k.Year).Delete(&shareRow{}).Error; err != nil {
			return err
		}
		key := keyRow{Year: k.Year, Source: k.Source, UpdatedAt: now}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "year"}},
			DoUpdates: clause.AssignmentColumns([]string{"source", "updated_at"})}).Create(&key).Error; err != nil {
			return mapConstraint(err, "year", "Diesen Jahrgang gibt es schon.", "Jahr oder Quelle ungültig.")
		}
		for land, share := range k.Shares {
			if err := tx.Create(&shareRow{Year: k.Year, Land: land, Share: share}).Error; err != nil {
				return mapConstraint(err, "shares", "Ein Land ist doppelt angegeben.", "Ungültiger Anteil.")
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save key: %w", err)
	}
	k.UpdatedAt = now
	return nil
}
