package httpapi

import (
	"fmt"
	"net/http"
	"net/mail"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/account"
	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// manageUsers checks that the caller administers accounts.
func (s *Server) manageUsers(c echo.Context) (*domain.User, error) {
	u := domain.UserFromContext(c.Request().Context())
	return u, s.check(c, policy.ManageUsers, policy.Resource{})
}

func (s *Server) handleListUsers(c echo.Context) error {
	if _, err := s.manageUsers(c); err != nil {
		return err
	}
	list, err := s.deps.Users.FindUsers(c.Request().Context(), domain.UserFilter{})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(list))
}

type createUserRequest struct {
	Email    string        `json:"email"`
	Name     string        `json:"name"`
	Org      string        `json:"org"` // organisation code
	Roles    []domain.Role `json:"roles"`
	TopicIDs []int64       `json:"topic_ids"`
	Password string        `json:"password"`
}

// createdUser carries a generated password, shown once.
type createdUser struct {
	*domain.User
	Password string `json:"password,omitempty"`
}

func (s *Server) handleCreateUser(c echo.Context) error {
	admin, err := s.manageUsers(c)
	if err != nil {
		return err
	}
	var req createUserRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	addr, err := mail.ParseAddress(strings.TrimSpace(req.Email))
	if err != nil || addr.Name != "" || len(addr.Address) > 254 {
		return domain.Invalid("email", "Bitte geben Sie eine gültige E-Mail-Adresse an.")
	}
	name, err := text("name", req.Name, 200)
	if err != nil {
		return err
	}
	org, err := s.orgByCode(c, req.Org)
	if err != nil {
		return err
	}
	if err := validRoles(req.Roles); err != nil {
		return err
	}
	generated := ""
	if req.Password == "" {
		generated = auth.GeneratePassword()
		req.Password = generated
	} else if err := account.CheckPassword("password", req.Password, addr.Address); err != nil {
		return err
	}
	hash, err := auth.HashPassword(req.Password)
	if err != nil {
		return err
	}
	u := &domain.User{Email: strings.ToLower(addr.Address), Name: name, OrgID: org.ID, Org: *org,
		Roles: req.Roles, TopicIDs: nonNil(req.TopicIDs)}
	if err := s.deps.Users.CreateUser(c.Request().Context(), u, hash); err != nil {
		return err
	}
	s.audit(c, admin, "user_created", fmt.Sprintf("user:%d", u.ID), rolesDetail(u.Roles))
	return c.JSON(http.StatusCreated, createdUser{User: u, Password: generated})
}

type updateUserRequest struct {
	Name     *string        `json:"name"`
	Org      *string        `json:"org"`
	Roles    *[]domain.Role `json:"roles"`
	TopicIDs *[]int64       `json:"topic_ids"`
	Disabled *bool          `json:"disabled"`
}

// handleUpdateUser changes an account. Disabling it ends all its sessions
// at once; role changes are audited.
func (s *Server) handleUpdateUser(c echo.Context) error {
	admin, id, err := s.manageUser(c)
	if err != nil {
		return err
	}
	var req updateUserRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	upd, err := s.userUpdate(c, req)
	if err != nil {
		return err
	}
	// Guard against locking the last administrator out by accident.
	if id == admin.ID && req.Disabled != nil && *req.Disabled {
		return domain.Invalid("disabled", "Sie können Ihr eigenes Konto nicht deaktivieren.")
	}
	if id == admin.ID && req.Roles != nil && !slices.Contains(*req.Roles, domain.RoleAdmin) {
		return domain.Invalid("roles", "Sie können sich die Administrationsrolle nicht selbst entziehen.")
	}
	ctx := c.Request().Context()
	before, err := s.deps.Users.FindUserByID(ctx, id)
	if err != nil {
		return err
	}
	u, err := s.deps.Users.UpdateUser(ctx, id, upd)
	if err != nil {
		return err
	}
	// Roles, topics, organisation or the disabled flag may have changed
	// what the account's open live connections may do.
	defer s.accessChanged(u.ID)
	target := fmt.Sprintf("user:%d", u.ID)
	if req.Roles != nil && !slices.Equal(before.Roles, u.Roles) {
		s.audit(c, admin, "role_changed", target, rolesDetail(before.Roles)+" → "+rolesDetail(u.Roles))
	}
	if u.Disabled && !before.Disabled {
		if err := s.deps.Sessions.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		s.audit(c, admin, "user_disabled", target, "")
	}
	return c.JSON(http.StatusOK, u)
}

// manageUser checks that the caller administers users and reads the
// account id from the path.
func (s *Server) manageUser(c echo.Context) (*domain.User, int64, error) {
	admin, err := s.manageUsers(c)
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(c, "id")
	return admin, id, err
}

// handleDeleteUser deletes an account as the DSGVO asks: its personal data
// goes, its contributions stay with its organisation under a pseudonym
// (store.PseudonymiseUser). Administrators cannot delete their own account.
func (s *Server) handleDeleteUser(c echo.Context) error {
	admin, id, err := s.manageUser(c)
	if err != nil {
		return err
	}
	if id == admin.ID {
		return domain.Invalid("id", "Sie können Ihr eigenes Konto nicht löschen.")
	}
	u, err := s.deps.Users.PseudonymiseUser(c.Request().Context(), id)
	if err != nil {
		return err
	}
	s.accessChanged(u.ID)
	s.audit(c, admin, "user_deleted", fmt.Sprintf("user:%d", u.ID), "pseudonymisiert")
	return c.JSON(http.StatusOK, u)
}

// userUpdate validates a change request and resolves the organisation code.
func (s *Server) userUpdate(c echo.Context, req updateUserRequest) (domain.UserUpdate, error) {
	upd := domain.UserUpdate{TopicIDs: req.TopicIDs, Disabled: req.Disabled}
	if req.Name != nil {
		n, err := text("name", *req.Name, 200)
		if err != nil {
			return upd, err
		}
		upd.Name = &n
	}
	if req.Org != nil {
		org, err := s.orgByCode(c, *req.Org)
		if err != nil {
			return upd, err
		}
		upd.OrgID = &org.ID
	}
	if req.Roles != nil {
		if err := validRoles(*req.Roles); err != nil {
			return upd, err
		}
		upd.Roles = req.Roles
	}
	return upd, nil
}

func (s *Server) orgByCode(c echo.Context, code string) (*domain.Organisation, error) {
	if code == "" || len(code) > 20 {
		return nil, domain.Invalid("org", "Bitte geben Sie den Code einer Organisation an, z. B. BUND oder HE.")
	}
	o, err := s.deps.Strategies.FindOrganisationByCode(c.Request().Context(), code)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, domain.Invalid("org", fmt.Sprintf("Unbekannte Organisation „%s“.", code))
	}
	return o, err
}

func validRoles(roles []domain.Role) error {
	if len(roles) == 0 {
		return domain.Invalid("roles", "Mindestens eine Rolle ist nötig.")
	}
	for _, r := range roles {
		if !r.Valid() {
			return domain.Invalid("roles", "Erwartet: admin, moderator, themenpate, land oder reader.")
		}
	}
	return nil
}

func rolesDetail(roles []domain.Role) string {
	parts := make([]string, len(roles))
	for i, r := range roles {
		parts[i] = string(r)
	}
	return strings.Join(parts, ",")
}
