package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/platform/blob"
)

// countBlobs counts the blob files under a data directory (tmp/ aside).
func countBlobs(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "tmp" {
			return filepath.SkipDir
		}
		if !d.IsDir() && len(d.Name()) == 64 {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// gc on the demo database: its evidence stays, an old orphan goes (only
// counted in a dry run), a young orphan stays; a wrong --db is refused.
func TestGC(t *testing.T) {
	dir := t.TempDir()
	db, data := writeDemoDB(t)
	demoFiles := countBlobs(t, data)
	if demoFiles == 0 {
		t.Fatal("the demo stored no evidence files")
	}
	files, err := blob.NewFS(data)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	orphan, _, _, err := files.Put(ctx, strings.NewReader("orphan"), 100)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := files.Put(ctx, strings.NewReader("young orphan"), 100); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour)
	orphanPath := filepath.Join(data, orphan[:2], orphan[2:4], orphan)
	if err := os.Chtimes(orphanPath, old, old); err != nil {
		t.Fatal(err)
	}

	stdout, stderr, code := runFrameworkCLI(t, "gc", "--db", db, "--data-dir", data, "--dry-run")
	if code != 0 || !strings.HasPrefix(stdout, "would remove 1 orphaned file (6 B)\n") ||
		!strings.Contains(stdout, "kept 1 unreferenced file younger than 1h0m0s (12 B)") {
		t.Fatalf("dry run: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(orphanPath); err != nil {
		t.Fatalf("the dry run removed the orphan: %v", err)
	}
	stdout, stderr, code = runFrameworkCLI(t, "gc", "--db", db, "--data-dir", data)
	if code != 0 || !strings.HasPrefix(stdout, "removed 1 orphaned file (6 B)\n") {
		t.Fatalf("gc: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(orphanPath); !os.IsNotExist(err) {
		t.Errorf("the orphan is still there: %v", err)
	}
	if got := countBlobs(t, data); got != demoFiles+1 {
		t.Errorf("%d files left, want the demo's %d and the young orphan", got, demoFiles)
	}

	// A mistyped --db is refused, and a database without any evidence
	// removes nothing without --empty-db-ok.
	if _, stderr, code := runFrameworkCLI(t, "gc", "--db", filepath.Join(dir, "typo.db"), "--data-dir", data); code == 0 ||
		!strings.Contains(stderr, "typo.db") {
		t.Errorf("missing database: exit %d, %s", code, stderr)
	}
	empty := filepath.Join(dir, "empty.db")
	if _, stderr, code := runFrameworkCLI(t, "migrate", "--db", empty); code != 0 {
		t.Fatal(stderr)
	}
	_, stderr, code = runFrameworkCLI(t, "gc", "--db", empty, "--data-dir", data, "--min-age", "0s")
	if code == 0 || !strings.Contains(stderr, "names no evidence at all") || !strings.Contains(stderr, "--empty-db-ok") {
		t.Errorf("empty database: exit %d, %s", code, stderr)
	}
	if got := countBlobs(t, data); got != demoFiles+1 {
		t.Errorf("an empty database removed files: %d left", got)
	}
}
