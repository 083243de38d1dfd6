package httpapi

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/limit"
)

// Login attempts are counted before the password is hashed: a request first
// takes a slot of its address's budget and of its account's budgets (each
// atomic in the shared limiter, so concurrent guesses on any number of
// instances cannot all be evaluated), then waits for one of a bounded
// number of hashing slots, and only then is the password checked.
var (
	// loginPerAddress bounds attempts from one client address on any
	// accounts (password spraying).
	loginPerAddress = limit.Rate{Count: 40, Period: 10 * time.Minute, Burst: 40}
	// loginPerAccount are the budgets of one account (e-mail), from any
	// address; an attempt needs a slot in each. Together they slow guessing
	// progressively instead of locking the account: five attempts at once,
	// then one every 12 s, after ten one every 90 s, after twenty one every
	// 3 min, so that the owner is never locked out for longer than that. A
	// correct password resets them.
	loginPerAccount = []limit.Rate{
		{Count: 5, Period: time.Minute, Burst: 5},
		{Count: 10, Period: 15 * time.Minute, Burst: 10},
		{Count: 20, Period: time.Hour, Burst: 20},
	}
)

// hashWait is how long a login waits for a hashing slot before it is
// turned away with a 429: long enough to smooth a burst, short enough to
// keep waiting requests few.
const hashWait = 2 * time.Second

// defaultMaxHashes bounds concurrent argon2id hashes (19 MiB each).
const defaultMaxHashes = 4

// reserveLogin takes one attempt from the address's and the account's
// budgets, or returns the 429 to answer. A refused account budget may have
// spent a slot of an earlier one; that errs on the side of fewer guesses.
func (s *Server) reserveLogin(ctx context.Context, email, addr string) error {
	return s.reserveAttempt(ctx, addr, func(tier int) string { return accountKey(email, tier) })
}

// reserveAttempt takes one attempt from the address's budget and from each
// of the account budgets named by key (one per tier of loginPerAccount).
// Passwords and second-factor codes share it, each with its own account
// keys, so that a right password never refills the budget for codes.
func (s *Server) reserveAttempt(ctx context.Context, addr string, key func(tier int) string) error {
	res, err := s.limits.Allow(ctx, "login:addr:"+addr, loginPerAddress)
	if err != nil {
		return loginLimitDown(err)
	}
	if !res.Allowed {
		return throttled(res.RetryAfter)
	}
	for i, r := range loginPerAccount {
		res, err := s.limits.Allow(ctx, key(i), r)
		if err != nil {
			return loginLimitDown(err)
		}
		if !res.Allowed {
			return throttled(res.RetryAfter)
		}
	}
	return nil
}

// loginSucceeded resets the account's budgets; the address's stay.
func (s *Server) loginSucceeded(ctx context.Context, email string) {
	s.resetAttempts(ctx, func(tier int) string { return accountKey(email, tier) })
}

// resetAttempts resets the account budgets named by key.
func (s *Server) resetAttempts(ctx context.Context, key func(tier int) string) {
	for i := range loginPerAccount {
		if err := s.limits.Reset(ctx, key(i)); err != nil {
			s.log.Warn("login limit reset failed", "err", err)
		}
	}
}

func accountKey(email string, tier int) string {
	// Hashed, so that e-mail addresses do not appear as Redis keys.
	return "login:account:" + strconv.Itoa(tier) + ":" + auth.HashSecret(email)[:32]
}

// loginLimitDown fails closed: without the shared budget no password is
// checked.
func loginLimitDown(err error) error {
	return fmt.Errorf("%w (%w)", domain.Errorf(domain.EUNAVAILABLE,
		"Die Anmeldung ist gerade nicht möglich. Bitte versuchen Sie es in einer Minute erneut."), err)
}

// hashSlot waits up to hashWait for one of the bounded hashing slots and
// returns the function that frees it.
func (s *Server) hashSlot(ctx context.Context) (func(), error) {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case s.hashes <- struct{}{}:
		return func() { <-s.hashes }, nil
	case <-t.C:
		s.log.Warn("login turned away: all password hashing slots busy", "slots", cap(s.hashes))
		return nil, &rateLimitError{
			err:        domain.Errorf(domain.ERATELIMIT, "Gerade melden sich sehr viele Personen an. Bitte versuchen Sie es gleich noch einmal."),
			retryAfter: 1,
		}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// throttled is the 429 for a refused login attempt, with a German hint on
// when to try again.
func throttled(wait time.Duration) error {
	when := "einer Minute"
	if m := int(math.Ceil(wait.Minutes())); m > 1 {
		when = fmt.Sprintf("%d Minuten", m)
	}
	return &rateLimitError{
		err: domain.Errorf(domain.ERATELIMIT,
			"Zu viele Anmeldeversuche. Bitte versuchen Sie es in %s erneut.", when).WithReason(domain.ReasonLoginThrottled),
		retryAfter: max(1, int(math.Ceil(wait.Seconds()))),
	}
}
