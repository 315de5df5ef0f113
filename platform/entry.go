package platform

import (
	"encoding/binary"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/sceval/sceval/framework"
)

// maxNarrative limits an entry's narrative, in characters.
const maxNarrative = 20000

// validateEntry checks an entry for leaf code against the framework plan and
// returns the entry to store. A level is accepted on any leaf with rubric
// levels (quantitative leaves may carry one as a self-assessment), a value on
// any leaf. Complete is true when the entry carries the number the engine
// uses: the level for rubric leaves, the value otherwise.
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
	e := Entry{Code: code, Value: in.Value, Unit: strings.TrimSpace(in.Unit), Level: in.Level, Narrative: in.Narrative}
	if err := checkEntryValue(leaf, e); err != nil {
		return Entry{}, err
	}
	if utf8.RuneCountInString(e.Narrative) > maxNarrative {
		return Entry{}, invalidField("narrative", CodeOutOfRange,
			"indicator %s: narrative has more than %d characters", code, maxNarrative)
	}
	if e.Unit == "" {
		e.Unit = leaf.Unit
	}
	if leaf.Kind == framework.Rubric {
		e.Complete = e.Level != nil
	} else {
		e.Complete = e.Value != nil
	}
	return e, nil
}

// checkEntryValue validates value and level against the leaf's kind.
func checkEntryValue(leaf *framework.Indicator, e Entry) error {
	code := leaf.Code
	if e.Value != nil {
		v := *e.Value
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return invalidField("value", CodeBadValue, "indicator %s: value must be a finite number", code)
		}
		if leaf.Kind == framework.Expert && (v < 0 || v > 100) {
			return invalidField("value", CodeOutOfRange, "indicator %s: expert score %v is not between 0 and 100", code, v)
		}
	}
	if e.Level != nil {
		if len(leaf.Rubric) == 0 {
			return invalidField("level", CodeBadValue, "indicator %s is %s and has no rubric: it takes a value, not a level", code, kindName(leaf.Kind))
		}
		if n := len(leaf.Rubric); *e.Level < 1 || *e.Level > n {
			return invalidField("level", CodeOutOfRange, "indicator %s: rubric level %d is not between 1 and %d", code, *e.Level, n)
		}
	}
	if e.Unit != "" && leaf.Unit != "" && e.Unit != leaf.Unit {
		return invalidField("unit", CodeBadValue, "indicator %s is measured in %q, not %q", code, leaf.Unit, e.Unit)
	}
	return nil
}

// kindName names a leaf kind for messages ("quantitative" when unset).
func kindName(k framework.Kind) string {
	if k == "" {
		return string(framework.Quantitative)
	}
	return string(k)
}

// completeness is the share of the plan's leaves with a complete entry.
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

// encodeInputs returns the engine inputs of a submission: for each leaf in
// framework order, the rubric level (as a number) for rubric leaves and the
// value otherwise, NaN when missing; encoded as little-endian float64 bits.
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
		switch {
		case p.leaves[i].Kind == framework.Rubric && e.Level != nil:
			vals[i] = float64(*e.Level)
		case p.leaves[i].Kind != framework.Rubric && e.Value != nil:
			vals[i] = *e.Value
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
