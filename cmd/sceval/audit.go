package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/sceval/sceval/engine"
	"github.com/spf13/cobra"
)

// auditFlags are audit's own flags, beside the shared scoring inputs.
type auditFlags struct {
	opt         engine.AuditOptions
	format, out string
}

func newAuditCmd() *cobra.Command {
	var (
		in scoreInputs
		af = auditFlags{opt: engine.DefaultAuditOptions()}
	)
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Statistical audit: correlations, Cronbach's alpha and PCA per indicator group",
		Long: `Audit scores the data as score does (same framework, data and scheme flags)
and audits every group of sibling indicators, as Step 4, "Multivariate
analysis", of the OECD/JRC Handbook on Constructing Composite Indicators
(2008) and COINr's get_corr, get_corr_flags, get_cronbach and get_PCA do:

  - Cronbach's alpha of the children taken as items (complete cases);
  - PCA of the children's correlation matrix: the first component's share
    of variance and the number of eigenvalues above 1 (Kaiser: 1 means the
    group measures one thing);
  - Pearson and Spearman correlations among the siblings, and of each
    child with its parent and with the overall index (pairwise-complete).

Flags: a child correlating negatively with its parent, or below --weak; two
siblings with |r| above --collinear (Pearson's r on the scores).

The table shows the groups, the flags, each indicator's correlation with
its parent and the index, and notes on undefined figures; --format json adds
the full correlation matrices and eigenvalues. --level N audits only the
groups whose children are at level N (1 = first-level indicators). Methods
and a worked example: docs/methods.md, "Statistical audit".`,
		Example: `  sceval audit --data towns.csv --attr province
  sceval audit --framework my-index.yaml --data d.csv --scheme s.yaml --level 2
  sceval audit --data towns.csv --attr province --format json --out audit.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAudit(cmd, &in, &af)
		},
	}
	in.register(cmd)
	f := cmd.Flags()
	f.IntVar(&af.opt.Level, "level", 0, "audit only the groups whose children are at this level (0 = every group)")
	f.Float64Var(&af.opt.Weak, "weak", af.opt.Weak, "flag a child whose correlation with its parent is below this")
	f.Float64Var(&af.opt.Collinear, "collinear", af.opt.Collinear, "flag two siblings whose |correlation| is above this")
	f.IntVar(&af.opt.MinUnits, "min-units", af.opt.MinUnits, "complete cases needed for alpha and PCA")
	f.StringVar(&af.format, "format", "", "output format: table or json (default: json when --out ends in .json, else table)")
	f.StringVarP(&af.out, "out", "o", "", "output file (default: stdout)")
	return cmd
}

func runAudit(cmd *cobra.Command, in *scoreInputs, af *auditFlags) error {
	format := af.format
	if format == "" {
		format = "table"
		if strings.EqualFold(filepath.Ext(af.out), ".json") {
			format = "json"
		}
	}
	if format != "table" && format != "json" {
		return fmt.Errorf("--format %q: want table or json", format)
	}
	if err := af.opt.Validate(); err != nil { // before scoring: fail fast
		return err
	}
	res, err := runScore(in, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	rep, err := engine.Audit(res, af.opt)
	if err != nil {
		return err
	}
	return writeOutput(af.out, cmd.OutOrStdout(), func(w io.Writer) error {
		if format == "json" {
			return writeAuditJSON(w, rep)
		}
		return writeAuditTable(w, rep)
	})
}
