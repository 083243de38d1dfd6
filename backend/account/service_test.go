package account_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/account"
	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

var ctx = context.Background()

// notifier records whose access changed.
type notifier struct {
	mu  sync.Mutex
	ids []int64
}

func (n *notifier) AccessChanged(id int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.ids = append(n.ids, id)
}

func (n *notifier) saw(id int64) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, x := range n.ids {
		if x == id {
			return true
		}
	}
	return false
}

type fixture struct {
	db     *store.DB
	svc    *account.Service
	access *notifier
	now    time.Time
	admin  *domain.User
	user   *domain.User
}

// plainVerify stands in for argon2id: hashes here are "plain:" + password.
func plainVerify(hash, password string) bool { return hash == "plain:"+password }

func setup(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{db: db, access: &notifier{}, now: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)}
	o, err := db.FindOrganisationByCode(ctx, "HE")
	if err != nil {
		t.Fatal(err)
	}
	mk := func(email string, role domain.Role) *domain.User {
		u := &domain.User{Email: email, Name: "Erika Mustermann", OrgID: o.ID, Roles: []domain.Role{role}}
		if err := db.CreateUser(ctx, u, "plain:altes Passwort 1"); err != nil {
			t.Fatal(err)
		}
		u, err := db.FindUserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.admin, f.user = mk("admin@he.example", domain.RoleAdmin), mk("person@he.example", domain.RoleLand)
	f.svc = account.New(account.Deps{Users: db, Sessions: db, Resets: db, Audit: db, Access: f.access,
		Now: func() time.Time { return f.now }, Verify: plainVerify})
	return f
}

func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if domain.ErrorCode(err) != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if field != "" {
		var e *domain.Error
		if !asError(err, &e) || e.Fields[field] == "" {
			t.Fatalf("err = %v, want a message on field %s", err, field)
		}
	}
}

func asError(err error, e **domain.Error) bool {
	return errors.As(err, e)
}

func (f *fixture) session(t *testing.T, id string, u *domain.User) {
	t.Helper()
	if err := f.db.CreateSession(ctx, &domain.Session{ID: id, PublicID: "p" + id, UserID: u.ID, CreatedAt: f.now}); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) sessionExists(id string) bool {
	_, err := f.db.FindSession(ctx, id)
	return err == nil
}

func (f *fixture) audited(t *testing.T, action string) *domain.AuditEvent {
	t.Helper()
	evs, err := f.db.FindAuditEvents(ctx, domain.AuditFilter{Action: action})
	if err != nil || len(evs) == 0 {
		t.Fatalf("no audit event %s (%v)", action, err)
	}
	return evs[0]
}

func TestChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.session(t, "here", f.user)
		f.session(t, "there", f.user)
		f.session(t, "admin", f.admin)

		wantCode(t, f.svc.ChangePassword(ctx, f.user, "falsch", "Kaffee am Morgen im Amt", "here"), domain.EINVALID, "current_password")
		wantCode(t, f.svc.ChangePassword(ctx, f.user, "altes Passwort 1", "passwort1234", "here"), domain.EINVALID, "new_password")
		wantCode(t, f.svc.ChangePassword(ctx, f.user, "altes Passwort 1", "person@he.example", "here"), domain.EINVALID, "new_password")
		wantCode(t, f.svc.ChangePassword(ctx, f.user, "altes Passwort 1", "altes Passwort 1", "here"), domain.EINVALID, "new_password")
		if !f.sessionExists("there") {
			t.Fatal("a refused change ended a session")
		}
		if err := f.svc.ChangePassword(ctx, f.user, "altes Passwort 1", "Kaffee am Morgen im Amt", "here"); err != nil {
			t.Fatal(err)
		}
		h, _ := db.PasswordHash(ctx, f.user.ID)
		if !auth.VerifyPassword(h, "Kaffee am Morgen im Amt") {
			t.Error("the new password does not verify")
		}
		if !f.sessionExists("here") || f.sessionExists("there") || !f.sessionExists("admin") {
			t.Error("want the current session kept, the other ended, other users untouched")
		}
		if !f.access.saw(f.user.ID) {
			t.Error("live connections were not re-checked")
		}
		if e := f.audited(t, "password_changed"); e.ActorID == nil || *e.ActorID != f.user.ID {
			t.Errorf("audit = %+v", e)
		}
		f.audited(t, "password_change_failed")
		wantCode(t, f.svc.ChangePassword(ctx, nil, "a", "b", ""), domain.EUNAUTHORIZED, "")
	})
}

func TestResetPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := setup(t, db)
		f.session(t, "s1", f.user)

		_, err := f.svc.IssueReset(ctx, f.user, f.admin.ID)
		wantCode(t, err, domain.EFORBIDDEN, "")
		_, err = f.svc.IssueReset(ctx, f.admin, 9999)
		wantCode(t, err, domain.ENOTFOUND, "")

		r, err := f.svc.IssueReset(ctx, f.admin, f.user.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(r.Code, account.ResetCodePrefix) || !r.ExpiresAt.Equal(f.now.Add(30*time.Minute)) {
			t.Errorf("issued %+v", r)
		}
		if f.sessionExists("s1") || !f.access.saw(f.user.ID) {
			t.Error("sessions of the user were not revoked at once")
		}
		if e := f.audited(t, "password_reset_issued"); e.Target != "user:"+strconv.FormatInt(f.user.ID, 10) || strings.Contains(e.Detail, r.Code) {
			t.Errorf("audit = %+v", e)
		}

		wantCode(t, f.svc.RedeemReset(ctx, r.Code, "passwort1234"), domain.EINVALID, "password")
		wantCode(t, f.svc.RedeemReset(ctx, r.Code, "person@he.example"), domain.EINVALID, "password")
		wantCode(t, f.svc.RedeemReset(ctx, r.Code+"x", "Kaffee am Morgen im Amt"), domain.EINVALID, "code")
		wantCode(t, f.svc.RedeemReset(ctx, "kurz", "Kaffee am Morgen im Amt"), domain.EINVALID, "code")

		f.session(t, "s2", f.user)
		if err := f.svc.RedeemReset(ctx, r.Code, "Kaffee am Morgen im Amt"); err != nil {
			t.Fatal(err)
		}
		h, _ := db.PasswordHash(ctx, f.user.ID)
		if !auth.VerifyPassword(h, "Kaffee am Morgen im Amt") || f.sessionExists("s2") {
			t.Error("redeeming did not set the password or end the sessions")
		}
		f.audited(t, "password_reset_redeemed")
		wantCode(t, f.svc.RedeemReset(ctx, r.Code, "Tee am Abend im Büro"), domain.EINVALID, "code")

		// A code expires after 30 minutes; the operator's code (no actor)
		// works the same way.
		r2, err := f.svc.IssueReset(ctx, nil, f.user.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(30 * time.Minute)
		wantCode(t, f.svc.RedeemReset(ctx, r2.Code, "Tee am Abend im Büro"), domain.EINVALID, "code")

		disabled := true
		if _, err := db.UpdateUser(ctx, f.user.ID, domain.UserUpdate{Disabled: &disabled}); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.IssueReset(ctx, f.admin, f.user.ID)
		wantCode(t, err, domain.EINVALID, "id")
	})
}
