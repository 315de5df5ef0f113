package sqlstore_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// eachUnmigrated runs fn on an empty SQLite file and an empty PostgreSQL
// schema, with the DSN to open more stores on the same database.
func eachUnmigrated(t *testing.T, fn func(t *testing.T, dsn string, s *sqlstore.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		dsn := filepath.Join(t.TempDir(), "sceval.db")
		fn(t, dsn, sqlstoretest.OpenUnmigrated(t, dsn))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := sqlstoretest.PostgresDSN(t, nil)
		fn(t, dsn, sqlstoretest.OpenUnmigrated(t, dsn))
	})
}

// TestSchemaVersionOnlyReads: asking an empty database its version answers
// 0 and leaves it empty (before, it created schema_migrations).
func TestSchemaVersionOnlyReads(t *testing.T) {
	eachUnmigrated(t, func(t *testing.T, _ string, s *sqlstore.Store) {
		ctx := context.Background()
		v, err := s.SchemaVersion(ctx)
		if err != nil || v != 0 {
			t.Fatalf("version of an empty database = %d, %v; want 0", v, err)
		}
		if err := s.ExecForTest(ctx, `SELECT 1 FROM schema_migrations`); err == nil {
			t.Fatal("SchemaVersion created schema_migrations")
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if v, err := s.SchemaVersion(ctx); err != nil || v != sqlstore.KnownSchemaVersion() {
			t.Fatalf("after Migrate: version %d, %v; want %d", v, err, sqlstore.KnownSchemaVersion())
		}
	})
}

// TestMigrateRefusesAChangedMigration: an applied migration whose recorded
// checksum is not its file's (the file was edited after release) stops
// Migrate with a message naming the file; a row from before checksums gets
// the file's checksum and passes.
func TestMigrateRefusesAChangedMigration(t *testing.T) {
	eachUnmigrated(t, func(t *testing.T, _ string, s *sqlstore.Store) {
		ctx := context.Background()
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.ExecForTest(ctx, `UPDATE schema_migrations SET checksum = '' WHERE version = 1`); err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("row without checksum (older sceval): %v", err)
		}
		var sum string
		if err := s.QueryRowForTest(ctx, `SELECT checksum FROM schema_migrations WHERE version = 1`).Scan(&sum); err != nil || len(sum) != 64 {
			t.Fatalf("checksum recorded for the old row: %q, %v", sum, err)
		}
		if err := s.ExecForTest(ctx, `UPDATE schema_migrations SET checksum = 'feedfacefeedface' WHERE version = 1 AND checksum <> ''`); err != nil {
			t.Fatal(err)
		}
		err := s.Migrate(ctx)
		wantKind(t, err, platform.Conflict, sqlstore.CodeMigrationChanged)
		for _, want := range []string{"migration 00001_init was changed after it was applied", "applied checksum feedfacefeed…", "new migration"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
		}
	})
}

// TestMigrateAddsChecksumColumn: a schema_migrations table made by an
// sceval from before checksums gains the column and its rows their
// checksums.
func TestMigrateAddsChecksumColumn(t *testing.T) {
	eachUnmigrated(t, func(t *testing.T, _ string, s *sqlstore.Store) {
		ctx := context.Background()
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.ExecForTest(ctx, `ALTER TABLE schema_migrations DROP COLUMN checksum`); err != nil {
			t.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.ExecForTest(ctx, `UPDATE schema_migrations SET checksum = 'x' WHERE version = 1 AND checksum <> ''`); err != nil {
			t.Fatal(err)
		}
		wantKind(t, s.Migrate(ctx), platform.Conflict, sqlstore.CodeMigrationChanged)
	})
}

// TestReplicasMigrateTogether (PostgreSQL): several processes starting at
// once against one empty database all succeed, and each migration is
// applied once. Without the advisory lock the second CREATE TABLE of a
// racing replica failed.
func TestReplicasMigrateTogether(t *testing.T) {
	dsn := sqlstoretest.PostgresDSN(t, nil)
	const replicas = 4
	stores := make([]*sqlstore.Store, replicas)
	for i := range stores {
		stores[i] = sqlstoretest.OpenUnmigrated(t, dsn)
	}
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Go(func() { errs[i] = s.Migrate(context.Background()) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
	v, err := stores[0].SchemaVersion(context.Background())
	if err != nil || v != sqlstore.KnownSchemaVersion() {
		t.Fatalf("version %d, %v; want %d", v, err, sqlstore.KnownSchemaVersion())
	}
}

// TestResultColumnsCompressedWithLZ4 (PostgreSQL): Migrate has the packed
// result columns compressed with LZ4 where the server supports it.
func TestResultColumnsCompressedWithLZ4(t *testing.T) {
	s := sqlstoretest.Postgres(t)
	ctx := context.Background()
	if err := s.ExecForTest(ctx, `SET default_toast_compression = lz4`); err != nil {
		t.Skipf("this PostgreSQL has no LZ4: %v", err)
	}
	var n int
	if err := s.QueryRowForTest(ctx, `SELECT COUNT(*) FROM pg_attribute WHERE attrelid = to_regclass('result_nodes')
		AND attcompression = 'l'`).Scan(&n); err != nil || n != 4 {
		t.Fatalf("%d LZ4 columns in result_nodes, %v; want 4", n, err)
	}
}
