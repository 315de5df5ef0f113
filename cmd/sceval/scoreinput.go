package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
	"github.com/spf13/cobra"
)

// scoreInputs are the flags shared by score, compare, sensitivity and
// audit: what to score (framework, data) and how (scheme, method
// overrides).
type scoreInputs struct {
	framework string
	data      string
	read      dataReadFlags
	attrs     []string
	scheme    string
	normalise string
	aggregate string
}

// register adds the input flags to cmd.
func (in *scoreInputs) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&in.framework, "framework", "mohurd-2012", "framework: built-in id or YAML/JSON file")
	f.StringVar(&in.data, "data", "", "data file: .csv, .tsv or .xlsx, one row per unit (required; see docs/data-format.md)")
	in.read.register(cmd)
	f.StringSliceVar(&in.attrs, "attr", nil, "data columns that are unit attributes, not indicators (repeatable or comma-separated)")
	f.StringVar(&in.scheme, "scheme", "", "scoring scheme YAML/JSON file (default: framework weights, min-max 0–100, weighted arithmetic mean)")
	f.StringVar(&in.normalise, "normalise", "", "normalisation of every quantitative leaf: minmax[:L,U], zscore[:M,S], rank, percentile, target, goalposts, passthrough")
	f.StringVar(&in.aggregate, "aggregate", "", "aggregation at every level: amean, gmean, hmean, topsis, fuzzy")
	_ = cmd.MarkFlagRequired("data")
}

// loaded is everything a scoring command needs.
type loaded struct {
	fw     *framework.Framework
	data   *engine.Data
	scheme *engine.Scheme
}

// load reads the framework, the data and the scheme, printing warnings to
// warn, and applies --normalise and --aggregate.
func (in *scoreInputs) load(warn io.Writer) (*loaded, error) {
	fw, err := loadFramework(in.framework, warn)
	if err != nil {
		return nil, err
	}
	leaves := fw.Leaves()
	codes := make([]string, len(leaves))
	for i, l := range leaves {
		codes[i] = l.Code
	}
	s, err := loadScheme(in.scheme, warn)
	if err != nil {
		return nil, err
	}
	if err := applyOverrides(s, in.normalise, in.aggregate); err != nil {
		return nil, err
	}
	opt := dataset.ReadOptions{Codes: codes, Framework: fw.ID, Composites: composites(fw), Names: indicatorNames(fw), Attrs: in.attrs, Check: leafCheck(leaves, s)}
	in.read.apply(&opt)
	d, warnings, err := dataset.ReadFile(in.data, opt)
	if err != nil {
		return nil, err
	}
	printWarnings(warn, warnings)
	return &loaded{fw: fw, data: d, scheme: s}, nil
}

// dataReadFlags are the flags that say how to read a data file, shared by
// every command that reads one.
type dataReadFlags struct {
	sheet     string
	headerRow int
	maxXLSXMB int
}

// register adds --sheet, --header-row and --max-xlsx-mb to cmd.
func (r *dataReadFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&r.sheet, "sheet", "", "XLSX worksheet to read (default: the first)")
	f.IntVar(&r.headerRow, "header-row", 0, "row of the data file's header, when title rows are above it (default: the first non-empty row)")
	f.IntVar(&r.maxXLSXMB, "max-xlsx-mb", int(dataset.DefaultMaxInflated>>20), "most MiB one part of an XLSX workbook may inflate to (a guard against zip bombs)")
}

// apply copies the flags into opt.
func (r *dataReadFlags) apply(opt *dataset.ReadOptions) {
	opt.Sheet, opt.HeaderRow = r.sheet, r.headerRow
	opt.MaxInflated = int64(r.maxXLSXMB) << 20
}

// indicatorNames maps every indicator's Chinese and English name to its
// code, so that a data column headed by a name is explained. Names are not
// unique (产业规划 is 4.1 and 4.1.1): the leaf, which is what a data column
// can be, wins; among composites the first.
func indicatorNames(fw *framework.Framework) map[string]string {
	names := map[string]string{}
	fw.Walk(func(ind, _ *framework.Indicator, _ int) bool {
		for _, n := range []string{ind.Name.Zh, ind.Name.En} {
			if n = strings.TrimSpace(n); n == "" {
				continue
			}
			if prev, ok := names[n]; !ok || ind.IsLeaf() && !fw.Lookup(prev).IsLeaf() {
				names[n] = ind.Code
			}
		}
		return true
	})
	return names
}

// composites maps the framework's id and the code of every non-leaf
// indicator to the leaves below it, so that a data column for one of them
// is refused with an explanation rather than as an unknown code.
func composites(fw *framework.Framework) map[string][]string {
	out := map[string][]string{}
	var below func(ind *framework.Indicator) []string
	below = func(ind *framework.Indicator) []string {
		if ind.IsLeaf() {
			return []string{ind.Code}
		}
		var leaves []string
		for _, c := range ind.Children {
			leaves = append(leaves, below(c)...)
		}
		out[ind.Code] = leaves
		return leaves
	}
	var all []string
	for _, top := range fw.Indicators {
		all = append(all, below(top)...)
	}
	if _, clash := out[fw.ID]; !clash {
		out[fw.ID] = all
	}
	return out
}

// leafCheck vets rubric levels (whole numbers 1..n) and expert scores
// (0–100) while the data is read, so that each bad cell is reported with
// its row and column. Leaves whose normalisation the scheme overrides by
// code are not checked: their values may mean something else.
func leafCheck(leaves []*framework.Indicator, s *engine.Scheme) func(j int, v float64) string {
	overridden := map[string]bool{}
	for _, o := range s.Overrides {
		if o.Normalisation != nil {
			for _, c := range o.Codes {
				overridden[c] = true
			}
		}
	}
	// levels[j] > 0: rubric with that many levels; -1: expert; 0: no check.
	levels := make([]int, len(leaves))
	for j, l := range leaves {
		switch {
		case overridden[l.Code]:
		case l.Kind == framework.Rubric:
			levels[j] = len(l.Rubric)
		case l.Kind == framework.Expert:
			levels[j] = -1
		}
	}
	return func(j int, v float64) string {
		switch n := levels[j]; {
		case n > 0 && (v != math.Trunc(v) || v < 1 || v > float64(n)):
			return fmt.Sprintf("%s is not a rubric level of indicator %s (levels are whole numbers 1–%d)", dataset.FormatNumber(v), leaves[j].Code, n)
		case n < 0 && (v < 0 || v > 100):
			return fmt.Sprintf("%s is not an expert score of indicator %s (0–100)", dataset.FormatNumber(v), leaves[j].Code)
		}
		return ""
	}
}

// loadScheme reads a scheme file, or returns the default scheme for "".
// The file may be UTF-8, UTF-16 or GB18030 (a YAML file saved by Notepad
// on Chinese Windows), like data files; a notice names a decoded encoding.
func loadScheme(path string, warn io.Writer) (*engine.Scheme, error) {
	if path == "" {
		return engine.DefaultScheme(), nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read scheme: %w", err)
	}
	b, enc, err := dataset.DecodeText(path, raw)
	if err != nil {
		return nil, fmt.Errorf("load scheme: %w", err)
	}
	if notice := dataset.EncodingNotice(path, enc); notice != "" {
		printWarnings(warn, []string{notice})
	}
	s, err := engine.ParseScheme(path, b)
	if err != nil {
		return nil, fmt.Errorf("load scheme %s: %w", path, err)
	}
	return s, nil
}

// applyOverrides applies --normalise / --aggregate style specs (empty
// means unchanged) to every level of s.
func applyOverrides(s *engine.Scheme, normalise, aggregate string) error {
	var n *engine.Normalisation
	var a *engine.Aggregation
	if normalise != "" {
		v, err := engine.ParseNormalisation(normalise)
		if err != nil {
			return fmt.Errorf("--normalise: %w", err)
		}
		n = &v
	}
	if aggregate != "" {
		v, err := engine.ParseAggregation(aggregate)
		if err != nil {
			return fmt.Errorf("--aggregate: %w", err)
		}
		a = &v
	}
	s.OverrideAll(n, a)
	return nil
}

// printWarnings prints each warning on its own line of w.
func printWarnings(w io.Writer, warnings []string) {
	for _, s := range warnings {
		fmt.Fprintln(w, "warning:", s)
	}
}

// isTerminal reports whether w is a character device (a terminal), using
// only os.File.Stat so that no dependency is needed.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// pickFormat resolves --format: an explicit value wins; otherwise the --out
// file's extension (.csv, .json, .xlsx, .txt for a table), else a table on
// a terminal and CSV when the output is a pipe or a file. An inferred
// format the command does not offer becomes CSV.
func pickFormat(format, out string, stdout io.Writer, allowed ...string) (string, error) {
	explicit := format != ""
	if !explicit {
		switch ext := strings.ToLower(filepath.Ext(out)); {
		case out == "" && isTerminal(stdout):
			format = "table"
		case ext == ".json" || ext == ".xlsx" || ext == ".csv":
			format = ext[1:]
		case ext == ".txt":
			format = "table"
		default:
			format = "csv"
		}
	}
	switch {
	case slices.Contains(allowed, format):
	case !explicit:
		format = "csv"
	default:
		return "", fmt.Errorf("--format %q: want one of %s", format, strings.Join(allowed, ", "))
	}
	if format == "xlsx" && out == "" {
		return "", fmt.Errorf("--format xlsx writes a binary workbook: give --out FILE.xlsx")
	}
	return format, nil
}

// writeOutput calls write with stdout, or with the file out (created or
// truncated) when out is not empty, reporting errors that occur on close.
// outputError explains why an output file could not be created in the
// user's terms (a missing directory, a directory given as the file) rather
// than as the system call's error.
func outputError(out string, err error) error {
	dir := filepath.Dir(out)
	if st, serr := os.Stat(out); serr == nil && st.IsDir() {
		return fmt.Errorf("write %s: is a directory (give a file name)", out)
	}
	if st, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
		return fmt.Errorf("write %s: directory %s does not exist (create it first)", out, dir)
	} else if serr == nil && !st.IsDir() {
		return fmt.Errorf("write %s: %s is not a directory", out, dir)
	}
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("write %s: permission denied", out)
	}
	return fmt.Errorf("write %s: %w", out, err)
}

func writeOutput(out string, stdout io.Writer, write func(io.Writer) error) error {
	if out == "" || out == "-" {
		return write(stdout)
	}
	f, err := os.Create(out)
	if err != nil {
		return outputError(out, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", out, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}
