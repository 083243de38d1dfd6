package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP parameters: what every authenticator app understands (RFC 6238
// defaults: SHA-1, six digits, 30-second steps).
const (
	totpPeriod = 30
	totpDigits = otp.DigitsSix
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1}

// TOTPKey is a newly generated TOTP secret with what an authenticator app
// needs to take it over.
type TOTPKey struct {
	Secret string // base32, no padding
	URI    string // otpauth://totp/...
	QRPNG  string // data: URL of a PNG QR code of URI
}

// NewTOTPKey generates a 160-bit secret for account at issuer.
func NewTOTPKey(issuer, account string) (*TOTPKey, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account,
		Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1, SecretSize: 20})
	if err != nil {
		return nil, err
	}
	img, err := key.Image(256, 256)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return &TOTPKey{Secret: key.Secret(), URI: key.URL(),
		QRPNG: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// MatchTOTP reports whether code is the secret's code for the time step of
// now or one step either side (clock skew), and which step it matched. The
// caller must still refuse a step that was used already.
func MatchTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	if len(code) != int(totpDigits) || strings.Trim(code, "0123456789") != "" {
		return 0, false
	}
	cur := now.Unix() / totpPeriod
	for _, st := range []int64{cur + 1, cur, cur - 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(st*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return st, true
		}
	}
	return 0, false
}

// recoveryAlphabet leaves out characters that are easily confused (0/o,
// 1/l/i) when a code is read from paper.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// NewRecoveryCodes returns n single-use codes of ten characters (about 49
// bits each), written as two groups of five ("abcde-fghjk").
func NewRecoveryCodes(n int) []string {
	out := make([]string, n)
	for i := range out {
		b := make([]byte, 10)
		for j := range b {
			b[j] = recoveryAlphabet[randIndex(len(recoveryAlphabet))]
		}
		out[i] = string(b[:5]) + "-" + string(b[5:])
	}
	return out
}

// randIndex is a uniform random index below n (n < 256).
func randIndex(n int) int {
	limit := 256 - 256%n
	var b [1]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

// NormaliseCode removes spaces and hyphens and lowercases a code as typed.
func NormaliseCode(code string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(code)))
}

// HashRecoveryCode is the stored form of a recovery code as typed.
func HashRecoveryCode(code string) string { return HashSecret("recovery:" + NormaliseCode(code)) }
