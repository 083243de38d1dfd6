package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// freshPostgresDatabase returns base with search_path set to a new schema
// that is dropped when the test ends, so tests never see each other's rows.
func freshPostgresDatabase(t *testing.T, base string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "cmd_" + hex.EncodeToString(b)
	conn, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := sql.Open("pgx", base)
		if err == nil {
			c.Exec("DROP SCHEMA " + schema + " CASCADE")
			c.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
