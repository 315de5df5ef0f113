package report

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"time"

	"github.com/sceval/sceval/platform"
)

//go:embed cycle_report.html cycle_report.css
var cycleFiles embed.FS

// cycleView is what the report template reads.
type cycleView struct {
	*CycleReport
	Charts map[string]template.JS
	Title  string
}

// HTML renders the report as one self-contained, print-ready A4 document
// (Document, HTML): its style, the chart library, app.js, the map
// (a.Map, the deployment's) and every chart's option are inline, so the
// file opens and prints without a network or a server. Charts are drawn as
// SVG with animation off (data-static-charts).
func (rep *CycleReport) HTML(a Assets) ([]byte, error) {
	css, err := cycleFiles.ReadFile("cycle_report.css")
	if err != nil {
		return nil, err
	}
	m, err := ParseChinaMap("report map", a.Map)
	if err != nil {
		return nil, err
	}
	v := cycleView{CycleReport: rep, Charts: map[string]template.JS{}}
	scope := cycleMsg(rep.Lang, "report.national")
	if rep.Province != "" {
		scope = rep.ProvinceName
	}
	v.Title = fmt.Sprintf(cycleMsg(rep.Lang, "report.title"), rep.Cycle.Name) + " · " + scope
	charts := map[string]CycleChart{
		"histogram": HistogramOption(rep.Stats.Histogram, rep.Cycle.StarThresholds, rep.Lang),
		"stars":     StarsByProvinceOption(rep.Stats.Provinces, rep.Stats.MostStars, rep.Lang),
		"types":     TypeAveragesOption(rep.Stats.Types, rep.Level1, rep.Level1Names, rep.Lang),
		"map":       MapOption(rep.National.Provinces, MapScore, rep.Lang, m),
	}
	if rep.Uncertainty != nil {
		charts["intervals"] = IntervalOption(rep.Uncertainty.Intervals, rep.Lang)
	}
	for id, o := range charts {
		b, err := json.Marshal(o)
		if err != nil {
			return nil, fmt.Errorf("chart %s: %w", id, err)
		}
		v.Charts[id] = template.JS(b) // json.Marshal escapes <, > and &
	}
	t, err := template.New("cycle_report.html").Funcs(cycleFuncs(rep.Lang, rep.Generated.Location())).ParseFS(cycleFiles, "cycle_report.html")
	if err != nil {
		return nil, err
	}
	var body bytes.Buffer
	if err := t.Execute(&body, v); err != nil {
		return nil, fmt.Errorf("render the report of cycle %d: %w", rep.Cycle.ID, err)
	}
	return HTML(Document{Lang: rep.Lang, Title: v.Title, Body: template.HTML(body.String()), Style: template.CSS(css), Charts: true}, a)
}

// cycleFuncs are the template's helpers in lang.
func cycleFuncs(lang string, loc *time.Location) template.FuncMap {
	return template.FuncMap{
		"t": func(key string) string { return cycleMsg(lang, key) },
		"f": func(key string, args ...any) string { return fmt.Sprintf(cycleMsg(lang, key), args...) },
		"score": func(x *float64) string {
			if x == nil || math.IsNaN(*x) {
				return "–"
			}
			return fmt.Sprintf("%.2f", *x)
		},
		"num": func(x *float64) string {
			if x == nil || math.IsNaN(*x) {
				return "–"
			}
			return fmt.Sprintf("%.3f", *x)
		},
		"rank": func(x *float64) string {
			if x == nil {
				return "–"
			}
			return fmt.Sprintf("%g", *x)
		},
		"deref": func(n *int) int {
			if n == nil {
				return 0
			}
			return *n
		},
		"stars":    cycleStars,
		"typeName": func(t platform.PilotType) string { return cycleMsg(lang, "type."+string(t)) },
		"state":    func(s platform.SubmissionState) string { return cycleMsg(lang, "state."+string(s)) },
		"pct":      func(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) },
		// date shows an instant in the zone of the report's generation time
		// (the deployment's), never raw UTC.
		"date": func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04 MST") },
		"seq": func(n int) []int {
			out := make([]int, n+1)
			for i := range out {
				out[i] = n - i
			}
			return out
		},
		"idx":    func(xs []int, i int) int { return xs[i] },
		"pct100": func(x float64) float64 { return 100 * x },
		"outliers": func(es []platform.ExpertDeviation) int {
			n := 0
			for _, e := range es {
				if e.Outlier {
					n++
				}
			}
			return n
		},
	}
}
