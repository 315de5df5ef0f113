package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sceval/sceval/platform"
)

const evidenceColumns = `id, submission_id, code, sha256, filename, original_name, content_type, size, uploaded_at,
	uploaded_by, deleted_at, deleted_by, deleted_sha256`

// scanEvidence reads a row of evidenceColumns.
func scanEvidence(row interface{ Scan(...any) error }) (platform.Evidence, error) {
	var ev platform.Evidence
	var at int64
	var deleted sql.NullInt64
	err := row.Scan(&ev.ID, &ev.SubmissionID, &ev.Code, &ev.SHA256, &ev.Filename, &ev.OriginalName, &ev.ContentType,
		&ev.Size, &at, &ev.UploadedBy, &deleted, &ev.DeletedBy, &ev.DeletedSHA256)
	ev.UploadedAt, ev.DeletedAt = fromMicros(at), fromNullMicros(deleted)
	return ev, err
}

// lockEditable takes the write lock of submission id on condition that it is
// editable and its cycle open — PostgreSQL re-checks the condition after a
// concurrent transition commits, SQLite has one writer — and explains a
// refusal (entryRefusal). Everything the caller writes afterwards in tx is
// therefore written to an editable submission.
func lockEditable(ctx context.Context, tx *wtx, id int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE submissions SET updated_at = updated_at WHERE id = $1 AND state IN (`+editableStatesSQL+`)
		AND EXISTS (SELECT 1 FROM cycles c WHERE c.id = submissions.cycle_id AND c.state IN (`+openCycleSQL+`))`, id)
	if err != nil {
		return fmt.Errorf("lock submission %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return entryRefusal(ctx, tx, id)
	}
	return nil
}

// AddEvidence records an evidence file, in one transaction that first locks
// the submission on condition that it is editable and its cycle open (so a
// slow upload that began on a draft is refused if the submission was
// submitted meanwhile), then returns the entry's live record of the same
// content if there is one (existing true: uploading a file twice records it
// once), then checks the quota, then inserts.
func (s *Store) AddEvidence(ctx context.Context, w platform.EvidenceWrite) (platform.Evidence, bool, error) {
	ev := w.Evidence
	existing := false
	err := s.write(ctx, func(tx *wtx) error {
		if err := lockEditable(ctx, tx, ev.SubmissionID); err != nil {
			return err
		}
		same, err := scanEvidence(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM evidence
			WHERE submission_id = $1 AND code = $2 AND sha256 = $3 AND deleted_at IS NULL ORDER BY id LIMIT 1`,
			ev.SubmissionID, ev.Code, ev.SHA256))
		if err == nil {
			ev, existing = same, true
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("find evidence: %w", err)
		}
		if err := checkQuota(ctx, tx, w); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO evidence (submission_id, code, sha256, filename, original_name, content_type,
			size, uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			ev.SubmissionID, ev.Code, ev.SHA256, ev.Filename, ev.OriginalName, ev.ContentType, ev.Size,
			micros(ev.UploadedAt), ev.UploadedBy).Scan(&ev.ID)
		if err == nil {
			tx.record(ctx, platform.AuditEvent{Action: "evidence.upload",
				Object: fmt.Sprintf("submission/%d/evidence/%d", ev.SubmissionID, ev.ID), After: ev})
		}
		return err
	})
	if err != nil {
		return ev, false, fmt.Errorf("insert evidence: %w", err)
	}
	return ev, existing, nil
}

// checkQuota refuses a file that would take the submission's live evidence
// past w's bounds (conflict "evidence_quota": deleting files frees room).
func checkQuota(ctx context.Context, tx *wtx, w platform.EvidenceWrite) error {
	if w.MaxFiles <= 0 && w.MaxBytes <= 0 {
		return nil
	}
	var n int
	var total int64
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(size), 0) FROM evidence
		WHERE submission_id = $1 AND deleted_at IS NULL`, w.Evidence.SubmissionID).Scan(&n, &total)
	if err != nil {
		return fmt.Errorf("evidence quota of submission %d: %w", w.Evidence.SubmissionID, err)
	}
	return platform.QuotaExceeded(w, n, total)
}

// DeleteEvidence marks an evidence record deleted (at, by) if its submission
// is editable and its cycle open, checked in the same transaction. The row
// stays for the history but its sha256 moves to deleted_sha256, so that it
// no longer references the blob.
func (s *Store) DeleteEvidence(ctx context.Context, id int64, by string, at time.Time) (platform.Evidence, error) {
	var out platform.Evidence
	err := s.write(ctx, func(tx *wtx) error {
		cur, err := scanEvidence(tx.QueryRowContext(ctx, `SELECT `+evidenceColumns+` FROM evidence WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return platform.NotFoundf("evidence %d does not exist", id)
		}
		if err != nil {
			return fmt.Errorf("get evidence %d: %w", id, err)
		}
		if err := lockEditable(ctx, tx, cur.SubmissionID); err != nil {
			return err
		}
		out, err = scanEvidence(tx.QueryRowContext(ctx, `UPDATE evidence SET deleted_at = $1, deleted_by = $2,
			deleted_sha256 = sha256, sha256 = '' WHERE id = $3 AND deleted_at IS NULL RETURNING `+evidenceColumns, micros(at), by, id))
		if errors.Is(err, sql.ErrNoRows) {
			return platform.NotFoundf("evidence %d was already deleted", id)
		}
		if err == nil {
			tx.record(ctx, platform.AuditEvent{Action: "evidence.delete",
				Object: fmt.Sprintf("submission/%d/evidence/%d", out.SubmissionID, out.ID), Before: cur, After: out})
		}
		return err
	})
	return out, err
}

// GetEvidence returns one evidence record, deleted or not.
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

// ListEvidence returns a submission's live evidence (with deleted true, its
// deleted evidence too), by code and upload order.
func (s *Store) ListEvidence(ctx context.Context, submissionID int64, deleted bool) ([]platform.Evidence, error) {
	q := `SELECT ` + evidenceColumns + ` FROM evidence WHERE submission_id = $1`
	if !deleted {
		q += ` AND deleted_at IS NULL`
	}
	rows, err := s.rdb.QueryContext(ctx, q+` ORDER BY code, id`, submissionID)
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

// BlobReferenced reports whether a live evidence row references the blob
// with this hash: the question a blob collector asks before removing it.
// Deleted evidence does not count (its hash is in deleted_sha256).
func (s *Store) BlobReferenced(ctx context.Context, sha256 string) (bool, error) {
	var one int
	err := s.rdb.QueryRowContext(ctx, `SELECT 1 FROM evidence WHERE sha256 = $1 LIMIT 1`, sha256).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("is blob %s referenced: %w", sha256, err)
	}
	return true, nil
}
