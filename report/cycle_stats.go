package report

import (
	"cmp"
	"math"
	"slices"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/platform"
)

// HistogramWidth is the width of a bin of the overall-score histogram:
// twenty bins over 0–100, so that the default star thresholds (60, 75, 90)
// and any multiple of 5 fall on a bin edge.
const HistogramWidth = 5.0

// Bin is one bin [Low, High) of a histogram; the last bin includes 100.
type Bin struct {
	Low, High float64
	Count     int
}

// ProvinceStat is one province's pilots in a run.
type ProvinceStat struct {
	Code string // 2 digits
	Name string
	// Pilots is the number of scored pilots, Ranked those ranked.
	Pilots, Ranked int
	// Mean is the mean overall score of the scored pilots (nil when none
	// has one).
	Mean *float64
	// Stars counts the ranked pilots by rating: Stars[k] have k stars.
	Stars []int
}

// TypeAverage is the mean first-level scores of one pilot type.
type TypeAverage struct {
	Type   platform.PilotType
	Pilots int
	// Means are by first-level code (nil when no pilot of the type has a
	// score there).
	Means map[string]*float64
}

// CycleStats summarises a run (or one province's part of it): the
// participation, the distribution of overall scores, the star counts, the
// provinces, the first-level means by type and the top and bottom lists.
type CycleStats struct {
	Scored, Ranked, Flagged int
	Mean, Median            *float64
	Min, Max                *float64
	Histogram               []Bin
	// Stars counts the ranked pilots by rating (index = stars).
	Stars     []int
	MostStars int
	// Provinces are sorted by name in pinyin order.
	Provinces []ProvinceStat
	Types     []TypeAverage
	// Top and Bottom are the ranked pilots with the best and worst ranks.
	Top, Bottom []platform.ResultTableRow
}

// cycleTypes are the pilot types in the programme's order.
var cycleTypes = []platform.PilotType{platform.PilotCity, platform.PilotDistrict, platform.PilotTown}

// Summarise computes the statistics of rows (in rank order), with star
// ratings up to the thresholds' highest, province names from name, and
// lists of at most listLen pilots at the top and bottom.
func Summarise(rows []platform.ResultTableRow, level1 []string, thresholds []engine.StarThreshold,
	name func(province string) string, listLen int) CycleStats {
	st := CycleStats{MostStars: cycleMostStars(thresholds), Histogram: cycleBins()}
	st.Stars = make([]int, st.MostStars+1)
	var scores []float64
	provinces := map[string]*ProvinceStat{}
	var ranked []platform.ResultTableRow
	for _, r := range rows {
		st.Scored++
		p := provinces[r.ProvinceCode]
		if p == nil {
			p = &ProvinceStat{Code: r.ProvinceCode, Name: name(r.ProvinceCode), Stars: make([]int, st.MostStars+1)}
			provinces[r.ProvinceCode] = p
		}
		p.Pilots++
		isRanked := r.Ranked == nil || *r.Ranked
		if !isRanked {
			st.Flagged++
		}
		if r.Score != nil {
			scores = append(scores, *r.Score)
			st.Histogram[cycleBinOf(*r.Score)].Count++
		}
		if isRanked && r.Rank != nil {
			st.Ranked++
			p.Ranked++
			ranked = append(ranked, r)
			if r.Stars != nil && *r.Stars >= 0 && *r.Stars <= st.MostStars {
				st.Stars[*r.Stars]++
				p.Stars[*r.Stars]++
			}
		}
	}
	st.Mean, st.Median = cycleMean(scores), cycleMedian(scores)
	if len(scores) > 0 {
		lo, hi := slices.Min(scores), slices.Max(scores)
		st.Min, st.Max = &lo, &hi
	}
	for code, p := range provinces {
		var s []float64
		for _, r := range rows {
			if r.ProvinceCode == code && r.Score != nil {
				s = append(s, *r.Score)
			}
		}
		p.Mean = cycleMean(s)
		st.Provinces = append(st.Provinces, *p)
	}
	SortByName(st.Provinces, func(p ProvinceStat) string { return p.Name })
	st.Types = cycleTypeAverages(rows, level1)
	slices.SortStableFunc(ranked, func(a, b platform.ResultTableRow) int { return cmp.Compare(*a.Rank, *b.Rank) })
	n := min(listLen, len(ranked))
	st.Top = ranked[:n]
	st.Bottom = slices.Clone(ranked[len(ranked)-n:])
	slices.Reverse(st.Bottom)
	return st
}

// cycleTypeAverages are the first-level means of each pilot type present.
func cycleTypeAverages(rows []platform.ResultTableRow, level1 []string) []TypeAverage {
	var out []TypeAverage
	for _, t := range cycleTypes {
		ta := TypeAverage{Type: t, Means: map[string]*float64{}}
		cols := map[string][]float64{}
		for _, r := range rows {
			if r.Type != t {
				continue
			}
			ta.Pilots++
			for _, code := range level1 {
				if x := r.Level1[code]; x != nil {
					cols[code] = append(cols[code], *x)
				}
			}
		}
		if ta.Pilots == 0 {
			continue
		}
		for _, code := range level1 {
			ta.Means[code] = cycleMean(cols[code])
		}
		out = append(out, ta)
	}
	return out
}

// cycleBins are the empty bins over 0–100.
func cycleBins() []Bin {
	n := int(100 / HistogramWidth)
	out := make([]Bin, n)
	for i := range out {
		out[i] = Bin{Low: float64(i) * HistogramWidth, High: float64(i+1) * HistogramWidth}
	}
	return out
}

// cycleBinOf is the bin of score x: scores are compared as displayed
// (engine.DisplayScore), so a 74.999 shown as 75.00 falls in 75–80, the bin
// the star threshold 75 starts.
func cycleBinOf(x float64) int {
	n := int(100 / HistogramWidth)
	i := int(math.Floor(engine.DisplayScore(x) / HistogramWidth))
	return min(max(i, 0), n-1)
}

// cycleMostStars is the thresholds' highest rating (3 when none).
func cycleMostStars(ts []engine.StarThreshold) int {
	most := 0
	for _, t := range ts {
		most = max(most, t.Stars)
	}
	if most == 0 {
		return 3
	}
	return most
}

// cycleMean is the arithmetic mean, nil for no values.
func cycleMean(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	m := s / float64(len(xs))
	return &m
}

// cycleMedian is the middle value (mean of the two middle ones), nil for none.
func cycleMedian(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	s := slices.Sorted(slices.Values(xs))
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return &m
}
