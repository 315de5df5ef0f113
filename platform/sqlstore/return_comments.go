package sqlstore

import (
	"context"
	"fmt"

	"github.com/sceval/sceval/platform"
)

// returnComments returns a submission's return comments by transition ID,
// each transition's in code order.
func (s *Store) returnComments(ctx context.Context, submissionID int64) (map[int64][]platform.IndicatorComment, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT rc.transition_id, rc.code, rc.comment FROM return_comments rc
		JOIN transitions t ON t.id = rc.transition_id WHERE t.submission_id = $1 ORDER BY rc.transition_id, rc.code`, submissionID)
	if err != nil {
		return nil, fmt.Errorf("return comments of submission %d: %w", submissionID, err)
	}
	defer rows.Close()
	out := map[int64][]platform.IndicatorComment{}
	for rows.Next() {
		var tid int64
		var c platform.IndicatorComment
		if err := rows.Scan(&tid, &c.Code, &c.Comment); err != nil {
			return nil, fmt.Errorf("return comments of submission %d: %w", submissionID, err)
		}
		out[tid] = append(out[tid], c)
	}
	return out, rows.Err()
}

// attachReturnComments puts the last return's comments on a returned
// submission and on its entries; other states show none (they stay in the
// history).
func attachReturnComments(sub *platform.Submission) {
	if sub.State != platform.SubmissionReturned {
		return
	}
	for i := len(sub.History) - 1; i >= 0; i-- {
		if sub.History[i].To != platform.SubmissionReturned {
			continue
		}
		sub.ReturnComments = sub.History[i].Comments
		byCode := make(map[string]string, len(sub.ReturnComments))
		for _, c := range sub.ReturnComments {
			byCode[c.Code] = c.Comment
		}
		for j := range sub.Entries {
			sub.Entries[j].ReturnComment = byCode[sub.Entries[j].Code]
		}
		return
	}
}
