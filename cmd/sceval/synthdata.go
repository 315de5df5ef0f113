package main

import (
	"fmt"
	"io"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
	"github.com/spf13/cobra"
)

// newSynthDataCmd is a hidden helper that writes a synthetic data file, so
// that anyone can reproduce benchmarks at the national scale.
func newSynthDataCmd() *cobra.Command {
	var (
		fwRef string
		units int
		seed  uint64
		out   string
		quant string
	)
	cmd := &cobra.Command{
		Use:    "synth-data",
		Short:  "Write a synthetic data file for a framework (benchmarks, demos)",
		Hidden: true,
		Long: `synth-data writes engine.Synthetic data as CSV: a "unit" column, a "province"
attribute and one column per leaf of the framework, about 3 % of cells empty.
The values are random but deterministic for a seed; they mean nothing.

--quantitative FILE makes every leaf quantitative (so that every column holds
decimals, ~15 MB for 41,352 units of the MOHURD framework) and writes that
variant of the framework to FILE, to score the data with.`,
		Example: `  sceval synth-data --units 41352 --out towns.csv
  sceval score --data towns.csv --attr province --format csv --out scores.csv
  sceval synth-data --units 41352 --quantitative q57.yaml --out q57.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if units < 1 {
				return fmt.Errorf("--units %d: want at least 1", units)
			}
			fw, err := loadFramework(fwRef, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if quant != "" {
				if fw, err = writeQuantitative(fw, quant); err != nil {
					return err
				}
			}
			d := engine.Synthetic(fw, units, seed)
			return writeOutput(out, cmd.OutOrStdout(), func(w io.Writer) error { return dataset.WriteDataCSV(w, d) })
		},
	}
	cmd.Flags().StringVar(&fwRef, "framework", "mohurd-2012", "framework: built-in id or YAML/JSON file")
	cmd.Flags().IntVar(&units, "units", 1000, "number of units (rows)")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed")
	cmd.Flags().StringVarP(&out, "out", "o", "", "output file (default: stdout)")
	cmd.Flags().StringVar(&quant, "quantitative", "", "make every leaf quantitative and write that framework to this YAML file")
	return cmd
}

// writeQuantitative returns a copy of fw whose leaves are all quantitative
// and writes it as YAML to path.
func writeQuantitative(fw *framework.Framework, path string) (*framework.Framework, error) {
	fw = fw.Clone()
	for _, l := range fw.Leaves() {
		l.Kind, l.Rubric = framework.Quantitative, nil
	}
	err := writeOutput(path, nil, func(w io.Writer) error { return framework.ExportYAML(w, fw) })
	return fw, err
}
