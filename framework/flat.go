package framework

import (
	"strconv"
	"strings"
)

// assembleFlat attaches flat-form entries (top-level list entries carrying
// "parent: CODE") to their parents, in file order. Unknown parents and
// cycles of parent links (a → b → a) are errors; the entries concerned are
// left out of the tree so that walking it always terminates.
func (p *parser) assembleFlat(f *Framework) {
	if len(p.flat) == 0 {
		return
	}
	byCode := map[string]*Indicator{}
	up := map[*Indicator]*Indicator{} // structural parents
	var index func(ind *Indicator)
	index = func(ind *Indicator) {
		if _, dup := byCode[ind.Code]; !dup && ind.Code != "" {
			byCode[ind.Code] = ind
		}
		for _, c := range ind.Children {
			up[c] = ind
			index(c)
		}
	}
	for _, ind := range f.Indicators {
		index(ind)
	}
	for _, e := range p.flat {
		index(e.ind)
	}
	for _, e := range p.flat {
		if parent, ok := byCode[e.parent]; ok {
			up[e.ind] = parent
		} else {
			p.add(e.at, e.ind.Code, "parent", Error, "unknown parent "+strconv.Quote(e.parent)+" (no indicator has this code)")
		}
	}
	inCycle := p.findCycles(up)
	for _, e := range p.flat {
		if parent, ok := up[e.ind]; ok && !inCycle[e.ind] {
			parent.Children = append(parent.Children, e.ind)
		}
	}
}

// findCycles follows parent links from every flat entry and reports each
// cycle once, naming its codes in order.
func (p *parser) findCycles(up map[*Indicator]*Indicator) map[*Indicator]bool {
	inCycle := map[*Indicator]bool{}
	done := map[*Indicator]bool{}
	for _, e := range p.flat {
		path := map[*Indicator]int{}
		var order []*Indicator
		for ind := e.ind; ind != nil && !done[ind]; ind = up[ind] {
			if start, seen := path[ind]; seen {
				cycle := order[start:]
				codes := make([]string, 0, len(cycle)+1)
				for _, c := range cycle {
					inCycle[c] = true
					codes = append(codes, c.Code)
				}
				codes = append(codes, cycle[0].Code)
				p.add(p.locs.of(cycle[0], "parent"), cycle[0].Code, "parent", Error,
					"cycle of parent links: "+strings.Join(codes, " → "))
				break
			}
			path[ind] = len(order)
			order = append(order, ind)
		}
		for _, ind := range order {
			done[ind] = true
		}
	}
	return inCycle
}
