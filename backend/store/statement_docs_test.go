package store_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
	"github.com/strategieraum/strategieraum/migrations"
)

// migrationsUpTo is the embedded migrations of db's dialect up to version
// last, as an older release shipped them.
func migrationsUpTo(t *testing.T, db *store.DB, last int) fstest.MapFS {
	t.Helper()
	files, err := migrations.FS.ReadDir(db.Dialect())
	must(t, err)
	out := fstest.MapFS{}
	for _, f := range files {
		var v int
		if _, err := fmt.Sscanf(f.Name(), "%04d_", &v); err != nil {
			t.Fatalf("migration %s: %v", f.Name(), err)
		}
		if v > last {
			continue
		}
		body, err := migrations.FS.ReadFile(db.Dialect() + "/" + f.Name())
		must(t, err)
		out[db.Dialect()+"/"+f.Name()] = &fstest.MapFile{Data: body}
	}
	return out
}

// A draft written before statements became live documents (schema 20)
// becomes a document with its text at version 0; a submitted version keeps
// its text and HTML.
func TestMigrateStatementDrafts(t *testing.T) {
	run := func(t *testing.T, url string) {
		db, err := store.Open(ctx, url, nil)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		must(t, db.MigrateFS(ctx, migrationsUpTo(t, db, 20)))
		if err := db.ExecRaw(ctx, "SELECT doc_version FROM statements"); err == nil {
			t.Fatal("schema 20 already has statements.doc_version")
		}

		s := newStrategy(t, db, "Föderale Digitalstrategie")
		p := &domain.Phase{StrategyID: s.ID, Kind: domain.PhaseBeteiligung}
		must(t, db.AddPhase(ctx, p))
		hh := newUser(t, db, "anna@hamburg.de", "HH", domain.RoleLand)
		by := newUser(t, db, "bernd@bayern.de", "BY", domain.RoleLand)
		const draft = "Hamburg stimmt **mit Änderungen** zu.\n\n– Übergänge, „Zitate“ und 🙂 bleiben."
		const submitted = "Bayern stimmt zu."
		now := time.Now().UTC().Format("2006-01-02 15:04:05")
		insert := func(u *domain.User, body, html, submittedAt string) {
			t.Helper()
			by, at := "NULL", "NULL"
			if submittedAt != "" {
				by, at = fmt.Sprint(u.ID), "'"+submittedAt+"'"
			}
			must(t, db.ExecRaw(ctx, fmt.Sprintf("INSERT INTO statements (strategy_id, phase_id, org_id, version, position, body, html, "+
				"updated_by, updated_at, submitted_by, submitted_at, created_at, revision) VALUES (%d, %d, %d, 1, 'zustimmung', '%s', '%s', %d, '%s', %s, %s, '%s', 1)",
				s.ID, p.ID, u.OrgID, strings.ReplaceAll(body, "'", "''"), html, u.ID, now, by, at, now)))
		}
		insert(hh, draft, "<p>alt</p>", "")
		insert(by, submitted, "<p>Bayern stimmt zu.</p>", now)

		must(t, db.Migrate(ctx))
		got, err := db.FindStatement(ctx, p.ID, hh.OrgID)
		must(t, err)
		if got.Body != draft || got.DocVersion != 0 || got.Submitted() || got.HTML != "" {
			t.Fatalf("migrated draft = %+v", got)
		}
		head, text, err := db.DocText(ctx, domain.StatementDoc(got.ID))
		must(t, err)
		if text != draft || head.Version != 0 || head.Final {
			t.Fatalf("draft document = %q at %+v", text, head)
		}
		sub, err := db.FindStatement(ctx, p.ID, by.OrgID)
		must(t, err)
		if sub.Body != submitted || sub.HTML != "<p>Bayern stimmt zu.</p>" || sub.DocVersion != 0 || !sub.Submitted() {
			t.Fatalf("migrated submitted version = %+v", sub)
		}
		if head, text, err := db.DocText(ctx, domain.StatementDoc(sub.ID)); err != nil || text != submitted || !head.Final {
			t.Fatalf("submitted document = %q at %+v, %v", text, head, err)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, t.TempDir()+"/v20.db") })
	t.Run("postgres", func(t *testing.T) { run(t, storetest.PostgresURL(t)) })
}
