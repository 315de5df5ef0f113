package report

import (
	"fmt"
	"math"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/platform"
)

// Chart options are plain ECharts option objects built here once and
// marshalled to JSON: the results pages put them in a data block that
// /static/app.js renders, the summary report inlines them. Animation is off
// so that a chart is complete as soon as it is drawn (the PDF is printed
// right after).

// CycleChart is an ECharts option object.
type CycleChart = map[string]any

// cycleStarColours are the bar colours by rating: none, one, two, three stars.
var cycleStarColours = []string{"#b0b7c3", "#9ecae1", "#4292c6", "#08519c", "#08306b"}

// HistogramOption is the histogram of overall scores (bars of
// HistogramWidth on a 0–100 value axis) with each star threshold drawn as a
// vertical markLine labelled with its stars.
func HistogramOption(bins []Bin, thresholds []engine.StarThreshold, lang string) CycleChart {
	data := make([][2]float64, len(bins))
	for i, b := range bins {
		data[i] = [2]float64{(b.Low + b.High) / 2, float64(b.Count)}
	}
	var lines []CycleChart
	for _, t := range thresholds {
		lines = append(lines, CycleChart{"xAxis": t.Min, "name": fmt.Sprintf("%s\n%g", cycleStars(t.Stars), t.Min)}) // two short lines: no overlap on a phone
	}
	return CycleChart{
		"animation": false,
		"grid":      CycleChart{"left": 48, "right": 24, "top": 48, "bottom": 48},
		"tooltip":   CycleChart{"trigger": "axis"},
		"xAxis": CycleChart{"type": "value", "min": 0, "max": 100, "interval": 10,
			"name": cycleMsg(lang, "chart.score"), "nameLocation": "middle", "nameGap": 28},
		"yAxis": CycleChart{"type": "value", "minInterval": 1, "name": cycleMsg(lang, "chart.pilots")},
		"series": []CycleChart{{
			"type": "bar", "name": cycleMsg(lang, "chart.pilots"), "data": data, "barWidth": "90%",
			"itemStyle": CycleChart{"color": "#4292c6"},
			"markLine": CycleChart{"symbol": "none", "silent": true, "data": lines,
				"lineStyle": CycleChart{"color": "#c0392b", "type": "dashed"},
				"label":     CycleChart{"formatter": "{b}", "position": "end"}},
		}},
	}
}

// cycleStars is "★★" for 2, "–" for 0 (below every threshold).
func cycleStars(n int) string {
	if n <= 0 {
		return "–"
	}
	s := ""
	for range n {
		s += "★"
	}
	return s
}

// StarsByProvinceOption stacks each province's ranked pilots by rating
// (horizontal bars, provinces in the order given).
func StarsByProvinceOption(provinces []ProvinceStat, most int, lang string) CycleChart {
	names := make([]string, len(provinces))
	for i, p := range provinces {
		names[i] = p.Name
	}
	var series []CycleChart
	for k := 0; k <= most; k++ {
		data := make([]int, len(provinces))
		for i, p := range provinces {
			if k < len(p.Stars) {
				data[i] = p.Stars[k]
			}
		}
		label := cycleStars(k)
		if k == 0 {
			label = cycleMsg(lang, "chart.no_stars")
		}
		series = append(series, CycleChart{"type": "bar", "stack": "stars", "name": label, "data": data,
			"itemStyle": CycleChart{"color": cycleStarColours[min(k, len(cycleStarColours)-1)]}})
	}
	return CycleChart{
		"animation": false,
		"tooltip":   CycleChart{"trigger": "axis", "axisPointer": CycleChart{"type": "shadow"}},
		"legend":    CycleChart{"top": 0},
		"grid":      CycleChart{"left": 8, "right": 24, "top": 32, "bottom": 24, "containLabel": true},
		"xAxis":     CycleChart{"type": "value", "minInterval": 1},
		// Provinces read top to bottom in the given order.
		"yAxis":  CycleChart{"type": "category", "data": names, "inverse": true, "axisLabel": CycleChart{"interval": 0}},
		"series": series,
	}
}

// Map metrics: the province map is coloured by the mean overall score or by
// the number of scored pilots.
const (
	MapScore         = "score"
	MapParticipation = "participation"
)

// MapOption is the China province map ("map": "china", the GeoJSON
// registered under that name) coloured by metric; each province is named
// by its feature in m (ChinaMap.Feature), provinces without one are left
// out.
func MapOption(provinces []ProvinceStat, metric, lang string, m *ChinaMap) CycleChart {
	var data []CycleChart
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range provinces {
		var v float64
		switch {
		case metric == MapParticipation:
			v = float64(p.Pilots)
		case p.Mean != nil:
			v = math.Round(*p.Mean*100) / 100
		default:
			continue
		}
		feature := m.Feature(p.Name)
		if feature == "" {
			continue
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		data = append(data, CycleChart{"name": feature, "value": v})
	}
	if len(data) == 0 {
		lo, hi = 0, 1
	}
	name := cycleMsg(lang, "chart.mean_score")
	if metric == MapParticipation {
		name, lo = cycleMsg(lang, "chart.pilots"), 0
	}
	return CycleChart{
		"animation": false,
		"tooltip":   CycleChart{"trigger": "item"},
		"visualMap": CycleChart{"min": math.Floor(lo), "max": math.Ceil(math.Max(hi, lo+1)), "calculable": true, "left": 8, "bottom": 8,
			"text":    []string{cycleMsg(lang, "chart.high"), cycleMsg(lang, "chart.low")},
			"inRange": CycleChart{"color": []string{"#deebf7", "#6baed6", "#08519c"}}},
		"series": []CycleChart{{"type": "map", "map": "china", "name": name, "roam": false, "data": data,
			"emphasis":  CycleChart{"label": CycleChart{"show": true}},
			"itemStyle": CycleChart{"areaColor": "#f3f4f6", "borderColor": "#9ca3af"}}},
	}
}

// TypeAveragesOption is a grouped bar chart of the first-level means by
// pilot type, first-level indicators named by names (code → name).
func TypeAveragesOption(types []TypeAverage, level1 []string, names map[string]string, lang string) CycleChart {
	cats := make([]string, len(level1))
	for i, c := range level1 {
		cats[i] = c + " " + names[c]
	}
	var series []CycleChart
	for _, t := range types {
		data := make([]any, len(level1))
		for i, c := range level1 {
			if m := t.Means[c]; m != nil {
				data[i] = math.Round(*m*100) / 100
			}
		}
		series = append(series, CycleChart{"type": "bar", "name": cycleMsg(lang, "type."+string(t.Type)), "data": data})
	}
	return CycleChart{
		"animation": false,
		"tooltip":   CycleChart{"trigger": "axis"},
		"legend":    CycleChart{"top": 0},
		"grid":      CycleChart{"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": true},
		"xAxis":     CycleChart{"type": "category", "data": cats, "axisLabel": CycleChart{"interval": 0, "width": 110, "overflow": "break"}},
		"yAxis":     CycleChart{"type": "value", "min": 0, "max": 100},
		"series":    series,
	}
}

// SlopeOption draws each pilot's rank under scheme A and under scheme B
// joined by a line (a slope chart; rank 1 on top), labelled a and b.
func SlopeOption(rows []platform.ComparisonRow, a, b string) CycleChart {
	var series []CycleChart
	most := 1
	for _, r := range rows {
		if r.RankA <= 0 || r.RankB <= 0 {
			continue
		}
		most = max(most, r.RankA, r.RankB)
		colour := "#9ca3af"
		switch {
		case r.Shift > 0:
			colour = "#2e7d32"
		case r.Shift < 0:
			colour = "#c62828"
		}
		series = append(series, CycleChart{"type": "line", "name": r.PilotName, "data": []int{r.RankA, r.RankB},
			"lineStyle": CycleChart{"color": colour, "width": 1}, "itemStyle": CycleChart{"color": colour}, "symbolSize": 4,
			"endLabel": CycleChart{"show": len(rows) <= 40, "formatter": "{a}", "fontSize": 10}})
	}
	return CycleChart{
		"animation": false,
		"tooltip":   CycleChart{"trigger": "item", "formatter": "{a}: {c}"},
		"grid":      CycleChart{"left": 40, "right": 140, "top": 16, "bottom": 32},
		"xAxis":     CycleChart{"type": "category", "data": []string{a, b}, "boundaryGap": false},
		"yAxis":     CycleChart{"type": "value", "inverse": true, "min": 1, "max": most, "minInterval": 1},
		"series":    series,
	}
}

// IntervalOption draws each pilot's 5–95 % rank interval as an error bar
// (a transparent bar up to P05 stacked under a thin bar to P95), its median
// and its nominal rank as points; pilots top to bottom in the given order.
func IntervalOption(ivs []platform.RankInterval, lang string) CycleChart {
	names := make([]string, len(ivs))
	base := make([]any, len(ivs))
	span := make([]any, len(ivs))
	// Scatter points on a category axis are [value, category index] pairs.
	var med, nom [][2]float64
	for i, iv := range ivs {
		names[i] = iv.PilotName
		if iv.P05 != nil && iv.P95 != nil {
			base[i], span[i] = *iv.P05, *iv.P95-*iv.P05
		}
		if iv.Median != nil {
			med = append(med, [2]float64{*iv.Median, float64(i)})
		}
		nom = append(nom, [2]float64{float64(iv.Nominal), float64(i)})
	}
	return CycleChart{
		"animation": false,
		"tooltip":   CycleChart{"trigger": "axis", "axisPointer": CycleChart{"type": "shadow"}},
		"legend":    CycleChart{"top": 0, "data": []string{cycleMsg(lang, "chart.interval"), cycleMsg(lang, "chart.median"), cycleMsg(lang, "chart.nominal")}},
		"grid":      CycleChart{"left": 8, "right": 24, "top": 32, "bottom": 24, "containLabel": true},
		"xAxis": CycleChart{"type": "value", "min": 1, "minInterval": 1, "name": cycleMsg(lang, "chart.rank"),
			"nameLocation": "middle", "nameGap": 24},
		"yAxis": CycleChart{"type": "category", "data": names, "inverse": true, "axisLabel": CycleChart{"interval": 0, "fontSize": 10}},
		"series": []CycleChart{
			{"type": "bar", "stack": "iv", "data": base, "itemStyle": CycleChart{"color": "transparent"}, "silent": true,
				"tooltip": CycleChart{"show": false}},
			{"type": "bar", "stack": "iv", "name": cycleMsg(lang, "chart.interval"), "data": span, "barWidth": 4,
				"itemStyle": CycleChart{"color": "#6baed6"}},
			{"type": "scatter", "name": cycleMsg(lang, "chart.median"), "data": med, "symbolSize": 8, "itemStyle": CycleChart{"color": "#08519c"}},
			{"type": "scatter", "name": cycleMsg(lang, "chart.nominal"), "data": nom, "symbol": "diamond", "symbolSize": 8,
				"itemStyle": CycleChart{"color": "#c0392b"}},
		},
	}
}
