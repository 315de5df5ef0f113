package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sceval/sceval/platform"
)

const submissionColumns = `id, cycle_id, pilot_id, state, reason, version, completeness, created_at, updated_at, submitted_at`

// prefixed returns a column list with each column prefixed by alias + ".".
func prefixed(cols, alias string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = alias + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// submissionDest returns the scan destinations of submissionColumns and a
// function that finishes sub once scanned.
func submissionDest(sub *platform.Submission) ([]any, func()) {
	var created, updated int64
	var submitted sql.NullInt64
	dest := []any{&sub.ID, &sub.CycleID, &sub.PilotID, &sub.State, &sub.Reason, &sub.Version, &sub.Completeness,
		&created, &updated, &submitted}
	return dest, func() {
		sub.CreatedAt, sub.UpdatedAt, sub.SubmittedAt = fromMicros(created), fromMicros(updated), fromNullMicros(submitted)
	}
}

// scanSubmission reads a row of submissionColumns.
func scanSubmission(row interface{ Scan(...any) error }) (platform.Submission, error) {
	var sub platform.Submission
	dest, finish := submissionDest(&sub)
	err := row.Scan(dest...)
	finish()
	return sub, err
}

// CreateSubmission inserts sub; a pilot has one submission per cycle.
func (s *Store) CreateSubmission(ctx context.Context, sub platform.Submission) (platform.Submission, error) {
	err := s.write(ctx, func(tx *wtx) error {
		if err := insertSubmission(ctx, tx, &sub, nil); err != nil {
			return err
		}
		tx.record(ctx, platform.AuditEvent{Action: "submission.create", Object: fmt.Sprintf("submission/%d", sub.ID), After: sub})
		return nil
	})
	return sub, err
}

// insertSubmission inserts one submission row and sets its ID.
func insertSubmission(ctx context.Context, tx *wtx, sub *platform.Submission, inputs []byte) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO submissions (cycle_id, pilot_id, state, reason, version, completeness,
		inputs, created_at, updated_at, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		sub.CycleID, sub.PilotID, sub.State, sub.Reason, sub.Version, sub.Completeness, inputs,
		micros(sub.CreatedAt), micros(sub.UpdatedAt), nullMicros(sub.SubmittedAt)).Scan(&sub.ID)
	switch {
	case isUnique(err):
		return platform.Errorf(platform.Conflict, platform.CodeDuplicate,
			"pilot %d already has a submission in cycle %d", sub.PilotID, sub.CycleID)
	case isForeignKey(err):
		return platform.NotFoundf("cycle %d or pilot %d does not exist", sub.CycleID, sub.PilotID)
	case err != nil:
		return fmt.Errorf("insert submission: %w", err)
	}
	return nil
}

// getSubmissionRow reads one submission without entries.
func getSubmissionRow(ctx context.Context, q queryer, id int64) (platform.Submission, error) {
	sub, err := scanSubmission(q.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM submissions WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, platform.NotFoundf("submission %d does not exist", id)
	}
	if err != nil {
		return sub, fmt.Errorf("get submission %d: %w", id, err)
	}
	return sub, nil
}

// SubmissionScope returns the submission (without entries) and its cycle in
// one query.
func (s *Store) SubmissionScope(ctx context.Context, id int64) (platform.Submission, platform.Cycle, error) {
	var sub platform.Submission
	dest, finish := submissionDest(&sub)
	var c platform.Cycle
	row := s.rdb.QueryRowContext(ctx, `SELECT `+prefixed(submissionColumns, "s")+`, `+prefixed(cycleColumns, "c")+`
		FROM submissions s JOIN cycles c ON c.id = s.cycle_id WHERE s.id = $1`, id)
	c, err := scanCycle(scanPrefix{row: row, dest: dest})
	finish()
	if errors.Is(err, sql.ErrNoRows) {
		return sub, c, platform.NotFoundf("submission %d does not exist", id)
	}
	if err != nil {
		return sub, c, fmt.Errorf("get submission %d: %w", id, err)
	}
	return sub, c, nil
}

// scanPrefix scans dest first, then the destinations passed to Scan.
type scanPrefix struct {
	row  interface{ Scan(...any) error }
	dest []any
}

// Scan scans the prefix destinations followed by rest.
func (p scanPrefix) Scan(rest ...any) error { return p.row.Scan(append(p.dest, rest...)...) }

// GetSubmission returns the submission with its entries (each with its
// evidence) and its history.
func (s *Store) GetSubmission(ctx context.Context, id int64) (platform.Submission, error) {
	sub, err := getSubmissionRow(ctx, s.rdb, id)
	if err != nil {
		return sub, err
	}
	if sub.Entries, err = s.entries(ctx, id); err != nil {
		return sub, err
	}
	if sub.History, err = s.history(ctx, id); err != nil {
		return sub, err
	}
	attachReturnComments(&sub)
	evidence, err := s.ListEvidence(ctx, id, false)
	if err != nil {
		return sub, err
	}
	for _, ev := range evidence {
		for i := range sub.Entries {
			if sub.Entries[i].Code == ev.Code {
				sub.Entries[i].Evidence = append(sub.Entries[i].Evidence, ev)
			}
		}
	}
	return sub, nil
}

// history returns a submission's transitions, oldest first, each return
// with its per-indicator comments.
func (s *Store) history(ctx context.Context, id int64) ([]platform.Transition, error) {
	comments, err := s.returnComments(ctx, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, from_state, to_state, reason, actor, at FROM transitions
		WHERE submission_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("history of submission %d: %w", id, err)
	}
	defer rows.Close()
	var out []platform.Transition
	for rows.Next() {
		var t platform.Transition
		var tid, at int64
		if err := rows.Scan(&tid, &t.From, &t.To, &t.Reason, &t.Actor, &at); err != nil {
			return nil, fmt.Errorf("history of submission %d: %w", id, err)
		}
		t.At, t.Comments = fromMicros(at), comments[tid]
		out = append(out, t)
	}
	return out, rows.Err()
}

// ListSubmissions returns a page of submissions (without entries), by ID.
func (s *Store) ListSubmissions(ctx context.Context, f platform.SubmissionFilter) ([]platform.Submission, int, error) {
	var w where
	w.eq("cycle_id", f.CycleID)
	w.eq("pilot_id", f.PilotID)
	w.eq("state", f.State)
	if f.Province != "" {
		w.add("pilot_id IN (SELECT id FROM pilots WHERE province_code = $?)", f.Province)
	}
	if f.CycleState != "" {
		w.add("cycle_id IN (SELECT id FROM cycles WHERE state = $?)", f.CycleState)
	}
	if f.PilotType != "" {
		w.add("pilot_id IN (SELECT id FROM pilots WHERE type = $?)", f.PilotType)
	}
	if f.Batch != "" {
		w.add("pilot_id IN (SELECT id FROM pilots WHERE batch = $?)", f.Batch)
	}
	if f.OverdueAt != nil {
		w.add(overdueSubmissionsSQL, micros(*f.OverdueAt))
	}
	return listPage(ctx, s, listQuery{table: "submissions", columns: submissionColumns, order: "id", w: w, limit: f.Limit, offset: f.Offset}, scanSubmission)
}

// overdueSubmissionsSQL keeps the submissions OverduePilots lists, in any
// cycle with a due date: draft or returned after the due date (the pilot's
// extension, else the cycle's), unless first submitted in time. Its one
// placeholder is the current time.
var overdueSubmissionsSQL = `id IN (SELECT s.id FROM submissions s JOIN cycles c ON c.id = s.cycle_id
	LEFT JOIN extensions x ON x.cycle_id = s.cycle_id AND x.pilot_id = s.pilot_id
	WHERE c.due_at IS NOT NULL AND s.state IN (` + editableStatesSQL + `) AND COALESCE(x.due_at, c.due_at) < $?
	AND NOT EXISTS (SELECT 1 FROM transitions t WHERE t.submission_id = s.id
		AND t.to_state IN (` + sqlStrings(string(platform.SubmissionSubmitted)) + `) AND t.at <= c.due_at))`

// TransitionSubmission changes the state if version and From are current
// and the cycle's state allows it — checked in the same UPDATE, as entry
// saves check it, so a cycle closed a moment earlier refuses a submit —
// records the transition and, when t.Inputs is set, the engine inputs.
func (s *Store) TransitionSubmission(ctx context.Context, t platform.SubmissionTransition) (platform.Submission, error) {
	var out platform.Submission
	tr := t.Transition
	// Fixed strings, never from input: a submit needs an open cycle, a
	// review (return, accept) an open or closed one.
	cycleStates := sqlStrings(string(platform.CycleOpen), string(platform.CycleClosed))
	if tr.To == platform.SubmissionSubmitted {
		cycleStates = openCycleSQL
	}
	err := s.write(ctx, func(tx *wtx) error {
		if tr.To == platform.SubmissionAccepted {
			// An acceptance takes the cycle row's lock, as PublishCycle
			// does, so that the two serialise (see PublishCycle).
			if _, err := tx.ExecContext(ctx, `UPDATE cycles SET version = version
				WHERE id = (SELECT cycle_id FROM submissions WHERE id = $1)`, t.ID); err != nil {
				return fmt.Errorf("lock the cycle of submission %d: %w", t.ID, err)
			}
		}
		var submitted sql.NullInt64
		if tr.To == platform.SubmissionSubmitted {
			submitted = nullMicros(&tr.At)
		}
		var err error
		// The reason shown is the current return's only: a resubmission
		// clears it (it stays in the history). The completeness the cycle
		// requires is checked in the same statement as the state.
		out, err = scanSubmission(tx.QueryRowContext(ctx, `UPDATE submissions SET state = $1,
			reason = CASE WHEN $1 = `+sqlStrings(string(platform.SubmissionReturned))+` THEN $2 ELSE '' END,
			inputs = COALESCE($3, inputs), version = version + 1, updated_at = $4,
			submitted_at = COALESCE($5, submitted_at)
			WHERE id = $6 AND version = $7 AND state = $8 AND completeness >= $9
			AND EXISTS (SELECT 1 FROM cycles c WHERE c.id = submissions.cycle_id AND c.state IN (`+cycleStates+`))
			RETURNING `+submissionColumns,
			string(tr.To), tr.Reason, t.Inputs, micros(tr.At), submitted, t.ID, t.Version, string(tr.From), t.MinCompleteness-1e-9))
		if errors.Is(err, sql.ErrNoRows) {
			return transitionRefusal(ctx, tx, t)
		}
		if err != nil {
			return fmt.Errorf("update submission %d: %w", t.ID, err)
		}
		var tid int64
		err = tx.QueryRowContext(ctx, `INSERT INTO transitions (submission_id, from_state, to_state, reason, actor, at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, t.ID, tr.From, tr.To, tr.Reason, tr.Actor, micros(tr.At)).Scan(&tid)
		if err != nil {
			return fmt.Errorf("record transition of submission %d: %w", t.ID, err)
		}
		for _, c := range tr.Comments {
			if _, err := tx.ExecContext(ctx, `INSERT INTO return_comments (transition_id, code, comment) VALUES ($1, $2, $3)`,
				tid, c.Code, c.Comment); err != nil {
				return fmt.Errorf("record return comment %s of submission %d: %w", c.Code, t.ID, err)
			}
		}
		out.ReturnComments = tr.Comments
		tx.record(ctx, platform.AuditEvent{Action: platform.TransitionAction(tr.To), Object: fmt.Sprintf("submission/%d", t.ID),
			Before: map[string]any{"state": tr.From, "version": t.Version},
			After:  map[string]any{"state": out.State, "version": out.Version, "reason": tr.Reason, "comments": tr.Comments}})
		return nil
	})
	if err != nil {
		return platform.Submission{}, err
	}
	return out, nil
}

// transitionRefusal explains why a submission refused a transition: it does
// not exist, its version or state changed (stale_version), or its cycle is
// not in a state that allows the move (cycle_not_open).
func transitionRefusal(ctx context.Context, q queryer, t platform.SubmissionTransition) error {
	cur, err := getSubmissionRow(ctx, q, t.ID)
	if err != nil {
		return err
	}
	if cur.Version == t.Version && cur.State == t.Transition.From {
		c, err := getCycle(ctx, q, cur.CycleID)
		if err != nil {
			return err
		}
		switch {
		case t.Transition.To == platform.SubmissionSubmitted && c.State != platform.CycleOpen:
			return platform.CycleNotOpen(c)
		case c.State != platform.CycleOpen && c.State != platform.CycleClosed:
			return platform.CycleNotReviewable(c)
		case cur.Completeness < t.MinCompleteness-1e-9:
			return &platform.Error{Kind: platform.Conflict, Code: platform.CodeIncomplete, Current: cur,
				Message: fmt.Sprintf("submission %d is %.1f %% complete; its cycle requires %.1f %%",
					t.ID, 100*cur.Completeness, 100*t.MinCompleteness)}
		}
	}
	return platform.StaleVersion("submission", t.ID, t.Version, cur.Version, cur)
}
