package httpapi_test

import (
	"archive/zip"
	"bytes"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// upload posts a multipart form with a file and further fields.
func (f *fixture) upload(path, as, fileName string, data []byte, fields ...string) response {
	f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(fields); i += 2 {
		must(f.t, mw.WriteField(fields[i], fields[i+1]))
	}
	if fileName != "" {
		w, err := mw.CreateFormFile("file", fileName)
		must(f.t, err)
		_, err = w.Write(data)
		must(f.t, err)
	}
	must(f.t, mw.Close())
	return f.do(nil, "POST", path, body.String(), as, "Content-Type: "+mw.FormDataContentType())
}

// docx is a minimal WordprocessingML document with a heading.
func docx(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	must(t, err)
	_, err = w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		`<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Zielbild Infrastruktur</w:t></w:r></w:p>` +
		`<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Glasfaser</w:t></w:r><w:r><w:t xml:space="preserve"> überall.</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Leitplanken</w:t></w:r></w:p></w:body></w:document>`))
	must(t, err)
	must(t, zw.Close())
	return buf.Bytes()
}

// TestImportRoute: only administrators import; bad files are problems and
// create nothing; a preview creates nothing; an import appends the
// sections to the topic. Responses match openapi.yaml.
func TestImportRoute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		path := "/api/strategies/" + itoa(f.strategy.ID) + "/import"
		count := func() int {
			r := f.do(nil, "GET", "/api/strategies/"+itoa(f.strategy.ID)+"/sections", "", "admin")
			var list []map[string]any
			r.json(t, &list)
			return len(list)
		}
		before := count()
		doc := docx(t)

		wantStatus(t, f.upload(path, "", "a.docx", doc), http.StatusUnauthorized)
		for _, who := range []string{"moderator", "themenpate", "land", "reader"} {
			r := f.upload(path, who, "a.docx", doc)
			wantStatus(t, r, http.StatusForbidden)
			r.problem(t)
		}
		bad := []struct {
			name   string
			file   string
			data   []byte
			fields []string
			status int
			field  string
		}{
			{"docx named odt", "a.odt", doc, nil, http.StatusBadRequest, "file"},
			{"text named docx", "a.docx", []byte("# Titel"), nil, http.StatusBadRequest, "file"},
			{"no file", "", nil, []string{"topic_title", "X"}, http.StatusBadRequest, "file"},
			{"unknown topic", "a.docx", doc, []string{"topic_id", "999999"}, http.StatusBadRequest, "topic_id"},
			{"bad topic id", "a.docx", doc, []string{"topic_id", "x"}, http.StatusBadRequest, "topic_id"},
			{"unknown field", "a.docx", doc, []string{"part", "x"}, http.StatusBadRequest, "part"},
			{"file too large", "a.md", bytes.Repeat([]byte("a"), 10<<20+1), nil, http.StatusRequestEntityTooLarge, ""},
			{"body too large", "a.md", bytes.Repeat([]byte("a"), 11<<20), nil, http.StatusRequestEntityTooLarge, ""},
		}
		for _, c := range bad {
			r := f.upload(path, "admin", c.file, c.data, c.fields...)
			if r.status != c.status {
				t.Fatalf("%s: status %d, want %d: %s", c.name, r.status, c.status, r.body)
			}
			p := r.problem(t)
			if c.field != "" && !strings.Contains(string(r.body), `"field":"`+c.field+`"`) {
				t.Errorf("%s: problem names no field %s: %v", c.name, c.field, p)
			}
		}
		wantStatus(t, f.do(nil, "POST", path, `{"file":"x"}`, "admin"), http.StatusUnsupportedMediaType)
		if n := count(); n != before {
			t.Fatalf("refused imports created sections: %d, before %d", n, before)
		}

		r := f.upload(path+"?preview=1", "admin", "Infrastruktur.docx", doc, "topic_id", itoa(f.topic.ID))
		wantStatus(t, r, http.StatusOK)
		checkSchema(t, "/api/strategies/{id}/import", "200", r)
		var res struct {
			Preview  bool
			Format   string
			Topic    struct{ ID int64 }
			Sections []struct {
				ID          int64
				Title, Text string
			}
		}
		r.json(t, &res)
		if !res.Preview || res.Format != "docx" || res.Topic.ID != f.topic.ID || len(res.Sections) != 2 || res.Sections[0].Text != "**Glasfaser** überall." || res.Sections[0].ID != 0 {
			t.Fatalf("preview = %+v", res)
		}
		if n := count(); n != before {
			t.Fatal("the preview created sections")
		}

		r = f.upload(path, "admin", "Infrastruktur.docx", doc, "topic_id", itoa(f.topic.ID))
		wantStatus(t, r, http.StatusCreated)
		checkSchema(t, "/api/strategies/{id}/import", "201", r)
		r.json(t, &res)
		if res.Preview || len(res.Sections) != 2 || res.Sections[0].ID == 0 || res.Sections[1].Title != "Leitplanken" {
			t.Fatalf("import = %+v", res)
		}
		sec := f.do(nil, "GET", "/api/sections/"+itoa(res.Sections[0].ID), "", "themenpate")
		wantStatus(t, sec, http.StatusOK)
		if !strings.Contains(string(sec.body), `"text":"**Glasfaser** überall."`) || !strings.Contains(string(sec.body), `"topic_id":`+itoa(f.topic.ID)) {
			t.Fatalf("section = %s", sec.body)
		}
		if n := count(); n != before+2 {
			t.Fatalf("%d sections, want %d", n, before+2)
		}

		// Without a topic: a new one named by topic_title.
		r = f.upload(path, "admin", "x.md", []byte("Nur Text"), "topic_title", "Informationssicherheit")
		wantStatus(t, r, http.StatusCreated)
		if !strings.Contains(string(r.body), `"title":"Informationssicherheit","new":true`) {
			t.Fatalf("new topic: %s", r.body)
		}

		var me struct{ Can map[string]bool }
		f.do(nil, "GET", "/api/me", "", "admin").json(t, &me)
		if !me.Can["import_documents"] {
			t.Fatal("admin may not import, says /api/me")
		}
		f.do(nil, "GET", "/api/me", "", "moderator").json(t, &me)
		if me.Can["import_documents"] {
			t.Fatal("moderator may import, says /api/me")
		}
	})
}

// checkSchema validates a response against the documented schema.
func checkSchema(t *testing.T, template, status string, r response) {
	t.Helper()
	raw, err := os.ReadFile("openapi.yaml")
	must(t, err)
	var doc map[string]any
	must(t, yaml.Unmarshal(raw, &doc))
	schema := lookup(doc, "paths", template, "post", "responses", status, "content", "application/json", "schema")
	if schema == nil {
		t.Fatalf("no documented %s schema for %s", status, template)
	}
	var body any
	r.json(t, &body)
	for _, e := range conform(doc, schema, body, "POST "+template) {
		t.Error(e)
	}
}
