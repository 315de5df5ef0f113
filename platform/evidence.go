package platform

import "time"

// Evidence is a file supporting one entry of a submission. The content is
// stored once per SHA-256 in the BlobStore.
type Evidence struct {
	ID           int64     `json:"id"`
	SubmissionID int64     `json:"submission_id,omitempty"`
	Code         string    `json:"code"`
	SHA256       string    `json:"sha256"`
	Filename     string    `json:"filename"`
	ContentType  string    `json:"content_type"`
	Size         int64     `json:"size"`
	UploadedAt   time.Time `json:"uploaded_at"`
}
