package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sceval/sceval/platform"
)

// PublishFramework stores a framework file; an existing ID and version is
// a Conflict "duplicate" (versions are immutable).
func (s *Store) PublishFramework(ctx context.Context, rec platform.FrameworkRecord) error {
	return s.write(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO frameworks (framework_id, version, body, format, sha256, published_by, published_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, rec.ID, rec.Version, string(rec.Body), rec.Format, rec.SHA256,
			rec.PublishedBy, micros(rec.PublishedAt))
		if isUnique(err) {
			return platform.Errorf(platform.Conflict, platform.CodeDuplicate, "framework %s version %s is already published", rec.ID, rec.Version)
		}
		if err != nil {
			return fmt.Errorf("insert framework %s@%s: %w", rec.ID, rec.Version, err)
		}
		return nil
	})
}

const frameworkColumns = `framework_id, version, body, format, sha256, published_by, published_at`

// scanFrameworkRecord reads a row of frameworkColumns (and extra
// destinations after them).
func scanFrameworkRecord(row interface{ Scan(...any) error }, extra ...any) (platform.FrameworkRecord, error) {
	var r platform.FrameworkRecord
	var body string
	var at int64
	if err := row.Scan(append([]any{&r.ID, &r.Version, &body, &r.Format, &r.SHA256, &r.PublishedBy, &at}, extra...)...); err != nil {
		return r, err
	}
	r.Body, r.PublishedAt = []byte(body), fromMicros(at)
	return r, nil
}

// GetFrameworkRecord returns a published framework version; version ""
// means the most recently published one.
func (s *Store) GetFrameworkRecord(ctx context.Context, id, version string) (platform.FrameworkRecord, error) {
	q, args := `SELECT `+frameworkColumns+` FROM frameworks WHERE framework_id = $1 AND version = $2`, []any{id, version}
	if version == "" {
		q, args = `SELECT `+frameworkColumns+` FROM frameworks WHERE framework_id = $1 ORDER BY published_at DESC, version DESC LIMIT 1`, []any{id}
	}
	r, err := scanFrameworkRecord(s.rdb.QueryRowContext(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, platform.NotFoundf("framework %s version %q is not published", id, version)
	}
	if err != nil {
		return r, fmt.Errorf("get framework %s@%s: %w", id, version, err)
	}
	return r, nil
}

// ListFrameworkRecords returns every published framework with the number
// of cycles using it.
func (s *Store) ListFrameworkRecords(ctx context.Context) ([]platform.FrameworkListing, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+frameworkColumns+`, (SELECT COUNT(*) FROM cycles c
		WHERE c.framework_id = frameworks.framework_id AND c.framework_version = frameworks.version)
		FROM frameworks ORDER BY framework_id, published_at, version`)
	if err != nil {
		return nil, fmt.Errorf("list frameworks: %w", err)
	}
	defer rows.Close()
	var out []platform.FrameworkListing
	for rows.Next() {
		var l platform.FrameworkListing
		if l.FrameworkRecord, err = scanFrameworkRecord(rows, &l.Cycles); err != nil {
			return nil, fmt.Errorf("list frameworks: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
