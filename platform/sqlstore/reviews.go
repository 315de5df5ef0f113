package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sceval/sceval/platform"
)

const assignmentColumns = `id, cycle_id, submission_id, expert_id, pseudonym, explanation, override_reason, state, reopen_reason,
	version, created_at, updated_at, submitted_at`

// scanAssignment reads a row of assignmentColumns.
func scanAssignment(row interface{ Scan(...any) error }) (platform.Assignment, error) {
	var a platform.Assignment
	var created, updated int64
	var submitted sql.NullInt64
	err := row.Scan(&a.ID, &a.CycleID, &a.SubmissionID, &a.ExpertID, &a.Pseudonym, &a.Explanation, &a.OverrideReason,
		&a.State, &a.ReopenReason, &a.Version, &created, &updated, &submitted)
	a.CreatedAt, a.UpdatedAt, a.SubmittedAt = fromMicros(created), fromMicros(updated), fromNullMicros(submitted)
	return a, err
}

// CreateAssignments inserts the assignments in one transaction.
func (s *Store) CreateAssignments(ctx context.Context, as []platform.Assignment) ([]platform.Assignment, error) {
	out := make([]platform.Assignment, len(as))
	copy(out, as)
	err := s.write(ctx, func(tx *wtx) error {
		for i := range out {
			a := &out[i]
			err := tx.QueryRowContext(ctx, `INSERT INTO assignments (cycle_id, submission_id, expert_id, pseudonym, explanation,
				state, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
				a.CycleID, a.SubmissionID, a.ExpertID, a.Pseudonym, a.Explanation, a.State, a.Version,
				micros(a.CreatedAt), micros(a.UpdatedAt)).Scan(&a.ID)
			switch {
			case isUnique(err):
				return platform.Errorf(platform.Conflict, platform.CodeDuplicate, "expert %d is already assigned submission %d", a.ExpertID, a.SubmissionID)
			case isForeignKey(err):
				return platform.NotFoundf("cycle %d, submission %d or expert %d does not exist", a.CycleID, a.SubmissionID, a.ExpertID)
			case err != nil:
				return fmt.Errorf("insert assignment: %w", err)
			}
			tx.record(ctx, platform.AuditEvent{Action: "assignment.create", Object: fmt.Sprintf("review/%d", a.ID), After: *a})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetAssignment returns one assignment with its scores.
func (s *Store) GetAssignment(ctx context.Context, id int64) (platform.Assignment, error) {
	a, err := getAssignment(ctx, s.rdb, id)
	if err != nil {
		return a, err
	}
	a.Scores, err = s.reviewScores(ctx, id)
	return a, err
}

func getAssignment(ctx context.Context, q queryer, id int64) (platform.Assignment, error) {
	a, err := scanAssignment(q.QueryRowContext(ctx, `SELECT `+assignmentColumns+` FROM assignments WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, platform.NotFoundf("review %d does not exist", id)
	}
	if err != nil {
		return a, fmt.Errorf("get review %d: %w", id, err)
	}
	return a, nil
}

// reviewScores returns a review's scores by code.
func (s *Store) reviewScores(ctx context.Context, id int64) ([]platform.ReviewScore, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT code, score, level, comment FROM review_scores WHERE assignment_id = $1 ORDER BY code`, id)
	if err != nil {
		return nil, fmt.Errorf("scores of review %d: %w", id, err)
	}
	defer rows.Close()
	out := []platform.ReviewScore{}
	for rows.Next() {
		var sc platform.ReviewScore
		var score sql.NullFloat64
		var level sql.NullInt64
		if err := rows.Scan(&sc.Code, &score, &level, &sc.Comment); err != nil {
			return nil, fmt.Errorf("scores of review %d: %w", id, err)
		}
		if score.Valid {
			sc.Score = &score.Float64
		}
		if level.Valid {
			l := int(level.Int64)
			sc.Level = &l
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

// ListAssignments returns a page of assignments by ID (without scores).
func (s *Store) ListAssignments(ctx context.Context, f platform.AssignmentFilter) ([]platform.Assignment, int, error) {
	var w where
	w.eq("cycle_id", f.CycleID)
	w.eq("submission_id", f.SubmissionID)
	w.eq("expert_id", f.ExpertID)
	w.eq("state", f.State)
	return listPage(ctx, s, listQuery{table: "assignments", columns: assignmentColumns, order: "id", w: w, limit: f.Limit, offset: f.Offset}, scanAssignment)
}

// OverrideAssignment gives a draft assignment to another expert, dropping
// the previous expert's draft scores.
func (s *Store) OverrideAssignment(ctx context.Context, o platform.AssignmentOverride) (platform.Assignment, error) {
	var out platform.Assignment
	err := s.write(ctx, func(tx *wtx) error {
		before, err := getAssignment(ctx, tx, o.AssignmentID)
		if err != nil {
			return err
		}
		out, err = scanAssignment(tx.QueryRowContext(ctx, `UPDATE assignments SET expert_id = $1, override_reason = $2, explanation = $3,
			version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6 AND state = 'draft' RETURNING `+assignmentColumns,
			o.ExpertID, o.Reason, o.Explanation, micros(o.At), o.AssignmentID, o.Version))
		switch {
		case isUnique(err):
			return platform.Errorf(platform.Conflict, platform.CodeDuplicate, "expert %d is already on the panel of review %d's submission", o.ExpertID, o.AssignmentID)
		case errors.Is(err, sql.ErrNoRows):
			return platform.StaleVersion("review", o.AssignmentID, o.Version, before.Version, before)
		case err != nil:
			return fmt.Errorf("override review %d: %w", o.AssignmentID, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM review_scores WHERE assignment_id = $1`, o.AssignmentID); err != nil {
			return fmt.Errorf("drop draft scores of review %d: %w", o.AssignmentID, err)
		}
		tx.record(ctx, platform.AuditEvent{Action: "assignment.override", Object: fmt.Sprintf("review/%d", o.AssignmentID), Before: before, After: out})
		return nil
	})
	if err != nil {
		return platform.Assignment{}, err
	}
	out.Scores = []platform.ReviewScore{}
	return out, nil
}

// WriteReview saves scores and/or moves a review between states; version
// and state are checked in the UPDATE itself.
func (s *Store) WriteReview(ctx context.Context, w platform.ReviewWrite) (platform.Assignment, error) {
	var out platform.Assignment
	err := s.write(ctx, func(tx *wtx) error {
		var submitted sql.NullInt64
		if w.To == platform.ReviewSubmitted {
			submitted = nullMicros(&w.At)
		}
		var err error
		out, err = scanAssignment(tx.QueryRowContext(ctx, `UPDATE assignments SET state = $1,
			reopen_reason = CASE WHEN $2 <> '' THEN $2 ELSE reopen_reason END,
			submitted_at = CASE WHEN $1 = 'submitted' THEN CAST($3 AS BIGINT) ELSE NULL END,
			version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6 AND state = $7 RETURNING `+assignmentColumns,
			string(w.To), w.Reason, submitted, micros(w.At), w.AssignmentID, w.Version, string(w.From)))
		if errors.Is(err, sql.ErrNoRows) {
			return reviewRefusal(ctx, tx, w)
		}
		if err != nil {
			return fmt.Errorf("write review %d: %w", w.AssignmentID, err)
		}
		if w.Scores != nil {
			if err := replaceScores(ctx, tx, w.AssignmentID, w.Scores); err != nil {
				return err
			}
		}
		tx.record(ctx, platform.AuditEvent{Action: w.Action, Object: fmt.Sprintf("review/%d", w.AssignmentID),
			Before: map[string]any{"state": w.From, "version": w.Version},
			After:  map[string]any{"state": out.State, "version": out.Version, "reason": w.Reason, "scores": w.Scores}})
		return nil
	})
	if err != nil {
		return platform.Assignment{}, err
	}
	out.Scores, err = s.reviewScoresTx(ctx, w, out)
	return out, err
}

// reviewScoresTx returns the scores after a write: the ones written, or the
// stored ones.
func (s *Store) reviewScoresTx(ctx context.Context, w platform.ReviewWrite, a platform.Assignment) ([]platform.ReviewScore, error) {
	if w.Scores != nil {
		return w.Scores, nil
	}
	return s.reviewScores(ctx, a.ID)
}

// replaceScores replaces a review's scores.
func replaceScores(ctx context.Context, tx *wtx, id int64, scores []platform.ReviewScore) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM review_scores WHERE assignment_id = $1`, id); err != nil {
		return fmt.Errorf("replace scores of review %d: %w", id, err)
	}
	for _, sc := range scores {
		var score sql.NullFloat64
		var level sql.NullInt64
		if sc.Score != nil {
			score = sql.NullFloat64{Float64: *sc.Score, Valid: true}
		}
		if sc.Level != nil {
			level = sql.NullInt64{Int64: int64(*sc.Level), Valid: true}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_scores (assignment_id, code, score, level, comment) VALUES ($1, $2, $3, $4, $5)`,
			id, sc.Code, score, level, sc.Comment); err != nil {
			return fmt.Errorf("score %s of review %d: %w", sc.Code, id, err)
		}
	}
	return nil
}

// reviewRefusal explains a refused review write: missing, stale, or in the
// wrong state (a submitted review is locked).
func reviewRefusal(ctx context.Context, q queryer, w platform.ReviewWrite) error {
	cur, err := getAssignment(ctx, q, w.AssignmentID)
	if err != nil {
		return err
	}
	if cur.Version != w.Version {
		return platform.StaleVersion("review", w.AssignmentID, w.Version, cur.Version, cur)
	}
	if cur.State == platform.ReviewSubmitted {
		return &platform.Error{Kind: platform.Conflict, Code: platform.CodeNotEditable, Current: cur,
			Message: fmt.Sprintf("review %d is submitted and locked: the ministry can reopen it", w.AssignmentID)}
	}
	return &platform.Error{Kind: platform.Conflict, Code: platform.CodeBadStateTransition, Field: "state", Current: cur,
		Message: fmt.Sprintf("review %d is %s, not %s", w.AssignmentID, cur.State, w.From)}
}

// SubmittedScores returns the scores of the cycle's submitted reviews (of
// one submission when submissionID > 0).
func (s *Store) SubmittedScores(ctx context.Context, cycleID, submissionID int64) ([]platform.SubmittedScores, error) {
	var w where
	w.add("a.cycle_id = $?", cycleID)
	w.add("a.state = 'submitted'")
	if submissionID > 0 {
		w.add("a.submission_id = $?", submissionID)
	}
	w.add("r.score IS NOT NULL")
	rows, err := s.rdb.QueryContext(ctx, `SELECT a.submission_id, a.expert_id, a.id, r.code, r.score
		FROM assignments a JOIN review_scores r ON r.assignment_id = a.id`+w.sql()+` ORDER BY a.submission_id, a.expert_id, r.code`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("submitted scores of cycle %d: %w", cycleID, err)
	}
	defer rows.Close()
	var out []platform.SubmittedScores
	for rows.Next() {
		var r platform.SubmittedScores
		if err := rows.Scan(&r.SubmissionID, &r.ExpertID, &r.AssignmentID, &r.Code, &r.Score); err != nil {
			return nil, fmt.Errorf("submitted scores of cycle %d: %w", cycleID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
