package domain_test

import (
	"encoding/json"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
)

func TestParseDocKey(t *testing.T) {
	good := map[string]domain.DocKey{
		"section:12":                  domain.SectionDoc(12),
		"statement:42":                domain.StatementDoc(42),
		"section:9223372036854775807": {Kind: domain.DocSection, ID: 1<<63 - 1},
	}
	for in, want := range good {
		got, err := domain.ParseDocKey(in)
		if err != nil || got != want || got.String() != in {
			t.Errorf("ParseDocKey(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "section", "section:", "section:0", "section:-1", "section:012", "section:1x",
		"Section:1", "notify", "notify:1", "beschluss:1", ":1", "section:1:2", "section: 1", "section:99999999999999999999"} {
		if k, err := domain.ParseDocKey(in); err == nil || domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("ParseDocKey(%q) = %v, %v; want EINVALID", in, k, err)
		}
	}
}

func TestDocKeyJSON(t *testing.T) {
	var v struct {
		Doc domain.DocKey `json:"doc"`
	}
	if err := json.Unmarshal([]byte(`{"doc":"statement:7"}`), &v); err != nil || v.Doc != domain.StatementDoc(7) {
		t.Fatalf("unmarshal: %v %v", v.Doc, err)
	}
	if b, _ := json.Marshal(v); string(b) != `{"doc":"statement:7"}` {
		t.Fatalf("marshal: %s", b)
	}
	v.Doc = domain.DocKey{}
	if b, _ := json.Marshal(v); string(b) != `{"doc":""}` {
		t.Fatalf("zero key marshals as %s", b)
	}
	if err := json.Unmarshal([]byte(`{"doc":"section:0"}`), &v); err == nil {
		t.Fatal("section:0 accepted")
	}
}
