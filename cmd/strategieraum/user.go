package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/realtime"
	"github.com/strategieraum/strategieraum/backend/realtime/redisbroker"
	"github.com/strategieraum/strategieraum/backend/store"
)

// userCommands lists the user subcommands for the group's help.
const userCommands = `  add       create an account
  list      list the accounts
  set-role  change an account's roles and topics
  disable   disable an account and end its sessions
  delete    delete an account's personal data, keep its contributions
  reset-password  issue a one-time password reset link
  reset-2fa remove an account's second factor and end its sessions
`

func runUser(ctx context.Context, args []string, e env) error {
	if len(args) > 0 {
		switch args[0] {
		case "add":
			return runUserAdd(ctx, args[1:], e)
		case "list":
			return runUserList(ctx, args[1:], e)
		case "set-role":
			return runUserSetRole(ctx, args[1:], e)
		case "disable":
			return runUserDisable(ctx, args[1:], e)
		case "delete":
			return runUserDelete(ctx, args[1:], e)
		case "reset-password":
			return runUserResetPassword(ctx, args[1:], e)
		case "reset-2fa":
			return runUserResetSecondFactor(ctx, args[1:], e)
		}
	}
	return subcommandHelp("user", userCommands, args, e)
}

// parseRoles parses a comma-separated role list.
func parseRoles(s string) ([]domain.Role, error) {
	var roles []domain.Role
	for _, part := range strings.Split(s, ",") {
		r := domain.Role(strings.TrimSpace(part))
		if !r.Valid() {
			return nil, fmt.Errorf("unknown role %q (known: %v)", r, domain.Roles)
		}
		roles = append(roles, r)
	}
	return roles, nil
}

// parseRolesAndTopics parses the --role and --topic flags.
func parseRolesAndTopics(role, topics string) ([]domain.Role, []int64, error) {
	roles, err := parseRoles(role)
	if err != nil {
		return nil, nil, err
	}
	ids, err := parseIDs(topics)
	return roles, ids, err
}

// parseIDs parses a comma-separated list of ids; "" gives none.
func parseIDs(s string) ([]int64, error) {
	var ids []int64
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil || id <= 0 {
			return nil, fmt.Errorf("invalid topic id %q", part)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func runUserAdd(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("user add", "user add --email E --name N --org CODE --role ROLE[,ROLE] [--topic ID[,ID]] [--password-stdin]",
		"Create a local account; prints a generated password once unless --password-stdin is given.", databaseEnv, e)
	dbURL := databaseFlag(fs, e)
	email := fs.String("email", "", "official e-mail address (required)")
	name := fs.String("name", "", "full name (required)")
	org := fs.String("org", "", "organisation code, e.g. BY, BUND, FITKO (required)")
	role := fs.String("role", "", "roles, comma-separated: admin, moderator, themenpate, land, reader (required)")
	topics := fs.String("topic", "", "topic ids the Themenpate edits, comma-separated")
	pwStdin := fs.Bool("password-stdin", false, "read the password from standard input instead of generating one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" || *name == "" || *org == "" || *role == "" {
		fs.Usage()
		return fmt.Errorf("--email, --name, --org and --role are required")
	}
	roles, topicIDs, err := parseRolesAndTopics(*role, *topics)
	if err != nil {
		return err
	}
	password, generated := "", false
	if *pwStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("reading password from stdin: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
		if msg := auth.PasswordProblem(password, *email); msg != "" {
			return fmt.Errorf("password refused: %s", msg)
		}
	} else {
		password, generated = auth.GeneratePassword(), true
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, *dbURL, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	o, err := db.FindOrganisationByCode(ctx, *org)
	if err != nil {
		return fmt.Errorf("organisation %q: %w", *org, err)
	}
	u := &domain.User{Email: *email, Name: *name, OrgID: o.ID, Roles: roles, TopicIDs: topicIDs}
	if err := db.CreateUser(ctx, u, hash); err != nil {
		return err
	}
	if err := db.AppendAudit(ctx, &domain.AuditEvent{Action: "user_created", OrgCode: o.Code,
		Target: fmt.Sprintf("user:%d", u.ID), Detail: "per Kommandozeile"}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created user %d <%s>\n", u.ID, u.Email)
	if generated {
		fmt.Fprintf(e.stdout, "password (shown once): %s\n", password)
	}
	return nil
}

func runUserList(ctx context.Context, args []string, e env) error {
	db, err := openForList(ctx, "user list", "List every account with organisation, roles, topics and state.", args, e)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.FindUsers(ctx, domain.UserFilter{})
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tE-MAIL\tNAME\tORG\tROLES\tTOPICS\tSTATE")
	for _, u := range users {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Org.Code,
			joinRoles(u.Roles), joinIDs(u.TopicIDs), state)
	}
	return w.Flush()
}

func joinRoles(roles []domain.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// findByEmail opens the database and looks up one user.
func findByEmail(ctx context.Context, dbURL, email string) (*store.DB, *domain.User, error) {
	db, err := openDB(ctx, dbURL, nil)
	if err != nil {
		return nil, nil, err
	}
	u, err := db.FindUserByEmail(ctx, email)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("user %q: %w", email, err)
	}
	return db, u, nil
}

func runUserSetRole(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("user set-role", "user set-role --email E --role ROLE[,ROLE] [--topic ID[,ID]]",
		"Replace an account's roles (and the topics of a Themenpate).", databaseEnv, e)
	dbURL := databaseFlag(fs, e)
	email := fs.String("email", "", "the user's e-mail (required)")
	role := fs.String("role", "", "the new roles, comma-separated (required)")
	topics := fs.String("topic", "", "topic ids for the role themenpate, comma-separated")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" || *role == "" {
		fs.Usage()
		return fmt.Errorf("--email and --role are required")
	}
	roles, topicIDs, err := parseRolesAndTopics(*role, *topics)
	if err != nil {
		return err
	}
	db, u, err := findByEmail(ctx, *dbURL, *email)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.UpdateUser(ctx, u.ID, domain.UserUpdate{Roles: &roles, TopicIDs: &topicIDs}); err != nil {
		return err
	}
	notifyAccess(ctx, e, u.ID)
	if err := db.AppendAudit(ctx, &domain.AuditEvent{Action: "role_changed", OrgCode: u.Org.Code,
		Target: fmt.Sprintf("user:%d", u.ID), Detail: "Rollen: " + joinRoles(roles) + " (per Kommandozeile)"}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user %d now has roles %s\n", u.ID, joinRoles(roles))
	return nil
}

func runUserDisable(ctx context.Context, args []string, e env) error {
	return onUserByEmail(ctx, "disable", "Disable an account and end its sessions at once.", args, e, func(db *store.DB, u *domain.User) (string, error) {
		disabled := true
		if _, err := db.UpdateUser(ctx, u.ID, domain.UserUpdate{Disabled: &disabled}); err != nil {
			return "", err
		}
		// A disabled account must lose its sessions at once, not at their expiry.
		if err := db.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return "", err
		}
		return "user_disabled", nil
	}, "user %d disabled, sessions ended\n")
}

// runUserDelete deletes an account's personal data and keeps its
// contributions under a pseudonym (store.PseudonymiseUser).
func runUserDelete(ctx context.Context, args []string, e env) error {
	return onUserByEmail(ctx, "delete", "Delete an account's personal data; its contributions stay under a pseudonym.", args, e, func(db *store.DB, u *domain.User) (string, error) {
		_, err := db.PseudonymiseUser(ctx, u.ID)
		return "user_deleted", err
	}, "user %d deleted: personal data removed, contributions kept as \"Gelöschtes Konto #%[1]d\"\n")
}

// onUserByEmail runs the user subcommand name (flags --email and
// --database) on the account with that e-mail, audits the action fn names
// and prints done with the account's id.
func onUserByEmail(ctx context.Context, name, summary string, args []string, e env, fn func(*store.DB, *domain.User) (string, error), done string) error {
	fs := newFlagSet("user "+name, "user "+name+" --email E", summary, databaseEnv, e)
	dbURL := databaseFlag(fs, e)
	email := fs.String("email", "", "the user's e-mail (required)")
	db, u, err := parseAndFindUser(ctx, fs, args, dbURL, email)
	if err != nil {
		return err
	}
	defer db.Close()
	action, err := fn(db, u)
	if err != nil {
		return err
	}
	notifyAccess(ctx, e, u.ID)
	if err := db.AppendAudit(ctx, &domain.AuditEvent{Action: action, OrgCode: u.Org.Code,
		Target: fmt.Sprintf("user:%d", u.ID), Detail: "per Kommandozeile"}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, done, u.ID)
	return nil
}

// openForList parses the flags of a listing command (only --database)
// and opens the database.
func openForList(ctx context.Context, name, summary string, args []string, e env) (*store.DB, error) {
	fs := newFlagSet(name, name+" [flags]", summary, databaseEnv, e)
	dbURL := databaseFlag(fs, e)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return openDB(ctx, *dbURL, nil)
}

// parseAndFindUser parses a command's flags, requires --email and opens
// the database with that user.
func parseAndFindUser(ctx context.Context, fs *flag.FlagSet, args []string, dbURL, email *string) (*store.DB, *domain.User, error) {
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if *email == "" {
		fs.Usage()
		return nil, nil, fmt.Errorf("--email is required")
	}
	return findByEmail(ctx, *dbURL, *email)
}

// notifyAccess tells running servers that userID's access changed, so
// that its open live connections are re-checked at once. Only servers
// sharing a Redis broker can be reached from here; without one (or when it
// is down) they notice on their periodic check within half a minute.
func notifyAccess(ctx context.Context, e env, userID int64) {
	url := e.getenv("STRATEGIERAUM_REDIS_URL")
	if url == "" {
		return
	}
	b, err := redisbroker.Open(url, redisPrefix, nil)
	if err == nil {
		defer b.Close()
		pctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		err = realtime.PublishAccessChanged(pctx, b, userID)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "note: running servers were not told (%v); they re-check open connections within half a minute\n", err)
	}
}

// runUserResetSecondFactor removes an account's TOTP factor and recovery
// codes, for a person who lost both, and ends the account's sessions.
func runUserResetSecondFactor(ctx context.Context, args []string, e env) error {
	return onUserByEmail(ctx, "reset-2fa", "Remove an account's second factor (TOTP and recovery codes) and end its sessions; it sets up a new one at its next sign-in if its role requires one.", args, e, func(db *store.DB, u *domain.User) (string, error) {
		existed, err := db.DeleteSecondFactor(ctx, u.ID)
		if err != nil {
			return "", err
		}
		if !existed {
			return "", fmt.Errorf("%s has no second factor", u.Email)
		}
		return "second_factor_reset", db.DeleteUserSessions(ctx, u.ID, "")
	}, "user %d: second factor removed, sessions ended\n")
}
