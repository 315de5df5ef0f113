// Package sqlstore implements platform.Store on SQLite (the embedded
// default, pure Go through modernc.org/sqlite) and PostgreSQL (through pgx's
// database/sql driver). Both share the SQL in this package — plain statements
// with $n parameters, which SQLite accepts as well — and one migration
// history (migrations/).
//
// Concurrency model on SQLite: the database runs in WAL mode; all writes go
// through one writer connection (a *sql.DB with one open connection), so
// write transactions queue in Go instead of failing with SQLITE_BUSY, while a
// pool of read-only connections serves reads concurrently with the writer.
// On PostgreSQL one pool serves both.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// dialect names the database behind a Store.
type dialect int

const (
	dialectSQLite dialect = iota
	dialectPostgres
)

// Store is the SQL implementation of platform.Store. It is safe for
// concurrent use.
type Store struct {
	dialect dialect
	// rdb serves reads; wdb serves writes (the same pool on PostgreSQL; one
	// connection on SQLite).
	rdb, wdb *sql.DB
	logger   *slog.Logger
	// path is the SQLite database file ("" on PostgreSQL).
	path string
	// file identifies the SQLite file opened at path, so that Ping notices
	// the file being deleted or replaced under the running server (nil on
	// PostgreSQL).
	file os.FileInfo
	// batcher group-commits entry saves on SQLite (nil on PostgreSQL).
	batcher *entryBatcher
	// checkpoints copies the WAL into the database file off the writer's
	// path (SQLite; nil on PostgreSQL).
	checkpoints *checkpointer
	// afterResultRows, when set (tests only), runs in ReplaceResults'
	// transaction after the rows are written, before the cycle check.
	afterResultRows func()
	// auditStmts are the audit append's statements, prepared once on the
	// writer connection (SQLite).
	auditStmts auditStmtCache
	// chainer chains queued audit rows in the background (PostgreSQL,
	// audit_queue.go).
	chainer *auditChainer
}

// Open connects to the database named by dsn: "postgres://…" or
// "postgresql://…" is PostgreSQL, anything else a SQLite file path
// (optionally "sqlite:" or "file:" prefixed; created when missing). Open
// does not migrate: call Migrate.
func Open(ctx context.Context, dsn string, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var s *Store
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s, err = openPostgres(dsn)
	} else {
		s, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	s.logger = logger
	if err := s.Ping(ctx); err != nil {
		s.Close()
		if dir := filepath.Dir(s.path); s.path != "" {
			if _, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
				return nil, fmt.Errorf("open database %s: directory %s does not exist", s.path, dir)
			}
		}
		return nil, fmt.Errorf("open database %s: %w", redact(dsn), err)
	}
	if s.path != "" {
		// Not a file (":memory:"): nothing to watch.
		s.file, _ = os.Stat(s.path)
	}
	return s, nil
}

// openPostgres opens one pgx pool for reads and writes.
func openPostgres(dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", redact(dsn), err)
	}
	db.SetMaxOpenConns(8 * runtime.GOMAXPROCS(0))
	db.SetMaxIdleConns(8 * runtime.GOMAXPROCS(0))
	db.SetConnMaxIdleTime(5 * time.Minute)
	return &Store{dialect: dialectPostgres, rdb: db, wdb: db}, nil
}

// sqlitePragmas are set on every SQLite connection: WAL lets readers run
// beside the writer; synchronous=NORMAL is durable across application
// crashes and loses at most the last transactions on power loss in WAL mode
// (https://sqlite.org/pragma.html#pragma_synchronous); busy_timeout covers
// other processes (sceval backup, the CLI) holding the write lock.
var sqlitePragmas = []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"}

// openSQLite opens the writer connection and the reader pool on one file.
func openSQLite(dsn string) (*Store, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return nil, fmt.Errorf("open sqlite: empty database path")
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	wdb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	q.Del("_txlock")
	q.Add("_pragma", "query_only(1)")
	rdb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		wdb.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	n := max(4, 2*runtime.GOMAXPROCS(0))
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	cq := url.Values{}
	for _, p := range sqlitePragmas {
		cq.Add("_pragma", p)
	}
	cdb, err := sql.Open("sqlite", "file:"+path+"?"+cq.Encode())
	if err != nil {
		wdb.Close()
		rdb.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	cdb.SetMaxOpenConns(1)
	cdb.SetMaxIdleConns(1)
	s := &Store{dialect: dialectSQLite, rdb: rdb, wdb: wdb, path: path}
	s.batcher = newEntryBatcher(s)
	s.checkpoints = newCheckpointer(cdb)
	return s, nil
}

// redact removes a password from a DSN for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Ping checks that the database answers (the writer first on SQLite, which
// also creates the file and switches it to WAL before readers open it). On
// SQLite it also checks that the file it opened is still the one at its
// path: connections keep answering after the file is deleted or replaced,
// but everything written from then on is lost with the last connection.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.wdb.PingContext(ctx); err != nil {
		return err
	}
	if err := s.rdb.PingContext(ctx); err != nil {
		return err
	}
	if s.file != nil {
		fi, err := os.Stat(s.path)
		if err != nil {
			return fmt.Errorf("database file %s: %w (was it removed? restart sceval)", s.path, err)
		}
		if !os.SameFile(fi, s.file) {
			return fmt.Errorf("database file %s was replaced while open: restart sceval", s.path)
		}
	}
	return nil
}

// Close closes every connection.
func (s *Store) Close() error {
	s.stopChainer()
	if s.batcher != nil {
		s.batcher.close()
	}
	s.auditStmts.close()
	var cerr error
	if s.checkpoints != nil {
		cerr = s.checkpoints.close()
	}
	err := s.rdb.Close()
	if s.wdb != s.rdb {
		if werr := s.wdb.Close(); err == nil {
			err = werr
		}
	}
	if err == nil {
		err = cerr
	}
	return err
}

// Stats returns the connection pool statistics of the reader pool (the only
// pool on PostgreSQL), for metrics.
func (s *Store) Stats() sql.DBStats { return s.rdb.Stats() }

// WriterStats returns the statistics of the writer connection (the same as
// Stats on PostgreSQL).
func (s *Store) WriterStats() sql.DBStats { return s.wdb.Stats() }

// Dialect returns "sqlite" or "postgres".
func (s *Store) Dialect() string {
	if s.dialect == dialectPostgres {
		return "postgres"
	}
	return "sqlite"
}

// wtx is a write transaction with the connection it runs on, so that bulk
// paths can reach the driver (pgx's COPY) inside the transaction.
type wtx struct {
	*sql.Tx
	conn *sql.Conn
	// audit holds the changes recorded (wtx.record) for the audit trail,
	// appended just before the commit.
	audit []pendingAudit
}

// write runs fn in one write transaction, committing when fn returns nil.
// A transaction that fails with a serialization failure or deadlock
// (SQLSTATE 40001, 40P01: PostgreSQL at SERIALIZABLE, and distributed
// PostgreSQL-compatible engines at any isolation) is run again from the
// start, a bounded number of times (withRetry), so fn must leave nothing
// behind in Go that a second run would duplicate.
//
// The statements fn runs stop when ctx ends, but the transaction itself
// (BEGIN, COMMIT) runs without ctx's cancellation: a commit that has been
// sent is never cut off half-way, which on PostgreSQL would leave its
// outcome unknown (the server commits while the client reports an error).
// So an error — including one caused by ctx ending, which then wraps
// ctx.Err() — always means that nothing was written.
func (s *Store) write(ctx context.Context, fn func(tx *wtx) error) error {
	err := withRetry(ctx, func() error { return s.writeOnce(ctx, fn) })
	return withContextErr(ctx, err)
}

// writeOnce is one attempt of write.
func (s *Store) writeOnce(ctx context.Context, fn func(tx *wtx) error) error {
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	w := &wtx{Tx: tx, conn: conn}
	if err := fn(w); err != nil {
		tx.Rollback()
		return err
	}
	if err := s.appendAudit(ctx, w); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
