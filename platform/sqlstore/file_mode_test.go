//go:build unix

package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/sceval/sceval/platform/sqlstore"
)

// A new SQLite database and its WAL are readable by their owner only, as
// the evidence blobs are; the umask must not make them world-readable.
func TestSQLiteFileCreatedPrivate(t *testing.T) {
	old := syscall.Umask(0o022) // the common default, which gave 0644
	defer syscall.Umask(old)
	path := filepath.Join(t.TempDir(), "new.db")
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %#o, want 0600", filepath.Base(f), perm)
		}
	}
}
