package store

import (
	"gorm.io/gorm"
)

// unplaced is the position a new row gets before place moves it; it sorts
// after every real position and fits PostgreSQL's INTEGER.
const unplaced = 1 << 30

// positioned is the projection place reads.
type positioned struct {
	ID       int64
	Position int
}

// place moves row id of table (topics or sections) to position pos among
// its strategy's rows and renumbers them 1..n, so positions stay dense and
// unique. pos < 1 or past the end appends. It returns the row's position.
func place(tx *gorm.DB, table string, strategyID, id int64, pos int) (int, error) {
	var rows []positioned
	if err := tx.Table(table).Select("id, position").Where("strategy_id = ?", strategyID).
		Order("position, id").Find(&rows).Error; err != nil {
		return 0, err
	}
	ids := make([]int64, 0, len(rows))
	current := map[int64]int{}
	for _, r := range rows {
		current[r.ID] = r.Position
		if r.ID != id {
			ids = append(ids, r.ID)
		}
	}
	if pos < 1 || pos > len(ids)+1 {
		pos = len(ids) + 1
	}
	ids = append(ids[:pos-1], append([]int64{id}, ids[pos-1:]...)...)
	if err := renumber(tx, table, ids, current); err != nil {
		return 0, err
	}
	return pos, nil
}

// renumber sets the position of ids[i] to i+1 where it differs from
// current.
func renumber(tx *gorm.DB, table string, ids []int64, current map[int64]int) error {
	for i, id := range ids {
		if current[id] == i+1 {
			continue
		}
		if err := tx.Table(table).Where("id = ?", id).Update("position", i+1).Error; err != nil {
			return err
		}
	}
	return nil
}
