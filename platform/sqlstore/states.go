package sqlstore

import (
	"strings"

	"github.com/sceval/sceval/platform"
)

// The state conditions written into SQL, built from the platform's
// constants and rules (platform.SubmissionState.Editable) rather than
// repeated as literals, so that a renamed or added state cannot leave a
// statement checking the old one. The values are fixed strings of this
// program, never input, so they may be spelled into the statement.
var (
	// editableStatesSQL is the IN list of the submission states whose
	// entries may change: "'draft', 'returned'".
	editableStatesSQL = sqlStrings(editableStates()...)
	// openCycleSQL is the cycle state in which entries may change.
	openCycleSQL = sqlStrings(string(platform.CycleOpen))
	// acceptedStateSQL is the state of the submissions that are scored.
	acceptedStateSQL = sqlStrings(string(platform.SubmissionAccepted))
)

// allSubmissionStates lists every submission state the platform defines.
var allSubmissionStates = []platform.SubmissionState{platform.SubmissionDraft, platform.SubmissionSubmitted,
	platform.SubmissionReturned, platform.SubmissionForwarded, platform.SubmissionAccepted}

// editableStates returns the submission states that platform's rule calls
// editable.
func editableStates() []string {
	var out []string
	for _, st := range allSubmissionStates {
		if st.Editable() {
			out = append(out, string(st))
		}
	}
	return out
}

// sqlStrings quotes values as SQL string literals, comma-separated.
func sqlStrings(values ...string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}
