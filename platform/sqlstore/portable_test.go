package sqlstore_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/sceval/sceval/demo/demotest"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

var adminCtx = platform.WithIdentity(context.Background(), platform.Identity{User: "test-admin", Roles: []string{"admin"}})

// demoSQLite returns a new SQLite store holding the demo (pilots, four
// cycles, submissions in every state, evidence, expert rounds, results: rows
// in most tables), the test's own copy of demotest's template, and a
// service on it.
func demoSQLite(t *testing.T) (*sqlstore.Store, *platform.Service) {
	t.Helper()
	db, data, _ := demotest.Demo.Copy(t)
	s := sqlstoretest.OpenUnmigrated(t, db)
	blobs, err := blob.NewFS(data)
	if err != nil {
		t.Fatal(err)
	}
	return s, platform.NewService(s, blobs, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
}

// tablesOf exports s and returns the tables part (the header, with the
// database's name and the time, left out).
func tablesOf(t *testing.T, s *sqlstore.Store) (string, sqlstore.PortableStats) {
	t.Helper()
	var b bytes.Buffer
	stats, err := s.ExportAll(context.Background(), &b)
	if err != nil {
		t.Fatal(err)
	}
	_, tables, ok := strings.Cut(b.String(), "\n")
	if !ok {
		t.Fatalf("export has no second line: %.200s", b.String())
	}
	return tables, stats
}

// rowCount counts a table's rows with plain SQL, independently of the
// export.
func rowCount(t *testing.T, s *sqlstore.Store, table string) int {
	t.Helper()
	n, err := s.CountRowsForTest(context.Background(), table)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// The demo exported from SQLite, imported into PostgreSQL, exported again
// and imported into a new SQLite file: the tables are the same at every
// step, the counts agree with COUNT(*), the audit trail verifies, the
// ranking reads the same through the service, and new rows get new ids.
func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	src, svc := demoSQLite(t)
	want, stats := tablesOf(t, src)
	if stats.Rows < 1000 || len(stats.EvidenceSums) == 0 {
		t.Fatalf("demo export: %d rows, %d evidence files", stats.Rows, len(stats.EvidenceSums))
	}
	for table, n := range stats.Tables {
		if c := rowCount(t, src, table); c != n {
			t.Errorf("table %s: exported %d rows, COUNT(*) %d", table, n, c)
		}
	}
	for _, table := range []string{"pilots", "entries", "evidence", "audit_log", "result_nodes", "review_scores"} {
		if stats.Tables[table] == 0 {
			t.Errorf("table %s: no rows in the demo export", table)
		}
	}
	var file bytes.Buffer
	if _, err := src.ExportAll(ctx, &file); err != nil {
		t.Fatal(err)
	}
	stores := []*sqlstore.Store{sqlstoretest.SQLite(t)}
	if dsn := postgresOrSkipNote(t); dsn != "" {
		stores = append([]*sqlstore.Store{sqlstoretest.Postgres(t)}, stores...)
	}
	for _, dst := range stores {
		got, err := dst.ImportAll(ctx, bytes.NewReader(file.Bytes()))
		if err != nil {
			t.Fatalf("import: %v", err)
		}
		if got.Rows != stats.Rows {
			t.Errorf("imported %d rows, exported %d", got.Rows, stats.Rows)
		}
		tables, _ := tablesOf(t, dst)
		if tables != want {
			t.Fatalf("tables differ after import (%d bytes vs %d)", len(tables), len(want))
		}
		file.Reset()
		if _, err := dst.ExportAll(ctx, &file); err != nil {
			t.Fatal(err)
		}
		checkUsable(t, dst, svc) // adds a pilot: after the export
	}
}

// postgresOrSkipNote returns the PostgreSQL test DSN; without one it
// reports a skipped subtest "postgres" (the SQLite half still runs).
func postgresOrSkipNote(t *testing.T) string {
	dsn := os.Getenv(sqlstoretest.PostgresEnv)
	if dsn == "" {
		t.Run("postgres", func(t *testing.T) {
			t.Skip(sqlstoretest.PostgresEnv + " not set: skipping the PostgreSQL half (SQLite → SQLite only)")
		})
	}
	return dsn
}

// checkUsable checks an imported store: its audit trail verifies, its
// ranking equals the source's, and a new pilot gets an id past the
// imported ones (PostgreSQL's identity sequence moved).
func checkUsable(t *testing.T, dst *sqlstore.Store, srcSvc *platform.Service) {
	t.Helper()
	v, err := platform.VerifyAuditChain(context.Background(), dst)
	if err != nil || !v.OK || v.Rows == 0 {
		t.Fatalf("audit chain after import: %+v, %v", v, err)
	}
	svc := platform.NewService(dst, nil, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	cycles, _, err := svc.ListCycles(adminCtx, platform.CycleFilter{})
	if err != nil || len(cycles) == 0 {
		t.Fatalf("cycles: %v %v", cycles, err)
	}
	// Every cycle of the demo story reads the same ranking.
	for _, c := range cycles {
		want, _, err := srcSvc.ListResults(adminCtx, platform.ResultFilter{CycleID: c.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := svc.ListResults(adminCtx, platform.ResultFilter{CycleID: c.ID, Limit: 100})
		if err != nil || len(got) != len(want) || len(got) == 0 {
			t.Fatalf("cycle %d results: %d rows (want %d), %v", c.ID, len(got), len(want), err)
		}
		for i := range got {
			if got[i].PilotID != want[i].PilotID || *got[i].Score != *want[i].Score || *got[i].Rank != *want[i].Rank {
				t.Fatalf("cycle %d result %d: %+v, want %+v", c.ID, i, got[i], want[i])
			}
		}
	}
	_, n, err := svc.ListPilots(adminCtx, platform.PilotFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	p, err := dst.CreatePilot(context.Background(), newPilot("110105", "2099"))
	if err != nil || p.ID <= int64(n) {
		t.Fatalf("new pilot after import: id %d (of %d pilots), %v", p.ID, n, err)
	}
}

// An import refuses a database with data, a file of another schema
// version and a damaged file, changing nothing.
func TestImportRefuses(t *testing.T) {
	ctx := context.Background()
	src, _ := demoSQLite(t)
	var file bytes.Buffer
	if _, err := src.ExportAll(ctx, &file); err != nil {
		t.Fatal(err)
	}
	if _, err := src.ImportAll(ctx, bytes.NewReader(file.Bytes())); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("import into the source: %v, want not empty", err)
	}
	dst := sqlstoretest.SQLite(t)
	empty, _ := tablesOf(t, dst)
	cut := file.Bytes()[:file.Len()*2/3]
	if _, err := dst.ImportAll(ctx, bytes.NewReader(cut)); err == nil {
		t.Error("a truncated file was imported")
	}
	other := bytes.Replace(file.Bytes(), []byte(`"schema_version":`), []byte(`"schema_version":9`), 1)
	if _, err := dst.ImportAll(ctx, bytes.NewReader(other)); err == nil || !strings.Contains(err.Error(), "schema version") {
		t.Errorf("another schema version: %v", err)
	}
	if after, _ := tablesOf(t, dst); after != empty {
		t.Error("a failed import left rows behind")
	}
}
