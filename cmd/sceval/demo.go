package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/platform"
)

func newDemoCmd() *cobra.Command {
	var db, dataDir, logFormat, logLevel string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Write a demo database (fictional data on real first-batch pilots)",
		Long: `demo creates a database with demonstration data: a selection of the first
batch of national smart-city pilots (MOHURD, 2013-01-29) and a 2014 annual
monitoring cycle on the mohurd-2012 framework with submissions in every state,
evidence files and computed results. ALL SUBMISSIONS, VALUES, NARRATIVES,
FILES AND SCORES ARE FICTIONAL. It refuses a database that already has
pilots. Then run: sceval serve --db <the same file>.
--db and --data-dir fall back to SCEVAL_DB and SCEVAL_DATA_DIR.`,
		Example: `  sceval demo --db demo.db --data-dir demo-data
  sceval serve --db demo.db --data-dir demo-data`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd.Flags(), os.LookupEnv); err != nil {
				return err
			}
			logger, err := newLogger(cmd.ErrOrStderr(), logFormat, logLevel)
			if err != nil {
				return err
			}
			deps, err := openPlatform(cmd.Context(), db, dataDir, platform.DefaultMaxEvidenceSize, logger)
			if err != nil {
				return err
			}
			defer deps.store.Close()
			if _, err := writeDemo(cmd.Context(), deps, cmd.OutOrStdout()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "demo written to %s (evidence in %s); run: sceval serve --db %s --data-dir %s\n",
				redactDSN(db), dataDir, db, dataDir)
			return nil
		},
	}
	cmd.Flags().StringVar(&db, "db", "./sceval-demo.db", "SQLite file or postgres:// URL to write the demo into")
	cmd.Flags().StringVar(&dataDir, "data-dir", "./sceval-data", "directory of the evidence files")
	addLogFlags(cmd.Flags(), &logFormat, &logLevel)
	return cmd
}

// writeDemo seeds the demo and prints what it created.
func writeDemo(ctx context.Context, deps *platformDeps, out io.Writer) (demo.Summary, error) {
	sum, err := demo.Seed(ctx, deps.service, deps.regions, demo.Options{})
	if err != nil {
		return sum, fmt.Errorf("seed demo: %w", err)
	}
	var states []string
	for st, n := range sum.Submissions {
		states = append(states, fmt.Sprintf("%d %s", n, st))
	}
	slices.Sort(states)
	fmt.Fprintf(out, "demo: %d pilots, cycle %d with submissions %v, %d evidence files, %d blind expert reviews, results of %d pilots\n",
		sum.Pilots, sum.CycleID, states, sum.Evidence, sum.Reviews, sum.Run.Pilots)
	fmt.Fprintln(out, "demo:", demo.Disclaimer)
	return sum, createDemoAccounts(ctx, deps.service, out)
}

// seedDemo is serve --demo: it seeds an empty database and leaves a
// non-empty one alone, saying so (serving the existing data is what a second
// `serve --demo` on the same file should do).
func seedDemo(ctx context.Context, deps *platformDeps, out io.Writer) error {
	_, err := writeDemo(ctx, deps, out)
	var notEmpty *demo.NotEmptyError
	if errors.As(err, &notEmpty) {
		fmt.Fprintf(out, "--demo: not seeding: %v\n", notEmpty)
		return nil
	}
	return err
}
