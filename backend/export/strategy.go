package export

import (
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// PartTitles are the German headings of the strategy's parts.
var PartTitles = map[domain.Part]string{
	domain.PartDach:        "Dachstrategie",
	domain.PartSchwerpunkt: "Schwerpunktthemen",
	domain.PartUmsetzung:   "Umsetzungsvorhaben",
}

// partOrder is the order of the parts in the document.
var partOrder = []domain.Part{domain.PartDach, domain.PartSchwerpunkt, domain.PartUmsetzung}

// StrategyDocument lays out sections (with their text, in position order)
// as one document: each part a level-1 heading, each Schwerpunktthema a
// level-2 heading with its sections below, each section a heading with its
// Markdown text, whose own headings are moved below it. scope names the
// selection in the subtitle ("Gesamtfassung", a part or a topic); at is
// the time the text was read, shown in the footer in Europe/Berlin.
func StrategyDocument(st *domain.Strategy, sections []*domain.Section, scope string, at time.Time) *Document {
	topics := map[int64]*domain.Topic{}
	for _, t := range st.Topics {
		topics[t.ID] = t
	}
	d := &Document{Title: st.Title, Subtitle: scope, Header: st.Title, Contents: true,
		Footer: "Stand " + at.In(Berlin).Format("02.01.2006 15:04")}
	for _, part := range partOrder {
		var inPart []*domain.Section
		for _, sec := range sections {
			if sec.Part == part {
				inPart = append(inPart, sec)
			}
		}
		if len(inPart) == 0 {
			continue
		}
		d.Blocks = append(d.Blocks, H(1, PartTitles[part]))
		var topic *int64
		for _, sec := range inPart {
			level := 2
			if part == domain.PartSchwerpunkt && sec.TopicID != nil {
				if topic == nil || *topic != *sec.TopicID {
					topic = sec.TopicID
					if t := topics[*sec.TopicID]; t != nil {
						d.Blocks = append(d.Blocks, H(2, t.Title))
					}
				}
				level = 3
			}
			d.Blocks = append(d.Blocks, H(level, sec.Title))
			d.Blocks = append(d.Blocks, FromMarkdown(sec.Text, level)...)
		}
	}
	if len(d.Blocks) == 0 {
		d.Blocks = []Block{Para("Diese Auswahl enthält keine Abschnitte.")}
	}
	return d
}

// Berlin is Europe/Berlin, the zone all dates in documents are shown in
// (the binary embeds time/tzdata, so it resolves in minimal containers).
var Berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()
