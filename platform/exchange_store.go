package platform

import (
	"context"
	"time"
)

// EntryImportStore is the bulk path of entry imports (Service.ImportEntries):
// a Store that implements it can take a whole cycle's entries in one
// transaction. It is a separate interface so that stores (and test
// doubles) without it still satisfy Store; the service refuses imports
// when its store lacks it.
type EntryImportStore interface {
	// EachCycleSubmission calls fn for every submission of the cycle (no
	// entries, no history), with its pilot's name, region and province.
	EachCycleSubmission(ctx context.Context, cycleID int64, fn func(CycleSubmission) error) error
	// EachCycleEntry calls fn for every entry of every submission of the
	// cycle, ordered by submission.
	EachCycleEntry(ctx context.Context, cycleID int64, fn func(submissionID int64, e Entry) error) error
	// ApplyEntryImport writes an import's changes in one transaction: it
	// checks in the transaction that every submission in w.Submissions is
	// editable and its cycle open, writes each change that w.Each yields
	// (creating an entry for Version 0, else updating it when its version
	// is still Version, the next version), records an audit row per entry
	// (action "submission.entry.import") and updates the completeness of
	// every touched submission. It returns the number of entries written;
	// on any error nothing is written.
	ApplyEntryImport(ctx context.Context, w EntryImportWrite) (int, error)
}

// CycleSubmission is a submission as an import sees it.
type CycleSubmission struct {
	ID         int64
	PilotID    int64
	State      SubmissionState
	PilotName  string
	RegionCode string
	Province   string
}

// EntryImportWrite is an import handed to EntryImportStore.ApplyEntryImport.
type EntryImportWrite struct {
	CycleID int64
	// Submissions are the IDs of the submissions the changes touch.
	Submissions []int64
	// Leaves is the number of the framework's leaves, for completeness.
	Leaves int
	// At is the time of the change (entries' and submissions' updated_at).
	At time.Time
	// Each yields the changes (EntryWrite: submission, entry, the version
	// read); it is called again from the start when the transaction is
	// retried, so it must be repeatable.
	Each func(yield func(EntryWrite) error) error
}
