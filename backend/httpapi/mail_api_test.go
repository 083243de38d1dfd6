package httpapi_test

import (
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestMailPreferences(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	u := f.addUser("person", "HE", []domain.Role{domain.RoleLand}, nil)
	c := f.client()
	wantStatus(t, f.login(c, u.Email, testPassword), 200)

	var got struct {
		Notifications string `json:"notifications"`
		Delivery      bool   `json:"delivery"`
	}
	r := f.do(c, "GET", "/api/me/mail-preferences", "", "")
	wantStatus(t, r, 200)
	r.json(t, &got)
	if got.Notifications != "sofort" || got.Delivery {
		t.Fatalf("default %+v, want sofort without delivery", got)
	}
	r = f.do(c, "PUT", "/api/me/mail-preferences", `{"notifications":"aus"}`, "")
	wantStatus(t, r, 200)
	r = f.do(c, "GET", "/api/me/mail-preferences", "", "")
	r.json(t, &got)
	if got.Notifications != "aus" {
		t.Fatalf("after PUT aus: %+v", got)
	}
	wantStatus(t, f.do(c, "PUT", "/api/me/mail-preferences", `{"notifications":"täglich"}`, ""), 200)
	wantField(t, f.do(c, "PUT", "/api/me/mail-preferences", `{"notifications":"wöchentlich"}`, ""), "notifications")
	wantStatus(t, f.do(c, "PUT", "/api/me/mail-preferences", `{"notifications":"aus","x":1}`, ""), 400)
	wantStatus(t, f.do(nil, "GET", "/api/me/mail-preferences", "", ""), 401)
}
