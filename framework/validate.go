package framework

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// weightSumTolerance is how far sibling weights may sum from 1 before
// Validate warns that it normalises them; it absorbs the rounding of
// written-out fractions such as 1/3 (0.3333333333333333 × 3).
const weightSumTolerance = 1e-9

// Validate checks a framework built in code (or decoded without positions)
// and returns every problem found; its diagnostics carry no line numbers.
// Parse runs the same checks on files.
func Validate(f *Framework) Diagnostics { return validate(f, nil, "") }

// validator collects diagnostics for one framework.
type validator struct {
	file  string
	locs  *locations
	diags Diagnostics
}

func (v *validator) add(at position, code, field string, sev Severity, format string, args ...any) {
	v.diags = append(v.diags, Diagnostic{File: v.file, Line: at.line, Column: at.column,
		Code: code, Field: field, Severity: sev, Message: fmt.Sprintf(format, args...)})
}

func validate(f *Framework, locs *locations, file string) Diagnostics {
	v := &validator{file: file, locs: locs}
	v.header(f)
	codes := map[string]*Indicator{}
	f.Walk(func(ind, _ *Indicator, _ int) bool {
		v.code(ind, codes)
		v.indicator(ind)
		return true
	})
	v.siblings(f.Indicators, nil)
	f.Walk(func(ind, _ *Indicator, _ int) bool {
		v.siblings(ind.Children, ind)
		return true
	})
	return v.diags
}

// header checks the framework's own fields.
func (v *validator) header(f *Framework) {
	switch {
	case f.ID == "":
		v.add(v.locs.top(""), "", "id", Error, "missing (letters, digits, '.', '_' and '-')")
	case !validCode(f.ID):
		v.add(v.locs.top("id"), "", "id", Error, "%q: use only letters, digits, '.', '_' and '-'", f.ID)
	}
	if f.Version == "" {
		v.add(v.locs.top(""), "", "version", Error, "missing")
	}
	if f.Name.IsZero() {
		v.add(v.locs.top(""), "", "name", Error, "missing")
	}
	if len(f.Indicators) == 0 {
		v.add(v.locs.top("indicators"), "", "indicators", Error, "must list at least one indicator")
	}
	if depth := f.Depth(); len(f.Levels) > 0 && depth > 0 && len(f.Levels) != depth {
		v.add(v.locs.top("levels"), "", "levels", Warning,
			"names %d levels but the indicator tree is %d levels deep", len(f.Levels), depth)
	}
}

// validCode reports whether s is a non-empty run of ASCII letters, digits,
// '.', '_' and '-', the characters allowed in ids and codes.
func validCode(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok {
			return false
		}
	}
	return true
}

func (v *validator) code(ind *Indicator, codes map[string]*Indicator) {
	switch {
	case ind.Code == "":
		v.add(v.locs.of(ind, ""), "", "code", Error, "missing (every indicator needs a unique code)")
		return
	case !validCode(ind.Code):
		v.add(v.locs.of(ind, "code"), ind.Code, "code", Error, "use only letters, digits, '.', '_' and '-'")
	}
	if first, dup := codes[ind.Code]; dup {
		here, there := v.locs.of(ind, "code"), v.locs.of(first, "code")
		if here.line > 0 {
			v.add(here, ind.Code, "code", Error, "duplicate code: used at lines %d and %d", there.line, here.line)
		} else {
			v.add(here, ind.Code, "code", Error, "duplicate code: used more than once")
		}
		return
	}
	codes[ind.Code] = ind
}

// leafFields are the fields that only make sense on a leaf.
var leafFields = []string{"kind", "unit", "direction", "goalposts", "target", "valid", "rubric"}

func (v *validator) indicator(ind *Indicator) {
	c := ind.Code
	if ind.Name.IsZero() {
		v.add(v.locs.of(ind, ""), c, "name", Error, "missing")
	}
	if ind.Weight != nil && !validWeight(*ind.Weight) {
		v.add(v.locs.of(ind, "weight"), c, "weight", Error, "must be a positive finite number, got %v", *ind.Weight)
	}
	if ind.Direction != 0 && ind.Direction != 1 && ind.Direction != -1 {
		v.add(v.locs.of(ind, "direction"), c, "direction", Error, "must be 1 or -1, got %d", ind.Direction)
	}
	if ind.Target != nil && (math.IsNaN(*ind.Target) || math.IsInf(*ind.Target, 0)) {
		v.add(v.locs.of(ind, "target"), c, "target", Error, "must be a finite number, got %v", *ind.Target)
	}
	for _, d := range ind.Defaults {
		if !slices.Contains(indicatorFields, d) || d == "parent" || d == "code" || d == "children" {
			v.add(v.locs.of(ind, "defaults"), c, "defaults", Warning, "%q is not an indicator field", d)
		}
	}
	if !ind.IsLeaf() {
		for _, field := range leafFields {
			if setLeafField(ind, field) {
				v.add(v.locs.of(ind, field), c, field, Error, "only a leaf (an indicator without children) may have a %s", field)
			}
		}
		return
	}
	v.leaf(ind)
}

// setLeafField reports whether a leaf-only field is set on ind.
func setLeafField(ind *Indicator, field string) bool {
	switch field {
	case "kind":
		return ind.Kind != ""
	case "unit":
		return ind.Unit != ""
	case "direction":
		return ind.Direction != 0
	case "goalposts":
		return ind.Goalposts != nil
	case "target":
		return ind.Target != nil
	case "valid":
		return ind.Valid != nil
	default:
		return len(ind.Rubric) > 0
	}
}

func (v *validator) leaf(ind *Indicator) {
	c := ind.Code
	switch {
	case ind.Kind == "":
		v.add(v.locs.of(ind, ""), c, "kind", Error, "missing: a leaf must be quantitative, rubric or expert")
	case !ind.Kind.Valid():
		v.add(v.locs.of(ind, "kind"), c, "kind", Error, "%q is not a kind (want quantitative, rubric or expert)", string(ind.Kind))
	}
	if g := ind.Goalposts; g != nil {
		if !finite(g.Low) || !finite(g.High) || g.Low >= g.High {
			v.add(v.locs.of(ind, "goalposts"), c, "goalposts", Error,
				"low must be below high (both finite), got low %v, high %v", g.Low, g.High)
		}
		if ind.Kind.Valid() && ind.Kind != Quantitative {
			v.add(v.locs.of(ind, "goalposts"), c, "goalposts", Warning, "ignored: only quantitative leaves use goalposts")
		}
	}
	v.validRange(ind)
	// A rubric on a quantitative or expert leaf is a fallback for when no
	// number is available (the built-in framework uses this), so it is
	// checked like any other rubric.
	if (ind.Kind == Rubric || len(ind.Rubric) > 0) && len(ind.Rubric) < 2 {
		v.add(v.locs.of(ind, "rubric"), c, "rubric", Error, "a rubric needs at least 2 levels, got %d", len(ind.Rubric))
	}
	for i, lvl := range ind.Rubric {
		if !(lvl.Score >= 0 && lvl.Score <= 100) {
			v.add(v.locs.of(ind, "rubric"), c, "rubric", Error, "level %d (%s): score must be within [0, 100], got %v",
				i+1, lvl.Label.In("zh"), lvl.Score)
		}
		if i > 0 && !(lvl.Score > ind.Rubric[i-1].Score) {
			v.add(v.locs.of(ind, "rubric"), c, "rubric", Error,
				"scores must strictly increase from worst to best level, but level %d scores %v after %v",
				i+1, lvl.Score, ind.Rubric[i-1].Score)
		}
	}
}

// validRange checks a leaf's valid range: finite bounds, min ≤ max, only on
// leaves that take a value, and goalposts inside it (a goalpost outside the
// values that can be entered could never be reached).
func (v *validator) validRange(ind *Indicator) {
	r, c := ind.Valid, ind.Code
	if r == nil {
		return
	}
	at := v.locs.of(ind, "valid")
	if (r.Min != nil && !finite(*r.Min)) || (r.Max != nil && !finite(*r.Max)) {
		v.add(at, c, "valid", Error, "bounds must be finite numbers")
		return
	}
	if r.Min != nil && r.Max != nil && *r.Min > *r.Max {
		v.add(at, c, "valid", Error, "min must not be above max, got min %v, max %v", *r.Min, *r.Max)
		return
	}
	if ind.Kind == Rubric {
		v.add(at, c, "valid", Warning, "ignored: a rubric leaf takes a level, not a value")
		return
	}
	if g := ind.Goalposts; g != nil && (!r.Contains(g.Low) || !r.Contains(g.High)) {
		v.add(at, c, "valid", Error, "goalposts %v–%v must lie within the valid range", g.Low, g.High)
	}
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// siblings warns about weights SiblingWeights has to fix up: a mix of given
// and absent weights, and given weights that do not sum to 1.
func (v *validator) siblings(list []*Indicator, parent *Indicator) {
	if len(list) == 0 {
		return
	}
	code, whose := "", "top-level indicators"
	if parent != nil {
		code, whose = parent.Code, "children of "+parent.Code
	}
	given, sum := 0, 0.0
	var absent *Indicator
	for _, ind := range list {
		switch {
		case ind.Weight == nil:
			if absent == nil {
				absent = ind
			}
		case validWeight(*ind.Weight):
			given++
			sum += *ind.Weight
		default:
			return // already an error; the sum means nothing
		}
	}
	at := v.locs.of(list[0], "weight")
	if given > 0 && absent != nil {
		v.add(v.locs.of(absent, ""), code, "weight", Warning,
			"%d of the %d %s have a weight and %s has none: indicators without one get the mean of the given weights",
			given, len(list), whose, absent.Code)
		return
	}
	if given > 0 && math.Abs(sum-1) > weightSumTolerance {
		v.add(at, code, "weight", Warning, "weights of the %s sum to %s, not 1: they are normalised",
			whose, strconv.FormatFloat(sum, 'g', 6, 64))
	}
}
