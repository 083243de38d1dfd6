package policy

import (
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

func init() { rules[ManageOwnAccount] = manageOwnAccount }

// manageOwnAccount: every active account with a role manages its own
// settings; Check has already refused the signed-out and the disabled.
func manageOwnAccount(u *domain.User, _ Resource, _ time.Time) error {
	if len(u.Roles) == 0 {
		return deny("Ihrem Konto ist keine Rolle zugewiesen.")
	}
	return nil
}
