// Package sqlstoretest opens migrated sqlstore databases for tests: SQLite in
// a temporary directory, and PostgreSQL in a fresh schema when the
// SCEVAL_TEST_POSTGRES environment variable names a server (for example
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable).
package sqlstoretest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/sceval/sceval/platform/sqlstore"
)

// PostgresEnv names the environment variable with the PostgreSQL test DSN.
const PostgresEnv = "SCEVAL_TEST_POSTGRES"

// SQLite returns a migrated store on a new file in t's temporary directory,
// closed at cleanup.
func SQLite(t testing.TB) *sqlstore.Store {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "sceval.db"))
}

// Postgres returns a migrated store in a fresh schema t_<random> of the
// server named by SCEVAL_TEST_POSTGRES, dropped at cleanup. It skips the
// test, loudly, when the variable is not set.
func Postgres(t testing.TB) *sqlstore.Store {
	t.Helper()
	return open(t, PostgresDSN(t))
}

// PostgresDSN returns the DSN of a fresh, empty schema t_<random> of the
// server named by SCEVAL_TEST_POSTGRES (dropped at cleanup), for tests that
// open the store themselves. It skips the test when the variable is not
// set.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " not set: skipping PostgreSQL tests")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", PostgresEnv, err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer db.Close()
		if _, err := db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// open opens and migrates a store, closed at cleanup.
func open(t testing.TB, dsn string) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}

// Each runs fn as subtests "sqlite" and "postgres" (the latter skipped,
// loudly, when SCEVAL_TEST_POSTGRES is not set).
func Each(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}
