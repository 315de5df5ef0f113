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
	opens_at, due_at, state, version, created_at, updated_at,
	time_zone, min_completeness, coverage_threshold, not_applicable, demo`

// scanCycle reads a row of cycleColumns.
func scanCycle(row interface{ Scan(...any) error }) (platform.Cycle, error) {
	var c platform.Cycle
	var scheme, stars, na string
	var opens, due sql.NullInt64
	var created, updated int64
	var minComplete, minCoverage float64
	var demo int
	err := row.Scan(&c.ID, &c.Name, &c.Kind, &c.Year, &c.FrameworkID, &c.FrameworkVersion, &scheme, &stars,
		&opens, &due, &c.State, &c.Version, &created, &updated,
		&c.TimeZone, &minComplete, &minCoverage, &na, &demo)
	if err != nil {
		return c, err
	}
	c.MinCompleteness, c.CoverageThreshold, c.Demo = &minComplete, &minCoverage, demo != 0
	if err := json.Unmarshal([]byte(na), &c.NotApplicable); err != nil {
		return c, fmt.Errorf("cycle %d: not applicable leaves: %w", c.ID, err)
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
	r := cycleRulesOf(c)
	err = s.write(ctx, func(tx *wtx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO cycles (name, kind, year, framework_id, framework_version, scheme,
			star_thresholds, opens_at, due_at, state, version, created_at, updated_at,
			time_zone, min_completeness, coverage_threshold, not_applicable, demo)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id`,
			c.Name, c.Kind, c.Year, c.FrameworkID, c.FrameworkVersion, string(c.Scheme), string(stars),
			nullMicros(c.OpensAt), nullMicros(c.DueAt), c.State, c.Version, micros(c.CreatedAt), micros(c.UpdatedAt),
			r.zone, r.minComplete, r.minCoverage, r.na, r.demo).Scan(&c.ID)
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
		var err error
		out, err = updateCycle(ctx, tx, c, string(stars))
		return err
	})
	if err != nil {
		return platform.Cycle{}, err
	}
	return out, nil
}

// updateCycle writes c in tx if c.Version is current.
func updateCycle(ctx context.Context, tx *wtx, c platform.Cycle, stars string) (platform.Cycle, error) {
	before, err := getCycle(ctx, tx, c.ID)
	if err != nil {
		return before, err
	}
	r := cycleRulesOf(c)
	out, err := scanCycle(tx.QueryRowContext(ctx, `UPDATE cycles SET name = $1, kind = $2, year = $3,
		framework_id = $4, framework_version = $5, scheme = $6, star_thresholds = $7, opens_at = $8, due_at = $9,
		state = $10, version = version + 1, updated_at = $11,
		time_zone = $14, min_completeness = $15, coverage_threshold = $16, not_applicable = $17, demo = $18
		WHERE id = $12 AND version = $13 RETURNING `+cycleColumns,
		c.Name, c.Kind, c.Year, c.FrameworkID, c.FrameworkVersion, string(c.Scheme), stars,
		nullMicros(c.OpensAt), nullMicros(c.DueAt), c.State, micros(c.UpdatedAt), c.ID, c.Version,
		r.zone, r.minComplete, r.minCoverage, r.na, r.demo))
	if errors.Is(err, sql.ErrNoRows) {
		cur, gerr := getCycle(ctx, tx, c.ID)
		if gerr != nil {
			return out, gerr
		}
		return out, platform.StaleVersion("cycle", c.ID, c.Version, cur.Version, cur)
	}
	if err == nil {
		action := "cycle.update"
		if before.State != out.State {
			action = "cycle.transition." + string(out.State)
		}
		tx.record(ctx, platform.AuditEvent{Action: action, Object: fmt.Sprintf("cycle/%d", c.ID), Before: before, After: out})
	}
	return out, err
}

// cycleRules are the stored forms of a cycle's rule columns.
type cycleRules struct {
	zone                     string
	minComplete, minCoverage float64
	na                       string
	demo                     int
}

// cycleRulesOf returns c's rule columns; nil thresholds are stored as 0
// (no rule), an empty zone as the default.
func cycleRulesOf(c platform.Cycle) cycleRules {
	r := cycleRules{zone: c.TimeZone, na: "[]"}
	if r.zone == "" {
		r.zone = platform.DefaultTimeZone
	}
	if c.MinCompleteness != nil {
		r.minComplete = *c.MinCompleteness
	}
	if c.CoverageThreshold != nil {
		r.minCoverage = *c.CoverageThreshold
	}
	if len(c.NotApplicable) > 0 {
		b, _ := json.Marshal(c.NotApplicable) // a []string always encodes
		r.na = string(b)
	}
	if c.Demo {
		r.demo = 1
	}
	return r
}

// ListCycles returns a page of cycles, newest year first, and the total.
func (s *Store) ListCycles(ctx context.Context, f platform.CycleFilter) ([]platform.Cycle, int, error) {
	var w where
	w.eq("kind", f.Kind)
	w.eq("state", f.State)
	w.eq("year", f.Year)
	if f.Demo != nil {
		demo := 0
		if *f.Demo {
			demo = 1
		}
		w.add("demo = $?", demo)
	}
	return listPage(ctx, s, listQuery{table: "cycles", columns: cycleColumns, order: "year DESC, id DESC", w: w, limit: f.Limit, offset: f.Offset}, scanCycle)
}
