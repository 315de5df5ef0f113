package platform

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
)

// AddEvidence stores a file supporting entry code of a submission. The
// submission must be editable and its cycle open — checked before the
// upload streams (to refuse early) and again inside the write that records
// it (so an upload that began on a draft is refused if the submission was
// submitted meanwhile). code must be a leaf of the cycle's framework. The
// content is checked from its first bytes (kind Unsupported unless PDF,
// image, zip or Office) before anything is stored, and refused with kind
// TooLarge as soon as it passes the size limit or the room left in the
// submission's quota (conflict "evidence_quota" when none is left). The
// stored name's extension belongs to the sniffed type (StoredFilename); the
// uploaded name is kept as OriginalName. Uploading content the entry
// already has returns the existing record (Existing set).
func (s *Service) AddEvidence(ctx context.Context, submissionID int64, code, filename string, r io.Reader) (Evidence, error) {
	if err := authorize(ctx, "submission.evidence.add", fmt.Sprintf("submission/%d", submissionID)); err != nil {
		return Evidence{}, err
	}
	sub, c, err := s.store.SubmissionScope(ctx, submissionID)
	if err != nil {
		return Evidence{}, err
	}
	if err := editable(sub, c); err != nil {
		return Evidence{}, err
	}
	p, err := s.plan(c.FrameworkID, c.FrameworkVersion)
	if err != nil {
		return Evidence{}, err
	}
	if _, err := p.validateEntry(code, EntryInput{}); err != nil {
		return Evidence{}, err
	}
	room, err := s.quotaRoom(ctx, submissionID)
	if err != nil {
		return Evidence{}, err
	}
	name := SanitizeFilename(filename)
	br := bufio.NewReaderSize(r, 4096)
	ctype, stored, err := sniffUpload(br, name)
	if err != nil {
		return Evidence{}, err
	}
	limit := min(s.opts.MaxEvidenceSize, room)
	sum, size, _, err := s.blobs.Put(ctx, br, limit)
	if err != nil {
		if ErrorKindOf(err) == TooLarge {
			return Evidence{}, s.tooLarge(name, limit)
		}
		return Evidence{}, fmt.Errorf("store evidence %s: %w", name, err)
	}
	ev := Evidence{SubmissionID: submissionID, Code: code, SHA256: sum, Filename: stored, OriginalName: name,
		ContentType: ctype, Size: size, UploadedAt: s.now(), UploadedBy: actor(ctx)}
	out, existing, err := s.store.AddEvidence(ctx, EvidenceWrite{Evidence: ev,
		MaxFiles: s.opts.EvidenceQuota.Files, MaxBytes: s.opts.EvidenceQuota.Bytes})
	if err != nil {
		return Evidence{}, fmt.Errorf("record evidence %s: %w", name, err)
	}
	out.Existing = existing
	return out, nil
}

// sniffUpload reads the first bytes of an upload and returns its content
// type and the name to store it under, or the error that refuses it.
func sniffUpload(br *bufio.Reader, name string) (ctype, stored string, err error) {
	head, err := br.Peek(SniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return "", "", fmt.Errorf("read evidence %s: %w", name, err)
	}
	if len(head) == 0 {
		return "", "", invalidField("file", CodeRequired, "%s is empty (0 bytes): choose the file again and upload it", name)
	}
	ctype, ok := SniffEvidence(head, name)
	if !ok {
		return "", "", &Error{Kind: Unsupported, Code: CodeUnsupportedType, Field: "file",
			Message: fmt.Sprintf("%s is not a PDF, image (PNG, JPEG, GIF, WebP), Office document or zip archive", name)}
	}
	if is, bad := ExtensionMismatch(ctype, name); bad {
		return "", "", &Error{Kind: Unsupported, Code: CodeUnsupportedType, Field: "file",
			Message: fmt.Sprintf("%s is %s, but its name ends in %s: it would not open after download; "+
				"give it the right extension and upload it again", name, is, path.Ext(name))}
	}
	stored = StoredFilename(ctype, name)
	if stored == "" {
		return "", "", &Error{Kind: Unsupported, Code: CodeUnsupportedType, Field: "file",
			Message: fmt.Sprintf("%s is an OLE2 compound file (the format of Word, Excel and PowerPoint 97–2003, "+
				"but also of installers): name it .doc, .xls or .ppt if it is one of those", name)}
	}
	return ctype, stored, nil
}

// quotaRoom returns how many bytes the submission's quota leaves, refusing
// (conflict "evidence_quota") when no file may be added. The store checks
// the quota again inside the write.
func (s *Service) quotaRoom(ctx context.Context, submissionID int64) (int64, error) {
	live, err := s.store.ListEvidence(ctx, submissionID, false)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, ev := range live {
		total += ev.Size
	}
	q := s.opts.EvidenceQuota
	probe := EvidenceWrite{Evidence: Evidence{SubmissionID: submissionID, OriginalName: "the file", Size: 1}, MaxFiles: q.Files, MaxBytes: q.Bytes}
	if err := QuotaExceeded(probe, len(live), total); err != nil {
		return 0, err
	}
	return q.Bytes - total, nil
}

// tooLarge is the error for an upload cut off at limit bytes.
func (s *Service) tooLarge(name string, limit int64) *Error {
	if limit < s.opts.MaxEvidenceSize {
		return &Error{Kind: TooLarge, Code: CodeEvidenceQuota, Field: "file",
			Message: fmt.Sprintf("%s is larger than the %s left in the submission's evidence quota of %s",
				name, mib(limit), mib(s.opts.EvidenceQuota.Bytes))}
	}
	return &Error{Kind: TooLarge, Code: CodeTooLarge, Field: "file",
		Message: fmt.Sprintf("%s is larger than the limit of %d MiB", name, s.opts.MaxEvidenceSize>>20)}
}

// DeleteEvidence deletes an evidence file while its submission is editable
// and its cycle open (checked inside the write). Only its uploader or an
// admin may delete it. The record stays in the submission's history (list
// with deleted) but no longer references the content, which the blob
// collector removes once no live evidence uses it.
func (s *Service) DeleteEvidence(ctx context.Context, id int64) (Evidence, error) {
	if err := authorize(ctx, "evidence.delete", fmt.Sprintf("evidence/%d", id)); err != nil {
		return Evidence{}, err
	}
	ev, err := s.store.GetEvidence(ctx, id)
	if err != nil {
		return Evidence{}, err
	}
	who := IdentityFrom(ctx)
	if ev.UploadedBy != actor(ctx) && !slices.Contains(who.Roles, "admin") {
		return Evidence{}, &Error{Kind: Forbidden, Code: "forbidden", Message: fmt.Sprintf(
			"evidence %d (%s) was uploaded by %s: only its uploader or an admin may delete it", id, ev.OriginalName, ev.UploadedBy)}
	}
	out, err := s.store.DeleteEvidence(ctx, id, actor(ctx), s.now())
	if err != nil {
		return Evidence{}, fmt.Errorf("delete evidence %d: %w", id, err)
	}
	return out, nil
}

// OpenEvidence returns a live evidence record and its content; the caller
// closes the reader. Deleted evidence is NotFound.
func (s *Service) OpenEvidence(ctx context.Context, id int64) (Evidence, io.ReadCloser, error) {
	if err := authorize(ctx, "evidence.read", fmt.Sprintf("evidence/%d", id)); err != nil {
		return Evidence{}, nil, err
	}
	ev, err := s.store.GetEvidence(ctx, id)
	if err != nil {
		return Evidence{}, nil, err
	}
	if ev.DeletedAt != nil {
		return Evidence{}, nil, NotFoundf("evidence %d (%s) was deleted by %s on %s", id, ev.OriginalName,
			ev.DeletedBy, ev.DeletedAt.Format("2006-01-02 15:04"))
	}
	rc, err := s.blobs.Open(ctx, ev.SHA256)
	if err != nil {
		return Evidence{}, nil, fmt.Errorf("open evidence %d: %w", id, err)
	}
	return ev, rc, nil
}

// ListEvidence returns a submission's live evidence records and, with
// deleted, the deleted ones too (the history).
func (s *Service) ListEvidence(ctx context.Context, submissionID int64, deleted bool) ([]Evidence, error) {
	if err := authorize(ctx, "submission.evidence.list", fmt.Sprintf("submission/%d", submissionID)); err != nil {
		return nil, err
	}
	if _, _, err := s.store.SubmissionScope(ctx, submissionID); err != nil {
		return nil, err
	}
	return s.store.ListEvidence(ctx, submissionID, deleted)
}
