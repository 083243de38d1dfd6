package consult_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// benchWords is the vocabulary of the generated texts: words of the
// strategy's language, some in several inflected forms.
var benchWords = strings.Fields(`Verwaltung Verwaltungen Verwaltungsleistungen digital digitale digitalen Daten Datennutzung
Register Registern Registermodernisierung Bund Länder Ländern Kommunen Kommune Bürgerinnen Bürger Unternehmen Leistung
Leistungen Zukunftsbild Leitlinien Schwerpunktthema Schwerpunktthemen Umsetzungsvorhaben Infrastruktur Netz Netze
Breitband Glasfaser Sicherheit Informationssicherheit Schutz Standard Standards Schnittstelle Schnittstellen Portal
Portalverbund Nutzerkonto Identität Onlinezugang Transformation Kultur Personal Kompetenzen Beschaffung Cloud Rechenzentrum
Souveränität offen Quelloffenheit Nachnutzung gemeinsam föderal Zusammenarbeit Steuerung Gremium Beschluss Empfehlung
Haushalt Finanzierung Wirkung Messung Kennzahl Kennzahlen Barrierefreiheit verständlich einfach verlässlich schnell
Anliegen Antrag Anträge Bescheid Bescheide Nachweis Nachweise einmal erhoben geteilt genutzt entwickelt betrieben
die der das und mit für von zu im in auf werden wird ist sind soll sollen muss müssen eine ein einer als auch nicht`)

// benchVocabulary is benchWords followed by compounds of them
// ("Datenportal", "Registerstandard", ...), so that, drawn with a Zipf
// distribution, a few words are in most texts and most words in few, as in
// real writing.
var benchVocabulary = func() []string {
	v := append([]string{}, benchWords...)
	heads := strings.Fields("Daten Register Portal Netz Cloud Kommunal Landes Bundes Bürger Service Sicherheits Plattform Dokumenten Fach Verfahrens")
	tails := strings.Fields("standard plattform verbund konzept strategie katalog prüfung dienst modul verfahren architektur gesetz beirat labor netzwerk")
	for _, h := range heads {
		for _, t := range tails {
			v = append(v, h+t)
		}
	}
	return v
}()

func benchText(r *rand.Rand, words int) string {
	z := rand.NewZipf(r, 1.07, 2, uint64(len(benchVocabulary)-1))
	var b strings.Builder
	for i := 0; i < words; i++ {
		if i > 0 {
			if i%56 == 0 {
				b.WriteString(".\n\n") // paragraphs of four sentences
			} else if i%14 == 0 {
				b.WriteString(". ")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(benchVocabulary[z.Uint64()])
	}
	b.WriteByte('.')
	return b.String()
}

// BenchmarkSearch measures a search, policy and passages included, in a
// strategy with 200 sections and 5,000 contributions (2,000 threads, 500 of
// them proposals, with their first comment, and 3,000 replies) plus 10
// organisations' statements (a submitted version and a newer draft each), as a Land and as the moderation, on PostgreSQL. It reports
// the p50, p95 and p99 of one search. Skipped without
// STRATEGIERAUM_TEST_POSTGRES_URL; run with e.g. -benchtime=300x.
func BenchmarkSearch(b *testing.B) {
	db := storetest.OpenPostgres(b)
	f := newFixture(b, db)
	r := rand.New(rand.NewPCG(16, 4))
	sections := []*domain.Section{f.section}
	for len(sections) < 200 {
		s := &domain.Section{StrategyID: f.strategy.ID, TopicID: &f.topic.ID, Part: domain.PartSchwerpunkt,
			Title: "Abschnitt " + benchWords[r.IntN(40)], Text: benchText(r, 400), Status: domain.SectionConsultation}
		must(b, db.CreateSection(ctx, s))
		sections = append(sections, s)
	}
	authors := []*domain.User{f.land, f.land2, f.pate, f.otherPate}
	var threads []*domain.Thread
	for i := 0; i < 2000; i++ {
		a := authors[r.IntN(len(authors))]
		t := &domain.Thread{StrategyID: f.strategy.ID, SectionID: sections[r.IntN(len(sections))].ID, PhaseID: &f.phase.ID,
			AuthorID: a.ID, OrgID: a.OrgID, Kind: domain.KindKommentar, Status: domain.StatusOffen,
			Anchor: domain.Anchor{Start: 0, End: 20}, Quote: benchText(r, 4), Hidden: i%50 == 0}
		if i%4 == 0 {
			t.Kind, t.Replacement = domain.KindAenderungsvorschlag, benchText(r, 12)
		}
		body := benchText(r, 30)
		must(b, db.CreateThread(ctx, t, &domain.Comment{AuthorID: a.ID, Body: body, HTML: body}))
		threads = append(threads, t)
	}
	for i := 0; i < 3000; i++ {
		a := authors[r.IntN(len(authors))]
		body := benchText(r, 25)
		must(b, db.CreateComment(ctx, &domain.Comment{ThreadID: threads[r.IntN(len(threads))].ID, AuthorID: a.ID, Body: body, HTML: body}))
	}
	for _, code := range []string{"BW", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP"} {
		u := newUser(b, db, "stellung@"+strings.ToLower(code)+".de", code, []domain.Role{domain.RoleLand})
		_, err := f.svc.SubmitStatementText(ctx, u, f.strategy.ID, consult.StatementInput{Position: domain.PositionZustimmung, Body: benchText(r, 300)})
		must(b, err)
		_, err = f.svc.SaveStatement(ctx, u, f.strategy.ID, consult.StatementInput{Body: benchText(r, 300)})
		must(b, err)
	}
	// Broad words (in most texts), middling ones and rare compounds.
	queries := []string{"Verwaltungen", "Registermodernisierung", "Glasfaser Kommunen", `"digitale Verwaltung"`,
		"Portalverbund -Cloud", "Barrierefreiheit", "Datenstandard", "Nachweise Bescheid", "Souveränität", "Leistung",
		"Plattformkatalog", "Netzarchitektur"}
	users := []*domain.User{f.land, f.moderator}
	durations := make([]time.Duration, 0, b.N)
	hits := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := f.svc.Search(ctx, users[i%len(users)], f.strategy.ID, consult.SearchRequest{Query: queries[i%len(queries)]})
		durations = append(durations, time.Since(start))
		must(b, err)
		hits += res.Total
	}
	b.StopTimer()
	slices.Sort(durations)
	at := func(p float64) float64 {
		return float64(durations[min(len(durations)-1, int(p*float64(len(durations))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
}
