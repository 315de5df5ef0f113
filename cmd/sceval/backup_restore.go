package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
)

// restoreConfig is the configuration of `sceval restore`.
type restoreConfig struct {
	in, db, dataDir string
	force           bool
}

func newRestoreCmd() *cobra.Command {
	var cfg restoreConfig
	cmd := &cobra.Command{
		Use:   "restore",
		Short: "Restore a backup into a new database and data directory / 从备份恢复",
		Long: `restore reads an archive written by sceval backup, checks every entry against
the manifest's size and SHA-256, and writes the database to --db and the
evidence files to --data-dir. The database is migrated to this sceval's
schema, every evidence file it names must be present, and the audit trail
must verify; restore says so or fails.

The targets must be new: a --db that exists and is not empty, or a
--data-dir that holds evidence files, is refused unless --force (which
replaces a SQLite file and adds to the data directory; the files no record
names are then removed by sceval gc). A backup of either database restores
into SQLite or PostgreSQL (an empty one: --force cannot empty a PostgreSQL
database; drop and create it). Stop the server before restoring over its
files.`,
		Example: `  sceval restore --in sceval-2026-12-06.tar.gz --db restored.db --data-dir restored-data
  sceval restore --in pg.tar.gz --db postgres://sceval@localhost/sceval_new --data-dir /srv/sceval-data`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd.Flags(), os.LookupEnv); err != nil {
				return err
			}
			return restoreBackup(cmd.Context(), cfg, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.in, "in", "", "the archive written by sceval backup")
	f.StringVar(&cfg.db, "db", "", "SQLite file or postgres:// URL to restore into (must be new or empty)")
	f.StringVar(&cfg.dataDir, "data-dir", "", "directory to restore the evidence files into")
	f.BoolVar(&cfg.force, "force", false, "replace an existing SQLite file and add to a data directory that holds files")
	for _, name := range []string{"in", "db", "data-dir"} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}

// restoreBackup checks the targets, stages the database and stores the
// evidence while checking every byte, then puts the database in place and
// verifies the result.
func restoreBackup(ctx context.Context, cfg restoreConfig, out io.Writer) error {
	if err := checkRestoreTargets(cfg); err != nil {
		return err
	}
	ar, err := openArchive(cfg.in)
	if err != nil {
		return fmt.Errorf("--in: %w", err)
	}
	defer ar.f.Close()
	m, err := ar.manifest()
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.in, err)
	}
	stageParent := os.TempDir()
	if path, ok := sqlitePath(cfg.db); ok {
		stageParent = filepath.Dir(path)
		if err := os.MkdirAll(stageParent, 0o750); err != nil {
			return fmt.Errorf("--db: %w", err)
		}
	}
	stage, err := os.MkdirTemp(stageParent, ".sceval-restore-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage)
	dbEntry, dbFile, err := unpackArchive(ctx, ar, m, stage, cfg.dataDir)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.in, err)
	}
	store, err := restoreDatabase(ctx, cfg, dbEntry, dbFile)
	if err != nil {
		return err
	}
	defer store.Close()
	return verifyRestore(ctx, store, cfg, m, out)
}

// checkRestoreTargets refuses targets that hold data, unless --force.
func checkRestoreTargets(cfg restoreConfig) error {
	if path, ok := sqlitePath(cfg.db); ok && !cfg.force {
		for _, p := range []string{path, path + "-wal"} {
			if fi, err := os.Stat(p); err == nil && fi.Size() > 0 {
				return fmt.Errorf("--db %s exists and is not empty: restore into a new file, or pass --force to replace it", p)
			}
		}
	}
	entries, err := os.ReadDir(cfg.dataDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("--data-dir %s: %w", cfg.dataDir, err)
	}
	for _, e := range entries {
		if e.Name() != "tmp" && !cfg.force {
			return fmt.Errorf("--data-dir %s holds files (%s): restore into a new directory, or pass --force to add to it", cfg.dataDir, e.Name())
		}
	}
	return nil
}

// unpackArchive stages the database file in stage and stores every
// evidence file in dataDir, checking each against the manifest. It returns
// the database entry's name and staged file.
func unpackArchive(ctx context.Context, ar *archiveReader, m manifest, stage, dataDir string) (string, string, error) {
	blobs, err := blob.NewFS(dataDir)
	if err != nil {
		return "", "", fmt.Errorf("--data-dir: %w", err)
	}
	byPath := map[string]entry{}
	for _, e := range m.Files {
		byPath[e.Path] = e
	}
	var dbEntry, dbFile string
	for {
		e, r, err := ar.next(byPath)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", "", err
		}
		delete(byPath, e.Path)
		if e.Path == backupSQLiteEntry || e.Path == backupJSONEntry {
			dbEntry, dbFile = e.Path, filepath.Join(stage, filepath.Base(e.Path))
			if err := stageFile(dbFile, e, r); err != nil {
				return "", "", err
			}
			continue
		}
		sum, size, _, err := blobs.Put(ctx, r, e.Size)
		if err != nil {
			return "", "", fmt.Errorf("%s: %w", e.Path, err)
		}
		if sum != e.SHA256 || size != e.Size {
			return "", "", fmt.Errorf("%s: content has SHA-256 %s (%d bytes), manifest says %s (%d bytes): damaged archive", e.Path, sum, size, e.SHA256, e.Size)
		}
	}
	for p := range byPath {
		return "", "", fmt.Errorf("%s is in the manifest but not in the archive (truncated?)", p)
	}
	return dbEntry, dbFile, nil
}

// stageFile writes an entry to file, checking its size and hash.
func stageFile(file string, e entry, r io.Reader) error {
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", e.Path, err)
	}
	if sum := hex.EncodeToString(h.Sum(nil)); n != e.Size || sum != e.SHA256 {
		return fmt.Errorf("%s: content has SHA-256 %s (%d bytes), manifest says %s (%d bytes): damaged archive", e.Path, sum, n, e.SHA256, e.Size)
	}
	return nil
}

// restoreDatabase puts the staged database in place: a SQLite snapshot
// into a SQLite target is moved there; anything else goes through the
// portable import. The target comes back open and migrated.
func restoreDatabase(ctx context.Context, cfg restoreConfig, dbEntry, dbFile string) (*sqlstore.Store, error) {
	path, toSQLite := sqlitePath(cfg.db)
	if toSQLite && cfg.force {
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("--force: %w", err)
			}
		}
	}
	if toSQLite && dbEntry == backupSQLiteEntry {
		if err := os.Rename(dbFile, path); err != nil {
			return nil, fmt.Errorf("--db %s: %w", path, err)
		}
		if err := syncDir(filepath.Dir(path)); err != nil {
			return nil, err
		}
		return openMigrated(ctx, cfg.db)
	}
	target, err := openMigrated(ctx, cfg.db)
	if err != nil {
		return nil, err
	}
	if err := importStaged(ctx, target, dbEntry, dbFile); err != nil {
		target.Close()
		return nil, fmt.Errorf("restore into %s: %w", redactDSN(cfg.db), err)
	}
	return target, nil
}

// importStaged loads a staged database into target through the portable
// format: a SQLite snapshot is migrated and exported on the fly.
func importStaged(ctx context.Context, target *sqlstore.Store, dbEntry, dbFile string) error {
	if dbEntry == backupJSONEntry {
		f, err := os.Open(dbFile)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = target.ImportAll(ctx, f)
		return err
	}
	src, err := openMigrated(ctx, dbFile)
	if err != nil {
		return err
	}
	defer src.Close()
	pr, pw := io.Pipe()
	go func() {
		_, err := src.ExportAll(ctx, pw)
		pw.CloseWithError(err)
	}()
	_, err = target.ImportAll(ctx, pr)
	pr.CloseWithError(errors.New("import stopped"))
	return err
}

// openMigrated opens a database and migrates it to this sceval's schema.
func openMigrated(ctx context.Context, dsn string) (*sqlstore.Store, error) {
	store, err := sqlstore.Open(ctx, dsn, nil)
	if err != nil {
		return nil, err
	}
	if err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, fmt.Errorf("migrate %s: %w", redactDSN(dsn), err)
	}
	return store, nil
}

// verifyRestore checks the restored platform: every evidence file the
// database names is in the data directory and the audit trail verifies.
func verifyRestore(ctx context.Context, store *sqlstore.Store, cfg restoreConfig, m manifest, out io.Writer) error {
	sums, err := store.EvidenceSums(ctx)
	if err != nil {
		return err
	}
	for sum := range sums {
		if _, err := os.Stat(blobFile(cfg.dataDir, sum)); err != nil {
			return fmt.Errorf("restored database names evidence %s, not in --data-dir: %w", sum, err)
		}
	}
	v, err := platform.VerifyAuditChain(ctx, store)
	if err != nil {
		return err
	}
	if !v.OK {
		return fmt.Errorf("restored audit trail does not verify: %s (%d rows checked)", v.Problem, v.Rows)
	}
	fmt.Fprintf(out, "restored %s (%s backup of %s, schema version %d) into %s and %s: %d evidence %s, audit trail intact (%d rows)\n",
		cfg.in, m.Database, m.CreatedAt.Format("2006-01-02 15:04:05Z"), m.SchemaVersion, redactDSN(cfg.db), cfg.dataDir,
		len(sums), plural(len(sums), "file", "files"), v.Rows)
	return nil
}
