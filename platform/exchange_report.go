package platform

// EntryImportOptions says how Service.ImportEntries runs.
type EntryImportOptions struct {
	// DryRun checks the file and reports what would change, writing
	// nothing.
	DryRun bool
	// Partial applies the valid rows and reports the others, instead of
	// applying nothing when any row is invalid.
	Partial bool
	// Progress, when set, is called every progressRows rows of each pass
	// ("check", then "apply") with the rows read so far.
	Progress func(pass string, rows int)
}

// EntryImportProblem is one invalid cell or row of an imported file.
type EntryImportProblem struct {
	// Cell is the spreadsheet reference, e.g. 数据!H7 (the file's name
	// stands for the sheet of a CSV file).
	Cell    string `json:"cell"`
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	PilotID int64  `json:"pilot_id,omitempty"`
	Code    string `json:"code,omitempty"`
	// Message says what is wrong, in Chinese.
	Message string `json:"message"`
}

// EntryImportChange is one entry an import creates or changes.
type EntryImportChange struct {
	// Row is the row's reference, e.g. 数据!7.
	Row          string `json:"row"`
	PilotID      int64  `json:"pilot_id"`
	SubmissionID int64  `json:"submission_id"`
	Code         string `json:"code"`
	// Action is "create" or "update".
	Action string `json:"action"`
}

// EntryImportReport is what an import found and did.
type EntryImportReport struct {
	File     string `json:"file"`
	Encoding string `json:"encoding,omitempty"`
	CycleID  int64  `json:"cycle_id"`
	DryRun   bool   `json:"dry_run"`
	Partial  bool   `json:"partial"`
	// Rows is the number of data rows read; Changes how many would
	// change an entry (valid rows only), Unchanged how many repeat the
	// stored entry, Invalid how many rows have an error.
	Rows      int `json:"rows"`
	Changes   int `json:"changes"`
	Unchanged int `json:"unchanged"`
	Invalid   int `json:"invalid"`
	// Applied is the number of entries written (0 on a dry run, or when
	// errors stopped a whole import).
	Applied int `json:"applied"`
	// ChangeList lists the first MaxReportedChanges changes.
	ChangeList []EntryImportChange `json:"change_list"`
	// Errors lists every problem (up to MaxReportedProblems; ErrorCount
	// counts them all).
	Errors     []EntryImportProblem `json:"errors"`
	ErrorCount int                  `json:"error_count"`
	Notices    []string             `json:"notices,omitempty"`
}

// MaxReportedChanges and MaxReportedProblems bound the lists of a report
// (the counts are always complete).
const (
	MaxReportedChanges  = 1000
	MaxReportedProblems = 100000
)

// OK reports whether the import found no problem.
func (r *EntryImportReport) OK() bool { return r.ErrorCount == 0 }

func (r *EntryImportReport) problem(p EntryImportProblem) {
	r.ErrorCount++
	if len(r.Errors) < MaxReportedProblems {
		r.Errors = append(r.Errors, p)
	}
}

// progressRows is how often ImportEntries reports progress.
const progressRows = 10000
