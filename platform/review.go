package platform

import "time"

// CombineMethod combines the experts' scores of one indicator.
type CombineMethod string

// The combination methods.
const (
	CombineMean        CombineMethod = "mean"
	CombineMedian      CombineMethod = "median"
	CombineTrimmedMean CombineMethod = "trimmed_mean"
)

// ExpertMode says where the combined expert scores go.
type ExpertMode string

// The expert modes.
const (
	// ExpertIndicators: the combined scores are the values of the
	// framework's expert-kind leaves, which the engine scores.
	ExpertIndicators ExpertMode = "indicators"
	// ExpertTotal: the combined scores of every leaf give a separate
	// expert total beside the self-assessment's result.
	ExpertTotal ExpertMode = "total"
)

// ReviewSettings are a cycle's expert-review settings.
type ReviewSettings struct {
	CycleID int64 `json:"cycle_id"`
	// ExpertsPerSubmission is k, the panel size of each submission.
	ExpertsPerSubmission int           `json:"experts_per_submission"`
	Combine              CombineMethod `json:"combine"`
	// TrimShare is the share cut from each end for trimmed_mean, in
	// [0, 0.5).
	TrimShare  float64    `json:"trim_share"`
	ExpertMode ExpertMode `json:"expert_mode"`
	// Blind hides the pilot from its experts: pseudonym instead of names
	// and codes, evidence file names masked.
	Blind bool `json:"blind"`
	// OutlierPoints is the outlier rule's threshold: an expert whose mean
	// absolute deviation from the rest of the panel's median exceeds it
	// (0–100 points) is flagged.
	OutlierPoints float64 `json:"outlier_points"`
	// Seed makes the automatic assignment reproducible.
	Seed      int64     `json:"seed"`
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
}

// DefaultReviewSettings are a cycle's settings until it stores its own.
func DefaultReviewSettings(cycleID int64) ReviewSettings {
	return ReviewSettings{CycleID: cycleID, ExpertsPerSubmission: 3, Combine: CombineMean, TrimShare: 0.2,
		ExpertMode: ExpertTotal, Blind: true, OutlierPoints: 15, Seed: 1}
}

// ReviewState is where an expert's review stands.
type ReviewState string

// The review states.
const (
	ReviewDraft     ReviewState = "draft"
	ReviewSubmitted ReviewState = "submitted"
)

// Assignment is one expert assigned to one submission, with the review
// the expert writes on it (the assignment's ID is the review's).
type Assignment struct {
	ID      int64 `json:"id"`
	CycleID int64 `json:"cycle_id"`
	// SubmissionID is left out of what an expert sees in a blind cycle.
	SubmissionID int64 `json:"submission_id,omitempty"`
	ExpertID     int64 `json:"expert_id"`
	// Pseudonym stands for the pilot in a blind cycle; stable per
	// submission.
	Pseudonym string `json:"pseudonym"`
	// Explanation says why this expert was chosen (or overridden).
	Explanation    string      `json:"explanation,omitempty"`
	OverrideReason string      `json:"override_reason,omitempty"`
	State          ReviewState `json:"state"`
	ReopenReason   string      `json:"reopen_reason,omitempty"`
	Version        int         `json:"version"`
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
	SubmittedAt    *time.Time  `json:"submitted_at,omitempty"`
	// Scores are the review's scores, by code (filled by GetReview).
	Scores []ReviewScore `json:"scores,omitempty"`
}

// ReviewScore is an expert's judgement of one leaf: a score 0–100 or a
// rubric level (mapped to the rubric's score), and a comment.
type ReviewScore struct {
	Code    string   `json:"code"`
	Score   *float64 `json:"score,omitempty"`
	Level   *int     `json:"level,omitempty"`
	Comment string   `json:"comment,omitempty"`
}

// AssignmentFilter selects assignments. Zero fields do not filter.
type AssignmentFilter struct {
	CycleID      int64  `json:"cycle_id,omitempty"`
	SubmissionID int64  `json:"submission_id,omitempty"`
	ExpertID     int64  `json:"expert_id,omitempty"`
	State        string `json:"state,omitempty"`
	Limit        int    `json:"limit,omitempty"`
	Offset       int    `json:"offset,omitempty"`
}

// ReviewWrite is one review change handed to the Store.
type ReviewWrite struct {
	AssignmentID int64
	// Version is the assignment version read; the store refuses a stale
	// one and a review that is not in state From.
	Version int
	From    ReviewState
	To      ReviewState
	// Scores, when not nil, replace the review's scores.
	Scores []ReviewScore
	// Reason is a reopening's reason.
	Reason string
	At     time.Time
	// Action names the change for the audit trail.
	Action string
}

// AssignmentOverride replaces the expert of one assignment.
type AssignmentOverride struct {
	AssignmentID int64
	Version      int
	ExpertID     int64
	Reason       string
	Explanation  string
	At           time.Time
}

// SubmittedScores are the submitted reviews' scores of a cycle: one row
// per (assignment, code), for combination and agreement.
type SubmittedScores struct {
	SubmissionID int64
	ExpertID     int64
	AssignmentID int64
	Code         string
	Score        float64
}
