package store_test

import (
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestIdentities(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newUser(t, db, "a@hessen.de", "HE", domain.RoleLand)
		b := newUser(t, db, "b@hessen.de", "HE", domain.RoleLand)
		const iss = "https://login.example/realms/ri"
		_, err := db.FindUserByIdentity(ctx, iss, "sub-a")
		wantCode(t, err, domain.ENOTFOUND)
		must(t, db.LinkIdentity(ctx, a.ID, iss, "sub-a"))
		must(t, db.LinkIdentity(ctx, a.ID, iss, "sub-a")) // again: harmless
		got, err := db.FindUserByIdentity(ctx, iss, "sub-a")
		must(t, err)
		if got.ID != a.ID || got.Email != a.Email {
			t.Fatalf("found %+v", got)
		}
		wantCode(t, db.LinkIdentity(ctx, b.ID, iss, "sub-a"), domain.ECONFLICT) // taken by a
		wantCode(t, db.LinkIdentity(ctx, a.ID, iss, "sub-x"), domain.ECONFLICT) // a has one there
		must(t, db.LinkIdentity(ctx, a.ID, "https://other.example", "sub-x"))   // another issuer
		wantCode(t, db.LinkIdentity(ctx, 9999, iss, "sub-z"), domain.ENOTFOUND)
		_, err = db.PseudonymiseUser(ctx, a.ID)
		must(t, err)
		_, err = db.FindUserByIdentity(ctx, iss, "sub-a")
		wantCode(t, err, domain.ENOTFOUND)
		must(t, db.LinkIdentity(ctx, b.ID, iss, "sub-a"))
	})
}
