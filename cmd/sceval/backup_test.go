package main

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/demo/demotest"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

var backupAdmin = platform.WithIdentity(context.Background(), platform.Identity{User: "test-admin", Roles: []string{"admin"}})

// demoTemplate is the demo as `sceval demo` writes it (with its accounts),
// seeded once per test process and copied per test (see demotest).
var demoTemplate = demotest.NewTemplate(func(db, data string) (demo.Summary, error) {
	root := newRootCmd()
	var errOut bytes.Buffer
	root.SetOut(io.Discard)
	root.SetErr(&errOut)
	root.SetArgs([]string{"demo", "--db", db, "--data-dir", data})
	if err := root.Execute(); err != nil {
		return demo.Summary{}, fmt.Errorf("sceval demo: %v %s", err, errOut.String())
	}
	return demo.Summary{}, nil
})

// writeDemoDB returns a new SQLite file holding the demo (with its
// accounts) and its data directory: a copy of demoTemplate, the test's own.
func writeDemoDB(t *testing.T) (db, data string) {
	t.Helper()
	db, data, _ = demoTemplate.Copy(t)
	return db, data
}

// tablesIn exports a database and returns its tables (the header aside).
func tablesIn(t *testing.T, dsn string) (string, map[string]bool) {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var b bytes.Buffer
	stats, err := s.ExportAll(context.Background(), &b)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"pilots", "entries", "evidence", "users", "audit_log", "review_scores"} {
		if stats.Tables[table] == 0 {
			t.Errorf("%s: table %s is empty", dsn, table)
		}
	}
	_, tables, _ := strings.Cut(b.String(), "\n")
	return tables, stats.EvidenceSums
}

// sameEvidence checks that every file of sums has the same bytes in both
// data directories and that restored holds nothing else.
func sameEvidence(t *testing.T, orig, restored string, sums map[string]bool) {
	t.Helper()
	if len(sums) == 0 {
		t.Fatal("no evidence to compare")
	}
	for sum := range sums {
		a, err := os.ReadFile(blobFile(orig, sum))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(blobFile(restored, sum))
		if err != nil || !bytes.Equal(a, b) {
			t.Fatalf("evidence %s differs after restore (%v)", sum, err)
		}
	}
	if n := countBlobs(t, restored); n != len(sums) {
		t.Errorf("restored data directory holds %d files, want %d", n, len(sums))
	}
}

// The demo backed up and restored into a new directory: every table's rows,
// every evidence file's bytes and the audit chain are as before; a second
// restore over it is refused unless --force.
func TestBackupRestoreSQLite(t *testing.T) {
	db, data := writeDemoDB(t)
	out := filepath.Join(t.TempDir(), "sceval.tar.gz")
	stdout, stderr, code := runFrameworkCLI(t, "backup", "--db", db, "--data-dir", data, "--out", out)
	if code != 0 || !strings.Contains(stdout, "sqlite database") {
		t.Fatalf("backup: %s %s", stdout, stderr)
	}
	if _, stderr, code := runFrameworkCLI(t, "backup", "--db", db, "--data-dir", data, "--out", out); code == 0 || !strings.Contains(stderr, "already exists") {
		t.Errorf("backup over an existing archive: %d %s", code, stderr)
	}
	target := t.TempDir()
	rdb, rdata := filepath.Join(target, "new", "sceval.db"), filepath.Join(target, "data")
	stdout, stderr, code = runFrameworkCLI(t, "restore", "--in", out, "--db", rdb, "--data-dir", rdata)
	if code != 0 || !strings.Contains(stdout, "audit trail intact") {
		t.Fatalf("restore: %s %s", stdout, stderr)
	}
	want, sums := tablesIn(t, db)
	got, _ := tablesIn(t, rdb)
	if got != want {
		t.Fatal("restored tables differ from the original")
	}
	sameEvidence(t, data, rdata, sums)
	if stdout, stderr, code := runFrameworkCLI(t, "audit-log", "verify", "--db", rdb); code != 0 {
		t.Fatalf("audit-log verify: %s %s", stdout, stderr)
	}
	_, stderr, code = runFrameworkCLI(t, "restore", "--in", out, "--db", rdb, "--data-dir", rdata)
	if code == 0 || !strings.Contains(stderr, "not empty") {
		t.Errorf("restore over a database: %d %s", code, stderr)
	}
	if _, stderr, code := runFrameworkCLI(t, "restore", "--in", out, "--db", rdb, "--data-dir", rdata, "--force"); code != 0 {
		t.Fatalf("restore --force: %s", stderr)
	}
	if got, _ := tablesIn(t, rdb); got != want {
		t.Fatal("tables differ after restore --force")
	}
}

// A damaged archive (one evidence byte changed, or an entry with a path
// that leaves the target) is refused and no database is written.
func TestRestoreRefusesDamagedArchive(t *testing.T) {
	db, data := writeDemoDB(t)
	out := filepath.Join(t.TempDir(), "sceval.tar")
	if _, stderr, code := runFrameworkCLI(t, "backup", "--db", db, "--data-dir", data, "--out", out); code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	cases := map[string]func(name string, body []byte) (string, []byte){
		"flipped byte": func(name string, body []byte) (string, []byte) {
			if strings.HasPrefix(name, "evidence/") && len(body) > 0 {
				body = bytes.Clone(body)
				body[len(body)/2] ^= 1
			}
			return name, body
		},
		"traversal": func(name string, body []byte) (string, []byte) {
			if strings.HasPrefix(name, "evidence/") {
				return "../../" + name, body
			}
			return name, body
		},
	}
	for label, edit := range cases {
		t.Run(label, func(t *testing.T) {
			bad := rewriteArchive(t, out, edit)
			dir := t.TempDir()
			rdb := filepath.Join(dir, "r.db")
			_, stderr, code := runFrameworkCLI(t, "restore", "--in", bad, "--db", rdb, "--data-dir", filepath.Join(dir, "data"))
			if code == 0 {
				t.Fatal("a damaged archive was restored")
			}
			t.Log(stderr)
			if _, err := os.Stat(rdb); err == nil {
				t.Error("a database was written from a damaged archive")
			}
			if _, err := os.Stat(filepath.Join(dir, "..", "evidence")); err == nil {
				t.Error("an entry was written outside the data directory")
			}
		})
	}
}

// rewriteArchive copies a tar archive through edit.
func rewriteArchive(t *testing.T, name string, edit func(string, []byte) (string, []byte)) string {
	t.Helper()
	in, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	outName := filepath.Join(t.TempDir(), "bad.tar")
	out, err := os.Create(outName)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	tr, tw := tar.NewReader(in), tar.NewWriter(out)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		hdr.Name, body = edit(hdr.Name, body)
		hdr.Size = int64(len(body))
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write(body)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return outName
}

// A backup taken while pilots are being created holds a consistent state:
// it restores (restore verifies the audit trail), and it has between the
// pilots created before it started and all of them.
func TestBackupWhileWriting(t *testing.T) {
	db, data := writeDemoDB(t)
	deps, err := openPlatform(context.Background(), db, data, platform.DefaultMaxEvidenceSize, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer deps.store.Close()
	_, before, err := deps.service.ListPilots(backupAdmin, platform.PilotFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	codes := []string{"110101", "110102", "110106", "110107", "110109", "110111", "110112", "110113"}
	var wg sync.WaitGroup
	wg.Add(1)
	started := make(chan struct{})
	go func() {
		defer wg.Done()
		defer func() {
			select {
			case <-started:
			default:
				close(started)
			}
		}()
		for i := range 40 {
			if i == 10 {
				close(started)
			}
			p := platform.Pilot{RegionCode: codes[i%len(codes)], Name: fmt.Sprintf("在线备份%d", i), Batch: fmt.Sprintf("%d", 2030+i/len(codes)), Type: platform.PilotDistrict}
			if _, err := deps.service.CreatePilot(backupAdmin, p); err != nil {
				t.Errorf("create pilot %d: %v", i, err)
				return
			}
		}
	}()
	<-started
	out := filepath.Join(t.TempDir(), "online.tar")
	_, stderr, code := runFrameworkCLI(t, "backup", "--db", db, "--data-dir", data, "--out", out)
	wg.Wait()
	if code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	dir := t.TempDir()
	rdb := filepath.Join(dir, "r.db")
	if stdout, stderr, code := runFrameworkCLI(t, "restore", "--in", out, "--db", rdb, "--data-dir", filepath.Join(dir, "data")); code != 0 {
		t.Fatalf("restore: %s %s", stdout, stderr)
	}
	restored, err := openPlatform(context.Background(), rdb, filepath.Join(dir, "data"), platform.DefaultMaxEvidenceSize, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.store.Close()
	_, n, err := restored.service.ListPilots(backupAdmin, platform.PilotFilter{Limit: 1})
	if err != nil || n < before+10 || n > before+40 {
		t.Fatalf("restored %d pilots, want %d to %d (%v)", n, before+10, before+40, err)
	}
	t.Logf("backup caught %d of the 40 pilots created while it ran", n-before)
}

// A SQLite backup restored into PostgreSQL, backed up there (as the
// portable export) and restored into SQLite again: the same tables and
// files at every step.
func TestBackupRestoreAcrossDatabases(t *testing.T) {
	pg := sqlstoretest.PostgresDSN(t, nil)
	db, data := writeDemoDB(t)
	dir := t.TempDir()
	first := filepath.Join(dir, "first.tar.gz")
	if _, stderr, code := runFrameworkCLI(t, "backup", "--db", db, "--data-dir", data, "--out", first); code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	pgData := filepath.Join(dir, "pg-data")
	if stdout, stderr, code := runFrameworkCLI(t, "restore", "--in", first, "--db", pg, "--data-dir", pgData); code != 0 {
		t.Fatalf("restore into PostgreSQL: %s %s", stdout, stderr)
	}
	want, sums := tablesIn(t, db)
	if got, _ := tablesIn(t, pg); got != want {
		t.Fatal("PostgreSQL tables differ from the SQLite original")
	}
	second := filepath.Join(dir, "second.tar.gz")
	stdout, stderr, code := runFrameworkCLI(t, "backup", "--db", pg, "--data-dir", pgData, "--out", second)
	if code != 0 || !strings.Contains(stdout, "postgres database") {
		t.Fatalf("backup of PostgreSQL: %s %s", stdout, stderr)
	}
	back, backData := filepath.Join(dir, "back.db"), filepath.Join(dir, "back-data")
	if stdout, stderr, code := runFrameworkCLI(t, "restore", "--in", second, "--db", back, "--data-dir", backData); code != 0 {
		t.Fatalf("restore into SQLite: %s %s", stdout, stderr)
	}
	if got, _ := tablesIn(t, back); got != want {
		t.Fatal("tables differ after SQLite → PostgreSQL → SQLite")
	}
	sameEvidence(t, data, backData, sums)
	if _, stderr, code := runFrameworkCLI(t, "restore", "--in", second, "--db", pg, "--data-dir", filepath.Join(dir, "x"), "--force"); code == 0 || !strings.Contains(stderr, "not empty") {
		t.Errorf("restore over a non-empty PostgreSQL database: %d %s", code, stderr)
	}
}
