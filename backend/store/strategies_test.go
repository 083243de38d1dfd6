package store_test

import (
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestSeededOrganisations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		orgs, err := db.FindOrganisations(ctx)
		must(t, err)
		want := []struct {
			code, name string
			kind       domain.OrgKind
		}{
			{"BUND", "Bund", domain.OrgBund}, {"BW", "Baden-Württemberg", domain.OrgLand},
			{"BY", "Bayern", domain.OrgLand}, {"BE", "Berlin", domain.OrgLand},
			{"BB", "Brandenburg", domain.OrgLand}, {"HB", "Bremen", domain.OrgLand},
			{"HH", "Hamburg", domain.OrgLand}, {"HE", "Hessen", domain.OrgLand},
			{"MV", "Mecklenburg-Vorpommern", domain.OrgLand}, {"NI", "Niedersachsen", domain.OrgLand},
			{"NW", "Nordrhein-Westfalen", domain.OrgLand}, {"RP", "Rheinland-Pfalz", domain.OrgLand},
			{"SL", "Saarland", domain.OrgLand}, {"SN", "Sachsen", domain.OrgLand},
			{"ST", "Sachsen-Anhalt", domain.OrgLand}, {"SH", "Schleswig-Holstein", domain.OrgLand},
			{"TH", "Thüringen", domain.OrgLand}, {"FITKO", "FITKO (Föderale IT-Kooperation)", domain.OrgFITKO},
			{"DLT", "Deutscher Landkreistag", domain.OrgKommunal}, {"DST", "Deutscher Städtetag", domain.OrgKommunal},
			{"DStGB", "Deutscher Städte- und Gemeindebund", domain.OrgKommunal},
		}
		if len(orgs) != len(want) {
			t.Fatalf("%d organisations, want %d", len(orgs), len(want))
		}
		for i, w := range want {
			o := orgs[i]
			if o.Code != w.code || o.Name != w.name || o.Kind != w.kind {
				t.Errorf("organisation %d = %+v, want %s %s %s", i, o, w.code, w.name, w.kind)
			}
			if i > 0 && orgs[i-1].ID >= o.ID {
				t.Errorf("not ordered by id at %d", i)
			}
		}
		_, err = db.FindOrganisationByCode(ctx, "XX")
		wantCode(t, err, domain.ENOTFOUND)
		if _, err := db.FindOrganisationByCode(ctx, "dstgb"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("codes are exact: lowercase found (%v)", err)
		}
	})
}

func TestCreateOrganisation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o := &domain.Organisation{Code: "DSK", Name: "Datenschutzkonferenz", Kind: domain.OrgBund}
		must(t, db.CreateOrganisation(ctx, o))
		if o.ID == 0 {
			t.Fatal("ID not set")
		}
		got := org(t, db, "DSK")
		if *got != *o {
			t.Errorf("stored %+v, want %+v", got, o)
		}
		wantCode(t, db.CreateOrganisation(ctx, &domain.Organisation{Code: "BY", Name: "Doppelt", Kind: domain.OrgLand}), domain.ECONFLICT)
		wantCode(t, db.CreateOrganisation(ctx, &domain.Organisation{Code: "", Name: "X", Kind: domain.OrgLand}), domain.EINVALID)
		wantCode(t, db.CreateOrganisation(ctx, &domain.Organisation{Code: "Y", Name: "", Kind: domain.OrgLand}), domain.EINVALID)
		wantCode(t, db.CreateOrganisation(ctx, &domain.Organisation{Code: "Z", Name: "Z", Kind: "verein"}), domain.EINVALID)
	})
}

func TestStrategyWithTopicsAndPhases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := &domain.Strategy{Title: "Föderale Digitalstrategie", Description: "Gemeinsam",
			EditDuringConsultation: true, StatementsPublic: true}
		must(t, db.CreateStrategy(ctx, s))
		other := newStrategy(t, db, "Zweite Strategie")
		wantCode(t, db.CreateStrategy(ctx, &domain.Strategy{Title: " "}), domain.EINVALID)

		list, err := db.FindStrategies(ctx)
		must(t, err)
		if len(list) != 2 || list[0].ID != s.ID || list[1].ID != other.ID || list[0].Topics != nil {
			t.Fatalf("FindStrategies = %+v", list)
		}
		got, err := db.FindStrategyByID(ctx, s.ID)
		must(t, err)
		if got.Title != s.Title || got.Description != "Gemeinsam" || !got.EditDuringConsultation ||
			!got.StatementsPublic || !got.CreatedAt.Equal(s.CreatedAt) || got.CurrentPhase != nil ||
			len(got.Topics) != 0 || len(got.Phases) != 0 {
			t.Errorf("fresh strategy = %+v", got)
		}
		_, err = db.FindStrategyByID(ctx, 999)
		wantCode(t, err, domain.ENOTFOUND)

		st, he := org(t, db, "ST"), org(t, db, "HE")
		must(t, db.CreateTopic(ctx, &domain.Topic{StrategyID: s.ID, Title: "Digitale Infrastruktur",
			Sponsors: []domain.Organisation{{ID: he.ID}}}))
		must(t, db.CreateTopic(ctx, &domain.Topic{StrategyID: s.ID, Title: "Digitale Transformation", Position: 1,
			Sponsors: []domain.Organisation{{Code: "ST"}, {ID: he.ID}}}))
		must(t, db.CreateTopic(ctx, &domain.Topic{StrategyID: other.ID, Title: "Fremd"}))

		actor := newUser(t, db, "mod@fitko.de", "FITKO", domain.RoleModerator)
		opens := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
		closes := opens.AddDate(0, 1, 0)
		phases := []*domain.Phase{
			{StrategyID: s.ID, Kind: domain.PhaseEntwurf, Title: "Entwurf", StartedAt: time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC)},
			{StrategyID: s.ID, Kind: domain.PhaseBeteiligung, Title: "Beteiligung", OpensAt: &opens, ClosesAt: &closes, ActorID: &actor.ID},
		}
		for _, p := range phases {
			must(t, db.AddPhase(ctx, p))
			if p.ID == 0 || p.StartedAt.IsZero() {
				t.Fatalf("AddPhase set %+v", p)
			}
		}
		got, err = db.FindStrategyByID(ctx, s.ID)
		must(t, err)
		if len(got.Topics) != 2 || got.Topics[0].Title != "Digitale Transformation" || got.Topics[0].Position != 1 ||
			got.Topics[1].Title != "Digitale Infrastruktur" || got.Topics[1].Position != 2 {
			t.Errorf("topics = %+v", got.Topics)
		}
		if sp := got.Topics[0].Sponsors; len(sp) != 2 || sp[0] != *he || sp[1] != *st {
			t.Errorf("sponsors = %+v, want HE and ST ordered by id", sp)
		}
		if len(got.Phases) != 2 || got.Phases[0].Kind != domain.PhaseEntwurf || got.Phases[1].Kind != domain.PhaseBeteiligung {
			t.Fatalf("phases = %+v", got.Phases)
		}
		cur := got.CurrentPhase
		if cur == nil || cur.ID != phases[1].ID || !cur.OpensAt.Equal(opens) || !cur.ClosesAt.Equal(closes) ||
			cur.ActorID == nil || *cur.ActorID != actor.ID || !cur.Open(opens.Add(time.Hour)) {
			t.Errorf("CurrentPhase = %+v", cur)
		}
		if !got.Phases[0].StartedAt.Equal(phases[0].StartedAt) {
			t.Errorf("imported StartedAt = %v, want %v", got.Phases[0].StartedAt, phases[0].StartedAt)
		}
		// The newest phase is current even if it started earlier.
		back := &domain.Phase{StrategyID: s.ID, Kind: domain.PhaseEntwurf, Title: "Zurück", StartedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
		must(t, db.AddPhase(ctx, back))
		got, _ = db.FindStrategyByID(ctx, s.ID)
		if got.CurrentPhase == nil || got.CurrentPhase.ID != back.ID || len(got.Phases) != 3 {
			t.Errorf("after appending: current %+v", got.CurrentPhase)
		}
	})
}

func TestAddPhaseValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "S")
		t0 := time.Now()
		cases := map[string]*domain.Phase{
			"kind":     {StrategyID: s.ID, Kind: "pause"},
			"strategy": {StrategyID: 999, Kind: domain.PhaseEntwurf},
			"actor":    {StrategyID: s.ID, Kind: domain.PhaseEntwurf, ActorID: ptr(int64(999))},
			"window":   {StrategyID: s.ID, Kind: domain.PhaseBeteiligung, OpensAt: &t0, ClosesAt: &t0},
		}
		for name, p := range cases {
			if err := db.AddPhase(ctx, p); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("%s: code %q, want invalid (%v)", name, domain.ErrorCode(err), err)
			}
		}
		got, _ := db.FindStrategyByID(ctx, s.ID)
		if len(got.Phases) != 0 {
			t.Errorf("invalid phases stored: %d", len(got.Phases))
		}
	})
}
