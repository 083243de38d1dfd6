package domain

import "context"

// TopicSections is a Schwerpunktthema, new (ID 0) or existing, with the
// sections to add at its end.
type TopicSections struct {
	Topic    *Topic
	Sections []*Section
}

// SectionImporter adds many sections at once, as an import of a draft
// does.
type SectionImporter interface {
	// CreateTopicSections creates, in one transaction, each group's topic
	// if it is new (appended after the strategy's topics, without
	// sponsors) and inserts its sections, in order and with their Text as
	// the initial text at version 0, right after the last section of the
	// topic (at the end of the strategy if it has none). It sets the IDs,
	// positions and versions of topics and sections. On any error nothing
	// is created: EINVALID for an unknown strategy, a topic of another
	// strategy, an empty title or an unknown part or status.
	CreateTopicSections(ctx context.Context, strategyID int64, groups []TopicSections) error
}
