package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sceval/sceval/platform"
)

const expertColumns = `id, name, province_code, organisation, username, conflict_pilots, conflict_provinces, active, version, created_at, updated_at`

// scanExpert reads a row of expertColumns.
func scanExpert(row interface{ Scan(...any) error }) (platform.Expert, error) {
	var e platform.Expert
	var username sql.NullString
	var pilots, provinces string
	var active int
	var created, updated int64
	if err := row.Scan(&e.ID, &e.Name, &e.ProvinceCode, &e.Organisation, &username, &pilots, &provinces, &active,
		&e.Version, &created, &updated); err != nil {
		return e, err
	}
	e.Username, e.Active = username.String, active != 0
	e.CreatedAt, e.UpdatedAt = fromMicros(created), fromMicros(updated)
	if err := json.Unmarshal([]byte(pilots), &e.ConflictPilots); err != nil {
		return e, fmt.Errorf("expert %d: conflict pilots: %w", e.ID, err)
	}
	if err := json.Unmarshal([]byte(provinces), &e.ConflictProvinces); err != nil {
		return e, fmt.Errorf("expert %d: conflict provinces: %w", e.ID, err)
	}
	return e, nil
}

// expertArgs returns the stored forms of an expert's optional and JSON
// fields.
func expertArgs(e platform.Expert) (username sql.NullString, pilots, provinces string, active int, err error) {
	if e.Username != "" {
		username = sql.NullString{String: e.Username, Valid: true}
	}
	p, err := json.Marshal(e.ConflictPilots)
	if err != nil {
		return username, "", "", 0, fmt.Errorf("encode conflicts: %w", err)
	}
	q, err := json.Marshal(e.ConflictProvinces)
	if err != nil {
		return username, "", "", 0, fmt.Errorf("encode conflicts: %w", err)
	}
	if e.Active {
		active = 1
	}
	return username, string(p), string(q), active, nil
}

// duplicateExpert is the conflict of a username already linked to an expert.
func duplicateExpert(e platform.Expert) *platform.Error {
	return platform.Errorf(platform.Conflict, platform.CodeDuplicate, "user %q is already linked to another expert", e.Username)
}

// CreateExpert inserts e and returns it with its ID.
func (s *Store) CreateExpert(ctx context.Context, e platform.Expert) (platform.Expert, error) {
	username, pilots, provinces, active, err := expertArgs(e)
	if err != nil {
		return e, err
	}
	err = s.write(ctx, func(tx *wtx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO experts (name, province_code, organisation, username, conflict_pilots,
			conflict_provinces, active, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			e.Name, e.ProvinceCode, e.Organisation, username, pilots, provinces, active, e.Version,
			micros(e.CreatedAt), micros(e.UpdatedAt)).Scan(&e.ID)
		if isUnique(err) {
			return duplicateExpert(e)
		}
		if err != nil {
			return fmt.Errorf("insert expert: %w", err)
		}
		tx.record(ctx, platform.AuditEvent{Action: "expert.create", Object: fmt.Sprintf("expert/%d", e.ID), After: e})
		return nil
	})
	return e, err
}

// GetExpert returns one expert.
func (s *Store) GetExpert(ctx context.Context, id int64) (platform.Expert, error) {
	return getExpert(ctx, s.rdb, id)
}

func getExpert(ctx context.Context, q queryer, id int64) (platform.Expert, error) {
	e, err := scanExpert(q.QueryRowContext(ctx, `SELECT `+expertColumns+` FROM experts WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, platform.NotFoundf("expert %d does not exist", id)
	}
	if err != nil {
		return e, fmt.Errorf("get expert %d: %w", id, err)
	}
	return e, nil
}

// UpdateExpert writes e if e.Version is current.
func (s *Store) UpdateExpert(ctx context.Context, e platform.Expert) (platform.Expert, error) {
	username, pilots, provinces, active, err := expertArgs(e)
	if err != nil {
		return e, err
	}
	var out platform.Expert
	err = s.write(ctx, func(tx *wtx) error {
		before, err := getExpert(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		out, err = scanExpert(tx.QueryRowContext(ctx, `UPDATE experts SET name = $1, province_code = $2, organisation = $3,
			username = $4, conflict_pilots = $5, conflict_provinces = $6, active = $7, version = version + 1, updated_at = $8
			WHERE id = $9 AND version = $10 RETURNING `+expertColumns,
			e.Name, e.ProvinceCode, e.Organisation, username, pilots, provinces, active, micros(e.UpdatedAt), e.ID, e.Version))
		switch {
		case isUnique(err):
			return duplicateExpert(e)
		case errors.Is(err, sql.ErrNoRows):
			return platform.StaleVersion("expert", e.ID, e.Version, before.Version, before)
		case err != nil:
			return fmt.Errorf("update expert %d: %w", e.ID, err)
		}
		tx.record(ctx, platform.AuditEvent{Action: "expert.update", Object: fmt.Sprintf("expert/%d", e.ID), Before: before, After: out})
		return nil
	})
	return out, err
}

// ListExperts returns a page of experts by ID and the total.
func (s *Store) ListExperts(ctx context.Context, f platform.ExpertFilter) ([]platform.Expert, int, error) {
	var w where
	w.eq("province_code", f.Province)
	w.eq("username", f.Username)
	if f.ActiveOnly {
		w.add("active = 1")
	}
	return listPage(ctx, s, listQuery{table: "experts", columns: expertColumns, order: "id", w: w, limit: f.Limit, offset: f.Offset}, scanExpert)
}

// ReviewSettings returns the cycle's stored review settings.
func (s *Store) ReviewSettings(ctx context.Context, cycleID int64) (platform.ReviewSettings, error) {
	return getReviewSettings(ctx, s.rdb, cycleID)
}

const reviewSettingsColumns = `cycle_id, experts_per_submission, combine, trim_share, expert_mode, blind, outlier_points, seed, version, updated_at`

func getReviewSettings(ctx context.Context, q queryer, cycleID int64) (platform.ReviewSettings, error) {
	var r platform.ReviewSettings
	var blind int
	var updated int64
	err := q.QueryRowContext(ctx, `SELECT `+reviewSettingsColumns+` FROM review_settings WHERE cycle_id = $1`, cycleID).Scan(
		&r.CycleID, &r.ExpertsPerSubmission, &r.Combine, &r.TrimShare, &r.ExpertMode, &blind, &r.OutlierPoints, &r.Seed, &r.Version, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return r, platform.NotFoundf("cycle %d has no review settings", cycleID)
	}
	if err != nil {
		return r, fmt.Errorf("review settings of cycle %d: %w", cycleID, err)
	}
	r.Blind, r.UpdatedAt = blind != 0, fromMicros(updated)
	return r, nil
}

// PutReviewSettings creates (Version 0) or updates (Version current) the
// cycle's settings.
func (s *Store) PutReviewSettings(ctx context.Context, r platform.ReviewSettings) (platform.ReviewSettings, error) {
	blind := 0
	if r.Blind {
		blind = 1
	}
	var out platform.ReviewSettings
	err := s.write(ctx, func(tx *wtx) error {
		before, err := getReviewSettings(ctx, tx, r.CycleID)
		exists := err == nil
		if err != nil && platform.ErrorKindOf(err) != platform.NotFound {
			return err
		}
		if cur := before.Version; cur != r.Version {
			return platform.StaleVersion("review settings of cycle", r.CycleID, r.Version, cur, before)
		}
		args := []any{r.ExpertsPerSubmission, string(r.Combine), r.TrimShare, string(r.ExpertMode), blind, r.OutlierPoints, r.Seed,
			r.Version + 1, micros(r.UpdatedAt), r.CycleID}
		if exists {
			_, err = tx.ExecContext(ctx, `UPDATE review_settings SET experts_per_submission = $1, combine = $2, trim_share = $3,
				expert_mode = $4, blind = $5, outlier_points = $6, seed = $7, version = $8, updated_at = $9 WHERE cycle_id = $10`, args...)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO review_settings (experts_per_submission, combine, trim_share, expert_mode,
				blind, outlier_points, seed, version, updated_at, cycle_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, args...)
		}
		if isForeignKey(err) {
			return platform.NotFoundf("cycle %d does not exist", r.CycleID)
		}
		if err != nil {
			return fmt.Errorf("write review settings of cycle %d: %w", r.CycleID, err)
		}
		out = r
		out.Version = r.Version + 1
		var prev any
		if exists {
			prev = before
		}
		tx.record(ctx, platform.AuditEvent{Action: "review.settings.update", Object: fmt.Sprintf("cycle/%d/review-settings", r.CycleID),
			Before: prev, After: out})
		return nil
	})
	return out, err
}
