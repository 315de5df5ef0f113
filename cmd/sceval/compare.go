package main

import (
	"fmt"
	"io"

	"github.com/sceval/sceval/engine"
	"github.com/spf13/cobra"
)

// compareFlags are compare's own flags, beside the shared inputs (which
// define scheme A).
type compareFlags struct {
	schemeB, normaliseB, aggregateB string
	level                           int
	code                            string
	moved                           int
	format, out                     string
}

func newCompareCmd() *cobra.Command {
	var (
		in scoreInputs
		cf compareFlags
	)
	cmd := &cobra.Command{
		Use:   "compare",
		Short: "Compare the scores and ranks of two scoring schemes",
		Long: `Compare scores the same data under two schemes, A and B, and lists per unit the
score and rank under each and the rank shift (rank A − rank B: positive when
the unit climbs under B), sorted by A's rank; then a summary: the mean absolute
rank shift, Spearman's rank correlation of the two scores (ties averaged) and
how many units moved more than --moved places.

Scheme A is --scheme (default: the default scheme) with --normalise and
--aggregate. Scheme B is --scheme-b, or else the same file as A before A's
overrides, with --normalise-b and --aggregate-b. At least one B option is
required. The overall score is compared unless --level or --code says
otherwise. In CSV the summary goes to stderr, so that stdout stays one table.`,
		Example: `  sceval compare --data towns.csv --attr province --aggregate-b gmean
  sceval compare --data towns.csv --attr province --scheme equal.yaml --scheme-b ahp.yaml --level 1 --format csv --out shifts.csv
  sceval compare --framework my-index.yaml --data d.xlsx --normalise-b rank --code ENV --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCompare(cmd, &in, &cf)
		},
	}
	in.register(cmd)
	f := cmd.Flags()
	f.StringVar(&cf.schemeB, "scheme-b", "", "scheme B file (default: the same as A before A's overrides)")
	f.StringVar(&cf.normaliseB, "normalise-b", "", "normalisation of scheme B at every level (as --normalise)")
	f.StringVar(&cf.aggregateB, "aggregate-b", "", "aggregation of scheme B at every level (as --aggregate)")
	f.IntVar(&cf.level, "level", 0, "compare every node of this level (0 = the overall score)")
	f.StringVar(&cf.code, "code", "", "compare this indicator only (overrides --level)")
	f.IntVar(&cf.moved, "moved", 5, "count units whose rank moves by more than this many places")
	f.StringVar(&cf.format, "format", "", "output format: table, csv or json (default: table on a terminal, else csv)")
	f.StringVarP(&cf.out, "out", "o", "", "output file (default: stdout)")
	return cmd
}

// comparison is the result of compare at one node.
type comparison struct {
	code    string
	rows    []compareRow
	summary compareSummary
}

func runCompare(cmd *cobra.Command, in *scoreInputs, cf *compareFlags) error {
	format, err := pickFormat(cf.format, cf.out, cmd.OutOrStdout(), "table", "csv", "json")
	if err != nil {
		return err
	}
	if cf.schemeB == "" && cf.normaliseB == "" && cf.aggregateB == "" {
		return fmt.Errorf("nothing to compare: give scheme B with --scheme-b, --normalise-b or --aggregate-b")
	}
	if cf.moved < 0 {
		return fmt.Errorf("--moved %d: want a number of places >= 0", cf.moved)
	}
	stderr := cmd.ErrOrStderr()
	l, err := in.load(stderr)
	if err != nil {
		return err
	}
	sb, err := loadScheme(firstNonEmpty(cf.schemeB, in.scheme), stderr)
	if err != nil {
		return err
	}
	if err := applyOverrides(sb, cf.normaliseB, cf.aggregateB); err != nil {
		return fmt.Errorf("scheme B: %w", err)
	}
	a, err := scoreLabelled(l, l.scheme, "A", stderr)
	if err != nil {
		return err
	}
	b, err := scoreLabelled(l, sb, "B", stderr)
	if err != nil {
		return err
	}
	nodes, err := compareNodes(a, cf.level, cf.code)
	if err != nil {
		return err
	}
	comps := make([]comparison, len(nodes))
	for i, k := range nodes {
		rows, sum := compareNode(a, b, k, cf.moved)
		comps[i] = comparison{code: a.Nodes[k].Code, rows: rows, summary: sum}
	}
	return writeOutput(cf.out, cmd.OutOrStdout(), func(w io.Writer) error {
		switch format {
		case "json":
			return writeCompareJSON(w, a.FrameworkID, comps)
		case "csv":
			for _, c := range comps {
				fmt.Fprintln(stderr, summaryLine(c))
			}
			return writeCompareCSV(w, comps)
		default:
			return writeCompareTable(w, comps)
		}
	})
}

// scoreLabelled scores under one scheme, printing its warnings labelled.
func scoreLabelled(l *loaded, s *engine.Scheme, label string, stderr io.Writer) (*engine.Result, error) {
	res, err := engine.Score(l.fw, l.data, s)
	if err != nil {
		return nil, fmt.Errorf("scheme %s: %w", label, err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "warning: scheme %s: %s\n", label, w)
	}
	return res, nil
}

// compareNodes returns the node indices to compare: the one with code, or
// every node of level.
func compareNodes(res *engine.Result, level int, code string) ([]int, error) {
	if code != "" {
		k := res.NodeIndex(code)
		if k < 0 {
			return nil, fmt.Errorf("--code %q: not an indicator of framework %s", code, res.FrameworkID)
		}
		return []int{k}, nil
	}
	var out []int
	deepest := 0
	for k, n := range res.Nodes {
		deepest = max(deepest, n.Level)
		if n.Level == level {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--level %d: framework %s has levels 0 (overall) to %d", level, res.FrameworkID, deepest)
	}
	return out, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
