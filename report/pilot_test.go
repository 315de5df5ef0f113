package report

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

func f64(v float64) *float64 { return &v }
func i(v int) *int           { return &v }

// testScorecard is the tiny framework's P2 of platform's scorecard tests:
// total 25, rank 4 of 4, 3rd of 3 districts, 0 stars.
func testScorecard() *platform.Scorecard {
	node := func(code, zh string, level int, leaf bool, score, median, contrib, eff float64) platform.ScorecardNode {
		n := platform.ScorecardNode{Code: code, Name: framework.Text{Zh: zh, En: "en-" + code}, Level: level, Leaf: leaf,
			Score: f64(score), PeerMedian: f64(median), Contribution: f64(contrib), EffectiveWeight: eff}
		n.GapMedian = f64(eff * (median - score))
		n.GapMax = f64(eff * (100 - score))
		return n
	}
	a2 := node("A.2", "甲二", 2, true, 0, 50, 0, 0.25)
	a2.RubricLevel, a2.RubricLabel = i(1), framework.Text{Zh: "差", En: "poor"}
	b1 := node("B.1", "乙一", 2, true, 40, 70, 20, 0.5)
	b1.Expert = &platform.ExpertLeaf{Score: 60, Experts: 2, Comments: []platform.ExpertComment{{Number: 2, Comment: "乙一良好"}}}
	a1 := node("A.1", "甲一", 2, true, 20, 20, 5, 0.25)
	a1.Value, a1.Unit = f64(20), "%"
	sc := &platform.Scorecard{
		Pilot: platform.Pilot{ID: 2, Name: "丰台区", RegionCode: "110106", Batch: "2013", Type: platform.PilotDistrict},
		Cycle: platform.Cycle{ID: 5, Name: "年度监测", Year: 2015, Demo: true},
		Total: f64(25), Rank: i(4), Ranked: 4, TypeRank: i(3), TypeRanked: 3, Stars: i(0), MostStars: 3,
		Coverage: 1, Comparison: true, Demo: true, FrameworkName: framework.Text{Zh: "小框架", En: "Tiny"},
		Nodes: []platform.ScorecardNode{node("A", "甲", 1, false, 10, 50, 5, 0.5), a1, a2, node("B", "乙", 1, false, 40, 70, 20, 0.5), b1},
		Trend: []platform.TrendPoint{{CycleID: 4, CycleName: "年度监测", Year: 2014, Total: f64(17.5), First: map[string]*float64{"A": f64(5), "B": f64(30)}},
			{CycleID: 5, CycleName: "年度监测", Year: 2015, Total: f64(25), Rank: i(4), First: map[string]*float64{"A": f64(10), "B": f64(40)}}},
		Experts: &platform.ExpertSummary{Reviews: 2, Method: platform.CombineMean, Masked: true, Total: f64(52.5), Comments: 1},
		Method: platform.MethodNote{Normalisation: "goalposts", Weighting: "framework", Aggregation: "amean", DefaultWeights: true,
			Thresholds: []platform.StarLine{{Stars: 1, Min: 60}, {Stars: 2, Min: 75}, {Stars: 3, Min: 90}}, InputHash: "abc123"},
	}
	sc.Gaps = []platform.ScorecardNode{b1, a2}
	return sc
}

func TestPilotHTMLHasTheKeyFigures(t *testing.T) {
	sc := testScorecard()
	html, err := PilotHTML(sc, PilotOptions{Assets: Assets{ECharts: []byte("/*ECHARTS*/"), App: []byte("/*APP*/")}, Region: "北京市 › 丰台区",
		Generated: time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	for _, want := range []string{
		`<span class="v" id="total">25.00</span>`, `<span class="v" id="rank">4 / 4</span>`, `<span class="v" id="type-rank">3 / 3</span>`,
		"☆☆☆", "北京市 › 丰台区", "演示数据", "甲一", "20 %", "L1 差", "专家 2：乙一良好", "52.50", "−15.00", "−12.50",
		"/*ECHARTS*/", "/*APP*/", `data-renderer="svg"`, "输入哈希 abc123", "权重为 sceval 默认值", "生成于 2026-12-06 16:00 CST", "@page { size: A4",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Nothing is loaded from anywhere: no src or href attribute at all.
	if m := regexp.MustCompile(`(?i)\s(src|href)=`).FindString(s); m != "" {
		t.Errorf("the report refers to an outside resource: %q", m)
	}
	// The radar's data are the scorecard's scores and medians.
	block := regexp.MustCompile(`(?s)<script type="application/json" id="radar1">(.*?)</script>`).FindStringSubmatch(s)
	if block == nil {
		t.Fatal("no radar1 option")
	}
	var opt struct {
		Series []struct {
			Data []struct {
				Name  string `json:"name"`
				Value []any  `json:"value"`
			} `json:"data"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(block[1]), &opt); err != nil {
		t.Fatal(err)
	}
	d := opt.Series[0].Data
	if len(d) != 2 || d[0].Value[0] != 10.0 || d[0].Value[1] != 40.0 || d[1].Value[0] != 50.0 || d[1].Value[1] != 70.0 {
		t.Errorf("radar data %+v", d)
	}
	en, err := PilotHTML(sc, PilotOptions{Lang: "en"})
	if err != nil || !strings.Contains(string(en), "Pilot scorecard") || !strings.Contains(string(en), "Expert 2: 乙一良好") ||
		strings.Contains(string(en), "<script>") {
		t.Errorf("English report without ECharts: %v", err)
	}
}
