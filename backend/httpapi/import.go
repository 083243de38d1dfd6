package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/importdoc"
	"github.com/strategieraum/strategieraum/backend/policy"
	"github.com/strategieraum/strategieraum/backend/structure"
)

// importPath is the route of the import, which alone takes bodies as large
// as an office document (bodyLimit).
const importPath = "/api/strategies/:id/import"

// maxImportBody is the largest file importdoc reads plus room for the
// multipart framing and the small fields.
const maxImportBody = importdoc.DefaultMaxFileSize + 64<<10

var errNoImport = domain.Errorf(domain.EUNAVAILABLE, "Der Import ist derzeit nicht verfügbar.")

// importResult is what the import created, or in a preview would create.
type importResult struct {
	Preview  bool              `json:"preview"`
	File     string            `json:"file"`
	Format   importdoc.Format  `json:"format"`
	Topic    importTopic       `json:"topic"`
	Sections []importedSection `json:"sections"`
}

// importTopic is the topic the sections go to; new is true when the
// import creates it (its id is 0 in a preview).
type importTopic struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	New   bool   `json:"new"`
}

// importedSection is a created section (id 0 in a preview) with its text.
type importedSection struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Text     string `json:"text"`
	Position int    `json:"position"`
}

// handleImport reads one file of a multipart form (field file, optional
// topic_id or topic_title) and imports it; ?preview=1 only shows the
// sections.
func (s *Server) handleImport(c echo.Context) error {
	u, err := user(c)
	if err != nil {
		return err
	}
	// Refuse before reading a body of up to 10 MiB; the Importer checks
	// again.
	st, err := s.strategyFor(c, "id")
	if err != nil {
		return err
	}
	if err := s.check(c, policy.ImportDocuments, policy.Resource{Strategy: st}); err != nil {
		return err
	}
	if s.deps.Import == nil {
		return errNoImport
	}
	req, err := readImportForm(c)
	if err != nil {
		return err
	}
	req.StrategyID = st.ID
	switch c.QueryParam("preview") {
	case "", "0", "false":
	case "1", "true":
		req.Preview = true
	default:
		return domain.Invalid("preview", "Erwartet: 1 oder 0.")
	}
	files, err := s.deps.Import.Import(c.Request().Context(), u, req)
	if err != nil {
		return err
	}
	f := files[0]
	out := importResult{Preview: req.Preview, File: f.Name, Format: f.Format,
		Topic:    importTopic{ID: f.Topic.ID, Title: f.Topic.Title, New: req.TopicID == nil},
		Sections: []importedSection{}}
	for _, sec := range f.Sections {
		out.Sections = append(out.Sections, importedSection{ID: sec.ID, Title: sec.Title, Text: sec.Text, Position: sec.Position})
	}
	status := http.StatusCreated
	if req.Preview {
		status = http.StatusOK
	}
	return c.JSON(status, out)
}

// readImportForm streams the multipart form: exactly one file, the
// optional topic fields, nothing else.
func readImportForm(c echo.Context) (structure.ImportRequest, error) {
	var req structure.ImportRequest
	r := c.Request()
	if mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType)); err != nil || mt != "multipart/form-data" {
		return req, echo.NewHTTPError(http.StatusUnsupportedMediaType)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return req, domain.Invalid("file", "Das Formular konnte nicht gelesen werden.")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return req, formError(err)
		}
		switch part.FormName() {
		case "file":
			if len(req.Files) > 0 {
				return req, domain.Invalid("file", "Bitte laden Sie eine Datei auf einmal hoch.")
			}
			data, err := io.ReadAll(io.LimitReader(part, importdoc.DefaultMaxFileSize+1))
			if err != nil {
				return req, formError(err)
			}
			req.Files = append(req.Files, structure.ImportFile{Name: part.FileName(), Data: data})
		case "topic_id":
			v, err := formValue(part)
			if err != nil {
				return req, err
			}
			if v != "" {
				tid, err := strconv.ParseInt(v, 10, 64)
				if err != nil || tid <= 0 {
					return req, domain.Invalid("topic_id", "Ungültige Kennung: erwartet wird eine positive ganze Zahl.")
				}
				req.TopicID = &tid
			}
		case "topic_title":
			if req.TopicTitle, err = formValue(part); err != nil {
				return req, err
			}
		default:
			return req, domain.Invalid(part.FormName(), "Unbekanntes Feld.")
		}
	}
	return req, nil
}

// formValue reads a small text field.
func formValue(part io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, 1025))
	if err != nil {
		return "", formError(err)
	}
	if len(b) > 1024 {
		e := domain.Invalid("topic_title", "Der Text ist zu lang.")
		e.Code = domain.ETOOLARGE
		return "", e
	}
	return string(b), nil
}

// formError tells a body over the limit from a broken form.
func formError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return domain.Errorf(domain.ETOOLARGE, "Die Datei ist größer als %d MiB.", importdoc.DefaultMaxFileSize>>20)
	}
	return domain.Invalid("file", "Das Formular konnte nicht gelesen werden.")
}
