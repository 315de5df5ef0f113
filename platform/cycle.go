package platform

import (
	"encoding/json"
	"time"

	"github.com/sceval/sceval/engine"
)

// CycleKind is the kind of evaluation a cycle runs.
type CycleKind string

// The cycle kinds of the programme.
const (
	CycleApplicationReview CycleKind = "application_review"
	CycleAnnualMonitoring  CycleKind = "annual_monitoring"
	CycleFinalAcceptance   CycleKind = "final_acceptance"
)

// Valid reports whether k is a known cycle kind.
func (k CycleKind) Valid() bool {
	return k == CycleApplicationReview || k == CycleAnnualMonitoring || k == CycleFinalAcceptance
}

// CycleState is where a cycle stands.
type CycleState string

// The cycle states.
const (
	CycleDraft     CycleState = "draft"
	CycleOpen      CycleState = "open"
	CycleClosed    CycleState = "closed"
	CyclePublished CycleState = "published"
)

// cycleTransitions lists the allowed cycle state changes: draft → open →
// closed → published, closed → open to reopen, and published → closed to
// retract a publication (with a reason) so that it can be corrected.
var cycleTransitions = map[CycleState][]CycleState{
	CycleDraft:     {CycleOpen},
	CycleOpen:      {CycleClosed},
	CycleClosed:    {CycleOpen, CyclePublished},
	CyclePublished: {CycleClosed},
}

// Next returns the states a cycle in state s may move to.
func (s CycleState) Next() []CycleState { return cycleTransitions[s] }

// CanTransition reports whether a cycle may move from s to to.
func (s CycleState) CanTransition(to CycleState) bool {
	for _, t := range cycleTransitions[s] {
		if t == to {
			return true
		}
	}
	return false
}

// Valid reports whether s is a known cycle state.
func (s CycleState) Valid() bool {
	switch s {
	case CycleDraft, CycleOpen, CycleClosed, CyclePublished:
		return true
	}
	return false
}

// Cycle is one evaluation round (application review, an annual monitoring
// year, final acceptance) with its framework, scoring scheme, deadlines and
// star thresholds.
type Cycle struct {
	ID   int64     `json:"id"`
	Name string    `json:"name"`
	Kind CycleKind `json:"kind"`
	Year int       `json:"year"`
	// FrameworkID and FrameworkVersion name the framework; frozen once the
	// cycle leaves draft. An empty version means "the current one" on create.
	FrameworkID      string `json:"framework_id"`
	FrameworkVersion string `json:"framework_version"`
	// Scheme is the engine scheme as canonical JSON; empty on create means
	// engine.DefaultScheme().
	Scheme json.RawMessage `json:"scheme"`
	// StarThresholds rate the overall score (one, two, three stars).
	StarThresholds []engine.StarThreshold `json:"star_thresholds"`
	OpensAt        *time.Time             `json:"opens_at,omitempty"`
	DueAt          *time.Time             `json:"due_at,omitempty"`
	// TimeZone is the IANA zone in which dates of the cycle are read (a
	// due date "2014-11-30" ends at 24:00 there); default Asia/Shanghai.
	TimeZone string `json:"time_zone"`
	// MinCompleteness is the share of the framework's leaves, in [0, 1],
	// that must be answered (a value, a level, or not applicable with a
	// reason) before a submission can be submitted; default 1, every leaf.
	MinCompleteness *float64 `json:"min_completeness"`
	// CoverageThreshold is the share of a pilot's applicable leaves, in
	// [0, 1], that must carry data for the pilot to be ranked and rated;
	// below it the results flag the pilot and keep it out of the ranking.
	// Default 1.
	CoverageThreshold *float64 `json:"coverage_threshold"`
	// NotApplicable lists the leaves a pilot may mark not applicable (with
	// a reason): excluded from its score, not zero. Frozen once open.
	NotApplicable []string `json:"not_applicable_allowed"`
	// Demo marks a cycle of fictional demonstration data.
	Demo bool `json:"demo"`
	// Scoring says whether the scheme scores absolutely (a pilot's score
	// does not depend on the other pilots) or relative to the cohort, and
	// why; derived from Scheme, never written.
	Scoring   Scoring    `json:"scoring"`
	State     CycleState `json:"state"`
	Version   int        `json:"version"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// CycleFilter selects cycles for ListCycles. Empty fields do not filter.
type CycleFilter struct {
	Kind  string `json:"kind,omitempty"`
	State string `json:"state,omitempty"`
	Year  int    `json:"year,omitempty"`
	// Demo, when set, keeps only demo cycles (true) or real ones (false).
	Demo   *bool `json:"demo,omitempty"`
	Limit  int   `json:"limit,omitempty"`
	Offset int   `json:"offset,omitempty"`
}
