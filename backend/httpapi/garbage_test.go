package httpapi_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// garbageBodies are malformed or hostile request bodies.
var garbageBodies = []string{
	"",
	"{",
	"null",
	"[]",
	`"text"`,
	"{}",
	"\xff\xfe{\"title\":\"\xc3\x28\"}",
	`{"title":1e999,"version":1e308,"ids":"x","topic_id":-1}`,
	`{"version":99999999999999999999999,"position":-5,"ids":[0,-1,99999999999]}`,
	`{"kind":["beteiligung"],"opens_at":"2025-13-45T99:00:00Z","closes_at":12}`,
	`{"email":null,"password":{"a":1},"name":true,"roles":"admin","disabled":"ja"}`,
	`{"title":"` + strings.Repeat("ä", 5000) + `","part":"dachstrategie","sponsors":["` + strings.Repeat("X", 500) + `"]}`,
	`{"title":"a\u0000b","part":"dachstrategie","topic_id":null,"status":"final"}`,
	strings.Repeat("[", 10000),
	`{"unknown":1}`,
	`{"email":"land@example.de","password":"` + strings.Repeat("p", 300) + `"}`,
	// Well-formed bodies for one route each, with hostile values.
	`{"email":"a\u0000@example.de","password":"x\u0000y"}`,
	`{"email":"\ud800@example.de","password":"x"}`,
	`{"title":"Thema","sponsors":["H\u0000H"]}`,
	`{"title":"Thema","position":2147483648,"sponsors":["` + strings.Repeat("Ü", 100) + `"]}`,
	`{"name":"Token\u0000"}`,
	`{"email":"n@example.de","name":"N","org":"H\u0000E","roles":["land"],"topic_ids":[99999999999]}`,
	`{"email":"n@example.de","name":"N","org":"HE","roles":["land"],"topic_ids":[-1,0]}`,
	`{"org":"HE","roles":["admin","admin"],"topic_ids":[9223372036854775807]}`,
	`{"title":"x","part":"dachstrategie","topic_id":9223372036854775807}`,
	`{"title":"x","topic_id":-9223372036854775808,"status":"draft"}`,
	`{"version":-1}`,
	`{"version":9223372036854775807}`,
	`{"ids":[9223372036854775807,-1,0]}`,
	`{"kind":"beteiligung","title":"T","opens_at":"0001-01-01T00:00:00Z","closes_at":"9999-12-31T23:59:59Z"}`,
	`{"kind":"beteiligung","title":"T","opens_at":"2025-01-01T00:00:00+14:00","closes_at":"2025-01-01T00:00:01-12:00"}`,
}

// garbagePathValues replace each path parameter.
var garbagePathValues = []string{"0", "-1", "abc", "99999999999999999999", "%ff%fe", "1.5", "1e3", "%00"}

// TestGarbage sends malformed input to every route as every kind of user
// and asserts that nothing answers 5xx and that every error is a problem
// document.
func TestGarbage(t *testing.T) {
	t.Parallel() // the slowest test; its stores are its own
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Parallel()
		live := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
		f := newFixture(t, db, options{live: live, cfg: httpapi.Config{MaxBodyBytes: 64 << 10}})
		routes := httpapi.New(httpapi.Config{}, httpapi.Deps{Users: db, Sessions: db, Strategies: db, Audit: db}).Routes()
		valid := fmt.Sprint(f.sections[0].ID)
		param := regexp.MustCompile(`:\w+`)
		users := []string{"", "reader", "land", "themenpate", "moderator", "admin"}
		requests := 0
		for _, rt := range routes {
			if rt.Method == "echo_route_not_found" || rt.Method == http.MethodHead {
				continue
			}
			paths := []string{param.ReplaceAllString(rt.Path, valid)}
			if strings.Contains(rt.Path, ":") {
				for _, v := range garbagePathValues {
					paths = append(paths, param.ReplaceAllString(rt.Path, v))
				}
			}
			if rt.Path == "/*" {
				paths = []string{"/%ff", "/../../etc/passwd", "/assets/../index.html"}
			}
			bodies := garbageBodies
			if rt.Method == http.MethodGet || rt.Method == http.MethodDelete {
				bodies = garbageBodies[:2]
			}
			for i, path := range paths {
				for _, q := range []string{"", "?before=-1&limit=abc&v=%ff", "?before=99999999999999999999&limit=0&v=-1"} {
					if q != "" && rt.Method != http.MethodGet {
						continue
					}
					bodies := bodies
					if i > 0 { // a bad path fails before the body matters
						bodies = garbageBodies[:2]
					}
					for _, body := range bodies {
						for _, as := range users {
							r := f.do(nil, rt.Method, path+q, body, as)
							requests++
							if r.status >= 500 {
								t.Fatalf("%s %s%s as %q with %.40q: %d %s", rt.Method, path, q, as, body, r.status, r.body)
							}
							if r.status >= 400 {
								r.problem(t)
							}
						}
					}
				}
			}
		}
		t.Logf("%d requests", requests)
	})
}
