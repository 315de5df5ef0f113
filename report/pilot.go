package report

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sceval/sceval/platform"
)

//go:embed pilot_report.html pilot_report.css
var pilotTemplateFS embed.FS

// pilotTemplate is the pilot report's body; Document adds the A4 frame,
// the inline styles and the chart code (charts drawn as SVG, without
// animation: data-static). Parsed on first use, not at start-up: every
// sceval command links this package (BENCHMARKS.md, "Start-up").
var pilotTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("pilot_report.html").Funcs(template.FuncMap{
		"score":      pilotScore,
		"cycleLabel": PilotCycleLabel,
		"pct":        func(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) },
		"weight": func(x float64) string {
			return strconv.FormatFloat(x, 'f', 4, 64)
		},
	}).ParseFS(pilotTemplateFS, "pilot_report.html"))
})

// PilotOptions configure a pilot report.
type PilotOptions struct {
	// Lang is "zh" (default) or "en".
	Lang string
	// Assets are the chart files inlined so that the report draws its
	// charts without any network (ui.ReportAssets); without them the
	// report has no charts (the tables carry every figure).
	Assets Assets
	// Region is the pilot's region as a person reads it (e.g. 北京市 ›
	// 朝阳区); empty shows the region code.
	Region string
	// Generated is when the report is made (default now), shown in
	// Location (default Asia/Shanghai, else UTC).
	Generated time.Time
	Location  *time.Location
}

// pilotView is what the report template reads.
type pilotView struct {
	L         func(key string) string
	S         *platform.Scorecard
	Lang      string
	Title     string
	Region    string
	Type      string
	Rank      string
	TypeRank  string
	Stars     string
	Levels    []platform.ScorecardNode
	Leaves    []pilotLeaf
	Radar1    template.JS
	Radar2    template.JS
	Trend     template.JS
	Method    []string
	Experts   []string
	Generated string
}

// pilotLeaf is one row of the indicator table.
type pilotLeaf struct {
	platform.ScorecardNode
	Name     string
	Value    string
	Comments []string
}

// pilotChartBox matches a chart's box and its figure caption.
var pilotChartBox = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`<div class="chart[^"]*" data-option="[a-z0-9]+"[^>]*></div>`)
})

// PilotHTML renders the scorecard as a self-contained HTML report.
func PilotHTML(sc *platform.Scorecard, opts PilotOptions) ([]byte, error) {
	lang := opts.Lang
	if lang != "en" {
		lang = "zh"
	}
	v := pilotView{S: sc, Lang: lang, L: func(k string) string { return pilotT(lang, k) }}
	v.Title = fmt.Sprintf("%s · %s · %s", sc.Pilot.Name, sc.Cycle.Name, pilotT(lang, "pilot.title"))
	v.Region = opts.Region
	if v.Region == "" {
		v.Region = sc.Pilot.RegionCode
	}
	v.Type = pilotT(lang, "pilot.type."+string(sc.Pilot.Type))
	v.Rank, v.TypeRank = pilotOf(lang, sc.Rank, sc.Ranked), pilotOf(lang, sc.TypeRank, sc.TypeRanked)
	v.Stars = PilotStars(sc.Stars, sc.MostStars)
	for _, n := range sc.Nodes {
		switch {
		case n.Level <= 2 && !n.Leaf:
			v.Levels = append(v.Levels, n)
		case n.Leaf:
			v.Leaves = append(v.Leaves, pilotLeaf{ScorecardNode: n, Name: n.Name.In(lang), Value: PilotValue(n, lang),
				Comments: PilotComments(n, lang)})
		}
	}
	var err error
	for _, c := range []struct {
		dst *template.JS
		opt PilotChart
	}{{&v.Radar1, PilotRadarOption(sc, 1, lang)}, {&v.Radar2, PilotRadarOption(sc, 2, lang)}, {&v.Trend, PilotTrendOption(sc, lang)}} {
		if *c.dst, err = pilotJSON(c.opt); err != nil {
			return nil, err
		}
	}
	loc := opts.Location
	if loc == nil {
		if loc, err = time.LoadLocation("Asia/Shanghai"); err != nil {
			loc = time.UTC
		}
	}
	v.Method = pilotMethod(sc, lang, loc)
	v.Experts = PilotExperts(sc, lang)
	gen := opts.Generated
	if gen.IsZero() {
		gen = time.Now()
	}
	v.Generated = pilotF(lang, "pilot.generated", gen.In(loc).Format("2006-01-02 15:04 MST"))
	var buf bytes.Buffer
	if err := pilotTemplate().Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("pilot report of pilot %d in cycle %d: %w", sc.Pilot.ID, sc.Cycle.ID, err)
	}
	style, err := pilotTemplateFS.ReadFile("pilot_report.css")
	if err != nil {
		return nil, err
	}
	charts := len(opts.Assets.ECharts) > 0
	body := buf.String()
	if !charts { // no chart code: no empty chart boxes either
		body = pilotChartBox().ReplaceAllString(body, "")
	}
	return HTML(Document{Lang: lang, Title: v.Title, Body: template.HTML(body), Style: template.CSS(style), Charts: charts},
		opts.Assets)
}

// pilotJSON marshals a chart option for a <script type="application/json">
// block.
func pilotJSON(opt PilotChart) (template.JS, error) {
	b, err := json.Marshal(opt)
	return template.JS(b), err
}

// pilotOf is "rank / count", or "–".
func pilotOf(lang string, rank *int, count int) string {
	if rank == nil {
		return "–"
	}
	return pilotF(lang, "pilot.of", *rank, count)
}

// PilotStars draws n of most stars as ★★☆, or "–" when not rated.
func PilotStars(n *int, most int) string {
	if n == nil {
		return "–"
	}
	if most <= 0 {
		most = 3
	}
	k := min(max(*n, 0), most)
	return strings.Repeat("★", k) + strings.Repeat("☆", most-k)
}

// PilotValue is what the pilot reported for a leaf, as a person reads it:
// the rubric level with its label, the value with its unit, or "not
// applicable"; "–" when nothing was reported.
func PilotValue(n platform.ScorecardNode, lang string) string {
	switch {
	case n.NotApplicable:
		return pilotT(lang, "pilot.not_applicable")
	case n.RubricLevel != nil:
		if label := n.RubricLabel.In(lang); label != "" {
			return fmt.Sprintf("L%d %s", *n.RubricLevel, label)
		}
		return fmt.Sprintf("L%d", *n.RubricLevel)
	case n.Value != nil:
		s := strconv.FormatFloat(*n.Value, 'f', -1, 64)
		if n.Unit != "" {
			s += " " + n.Unit
		}
		return s
	}
	return "–"
}

// PilotComments are a leaf's expert comments, each prefixed with the
// expert's name, or 专家 N / Expert N when the review is masked.
func PilotComments(n platform.ScorecardNode, lang string) []string {
	if n.Expert == nil {
		return nil
	}
	out := make([]string, 0, len(n.Expert.Comments))
	for _, c := range n.Expert.Comments {
		who := c.Expert
		if who == "" {
			who = pilotF(lang, "pilot.expert_n", c.Number)
		}
		sep := "："
		if lang == "en" {
			sep = ": "
		}
		out = append(out, who+sep+c.Comment)
	}
	return out
}

// PilotExperts summarises the expert review in sentences.
func PilotExperts(sc *platform.Scorecard, lang string) []string {
	e := sc.Experts
	if e == nil {
		return nil
	}
	out := []string{pilotF(lang, "pilot.experts_summary", e.Reviews, e.Method)}
	if e.Total != nil {
		out = append(out, pilotF(lang, "pilot.experts_total", pilotScore(e.Total)))
	}
	if e.Masked {
		out = append(out, pilotT(lang, "pilot.experts_masked"))
	}
	return out
}

// PilotMethod is the method note of a scorecard, sentence by sentence.
// Times are shown in loc (UTC when nil).
func PilotMethod(sc *platform.Scorecard, lang string, loc *time.Location) []string {
	return pilotMethod(sc, lang, loc)
}

func pilotMethod(sc *platform.Scorecard, lang string, loc *time.Location) []string {
	if loc == nil {
		loc = time.UTC
	}
	m := sc.Method
	mode := pilotT(lang, "pilot.method.absolute")
	if m.Scoring.Mode == "relative" {
		mode = pilotT(lang, "pilot.method.relative")
	}
	var th []string
	for _, t := range m.Thresholds {
		th = append(th, fmt.Sprintf("%s ≥ %s", strings.Repeat("★", t.Stars), strconv.FormatFloat(t.Min, 'f', -1, 64)))
	}
	out := []string{
		pilotF(lang, "pilot.method.scheme", m.Normalisation, m.Weighting, m.Aggregation, mode),
		pilotF(lang, "pilot.method.stars", strings.Join(th, ", ")),
		pilotT(lang, "pilot.method.contrib"),
		pilotT(lang, "pilot.method.median"),
	}
	if m.DefaultWeights {
		out = append(out, pilotT(lang, "pilot.method.weights"))
	}
	return append(out, pilotF(lang, "pilot.method.run", m.ComputedAt.In(loc).Format("2006-01-02 15:04 MST"), m.InputHash))
}
