package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/termtable"
)

// writeAuditTable prints the audit for a terminal: one row per group, the
// flags, each indicator's correlations with its parent and the index, and
// the notes.
func writeAuditTable(w io.Writer, rep *engine.AuditReport) error {
	fmt.Fprintf(w, "Statistical audit of %s: %d units, scores after normalisation and aggregation\n\n", rep.FrameworkID, rep.Units)
	groups := termtable.Table{
		Header: []string{"group", "level", "children", "complete", "alpha", "PC1 share", "kaiser"},
		Right:  []bool{false, true, true, true, true, true, true},
	}
	for _, g := range rep.Groups {
		kaiser := "—"
		if g.Eigenvalues != nil {
			kaiser = strconv.Itoa(g.Kaiser)
		}
		groups.Rows = append(groups.Rows, []string{g.Parent, strconv.Itoa(g.Level), strconv.Itoa(len(g.Codes)),
			strconv.Itoa(g.CompleteCases), wtFmt(g.Alpha), wtFmt(g.FirstShare), kaiser})
	}
	if _, err := groups.WriteTo(w); err != nil {
		return err
	}
	o := rep.Options
	fmt.Fprintf(w, "\nFlags (Pearson r; weak: r with parent < %s; collinear: |r| > %s): %d\n",
		strconv.FormatFloat(o.Weak, 'g', -1, 64), strconv.FormatFloat(o.Collinear, 'g', -1, 64), len(rep.Flags))
	if len(rep.Flags) > 0 {
		flags := termtable.Table{Header: []string{"flag", "group", "code", "with", "r"},
			Right: []bool{false, false, false, false, true}}
		for _, f := range rep.Flags {
			flags.Rows = append(flags.Rows, []string{string(f.Kind), f.Group, f.Code, f.Other, wtFmt(f.R)})
		}
		if _, err := flags.WriteTo(w); err != nil {
			return err
		}
	}
	fmt.Fprintln(w, "\nCorrelation of each indicator with its parent and with the index (r Pearson, ρ Spearman)")
	cross := termtable.Table{Header: []string{"code", "parent", "r parent", "ρ parent", "r index", "ρ index"},
		Right: []bool{false, false, true, true, true, true}}
	var notes []string
	for _, g := range rep.Groups {
		for j, code := range g.Codes {
			cross.Rows = append(cross.Rows, []string{code, g.Parent, wtFmt(g.ParentPearson[j]), wtFmt(g.ParentSpearman[j]),
				wtFmt(g.IndexPearson[j]), wtFmt(g.IndexSpearman[j])})
		}
		for _, n := range g.Notes {
			notes = append(notes, g.Parent+": "+n)
		}
	}
	if _, err := cross.WriteTo(w); err != nil {
		return err
	}
	if len(notes) > 0 {
		fmt.Fprintln(w, "\nNotes")
		for _, n := range notes {
			fmt.Fprintln(w, "  "+n)
		}
	}
	_, err := fmt.Fprintln(w, "\nalpha: Cronbach's α (complete cases); PC1 share: λ₁/k of the children's correlation matrix; kaiser: eigenvalues > 1")
	return err
}

// auditJSONGroup is one group in audit's JSON output.
type auditJSONGroup struct {
	Parent        string         `json:"parent"`
	Level         int            `json:"level"`
	Codes         []string       `json:"codes"`
	CompleteCases int            `json:"complete_cases"`
	Alpha         jsonNumber     `json:"alpha"`
	Eigenvalues   []jsonNumber   `json:"eigenvalues"`
	FirstShare    jsonNumber     `json:"first_share"`
	Kaiser        *int           `json:"kaiser"`
	Pearson       [][]jsonNumber `json:"pearson"`
	Spearman      [][]jsonNumber `json:"spearman"`
	WithParent    auditJSONPair  `json:"with_parent"`
	WithIndex     auditJSONPair  `json:"with_index"`
	Notes         []string       `json:"notes"`
}

// auditJSONPair holds the children's correlations with one other node.
type auditJSONPair struct {
	Pearson  []jsonNumber `json:"pearson"`
	Spearman []jsonNumber `json:"spearman"`
}

// auditJSONFlag is one flag in audit's JSON output.
type auditJSONFlag struct {
	Kind  string     `json:"kind"`
	Group string     `json:"group"`
	Code  string     `json:"code"`
	Other string     `json:"with"`
	R     jsonNumber `json:"r"`
}

// writeAuditJSON writes the whole report; undefined figures are null.
func writeAuditJSON(w io.Writer, rep *engine.AuditReport) error {
	type options struct {
		Level     int        `json:"level"`
		Weak      jsonNumber `json:"weak"`
		Collinear jsonNumber `json:"collinear"`
		MinUnits  int        `json:"min_units"`
	}
	o := rep.Options
	doc := struct {
		Framework string           `json:"framework"`
		Units     int              `json:"units"`
		Options   options          `json:"options"`
		Groups    []auditJSONGroup `json:"groups"`
		Flags     []auditJSONFlag  `json:"flags"`
	}{rep.FrameworkID, rep.Units, options{o.Level, jsonNumber(o.Weak), jsonNumber(o.Collinear), o.MinUnits},
		[]auditJSONGroup{}, []auditJSONFlag{}}
	for _, g := range rep.Groups {
		jg := auditJSONGroup{Parent: g.Parent, Level: g.Level, Codes: g.Codes, CompleteCases: g.CompleteCases,
			Alpha: jsonNumber(g.Alpha), Eigenvalues: jsonNumbers(g.Eigenvalues), FirstShare: jsonNumber(g.FirstShare),
			Pearson: jsonMatrix(g.Pearson), Spearman: jsonMatrix(g.Spearman),
			WithParent: auditJSONPair{jsonNumbers(g.ParentPearson), jsonNumbers(g.ParentSpearman)},
			WithIndex:  auditJSONPair{jsonNumbers(g.IndexPearson), jsonNumbers(g.IndexSpearman)},
			Notes:      wtNonNil(g.Notes)}
		if g.Eigenvalues != nil {
			k := g.Kaiser
			jg.Kaiser = &k
		}
		doc.Groups = append(doc.Groups, jg)
	}
	for _, f := range rep.Flags {
		doc.Flags = append(doc.Flags, auditJSONFlag{string(f.Kind), f.Group, f.Code, f.Other, jsonNumber(f.R)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write audit: %w", err)
	}
	return nil
}

// jsonNumbers converts v for JSON (nil stays nil: null).
func jsonNumbers(v []float64) []jsonNumber {
	if v == nil {
		return nil
	}
	out := make([]jsonNumber, len(v))
	for i, x := range v {
		out[i] = jsonNumber(x)
	}
	return out
}

// jsonMatrix converts a matrix for JSON.
func jsonMatrix(m [][]float64) [][]jsonNumber {
	out := make([][]jsonNumber, len(m))
	for i, row := range m {
		out[i] = jsonNumbers(row)
	}
	return out
}
