package platform

import (
	"context"
	"fmt"
)

// Lists are narrowed to the caller's scope (authz.go) by rewriting their
// filter; a filter asking for something outside the scope selects nothing.

// narrowPilots narrows a pilot list to the caller's scope; ok is false when
// nothing can match.
func narrowPilots(ctx context.Context, f *PilotFilter) (bool, error) {
	scope, id, err := ListScope(ctx, "pilot.list")
	if err != nil {
		return false, err
	}
	switch scope {
	case ScopeAll:
		return true, nil
	case ScopeProvince:
		return narrowString(&f.Province, id.Province), nil
	case ScopePilot:
		return narrowID(&f.ID, id.PilotID), nil
	}
	return false, nil
}

// narrowCycles narrows a cycle list to the caller's scope.
func narrowCycles(ctx context.Context, f *CycleFilter) (bool, error) {
	scope, _, err := ListScope(ctx, "cycle.list")
	if err != nil {
		return false, err
	}
	switch scope {
	case ScopeAll:
		return true, nil
	case ScopePublished:
		return narrowString(&f.State, string(CyclePublished)), nil
	}
	return false, nil
}

// narrowSubmissions narrows a submission list to the caller's scope. An
// expert's list stays empty here: assigned submissions are listed by the
// expert-review endpoints.
func narrowSubmissions(ctx context.Context, f *SubmissionFilter) (bool, error) {
	scope, id, err := ListScope(ctx, "submission.list")
	if err != nil {
		return false, err
	}
	switch scope {
	case ScopeAll:
		return true, nil
	case ScopeProvince:
		return narrowString(&f.Province, id.Province), nil
	case ScopePilot:
		return narrowID(&f.PilotID, id.PilotID), nil
	case ScopePublished:
		return narrowString(&f.CycleState, string(CyclePublished)), nil
	}
	return false, nil
}

// narrowString sets *field to want unless it asks for something else.
func narrowString(field *string, want string) bool {
	if want == "" || *field != "" && *field != want {
		return false
	}
	*field = want
	return true
}

// narrowID sets *field to want unless it asks for something else.
func narrowID(field *int64, want int64) bool {
	if want == 0 || *field != 0 && *field != want {
		return false
	}
	*field = want
	return true
}

// ownPilotRows reports whether the caller may read the results of every
// pilot in ids as a whole (pilot.results.read); false for none.
func ownPilotRows(ctx context.Context, ids []int64) bool {
	if len(ids) == 0 || len(ids) > maxResultPilots {
		return false
	}
	for _, id := range ids {
		if Authorize(ctx, "pilot.results.read", fmt.Sprintf("pilot/%d", id)) != nil {
			return false
		}
	}
	return true
}

// visibleResults keeps the rows of cycles whose results the caller may
// read (for callers without a grant on the pilot's results as a whole).
func visibleResults(ctx context.Context, rows []ResultRow) ([]ResultRow, error) {
	out := rows[:0:0]
	for _, r := range rows {
		err := Authorize(ctx, "cycle.results.read", fmt.Sprintf("cycle/%d", r.CycleID))
		switch {
		case err == nil:
			out = append(out, r)
		case ErrorKindOf(err) == "":
			return nil, err
		}
	}
	return out, nil
}
