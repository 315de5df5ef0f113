package exchange

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// ResultsTable is a cycle's latest results run laid out wide: one row per
// pilot, by rank, with its score at every node.
type ResultsTable struct {
	Run   platform.ResultRun `json:"run"`
	Nodes []ResultNode       `json:"nodes"`
	Rows  []ResultLine       `json:"rows"`
}

// ResultNode is a column of the table: a node of the framework.
type ResultNode struct {
	Code  string `json:"code"`
	Level int    `json:"level"`
	Name  string `json:"name"`
}

// ResultLine is one pilot's results.
type ResultLine struct {
	PilotID    int64    `json:"pilot_id"`
	Pilot      string   `json:"pilot"`
	RegionCode string   `json:"region_code"`
	Rank       *int     `json:"rank"`
	Score      *float64 `json:"score"`
	Stars      *int     `json:"stars"`
	Coverage   float64  `json:"coverage"`
	Ranked     bool     `json:"ranked"`
	// Scores holds the score at each node, in Nodes order (null: none).
	Scores []*float64 `json:"scores"`
}

// resultsPage is how many rows each read of the results asks for.
const resultsPage = 1000

// CollectResults reads the latest run of a cycle through the service
// (which decides who may read it) into a table.
func CollectResults(ctx context.Context, svc *platform.Service, cycleID int64) (*ResultsTable, error) {
	run, err := svc.LatestRun(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	fw, err := svc.CycleFramework(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	t := &ResultsTable{Run: run, Nodes: []ResultNode{{Code: fw.ID, Name: fw.Name.In("zh")}}}
	col := map[string]int{fw.ID: 0}
	fw.Walk(func(ind, _ *framework.Indicator, level int) bool {
		col[ind.Code] = len(t.Nodes)
		t.Nodes = append(t.Nodes, ResultNode{Code: ind.Code, Level: level, Name: ind.Name.In("zh")})
		return true
	})
	byPilot := map[int64]int{}
	for level := 0; level <= fw.Depth(); level++ {
		for off := 0; ; off += resultsPage {
			rows, total, err := svc.ListResults(ctx, platform.ResultFilter{CycleID: cycleID, Level: level, Limit: resultsPage, Offset: off})
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				i, ok := byPilot[r.PilotID]
				if !ok {
					i = len(t.Rows)
					byPilot[r.PilotID] = i
					t.Rows = append(t.Rows, ResultLine{PilotID: r.PilotID, Pilot: r.PilotName, RegionCode: r.RegionCode, Scores: make([]*float64, len(t.Nodes))})
				}
				line := &t.Rows[i]
				if level == 0 {
					line.Rank, line.Score, line.Stars, line.Coverage = r.Rank, r.Score, r.Stars, r.Coverage
					line.Ranked = r.Ranked != nil && *r.Ranked
				}
				if c, ok := col[r.Code]; ok {
					line.Scores[c] = r.Score
				}
			}
			if off+resultsPage >= total {
				break
			}
		}
	}
	sort.SliceStable(t.Rows, func(a, b int) bool {
		ra, rb := t.Rows[a].Rank, t.Rows[b].Rank
		if (ra == nil) != (rb == nil) {
			return ra != nil
		}
		if ra != nil && *ra != *rb {
			return *ra < *rb
		}
		return t.Rows[a].PilotID < t.Rows[b].PilotID
	})
	return t, nil
}

// resultsHeader is the header of the CSV and XLSX results.
func (t *ResultsTable) header() []string {
	h := []string{"排名 rank", "试点ID pilot_id", "试点 pilot", "区划代码 region_code", "总分 score", "星级 stars", "覆盖率 coverage", "参与排名 ranked"}
	for _, n := range t.Nodes[1:] {
		h = append(h, n.Code+" "+n.Name)
	}
	return h
}

// WriteResultsCSV writes the table as CSV in UTF-8 with a byte order mark
// (so that Excel on Chinese Windows reads it as UTF-8), text cells
// escaped against formula injection, numbers as numbers.
func WriteResultsCSV(w io.Writer, t *ResultsTable) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := t.header()
	for i, h := range head {
		head[i] = dataset.SafeText(h)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	for _, r := range t.Rows {
		rec := []string{intText(r.Rank), strconv.FormatInt(r.PilotID, 10), dataset.SafeText(r.Pilot), dataset.SafeText(r.RegionCode),
			num(r.Score), intText(r.Stars), strconv.FormatFloat(r.Coverage, 'f', -1, 64), strconv.FormatBool(r.Ranked)}
		for _, s := range r.Scores[1:] {
			rec = append(rec, num(s))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func intText(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// WriteResultsJSON writes the table as JSON.
func WriteResultsJSON(w io.Writer, t *ResultsTable) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	if err := enc.Encode(t); err != nil {
		return fmt.Errorf("write results JSON: %w", err)
	}
	return nil
}
