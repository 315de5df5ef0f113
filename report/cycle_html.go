package report

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/sceval/sceval/platform"
)

//go:embed cycle_report.html cycle_report.css cycle_report.js
var cycleFiles embed.FS

// Assets are the files a self-contained report inlines: the ECharts script
// and the China map. Without ECharts the report still has every figure in
// its tables; the charts' boxes stay empty.
type Assets struct {
	ECharts []byte
	Map     *ChinaMap
}

// cycleView is what the report template reads.
type cycleView struct {
	*CycleReport
	CSS, Script, ECharts template.JS
	CSSText              template.CSS
	MapJSON              template.JS
	Charts               map[string]template.JS
	Title                string
}

// HTML renders the report as one self-contained, print-ready A4 page: the
// CSS, the ECharts script, the map's GeoJSON and every chart's option are
// inline, so the file opens and prints without a network or a server.
// Charts are drawn as SVG with animation off: they are complete when the
// page's load event fires, and <html data-charts="drawn"> says so.
func (rep *CycleReport) HTML(a Assets) ([]byte, error) {
	css, err := cycleFiles.ReadFile("cycle_report.css")
	if err != nil {
		return nil, err
	}
	script, err := cycleFiles.ReadFile("cycle_report.js")
	if err != nil {
		return nil, err
	}
	v := cycleView{CycleReport: rep, CSSText: template.CSS(css), Script: inlineJS(script), ECharts: inlineJS(a.ECharts),
		Charts: map[string]template.JS{}}
	scope := msg(rep.Lang, "report.national")
	if rep.Province != "" {
		scope = rep.ProvinceName
	}
	v.Title = fmt.Sprintf(msg(rep.Lang, "report.title"), rep.Cycle.Name) + " · " + scope
	if a.Map != nil {
		v.MapJSON = inlineJS(a.Map.GeoJSON)
	}
	charts := map[string]Option{
		"histogram": HistogramOption(rep.Stats.Histogram, rep.Cycle.StarThresholds, rep.Lang),
		"stars":     StarsByProvinceOption(rep.Stats.Provinces, rep.Stats.MostStars, rep.Lang),
		"types":     TypeAveragesOption(rep.Stats.Types, rep.Level1, rep.Level1Names, rep.Lang),
	}
	if a.Map != nil {
		charts["map"] = MapOption(rep.National.Provinces, MapScore, rep.Lang, a.Map)
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
	t, err := template.New("cycle_report.html").Funcs(reportFuncs(rep.Lang, rep.Generated.Location())).ParseFS(cycleFiles, "cycle_report.html")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("render the report of cycle %d: %w", rep.Cycle.ID, err)
	}
	return buf.Bytes(), nil
}

// inlineJS makes script or JSON text safe inside a <script> element: the
// only sequence that could end the element early is "</" (escaped as
// "<\/", which JavaScript strings and JSON read as "</").
func inlineJS(b []byte) template.JS {
	return template.JS(strings.ReplaceAll(string(b), "</", `<\/`))
}

// reportFuncs are the template's helpers in lang.
func reportFuncs(lang string, loc *time.Location) template.FuncMap {
	return template.FuncMap{
		"t": func(key string) string { return msg(lang, key) },
		"f": func(key string, args ...any) string { return fmt.Sprintf(msg(lang, key), args...) },
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
		"stars":    starText,
		"typeName": func(t platform.PilotType) string { return msg(lang, "type."+string(t)) },
		"state":    func(s platform.SubmissionState) string { return msg(lang, "state."+string(s)) },
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
