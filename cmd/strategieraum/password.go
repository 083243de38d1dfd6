package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/strategieraum/strategieraum/backend/account"
	"github.com/strategieraum/strategieraum/backend/httpapi"
)

// runUserResetPassword issues a one-time reset code for an account, as an
// administrator can in the browser, and prints the link that redeems it.
func runUserResetPassword(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("user reset-password", "user reset-password --email E [--public-url URL]",
		"Issue a one-time password reset link for an account, valid for 30 minutes; ends the account's sessions. "+
			"The link is printed once; hand it to the person.",
		append(append([]string{}, databaseEnv...), "STRATEGIERAUM_PUBLIC_URL", "STRATEGIERAUM_REDIS_URL"), e)
	dbURL := databaseFlag(fs, e)
	email := fs.String("email", "", "the user's e-mail (required)")
	publicURL := fs.String("public-url", e.get("STRATEGIERAUM_PUBLIC_URL", ""),
		"the address users open, to print a complete link (env STRATEGIERAUM_PUBLIC_URL)")
	db, u, err := parseAndFindUser(ctx, fs, args, dbURL, email)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := account.New(account.Deps{Users: db, Sessions: db, Resets: db, Audit: db})
	r, err := svc.IssueReset(ctx, nil, u.ID)
	if err != nil {
		return err
	}
	notifyAccess(ctx, e, u.ID)
	link := strings.TrimRight(*publicURL, "/") + httpapi.ResetPath + "#" + r.Code
	fmt.Fprintf(e.stdout, "password reset for user %d <%s>, sessions ended\n", u.ID, u.Email)
	fmt.Fprintf(e.stdout, "link (shown once, valid until %s UTC): %s\n", r.ExpiresAt.Format("2006-01-02 15:04"), link)
	fmt.Fprintf(e.stdout, "code: %s\n", r.Code)
	return nil
}
