package sqlstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// createPrivate creates the SQLite database file at path, empty and
// readable by its owner only (0600), unless it exists already or path names
// an in-memory database. SQLite would otherwise create it with the process
// umask (0644 usually): readable by every local user although it holds every
// submission, while evidence blobs are 0600. SQLite gives the -wal and -shm
// files it creates the database file's permissions, so they are private too.
func createPrivate(path string) error {
	if path == "" || strings.HasPrefix(path, ":") {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) || errors.Is(err, fs.ErrNotExist) {
		return nil // exists; or its directory does not, which Open reports by name
	}
	if err != nil {
		return fmt.Errorf("create sqlite database %s: %w", path, err)
	}
	return f.Close()
}
