package demo

import "github.com/strategieraum/strategieraum/backend/domain"

// strategyTitle names the demo strategy.
const strategyTitle = "Föderale Digitalstrategie"

// strategyDescription says plainly that the texts are examples, so nobody
// mistakes the demo for the adopted wording.
const strategyDescription = `Gemeinsame Strategie von Bund, Ländern und Kommunen für die Digitalisierung der Verwaltung, erarbeitet für den IT-Planungsrat unter Koordination der FITKO. Sie besteht aus der Dachstrategie, den Schwerpunktthemen mit ihren Zielbildern und den Umsetzungsvorhaben.

Demonstrationsdaten: Alle Texte sind frei formulierte Beispieltexte und nicht die beschlossene Fassung. Die Zuordnung des Schwerpunktthemas Informationssicherheit zum Bund als Themenpate ist eine Annahme für diese Demonstration.`

// topicSpec is one Schwerpunktthema with the code of its sponsoring
// organisation.
type topicSpec struct {
	title   string
	sponsor string
}

// topics lists the Schwerpunktthemen in their order (DOMAIN.md).
var topics = []topicSpec{
	{"Digitale Transformation", "ST"},
	{"Digitale Infrastruktur", "HE"},
	{"Digitale Anwendungen", "HB"},
	{"Datennutzung", "HH"},
	{"Informationssicherheit", "BUND"},
}

// sectionSpec is one section; topic is a topic title or empty.
type sectionSpec struct {
	part   domain.Part
	title  string
	topic  string
	status domain.SectionStatus
	text   string
}

// sections lists the sections in their order. The Dachstrategie was adopted
// in November 2024, the Zielbilder are in consultation, the portfolio
// section is still a working draft.
var sections = []sectionSpec{
	{domain.PartDach, "Zukunftsbild der Verwaltung", "", domain.SectionFinal, textZukunftsbild},
	{domain.PartDach, "Leitlinien der föderalen Zusammenarbeit", "", domain.SectionFinal, textLeitlinien},
	{domain.PartSchwerpunkt, "Zielbild: Digitale Transformation", "Digitale Transformation", domain.SectionConsultation, textTransformation},
	{domain.PartSchwerpunkt, "Zielbild: Digitale Infrastruktur", "Digitale Infrastruktur", domain.SectionConsultation, textInfrastruktur},
	{domain.PartSchwerpunkt, "Zielbild: Digitale Anwendungen", "Digitale Anwendungen", domain.SectionConsultation, textAnwendungen},
	{domain.PartSchwerpunkt, "Zielbild: Datennutzung", "Datennutzung", domain.SectionConsultation, textDatennutzung},
	{domain.PartSchwerpunkt, "Zielbild: Informationssicherheit", "Informationssicherheit", domain.SectionConsultation, textSicherheit},
	{domain.PartUmsetzung, "Umsetzungsvorhaben: Auswahl und Portfolio", "", domain.SectionDraft, textPortfolio},
}

// pastPhases is the phase history before the current consultation. AddPhase
// stamps StartedAt with the time of seeding, so the historic month is part
// of the title.
var pastPhases = []struct {
	kind  domain.PhaseKind
	title string
}{
	{domain.PhaseEntwurf, "Entscheidung zur Erarbeitung (November 2023)"},
	{domain.PhaseEntwurf, "Prozess und Beteiligung vereinbart (März 2024)"},
	{domain.PhaseEntwurf, "Zukunftsbild als Arbeitsgrundlage (Juni 2024)"},
	{domain.PhaseBeschlossen, "Dachstrategie beschlossen (November 2024)"},
	{domain.PhaseEntwurf, "Zielbilder und Leitplanken (Frühjahr 2025)"},
}

// currentPhaseTitle names the consultation that is open in the demo.
const currentPhaseTitle = "Beteiligung zu den Zielbildern"
