package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
)

// gcConfig is the configuration of `sceval gc`.
type gcConfig struct {
	db, dataDir string
	minAge      time.Duration
	dryRun      bool
	emptyDBOK   bool
}

func newGCCmd() *cobra.Command {
	var cfg gcConfig
	cmd := &cobra.Command{
		Use:   "gc",
		Short: "Remove evidence files no database record names / 清理无记录的证明材料文件",
		Long: `gc removes the evidence files (blobs) under --data-dir that no evidence record
in the database names: files left by uploads whose record was never written,
by a database restored from an older backup, or by removed submissions. It
also removes the partial uploads a crash left in --data-dir/tmp (as serve
does when it starts). It prints how many files and bytes it removed, kept
and left for later.

Files younger than --min-age are kept even without a record: an upload
stores its file before it writes the record, so a young file may belong to
an upload in progress. A database with no evidence at all while files exist
usually means the wrong --db: gc then refuses unless --empty-db-ok is given.
Run with --dry-run first to see what would go. Only the file store is
collected (not an S3 bucket). --db and --data-dir fall back to SCEVAL_DB and
SCEVAL_DATA_DIR.`,
		Example: `  sceval gc --dry-run
  sceval gc --db sceval.db --data-dir ./sceval-data
  SCEVAL_DB=postgres://sceval@localhost/sceval sceval gc --min-age 24h`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd.Flags(), os.LookupEnv); err != nil {
				return err
			}
			return collectGarbage(cmd.Context(), cfg, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.db, "db", "./sceval.db", "SQLite file or postgres:// URL")
	f.StringVar(&cfg.dataDir, "data-dir", "./sceval-data", "directory of the evidence files")
	f.DurationVar(&cfg.minAge, "min-age", time.Hour, "keep files younger than this even without a record")
	f.BoolVar(&cfg.dryRun, "dry-run", false, "only count what would be removed")
	f.BoolVar(&cfg.emptyDBOK, "empty-db-ok", false, "collect even when the database names no evidence at all")
	return cmd
}

// collectGarbage runs gc: the referenced set from the database, then a walk
// of the blob directory.
func collectGarbage(ctx context.Context, cfg gcConfig, stdout io.Writer) error {
	if cfg.minAge < 0 {
		return fmt.Errorf("--min-age %v: want a duration of zero or more", cfg.minAge)
	}
	// A missing database or directory is a typo, not an empty store: opening
	// would create an empty one and every blob would look orphaned.
	if path, ok := sqlitePath(cfg.db); ok {
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("--db %s: %w", path, err)
		}
	}
	if fi, err := os.Stat(cfg.dataDir); err != nil || !fi.IsDir() {
		if err == nil {
			err = errors.New("not a directory")
		}
		return fmt.Errorf("--data-dir %s: %w", cfg.dataDir, err)
	}
	store, err := sqlstore.Open(ctx, cfg.db, nil)
	if err != nil {
		return err // sqlstore.Open names the (redacted) database
	}
	defer store.Close()
	referenced, err := store.EvidenceSums(ctx)
	if err != nil {
		return fmt.Errorf("database %s: %w (is it an sceval database? run sceval migrate)", redactDSN(cfg.db), err)
	}
	files, err := blob.NewFS(cfg.dataDir)
	if err != nil {
		return fmt.Errorf("open data directory %s: %w", cfg.dataDir, err)
	}
	keep := func(sum string) bool { return referenced[sum] }
	cutoff := time.Now().Add(-cfg.minAge)
	dryRun := cfg.dryRun || (len(referenced) == 0 && !cfg.emptyDBOK)
	c, err := files.Collect(ctx, keep, cutoff, dryRun)
	if err != nil {
		return err
	}
	if dryRun && !cfg.dryRun && c.Orphans > 0 {
		return fmt.Errorf("database %s names no evidence at all, but %s holds %d %s (%s): is --db right? "+
			"Nothing was removed; pass --empty-db-ok to remove them", redactDSN(cfg.db), cfg.dataDir, c.Orphans, plural(c.Orphans, "file", "files"), formatBytes(c.OrphanBytes))
	}
	writeCollection(stdout, c, cfg.minAge)
	return nil
}

// writeCollection reports a collection in one line per group.
func writeCollection(w io.Writer, c blob.Collection, minAge time.Duration) {
	verb := "removed"
	if c.DryRun {
		verb = "would remove"
	}
	fmt.Fprintf(w, "%s %d orphaned %s (%s)\n", verb, c.Orphans, plural(c.Orphans, "file", "files"), formatBytes(c.OrphanBytes))
	fmt.Fprintf(w, "kept %d referenced %s (%s)\n", c.Referenced, plural(c.Referenced, "file", "files"), formatBytes(c.ReferencedBytes))
	if c.Young > 0 {
		fmt.Fprintf(w, "kept %d unreferenced %s younger than %v (%s)\n", c.Young, plural(c.Young, "file", "files"), minAge, formatBytes(c.YoungBytes))
	}
}

// sqlitePath returns the file of a SQLite DSN, or false for PostgreSQL and
// in-memory databases.
func sqlitePath(dsn string) (string, bool) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "", false
	}
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
	path, _, _ = strings.Cut(path, "?")
	if path == "" || strings.HasPrefix(path, ":") {
		return "", false
	}
	return path, true
}

// formatBytes shows a byte count in binary units: 512 B, 1.5 KiB, 20.0 MiB.
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// plural picks the singular or plural word for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
