package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

type userRow struct {
	ID           int64 `gorm:"primaryKey"`
	Email        string
	Name         string
	PasswordHash string
	OrgID        int64
	Disabled     bool
	Language     string `gorm:"default:de"`
	CreatedAt    time.Time
}

func (userRow) TableName() string { return "users" }

type userRoleRow struct {
	UserID int64  `gorm:"primaryKey"`
	Role   string `gorm:"primaryKey"`
}

func (userRoleRow) TableName() string { return "user_roles" }

type userTopicRow struct {
	UserID  int64 `gorm:"primaryKey"`
	TopicID int64 `gorm:"primaryKey"`
}

func (userTopicRow) TableName() string { return "user_topics" }

const emailTakenMsg = "Diese E-Mail-Adresse ist bereits vergeben."

// CreateUser inserts u with the given password hash and sets u.ID and
// u.CreatedAt. ECONFLICT if the e-mail is taken, EINVALID for unknown
// organisation, role or topic.
func (db *DB) CreateUser(ctx context.Context, u *domain.User, passwordHash string) error {
	u.Email, u.Name = strings.TrimSpace(u.Email), strings.TrimSpace(u.Name)
	if err := validateUser(u.Email, u.Name); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := checkOrg(tx, u.OrgID); err != nil {
			return err
		}
		row := userRow{Email: u.Email, Name: u.Name, PasswordHash: passwordHash, OrgID: u.OrgID,
			Disabled: u.Disabled, CreatedAt: utc(db.now())}
		if err := tx.Create(&row).Error; err != nil {
			return mapConstraint(err, "email", emailTakenMsg, "Unbekannte Organisation.")
		}
		if err := setUserRoles(tx, row.ID, u.Roles); err != nil {
			return err
		}
		if err := setUserTopics(tx, row.ID, u.TopicIDs); err != nil {
			return err
		}
		u.ID, u.CreatedAt = row.ID, row.CreatedAt
		return nil
	})
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	full, err := db.FindUserByID(ctx, u.ID)
	if err != nil {
		return err
	}
	*u = *full
	return nil
}

// FindUserByID returns the user with organisation, roles and topics, or
// ENOTFOUND.
func (db *DB) FindUserByID(ctx context.Context, id int64) (*domain.User, error) {
	return db.findOneUser(ctx, "id = ?", id, fmt.Sprintf("Benutzerkonto %d nicht gefunden.", id))
}

// FindUserByEmail looks the user up case-insensitively, or ENOTFOUND.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*domain.User, error) {
	email = strings.TrimSpace(email)
	return db.findOneUser(ctx, "lower(email) = lower(?)", email,
		fmt.Sprintf("Kein Benutzerkonto mit der E-Mail-Adresse „%s“.", email))
}

func (db *DB) findOneUser(ctx context.Context, where string, arg any, missing string) (*domain.User, error) {
	var users []*domain.User
	err := db.snapshotTx(ctx, func(tx *gorm.DB) error {
		var rows []userRow
		if err := tx.Where(where, arg).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return notFound("%s", missing)
		}
		var err error
		users, err = hydrateUsers(tx, rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return users[0], nil
}

// FindUsers lists users ordered by id.
func (db *DB) FindUsers(ctx context.Context, f domain.UserFilter) ([]*domain.User, error) {
	var users []*domain.User
	err := db.snapshotTx(ctx, func(tx *gorm.DB) error {
		q := tx.Order("id")
		if f.OrgID != nil {
			q = q.Where("org_id = ?", *f.OrgID)
		}
		if f.Email != nil {
			q = q.Where("lower(email) = lower(?)", strings.TrimSpace(*f.Email))
		}
		var rows []userRow
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		var err error
		users, err = hydrateUsers(tx, rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	return users, nil
}

// UpdateUser applies upd atomically and returns the new state.
func (db *DB) UpdateUser(ctx context.Context, id int64, upd domain.UserUpdate) (*domain.User, error) {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := userExists(tx, id); err != nil {
			return err
		}
		cols := map[string]any{}
		if upd.Name != nil {
			name := strings.TrimSpace(*upd.Name)
			if name == "" {
				return domain.Invalid("name", "Bitte geben Sie einen Namen an.")
			}
			cols["name"] = name
		}
		if upd.OrgID != nil {
			if err := checkOrg(tx, *upd.OrgID); err != nil {
				return err
			}
			cols["org_id"] = *upd.OrgID
		}
		if upd.Disabled != nil {
			cols["disabled"] = *upd.Disabled
		}
		if len(cols) > 0 {
			if err := tx.Model(&userRow{}).Where("id = ?", id).Updates(cols).Error; err != nil {
				return mapConstraint(err, "org_id", emailTakenMsg, "Unbekannte Organisation.")
			}
		}
		if upd.Roles != nil {
			if err := tx.Where("user_id = ?", id).Delete(&userRoleRow{}).Error; err != nil {
				return err
			}
			if err := setUserRoles(tx, id, *upd.Roles); err != nil {
				return err
			}
		}
		if upd.TopicIDs != nil {
			if err := tx.Where("user_id = ?", id).Delete(&userTopicRow{}).Error; err != nil {
				return err
			}
			if err := setUserTopics(tx, id, *upd.TopicIDs); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("update user %d: %w", id, err)
	}
	return db.FindUserByID(ctx, id)
}

// deletedDomain holds the addresses of deleted accounts. The .invalid
// top-level domain is reserved (RFC 2606), so no real account has one.
const deletedDomain = "konto.invalid"

// PseudonymiseUser deletes an account's personal data and keeps what it
// contributed: the name becomes "Gelöschtes Konto #<id>", the e-mail an
// address that cannot receive mail, the password is removed, roles and
// topics are dropped, the account is disabled and its sessions and API
// tokens are deleted, all in one transaction. Comments, proposals and
// statements stay with the account's organisation, the audit log keeps the
// id. ENOTFOUND for an unknown account.
func (db *DB) PseudonymiseUser(ctx context.Context, id int64) (*domain.User, error) {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := userExists(tx, id); err != nil {
			return err
		}
		if err := tx.Model(&userRow{}).Where("id = ?", id).Updates(map[string]any{
			"name": fmt.Sprintf("Gelöschtes Konto #%d", id), "email": fmt.Sprintf("geloescht-%d@%s", id, deletedDomain),
			"password_hash": "", "disabled": true}).Error; err != nil {
			return err
		}
		for _, table := range []string{"user_roles", "user_topics", "sessions", "api_tokens", "notifications", "user_identities", "password_resets", "user_totp", "mail_jobs", "mail_preferences"} {
			if err := tx.Exec("DELETE FROM "+table+" WHERE user_id = ?", id).Error; err != nil {
				return err
			}
		}
		return deleteSecondFactorRest(tx, id)
	})
	if err != nil {
		return nil, fmt.Errorf("pseudonymise user %d: %w", id, err)
	}
	return db.FindUserByID(ctx, id)
}

// PasswordHash returns the stored hash, or ENOTFOUND.
func (db *DB) PasswordHash(ctx context.Context, userID int64) (string, error) {
	var rows []userRow
	if err := db.conn(ctx).Select("id", "password_hash").Where("id = ?", userID).Find(&rows).Error; err != nil {
		return "", fmt.Errorf("password hash: %w", err)
	}
	if len(rows) == 0 {
		return "", notFound("Benutzerkonto %d nicht gefunden.", userID)
	}
	return rows[0].PasswordHash, nil
}

// SetPasswordHash replaces the stored hash; ENOTFOUND if the user is absent.
func (db *DB) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	res := db.conn(ctx).Model(&userRow{}).Where("id = ?", userID).Update("password_hash", hash)
	if res.Error != nil {
		return fmt.Errorf("set password hash: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return notFound("Benutzerkonto %d nicht gefunden.", userID)
	}
	return nil
}

// SetUserLanguage stores the account's language; ENOTFOUND if the user is
// absent, EINVALID for an unknown language.
func (db *DB) SetUserLanguage(ctx context.Context, userID int64, lang domain.Language) error {
	if !lang.Valid() {
		return domain.Invalid("language", "Bitte wählen Sie „de“ oder „en“.")
	}
	res := db.conn(ctx).Model(&userRow{}).Where("id = ?", userID).Update("language", string(lang))
	if res.Error != nil {
		return fmt.Errorf("set language: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return notFound("Benutzerkonto %d nicht gefunden.", userID)
	}
	return nil
}

func validateUser(email, name string) error {
	at := strings.IndexByte(email, '@')
	if at < 1 || at == len(email)-1 || strings.ContainsAny(email, " \t\r\n") || len(email) > 254 {
		return domain.Invalid("email", "Bitte geben Sie eine gültige E-Mail-Adresse an.")
	}
	if name == "" {
		return domain.Invalid("name", "Bitte geben Sie einen Namen an.")
	}
	return nil
}

func userExists(tx *gorm.DB, id int64) error {
	var n int64
	if err := tx.Model(&userRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return notFound("Benutzerkonto %d nicht gefunden.", id)
	}
	return nil
}

func checkOrg(tx *gorm.DB, id int64) error {
	var n int64
	if err := tx.Model(&orgRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return domain.Invalid("org_id", "Unbekannte Organisation.")
	}
	return nil
}

func setUserRoles(tx *gorm.DB, userID int64, roles []domain.Role) error {
	seen := map[domain.Role]bool{}
	var rows []userRoleRow
	for _, r := range roles {
		if !r.Valid() {
			return domain.Invalid("roles", fmt.Sprintf("Unbekannte Rolle „%s“.", r))
		}
		if !seen[r] {
			seen[r] = true
			rows = append(rows, userRoleRow{UserID: userID, Role: string(r)})
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Create(&rows).Error
}

func setUserTopics(tx *gorm.DB, userID int64, topicIDs []int64) error {
	ids := uniqueIDs(topicIDs)
	if len(ids) == 0 {
		return nil
	}
	var n int64
	if err := tx.Model(&topicRow{}).Where("id IN ?", ids).Count(&n).Error; err != nil {
		return err
	}
	if int(n) != len(ids) {
		return domain.Invalid("topic_ids", "Unbekanntes Schwerpunktthema.")
	}
	rows := make([]userTopicRow, len(ids))
	for i, id := range ids {
		rows[i] = userTopicRow{UserID: userID, TopicID: id}
	}
	if err := tx.Create(&rows).Error; err != nil {
		return mapConstraint(err, "topic_ids", "Schwerpunktthema doppelt angegeben.", "Unbekanntes Schwerpunktthema.")
	}
	return nil
}
