// Package framework models an indicator framework: a tree of indicators of any
// depth under an implicit root (the framework itself, whose score is the
// overall score). The built-in MOHURD 2012 smart-city pilot framework is one
// such framework, stored in the same file format users write.
//
// The package is pure: it parses bytes and validates values, and never touches
// the file system except through the embedded built-in files.
package framework

import "math"

// Text is a bilingual string. In files it is either a mapping
// {"zh": "…", "en": "…"} or a plain string, meaning the same text in both
// languages.
type Text struct {
	Zh string `json:"zh" yaml:"zh"`
	En string `json:"en" yaml:"en"`
}

// In returns the text in lang ("zh" or "en"), falling back to the other
// language when the requested one is empty.
func (t Text) In(lang string) string {
	if lang == "en" {
		if t.En != "" {
			return t.En
		}
		return t.Zh
	}
	if t.Zh != "" {
		return t.Zh
	}
	return t.En
}

// IsZero reports whether both languages are empty.
func (t Text) IsZero() bool { return t.Zh == "" && t.En == "" }

// Kind says how a leaf indicator is measured.
type Kind string

// The kinds of leaf indicator.
const (
	// Quantitative leaves carry a measured number, normalised by the scheme.
	Quantitative Kind = "quantitative"
	// Rubric leaves carry an ordered level that maps to a 0–100 score.
	Rubric Kind = "rubric"
	// Expert leaves carry an expert's score, already on 0–100.
	Expert Kind = "expert"
)

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool { return k == Quantitative || k == Rubric || k == Expert }

// RubricLevel is one ordered level of a rubric. Levels are listed from worst
// to best and their scores strictly increase.
type RubricLevel struct {
	Label       Text    `json:"label" yaml:"label"`
	Score       float64 `json:"score" yaml:"score"`
	Description Text    `json:"description" yaml:"description"`
}

// Goalposts bound a quantitative indicator for distance-to-target
// normalisation: Low maps to 0 and High to 100 (reversed for direction −1).
type Goalposts struct {
	Low  float64 `json:"low" yaml:"low"`
	High float64 `json:"high" yaml:"high"`
}

// ValidRange bounds the values a quantitative or expert leaf accepts at
// entry: a value below Min or above Max is refused when it is saved. A nil
// bound is open. It is about data entry, not scoring (goalposts score).
type ValidRange struct {
	Min *float64 `json:"min,omitempty" yaml:"min,omitempty"`
	Max *float64 `json:"max,omitempty" yaml:"max,omitempty"`
}

// Contains reports whether x lies within the range (bounds included).
func (r *ValidRange) Contains(x float64) bool {
	return (r.Min == nil || x >= *r.Min) && (r.Max == nil || x <= *r.Max)
}

// Indicator is one node of the framework tree. Non-leaf indicators carry only
// identity, texts, weight and children; leaves also say how they are measured.
type Indicator struct {
	// Code is unique within the framework: letters, digits, '.', '_' and '-'.
	Code       string `json:"code" yaml:"code"`
	Name       Text   `json:"name" yaml:"name"`
	Definition Text   `json:"definition" yaml:"definition"`
	// Weight among siblings; nil means "equal among siblings". Sibling
	// weights that do not sum to 1 are normalised (with a warning).
	Weight *float64 `json:"weight,omitempty" yaml:"weight,omitempty"`

	Kind      Kind          `json:"kind,omitempty" yaml:"kind,omitempty"`
	Unit      string        `json:"unit,omitempty" yaml:"unit,omitempty"`
	Direction int           `json:"direction,omitempty" yaml:"direction,omitempty"`
	Goalposts *Goalposts    `json:"goalposts,omitempty" yaml:"goalposts,omitempty"`
	Target    *float64      `json:"target,omitempty" yaml:"target,omitempty"`
	Rubric    []RubricLevel `json:"rubric,omitempty" yaml:"rubric,omitempty"`
	// Valid is the range of values accepted at entry (nil: percentages,
	// unit "%", are held to [0, 100]; other units are unbounded).
	Valid *ValidRange `json:"valid,omitempty" yaml:"valid,omitempty"`

	// Defaults names the fields whose values are sceval's own assumptions
	// rather than the source's (e.g. "weight", "kind", "rubric"), so that
	// every interface can mark them as not official.
	Defaults []string `json:"defaults,omitempty" yaml:"defaults,omitempty"`

	Children []*Indicator `json:"children,omitempty" yaml:"children,omitempty"`
}

// IsLeaf reports whether the indicator has no children.
func (ind *Indicator) IsLeaf() bool { return len(ind.Children) == 0 }

// Sign returns the indicator's direction as +1 or −1 (+1 when unset).
func (ind *Indicator) Sign() float64 {
	if ind.Direction < 0 {
		return -1
	}
	return 1
}

// Framework is a versioned indicator framework.
type Framework struct {
	ID      string `json:"id" yaml:"id"`
	Version string `json:"version" yaml:"version"`
	Name    Text   `json:"name" yaml:"name"`
	// Source cites where the indicators come from.
	Source Text `json:"source,omitempty" yaml:"source,omitempty"`
	// Notes explain what the file adds to the source (our defaults).
	Notes Text `json:"notes,omitempty" yaml:"notes,omitempty"`
	// Levels names each level from the top (e.g. 一级指标, 二级指标, 三级指标).
	Levels     []Text       `json:"levels,omitempty" yaml:"levels,omitempty"`
	Indicators []*Indicator `json:"indicators" yaml:"indicators"`
}

// Walk calls fn for every indicator in depth-first pre-order (the file's
// order), with its parent (nil for top-level indicators) and its level
// (1 for top-level indicators). Walk stops early when fn returns false.
func (f *Framework) Walk(fn func(ind, parent *Indicator, level int) bool) {
	var walk func(list []*Indicator, parent *Indicator, level int) bool
	walk = func(list []*Indicator, parent *Indicator, level int) bool {
		for _, ind := range list {
			if !fn(ind, parent, level) {
				return false
			}
			if !walk(ind.Children, ind, level+1) {
				return false
			}
		}
		return true
	}
	walk(f.Indicators, nil, 1)
}

// Lookup returns the indicator with the given code, or nil.
func (f *Framework) Lookup(code string) *Indicator {
	var found *Indicator
	f.Walk(func(ind, _ *Indicator, _ int) bool {
		if ind.Code == code {
			found = ind
			return false
		}
		return true
	})
	return found
}

// Leaves returns the leaf indicators in file order.
func (f *Framework) Leaves() []*Indicator {
	var out []*Indicator
	f.Walk(func(ind, _ *Indicator, _ int) bool {
		if ind.IsLeaf() {
			out = append(out, ind)
		}
		return true
	})
	return out
}

// Depth returns the number of levels below the root (0 for an empty framework).
func (f *Framework) Depth() int {
	depth := 0
	f.Walk(func(_, _ *Indicator, level int) bool {
		depth = max(depth, level)
		return true
	})
	return depth
}

// CountByLevel returns the number of indicators at each level, top first.
func (f *Framework) CountByLevel() []int {
	counts := make([]int, f.Depth())
	f.Walk(func(_, _ *Indicator, level int) bool {
		counts[level-1]++
		return true
	})
	return counts
}

// SiblingWeights resolves the weights of a sibling list: absent weights mean
// equal weights; present weights are normalised to sum to 1. When only some
// siblings carry a weight, the others get the mean of the given ones before
// normalising. Invalid weights (validation rejects them) are treated as absent.
func SiblingWeights(siblings []*Indicator) []float64 {
	w := make([]float64, len(siblings))
	sum, given := 0.0, 0
	for i, ind := range siblings {
		if ind.Weight != nil && validWeight(*ind.Weight) {
			w[i] = *ind.Weight
			sum += w[i]
			given++
		}
	}
	fill := 1.0
	if given > 0 {
		fill = sum / float64(given)
	}
	total := 0.0
	for i, ind := range siblings {
		if ind.Weight == nil || !validWeight(*ind.Weight) {
			w[i] = fill
		}
		total += w[i]
	}
	// Weights already summing to 1 up to rounding are kept as given, so that
	// exported resolved weights (such as 1/3 written out) read back to the
	// very same float64 values.
	if math.Abs(total-1) > 1e-12 {
		for i := range w {
			w[i] /= total
		}
	}
	return w
}

func validWeight(w float64) bool { return w > 0 && !math.IsInf(w, 0) && !math.IsNaN(w) }

// EffectiveWeights returns each indicator's global weight: the product of the
// resolved sibling weights on the path from the root. Leaves' effective
// weights sum to 1.
func (f *Framework) EffectiveWeights() map[string]float64 {
	out := make(map[string]float64)
	var walk func(list []*Indicator, parentWeight float64)
	walk = func(list []*Indicator, parentWeight float64) {
		for i, w := range SiblingWeights(list) {
			out[list[i].Code] = parentWeight * w
			walk(list[i].Children, parentWeight*w)
		}
	}
	walk(f.Indicators, 1)
	return out
}
