package auth

import (
	"strings"
	"testing"
)

func TestPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("richtig-langes-Passwort")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected hash format %q", h)
	}
	if !VerifyPassword(h, "richtig-langes-Passwort") {
		t.Fatal("correct password rejected")
	}
	if VerifyPassword(h, "falsches-Passwort") {
		t.Fatal("wrong password accepted")
	}
	h2, _ := HashPassword("richtig-langes-Passwort")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	for _, h := range []string{"", "$argon2id$", "$bcrypt$v=19$m=1,t=1,p=1$AA$AA",
		"$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=19456,t=2,p=1$!!$AAAA"} {
		if VerifyPassword(h, "x") {
			t.Errorf("malformed hash %q matched", h)
		}
	}
	if VerifyPassword(dummyHash, strings.Repeat("a", MaxPasswordLen+1)) {
		t.Error("over-long password accepted")
	}
}

func TestSecrets(t *testing.T) {
	a, b := NewSecret("srt_"), NewSecret("srt_")
	if a == b || !strings.HasPrefix(a, "srt_") || len(a) != 4+43 {
		t.Fatalf("bad secrets %q %q", a, b)
	}
	if HashSecret(a) == HashSecret(b) || len(HashSecret(a)) != 64 {
		t.Fatal("secret hashes collide or have the wrong length")
	}
	if p := GeneratePassword(); len(p) != 20 || p == GeneratePassword() {
		t.Fatalf("bad generated password %q", p)
	}
}
