package platform

import (
	"fmt"
	"time"
)

// Evidence is a file supporting one entry of a submission. The content is
// stored once per SHA-256 in the BlobStore.
type Evidence struct {
	ID           int64  `json:"id"`
	SubmissionID int64  `json:"submission_id,omitempty"`
	Code         string `json:"code"`
	// SHA256 is the content's hash; empty once the evidence is deleted
	// (the row then no longer references its blob; DeletedSHA256 keeps
	// the hash for the history).
	SHA256 string `json:"sha256"`
	// Filename is the stored and downloaded name: the uploader's name with
	// an extension that belongs to ContentType (see StoredFilename).
	Filename string `json:"filename"`
	// OriginalName is the name the file was uploaded under, for display.
	OriginalName string    `json:"original_name"`
	ContentType  string    `json:"content_type"`
	Size         int64     `json:"size"`
	UploadedAt   time.Time `json:"uploaded_at"`
	// UploadedBy is the identity that uploaded the file: the one (besides
	// an admin) who may delete it.
	UploadedBy string `json:"uploaded_by"`
	// DeletedAt and DeletedBy are set once the evidence is deleted.
	DeletedAt     *time.Time `json:"deleted_at,omitempty"`
	DeletedBy     string     `json:"deleted_by,omitempty"`
	DeletedSHA256 string     `json:"deleted_sha256,omitempty"`
	// Existing is set (not stored) when an upload found the same content
	// already recorded for the entry and returned that record.
	Existing bool `json:"existing,omitempty"`
}

// EvidenceWrite is an evidence record handed to Store.AddEvidence with the
// submission's quota, which the store checks in the same transaction as the
// submission's state.
type EvidenceWrite struct {
	Evidence Evidence
	// MaxFiles and MaxBytes bound the submission's live evidence (count
	// and total size) including this file; 0 means no bound.
	MaxFiles int
	MaxBytes int64
}

// DefaultEvidenceQuota is the default per-submission evidence quota: 57
// leaves with a few files each, and at most 2 GiB in total.
var DefaultEvidenceQuota = EvidenceQuota{Files: 500, Bytes: 2 << 30}

// EvidenceQuota bounds a submission's live evidence.
type EvidenceQuota struct {
	// Files is the largest number of live files (0: DefaultEvidenceQuota's).
	Files int
	// Bytes is the largest total size of live files (0: the default's).
	Bytes int64
}

// CodeEvidenceQuota is the Error code of an upload past the submission's
// evidence quota.
const CodeEvidenceQuota = "evidence_quota"

// QuotaExceeded returns the conflict (code "evidence_quota") for adding w's
// file to a submission whose live evidence has n files of total bytes, or
// nil when it fits.
func QuotaExceeded(w EvidenceWrite, n int, total int64) error {
	sub := w.Evidence.SubmissionID
	switch {
	case w.MaxFiles > 0 && n+1 > w.MaxFiles:
		return &Error{Kind: Conflict, Code: CodeEvidenceQuota, Field: "file", Message: fmt.Sprintf(
			"submission %d already has %d evidence files, the most a submission may have: delete one before adding %s",
			sub, n, w.Evidence.OriginalName)}
	case w.MaxBytes > 0 && total+w.Evidence.Size > w.MaxBytes:
		return &Error{Kind: Conflict, Code: CodeEvidenceQuota, Field: "file", Message: fmt.Sprintf(
			"%s (%s) would take submission %d's evidence to %s, past its quota of %s: delete files or upload a smaller one",
			w.Evidence.OriginalName, mib(w.Evidence.Size), sub, mib(total+w.Evidence.Size), mib(w.MaxBytes))}
	}
	return nil
}

// mib formats a size for messages: bytes below 1 KiB, else KiB, MiB or GiB
// with one decimal.
func mib(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
}
