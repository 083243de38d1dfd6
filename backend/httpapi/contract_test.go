package httpapi_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// TestResponsesMatchOpenAPI checks real responses against the documented
// 200 schemas: every required property is present, no undocumented
// property appears and primitive types agree. The frontend's types are
// generated from openapi.yaml, so drift here breaks it silently.
func TestResponsesMatchOpenAPI(t *testing.T) {
	raw, err := os.ReadFile("openapi.yaml")
	must(t, err)
	var doc map[string]any
	must(t, yaml.Unmarshal(raw, &doc))
	f := newFixture(t, storetest.Open(t), options{})
	c := f.client()
	wantStatus(t, f.login(c, "admin@example.de", testPassword), 200)
	sid, secID, tid := itoa(f.strategy.ID), itoa(f.sections[0].ID), itoa(f.topic.ID)
	for _, tc := range []struct{ method, template, path, body string }{
		{"POST", "/api/tokens", "/api/tokens", `{"name":"Vertrag"}`},
		{"POST", "/api/strategies", "/api/strategies", `{"title":"Neue Strategie","statements_public":true}`},
		{"PATCH", "/api/strategies/{id}", "/api/strategies/" + sid, `{"description":"Beschreibung"}`},
		{"POST", "/api/strategies/{id}/phases", "/api/strategies/" + sid + "/phases",
			`{"kind":"beteiligung","title":"B","opens_at":"2025-03-01T09:00:00Z","closes_at":"2025-04-01T09:00:00Z"}`},
		{"POST", "/api/strategies/{id}/sections", "/api/strategies/" + sid + "/sections", `{"title":"Neu","part":"umsetzungsvorhaben"}`},
		{"POST", "/api/strategies/{id}/topics", "/api/strategies/" + sid + "/topics", `{"title":"Neu","sponsors":["HB"]}`},
		{"PATCH", "/api/sections/{id}", "/api/sections/" + secID, `{"title":"Zielbild"}`},
		{"PATCH", "/api/topics/{id}", "/api/topics/" + tid, `{"position":1}`},
		{"POST", "/api/users", "/api/users", `{"email":"v@example.de","name":"V","org":"BE","roles":["reader"]}`},
		{"PATCH", "/api/users/{id}", "/api/users/" + itoa(f.users["reader"].ID), `{"name":"Lesend"}`},
		{"POST", "/api/sections/{id}/restore", "/api/sections/" + secID + "/restore", `{"version":0}`},
		{"GET", "/api/me", "/api/me", ""},
		{"GET", "/api/me/sessions", "/api/me/sessions", ""},
		{"PUT", "/api/me/mail-preferences", "/api/me/mail-preferences", `{"notifications":"täglich"}`},
		{"GET", "/api/me/mail-preferences", "/api/me/mail-preferences", ""},
		{"PUT", "/api/me/language", "/api/me/language", `{"language":"en"}`},
		{"GET", "/api/tokens", "/api/tokens", ""},
		{"GET", "/api/organisations", "/api/organisations", ""},
		{"GET", "/api/strategies", "/api/strategies", ""},
		{"GET", "/api/strategies/{id}", "/api/strategies/" + sid, ""},
		{"GET", "/api/strategies/{id}/sections", "/api/strategies/" + sid + "/sections", ""},
		{"GET", "/api/sections/{id}", "/api/sections/" + secID, ""},
		{"GET", "/api/sections/{id}/history", "/api/sections/" + secID + "/history", ""},
		{"GET", "/api/strategies/{id}/search", "/api/strategies/" + sid + "/search?q=Zielbild", ""},
		{"GET", "/api/sections/{id}/text", "/api/sections/" + secID + "/text?v=0", ""},
		{"GET", "/api/users", "/api/users", ""},
		{"GET", "/api/legal/{page}", "/api/legal/datenschutz", ""},
		{"GET", "/api/strategies/{id}/abwaegung", "/api/strategies/" + sid + "/abwaegung", ""},
		{"GET", "/healthz", "/healthz", ""},
		{"GET", "/readyz", "/readyz", ""},
	} {
		r := f.do(c, tc.method, tc.path, tc.body, "")
		if r.status >= 300 {
			t.Errorf("%s %s: status %d: %s", tc.method, tc.path, r.status, r.body)
			continue
		}
		var body any
		r.json(t, &body)
		schema := lookup(doc, "paths", tc.template, strings.ToLower(tc.method), "responses", itoa(int64(r.status)), "content", "application/json", "schema")
		if schema == nil {
			t.Errorf("%s %s: no documented %d schema", tc.method, tc.template, r.status)
			continue
		}
		for _, e := range conform(doc, schema, body, tc.method+" "+tc.template) {
			t.Error(e)
		}
	}
}

func lookup(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// conform returns the ways value deviates from schema.
func conform(doc map[string]any, schema, value any, at string) []string {
	s, _ := schema.(map[string]any)
	if ref, ok := s["$ref"].(string); ok {
		return conform(doc, lookup(doc, strings.Split(strings.TrimPrefix(ref, "#/"), "/")...), value, at)
	}
	if all, ok := s["allOf"].([]any); ok {
		merged := map[string]any{"type": "object", "properties": map[string]any{}}
		var req []any
		for _, part := range all {
			p, _ := part.(map[string]any)
			if ref, ok := p["$ref"].(string); ok {
				p = lookup(doc, strings.Split(strings.TrimPrefix(ref, "#/"), "/")...).(map[string]any)
			}
			for k, v := range asMap(p["properties"]) {
				merged["properties"].(map[string]any)[k] = v
			}
			req = append(req, asSlice(p["required"])...)
		}
		merged["required"] = req
		return conform(doc, merged, value, at)
	}
	types := []string{}
	switch tt := s["type"].(type) {
	case string:
		types = append(types, tt)
	case []any:
		for _, x := range tt {
			types = append(types, fmt.Sprint(x))
		}
	}
	if value == nil {
		if len(types) > 0 && !slices.Contains(types, "null") {
			return []string{at + ": null where " + strings.Join(types, "|") + " is documented"}
		}
		return nil
	}
	var errs []string
	switch v := value.(type) {
	case map[string]any:
		if len(types) > 0 && !slices.Contains(types, "object") {
			return []string{at + ": object where " + strings.Join(types, "|") + " is documented"}
		}
		props := asMap(s["properties"])
		for _, r := range asSlice(s["required"]) {
			if _, ok := v[fmt.Sprint(r)]; !ok {
				errs = append(errs, fmt.Sprintf("%s: required property %v missing", at, r))
			}
		}
		for k, x := range v {
			p, ok := props[k]
			if !ok {
				errs = append(errs, fmt.Sprintf("%s: undocumented property %q", at, k))
				continue
			}
			errs = append(errs, conform(doc, p, x, at+"."+k)...)
		}
	case []any:
		if !slices.Contains(types, "array") {
			return []string{at + ": array where " + strings.Join(types, "|") + " is documented"}
		}
		for i, x := range v {
			errs = append(errs, conform(doc, s["items"], x, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case string:
		if len(types) > 0 && !slices.Contains(types, "string") {
			errs = append(errs, at+": string where "+strings.Join(types, "|")+" is documented")
		}
	case float64:
		if len(types) > 0 && !slices.Contains(types, "integer") && !slices.Contains(types, "number") {
			errs = append(errs, at+": number where "+strings.Join(types, "|")+" is documented")
		}
	case bool:
		if len(types) > 0 && !slices.Contains(types, "boolean") {
			errs = append(errs, at+": boolean where "+strings.Join(types, "|")+" is documented")
		}
	}
	return errs
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }
func asSlice(v any) []any        { s, _ := v.([]any); return s }
