package dataset

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
	"github.com/xuri/excelize/v2"
)

// sampleResult is a hand-made result: root "fw" with children 1 (1.1, 1.2)
// and 2; unit "B, Inc." misses 1.2 and "C" misses everything.
func sampleResult() *engine.Result {
	nan := math.NaN()
	return &engine.Result{
		FrameworkID: "fw",
		Units:       []string{"杭州市", "B, Inc.", "C"},
		Nodes: []engine.Node{
			{Code: "fw", Level: 0, Parent: -1, Children: []int{1, 4}},
			{Code: "1", Level: 1, Parent: 0, Children: []int{2, 3}},
			{Code: "1.1", Level: 2, Parent: 1, Column: 0},
			{Code: "1.2", Level: 2, Parent: 1, Column: 1},
			{Code: "2", Level: 1, Parent: 0, Column: 2},
		},
		Score: []float64{
			62.5, 75, 100, 50, 50,
			37.5, 25, 25, nan, 50,
			nan, nan, nan, nan, nan,
		},
		Rank:         []int32{1, 1, 1, 1, 1, 2, 2, 2, 0, 1, 0, 0, 0, 0, 0},
		Coverage:     []float64{1, 1, 1, 1, 1, 2.0 / 3, 0.5, 1, 0, 1, 0, 0, 0, 0, 0},
		Contribution: []float64{nan, 0.6, 2.0 / 3, 1.0 / 3, 0.4, nan, 1.0 / 3, 1, nan, 2.0 / 3, nan, nan, nan, nan, nan},
		Stars:        []int{1, 0, -1},
		Weights:      []float64{1, 0.5, 0.5, 0.5, 0.5},
		EffectiveWeights: []float64{
			1, 0.5, 0.25, 0.25, 0.5,
		},
		Warnings: []string{`unit "C" has no data`},
		Hash:     "abc123",
	}
}

func TestWriteLongCSV(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteLongCSV(&b, sampleResult()); err != nil {
		t.Fatal(err)
	}
	want := `unit,code,level,score,rank,coverage,contribution,stars
杭州市,fw,0,62.5,1,1,,1
杭州市,1,1,75,1,1,0.6,
杭州市,1.1,2,100,1,1,0.666667,
杭州市,1.2,2,50,1,1,0.333333,
杭州市,2,1,50,1,1,0.4,
"B, Inc.",fw,0,37.5,2,0.666667,,0
"B, Inc.",1,1,25,2,0.5,0.333333,
"B, Inc.",1.1,2,25,2,1,1,
"B, Inc.",1.2,2,,,,,
"B, Inc.",2,1,50,1,1,0.666667,
C,fw,0,,,,,
C,1,1,,,,,
C,1.1,2,,,,,
C,1.2,2,,,,,
C,2,1,,,,,
`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestAppendNumber(t *testing.T) {
	t.Parallel()
	cases := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {100, "100"}, {73.5, "73.5"}, {1.0 / 3, "0.333333"}, {2.0 / 3, "0.666667"},
		{-1.25, "-1.25"}, {-0.0000001, "0"}, {0.0000005, "0.000001"}, {12.3456785, "12.345679"},
		{999999.9999999, "1000000"}, {1e15, "1e+15"}, {math.NaN(), ""}, {-7, "-7"},
	}
	for _, c := range cases {
		if got := FormatNumber(c.v); got != c.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

func TestAppendNumberAllocates(t *testing.T) {
	buf := make([]byte, 0, 64)
	allocs := testing.AllocsPerRun(100, func() { buf = AppendNumber(buf[:0], 12.345678) })
	if allocs != 0 {
		t.Errorf("AppendNumber allocates %v times", allocs)
	}
}

func TestWriteJSON(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteJSON(&b, sampleResult()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Framework string
		Hash      string
		Nodes     []struct {
			Code            string
			Level           int
			Parent          string
			Weight          float64
			EffectiveWeight float64 `json:"effective_weight"`
		}
		Units []struct {
			Unit         string
			Stars        *int
			Score        map[string]*float64
			Rank         map[string]*int
			Contribution map[string]*float64
		}
		Warnings []string
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if doc.Framework != "fw" || doc.Hash != "abc123" || len(doc.Nodes) != 5 || len(doc.Units) != 3 {
		t.Fatalf("doc %+v", doc)
	}
	if n := doc.Nodes[2]; n.Code != "1.1" || n.Parent != "1" || n.Level != 2 || n.EffectiveWeight != 0.25 {
		t.Errorf("node 1.1: %+v", n)
	}
	a, bu, c := doc.Units[0], doc.Units[1], doc.Units[2]
	if a.Unit != "杭州市" || *a.Stars != 1 || *a.Score["1"] != 75 || *a.Rank["fw"] != 1 || *a.Contribution["1.2"] != 0.333333 {
		t.Errorf("unit A: %+v", a)
	}
	if bu.Score["1.2"] != nil || bu.Rank["1.2"] != nil || *bu.Score["fw"] != 37.5 {
		t.Errorf("unit B: %+v", bu)
	}
	if c.Stars != nil || c.Score["fw"] != nil {
		t.Errorf("unit C: %+v", c)
	}
	if a.Contribution["fw"] != nil {
		t.Errorf("root contribution should be null")
	}
	if len(doc.Warnings) != 1 {
		t.Errorf("warnings %v", doc.Warnings)
	}
}

func TestWriteTable(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteTable(&b, sampleResult()); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"unit     overall  stars  rank      1      2\n" +
		"-------  -------  -----  ----  -----  -----\n" +
		"杭州市     62.50      1     1  75.00  50.00\n" +
		"B, Inc.    37.50      0     2  25.00  50.00\n" +
		"C              -      -     -      -      -\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWriteXLSX(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteXLSX(&b, sampleResult(), nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), "|"); got != "总分 Overall|各级得分 Scores|Long|指标 Indicators|说明 Notes" {
		t.Errorf("sheets %q", got)
	}
	check := xlsxChecker(t, f)
	check(SheetOverall, "A2", "杭州市")
	check(SheetOverall, "B3", "37.5")
	check(SheetOverall, "C4", "")
	check(SheetScores, "E1", "1.2")
	check(SheetScores, "E5", "")
	check(SheetScores, "C4", "75")
	check(SheetLong, "A7", "B, Inc.")
	check(SheetLong, "D7", "37.5")
	check(SheetLong, "H7", "0")
	check(SheetNotes, "B7", "abc123")
}

func xlsxChecker(t *testing.T, f *excelize.File) func(sheet, cell, want string) {
	return func(sheet, cell, want string) {
		t.Helper()
		got, err := f.GetCellValue(sheet, cell)
		if err != nil || got != want {
			t.Errorf("%s!%s = %q (%v), want %q", sheet, cell, got, err, want)
		}
	}
}

// The workbook names the indicators (zh/en), repeats the --attr columns
// and says which framework, scheme and hash produced it.
func TestWriteXLSXContext(t *testing.T) {
	t.Parallel()
	fw := &framework.Framework{ID: "fw", Version: "2", Name: framework.Text{Zh: "测试", En: "Test"}, Indicators: []*framework.Indicator{
		{Code: "1", Name: framework.Text{Zh: "保障体系", En: "Safeguards"}, Children: []*framework.Indicator{
			{Code: "1.1", Name: framework.Text{Zh: "无线网络", En: "Wireless network"}},
			{Code: "1.2", Name: framework.Text{Zh: "宽带", En: "Broadband"}}}},
		{Code: "2", Name: framework.Text{Zh: "产业", En: "Industry"}}}}
	res := sampleResult()
	d := &engine.Data{Units: res.Units, Attrs: map[string][]string{"province": {"浙江", "江苏", "河北"}, "type": {"city", "town", "district"}}}
	ctx := &XLSXContext{Framework: fw, Attrs: []string{"type", "province"}, Data: d, Scheme: "s.yaml", SchemeJSON: []byte(`{"name":"s"}`), Generator: "sceval test"}
	var b bytes.Buffer
	if err := WriteXLSX(&b, res, ctx); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	check := xlsxChecker(t, f)
	// Overall: unit, type, province, overall, …
	check(SheetOverall, "B1", "type")
	check(SheetOverall, "C1", "province")
	check(SheetOverall, "B3", "town")
	check(SheetOverall, "C3", "江苏")
	check(SheetOverall, "D3", "37.5")
	// Scores: codes, Chinese names, English names, then units.
	check(SheetScores, "G1", "1.2")
	check(SheetScores, "G2", "宽带")
	check(SheetScores, "G3", "Broadband")
	check(SheetScores, "D2", "测试")
	check(SheetScores, "A4", "杭州市")
	check(SheetScores, "C4", "浙江")
	check(SheetScores, "E4", "75")
	// Long: the first eight columns as the long CSV, then names, attributes.
	check(SheetLong, "I3", "保障体系")
	check(SheetLong, "J4", "Wireless network")
	check(SheetLong, "K1", "type")
	check(SheetLong, "L7", "江苏")
	// Indicators and notes.
	check(SheetIndicators, "C4", "1")
	check(SheetIndicators, "D4", "无线网络")
	check(SheetIndicators, "G4", "0.25")
	check(SheetNotes, "B2", "fw")
	check(SheetNotes, "B3", "测试 / Test")
	check(SheetNotes, "B4", "2")
	check(SheetNotes, "B5", "s.yaml")
	check(SheetNotes, "B6", `{"name":"s"}`)
	check(SheetNotes, "B7", "abc123")
	check(SheetNotes, "B9", "type, province")
	check(SheetNotes, "A11", "warning 1")
	check(SheetNotes, "B11", `unit "C" has no data`)
}

// TestWriteLongCSVBlocks checks the block-parallel writer on a result of
// many blocks against rows formatted one by one with encoding/csv.
func TestWriteLongCSVBlocks(t *testing.T) {
	t.Parallel()
	base := sampleResult()
	res := &engine.Result{FrameworkID: "fw", Nodes: base.Nodes}
	for u := range 1000 {
		src := u % 3
		res.Units = append(res.Units, fmt.Sprintf("unit %d, %d", u, src))
		res.Score = append(res.Score, base.Score[src*5:src*5+5]...)
		res.Rank = append(res.Rank, base.Rank[src*5:src*5+5]...)
		res.Coverage = append(res.Coverage, base.Coverage[src*5:src*5+5]...)
		res.Contribution = append(res.Contribution, base.Contribution[src*5:src*5+5]...)
		res.Stars = append(res.Stars, base.Stars[src])
	}
	var got bytes.Buffer
	if err := WriteLongCSV(&got, res); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	cw := csv.NewWriter(&want)
	cw.Write(strings.Split(LongHeader, ","))
	for u, name := range res.Units {
		for k, n := range res.Nodes {
			i := u*5 + k
			row := []string{name, n.Code, strconv.Itoa(n.Level), "", "", "", "", ""}
			if !math.IsNaN(res.Score[i]) {
				row[3], row[4], row[5] = FormatNumber(res.Score[i]), strconv.Itoa(int(res.Rank[i])), FormatNumber(res.Coverage[i])
				if res.Rank[i] == 0 {
					row[4] = ""
				}
				if k > 0 {
					row[6] = FormatNumber(res.Contribution[i])
				}
			}
			if k == 0 && res.Stars[u] >= 0 {
				row[7] = strconv.Itoa(res.Stars[u])
			}
			cw.Write(row)
		}
	}
	cw.Flush()
	if got.String() != want.String() {
		t.Errorf("parallel long CSV differs from the row-by-row one (%d vs %d bytes)", got.Len(), want.Len())
	}
}
