package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Backup writes a consistent copy of a SQLite database to path (which must
// not exist) while the store stays in use, with VACUUM INTO
// (https://sqlite.org/lang_vacuum.html#vacuuminto). PostgreSQL databases are
// backed up with pg_dump instead: Backup returns an error saying so.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != dialectSQLite {
		return errors.New("backup: the database is PostgreSQL: use pg_dump (see docs/storage.md)")
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %s already exists", path)
	}
	// A connection of its own: the readers are query-only and the writer
	// must stay free for requests while the copy runs.
	db, err := sql.Open("sqlite", "file:"+s.path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
