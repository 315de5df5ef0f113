package report

import (
	"strings"

	"github.com/sceval/sceval/platform"
)

// PilotChart is an Apache ECharts option, marshalled to JSON as it is.
type PilotChart = map[string]any

// pilotPalette are the series colours: the pilot, the peer median, then
// the first-level indicators of the trend.
var pilotPalette = []string{"#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b45309", "#0e7490"}

// PilotRadarOption is the radar chart of the pilot's scores at the indicators
// of one level (1 or 2) against the peer median of its type, on 0–100. A
// missing score is "-" (ECharts leaves the point out). Without a
// comparison (Scorecard.Comparison false) only the pilot's series is drawn.
func PilotRadarOption(sc *platform.Scorecard, level int, lang string) PilotChart {
	var axes []PilotChart
	var mine, median []any
	for _, n := range sc.Nodes {
		if n.Level != level {
			continue
		}
		name := n.Code
		if level == 1 {
			name = n.Code + "\n" + pilotWrap(n.Name.In(lang), 5)
		}
		axes = append(axes, PilotChart{"name": name, "max": 100, "min": 0})
		mine = append(mine, pilotChartValue(n.Score))
		median = append(median, pilotChartValue(n.PeerMedian))
	}
	series := []PilotChart{{"name": pilotT(lang, "pilot.chart.pilot"), "value": mine,
		"areaStyle": PilotChart{"opacity": 0.15}, "symbolSize": 5}}
	legend := []string{pilotT(lang, "pilot.chart.pilot")}
	if sc.Comparison {
		series = append(series, PilotChart{"name": pilotT(lang, "pilot.chart.median"), "value": median,
			"lineStyle": PilotChart{"type": "dashed"}, "symbolSize": 4})
		legend = append(legend, pilotT(lang, "pilot.chart.median"))
	}
	return PilotChart{
		"animation": false,
		"color":     pilotPalette,
		"tooltip":   PilotChart{"trigger": "item"},
		"legend":    PilotChart{"data": legend, "bottom": 0},
		"radar": PilotChart{"indicator": axes, "radius": "55%", "center": []string{"50%", "45%"},
			"axisName": PilotChart{"color": "#333", "fontSize": 11}, "splitNumber": 4},
		"series": []PilotChart{{"type": "radar", "data": series}},
	}
}

// PilotTrendOption is the line chart of the pilot's total and first-level
// scores across the cycles of the framework, oldest first.
func PilotTrendOption(sc *platform.Scorecard, lang string) PilotChart {
	var xs []string
	total := make([]any, 0, len(sc.Trend))
	for _, tp := range sc.Trend {
		xs = append(xs, PilotCycleLabel(tp.CycleName, tp.Year))
		total = append(total, pilotChartValue(tp.Total))
	}
	series := []PilotChart{{"name": pilotT(lang, "pilot.chart.total"), "type": "line", "data": total,
		"lineStyle": PilotChart{"width": 3}, "symbolSize": 8, "connectNulls": true}}
	legend := []string{pilotT(lang, "pilot.chart.total")}
	for _, n := range sc.Nodes {
		if n.Level != 1 {
			continue
		}
		data := make([]any, 0, len(sc.Trend))
		for _, tp := range sc.Trend {
			data = append(data, pilotChartValue(tp.First[n.Code]))
		}
		name := n.Code + " " + n.Name.In(lang)
		series = append(series, PilotChart{"name": name, "type": "line", "data": data, "symbolSize": 5, "connectNulls": true})
		legend = append(legend, name)
	}
	return PilotChart{
		"animation": false,
		"color":     pilotPalette,
		"tooltip":   PilotChart{"trigger": "axis"},
		"legend":    PilotChart{"data": legend, "bottom": 0, "type": "scroll"},
		"grid":      PilotChart{"left": 40, "right": 16, "top": 16, "bottom": 56},
		"xAxis":     PilotChart{"type": "category", "data": xs, "boundaryGap": len(xs) == 1},
		"yAxis":     PilotChart{"type": "value", "min": 0, "max": 100},
		"series":    series,
	}
}

// pilotChartValue is a score rounded to the displayed two decimals, or "-".
func pilotChartValue(x *float64) any {
	if x == nil {
		return "-"
	}
	return pilotRound(*x)
}

// pilotWrap breaks a long axis name into lines of at most n characters
// (Chinese has no spaces to break at; English breaks at spaces), so that
// the radar's labels fit a phone's width.
func pilotWrap(name string, n int) string {
	if strings.Contains(name, " ") {
		words := strings.Fields(name)
		var lines []string
		cur := ""
		for _, w := range words {
			if cur != "" && len([]rune(cur))+1+len([]rune(w)) > 2*n+2 {
				lines, cur = append(lines, cur), w
				continue
			}
			cur = strings.TrimSpace(cur + " " + w)
		}
		return strings.Join(append(lines, cur), "\n")
	}
	r := []rune(name)
	if len(r) <= n+1 {
		return name
	}
	half := (len(r) + 1) / 2
	return string(r[:half]) + "\n" + string(r[half:])
}

// PilotCycleLabel names a cycle with its year, unless the name has it.
func PilotCycleLabel(name string, year int) string {
	if y := pilotItoa(year); !strings.Contains(name, y) {
		return name + " (" + y + ")"
	}
	return name
}
