package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/strategieraum/strategieraum/backend/auth"
)

func TestTOTPMatchesOneStepEitherSide(t *testing.T) {
	key, err := auth.NewTOTPKey("Strategieraum", "admin@fitko.de")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key.URI, "otpauth://totp/Strategieraum:admin@fitko.de?") || !strings.Contains(key.URI, "secret="+key.Secret) {
		t.Fatalf("uri %q", key.URI)
	}
	if !strings.HasPrefix(key.QRPNG, "data:image/png;base64,iVBOR") {
		t.Fatalf("qr %.40q", key.QRPNG)
	}
	now := time.Unix(1_800_000_015, 0) // step 60000000
	for _, d := range []int64{-1, 0, 1} {
		at := now.Add(time.Duration(d) * 30 * time.Second)
		code, err := totp.GenerateCode(key.Secret, at)
		if err != nil {
			t.Fatal(err)
		}
		step, ok := auth.MatchTOTP(key.Secret, code, now)
		if !ok || step != 60000000+d {
			t.Fatalf("offset %d: step %d ok %v", d, step, ok)
		}
	}
	far, _ := totp.GenerateCode(key.Secret, now.Add(-90*time.Second))
	if _, ok := auth.MatchTOTP(key.Secret, far, now); ok {
		t.Fatal("a code three steps old was accepted")
	}
	for _, bad := range []string{"", "12345", "1234567", "12a456"} {
		if _, ok := auth.MatchTOTP(key.Secret, bad, now); ok {
			t.Fatalf("%q accepted", bad)
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := auth.NewRecoveryCodes(10)
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] {
			t.Fatalf("code %q in %v", c, codes)
		}
		seen[c] = true
	}
	c := codes[0]
	if auth.HashRecoveryCode(c) != auth.HashRecoveryCode(" "+strings.ToUpper(strings.ReplaceAll(c, "-", " "))) {
		t.Fatal("a code typed with spaces and capitals does not match")
	}
	if auth.HashRecoveryCode(codes[0]) == auth.HashRecoveryCode(codes[1]) {
		t.Fatal("two codes hash alike")
	}
}
