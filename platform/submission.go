package platform

import "time"

// SubmissionState is where a submission stands in review.
type SubmissionState string

// The submission states.
const (
	SubmissionDraft     SubmissionState = "draft"
	SubmissionSubmitted SubmissionState = "submitted"
	SubmissionReturned  SubmissionState = "returned"
	SubmissionAccepted  SubmissionState = "accepted"
	// SubmissionForwarded: the province reviewed it and passed it on to
	// the ministry, which returns or accepts it.
	SubmissionForwarded SubmissionState = "forwarded"
)

// submissionTransitions lists the allowed submission state changes: the
// province returns or forwards a submitted one, the ministry returns or
// accepts a forwarded one. submitted → accepted stays allowed for the
// ministry deciding without a provincial review (who may do it is
// Authorize's "submission.accept" decision).
var submissionTransitions = map[SubmissionState][]SubmissionState{
	SubmissionDraft:     {SubmissionSubmitted},
	SubmissionSubmitted: {SubmissionReturned, SubmissionForwarded, SubmissionAccepted},
	SubmissionForwarded: {SubmissionReturned, SubmissionAccepted},
	SubmissionReturned:  {SubmissionSubmitted},
}

// CanTransition reports whether a submission may move from s to to.
func (s SubmissionState) CanTransition(to SubmissionState) bool {
	for _, t := range submissionTransitions[s] {
		if t == to {
			return true
		}
	}
	return false
}

// Valid reports whether s is a known submission state.
func (s SubmissionState) Valid() bool {
	switch s {
	case SubmissionDraft, SubmissionSubmitted, SubmissionReturned, SubmissionAccepted, SubmissionForwarded:
		return true
	}
	return false
}

// Editable reports whether entries and evidence may change in state s.
func (s SubmissionState) Editable() bool { return s == SubmissionDraft || s == SubmissionReturned }

// Submission is one pilot's report in one cycle.
type Submission struct {
	ID      int64           `json:"id"`
	CycleID int64           `json:"cycle_id"`
	PilotID int64           `json:"pilot_id"`
	State   SubmissionState `json:"state"`
	// Reason is the reason of the current return: set while the submission
	// is returned, cleared when it is submitted again (the history keeps
	// every reason).
	Reason  string `json:"reason,omitempty"`
	Version int    `json:"version"`
	// Completeness is the share of the framework's leaves that have a value
	// or a level, in [0, 1].
	Completeness float64      `json:"completeness"`
	Entries      []Entry      `json:"entries,omitempty"`
	History      []Transition `json:"history,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
	SubmittedAt  *time.Time   `json:"submitted_at,omitempty"`

	// ReturnComments are the last return's per-indicator comments while
	// the submission is returned (each also on its entry); resubmitting
	// clears them with Reason (both stay in History).
	ReturnComments []IndicatorComment `json:"return_comments,omitempty"`
}

// Entry is a submission's report on one leaf indicator.
type Entry struct {
	Code  string   `json:"code"`
	Value *float64 `json:"value,omitempty"`
	Unit  string   `json:"unit,omitempty"`
	// Level is a rubric level, 1 (worst) … n (best).
	Level     *int   `json:"level,omitempty"`
	Narrative string `json:"narrative,omitempty"`
	// NotApplicable marks a leaf the pilot does not have (the cycle must
	// allow it); the narrative gives the reason. It counts as answered and
	// is excluded from the score, not scored zero.
	NotApplicable bool `json:"not_applicable,omitempty"`
	// Complete is true when the entry has what the leaf is scored from, or
	// is not applicable.
	Complete  bool       `json:"complete"`
	Version   int        `json:"version"`
	Evidence  []Evidence `json:"evidence,omitempty"`
	UpdatedAt time.Time  `json:"updated_at"`
	// UpdatedBy is the user who saved this version ("" for entries saved
	// before it was recorded, and for imported ones): a version conflict
	// names who made the other change.
	UpdatedBy string `json:"updated_by,omitempty"`

	// ReturnComment is the reviewer's comment on this indicator in the
	// last return, while the submission is returned.
	ReturnComment string `json:"return_comment,omitempty"`
}

// EntryInput is what a submitter sends for one entry.
type EntryInput struct {
	Value     *float64 `json:"value,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	Level     *int     `json:"level,omitempty"`
	Narrative string   `json:"narrative,omitempty"`
	// NotApplicable marks the leaf not applicable (no value or level; the
	// narrative must give the reason); only for leaves the cycle allows.
	NotApplicable bool `json:"not_applicable,omitempty"`
	// Version is the entry version the client read; 0 means creating.
	Version int `json:"version"`
}

// Transition is one recorded state change of a submission.
type Transition struct {
	From   SubmissionState `json:"from"`
	To     SubmissionState `json:"to"`
	Reason string          `json:"reason,omitempty"`
	Actor  string          `json:"actor"`
	At     time.Time       `json:"at"`

	// Comments are a return's per-indicator comments.
	Comments []IndicatorComment `json:"comments,omitempty"`
}

// IndicatorComment is a reviewer's comment on one indicator of a
// submission.
type IndicatorComment struct {
	Code    string `json:"code"`
	Comment string `json:"comment"`
}

// SubmissionFilter selects submissions for ListSubmissions.
type SubmissionFilter struct {
	CycleID int64  `json:"cycle_id,omitempty"`
	PilotID int64  `json:"pilot_id,omitempty"`
	State   string `json:"state,omitempty"`
	// Province keeps the pilots of one province; CycleState the cycles in
	// one state (the narrowing of a caller's scope).
	Province   string `json:"province,omitempty"`
	CycleState string `json:"cycle_state,omitempty"`
	// PilotType and Batch keep the pilots of one type and one batch (the
	// review queues' filters).
	PilotType string `json:"pilot_type,omitempty"`
	Batch     string `json:"batch,omitempty"`
	// Overdue keeps the submissions still in draft or returned after their
	// due date (the cycle's, or the pilot's extension), as OverduePilots
	// counts them; the service fills OverdueAt with the current time.
	Overdue   bool       `json:"overdue,omitempty"`
	OverdueAt *time.Time `json:"-"`
	Limit     int        `json:"limit,omitempty"`
	Offset    int        `json:"offset,omitempty"`
}
