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

// Option is an ECharts option object.
type Option = map[string]any

// starColours are the bar colours by rating: none, one, two, three stars.
var starColours = []string{"#b0b7c3", "#9ecae1", "#4292c6", "#08519c", "#08306b"}

// HistogramOption is the histogram of overall scores (bars of
// HistogramWidth on a 0–100 value axis) with each star threshold drawn as a
// vertical markLine labelled with its stars.
func HistogramOption(bins []Bin, thresholds []engine.StarThreshold, lang string) Option {
	data := make([][2]float64, len(bins))
	for i, b := range bins {
		data[i] = [2]float64{(b.Low + b.High) / 2, float64(b.Count)}
	}
	var lines []Option
	for _, t := range thresholds {
		lines = append(lines, Option{"xAxis": t.Min, "name": fmt.Sprintf("%s %g", starText(t.Stars), t.Min)})
	}
	return Option{
		"animation": false,
		"grid":      Option{"left": 48, "right": 24, "top": 36, "bottom": 48},
		"tooltip":   Option{"trigger": "axis"},
		"xAxis": Option{"type": "value", "min": 0, "max": 100, "interval": 10,
			"name": msg(lang, "chart.score"), "nameLocation": "middle", "nameGap": 28},
		"yAxis": Option{"type": "value", "minInterval": 1, "name": msg(lang, "chart.pilots")},
		"series": []Option{{
			"type": "bar", "name": msg(lang, "chart.pilots"), "data": data, "barWidth": "90%",
			"itemStyle": Option{"color": "#4292c6"},
			"markLine": Option{"symbol": "none", "silent": true, "data": lines,
				"lineStyle": Option{"color": "#c0392b", "type": "dashed"},
				"label":     Option{"formatter": "{b}", "position": "end"}},
		}},
	}
}

// starText is "★★" for 2, "–" for 0 (below every threshold).
func starText(n int) string {
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
func StarsByProvinceOption(provinces []ProvinceStat, most int, lang string) Option {
	names := make([]string, len(provinces))
	for i, p := range provinces {
		names[i] = p.Name
	}
	var series []Option
	for k := 0; k <= most; k++ {
		data := make([]int, len(provinces))
		for i, p := range provinces {
			if k < len(p.Stars) {
				data[i] = p.Stars[k]
			}
		}
		label := starText(k)
		if k == 0 {
			label = msg(lang, "chart.no_stars")
		}
		series = append(series, Option{"type": "bar", "stack": "stars", "name": label, "data": data,
			"itemStyle": Option{"color": starColours[min(k, len(starColours)-1)]}})
	}
	return Option{
		"animation": false,
		"tooltip":   Option{"trigger": "axis", "axisPointer": Option{"type": "shadow"}},
		"legend":    Option{"top": 0},
		"grid":      Option{"left": 8, "right": 24, "top": 32, "bottom": 24, "containLabel": true},
		"xAxis":     Option{"type": "value", "minInterval": 1},
		// Provinces read top to bottom in the given order.
		"yAxis":  Option{"type": "category", "data": names, "inverse": true, "axisLabel": Option{"interval": 0}},
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
func MapOption(provinces []ProvinceStat, metric, lang string, m *ChinaMap) Option {
	var data []Option
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
		data = append(data, Option{"name": feature, "value": v})
	}
	if len(data) == 0 {
		lo, hi = 0, 1
	}
	name := msg(lang, "chart.mean_score")
	if metric == MapParticipation {
		name, lo = msg(lang, "chart.pilots"), 0
	}
	return Option{
		"animation": false,
		"tooltip":   Option{"trigger": "item"},
		"visualMap": Option{"min": math.Floor(lo), "max": math.Ceil(math.Max(hi, lo+1)), "calculable": true, "left": 8, "bottom": 8,
			"text":    []string{msg(lang, "chart.high"), msg(lang, "chart.low")},
			"inRange": Option{"color": []string{"#deebf7", "#6baed6", "#08519c"}}},
		"series": []Option{{"type": "map", "map": "china", "name": name, "roam": false, "data": data,
			"emphasis":  Option{"label": Option{"show": true}},
			"itemStyle": Option{"areaColor": "#f3f4f6", "borderColor": "#9ca3af"}}},
	}
}

// TypeAveragesOption is a grouped bar chart of the first-level means by
// pilot type, first-level indicators named by names (code → name).
func TypeAveragesOption(types []TypeAverage, level1 []string, names map[string]string, lang string) Option {
	cats := make([]string, len(level1))
	for i, c := range level1 {
		cats[i] = c + " " + names[c]
	}
	var series []Option
	for _, t := range types {
		data := make([]any, len(level1))
		for i, c := range level1 {
			if m := t.Means[c]; m != nil {
				data[i] = math.Round(*m*100) / 100
			}
		}
		series = append(series, Option{"type": "bar", "name": msg(lang, "type."+string(t.Type)), "data": data})
	}
	return Option{
		"animation": false,
		"tooltip":   Option{"trigger": "axis"},
		"legend":    Option{"top": 0},
		"grid":      Option{"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": true},
		"xAxis":     Option{"type": "category", "data": cats, "axisLabel": Option{"interval": 0, "width": 110, "overflow": "break"}},
		"yAxis":     Option{"type": "value", "min": 0, "max": 100},
		"series":    series,
	}
}

// SlopeOption draws each pilot's rank under scheme A and under scheme B
// joined by a line (a slope chart; rank 1 on top), labelled a and b.
func SlopeOption(rows []platform.ComparisonRow, a, b string) Option {
	var series []Option
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
		series = append(series, Option{"type": "line", "name": r.PilotName, "data": []int{r.RankA, r.RankB},
			"lineStyle": Option{"color": colour, "width": 1}, "itemStyle": Option{"color": colour}, "symbolSize": 4,
			"endLabel": Option{"show": len(rows) <= 40, "formatter": "{a}", "fontSize": 10}})
	}
	return Option{
		"animation": false,
		"tooltip":   Option{"trigger": "item", "formatter": "{a}: {c}"},
		"grid":      Option{"left": 40, "right": 140, "top": 16, "bottom": 32},
		"xAxis":     Option{"type": "category", "data": []string{a, b}, "boundaryGap": false},
		"yAxis":     Option{"type": "value", "inverse": true, "min": 1, "max": most, "minInterval": 1},
		"series":    series,
	}
}

// IntervalOption draws each pilot's 5–95 % rank interval as an error bar
// (a transparent bar up to P05 stacked under a thin bar to P95), its median
// and its nominal rank as points; pilots top to bottom in the given order.
func IntervalOption(ivs []platform.RankInterval, lang string) Option {
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
	return Option{
		"animation": false,
		"tooltip":   Option{"trigger": "axis", "axisPointer": Option{"type": "shadow"}},
		"legend":    Option{"top": 0, "data": []string{msg(lang, "chart.interval"), msg(lang, "chart.median"), msg(lang, "chart.nominal")}},
		"grid":      Option{"left": 8, "right": 24, "top": 32, "bottom": 24, "containLabel": true},
		"xAxis": Option{"type": "value", "min": 1, "minInterval": 1, "name": msg(lang, "chart.rank"),
			"nameLocation": "middle", "nameGap": 24},
		"yAxis": Option{"type": "category", "data": names, "inverse": true, "axisLabel": Option{"interval": 0, "fontSize": 10}},
		"series": []Option{
			{"type": "bar", "stack": "iv", "data": base, "itemStyle": Option{"color": "transparent"}, "silent": true,
				"tooltip": Option{"show": false}},
			{"type": "bar", "stack": "iv", "name": msg(lang, "chart.interval"), "data": span, "barWidth": 4,
				"itemStyle": Option{"color": "#6baed6"}},
			{"type": "scatter", "name": msg(lang, "chart.median"), "data": med, "symbolSize": 8, "itemStyle": Option{"color": "#08519c"}},
			{"type": "scatter", "name": msg(lang, "chart.nominal"), "data": nom, "symbol": "diamond", "symbolSize": 8,
				"itemStyle": Option{"color": "#c0392b"}},
		},
	}
}
