package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/demo"
	"github.com/strategieraum/strategieraum/backend/domain"
)

// TestBackupWhileWritingAndRestore backs up a database with contributions
// while an editor keeps typing, restores it elsewhere, and checks that the
// copy is one consistent moment: every section's op log is a prefix of the
// live one, its text is the live text at that version, and threads and
// statements are identical.
func TestBackupWhileWritingAndRestore(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	src := filepath.Join(dir, "live.db")
	db, err := openDB(ctx, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := demo.Seed(ctx, demo.Deps{Users: db, Strategies: db}, "demo-passwort-fuer-tests", time.Now()); err != nil {
		t.Fatal(err)
	}
	ops := collab.New(db, collab.Options{Logger: discardLogger()})
	defer ops.Close()
	svc := consult.New(consult.Deps{Store: db, Strategies: db, Users: db, OpLog: ops, History: ops, Audit: db, Logger: discardLogger()})
	strategies, err := db.FindStrategies(ctx)
	if err != nil || len(strategies) != 1 {
		t.Fatalf("strategies: %v %d", err, len(strategies))
	}
	st, err := db.FindStrategyByID(ctx, strategies[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	sections, err := db.FindSections(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	land, err := db.FindUserByEmail(ctx, "beteiligung@by.example")
	if err != nil {
		t.Fatal(err)
	}
	var open []*domain.Section // final sections take no comments
	for _, sec := range sections {
		if sec.Status == domain.SectionConsultation {
			open = append(open, sec)
		}
	}
	for _, sec := range open[:3] {
		if _, err := svc.CreateThread(ctx, land, consult.NewThread{SectionID: sec.ID, Kind: domain.KindKommentar,
			Start: 0, End: 10, Version: sec.Version, Body: "Bitte den Bezug zu den Leitlinien ergänzen."}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.SaveStatement(ctx, land, st.ID, consult.StatementInput{Position: domain.PositionZustimmungMitAenderungen,
		Body: "Bayern stimmt mit den genannten Änderungen zu."}); err != nil {
		t.Fatal(err)
	}

	// An editor types into a section open for editing until the backup is done.
	edited := -1
	for i, sec := range sections {
		if sec.Status != domain.SectionFinal && edited < 0 {
			edited = i
		}
	}
	if edited < 0 {
		t.Fatal("no demo section is open for editing")
	}
	writing, stop, stopped := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		v := sections[edited].Version
		for seq := int64(1); ; seq++ {
			res, err := ops.Submit(ctx, domain.SubmitRequest{Doc: domain.SectionDoc(sections[edited].ID), BaseVersion: v,
				Op: json.RawMessage(`["x"]`), UserID: land.ID, ClientID: "backup-test", Seq: seq})
			if err != nil {
				stopped <- err
				return
			}
			v = res.Op.Version
			if seq == 20 {
				close(writing)
			}
			select {
			case <-stop:
				stopped <- nil
				return
			default:
			}
		}
	}()
	select {
	case <-writing:
	case err := <-stopped:
		t.Fatalf("the editor stopped before the backup: %v", err)
	}
	backup := filepath.Join(dir, "backups", "s.db")
	if out, stderr, err := runCmd(t, nil, "", "backup", "--database", src, "--out", backup); err != nil || !strings.Contains(out, backup) {
		t.Fatalf("backup: %v %q %q", err, out, stderr)
	}
	close(stop)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, nil, "", "backup", "--database", src, "--out", backup); err == nil {
		t.Fatal("backup overwrote an existing file")
	}

	restored := filepath.Join(dir, "elsewhere", "restored.db")
	if out, _, err := runCmd(t, nil, "", "restore", "--database", restored, "--from", backup); err != nil || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %v %q", err, out)
	}
	rdb, err := openDB(ctx, restored, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()

	for i, sec := range sections {
		live, err := db.OpsSince(ctx, domain.SectionDoc(sec.ID), 0, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		copied, err := rdb.OpsSince(ctx, domain.SectionDoc(sec.ID), 0, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if len(copied) > len(live) || !reflect.DeepEqual(copied, live[:len(copied)]) {
			t.Fatalf("section %d: the backup's %d ops are not a prefix of the live %d", sec.ID, len(copied), len(live))
		}
		if i == edited && len(copied) < 20 {
			t.Fatalf("section %d: backup has %d ops, the 20 written before it started are missing", sec.ID, len(copied))
		}
		head, text, err := rdb.DocText(ctx, domain.SectionDoc(sec.ID))
		if err != nil {
			t.Fatal(err)
		}
		want, err := db.TextAt(ctx, domain.SectionDoc(sec.ID), head.Version)
		if err != nil {
			t.Fatal(err)
		}
		if text != want {
			t.Fatalf("section %d at version %d: restored text differs from the live text at that version", sec.ID, head.Version)
		}
	}
	threads, _ := db.FindThreads(ctx, domain.ThreadFilter{StrategyID: st.ID})
	rthreads, err := rdb.FindThreads(ctx, domain.ThreadFilter{StrategyID: st.ID})
	if err != nil || len(threads) != 3 || !reflect.DeepEqual(threads, rthreads) {
		t.Fatalf("threads differ after restore: %v\n%+v\n%+v", err, threads, rthreads)
	}
	statements, _ := db.FindStatements(ctx, st.CurrentPhase.ID)
	rstatements, err := rdb.FindStatements(ctx, st.CurrentPhase.ID)
	if err != nil || len(statements) != 1 || !reflect.DeepEqual(statements, rstatements) {
		t.Fatalf("statements differ after restore: %v\n%+v\n%+v", err, statements, rstatements)
	}

	// The restored database is not empty now: restoring over it needs --force.
	if _, _, err := runCmd(t, nil, "", "restore", "--database", restored, "--from", backup); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore over a database: %v", err)
	}
	rdb.Close()
	if _, _, err := runCmd(t, nil, "", "restore", "--database", restored, "--from", backup, "--force"); err != nil {
		t.Fatalf("restore --force: %v", err)
	}
}

func TestRestoreRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte("this is not a database, just text long enough to look like a file"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"missing backup": {"restore", "--database", filepath.Join(dir, "a.db"), "--from", filepath.Join(dir, "none.db")},
		"not a database": {"restore", "--database", filepath.Join(dir, "b.db"), "--from", junk},
		"no --from":      {"restore", "--database", filepath.Join(dir, "c.db")},
		"no --out":       {"backup", "--database", filepath.Join(dir, "d.db")},
		"no database":    {"backup", "--database", filepath.Join(dir, "none", "s.db"), "--out", filepath.Join(dir, "f.db")},
		"postgres":       {"backup", "--database", "postgres://u@db/s", "--out", filepath.Join(dir, "e.db")},
	} {
		if _, _, err := runCmd(t, nil, "", args...); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	for _, left := range []string{"b.db", "b.db.restoring", "none/s.db", "f.db"} {
		if _, err := os.Stat(filepath.Join(dir, left)); err == nil {
			t.Errorf("a failed command left %s behind", left)
		}
	}
}

// TestRefusesNewerDatabase: a database migrated by a newer release is
// refused by serve, migrate up and restore, naming the versions.
func TestRefusesNewerDatabase(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "s.db")
	vars := map[string]string{"STRATEGIERAUM_DATABASE_URL": dbPath}
	if _, _, err := runCmd(t, vars, "", "migrate", "up"); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "b.db")
	markNewer(t, dbPath)
	for _, args := range [][]string{{"migrate", "up"}, {"serve", "--addr", "127.0.0.1:-1"}, {"backup", "--out", backup}} {
		_, _, err := runCmd(t, vars, "", args...)
		if args[0] == "backup" {
			// A backup of a newer database is allowed; restoring it is not.
			if err != nil {
				t.Fatalf("backup: %v", err)
			}
			_, _, err = runCmd(t, nil, "", "restore", "--database", filepath.Join(t.TempDir(), "r.db"), "--from", backup)
		}
		if err == nil || !strings.Contains(err.Error(), "9999_from_the_future") || !strings.Contains(err.Error(), "knows up to") {
			t.Errorf("%v on a newer database: %v", args, err)
		}
	}
}

// markNewer records a migration no release of this binary has.
func markNewer(t *testing.T, path string) {
	t.Helper()
	driver := ""
	for _, d := range sql.Drivers() {
		if strings.Contains(d, "sqlite") {
			driver = d
		}
	}
	if driver == "" {
		t.Fatal("no SQLite database/sql driver registered")
	}
	conn, err := sql.Open(driver, path)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', '2030-01-01 00:00:00+00:00')"); err != nil {
		t.Fatal(err)
	}
}
