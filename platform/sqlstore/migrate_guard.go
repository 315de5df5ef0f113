package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/sceval/sceval/platform"
)

// CodeMigrationChanged is the error code of a database whose applied
// migrations differ from this build's migration files.
const CodeMigrationChanged = "migration_changed"

// checksum is the SHA-256 of the migration file as released (before the
// dialect placeholders are replaced), hex-encoded.
func (m migration) checksum() string {
	sum := sha256.Sum256([]byte(m.sql))
	return hex.EncodeToString(sum[:])
}

// appliedMigration is one row of schema_migrations.
type appliedMigration struct {
	version  int
	name     string
	checksum string
}

// hasMigrationsTable reports whether schema_migrations exists, from the
// catalogue (no DDL, no failed statement).
func (s *Store) hasMigrationsTable(ctx context.Context) (bool, error) {
	query := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if s.dialect == dialectPostgres {
		// to_regclass resolves the name through search_path, as the
		// statements of the store do.
		query = `SELECT COUNT(*) FROM (SELECT to_regclass('schema_migrations') AS t) r WHERE r.t IS NOT NULL`
	}
	var n int
	if err := s.rdb.QueryRowContext(ctx, query).Scan(&n); err != nil {
		return false, fmt.Errorf("look for schema_migrations: %w", err)
	}
	return n > 0, nil
}

// ensureMigrationsTable creates schema_migrations, and adds the checksum
// column to one created by an sceval from before checksums (its rows get
// their checksums from this build's files in verifyApplied).
func (s *Store) ensureMigrationsTable(ctx context.Context) error {
	if _, err := s.wdb.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL, checksum TEXT NOT NULL DEFAULT '')`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var n int
	query := `SELECT COUNT(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'`
	if s.dialect == dialectPostgres {
		query = `SELECT COUNT(*) FROM pg_attribute WHERE attrelid = to_regclass('schema_migrations') AND attname = 'checksum' AND NOT attisdropped`
	}
	if err := s.wdb.QueryRowContext(ctx, query).Scan(&n); err != nil {
		return fmt.Errorf("inspect schema_migrations: %w", err)
	}
	if n == 0 {
		if _, err := s.wdb.ExecContext(ctx, `ALTER TABLE schema_migrations ADD COLUMN checksum TEXT NOT NULL DEFAULT ''`); err != nil {
			return fmt.Errorf("add checksum to schema_migrations: %w", err)
		}
	}
	return nil
}

// appliedMigrations reads schema_migrations in version order.
func (s *Store) appliedMigrations(ctx context.Context) ([]appliedMigration, error) {
	rows, err := s.wdb.QueryContext(ctx, `SELECT version, name, checksum FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	var out []appliedMigration
	for rows.Next() {
		var a appliedMigration
		if err := rows.Scan(&a.version, &a.name, &a.checksum); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// verifyApplied compares every applied migration with this build's file of
// the same version and returns the files not applied yet, in order. Each
// applied version must have a file whose checksum matches, else the
// database was migrated with files that have since been edited (or with
// another build's history) and applying more could break it. Rows recorded
// before checksums existed get this build's checksum (their files are
// trusted once). Versions need not be consecutive: numbers are handed out
// to changes developed side by side, so a build may lack some.
func (s *Store) verifyApplied(ctx context.Context, ms []migration, applied []appliedMigration) ([]migration, error) {
	files := make(map[int]migration, len(ms))
	for _, m := range ms {
		files[m.version] = m
	}
	done := make(map[int]bool, len(applied))
	for _, a := range applied {
		m, ok := files[a.version]
		if !ok {
			return nil, platform.Errorf(platform.Conflict, CodeMigrationChanged,
				"the database has migration %d (%s), which this sceval does not have: its migration history is another build's", a.version, a.name)
		}
		done[a.version] = true
		if a.checksum == "" {
			if _, err := s.wdb.ExecContext(ctx, `UPDATE schema_migrations SET checksum = $1 WHERE version = $2 AND checksum = ''`,
				m.checksum(), a.version); err != nil {
				return nil, fmt.Errorf("record checksum of migration %d: %w", a.version, err)
			}
			continue
		}
		if a.checksum != m.checksum() {
			return nil, platform.Errorf(platform.Conflict, CodeMigrationChanged,
				"migration %05d_%s was changed after it was applied to this database (applied checksum %.12s…, file %.12s…): "+
					"a released migration is never edited — restore the file as released and put the change in a new migration",
				m.version, m.name, a.checksum, m.checksum())
		}
	}
	var pending []migration
	for _, m := range ms {
		if !done[m.version] {
			pending = append(pending, m)
		}
	}
	return pending, nil
}

// migrationLockKey identifies sceval's migration lock among PostgreSQL
// advisory locks; hashed with the schema so that databases in separate
// schemas of one server (tests, tenants) do not wait for each other.
const migrationLockKey = "sceval.migrate."

// migrationLock takes PostgreSQL's session advisory lock for migrations on
// a connection of its own, held until the returned function runs, so that
// sceval processes started together against one database migrate one at a
// time (https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS).
// SQLite needs none: its migration transactions take the write lock. An
// engine without advisory locks (some distributed PostgreSQL-compatible
// ones) is warned about and migrated without: the primary key of
// schema_migrations then makes the second of two racing replicas fail
// instead of applying a migration twice.
func (s *Store) migrationLock(ctx context.Context) (func(), error) {
	if s.dialect != dialectPostgres {
		return func() {}, nil
	}
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	_, err = conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext($1 || current_schema()))`, migrationLockKey)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "42883" || pe.Code == "0A000") { // undefined_function, feature_not_supported
		conn.Close()
		s.logger.Warn("database has no advisory locks: start one sceval first, or run sceval migrate before starting replicas", "err", err)
		return func() {}, nil
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext($1 || current_schema()))`, migrationLockKey); err != nil {
			s.logger.Warn("release migration lock", "err", err)
			conn.Raw(func(any) error { return driver.ErrBadConn }) // drop the session, and its lock, with the connection
		}
		conn.Close()
	}, nil
}
