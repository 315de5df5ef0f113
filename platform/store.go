package platform

import (
	"context"
	"fmt"
	"io"

	"github.com/sceval/sceval/framework"
)

// Store persists the platform's objects. Implementations (platform/sqlstore)
// enforce optimistic concurrency atomically: a versioned write whose version
// does not match returns an *Error of kind Conflict, code "stale_version",
// with the current object in Current. Missing objects give kind NotFound;
// duplicates give kind Conflict, code "duplicate".
type Store interface {
	// CreatePilot inserts p (ID, Version, timestamps are set) and returns it.
	CreatePilot(ctx context.Context, p Pilot) (Pilot, error)
	// CreatePilots inserts all pilots in one transaction, or none.
	CreatePilots(ctx context.Context, ps []Pilot) error
	// GetPilot returns one pilot (kind NotFound if absent).
	GetPilot(ctx context.Context, id int64) (Pilot, error)
	// UpdatePilot writes p if p.Version is current and returns it with the
	// next version.
	UpdatePilot(ctx context.Context, p Pilot) (Pilot, error)
	// ListPilots returns a page of pilots and the total matching f.
	ListPilots(ctx context.Context, f PilotFilter) ([]Pilot, int, error)

	// CreateCycle inserts c (ID set) and returns it.
	CreateCycle(ctx context.Context, c Cycle) (Cycle, error)
	// GetCycle returns one cycle (kind NotFound if absent).
	GetCycle(ctx context.Context, id int64) (Cycle, error)
	// UpdateCycle writes c if c.Version is current (state included).
	UpdateCycle(ctx context.Context, c Cycle) (Cycle, error)
	// ListCycles returns a page of cycles, newest year first, and the total.
	ListCycles(ctx context.Context, f CycleFilter) ([]Cycle, int, error)

	// CreateSubmission inserts s; one submission per pilot per cycle.
	CreateSubmission(ctx context.Context, s Submission) (Submission, error)
	// GetSubmission returns s with its entries (each with its evidence)
	// and history.
	GetSubmission(ctx context.Context, id int64) (Submission, error)
	// SubmissionScope returns the submission without entries, and its cycle.
	SubmissionScope(ctx context.Context, id int64) (Submission, Cycle, error)
	// ListSubmissions returns submissions without entries and history.
	ListSubmissions(ctx context.Context, f SubmissionFilter) ([]Submission, int, error)
	// SaveEntry creates or updates one entry atomically: the submission
	// must be editable (else NotEditable) and its cycle open (else
	// CycleNotOpen), both checked inside the write, and the version
	// current; the submission's completeness is updated. Implementations
	// may commit several concurrent saves together, but each save succeeds
	// or fails on its own.
	SaveEntry(ctx context.Context, w EntryWrite) (Entry, error)
	// TransitionSubmission changes state if version and From are current
	// and the submission's cycle allows the move (open for a submit, else
	// CycleNotOpen; open or closed for a return or accept, else
	// CycleNotReviewable), all checked inside the write, records the
	// transition and, when Inputs is set, the engine inputs.
	TransitionSubmission(ctx context.Context, t SubmissionTransition) (Submission, error)
	// ImportSubmissions inserts complete submissions (entries, history,
	// inputs) in one transaction: the bulk path for imports and demos.
	ImportSubmissions(ctx context.Context, subs []SubmissionImport) error

	// AddEvidence records an evidence file (ID set) and returns it.
	AddEvidence(ctx context.Context, e Evidence) (Evidence, error)
	// GetEvidence returns one evidence record (kind NotFound if absent).
	GetEvidence(ctx context.Context, id int64) (Evidence, error)
	// ListEvidence returns a submission's evidence records.
	ListEvidence(ctx context.Context, submissionID int64) ([]Evidence, error)

	// AcceptedInputs returns the engine inputs of the cycle's accepted
	// submissions, ordered by pilot ID.
	AcceptedInputs(ctx context.Context, cycleID int64) ([]AcceptedInput, error)
	// ReplaceResults stores a run, replacing the cycle's previous run, in
	// one transaction.
	ReplaceResults(ctx context.Context, rs *ResultSet) error
	// ListResults returns a page of result rows and the total (kind
	// NotFound when the cycle has no run or the code no results).
	ListResults(ctx context.Context, f ResultFilter) ([]ResultRow, int, error)
	// NodeBest returns the highest score at each node of codes in the
	// cycle's run; nodes without a score are left out.
	NodeBest(ctx context.Context, cycleID int64, codes []string) (map[string]float64, error)
	// PilotResults returns the pilot's root rows across cycles.
	PilotResults(ctx context.Context, pilotID int64) ([]ResultRow, error)
	// LatestRun returns the cycle's stored run (kind NotFound if none).
	LatestRun(ctx context.Context, cycleID int64) (ResultRun, error)

	AccountStore
}

// EntryWrite is one entry save handed to the Store.
type EntryWrite struct {
	SubmissionID int64
	// Entry holds the new content (Code, Value, Unit, Level, Narrative,
	// Complete, UpdatedAt); its Version is ignored.
	Entry Entry
	// Version is the version the client read; 0 means creating.
	Version int
	// Leaves is the number of leaves of the framework, for completeness.
	Leaves int
}

// SubmissionTransition is one submission state change handed to the Store.
type SubmissionTransition struct {
	ID         int64
	Version    int
	Transition Transition
	// Inputs, when not nil, replaces the stored engine inputs (on accept).
	Inputs []byte
}

// SubmissionImport is one complete submission for Store.ImportSubmissions.
type SubmissionImport struct {
	// Submission holds CycleID, PilotID, State, Completeness, timestamps,
	// Entries and History.
	Submission Submission
	// Inputs are the engine inputs for accepted submissions, else nil.
	Inputs []byte
}

// AcceptedInput is an accepted submission's engine inputs: one little-endian
// float64 per framework leaf, NaN where missing (see encodeInputs).
type AcceptedInput struct {
	PilotID int64
	// Province and Type are the pilot's, for group-mean imputation.
	Province string
	Type     PilotType
	Inputs   []byte
}

// BlobStore keeps evidence files by the hex SHA-256 of their content.
type BlobStore interface {
	// Put stores r's content, failing with kind TooLarge as soon as more
	// than maxSize bytes arrive, and returns its hash, size and sniffed
	// content type.
	Put(ctx context.Context, r io.Reader, maxSize int64) (sha256 string, size int64, sniffedType string, err error)
	// Open returns the content with the given hash (kind NotFound if absent).
	Open(ctx context.Context, sha256 string) (io.ReadCloser, error)
}

// FrameworkSource resolves a framework by ID.
type FrameworkSource interface {
	Framework(id string) (*framework.Framework, error)
}

// BuiltinFrameworks is the FrameworkSource of the frameworks compiled into
// sceval (framework.Builtin).
type BuiltinFrameworks struct{}

// Framework returns the built-in framework id, or a NotFound error.
func (BuiltinFrameworks) Framework(id string) (*framework.Framework, error) {
	f, ok := framework.Builtin(id)
	if !ok {
		return nil, &Error{Kind: NotFound, Code: "not_found", Field: "framework_id",
			Message: fmt.Sprintf("framework %q is not known (built-in: %v)", id, framework.BuiltinIDs())}
	}
	return f, nil
}
