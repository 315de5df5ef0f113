package framework

import "slices"

// Clone returns a deep copy of f: callers may change the copy freely.
func (f *Framework) Clone() *Framework {
	if f == nil {
		return nil
	}
	out := *f
	out.Levels = slices.Clone(f.Levels)
	out.Indicators = cloneIndicators(f.Indicators)
	return &out
}

// Clone returns a deep copy of the indicator and its subtree.
func (ind *Indicator) Clone() *Indicator {
	out := *ind
	if ind.Weight != nil {
		w := *ind.Weight
		out.Weight = &w
	}
	if ind.Target != nil {
		t := *ind.Target
		out.Target = &t
	}
	if ind.Goalposts != nil {
		g := *ind.Goalposts
		out.Goalposts = &g
	}
	if ind.Valid != nil {
		out.Valid = ind.Valid.clone()
	}
	out.Rubric = slices.Clone(ind.Rubric)
	out.Defaults = slices.Clone(ind.Defaults)
	out.Children = cloneIndicators(ind.Children)
	return &out
}

func cloneIndicators(list []*Indicator) []*Indicator {
	if list == nil {
		return nil
	}
	out := make([]*Indicator, len(list))
	for i, ind := range list {
		out[i] = ind.Clone()
	}
	return out
}

// clone returns a deep copy of the range.
func (r *ValidRange) clone() *ValidRange {
	out := &ValidRange{}
	if r.Min != nil {
		x := *r.Min
		out.Min = &x
	}
	if r.Max != nil {
		x := *r.Max
		out.Max = &x
	}
	return out
}
