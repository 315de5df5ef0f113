package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sceval/sceval/platform"
)

// UpdateCycleWithEvent writes c (as UpdateCycle) and records ev in the same
// transaction, so that a publication override or a retraction is never
// applied without its record.
func (s *Store) UpdateCycleWithEvent(ctx context.Context, c platform.Cycle, ev platform.CycleEvent) (platform.Cycle, error) {
	stars, err := json.Marshal(c.StarThresholds)
	if err != nil {
		return c, fmt.Errorf("encode star thresholds: %w", err)
	}
	var out platform.Cycle
	err = s.write(ctx, func(tx *wtx) error {
		if out, err = updateCycle(ctx, tx, c, string(stars)); err != nil {
			return err
		}
		return insertCycleEvent(ctx, tx, ev)
	})
	if err != nil {
		return platform.Cycle{}, err
	}
	return out, nil
}

// insertCycleEvent records one decision on a cycle.
func insertCycleEvent(ctx context.Context, tx *wtx, ev platform.CycleEvent) error {
	pilot := sql.NullInt64{Int64: ev.PilotID, Valid: ev.PilotID != 0}
	_, err := tx.ExecContext(ctx, `INSERT INTO cycle_events (cycle_id, kind, pilot_id, due_at, reason, actor, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, ev.CycleID, ev.Kind, pilot, nullMicros(ev.DueAt), ev.Reason, ev.Actor, micros(ev.At))
	if err != nil {
		return fmt.Errorf("record %s of cycle %d: %w", ev.Kind, ev.CycleID, err)
	}
	tx.record(ctx, platform.AuditEvent{Action: "cycle.event." + string(ev.Kind), Object: fmt.Sprintf("cycle/%d", ev.CycleID), After: ev})
	return nil
}

// CycleEvents returns the cycle's recorded decisions, oldest first.
func (s *Store) CycleEvents(ctx context.Context, cycleID int64) ([]platform.CycleEvent, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, cycle_id, kind, pilot_id, due_at, reason, actor, at
		FROM cycle_events WHERE cycle_id = $1 ORDER BY id`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("events of cycle %d: %w", cycleID, err)
	}
	defer rows.Close()
	out := []platform.CycleEvent{}
	for rows.Next() {
		var ev platform.CycleEvent
		var pilot, due sql.NullInt64
		var at int64
		if err := rows.Scan(&ev.ID, &ev.CycleID, &ev.Kind, &pilot, &due, &ev.Reason, &ev.Actor, &at); err != nil {
			return nil, fmt.Errorf("events of cycle %d: %w", cycleID, err)
		}
		ev.PilotID, ev.DueAt, ev.At = pilot.Int64, fromNullMicros(due), fromMicros(at)
		out = append(out, ev)
	}
	return out, rows.Err()
}

// GrantExtension sets (or replaces) the pilot's due date in the cycle and
// records the grant, in one transaction.
func (s *Store) GrantExtension(ctx context.Context, ext platform.Extension, ev platform.CycleEvent) error {
	return s.write(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `UPDATE extensions SET due_at = $1 WHERE cycle_id = $2 AND pilot_id = $3`,
			micros(ext.DueAt), ext.CycleID, ext.PilotID)
		if err != nil {
			return fmt.Errorf("update extension: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("update extension: %w", err)
		} else if n == 0 {
			_, err = tx.ExecContext(ctx, `INSERT INTO extensions (cycle_id, pilot_id, due_at) VALUES ($1, $2, $3)`,
				ext.CycleID, ext.PilotID, micros(ext.DueAt))
			if isForeignKey(err) {
				return platform.NotFoundf("cycle %d or pilot %d does not exist", ext.CycleID, ext.PilotID)
			}
			if err != nil {
				return fmt.Errorf("insert extension: %w", err)
			}
		}
		return insertCycleEvent(ctx, tx, ev)
	})
}

// GetExtension returns the pilot's extension in the cycle, or nil; its
// Reason is the latest grant's.
func (s *Store) GetExtension(ctx context.Context, cycleID, pilotID int64) (*platform.Extension, error) {
	var due int64
	var reason sql.NullString
	err := s.rdb.QueryRowContext(ctx, `SELECT x.due_at, (SELECT reason FROM cycle_events e WHERE e.cycle_id = x.cycle_id
		AND e.pilot_id = x.pilot_id AND e.kind = 'extension' ORDER BY e.id DESC LIMIT 1)
		FROM extensions x WHERE x.cycle_id = $1 AND x.pilot_id = $2`, cycleID, pilotID).Scan(&due, &reason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("extension of pilot %d in cycle %d: %w", pilotID, cycleID, err)
	}
	return &platform.Extension{CycleID: cycleID, PilotID: pilotID, DueAt: fromMicros(due), Reason: reason.String}, nil
}

// OverduePilots returns a page of the cycle's unsubmitted submissions whose
// due date (the pilot's extension, else due) has passed, and the total.
// Returned submissions first submitted by the due date are not overdue.
func (s *Store) OverduePilots(ctx context.Context, cycleID int64, due, now time.Time, limit, offset int) ([]platform.OverduePilot, int, error) {
	// A returned submission first submitted in time is not overdue: it
	// may be submitted again (Service.checkDeadline).
	from := ` FROM submissions s JOIN pilots p ON p.id = s.pilot_id
		LEFT JOIN extensions x ON x.cycle_id = s.cycle_id AND x.pilot_id = s.pilot_id
		WHERE s.cycle_id = $1 AND s.state IN (` + editableStatesSQL + `) AND COALESCE(x.due_at, $2) < $3
		AND NOT EXISTS (SELECT 1 FROM transitions t WHERE t.submission_id = s.id AND t.to_state IN (` + sqlStrings(string(platform.SubmissionSubmitted)) + `) AND t.at <= $2)`
	var total int
	if err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*)`+from, cycleID, micros(due), micros(now)).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count overdue pilots of cycle %d: %w", cycleID, err)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT p.id, p.name, p.region_code, s.id, s.state, COALESCE(x.due_at, $2), x.due_at IS NOT NULL`+
		from+` ORDER BY p.id LIMIT $4 OFFSET $5`, cycleID, micros(due), micros(now), limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("overdue pilots of cycle %d: %w", cycleID, err)
	}
	defer rows.Close()
	out := []platform.OverduePilot{}
	for rows.Next() {
		var o platform.OverduePilot
		var at int64
		if err := rows.Scan(&o.PilotID, &o.PilotName, &o.RegionCode, &o.SubmissionID, &o.State, &at, &o.Extended); err != nil {
			return nil, 0, fmt.Errorf("overdue pilots of cycle %d: %w", cycleID, err)
		}
		o.DueAt = fromMicros(at)
		out = append(out, o)
	}
	return out, total, rows.Err()
}

// ResultGaps returns the missing leaves and the ranked flag of the given
// pilots in the cycle's stored run (pilots without a row are left out).
func (s *Store) ResultGaps(ctx context.Context, cycleID int64, pilotIDs []int64) (map[int64]platform.ResultGap, error) {
	out := map[int64]platform.ResultGap{}
	if len(pilotIDs) == 0 {
		return out, nil
	}
	args := []any{cycleID}
	marks := make([]string, len(pilotIDs))
	for i, id := range pilotIDs {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT pilot_id, missing, ranked FROM result_pilots
		WHERE cycle_id = $1 AND pilot_id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("result gaps of cycle %d: %w", cycleID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var missing string
		var ranked int
		if err := rows.Scan(&id, &missing, &ranked); err != nil {
			return nil, fmt.Errorf("result gaps of cycle %d: %w", cycleID, err)
		}
		g := platform.ResultGap{Ranked: ranked != 0}
		if missing != "" {
			g.Missing = strings.Split(missing, ",")
		}
		out[id] = g
	}
	return out, rows.Err()
}

// AcceptedStamp returns the count of the cycle's accepted submissions and
// the latest updated_at among them: together they change whenever the set
// of accepted submissions does.
func (s *Store) AcceptedStamp(ctx context.Context, cycleID int64) (int, int64, error) {
	var n int
	var last sql.NullInt64
	err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*), MAX(updated_at) FROM submissions
		WHERE cycle_id = $1 AND state IN (`+acceptedStateSQL+`)`, cycleID).Scan(&n, &last)
	if err != nil {
		return 0, 0, fmt.Errorf("accepted submissions of cycle %d: %w", cycleID, err)
	}
	return n, last.Int64, nil
}

// PublishCycle writes c (published) if its version is current and no
// submission was accepted since the caller's check: it first locks the
// cycle's row (a no-op UPDATE; TransitionSubmission takes the same lock to
// accept), then compares the accepted submissions' stamp, then writes the
// cycle and the event. An acceptance and a publication therefore
// serialise: the acceptance waits and then finds the cycle published, or
// the publication waits and then sees the new acceptance.
func (s *Store) PublishCycle(ctx context.Context, c platform.Cycle, ev *platform.CycleEvent, accepted int, last int64) (platform.Cycle, error) {
	stars, err := json.Marshal(c.StarThresholds)
	if err != nil {
		return c, fmt.Errorf("encode star thresholds: %w", err)
	}
	var out platform.Cycle
	err = s.write(ctx, func(tx *wtx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE cycles SET version = version WHERE id = $1`, c.ID); err != nil {
			return fmt.Errorf("lock cycle %d: %w", c.ID, err)
		}
		var n int
		var l sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), MAX(updated_at) FROM submissions WHERE cycle_id = $1 AND state IN (`+acceptedStateSQL+`)`,
			c.ID).Scan(&n, &l); err != nil {
			return fmt.Errorf("accepted submissions of cycle %d: %w", c.ID, err)
		}
		if n != accepted || l.Int64 != last {
			return platform.StaleResults(c)
		}
		if out, err = updateCycle(ctx, tx, c, string(stars)); err != nil {
			return err
		}
		if ev != nil {
			return insertCycleEvent(ctx, tx, *ev)
		}
		return nil
	})
	if err != nil {
		return platform.Cycle{}, err
	}
	return out, nil
}
