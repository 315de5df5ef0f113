// Package demotest hands tests a SQLite database holding the demo without
// seeding it each time. Seeding the demo (four cycles, 45 pilots, reviews,
// evidence, argon2id accounts) costs tens of seconds under the race
// detector, and many tests only need it as a starting point; so a test
// process seeds it once into a template (a database file and its evidence
// directory) and each test gets its own byte-for-byte copy, which it may
// change freely: tests stay independent. Tests of the seeding itself
// (package demo, the demo command) still seed.
//
// A package using it removes the template when its tests end:
//
//	func TestMain(m *testing.M) { os.Exit(demotest.Run(m)) }
package demotest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/region"
)

// Template is a seeded database kept for the test process, copied per test.
type Template struct {
	seed func(db, data string) (demo.Summary, error)

	once sync.Once
	dir  string
	sum  demo.Summary
	err  error
}

// NewTemplate returns a template made, on first use, by seed: it writes a
// SQLite database at db with its evidence files under data, and closes
// every connection to it before returning.
func NewTemplate(seed func(db, data string) (demo.Summary, error)) *Template {
	return &Template{seed: seed}
}

// Demo is the standard demo (demo.Seed, default options) on a migrated
// SQLite store with a file evidence store, as package demo's tests set it
// up.
var Demo = NewTemplate(seedDemo)

var templates struct {
	sync.Mutex
	made []*Template
}

// Run runs the tests and removes the templates they made; TestMain returns
// its code to os.Exit.
func Run(m *testing.M) int {
	code := m.Run()
	templates.Lock()
	defer templates.Unlock()
	for _, tp := range templates.made {
		if tp.dir != "" {
			os.RemoveAll(tp.dir)
		}
	}
	return code
}

// Copy copies the template (seeding it first if this is its first use) into
// t's temporary directory and returns the database file, the evidence
// directory and what the seed said; the ids in it are the copy's.
func (tp *Template) Copy(t testing.TB) (db, data string, sum demo.Summary) {
	t.Helper()
	tp.once.Do(tp.make)
	if tp.err != nil {
		t.Fatalf("demo template: %v", tp.err)
	}
	dir := t.TempDir()
	db, data = filepath.Join(dir, "demo.db"), filepath.Join(dir, "data")
	if err := copyFile(filepath.Join(tp.dir, "demo.db"), db); err != nil {
		t.Fatalf("copy the demo database: %v", err)
	}
	if err := copyTree(filepath.Join(tp.dir, "data"), data); err != nil {
		t.Fatalf("copy the demo evidence: %v", err)
	}
	return db, data, tp.sum
}

// make seeds the template into a directory of its own.
func (tp *Template) make() {
	dir, err := os.MkdirTemp("", "sceval-demo-template-")
	if err != nil {
		tp.err = err
		return
	}
	templates.Lock()
	tp.dir = dir
	templates.made = append(templates.made, tp)
	templates.Unlock()
	db := filepath.Join(dir, "demo.db")
	if tp.sum, tp.err = tp.seed(db, filepath.Join(dir, "data")); tp.err != nil {
		return
	}
	// With every connection closed SQLite has checkpointed its WAL into the
	// file: a copy of the file alone is the whole database.
	if fi, err := os.Stat(db + "-wal"); err == nil && fi.Size() > 0 {
		tp.err = fmt.Errorf("%s-wal is not empty after the seed closed the database", db)
	}
}

// seedDemo is Demo's seed.
func seedDemo(db, data string) (demo.Summary, error) {
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "demotest", Roles: []string{string(platform.RoleAdmin)}})
	store, err := sqlstore.Open(ctx, db, nil)
	if err != nil {
		return demo.Summary{}, err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return demo.Summary{}, err
	}
	blobs, err := blob.NewFS(data)
	if err != nil {
		return demo.Summary{}, err
	}
	regions, err := region.Default()
	if err != nil {
		return demo.Summary{}, err
	}
	svc := platform.NewService(store, blobs, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	return demo.Seed(ctx, svc, regions, demo.Options{})
}

// copyTree copies a directory tree, keeping the files' permissions.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			return os.MkdirAll(target, fi.Mode().Perm())
		}
		return copyFile(path, target)
	})
}

// copyFile copies one regular file with its permissions.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
