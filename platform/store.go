package platform

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/sceval/sceval/framework"
)

// Store persists the platform's objects. Implementations (platform/sqlstore)
// enforce optimistic concurrency atomically: a versioned write whose version
// does not match returns an *Error of kind Conflict, code "stale_version",
// with the current object in Current. Missing objects give kind NotFound;
// duplicates give kind Conflict, code "duplicate".
type Store interface {
	// AuditStore reads the audit trail; ReviewStore keeps experts,
	// assignments and reviews.
	AuditStore
	ReviewStore

	// CreatePilot inserts p (ID, Version, timestamps are set) and returns it.
	CreatePilot(ctx context.Context, p Pilot) (Pilot, error)
	// CreatePilots inserts all pilots in one transaction, or none.
	CreatePilots(ctx context.Context, ps []Pilot) error
	// ImportPilots inserts all pilots, or none, in bounded write
	// transactions (a large file does not hold the writer throughout);
	// their IDs are not set.
	ImportPilots(ctx context.Context, ps []Pilot) error
	// GetPilot returns one pilot (kind NotFound if absent).
	GetPilot(ctx context.Context, id int64) (Pilot, error)
	// UpdatePilot writes p if p.Version is current, records each changed
	// field (PilotDiff) by actor in the same transaction, and returns it
	// with the next version.
	UpdatePilot(ctx context.Context, p Pilot, actor string) (Pilot, error)
	// PilotHistory returns the pilot's recorded changes, oldest first.
	PilotHistory(ctx context.Context, id int64) ([]PilotChange, error)
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

	// AddEvidence records an evidence file (ID set) and returns it: the
	// submission must be editable and its cycle open (else NotEditable or
	// CycleNotOpen) and the quota of w respected (else QuotaExceeded), all
	// checked inside the write. When the entry already has a live record
	// of the same content, that record is returned with existing true.
	AddEvidence(ctx context.Context, w EvidenceWrite) (ev Evidence, existing bool, err error)
	// DeleteEvidence marks evidence deleted by whom and when, if its
	// submission is editable and its cycle open (checked inside the
	// write); the record stays in the history without its blob reference.
	DeleteEvidence(ctx context.Context, id int64, by string, at time.Time) (Evidence, error)
	// GetEvidence returns one evidence record, deleted or not (kind
	// NotFound if absent).
	GetEvidence(ctx context.Context, id int64) (Evidence, error)
	// ListEvidence returns a submission's live evidence records; with
	// deleted, the deleted ones too.
	ListEvidence(ctx context.Context, submissionID int64, deleted bool) ([]Evidence, error)
	// BlobReferenced reports whether live evidence references the blob
	// with this SHA-256 (deleted evidence does not).
	BlobReferenced(ctx context.Context, sha256 string) (bool, error)

	// AcceptedInputs returns the engine inputs of the cycle's accepted
	// submissions, ordered by pilot ID.
	AcceptedInputs(ctx context.Context, cycleID int64) ([]AcceptedInput, error)
	// ReplaceResults stores a run, replacing the cycle's previous run, in
	// one transaction.
	ReplaceResults(ctx context.Context, rs *ResultSet) error
	// ListResults returns a page of result rows and the total (kind
	// NotFound when the cycle has no run or the code no results).
	ListResults(ctx context.Context, f ResultFilter) ([]ResultRow, int, error)
	// ResultTable returns every scored pilot of the cycle's run, in pilot
	// ID order, with its root row (gaps attached), first-level scores and
	// attributes: the run read whole in one pass (kind NotFound without a
	// run).
	ResultTable(ctx context.Context, cycleID int64) ([]ResultTableRow, error)
	// NodeBest returns the highest score at each node of codes in the
	// cycle's run; nodes without a score are left out.
	NodeBest(ctx context.Context, cycleID int64, codes []string) (map[string]float64, error)
	// PeerScores returns the scores and ranks of the cycle's scored pilots
	// of one type at every node of its run (kind NotFound when the cycle
	// has no run).
	PeerScores(ctx context.Context, cycleID int64, pilotType PilotType) (PeerScores, error)
	// PilotResults returns the pilot's root rows across cycles.
	PilotResults(ctx context.Context, pilotID int64) ([]ResultRow, error)
	// LatestRun returns the cycle's stored run (kind NotFound if none).
	LatestRun(ctx context.Context, cycleID int64) (ResultRun, error)

	// UpdateCycleWithEvent writes c as UpdateCycle does and records ev, in
	// one transaction.
	UpdateCycleWithEvent(ctx context.Context, c Cycle, ev CycleEvent) (Cycle, error)
	// PublishCycle writes c (in state published) as UpdateCycle does,
	// records ev when not nil, and — after locking the cycle's row, which
	// an acceptance also locks — refuses with Conflict "results_stale"
	// unless the cycle's accepted submissions still number accepted and
	// last changed at last (AcceptedStamp), all in one transaction.
	PublishCycle(ctx context.Context, c Cycle, ev *CycleEvent, accepted int, last int64) (Cycle, error)
	// CycleEvents returns the cycle's recorded decisions, oldest first.
	CycleEvents(ctx context.Context, cycleID int64) ([]CycleEvent, error)
	// GrantExtension sets the pilot's due date in the cycle and records ev,
	// in one transaction.
	GrantExtension(ctx context.Context, ext Extension, ev CycleEvent) error
	// GetExtension returns the pilot's extension in the cycle, or nil.
	GetExtension(ctx context.Context, cycleID, pilotID int64) (*Extension, error)
	// OverduePilots returns a page of the cycle's submissions in draft or
	// returned whose due date (the pilot's extension, else due) is before
	// now, by pilot ID, and the total.
	OverduePilots(ctx context.Context, cycleID int64, due, now time.Time, limit, offset int) ([]OverduePilot, int, error)
	// PublishFramework stores a framework file (Conflict "duplicate" when
	// the ID and version exist).
	PublishFramework(ctx context.Context, rec FrameworkRecord) error
	// GetFrameworkRecord returns a published framework; version "" means
	// the latest published (kind NotFound if none).
	GetFrameworkRecord(ctx context.Context, id, version string) (FrameworkRecord, error)
	// ListFrameworkRecords returns every published framework with the
	// number of cycles using it, by ID and publication.
	ListFrameworkRecords(ctx context.Context) ([]FrameworkListing, error)
	// AcceptedStamp returns the number of the cycle's accepted submissions
	// and the latest time one of them changed (microseconds, 0 if none).
	AcceptedStamp(ctx context.Context, cycleID int64) (count int, last int64, err error)
	// ResultGaps returns, for the given pilots of the cycle's stored run,
	// their missing leaves and whether they are ranked.
	ResultGaps(ctx context.Context, cycleID int64, pilotIDs []int64) (map[int64]ResultGap, error)
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
	// MinCompleteness, when above 0, is the completeness the submission
	// must have (checked in the write; on submit).
	MinCompleteness float64
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
