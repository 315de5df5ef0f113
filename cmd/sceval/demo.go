package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/platform"
)

func newDemoCmd() *cobra.Command {
	var db, dataDir, logFormat, logLevel string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Write a demo database (fictional data on real first-batch pilots)",
		Long: `demo creates a database with demonstration data without serving it: a
selection of the first batch of national smart-city pilots (MOHURD,
2013-01-29) on the mohurd-2012 framework, the 2014 and 2015 annual
monitoring and the 2016 final acceptance (stars, expert round) computed and
published, and the 2017 annual monitoring open, with submissions in every
state, a blind expert round in progress and evidence files; one account per
role with a known password (printed). ALL SUBMISSIONS, VALUES, NARRATIVES,
FILES, REVIEWS AND SCORES ARE FICTIONAL. It refuses a database that already
has pilots or cycles. Then run: sceval serve --db <the same file>. See docs/demo.md.
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
			printDemoAccounts(cmd.OutOrStdout(), "")
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

// writeDemo seeds the demo and prints what it created and how long it
// took.
func writeDemo(ctx context.Context, deps *platformDeps, out io.Writer) (demo.Summary, error) {
	start := time.Now()
	sum, err := demo.Seed(ctx, deps.service, deps.regions, demo.Options{})
	if err != nil {
		return sum, fmt.Errorf("seed demo: %w", err)
	}
	var states []string
	for st, n := range sum.Submissions {
		states = append(states, fmt.Sprintf("%d %s", n, st))
	}
	slices.Sort(states)
	fmt.Fprintf(out, "demo: %d pilots, %d cycles, %d evidence files, %d submitted expert reviews (seeded in %.1f s)\n",
		sum.Pilots, len(sum.Cycles), sum.Evidence, sum.Reviews, time.Since(start).Seconds())
	for _, c := range sum.Cycles {
		fmt.Fprintf(out, "  cycle %d  %s  %s\n", c.ID, c.Name, c.State)
	}
	fmt.Fprintf(out, "  open cycle %d: submissions %v, results of %d pilots (not published)\n", sum.CycleID, states, sum.Run.Pilots)
	fmt.Fprintln(out, "demo:", demo.Disclaimer)
	return sum, nil
}

// seedDemo is serve --demo: it seeds an empty database and leaves a
// non-empty one alone, saying so (serving the existing data is what a second
// `serve --demo` on the same file should do). It reports whether the
// database holds the demo (seeded now or before), so that serve prints the
// demo accounts.
func seedDemo(ctx context.Context, deps *platformDeps, out io.Writer) (bool, error) {
	_, err := writeDemo(ctx, deps, out)
	var notEmpty *demo.NotEmptyError
	if errors.As(err, &notEmpty) {
		fmt.Fprintf(out, "--demo: not seeding: %v\n", notEmpty)
		_, lerr := demo.Lookup(ctx, deps.service)
		return lerr == nil, nil
	}
	return err == nil, err
}
