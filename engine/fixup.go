package engine

// fixup lists, for one parent whose children are all leaves, the units
// with at least one missing child and which children are missing (a
// bitmask over the children, deduplicated into masks). The missing pattern
// depends only on the leaf set, so uncertainty runs correct their sums
// with one factor per distinct pattern instead of scattering per missing
// value.
type fixup struct {
	units  []int32  // units with a missing child, ascending
	maskOf []int32  // per unit: index into masks
	masks  []uint64 // bit j set: child j missing
}

// buildFixups returns the fixups of every parent with ≤ 64 children, all
// leaves (nil elsewhere).
func (p *plan) buildFixups(ls *leafSet, n int) []*fixup {
	out := make([]*fixup, len(p.nodes))
	mask := make([]uint64, n)
	for _, i := range p.parents {
		ch := p.nodes[i].Children
		if !p.leafParent(i) || len(ch) > 64 {
			continue
		}
		clear(mask)
		for j, c := range ch {
			for _, u := range ls.miss[c] {
				mask[u] |= 1 << j
			}
		}
		f := &fixup{}
		index := map[uint64]int32{}
		for u, m := range mask {
			if m == 0 {
				continue
			}
			k, ok := index[m]
			if !ok {
				k = int32(len(f.masks))
				index[m] = k
				f.masks = append(f.masks, m)
			}
			f.units = append(f.units, int32(u))
			f.maskOf = append(f.maskOf, k)
		}
		out[i] = f
	}
	return out
}

// maskFix does what linearFix does, with the same arithmetic per unit
// (Σ_present w is total minus the missing children's weights, subtracted in
// child order): the sum of a unit missing some children is scaled by
// Σw/Σ_present w, and a unit with no child present is missing.
func (in *aggInput) maskFix(f *fixup, factor []float64) []float64 {
	factor = grow(factor, len(f.masks))
	for m, mask := range f.masks {
		wsum, present := in.total, false
		for j, w := range in.w {
			if w <= 0 {
				continue
			}
			if mask>>j&1 == 1 {
				wsum -= w
			} else {
				present = true
			}
		}
		factor[m] = in.total / wsum
		if !present {
			factor[m] = -1 // missing
		}
	}
	for k, u := range f.units {
		if fa := factor[f.maskOf[k]]; fa < 0 {
			in.out[u] = 0
			in.outMiss = append(in.outMiss, u)
		} else {
			in.out[u] *= fa
		}
	}
	return factor
}
