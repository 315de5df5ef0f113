package framework

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// ChangeKind classifies a difference between two frameworks.
type ChangeKind string

// The kinds of change Diff reports.
const (
	// Added: the code exists only in the new framework.
	Added ChangeKind = "added"
	// Removed: the code exists only in the old framework.
	Removed ChangeKind = "removed"
	// Renamed: same code, name changed (Field is "name.zh" or "name.en").
	Renamed ChangeKind = "renamed"
	// Redefined: definition changed (Field "definition.zh" or "definition.en").
	Redefined ChangeKind = "redefined"
	// Moved: different parent, or different order among common siblings.
	Moved ChangeKind = "moved"
	// Reweighted: the declared weight changed (Old and New are the weights
	// as written, "equal" when absent). Implied equal weights and an
	// explicit weight of the same share count as equal, so exporting a
	// framework and diffing it against its source shows no change.
	Reweighted ChangeKind = "reweighted"
	// Shifted: a derived weight moved although the indicator's own declared
	// weight did not (its share among siblings, because a sibling was added,
	// removed or re-weighted; or its effective weight, because an ancestor's
	// changed). Only WeightShifts reports these.
	Shifted ChangeKind = "shifted"
	// Modified: kind, direction, unit, goalposts, target or rubric changed
	// (Field names which).
	Modified ChangeKind = "changed"
	// Header: the framework's id, version or name changed.
	Header ChangeKind = "framework"
)

// Change is one difference between frameworks a (old) and b (new).
type Change struct {
	Kind  ChangeKind `json:"kind"`
	Code  string     `json:"code,omitempty"`
	Field string     `json:"field,omitempty"`
	Old   string     `json:"old,omitempty"`
	New   string     `json:"new,omitempty"`
	// Weights, for Reweighted and Shifted changes: the share among
	// siblings (resolved, normalised) and the effective (global) weight.
	OldWeight    float64 `json:"old_weight,omitempty"`
	NewWeight    float64 `json:"new_weight,omitempty"`
	OldEffective float64 `json:"old_effective,omitempty"`
	NewEffective float64 `json:"new_effective,omitempty"`
}

// String formats the change as one line: "+ 4.3.4 name", "- 4.3.4 name",
// "~ 2.1.3 renamed: 旧 → 新", "> 1.2 moved from 1 to 2",
// "w 1.1 weight 1 → 2", "e 1.2 share 0.3333 → 0.2500, effective 0.1667 → 0.1250".
func (c Change) String() string {
	switch c.Kind {
	case Added:
		return fmt.Sprintf("+ %s %s", c.Code, c.New)
	case Removed:
		return fmt.Sprintf("- %s %s", c.Code, c.Old)
	case Moved:
		return fmt.Sprintf("> %s moved %s", c.Code, c.Field)
	case Reweighted:
		return fmt.Sprintf("w %s weight %s → %s, share %s → %s", c.Code, c.Old, c.New,
			formatWeight(c.OldWeight), formatWeight(c.NewWeight))
	case Shifted:
		var parts []string
		if formatWeight(c.OldWeight) != formatWeight(c.NewWeight) {
			parts = append(parts, "share "+formatWeight(c.OldWeight)+" → "+formatWeight(c.NewWeight))
		}
		if formatWeight(c.OldEffective) != formatWeight(c.NewEffective) {
			parts = append(parts, "effective "+formatWeight(c.OldEffective)+" → "+formatWeight(c.NewEffective))
		}
		return fmt.Sprintf("e %s %s", c.Code, strings.Join(parts, ", "))
	case Header:
		return fmt.Sprintf("~ framework %s: %s → %s", c.Field, c.Old, c.New)
	case Renamed, Redefined:
		lang := c.Field[strings.IndexByte(c.Field, '.')+1:]
		suffix := ""
		if lang == "en" {
			suffix = " (en)"
		}
		return fmt.Sprintf("~ %s %s%s: %s → %s", c.Code, c.Kind, suffix, c.Old, c.New)
	}
	return fmt.Sprintf("~ %s %s: %s → %s", c.Code, c.Field, c.Old, c.New)
}

// place is where an indicator sits in its framework.
type place struct {
	ind       *Indicator
	parent    string
	weight    float64
	effective float64
}

func places(f *Framework) (map[string]place, []string) {
	m := map[string]place{}
	var order []string
	for _, r := range rows(f) {
		if _, dup := m[r.ind.Code]; !dup {
			m[r.ind.Code] = place{ind: r.ind, parent: r.parent, weight: r.weight, effective: r.effective}
			order = append(order, r.ind.Code)
		}
	}
	return m, order
}

// Diff lists the declared differences from framework a to framework b,
// matching indicators by code: changes to the framework header first, then
// removed and changed indicators in a's order, then added ones in b's order.
// Weights that move only as a consequence of other changes are left to
// WeightShifts, and no change is reported whose old and new values display
// alike (weights are compared as displayed, to four decimals).
// An indicator counts as moved when its parent differs, or when its order
// relative to the siblings it has in both frameworks differs (so that an
// insertion does not make every later sibling "moved").
func Diff(a, b *Framework) []Change {
	var out []Change
	for _, h := range [][3]string{{"id", a.ID, b.ID}, {"version", a.Version, b.Version},
		{"name.zh", a.Name.Zh, b.Name.Zh}, {"name.en", a.Name.En, b.Name.En}} {
		if h[1] != h[2] {
			out = append(out, Change{Kind: Header, Field: h[0], Old: h[1], New: h[2]})
		}
	}
	pa, orderA := places(a)
	pb, orderB := places(b)
	for _, code := range orderA {
		x := pa[code]
		y, ok := pb[code]
		if !ok {
			out = append(out, Change{Kind: Removed, Code: code, Old: x.ind.Name.In("zh")})
			continue
		}
		out = append(out, diffIndicator(x, y, sides{pa, pb, a.Indicators, b.Indicators})...)
	}
	for _, code := range orderB {
		if _, ok := pa[code]; !ok {
			out = append(out, Change{Kind: Added, Code: code, New: pb[code].ind.Name.In("zh")})
		}
	}
	return out
}

// sides holds both frameworks' places and top-level lists.
type sides struct {
	pa, pb     map[string]place
	topA, topB []*Indicator
}

func diffIndicator(x, y place, s sides) []Change {
	var out []Change
	code := x.ind.Code
	texts := []struct {
		kind     ChangeKind
		field    string
		old, new string
	}{
		{Renamed, "name.zh", x.ind.Name.Zh, y.ind.Name.Zh}, {Renamed, "name.en", x.ind.Name.En, y.ind.Name.En},
		{Redefined, "definition.zh", x.ind.Definition.Zh, y.ind.Definition.Zh},
		{Redefined, "definition.en", x.ind.Definition.En, y.ind.Definition.En},
	}
	for _, t := range texts {
		if t.old != t.new {
			out = append(out, Change{Kind: t.kind, Code: code, Field: t.field, Old: t.old, New: t.new})
		}
	}
	if x.parent != y.parent {
		out = append(out, Change{Kind: Moved, Code: code, Field: fmt.Sprintf("from %s to %s", parentName(x.parent), parentName(y.parent)),
			Old: x.parent, New: y.parent})
	} else if i, j := commonIndex(x, s.pa, s.topA, s.pb), commonIndex(y, s.pb, s.topB, s.pa); i != j {
		out = append(out, Change{Kind: Moved, Code: code, Field: fmt.Sprintf("from position %d to %d under %s", i+1, j+1, parentName(x.parent)),
			Old: fmt.Sprint(i + 1), New: fmt.Sprint(j + 1)})
	}
	if old, new, changed := declaredWeightChange(x, y); changed {
		out = append(out, Change{Kind: Reweighted, Code: code, Old: old, New: new, OldWeight: x.weight,
			NewWeight: y.weight, OldEffective: x.effective, NewEffective: y.effective})
	}
	return append(out, diffMeasure(x.ind, y.ind)...)
}

// declaredWeightChange compares the weights as written, an absent weight
// counting as the share it resolves to (which is what export writes out).
// A weight changed when the written values differ as displayed and the
// shares they resolve to differ too: two absent weights never differ however
// their shares moved, and 0.4 written where the twin file has the normalised
// 0.3636 is the same weight.
func declaredWeightChange(x, y place) (old, new string, changed bool) {
	if x.ind.Weight == nil && y.ind.Weight == nil {
		return "", "", false
	}
	xv, yv := declaredValue(x), declaredValue(y)
	if formatDeclared(xv) == formatDeclared(yv) || formatWeight(x.weight) == formatWeight(y.weight) {
		return "", "", false
	}
	return declaredLabel(x, xv), declaredLabel(y, yv), true
}

// declaredValue is the weight as written, or the share an absent one
// resolves to.
func declaredValue(p place) float64 {
	if p.ind.Weight == nil {
		return p.weight
	}
	return *p.ind.Weight
}

// declaredLabel shows a declared weight, "(equal)" marking an absent one.
func declaredLabel(p place, v float64) string {
	if p.ind.Weight == nil {
		return formatDeclared(v) + " (equal)"
	}
	return formatDeclared(v)
}

// formatDeclared shows a written weight to four decimals without trailing
// zeros: 2, 0.25, 0.3333.
func formatDeclared(w float64) string {
	s := strconv.FormatFloat(w, 'f', 4, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// WeightShifts lists the derived weight changes Diff leaves out: every
// indicator present in both frameworks whose share among siblings or
// effective weight differs as displayed (four decimals) while its declared
// weight did not change. Indicators whose declared weight changed are
// Diff's Reweighted changes and are not repeated here.
func WeightShifts(a, b *Framework) []Change {
	pa, orderA := places(a)
	pb, _ := places(b)
	var out []Change
	for _, code := range orderA {
		x := pa[code]
		y, ok := pb[code]
		if !ok {
			continue
		}
		if _, _, declared := declaredWeightChange(x, y); declared {
			continue
		}
		if formatWeight(x.weight) != formatWeight(y.weight) || formatWeight(x.effective) != formatWeight(y.effective) {
			out = append(out, Change{Kind: Shifted, Code: code, OldWeight: x.weight, NewWeight: y.weight,
				OldEffective: x.effective, NewEffective: y.effective})
		}
	}
	return out
}

// diffMeasure compares how two leaves (or a leaf and a non-leaf) are measured.
func diffMeasure(x, y *Indicator) []Change {
	var out []Change
	add := func(field, old, new string) {
		if old != new {
			out = append(out, Change{Kind: Modified, Code: x.Code, Field: field, Old: old, New: new})
		}
	}
	add("kind", string(x.Kind), string(y.Kind))
	if x.IsLeaf() && y.IsLeaf() {
		add("direction", fmt.Sprint(x.Sign()), fmt.Sprint(y.Sign()))
	}
	add("unit", x.Unit, y.Unit)
	add("goalposts", fmtGoalposts(x.Goalposts), fmtGoalposts(y.Goalposts))
	add("target", fmtOptional(x.Target), fmtOptional(y.Target))
	if !reflect.DeepEqual(x.Rubric, y.Rubric) && (len(x.Rubric) > 0 || len(y.Rubric) > 0) {
		add("rubric", fmtRubric(x.Rubric), fmtRubric(y.Rubric))
	}
	return out
}

// commonIndex is the position of p's indicator among those of its siblings
// that sit under the same parent in the other framework too; top is the
// top-level list of p's own framework.
func commonIndex(p place, self map[string]place, top []*Indicator, other map[string]place) int {
	siblings := top
	if p.parent != "" {
		siblings = self[p.parent].ind.Children
	}
	return indexAmongCommon(p.ind.Code, p.parent, siblings, other)
}

func indexAmongCommon(code, parent string, siblings []*Indicator, other map[string]place) int {
	i := 0
	for _, s := range siblings {
		if s.Code == code {
			return i
		}
		if q, ok := other[s.Code]; ok && q.parent == parent {
			i++
		}
	}
	return i
}

func parentName(code string) string {
	if code == "" {
		return "(top)"
	}
	return code
}

func fmtGoalposts(g *Goalposts) string {
	if g == nil {
		return ""
	}
	return fmt.Sprintf("[%v, %v]", g.Low, g.High)
}

func fmtOptional(x *float64) string {
	if x == nil {
		return ""
	}
	return fmt.Sprint(*x)
}

func fmtRubric(levels []RubricLevel) string {
	parts := make([]string, len(levels))
	for i, l := range levels {
		parts[i] = fmt.Sprintf("%s=%v", l.Label.In("zh"), l.Score)
	}
	return strings.Join(parts, ", ")
}
