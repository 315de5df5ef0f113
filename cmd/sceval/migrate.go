package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/platform/sqlstore"
)

func newMigrateCmd() *cobra.Command {
	var db, logFormat, logLevel string
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply the database migrations and print the schema version",
		Long: `migrate brings the database to the schema this sceval expects (serve does the
same on start) and prints the schema version. It is safe to run repeatedly.
--db falls back to SCEVAL_DB.`,
		Example: `  sceval migrate --db sceval.db
  SCEVAL_DB=postgres://sceval@localhost/sceval sceval migrate`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd.Flags(), os.LookupEnv); err != nil {
				return err
			}
			logger, err := newLogger(cmd.ErrOrStderr(), logFormat, logLevel)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			store, err := sqlstore.Open(ctx, db, logger)
			if err != nil {
				return err // sqlstore.Open names the (redacted) database
			}
			defer store.Close()
			before, err := store.SchemaVersion(ctx)
			if err != nil {
				return fmt.Errorf("read schema version: %w", err)
			}
			if err := store.Migrate(ctx); err != nil {
				return fmt.Errorf("migrate database %s: %w", redactDSN(db), err)
			}
			after, err := store.SchemaVersion(ctx)
			if err != nil {
				return fmt.Errorf("read schema version: %w", err)
			}
			if before == after {
				fmt.Fprintf(cmd.OutOrStdout(), "schema version %d (up to date)\n", after)
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "schema version %d (migrated from %d)\n", after, before)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&db, "db", "./sceval.db", "SQLite file or postgres:// URL")
	addLogFlags(cmd.Flags(), &logFormat, &logLevel)
	return cmd
}
