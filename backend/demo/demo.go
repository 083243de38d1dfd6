// Package demo fills an empty installation with the Föderale Digitalstrategie
// as demo content: topics, sections, the phase history, an open consultation
// and one account per role and organisation.
package demo

import (
	"context"
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Berlin must resolve in minimal containers too

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
)

// Deps are the services Seed writes through.
type Deps struct {
	Users      domain.UserService
	Strategies domain.StrategyService
	// Versions, if set, stores the Beteiligungsfassung of the demo round:
	// the sections' initial texts, which contributions cite by line.
	Versions interface {
		CreateNamedVersion(ctx context.Context, v *domain.NamedVersion) error
	}
}

// Consultation window of the demo, relative to the time of seeding: it has
// been open for a week and closes three weeks later at 18:00 Berlin time.
const (
	consultationOpenedDaysAgo = 7
	consultationClosesInDays  = 21
	consultationOpensHour     = 9
	consultationClosesHour    = 18
)

// Seed fills an empty database with the demo strategy and accounts, all
// sharing password. A database that already holds a strategy or the demo
// administrator is left alone and Seed returns (false, nil); so is one that
// another instance is seeding at the same moment. Seed returns EINVALID for
// a password outside the accepted length and ECONFLICT, before writing
// anything, if another demo e-mail is taken. Seed is not one transaction: if
// a write fails halfway, what was written stays and a later Seed does
// nothing.
func Seed(ctx context.Context, d Deps, password string, now time.Time) (seeded bool, err error) {
	existing, err := d.Strategies.FindStrategies(ctx)
	if err != nil {
		return false, fmt.Errorf("demo: list strategies: %w", err)
	}
	if len(existing) > 0 {
		return false, nil
	}
	if len(password) < auth.MinPasswordLen || len(password) > auth.MaxPasswordLen {
		return false, domain.Invalid("password", fmt.Sprintf(
			"Das Passwort für die Demo-Konten muss zwischen %d und %d Zeichen lang sein.",
			auth.MinPasswordLen, auth.MaxPasswordLen))
	}
	orgs, err := findOrganisations(ctx, d.Strategies)
	if err != nil {
		return false, err
	}
	accounts := Accounts()
	if free, err := checkEmailsFree(ctx, d.Users, accounts); err != nil || !free {
		return false, err
	}
	// One hash for all accounts: argon2id is slow on purpose and the demo
	// accounts share the password anyway.
	hash, err := auth.HashPassword(password)
	if err != nil {
		return false, fmt.Errorf("demo: hash password: %w", err)
	}

	// The first account (the administrator, bound to no topic) doubles as a
	// claim: e-mails are unique, so of two instances seeding the same empty
	// database at once only one gets past this point.
	if err := createUsers(ctx, d.Users, accounts[:1], hash, orgs, nil); err != nil {
		if domain.ErrorCode(err) == domain.ECONFLICT {
			return false, nil
		}
		return false, err
	}

	s := &domain.Strategy{
		Title:                  strategyTitle,
		Description:            strategyDescription,
		EditDuringConsultation: true,
		StatementsPublic:       true,
	}
	if err := d.Strategies.CreateStrategy(ctx, s); err != nil {
		return false, fmt.Errorf("demo: create strategy: %w", err)
	}
	topicIDs, err := createTopics(ctx, d.Strategies, s.ID, orgs)
	if err != nil {
		return false, err
	}
	if err := createSections(ctx, d.Strategies, s.ID, topicIDs); err != nil {
		return false, err
	}
	round, err := addPhases(ctx, d.Strategies, s.ID, now)
	if err != nil {
		return false, err
	}
	if err := freezeRound(ctx, d, s.ID, round); err != nil {
		return false, err
	}
	if err := createUsers(ctx, d.Users, accounts[1:], hash, orgs, topicIDs); err != nil {
		return false, err
	}
	return true, nil
}

// findOrganisations resolves every organisation code the demo uses. The
// migration seeds them; a missing one means the schema is not as expected.
func findOrganisations(ctx context.Context, svc domain.StrategyService) (map[string]*domain.Organisation, error) {
	codes := []string{"FITKO"}
	for _, p := range participants {
		codes = append(codes, p.code)
	}
	orgs := make(map[string]*domain.Organisation, len(codes))
	for _, code := range codes {
		o, err := svc.FindOrganisationByCode(ctx, code)
		if err != nil {
			return nil, fmt.Errorf("demo: organisation %s: %w", code, err)
		}
		orgs[code] = o
	}
	return orgs, nil
}

// checkEmailsFree fails early so that a clash with an existing account does
// not leave a half-seeded database behind. It reports false without an
// error if the first account, the claim, exists: then another instance is
// seeding or has seeded.
func checkEmailsFree(ctx context.Context, users domain.UserService, accounts []Account) (bool, error) {
	for i, a := range accounts {
		_, err := users.FindUserByEmail(ctx, a.Email)
		switch code := domain.ErrorCode(err); {
		case code == domain.ENOTFOUND:
			continue
		case code == "" && i == 0:
			return false, nil
		case code == "":
			return false, domain.Errorf(domain.ECONFLICT,
				"Die Demo-Daten können nicht angelegt werden: Das Konto %s besteht bereits.", a.Email)
		default:
			return false, fmt.Errorf("demo: look up %s: %w", a.Email, err)
		}
	}
	return true, nil
}

// createTopics creates the Schwerpunktthemen in order and returns their ids
// by title.
func createTopics(ctx context.Context, svc domain.StrategyService, strategyID int64, orgs map[string]*domain.Organisation) (map[string]int64, error) {
	ids := make(map[string]int64, len(topics))
	for i, spec := range topics {
		t := &domain.Topic{
			StrategyID: strategyID,
			Title:      spec.title,
			Position:   i + 1,
			Sponsors:   []domain.Organisation{*orgs[spec.sponsor]},
		}
		if err := svc.CreateTopic(ctx, t); err != nil {
			return nil, fmt.Errorf("demo: create topic %q: %w", spec.title, err)
		}
		ids[spec.title] = t.ID
	}
	return ids, nil
}

// createSections creates the sections in order with their initial text
// (version 0) and status.
func createSections(ctx context.Context, svc domain.StrategyService, strategyID int64, topicIDs map[string]int64) error {
	for i, spec := range sections {
		sec := &domain.Section{
			StrategyID: strategyID,
			Part:       spec.part,
			Position:   i + 1,
			Title:      spec.title,
			Text:       spec.text,
			Status:     spec.status,
		}
		if spec.topic != "" {
			id := topicIDs[spec.topic]
			sec.TopicID = &id
		}
		if err := svc.CreateSection(ctx, sec); err != nil {
			return fmt.Errorf("demo: create section %q: %w", spec.title, err)
		}
	}
	return nil
}

// addPhases writes the phase history and opens the current consultation.
func addPhases(ctx context.Context, svc domain.StrategyService, strategyID int64, now time.Time) (*domain.Phase, error) {
	for _, ph := range pastPhases {
		p := &domain.Phase{StrategyID: strategyID, Kind: ph.kind, Title: ph.title}
		if err := svc.AddPhase(ctx, p); err != nil {
			return nil, fmt.Errorf("demo: add phase %q: %w", ph.title, err)
		}
	}
	opens, closes, err := consultationWindow(now)
	if err != nil {
		return nil, err
	}
	p := &domain.Phase{
		StrategyID: strategyID,
		Kind:       domain.PhaseBeteiligung,
		Title:      currentPhaseTitle,
		OpensAt:    &opens,
		ClosesAt:   &closes,
	}
	if err := svc.AddPhase(ctx, p); err != nil {
		return nil, fmt.Errorf("demo: add phase %q: %w", currentPhaseTitle, err)
	}
	return p, nil
}

// freezeRound stores every section's initial text (version 0) as the
// Beteiligungsfassung of the demo round.
func freezeRound(ctx context.Context, d Deps, strategyID int64, round *domain.Phase) error {
	if d.Versions == nil {
		return nil
	}
	secs, err := d.Strategies.FindSections(ctx, strategyID)
	if err != nil {
		return fmt.Errorf("demo: list sections: %w", err)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return fmt.Errorf("demo: time zone: %w", err)
	}
	name := "Beteiligungsfassung " + round.OpensAt.In(berlin).Format("02.01.2006")
	texts := make(map[string]string, len(sections))
	for _, spec := range sections {
		texts[spec.title] = spec.text
	}
	for _, sec := range secs {
		nv := &domain.NamedVersion{SectionID: sec.ID, PhaseID: &round.ID, Version: 0, Text: texts[sec.Title], Name: name}
		if err := d.Versions.CreateNamedVersion(ctx, nv); err != nil {
			return fmt.Errorf("demo: freeze section %q: %w", sec.Title, err)
		}
	}
	return nil
}

// consultationWindow returns the demo consultation's bounds in UTC: 09:00
// Berlin time seven days before now and 18:00 Berlin time 21 days after now,
// so the window is open at now.
func consultationWindow(now time.Time) (opens, closes time.Time, err error) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("demo: load Europe/Berlin: %w", err)
	}
	local := now.In(berlin)
	o := local.AddDate(0, 0, -consultationOpenedDaysAgo)
	c := local.AddDate(0, 0, consultationClosesInDays)
	opens = time.Date(o.Year(), o.Month(), o.Day(), consultationOpensHour, 0, 0, 0, berlin).UTC()
	closes = time.Date(c.Year(), c.Month(), c.Day(), consultationClosesHour, 0, 0, 0, berlin).UTC()
	return opens, closes, nil
}

// createUsers creates the demo accounts with the shared password hash.
func createUsers(ctx context.Context, users domain.UserService, accounts []Account, hash string, orgs map[string]*domain.Organisation, topicIDs map[string]int64) error {
	for _, a := range accounts {
		org := orgs[a.OrgCode]
		u := &domain.User{
			Email: a.Email,
			Name:  a.Name,
			OrgID: org.ID,
			Org:   *org,
			Roles: append([]domain.Role(nil), a.Roles...),
		}
		for _, title := range a.Topics {
			u.TopicIDs = append(u.TopicIDs, topicIDs[title])
		}
		if err := users.CreateUser(ctx, u, hash); err != nil {
			return fmt.Errorf("demo: create account %s: %w", a.Email, err)
		}
	}
	return nil
}
