package structure

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/importdoc"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// MaxTopicTitleLen is the length of a topic's title, in code points, as
// the topic routes accept it.
const MaxTopicTitleLen = 200

// ImportDeps are the services an Importer works with.
type ImportDeps struct {
	Strategies domain.StrategyService
	Sections   domain.SectionImporter
	Audit      domain.AuditService
	Logger     *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Limits bound the files read; zero fields take importdoc's defaults.
	Limits importdoc.Limits
}

// Importer turns drafts (Markdown, ODT, DOCX) into sections of a strategy.
// The HTTP handler and the command line share it. Safe for concurrent use.
type Importer struct{ d ImportDeps }

// NewImporter returns an Importer.
func NewImporter(d ImportDeps) *Importer {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Importer{d: d}
}

// ImportFile is one document to import.
type ImportFile struct {
	Name string
	Data []byte
}

// ImportRequest says which documents go where.
type ImportRequest struct {
	StrategyID int64
	// TopicID names an existing Schwerpunktthema of the strategy whose end
	// takes the sections. Without it the sections go into a new topic:
	// one titled TopicTitle for all files, or, without a title, one per
	// file, named after the file.
	TopicID    *int64
	TopicTitle string
	Files      []ImportFile
	// Preview reads and cuts the files but stores nothing.
	Preview bool
}

// ImportedFile is what became of one file: its format, the topic and the
// sections. In a preview a new topic and the sections have no ID yet.
type ImportedFile struct {
	Name     string            `json:"name"`
	Format   importdoc.Format  `json:"format"`
	Topic    *domain.Topic     `json:"topic"`
	Sections []*domain.Section `json:"sections"`
}

// Import reads every file and, unless it is a preview, creates the topics
// and sections in one transaction, audited as structure_changed; a fault
// in any file changes nothing. actor must be allowed
// policy.ImportDocuments, or nil for the operator at the command line.
// ENOTFOUND for an unknown strategy; EINVALID on topic_id, topic_title or
// file (no file, unknown type, type not matching the extension, damaged,
// empty); ETOOLARGE on file when a limit of importdoc is exceeded.
func (im *Importer) Import(ctx context.Context, actor *domain.User, req ImportRequest) ([]ImportedFile, error) {
	now := im.d.Now().UTC()
	st, err := im.d.Strategies.FindStrategyByID(ctx, req.StrategyID)
	if err != nil {
		return nil, err
	}
	if actor != nil {
		if err := policy.Check(actor, policy.ImportDocuments, policy.Resource{Strategy: st}, now); err != nil {
			return nil, err
		}
	}
	groups, out, err := im.plan(st, req)
	if err != nil {
		return nil, err
	}
	if req.Preview {
		return out, nil
	}
	if err := im.d.Sections.CreateTopicSections(ctx, st.ID, groups); err != nil {
		return nil, err
	}
	via := ""
	if actor == nil {
		via = " (Kommandozeile)"
	}
	for _, f := range out {
		domain.RecordAudit(ctx, im.d.Audit, im.d.Logger, now, actor, "structure_changed", fmt.Sprintf("topic:%d", f.Topic.ID),
			fmt.Sprintf("Entwurf importiert (%s): %d Abschnitte%s", f.Format, len(f.Sections), via))
	}
	return out, nil
}

// plan reads the files and lays out the topics and sections to create.
func (im *Importer) plan(st *domain.Strategy, req ImportRequest) ([]domain.TopicSections, []ImportedFile, error) {
	if len(req.Files) == 0 {
		return nil, nil, domain.Invalid("file", "Bitte wählen Sie eine Datei aus.")
	}
	var shared *domain.Topic
	if req.TopicID != nil {
		for _, t := range st.Topics {
			if t.ID == *req.TopicID {
				shared = t
			}
		}
		if shared == nil {
			return nil, nil, domain.Invalid("topic_id", "Unbekanntes Schwerpunktthema dieser Strategie.")
		}
	} else if req.TopicTitle != "" {
		title, err := domain.Line("topic_title", req.TopicTitle, MaxTopicTitleLen)
		if err != nil {
			return nil, nil, err
		}
		shared = &domain.Topic{StrategyID: st.ID, Title: title}
	}
	var groups []domain.TopicSections
	var out []ImportedFile
	for _, f := range req.Files {
		secs, format, err := im.d.Limits.Parse(f.Name, f.Data)
		if err != nil {
			return nil, nil, err
		}
		topic := shared
		if topic == nil {
			title, _ := domain.Line("topic_title", importdoc.FileTitle(f.Name), MaxTopicTitleLen)
			if title == "" {
				title = "Import"
			}
			topic = &domain.Topic{StrategyID: st.ID, Title: title}
		}
		file := ImportedFile{Name: f.Name, Format: format, Topic: topic}
		for _, s := range secs {
			sec := &domain.Section{StrategyID: st.ID, Part: domain.PartSchwerpunkt, Title: s.Title, Text: s.Body, Status: domain.SectionDraft}
			if topic.ID != 0 {
				tid := topic.ID
				sec.TopicID = &tid
			}
			file.Sections = append(file.Sections, sec)
		}
		if len(groups) > 0 && groups[len(groups)-1].Topic == topic {
			groups[len(groups)-1].Sections = append(groups[len(groups)-1].Sections, file.Sections...)
		} else {
			groups = append(groups, domain.TopicSections{Topic: topic, Sections: file.Sections})
		}
		out = append(out, file)
	}
	return groups, out, nil
}
