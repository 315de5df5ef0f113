package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/sceval/sceval/engine/weight"
	"github.com/sceval/sceval/framework"
	"go.yaml.in/yaml/v3"
)

// ErrInvalidScheme is wrapped by every scheme validation error.
var ErrInvalidScheme = errors.New("invalid scheme")

// SchemeProblem is one problem found in a scheme: where (file line, or 0
// when unknown; the field path) and what.
type SchemeProblem struct {
	Line    int
	Field   string
	Message string
}

// SchemeError lists every problem found in a scheme file.
type SchemeError struct {
	File     string
	Problems []SchemeProblem
}

// Error renders one "file:line: field: message" line per problem.
func (e *SchemeError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		if p.Field != "" {
			fmt.Fprintf(&b, ": %s", p.Field)
		}
		fmt.Fprintf(&b, ": %s", p.Message)
	}
	return b.String()
}

// Unwrap lets errors.Is match ErrInvalidScheme.
func (e *SchemeError) Unwrap() error { return ErrInvalidScheme }

// ParseScheme decodes a scheme from YAML or JSON (JSON is read as YAML by
// yaml.v3, so line numbers work for both), rejects unknown fields, fills
// defaults and validates every method name and range. All problems are
// reported at once, each with its file line.
func ParseScheme(filename string, data []byte) (*Scheme, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		probs := yamlProblems(err)
		if ln := framework.TabIndentedLine(data); ln > 0 && len(probs) > 0 {
			probs[0].Message += fmt.Sprintf(" (line %d is indented with a tab: YAML indents with spaces only)", ln)
		}
		return nil, &SchemeError{File: filename, Problems: probs}
	}
	s := new(Scheme)
	if len(bytes.TrimSpace(data)) > 0 {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(s); err != nil {
			return nil, &SchemeError{File: filename, Problems: yamlProblems(err)}
		}
	}
	s.fillDefaults()
	if probs := s.validate(); len(probs) > 0 {
		for i := range probs {
			probs[i].Line = fieldLine(&root, probs[i].Field)
		}
		return nil, &SchemeError{File: filename, Problems: probs}
	}
	return s, nil
}

// yamlProblems splits yaml.v3's "line N: message" errors into problems.
func yamlProblems(err error) []SchemeProblem {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	out := make([]SchemeProblem, 0, len(msgs))
	for _, m := range msgs {
		p := SchemeProblem{Message: m}
		if rest, ok := strings.CutPrefix(m, "line "); ok {
			if num, msg, ok := strings.Cut(rest, ": "); ok {
				if n, err := strconv.Atoi(num); err == nil {
					p.Line, p.Message = n, msg
				}
			}
		}
		p.Message = schemeMessage(p.Message)
		out = append(out, p)
	}
	return out
}

// fieldLine finds the line of a dotted field path ("overrides[1].aggregation.method")
// in a decoded document; it returns the deepest line found, 0 if none.
func fieldLine(root *yaml.Node, path string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, part := range strings.FieldsFunc(path, func(r rune) bool { return r == '.' || r == '[' }) {
		if idx, ok := strings.CutSuffix(part, "]"); ok {
			i, err := strconv.Atoi(idx)
			if err != nil || n.Kind != yaml.SequenceNode || i >= len(n.Content) {
				return line
			}
			n = n.Content[i]
			line = n.Line
			continue
		}
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for k := 0; k+1 < len(n.Content); k += 2 {
			if n.Content[k].Value == part {
				line, n, found = n.Content[k].Line, n.Content[k+1], true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

// fillDefaults replaces empty settings by their defaults, so that a scheme
// that spells out a default and one that omits it are the same scheme.
func (s *Scheme) fillDefaults() {
	if s.Imputation.Method == "" {
		s.Imputation.Method = ImputeNone
	}
	s.Outliers.fillDefaults()
	if s.Normalisation.Method != "" || !s.usesTOPSIS() {
		s.Normalisation.fillDefaults()
	}
	if s.Weighting.Method == "" {
		s.Weighting.Method = WeightFramework
	}
	s.Aggregation.fillDefaults()
	if len(s.Rating.Thresholds) == 0 {
		s.Rating.Thresholds = DefaultStarThresholds()
	}
	for i := range s.Overrides {
		if n := s.Overrides[i].Normalisation; n != nil {
			n.fillDefaults()
		}
		if a := s.Overrides[i].Aggregation; a != nil {
			a.fillDefaults()
		}
	}
}

// usesTOPSIS reports whether some parent may aggregate by TOPSIS (the
// scheme's aggregation or an override's). Such a scheme keeps an unset
// normalisation unset: its default depends on the parent (see
// Scheme.Normalisation).
func (s *Scheme) usesTOPSIS() bool {
	if s.Aggregation.Method == AggTOPSIS {
		return true
	}
	for _, o := range s.Overrides {
		if o.Aggregation != nil && o.Aggregation.Method == AggTOPSIS {
			return true
		}
	}
	return false
}

func (o *Outliers) fillDefaults() {
	if o.Method == "" {
		o.Method = OutliersNone
	}
	if o.MaxPoints == 0 {
		o.MaxPoints = 5
	}
	if o.SkewLimit == 0 {
		o.SkewLimit = 2
	}
	if o.KurtLimit == 0 {
		o.KurtLimit = 3.5
	}
}

func (n *Normalisation) fillDefaults() {
	if n.Method == "" {
		n.Method = NormMinMax
	}
	if n.Method == NormMinMax && n.Low == 0 && n.High == 0 {
		n.High = 100
	}
}

func (a *Aggregation) fillDefaults() {
	if a.Method == "" {
		a.Method = AggArithmetic
	}
	if a.Missing == "" {
		a.Missing = MissingRenormalise
	}
}

// validate returns every problem of a defaults-filled scheme, each with its
// field path.
func (s *Scheme) validate() []SchemeProblem {
	var ps []SchemeProblem
	add := func(field, format string, args ...any) {
		ps = append(ps, SchemeProblem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	oneOf(add, "imputation.method", s.Imputation.Method, imputationMethods)
	if s.Imputation.Method == ImputeGroupMean && s.Imputation.Group == "" {
		add("imputation.group", "group_mean needs the name of a unit attribute")
	}
	oneOf(add, "outliers.method", s.Outliers.Method, outlierMethods)
	if s.Outliers.MaxPoints < 0 {
		add("outliers.max_points", "must be >= 0, got %d", s.Outliers.MaxPoints)
	}
	if !(s.Outliers.SkewLimit > 0) || !(s.Outliers.KurtLimit > 0) {
		add("outliers", "skew_limit and kurt_limit must be > 0")
	}
	if s.Normalisation.Method != "" || !s.usesTOPSIS() {
		s.Normalisation.validate(add, "normalisation")
	}
	s.Weighting.validate(add)
	s.Aggregation.validate(add, "aggregation")
	validateRating(add, s.Rating)
	for i, o := range s.Overrides {
		f := fmt.Sprintf("overrides[%d]", i)
		if len(o.Codes) == 0 && o.Level < 0 {
			add(f+".level", "must be >= 0 (0 = the root), got %d", o.Level)
		}
		if o.Normalisation == nil && o.Aggregation == nil {
			add(f, "override changes nothing: give normalisation and/or aggregation")
		}
		if o.Normalisation != nil {
			o.Normalisation.validate(add, f+".normalisation")
		}
		if o.Aggregation != nil {
			o.Aggregation.validate(add, f+".aggregation")
		}
	}
	return ps
}

type addFunc func(field, format string, args ...any)

func oneOf(add addFunc, field, v string, known []string) {
	if !slices.Contains(known, v) {
		add(field, "unknown method %q (want one of %s)", v, strings.Join(known, ", "))
	}
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func (n *Normalisation) validate(add addFunc, field string) {
	oneOf(add, field+".method", n.Method, normalisationMethods)
	if !finite(n.Low) || !finite(n.High) || !finite(n.Mean) || !finite(n.SD) {
		add(field, "low, high, mean and sd must be finite numbers")
	}
	if n.Method == NormMinMax && !(n.Low < n.High) {
		add(field+".low", "min-max range needs low < high, got [%g, %g]", n.Low, n.High)
	}
	if n.SD < 0 {
		add(field+".sd", "must be >= 0, got %g", n.SD)
	}
}

func (w *Weighting) validate(add addFunc) {
	oneOf(add, "weighting.method", w.Method, weightingMethods)
	for code, v := range w.Weights {
		if !(v > 0) || !finite(v) {
			add("weighting.weights."+code, "weight must be a positive number, got %g", v)
		}
	}
	if w.Method == WeightManual && len(w.Weights) == 0 {
		add("weighting.weights", "manual weighting needs weights by indicator code")
	}
	if w.Method == WeightAHP && len(w.AHP) == 0 {
		add("weighting.ahp", "ahp weighting needs pairwise comparison matrices by parent code")
	}
	for code, ms := range w.AHP {
		for e, m := range ms {
			if err := weight.SquareError(m); err != nil {
				add("weighting.ahp."+code, "expert %d: %v", e+1, err)
			}
		}
	}
}

func (a *Aggregation) validate(add addFunc, field string) {
	oneOf(add, field+".method", a.Method, aggregationMethods)
	oneOf(add, field+".missing", a.Missing, missingRules)
	if !(a.MinCoverage >= 0 && a.MinCoverage <= 1) {
		add(field+".min_coverage", "must be in [0, 1], got %g", a.MinCoverage)
	}
	if a.Missing == MissingThreshold && a.MinCoverage == 0 {
		add(field+".min_coverage", "threshold rule needs min_coverage > 0")
	}
	if len(a.Grades) == 1 {
		add(field+".grades", "fuzzy evaluation needs at least 2 grades")
	}
	for i, g := range a.Grades {
		if !(g.A <= g.B && g.B <= g.C && g.C <= g.D) || !finite(g.A) || !finite(g.D) || !finite(g.Value) {
			add(fmt.Sprintf("%s.grades[%d]", field, i), "grade %q needs finite a <= b <= c <= d", g.Name)
		}
	}
}

func validateRating(add addFunc, r Rating) {
	seen := map[int]bool{}
	for i, t := range r.Thresholds {
		f := fmt.Sprintf("rating.thresholds[%d]", i)
		if t.Stars < 1 || seen[t.Stars] {
			add(f+".stars", "stars must be distinct numbers >= 1, got %d", t.Stars)
		}
		seen[t.Stars] = true
		if !finite(t.Min) {
			add(f+".min", "must be a finite number")
		}
	}
	sorted := slices.Clone(r.Thresholds)
	slices.SortFunc(sorted, func(a, b StarThreshold) int { return a.Stars - b.Stars })
	for i := 1; i < len(sorted); i++ {
		if !(sorted[i].Min > sorted[i-1].Min) {
			add("rating.thresholds", "more stars must need a higher score: %d★ min %g, %d★ min %g",
				sorted[i-1].Stars, sorted[i-1].Min, sorted[i].Stars, sorted[i].Min)
		}
	}
}

// Validate checks a scheme built in code (ParseScheme already does) and
// returns an error listing every problem; it fills defaults first.
func (s *Scheme) Validate() error {
	s.fillDefaults()
	if probs := s.validate(); len(probs) > 0 {
		return &SchemeError{File: "scheme", Problems: probs}
	}
	return nil
}

// ParseNormalisation parses a command-line normalisation: "minmax",
// "minmax:L,U", "zscore", "zscore:MEAN,SD", "rank", "percentile", "target",
// "goalposts", "rubric" or "passthrough".
func ParseNormalisation(spec string) (Normalisation, error) {
	method, args, hasArgs := strings.Cut(strings.TrimSpace(spec), ":")
	n := Normalisation{Method: method}
	if hasArgs {
		a, b, ok := strings.Cut(args, ",")
		x, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
		y, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
		if !ok || err1 != nil || err2 != nil {
			return n, fmt.Errorf("normalisation %q: want %s:A,B with two numbers", spec, method)
		}
		switch method {
		case NormMinMax:
			n.Low, n.High = x, y
		case NormZScore:
			n.Mean, n.SD = x, y
		default:
			return n, fmt.Errorf("normalisation %q: %s takes no parameters", spec, method)
		}
	}
	n.fillDefaults()
	var msgs []string
	n.validate(func(_, format string, args ...any) { msgs = append(msgs, fmt.Sprintf(format, args...)) }, "")
	if len(msgs) > 0 {
		return n, fmt.Errorf("normalisation %q: %s", spec, strings.Join(msgs, "; "))
	}
	return n, nil
}

// ParseAggregation parses a command-line aggregation: "amean", "gmean",
// "hmean", "topsis" or "fuzzy" (missing children renormalised).
func ParseAggregation(spec string) (Aggregation, error) {
	a := Aggregation{Method: strings.TrimSpace(spec)}
	a.fillDefaults()
	if !slices.Contains(aggregationMethods, a.Method) {
		return a, fmt.Errorf("aggregation %q: unknown method (want one of %s)", spec, strings.Join(aggregationMethods, ", "))
	}
	return a, nil
}

// Canonical returns the scheme, defaults filled, as deterministic JSON
// (struct fields in declaration order, map keys sorted), for hashing and
// storing with results.
func (s *Scheme) Canonical() []byte {
	c := s.Clone()
	c.fillDefaults()
	b, err := json.Marshal(c)
	if err != nil { // only non-finite numbers can fail; validation rejects them
		return []byte(fmt.Sprintf("%#v", c))
	}
	return b
}
