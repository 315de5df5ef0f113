package platform

import (
	"context"
	"fmt"
)

// ResultTableRow is one pilot's overall result in a cycle's stored run, with
// the pilot's attributes the results pages filter and group by, and its
// first-level scores.
type ResultTableRow struct {
	ResultRow
	Type         PilotType `json:"type"`
	Batch        string    `json:"batch"`
	ProvinceCode string    `json:"province_code"`
	// Level1 holds the first-level scores by code (nil when missing).
	Level1 map[string]*float64 `json:"level1"`
}

// ResultTable is a cycle's whole stored run: every scored pilot's overall
// row in rank order (unranked pilots last) with attributes and first-level
// scores. The results pages, the summary report and the public site filter,
// sort, count and chart it.
type ResultTable struct {
	Cycle Cycle     `json:"cycle"`
	Run   ResultRun `json:"run"`
	// Level1 are the first-level codes in framework order.
	Level1 []string         `json:"level1"`
	Rows   []ResultTableRow `json:"rows"`
}

// ResultTable returns the cycle's whole stored run (NotFound when results
// were never computed), to whoever may read its ranking.
func (s *Service) ResultTable(ctx context.Context, cycleID int64) (ResultTable, error) {
	run, err := s.LatestRun(ctx, cycleID) // authorizes cycle.results.read
	if err != nil {
		return ResultTable{}, err
	}
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return ResultTable{}, err
	}
	t := ResultTable{Cycle: c, Run: run}
	root, err := s.allResultRows(ctx, ResultFilter{CycleID: cycleID})
	if err != nil {
		return ResultTable{}, err
	}
	level1, err := s.allResultRows(ctx, ResultFilter{CycleID: cycleID, Level: 1})
	if err != nil {
		return ResultTable{}, err
	}
	pilots, err := s.pilotsByID(ctx)
	if err != nil {
		return ResultTable{}, err
	}
	scores := map[int64]map[string]*float64{}
	seen := map[string]bool{}
	for _, r := range level1 {
		if !seen[r.Code] {
			seen[r.Code] = true
			t.Level1 = append(t.Level1, r.Code)
		}
		if scores[r.PilotID] == nil {
			scores[r.PilotID] = map[string]*float64{}
		}
		scores[r.PilotID][r.Code] = r.Score
	}
	t.Rows = make([]ResultTableRow, len(root))
	for i, r := range root {
		p := pilots[r.PilotID]
		t.Rows[i] = ResultTableRow{ResultRow: r, Type: p.Type, Batch: p.Batch, ProvinceCode: p.ProvinceCode,
			Level1: scores[r.PilotID]}
	}
	return t, nil
}

// allResultRows reads every page of f's rows (sorted by rank).
func (s *Service) allResultRows(ctx context.Context, f ResultFilter) ([]ResultRow, error) {
	var out []ResultRow
	f.Limit = 1000
	for {
		f.Offset = len(out)
		rows, total, err := s.ListResults(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("results of cycle %d: %w", f.CycleID, err)
		}
		out = append(out, rows...)
		if len(rows) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

// pilotsByID reads every pilot, page by page: the attributes of a run's
// pilots (a run holds most of them, so one scan beats a lookup each).
func (s *Service) pilotsByID(ctx context.Context) (map[int64]Pilot, error) {
	out := map[int64]Pilot{}
	for offset := 0; ; offset += 1000 {
		page, total, err := s.store.ListPilots(ctx, PilotFilter{Sort: "id", Limit: 1000, Offset: offset})
		if err != nil {
			return nil, fmt.Errorf("list pilots: %w", err)
		}
		for _, p := range page {
			out[p.ID] = p
		}
		if len(page) == 0 || offset+len(page) >= total {
			return out, nil
		}
	}
}
