package platform

import "context"

// ReviewStore keeps the expert review: settings per cycle, experts,
// assignments and their reviews. Writes are versioned like the other
// objects (kind Conflict, code "stale_version", with the current object).
type ReviewStore interface {
	// ReviewSettings returns the cycle's settings (NotFound if none stored).
	ReviewSettings(ctx context.Context, cycleID int64) (ReviewSettings, error)
	// PutReviewSettings creates (Version 0) or updates (Version current)
	// the cycle's settings.
	PutReviewSettings(ctx context.Context, r ReviewSettings) (ReviewSettings, error)

	// CreateExpert inserts e (ID set); a username is unique (duplicate).
	CreateExpert(ctx context.Context, e Expert) (Expert, error)
	// GetExpert returns one expert (NotFound if absent).
	GetExpert(ctx context.Context, id int64) (Expert, error)
	// UpdateExpert writes e if e.Version is current.
	UpdateExpert(ctx context.Context, e Expert) (Expert, error)
	// ListExperts returns a page of experts by ID and the total.
	ListExperts(ctx context.Context, f ExpertFilter) ([]Expert, int, error)

	// CreateAssignments inserts the assignments (IDs set) in one
	// transaction; an expert is assigned a submission once (duplicate).
	CreateAssignments(ctx context.Context, as []Assignment) ([]Assignment, error)
	// GetAssignment returns one assignment with its scores.
	GetAssignment(ctx context.Context, id int64) (Assignment, error)
	// ListAssignments returns a page of assignments (without scores).
	ListAssignments(ctx context.Context, f AssignmentFilter) ([]Assignment, int, error)
	// OverrideAssignment replaces the expert of a draft assignment whose
	// version is current, dropping its draft scores.
	OverrideAssignment(ctx context.Context, o AssignmentOverride) (Assignment, error)
	// WriteReview saves scores and/or moves the review between states,
	// checking version and state inside the write.
	WriteReview(ctx context.Context, w ReviewWrite) (Assignment, error)
	// SubmittedScores returns the scores of the cycle's submitted reviews
	// (of one submission when submissionID > 0), by submission, expert, code.
	SubmittedScores(ctx context.Context, cycleID, submissionID int64) ([]SubmittedScores, error)
}
