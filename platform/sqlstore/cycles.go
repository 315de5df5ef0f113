package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sceval/sceval/platform"
)

const cycleColumns = `id, name, kind, year, framework_id, framework_version, scheme, star_thresholds,
	opens_at, due_at, state, version, created_at, updated_at`

// scanCycle reads a row of cycleColumns.
func scanCycle(row interface{ Scan(...any) error }) (platform.Cycle, error) {
	var c platform.Cycle
	var scheme, stars string
	var opens, due sql.NullInt64
	var created, updated int64
	err := row.Scan(&c.ID, &c.Name, &c.Kind, &c.Year, &c.FrameworkID, &c.FrameworkVersion, &scheme, &stars,
		&opens, &due, &c.State, &c.Version, &created, &updated)
	if err != nil {
		return c, err
	}
	c.Scheme = json.RawMessage(scheme)
	if err := json.Unmarshal([]byte(stars), &c.StarThresholds); err != nil {
		return c, fmt.Errorf("cycle %d: star thresholds: %w", c.ID, err)
	}
	c.OpensAt, c.DueAt = fromNullMicros(opens), fromNullMicros(due)
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return c, nil
}

// CreateCycle inserts c and returns it with its ID.
func (s *Store) CreateCycle(ctx context.Context, c platform.Cycle) (platform.Cycle, error) {
	stars, err := json.Marshal(c.StarThresholds)
	if err != nil {
		return c, fmt.Errorf("encode star thresholds: %w", err)
	}
	err = s.write(ctx, func(tx *wtx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO cycles (name, kind, year, framework_id, framework_version, scheme,
			star_thresholds, opens_at, due_at, state, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			c.Name, c.Kind, c.Year, c.FrameworkID, c.FrameworkVersion, string(c.Scheme), string(stars),
			nullMicros(c.OpensAt), nullMicros(c.DueAt), c.State, c.Version, micros(c.CreatedAt), micros(c.UpdatedAt)).Scan(&c.ID)
		if err == nil {
			tx.record(ctx, platform.AuditEvent{Action: "cycle.create", Object: fmt.Sprintf("cycle/%d", c.ID), After: c})
		}
		return err
	})
	if err != nil {
		return c, fmt.Errorf("insert cycle: %w", err)
	}
	return c, nil
}

// GetCycle returns the cycle with the given ID.
func (s *Store) GetCycle(ctx context.Context, id int64) (platform.Cycle, error) {
	return getCycle(ctx, s.rdb, id)
}

// queryer is what *sql.DB and *sql.Tx share for single-row reads.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// getCycle reads one cycle.
func getCycle(ctx context.Context, q queryer, id int64) (platform.Cycle, error) {
	c, err := scanCycle(q.QueryRowContext(ctx, `SELECT `+cycleColumns+` FROM cycles WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, platform.NotFoundf("cycle %d does not exist", id)
	}
	if err != nil {
		return c, fmt.Errorf("get cycle %d: %w", id, err)
	}
	return c, nil
}

// UpdateCycle writes c (state included) if c.Version is current and returns
// it with the next version.
func (s *Store) UpdateCycle(ctx context.Context, c platform.Cycle) (platform.Cycle, error) {
	stars, err := json.Marshal(c.StarThresholds)
	if err != nil {
		return c, fmt.Errorf("encode star thresholds: %w", err)
	}
	var out platform.Cycle
	err = s.write(ctx, func(tx *wtx) error {
		before, err := getCycle(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		out, err = scanCycle(tx.QueryRowContext(ctx, `UPDATE cycles SET name = $1, kind = $2, year = $3,
			framework_id = $4, framework_version = $5, scheme = $6, star_thresholds = $7, opens_at = $8, due_at = $9,
			state = $10, version = version + 1, updated_at = $11
			WHERE id = $12 AND version = $13 RETURNING `+cycleColumns,
			c.Name, c.Kind, c.Year, c.FrameworkID, c.FrameworkVersion, string(c.Scheme), string(stars),
			nullMicros(c.OpensAt), nullMicros(c.DueAt), c.State, micros(c.UpdatedAt), c.ID, c.Version))
		if errors.Is(err, sql.ErrNoRows) {
			cur, gerr := getCycle(ctx, tx, c.ID)
			if gerr != nil {
				return gerr
			}
			return platform.StaleVersion("cycle", c.ID, c.Version, cur.Version, cur)
		}
		if err == nil {
			action := "cycle.update"
			if before.State != out.State {
				action = "cycle.transition." + string(out.State)
			}
			tx.record(ctx, platform.AuditEvent{Action: action, Object: fmt.Sprintf("cycle/%d", c.ID), Before: before, After: out})
		}
		return err
	})
	if err != nil {
		return platform.Cycle{}, err
	}
	return out, nil
}

// ListCycles returns a page of cycles, newest year first, and the total.
func (s *Store) ListCycles(ctx context.Context, f platform.CycleFilter) ([]platform.Cycle, int, error) {
	var w where
	w.eq("kind", f.Kind)
	w.eq("state", f.State)
	w.eq("year", f.Year)
	return listPage(ctx, s, listQuery{table: "cycles", columns: cycleColumns, order: "year DESC, id DESC", w: w, limit: f.Limit, offset: f.Offset}, scanCycle)
}
