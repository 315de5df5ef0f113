package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sceval/sceval/platform"
)

const pilotColumns = `id, region_code, name, province_code, batch, type, status, version, created_at, updated_at`

// scanPilot reads a row of pilotColumns.
func scanPilot(row interface{ Scan(...any) error }) (platform.Pilot, error) {
	var p platform.Pilot
	var created, updated int64
	err := row.Scan(&p.ID, &p.RegionCode, &p.Name, &p.ProvinceCode, &p.Batch, &p.Type, &p.Status, &p.Version, &created, &updated)
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	return p, err
}

// duplicatePilot is the conflict for a region already in a batch.
func duplicatePilot(p platform.Pilot) *platform.Error {
	return platform.Errorf(platform.Conflict, platform.CodeDuplicate,
		"region %s is already a pilot of batch %s", p.RegionCode, p.Batch)
}

// CreatePilot inserts p and returns it with its ID.
func (s *Store) CreatePilot(ctx context.Context, p platform.Pilot) (platform.Pilot, error) {
	err := s.write(ctx, func(tx *wtx) error {
		return insertPilot(ctx, tx, &p)
	})
	return p, err
}

// insertPilot inserts one pilot and sets its ID.
func insertPilot(ctx context.Context, tx *wtx, p *platform.Pilot) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO pilots (region_code, name, province_code, batch, type, status, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		p.RegionCode, p.Name, p.ProvinceCode, p.Batch, p.Type, p.Status, p.Version, micros(p.CreatedAt), micros(p.UpdatedAt)).Scan(&p.ID)
	if isUnique(err) {
		return duplicatePilot(*p)
	}
	if err != nil {
		return fmt.Errorf("insert pilot %s: %w", p.RegionCode, err)
	}
	tx.record(ctx, platform.AuditEvent{Action: "pilot.create", Object: fmt.Sprintf("pilot/%d", p.ID), After: *p})
	return nil
}

// CreatePilots inserts every pilot in one transaction, or none, in
// multi-row INSERTs (insertPilots).
func (s *Store) CreatePilots(ctx context.Context, ps []platform.Pilot) error {
	return s.write(ctx, func(tx *wtx) error { return s.insertPilots(ctx, tx, ps) })
}

// GetPilot returns the pilot with the given ID.
func (s *Store) GetPilot(ctx context.Context, id int64) (platform.Pilot, error) {
	p, err := scanPilot(s.rdb.QueryRowContext(ctx, `SELECT `+pilotColumns+` FROM pilots WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, platform.NotFoundf("pilot %d does not exist", id)
	}
	if err != nil {
		return p, fmt.Errorf("get pilot %d: %w", id, err)
	}
	return p, nil
}

// UpdatePilot writes p if p.Version is current, records each changed field
// in pilot_changes (by actor, at p.UpdatedAt) in the same transaction, and
// returns the pilot with the next version.
func (s *Store) UpdatePilot(ctx context.Context, p platform.Pilot, actor string) (platform.Pilot, error) {
	var out platform.Pilot
	err := s.write(ctx, func(tx *wtx) error {
		cur, err := scanPilot(tx.QueryRowContext(ctx, `SELECT `+pilotColumns+` FROM pilots WHERE id = $1`, p.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return platform.NotFoundf("pilot %d does not exist", p.ID)
		}
		if err != nil {
			return fmt.Errorf("get pilot %d: %w", p.ID, err)
		}
		out, err = scanPilot(tx.QueryRowContext(ctx, `UPDATE pilots SET region_code = $1, name = $2, province_code = $3,
			batch = $4, type = $5, status = $6, version = version + 1, updated_at = $7
			WHERE id = $8 AND version = $9 RETURNING `+pilotColumns,
			p.RegionCode, p.Name, p.ProvinceCode, p.Batch, p.Type, p.Status, micros(p.UpdatedAt), p.ID, p.Version))
		if isUnique(err) {
			return duplicatePilot(p)
		}
		if errors.Is(err, sql.ErrNoRows) {
			return platform.StaleVersion("pilot", p.ID, p.Version, cur.Version, cur)
		}
		if err != nil {
			return fmt.Errorf("update pilot %d: %w", p.ID, err)
		}
		for _, c := range platform.PilotDiff(cur, out) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO pilot_changes (pilot_id, version, field, old_value, new_value, actor, at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, p.ID, out.Version, c.Field, c.Old, c.New, actor, micros(p.UpdatedAt)); err != nil {
				return fmt.Errorf("record change of pilot %d: %w", p.ID, err)
			}
		}
		tx.record(ctx, platform.AuditEvent{Action: "pilot.update", Object: fmt.Sprintf("pilot/%d", p.ID), Before: cur, After: out})
		return nil
	})
	if err != nil {
		return platform.Pilot{}, err
	}
	return out, nil
}

// PilotHistory returns the recorded changes of a pilot, oldest first.
func (s *Store) PilotHistory(ctx context.Context, id int64) ([]platform.PilotChange, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT version, field, old_value, new_value, actor, at FROM pilot_changes
		WHERE pilot_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("history of pilot %d: %w", id, err)
	}
	defer rows.Close()
	out := []platform.PilotChange{}
	for rows.Next() {
		var c platform.PilotChange
		var at int64
		if err := rows.Scan(&c.Version, &c.Field, &c.Old, &c.New, &c.Actor, &at); err != nil {
			return nil, fmt.Errorf("history of pilot %d: %w", id, err)
		}
		c.At = fromMicros(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// pilotOrder maps PilotFilter.Sort to ORDER BY clauses (id breaks ties).
var pilotOrder = map[string]string{
	"": "region_code, id", "region_code": "region_code, id", "-region_code": "region_code DESC, id DESC",
	"name": "name, id", "-name": "name DESC, id DESC", "batch": "batch, region_code, id", "-batch": "batch DESC, region_code DESC, id DESC",
	"id": "id", "-id": "id DESC", "updated_at": "updated_at, id", "-updated_at": "updated_at DESC, id DESC",
}

// ListPilots returns a page of pilots matching f and the total count.
func (s *Store) ListPilots(ctx context.Context, f platform.PilotFilter) ([]platform.Pilot, int, error) {
	var w where
	w.eq("province_code", f.Province)
	w.eq("id", f.ID)
	w.eq("type", f.Type)
	w.eq("batch", f.Batch)
	w.eq("status", f.Status)
	if q := strings.TrimSpace(f.Q); q != "" {
		w.add(`(LOWER(name) LIKE $? ESCAPE '\' OR region_code LIKE $? ESCAPE '\')`,
			"%"+likeEscape(strings.ToLower(q))+"%", likeEscape(q)+"%")
	}
	order, ok := pilotOrder[f.Sort]
	if !ok {
		return nil, 0, platform.Errorf(platform.Invalid, platform.CodeBadValue, "sort %q is not known", f.Sort)
	}
	return listPage(ctx, s, listQuery{table: "pilots", columns: pilotColumns, order: order, w: w, limit: f.Limit, offset: f.Offset}, scanPilot)
}
