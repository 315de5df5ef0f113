package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
)

func newFrameworkPublishCmd() *cobra.Command {
	var db, logFormat, logLevel string
	cmd := &cobra.Command{
		Use:   "publish FILE",
		Short: "Publish a framework file to the platform's database as a new version / 发布指标体系",
		Long: `Validate a framework file and store it in the database as a new version, which
cycles can then use (framework_id and framework_version). Every error is
printed with its line and column, and nothing is stored unless the file is
valid. A published version never changes: publishing the same file again is
harmless, other content under the same id and version is refused (give the
file a new version). --db falls back to SCEVAL_DB.`,
		Example: `  sceval framework publish js-2025.yaml --db sceval.db
  SCEVAL_DB=postgres://sceval@localhost/sceval sceval framework publish js-2025.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyEnv(cmd.Flags(), os.LookupEnv); err != nil {
				return err
			}
			logger, err := newLogger(cmd.ErrOrStderr(), logFormat, logLevel)
			if err != nil {
				return err
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			store, err := sqlstore.Open(ctx, db, logger)
			if err != nil {
				return err
			}
			defer store.Close()
			if err := store.Migrate(ctx); err != nil {
				return fmt.Errorf("migrate database %s: %w", redactDSN(db), err)
			}
			svc := platform.NewService(store, nil, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
			ctx = platform.WithIdentity(ctx, operatorIdentity())
			pub, err := svc.PublishFramework(ctx, args[0], data)
			var pe *platform.Error
			if errors.As(err, &pe) && pe.Code == platform.CodeInvalidFramework {
				for _, d := range pe.Details {
					fmt.Fprintln(cmd.OutOrStdout(), d.Message)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d errors: nothing published\n", args[0], len(pe.Details))
				return exitError{code: 1}
			}
			if err != nil {
				return err
			}
			for _, w := range pub.Warnings {
				fmt.Fprintln(cmd.OutOrStdout(), w)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "published %s@%s (%d leaves, sha256 %s) on %s by %s\n",
				pub.ID, pub.Version, pub.Leaves, pub.SHA256[:12], pub.PublishedAt.Format("2006-01-02 15:04 MST"), pub.PublishedBy)
			return nil
		},
	}
	cmd.Flags().StringVar(&db, "db", "./sceval.db", "SQLite file or postgres:// URL")
	addLogFlags(cmd.Flags(), &logFormat, &logLevel)
	return cmd
}
