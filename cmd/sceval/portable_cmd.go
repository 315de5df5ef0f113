package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/platform/sqlstore"
)

// addPortableCommands adds `export all` and `import all` under the root's
// export and import commands, creating those parents when no other file
// has (the spreadsheet exports and imports live beside them).
func addPortableCommands(root *cobra.Command) {
	parent(root, "export", "Export platform data / 导出数据").AddCommand(newExportAllCmd())
	parent(root, "import", "Import platform data / 导入数据").AddCommand(newImportAllCmd())
}

// parent returns root's subcommand called name, adding a bare one if
// there is none.
func parent(root *cobra.Command, name, short string) *cobra.Command {
	for _, c := range root.Commands() {
		if c.Name() == name {
			return c
		}
	}
	c := &cobra.Command{Use: name, Short: short, Args: cobra.NoArgs}
	root.AddCommand(c)
	return c
}

func newExportAllCmd() *cobra.Command {
	var db, out string
	cmd := &cobra.Command{
		Use:   "all",
		Short: "Every table as portable JSON (to move between SQLite and PostgreSQL) / 全部数据导出为 JSON",
		Long: `export all writes every table of the platform's database (but the migration
record) as one JSON file, read from one consistent snapshot while the server
runs. The same content gives the same tables from SQLite and PostgreSQL, so
the file moves a platform from one database to the other with
sceval import all. Evidence files are not in it: copy --data-dir, or use
sceval backup. The format is described in docs/backup.md.
--db falls back to SCEVAL_DB.`,
		Example: `  sceval export all --db sceval.db --out sceval.json
  sceval import all sceval.json --db postgres://sceval@localhost/sceval`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd.Flags(), os.LookupEnv); err != nil {
				return err
			}
			if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("--out %s already exists: choose a new name", out)
			}
			if path, ok := sqlitePath(db); ok {
				if _, err := os.Stat(path); err != nil {
					return fmt.Errorf("--db %s: %w", path, err)
				}
			}
			store, err := sqlstore.Open(cmd.Context(), db, nil)
			if err != nil {
				return err
			}
			defer store.Close()
			tmp := filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".partial")
			f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if err != nil {
				return err
			}
			defer os.Remove(tmp)
			stats, err := store.ExportAll(cmd.Context(), f)
			if err == nil {
				err = f.Sync()
			}
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = os.Rename(tmp, out)
			}
			if err != nil {
				return fmt.Errorf("export %s to %s: %w", redactDSN(db), out, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "exported %d rows of %d tables to %s\n", stats.Rows, len(stats.Tables), out)
			return nil
		},
	}
	cmd.Flags().StringVar(&db, "db", "./sceval.db", "SQLite file or postgres:// URL")
	cmd.Flags().StringVar(&out, "out", "", "the JSON file to write (must not exist)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

func newImportAllCmd() *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "all FILE.json",
		Short: "Load a portable export into an empty database / 将 JSON 导出载入空数据库",
		Long: `import all loads a file written by sceval export all into a database that is
new or empty (it is migrated first; a database with any rows is refused).
Everything is loaded in one transaction: a damaged file changes nothing.
The export must come from a sceval with the same schema version. Copy the
evidence files (--data-dir) separately. --db falls back to SCEVAL_DB.`,
		Example: `  sceval import all sceval.json --db postgres://sceval@localhost/sceval
  sceval import all sceval.json --db new.db`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyEnv(cmd.Flags(), os.LookupEnv); err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			store, err := openMigrated(cmd.Context(), db)
			if err != nil {
				return err
			}
			defer store.Close()
			stats, err := store.ImportAll(cmd.Context(), io.Reader(f))
			if err != nil {
				return fmt.Errorf("import %s into %s: %w", args[0], redactDSN(db), err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "imported %d rows of %d tables into %s\n", stats.Rows, len(stats.Tables), redactDSN(db))
			return nil
		},
	}
	cmd.Flags().StringVar(&db, "db", "", "SQLite file or postgres:// URL (new or empty)")
	_ = cmd.MarkFlagRequired("db")
	return cmd
}
