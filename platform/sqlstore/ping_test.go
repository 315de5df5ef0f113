package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform/sqlstore"
)

// A SQLite file deleted or replaced under a running server keeps answering
// on the open connections while every later write is lost: Ping, which
// /readyz reports, must fail.
func TestPingFailsWhenTheSQLiteFileIsRemovedOrReplaced(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, want string
		change     func(path string) error
	}{
		{"removed", "was it removed", os.Remove},
		{"replaced", "was replaced", func(path string) error {
			if err := os.Remove(path); err != nil {
				return err
			}
			return os.WriteFile(path, nil, 0o600)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.db")
			s, err := sqlstore.Open(ctx, path, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := s.Ping(ctx); err != nil {
				t.Fatalf("ping of a healthy database: %v", err)
			}
			if err := tc.change(path); err != nil {
				t.Fatal(err)
			}
			err = s.Ping(ctx)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("ping after the file was %s: %v, want an error naming %s and saying %q", tc.name, err, path, tc.want)
			}
		})
	}
}
