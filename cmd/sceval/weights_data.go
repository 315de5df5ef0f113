package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/termtable"
	"github.com/spf13/cobra"
)

// weightsData are the flags shared by the data-driven weight commands.
type weightsData struct {
	data      string
	framework string
	read      dataReadFlags
	attrs     []string
	format    string
}

// register adds the shared flags to cmd.
func (in *weightsData) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&in.data, "data", "", "data file: .csv, .tsv or .xlsx, one row per unit (required)")
	f.StringVar(&in.framework, "framework", "", "framework id or file: data columns are its leaf codes, directions from it (default: every column after the unit id, higher is better)")
	in.read.register(cmd)
	f.StringSliceVar(&in.attrs, "attr", nil, "data columns that are unit attributes, not indicators (repeatable or comma-separated)")
	f.StringVar(&in.format, "format", "table", "output format: table or json")
	_ = cmd.MarkFlagRequired("data")
}

// weightsInput is the data a method weighs.
type weightsInput struct {
	codes []string
	cols  [][]float64 // cols[j] = indicator j across units, NaN missing
	dirs  []float64   // nil: all higher-is-better
	units int
}

// load reads the data file (and the framework, if given), printing
// warnings to warn.
func (in *weightsData) load(warn io.Writer) (*weightsInput, error) {
	if err := wtCheckFormat(in.format); err != nil {
		return nil, err
	}
	opt := dataset.ReadOptions{Attrs: in.attrs}
	in.read.apply(&opt)
	var dirs []float64
	if in.framework != "" {
		fw, err := loadFramework(in.framework, warn)
		if err != nil {
			return nil, err
		}
		for _, leaf := range fw.Leaves() {
			opt.Codes = append(opt.Codes, leaf.Code)
			dirs = append(dirs, leaf.Sign())
		}
		opt.Framework = fw.ID
		opt.Composites = composites(fw)
		opt.Names = indicatorNames(fw)
	}
	d, warnings, err := dataset.ReadFile(in.data, opt)
	if err != nil {
		return nil, err
	}
	for _, s := range warnings {
		fmt.Fprintln(warn, "warning:", s)
	}
	if len(d.Codes) == 0 {
		return nil, fmt.Errorf("%s: no indicator columns after the unit id", in.data)
	}
	w := &weightsInput{codes: d.Codes, dirs: dirs, units: len(d.Units)}
	w.cols = make([][]float64, len(d.Codes))
	for j := range d.Codes {
		w.cols[j] = d.Column(j)
	}
	return w, nil
}

// methodTable is the table and JSON output shared by the data methods:
// one row per indicator with the weight and method-specific columns.
type methodTable struct {
	codes    []string
	weights  []float64
	columns  []string    // extra column names
	extra    [][]float64 // extra[c][j]: column c for indicator j
	integer  []bool      // integer[c]: column c holds whole numbers
	notes    []string    // lines printed under the table
	warnings []string
}

// write prints the warnings to warn and the table, or writes the JSON
// document v, to w.
func (t *methodTable) write(w, warn io.Writer, format string, v any) error {
	for _, s := range t.warnings {
		fmt.Fprintln(warn, "warning:", s)
	}
	if format == "json" {
		return wtWriteJSON(w, v)
	}
	tt := termtable.Table{Header: append([]string{"code", "weight"}, t.columns...)}
	tt.Right = make([]bool, len(tt.Header))
	for c := 1; c < len(tt.Right); c++ {
		tt.Right[c] = true
	}
	for j, code := range t.codes {
		row := []string{code, wtFmt(t.weights[j])}
		for c := range t.columns {
			v := t.extra[c][j]
			if c < len(t.integer) && t.integer[c] && v == v {
				row = append(row, strconv.FormatFloat(v, 'f', 0, 64))
			} else {
				row = append(row, wtFmt(v))
			}
		}
		tt.Rows = append(tt.Rows, row)
	}
	if _, err := tt.WriteTo(w); err != nil {
		return err
	}
	for _, n := range t.notes {
		if _, err := fmt.Fprintln(w, n); err != nil {
			return err
		}
	}
	return nil
}

// wtNonNil returns s, or an empty slice so that JSON shows [] not null.
func wtNonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
