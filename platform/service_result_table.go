package platform

import (
	"cmp"
	"context"
	"fmt"
	"slices"
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
// were never computed), to whoever may read its ranking, in the ranking's
// order: by rank, unranked and unscored pilots last, ties by pilot ID (as
// ListResults sorts by rank).
func (s *Service) ResultTable(ctx context.Context, cycleID int64) (ResultTable, error) {
	run, err := s.LatestRun(ctx, cycleID) // authorizes cycle.results.read
	if err != nil {
		return ResultTable{}, err
	}
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return ResultTable{}, err
	}
	rows, err := s.store.ResultTable(ctx, cycleID)
	if err != nil {
		return ResultTable{}, fmt.Errorf("results of cycle %d: %w", cycleID, err)
	}
	slices.SortFunc(rows, func(a, b ResultTableRow) int {
		ra, rb := rankKey(derefRank(a.Rank)), rankKey(derefRank(b.Rank))
		if ra != rb {
			return cmp.Compare(ra, rb)
		}
		return cmp.Compare(a.PilotID, b.PilotID)
	})
	t := ResultTable{Cycle: c, Run: run, Rows: rows}
	if p, err := s.cyclePlan(c); err == nil {
		for _, ind := range p.fw.Indicators {
			t.Level1 = append(t.Level1, ind.Code)
		}
	} else if len(rows) > 0 { // the framework is gone: the codes the run has
		for code := range rows[0].Level1 {
			t.Level1 = append(t.Level1, code)
		}
		slices.Sort(t.Level1)
	}
	return t, nil
}

// derefRank is *r, or 0 (missing) for nil.
func derefRank(r *int) int {
	if r == nil {
		return 0
	}
	return *r
}

// pilotsByID reads every pilot, page by page: the names and regions of the
// pilots an analysis scores (most of them, so one scan beats a lookup each).
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
