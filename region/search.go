package region

import (
	"strings"
)

// Limits on the number of regions Search returns in one page.
const (
	DefaultLimit = 50   // used when Query.Limit is zero or negative
	MaxLimit     = 1000 // larger limits are reduced to this
)

// Query selects regions for Search. Zero fields do not filter.
type Query struct {
	// Q is either a code prefix (all digits: "4403" finds 深圳市 and
	// everything below it) or name text. Name text is split at white space;
	// the region's own name must contain the last term and each earlier term
	// must occur in the name of one of its ancestors, so "海淀" finds 海淀区
	// and "北京 朝阳" finds 朝阳区 of Beijing but not the other 朝阳区.
	Q string
	// Level keeps regions at this level (1–4) only.
	Level int
	// Parent keeps the direct children of this code only (Region.Parent ==
	// Parent), as in a cascading picker.
	Parent string
	// Within keeps the descendants of this code at any depth only.
	Within string
	// Limit is the page size: DefaultLimit when ≤ 0, at most MaxLimit.
	Limit int
	// Offset is the number of matches to skip, for paging.
	Offset int
}

// Search returns one page of the regions that match q, sorted by code, and
// the total number of matches before Limit and Offset are applied.
func (r *Registry) Search(q Query) (items []Region, total int) {
	lo, hi, ok := r.searchRange(q)
	if !ok {
		return []Region{}, 0
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	offset := max(q.Offset, 0)
	match := r.matcher(q)
	items = []Region{}
	for _, reg := range r.regions[lo:hi] {
		if !match(reg) {
			continue
		}
		if total >= offset && len(items) < limit {
			items = append(items, reg)
		}
		total++
	}
	return items, total
}

// searchRange narrows the scan to the index range that the code prefix, the
// parent and the ancestor of q allow; ok is false when nothing can match.
func (r *Registry) searchRange(q Query) (lo, hi int, ok bool) {
	lo, hi = 0, len(r.regions)
	narrow := func(l, h int) {
		lo, hi = max(lo, l), min(hi, h)
	}
	if text := strings.TrimSpace(q.Q); isDigits(text) {
		narrow(r.prefixRange(text))
	}
	for _, code := range []string{q.Parent, q.Within} {
		if code == "" {
			continue
		}
		i, found := r.index(code)
		if !found {
			return 0, 0, false
		}
		narrow(r.subtree(i))
	}
	if q.Level < 0 || q.Level > Town {
		return 0, 0, false
	}
	return lo, hi, lo < hi
}

// matcher returns the test that a region in the search range must pass.
func (r *Registry) matcher(q Query) func(Region) bool {
	terms := strings.Fields(q.Q)
	if len(terms) == 1 && isDigits(terms[0]) {
		terms = nil // a code prefix, already applied by searchRange
	}
	var anc ancestorCache
	return func(reg Region) bool {
		if q.Level != 0 && reg.Level != q.Level {
			return false
		}
		if q.Parent != "" && reg.Parent != q.Parent {
			return false
		}
		if len(terms) == 0 {
			return true
		}
		if !strings.Contains(reg.Name, terms[len(terms)-1]) {
			return false
		}
		return len(terms) == 1 || anc.contain(r, reg, terms[:len(terms)-1])
	}
}

// ancestorCache remembers the ancestors last looked up: Search visits
// regions in code order, so consecutive matches mostly share them.
type ancestorCache [Town]Region

// contain reports whether every term occurs in the name of at least one
// proper ancestor of reg.
func (c *ancestorCache) contain(r *Registry, reg Region, terms []string) bool {
	for level := Province; level < reg.Level; level++ {
		if code := reg.Code[:codeLen[level]]; c[level-1].Code != code {
			c[level-1], _ = r.Get(code)
		}
	}
	for _, term := range terms {
		found := false
		for _, a := range c[:reg.Level-1] {
			if strings.Contains(a.Name, term) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
