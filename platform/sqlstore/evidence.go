package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sceval/sceval/platform"
)

const evidenceColumns = `id, submission_id, code, sha256, filename, content_type, size, uploaded_at`

// scanEvidence reads a row of evidenceColumns.
func scanEvidence(row interface{ Scan(...any) error }) (platform.Evidence, error) {
	var ev platform.Evidence
	var at int64
	err := row.Scan(&ev.ID, &ev.SubmissionID, &ev.Code, &ev.SHA256, &ev.Filename, &ev.ContentType, &ev.Size, &at)
	ev.UploadedAt = fromMicros(at)
	return ev, err
}

// AddEvidence records an evidence file and returns it with its ID.
func (s *Store) AddEvidence(ctx context.Context, ev platform.Evidence) (platform.Evidence, error) {
	err := s.write(ctx, func(tx *wtx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO evidence (submission_id, code, sha256, filename, content_type, size, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			ev.SubmissionID, ev.Code, ev.SHA256, ev.Filename, ev.ContentType, ev.Size, micros(ev.UploadedAt)).Scan(&ev.ID)
		if isForeignKey(err) {
			return platform.NotFoundf("submission %d does not exist", ev.SubmissionID)
		}
		if err == nil {
			tx.record(ctx, platform.AuditEvent{Action: "evidence.upload",
				Object: fmt.Sprintf("submission/%d/evidence/%d", ev.SubmissionID, ev.ID), After: ev})
		}
		return err
	})
	if err != nil {
		return ev, fmt.Errorf("insert evidence: %w", err)
	}
	return ev, nil
}

// GetEvidence returns one evidence record.
func (s *Store) GetEvidence(ctx context.Context, id int64) (platform.Evidence, error) {
	ev, err := scanEvidence(s.rdb.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM evidence WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return ev, platform.NotFoundf("evidence %d does not exist", id)
	}
	if err != nil {
		return ev, fmt.Errorf("get evidence %d: %w", id, err)
	}
	return ev, nil
}

// ListEvidence returns a submission's evidence, by code and upload order.
func (s *Store) ListEvidence(ctx context.Context, submissionID int64) ([]platform.Evidence, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+evidenceColumns+` FROM evidence WHERE submission_id = $1 ORDER BY code, id`, submissionID)
	if err != nil {
		return nil, fmt.Errorf("list evidence of submission %d: %w", submissionID, err)
	}
	defer rows.Close()
	out := []platform.Evidence{}
	for rows.Next() {
		ev, err := scanEvidence(rows)
		if err != nil {
			return nil, fmt.Errorf("list evidence of submission %d: %w", submissionID, err)
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}
