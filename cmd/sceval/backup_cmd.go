package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/platform/sqlstore"
)

// backupConfig is the configuration of `sceval backup`.
type backupConfig struct {
	db, dataDir, out string
}

func newBackupCmd() *cobra.Command {
	var cfg backupConfig
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "Write a consistent backup of the database and evidence files / 备份数据库与证明材料",
		Long: `backup writes one archive with everything the platform holds, while the
server keeps running: a consistent snapshot of the database and every evidence
file that snapshot names, with a manifest of sizes and SHA-256 checksums.

SQLite is copied with VACUUM INTO (a snapshot of one read transaction).
PostgreSQL is written as the portable export (every table as JSON, read in
one REPEATABLE READ transaction); for a large PostgreSQL database use
pg_dump for the database and this command's evidence files, see
docs/backup.md. The archive is a tar file, gzip-compressed when --out ends
in .gz or .tgz; --out must not exist. Evidence in an S3 bucket is not
copied (back the bucket up with its own tools). Restore with sceval restore.
--db and --data-dir fall back to SCEVAL_DB and SCEVAL_DATA_DIR.`,
		Example: `  sceval backup --out sceval-2026-12-06.tar.gz
  sceval backup --db sceval.db --data-dir ./sceval-data --out /backups/sceval.tar
  SCEVAL_DB=postgres://sceval@localhost/sceval sceval backup --out pg.tar.gz`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd.Flags(), os.LookupEnv); err != nil {
				return err
			}
			m, err := writeBackup(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			var size int64
			for _, e := range m.Files[1:] {
				size += e.Size
			}
			fmt.Fprintf(cmd.OutOrStdout(), "backup written to %s: %s database (schema version %d, %s), %d evidence %s (%s)\n",
				cfg.out, m.Database, m.SchemaVersion, formatBytes(m.Files[0].Size), m.Evidence, plural(m.Evidence, "file", "files"), formatBytes(size))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.db, "db", "./sceval.db", "SQLite file or postgres:// URL")
	f.StringVar(&cfg.dataDir, "data-dir", "./sceval-data", "directory of the evidence files")
	f.StringVar(&cfg.out, "out", "", "the archive to write (.tar, .tar.gz or .tgz; must not exist)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

// writeBackup snapshots the database into a staging directory beside the
// archive, then writes the archive under a temporary name and renames it
// into place, so a failed backup leaves no archive that looks complete.
func writeBackup(ctx context.Context, cfg backupConfig) (manifest, error) {
	var m manifest
	if _, err := os.Stat(cfg.out); !errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("--out %s already exists: choose a new name", cfg.out)
	}
	if path, ok := sqlitePath(cfg.db); ok {
		if _, err := os.Stat(path); err != nil {
			return m, fmt.Errorf("--db %s: %w", path, err)
		}
	}
	stage, err := os.MkdirTemp(filepath.Dir(cfg.out), ".sceval-backup-")
	if err != nil {
		return m, fmt.Errorf("--out %s: %w", cfg.out, err)
	}
	defer os.RemoveAll(stage)
	dbEntry, dbFile, sums, m, err := snapshotDatabase(ctx, cfg.db, stage)
	if err != nil {
		return m, err
	}
	size, sum, err := hashFile(dbFile)
	if err != nil {
		return m, err
	}
	m.Files = append(m.Files, entry{Path: dbEntry, Size: size, SHA256: sum})
	if err := listEvidence(&m, cfg.dataDir, sums); err != nil {
		return m, err
	}
	tmp := filepath.Join(stage, "archive")
	if err := writeArchive(tmp, compressed(cfg.out), m, dbFile, cfg.dataDir); err != nil {
		return m, fmt.Errorf("write %s: %w", cfg.out, err)
	}
	if _, err := os.Stat(cfg.out); !errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("--out %s appeared while the backup ran: not overwritten", cfg.out)
	}
	if err := os.Rename(tmp, cfg.out); err != nil {
		return m, fmt.Errorf("write %s: %w", cfg.out, err)
	}
	return m, syncDir(filepath.Dir(cfg.out))
}

// syncDir makes a directory's entries (a renamed file) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// snapshotDatabase writes the database's consistent copy into dir and
// returns its archive entry name, the file, and the evidence files the copy
// names.
func snapshotDatabase(ctx context.Context, dsn, dir string) (string, string, map[string]bool, manifest, error) {
	m := manifest{Format: backupFormat, Version: backupVersion, CreatedAt: time.Now().UTC().Truncate(time.Second), Sceval: buildVersion()}
	store, err := sqlstore.Open(ctx, dsn, nil)
	if err != nil {
		return "", "", nil, m, err
	}
	defer store.Close()
	if _, ok := sqlitePath(dsn); !ok {
		m.Database = "postgres"
		file := filepath.Join(dir, "sceval.json")
		f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return "", "", nil, m, err
		}
		stats, err := store.ExportAll(ctx, f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return "", "", nil, m, fmt.Errorf("export %s: %w", redactDSN(dsn), err)
		}
		m.SchemaVersion, err = store.SchemaVersion(ctx)
		return backupJSONEntry, file, stats.EvidenceSums, m, err
	}
	m.Database = "sqlite"
	file := filepath.Join(dir, "sceval.db")
	if err := store.Backup(ctx, file); err != nil {
		return "", "", nil, m, err
	}
	snap, err := sqlstore.Open(ctx, file, nil)
	if err != nil {
		return "", "", nil, m, err
	}
	defer snap.Close()
	if m.SchemaVersion, err = snap.SchemaVersion(ctx); err != nil {
		return "", "", nil, m, err
	}
	if m.SchemaVersion == 0 {
		return "", "", nil, m, fmt.Errorf("--db %s is not an sceval database (no schema): run sceval migrate", dsn)
	}
	sums, err := snap.EvidenceSums(ctx)
	return backupSQLiteEntry, file, sums, m, err
}

// listEvidence adds every evidence file of sums to the manifest, in hash
// order; one missing from the data directory stops the backup (the live
// store is damaged: say so now, not at restore).
func listEvidence(m *manifest, dataDir string, sums map[string]bool) error {
	ordered := make([]string, 0, len(sums))
	for s := range sums {
		ordered = append(ordered, s)
	}
	slices.Sort(ordered)
	for _, sum := range ordered {
		if !evidencePath.MatchString(evidenceEntry(sum)) {
			return fmt.Errorf("the database names evidence %q, which is not a SHA-256", sum)
		}
		fi, err := os.Stat(blobFile(dataDir, sum))
		if err != nil {
			return fmt.Errorf("evidence file %s named by the database: %w (is --data-dir %s right?)", sum, err, dataDir)
		}
		m.Files = append(m.Files, entry{Path: evidenceEntry(sum), Size: fi.Size(), SHA256: sum})
	}
	m.Evidence = len(ordered)
	return nil
}

// blobFile is where the file store keeps the blob with hash sum.
func blobFile(dataDir, sum string) string {
	return filepath.Join(dataDir, sum[:2], sum[2:4], sum)
}

// writeArchive writes the manifest, the database file and the evidence
// files; every evidence file is checked against its hash on the way.
func writeArchive(name string, gzipped bool, m manifest, dbFile, dataDir string) error {
	a, err := newArchiveWriter(name, gzipped)
	if err != nil {
		return err
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	err = a.add(backupManifest, int64(len(mb)), "", bytes.NewReader(mb))
	for _, e := range m.Files {
		if err != nil {
			break
		}
		file := dbFile
		if e.Path != m.Files[0].Path {
			file = blobFile(dataDir, e.SHA256)
		}
		err = addFile(a, e, file)
	}
	return errors.Join(err, a.close())
}

// addFile copies one file into the archive.
func addFile(a *archiveWriter, e entry, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	return a.add(e.Path, e.Size, e.SHA256, io.Reader(f))
}
