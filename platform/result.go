package platform

import (
	"encoding/json"
	"time"
)

// ResultRow is one pilot's result at one node of a cycle's framework.
type ResultRow struct {
	CycleID    int64  `json:"cycle_id"`
	PilotID    int64  `json:"pilot_id"`
	PilotName  string `json:"pilot_name"`
	RegionCode string `json:"region_code"`
	// Code is the node's code; the root's code is the framework ID.
	Code  string   `json:"code"`
	Level int      `json:"level"`
	Score *float64 `json:"score"`
	Rank  *int     `json:"rank"`
	// Stars is set on root rows only: 0 below the lowest threshold.
	Stars        *int     `json:"stars,omitempty"`
	Coverage     float64  `json:"coverage"`
	Contribution *float64 `json:"contribution,omitempty"`
	// Ranked is set on root rows: false when the pilot's coverage is below
	// the cycle's threshold, so that it has no rank and no stars.
	Ranked *bool `json:"ranked,omitempty"`
	// Missing lists, on root rows, the pilot's applicable leaves without
	// data.
	Missing []string `json:"missing,omitempty"`
}

// ResultGap is what a pilot's overall result lacks: the applicable leaves
// without data, and whether the pilot is ranked.
type ResultGap struct {
	Missing []string
	Ranked  bool
}

// ResultRun describes the stored computation of a cycle's results.
type ResultRun struct {
	CycleID    int64     `json:"cycle_id"`
	ComputedAt time.Time `json:"computed_at"`
	// InputHash is the engine's hash over framework, scheme and data:
	// identical inputs give an identical hash.
	InputHash        string          `json:"input_hash"`
	FrameworkID      string          `json:"framework_id"`
	FrameworkVersion string          `json:"framework_version"`
	Scheme           json.RawMessage `json:"scheme"`
	Pilots           int             `json:"pilots"`
	// Warnings are the engine's warnings (imputation, constant columns…).
	Warnings []string `json:"warnings,omitempty"`
	// Basis digests what the run was computed from (the cycle's scoring
	// rules and the accepted submissions' inputs); a different current
	// digest makes the run stale.
	Basis string `json:"basis,omitempty"`
	// Stale is true when the accepted submissions or the cycle's rules
	// changed after the run (set by Service.LatestRun; never stored).
	Stale bool `json:"stale"`
	// Flagged is the number of pilots below the coverage threshold.
	Flagged int `json:"flagged"`
}

// ResultFilter selects result rows of one cycle.
type ResultFilter struct {
	CycleID int64 `json:"cycle_id"`
	// Code selects one node; "" means the root unless Level is set.
	Code string `json:"code,omitempty"`
	// Level selects every node of a level (0 = root) when Code is empty.
	Level int `json:"level,omitempty"`
	// PilotIDs, when not empty, keeps only these pilots' rows (IDs not in
	// the run select nothing); empty means every scored pilot.
	PilotIDs []int64 `json:"pilot_ids,omitempty"`
	// Province, when set, keeps only the rows of pilots of this province,
	// given by code (32, 320000) or name (江苏省, 江苏); with PilotIDs,
	// both filters apply.
	Province string `json:"province,omitempty"`
	// Sort is one of ResultSorts; "" means "rank".
	Sort   string `json:"sort,omitempty"`
	Limit  int    `json:"limit,omitempty"`
	Offset int    `json:"offset,omitempty"`
}

// ResultSorts lists the accepted ResultFilter.Sort values; a leading "-"
// reverses the order. Missing scores sort last either way.
var ResultSorts = []string{"rank", "-rank", "score", "-score", "name", "-name", "region_code", "-region_code"}

// ResultNode is one node of a ResultSet.
type ResultNode struct {
	Code   string
	Level  int
	Parent int
}

// ResultSet is a computed run in the columnar form the Store persists: the
// numeric slices are row-major by pilot (pilot i at node j is index
// i*len(Nodes)+j), as engine.Result lays them out.
type ResultSet struct {
	Run ResultRun
	// CycleVersion, when not 0, is the version of the cycle the run was
	// computed from: the store keeps the run only if the cycle still has
	// that version, so that a cycle published (or re-configured) while its
	// results were being computed never gets results it did not have.
	CycleVersion int
	// PilotIDs are the scored pilots in row order, ascending.
	PilotIDs []int64
	Nodes    []ResultNode
	// Score is NaN where missing.
	Score []float64
	// Rank is 0 where missing.
	Rank     []int32
	Coverage []float64
	// Contribution is NaN where undefined.
	Contribution []float64
	// Stars is per pilot: -1 when the overall score is missing.
	Stars []int
	// Missing holds per pilot its applicable leaves without data.
	Missing [][]string
	// Ranked is per pilot: false when below the coverage threshold.
	Ranked []bool
}
