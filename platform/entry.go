package platform

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/sceval/sceval/framework"
)

// maxNarrative limits an entry's narrative, in characters.
const maxNarrative = 20000

// validateEntry checks an entry for leaf code against the cycle's plan and
// returns the entry to store. A rubric leaf takes a level; a quantitative or
// expert leaf takes a value within its valid range and, when its framework
// lists a rubric, a level as the documented fallback for when no number is
// available; a leaf the cycle allows may instead be marked not applicable
// with a reason (the narrative). Complete is true when the entry carries
// what the leaf is scored from, or is not applicable.
func (p *leafPlan) validateEntry(code string, in EntryInput) (Entry, error) {
	i, ok := p.index[code]
	if !ok {
		if ind := p.fw.Lookup(code); ind != nil {
			return Entry{}, invalidField("code", CodeNotLeaf,
				"indicator %s of framework %s has sub-indicators: report its leaves instead", code, p.fw.ID)
		}
		return Entry{}, invalidField("code", CodeUnknownIndicator,
			"indicator %q is not in framework %s@%s", code, p.fw.ID, p.fw.Version)
	}
	leaf := p.leaves[i]
	e := Entry{Code: code, Value: in.Value, Unit: strings.TrimSpace(in.Unit), Level: in.Level, Narrative: in.Narrative,
		NotApplicable: in.NotApplicable}
	if utf8.RuneCountInString(e.Narrative) > maxNarrative {
		return Entry{}, invalidField("narrative", CodeOutOfRange,
			"indicator %s: narrative has more than %d characters", code, maxNarrative)
	}
	if e.NotApplicable {
		return e, p.checkNotApplicable(leaf, &e)
	}
	if err := checkEntryValue(leaf, e); err != nil {
		return Entry{}, err
	}
	if e.Unit == "" {
		e.Unit = leaf.Unit
	}
	switch {
	case leaf.Kind == framework.Rubric:
		e.Complete = e.Level != nil
	default:
		e.Complete = e.Value != nil || (e.Level != nil && levelScorable(leaf))
	}
	return e, nil
}

// checkNotApplicable validates an entry marked not applicable: allowed by
// the cycle, with a reason, and without a value or level.
func (p *leafPlan) checkNotApplicable(leaf *framework.Indicator, e *Entry) error {
	if !p.notApplicable[leaf.Code] {
		allowed := "none"
		if len(p.naCodes) > 0 {
			allowed = strings.Join(p.naCodes, ", ")
		}
		return invalidField("not_applicable", CodeNotApplicable,
			"indicator %s cannot be marked not applicable in this cycle (the cycle allows: %s)", leaf.Code, allowed)
	}
	if e.Value != nil || e.Level != nil {
		return invalidField("not_applicable", CodeBadValue,
			"indicator %s: an entry marked not applicable has no value and no level", leaf.Code)
	}
	if strings.TrimSpace(e.Narrative) == "" {
		return invalidField("narrative", CodeReasonRequired,
			"indicator %s: marking it not applicable needs a reason in the narrative", leaf.Code)
	}
	e.Unit, e.Complete = "", true
	return nil
}

// levelScorable reports whether a level on a quantitative or expert leaf
// can be scored: the leaf lists a rubric and, if quantitative, goalposts
// (the level stands for the value the goalposts give its score).
func levelScorable(leaf *framework.Indicator) bool {
	if len(leaf.Rubric) == 0 {
		return false
	}
	return leaf.Kind == framework.Expert || leaf.Goalposts != nil
}

// checkEntryValue validates value and level against the leaf's kind and
// valid range.
func checkEntryValue(leaf *framework.Indicator, e Entry) error {
	code := leaf.Code
	if e.Value != nil {
		v := *e.Value
		if leaf.Kind == framework.Rubric {
			return invalidField("value", CodeBadValue, "indicator %s is a rubric indicator: it takes a level %s, not a value",
				code, levelRange(leaf))
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return invalidField("value", CodeBadValue, "indicator %s: value must be a finite number", code)
		}
		if leaf.Kind == framework.Expert && (v < 0 || v > 100) {
			return invalidField("value", CodeOutOfRange, "indicator %s: expert score %v is not between 0 and 100", code, v)
		}
		if r := validRange(leaf); r != nil && !r.Contains(v) {
			return invalidField("value", CodeOutOfRange, "indicator %s: value %v%s is outside its valid range %s",
				code, v, leaf.Unit, describeRange(r, leaf.Unit))
		}
	}
	if e.Level != nil {
		if len(leaf.Rubric) == 0 {
			return invalidField("level", CodeBadValue, "indicator %s is %s and has no rubric: it takes a value, not a level", code, kindName(leaf.Kind))
		}
		if n := len(leaf.Rubric); *e.Level < 1 || *e.Level > n {
			return invalidField("level", CodeOutOfRange, "indicator %s: rubric level %d is not %s", code, *e.Level, levelRange(leaf))
		}
	}
	if e.Unit != "" && leaf.Unit != "" && e.Unit != leaf.Unit {
		return invalidField("unit", CodeBadValue, "indicator %s is measured in %q, not %q", code, leaf.Unit, e.Unit)
	}
	return nil
}

// percentRange is the valid range of a percentage without its own.
var percentRange = func() *framework.ValidRange {
	lo, hi := 0.0, 100.0
	return &framework.ValidRange{Min: &lo, Max: &hi}
}()

// validRange returns the range a leaf's values must lie in: the
// framework's, else [0, 100] for a percentage; nil when unbounded.
func validRange(leaf *framework.Indicator) *framework.ValidRange {
	if leaf.Valid != nil {
		return leaf.Valid
	}
	if leaf.Unit == "%" {
		return percentRange
	}
	return nil
}

// describeRange writes a valid range as "[0, 100]%" or "≥ 0μg/m³".
func describeRange(r *framework.ValidRange, unit string) string {
	switch {
	case r.Min != nil && r.Max != nil:
		return fmt.Sprintf("[%v, %v]%s", *r.Min, *r.Max, unit)
	case r.Min != nil:
		return fmt.Sprintf("≥ %v%s", *r.Min, unit)
	default:
		return fmt.Sprintf("≤ %v%s", *r.Max, unit)
	}
}

// levelRange names a rubric's levels: "from 1 (未开展) to 5 (领先)".
func levelRange(leaf *framework.Indicator) string {
	n := len(leaf.Rubric)
	if n == 0 {
		return "(none defined)"
	}
	return fmt.Sprintf("from 1 (%s) to %d (%s)", leaf.Rubric[0].Label.In("zh"), n, leaf.Rubric[n-1].Label.In("zh"))
}

// kindName names a leaf kind for messages ("quantitative" when unset).
func kindName(k framework.Kind) string {
	if k == "" {
		return string(framework.Quantitative)
	}
	return string(k)
}

// encodeInputs returns the engine inputs of a submission: for each leaf in
// framework order, the rubric level (as a number) for rubric leaves and the
// value otherwise, NaN when missing and notApplicableNaN when marked not
// applicable; encoded as little-endian float64 bits. A level given instead
// of a value on a quantitative leaf (the rubric fallback) becomes the value
// at which the leaf's goalposts give the level's score, so that the
// absolute scheme scores exactly that; on an expert leaf it becomes the
// level's score.
func (p *leafPlan) encodeInputs(entries []Entry) []byte {
	vals := make([]float64, len(p.leaves))
	for i := range vals {
		vals[i] = math.NaN()
	}
	for _, e := range entries {
		i, ok := p.index[e.Code]
		if !ok {
			continue
		}
		leaf := p.leaves[i]
		switch {
		case e.NotApplicable:
			vals[i] = notApplicableNaN
		case leaf.Kind == framework.Rubric && e.Level != nil:
			vals[i] = float64(*e.Level)
		case leaf.Kind != framework.Rubric && e.Value != nil:
			vals[i] = *e.Value
		case e.Level != nil && levelScorable(leaf) && *e.Level >= 1 && *e.Level <= len(leaf.Rubric):
			vals[i] = levelAsValue(leaf, *e.Level)
		}
	}
	return encodeFloats(vals)
}

// encodeFloats packs vals as little-endian float64 bits (the stored
// engine inputs' format).
func encodeFloats(vals []float64) []byte {
	out := make([]byte, 8*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint64(out[8*i:], math.Float64bits(v))
	}
	return out
}

// levelAsValue is the value that scores as rubric level l of a leaf: the
// level's score itself on an expert leaf; on a quantitative leaf, the
// inverse of goalposts normalisation, low + (score/100)·(high − low), or
// high − (score/100)·(high − low) for direction −1.
func levelAsValue(leaf *framework.Indicator, l int) float64 {
	score := leaf.Rubric[l-1].Score
	if leaf.Kind == framework.Expert {
		return score
	}
	g := leaf.Goalposts
	if leaf.Sign() < 0 {
		return g.High - score/100*(g.High-g.Low)
	}
	return g.Low + score/100*(g.High-g.Low)
}

// notApplicableNaN is the input of a leaf marked not applicable: a NaN (the
// engine excludes it like any missing value) with a payload of its own, so
// that coverage counts the leaf out of the pilot's applicable leaves.
var notApplicableNaN = math.Float64frombits(notApplicableBits)

const notApplicableBits = 0x7ff8_0000_4e41_0000 // quiet NaN, payload "NA"

// decodeInputs writes encoded inputs into dst (one float64 per leaf); it
// reports false when the length does not match.
func decodeInputs(dst []float64, b []byte) bool {
	if len(b) != 8*len(dst) {
		return false
	}
	for i := range dst {
		dst[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return true
}

// completeness is the share of the plan's leaves with a complete entry (an
// entry marked not applicable counts: it is answered).
func (p *leafPlan) completeness(entries []Entry) float64 {
	if len(p.leaves) == 0 {
		return 0
	}
	n := 0
	for _, e := range entries {
		if _, ok := p.index[e.Code]; ok && e.Complete {
			n++
		}
	}
	return float64(n) / float64(len(p.leaves))
}

// expertRange is the range of an expert score.
var expertRange = percentRange

// ValidRange returns the bounds a leaf's values must lie in, nil where
// unbounded: the framework's valid range, else [0, 100] for a percentage
// or an expert score. SaveEntry refuses a value outside them; a form shows
// them next to the input.
func ValidRange(leaf *framework.Indicator) (lo, hi *float64) {
	r := validRange(leaf)
	if r == nil && leaf.Kind == framework.Expert {
		r = expertRange
	}
	if r == nil {
		return nil, nil
	}
	return r.Min, r.Max
}
