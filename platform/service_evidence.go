package platform

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
)

// AddEvidence stores a file supporting entry code of a submission. The
// submission must be editable and its cycle open; code must be a leaf of the
// cycle's framework. The content is checked from its first bytes (kind
// Unsupported unless PDF, image, zip or Office) before anything is stored,
// and refused with kind TooLarge as soon as it passes the size limit.
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
	name := SanitizeFilename(filename)
	br := bufio.NewReaderSize(r, 4096)
	head, err := br.Peek(SniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return Evidence{}, fmt.Errorf("read evidence %s: %w", name, err)
	}
	if len(head) == 0 {
		return Evidence{}, invalidField("file", CodeRequired, "%s is empty (0 bytes): choose the file again and upload it", name)
	}
	ctype, ok := SniffEvidence(head, name)
	if !ok {
		return Evidence{}, &Error{Kind: Unsupported, Code: CodeUnsupportedType, Field: "file",
			Message: fmt.Sprintf("%s is not a PDF, image (PNG, JPEG, GIF, WebP), Office document or zip archive", name)}
	}
	if is, bad := ExtensionMismatch(ctype, name); bad {
		return Evidence{}, &Error{Kind: Unsupported, Code: CodeUnsupportedType, Field: "file",
			Message: fmt.Sprintf("%s is %s, but its name ends in %s: it would not open after download; "+
				"give it the right extension and upload it again", name, is, path.Ext(name))}
	}
	sum, size, _, err := s.blobs.Put(ctx, br, s.opts.MaxEvidenceSize)
	if err != nil {
		if ErrorKindOf(err) == TooLarge {
			return Evidence{}, &Error{Kind: TooLarge, Code: CodeTooLarge, Field: "file",
				Message: fmt.Sprintf("%s is larger than the limit of %d MiB", name, s.opts.MaxEvidenceSize>>20)}
		}
		return Evidence{}, fmt.Errorf("store evidence %s: %w", name, err)
	}
	ev := Evidence{SubmissionID: submissionID, Code: code, SHA256: sum, Filename: name, ContentType: ctype, Size: size, UploadedAt: s.now()}
	out, err := s.store.AddEvidence(ctx, ev)
	if err != nil {
		return Evidence{}, fmt.Errorf("record evidence %s: %w", name, err)
	}
	return out, nil
}

// OpenEvidence returns an evidence record and its content; the caller closes
// the reader.
func (s *Service) OpenEvidence(ctx context.Context, id int64) (Evidence, io.ReadCloser, error) {
	if err := authorize(ctx, "evidence.read", fmt.Sprintf("evidence/%d", id)); err != nil {
		return Evidence{}, nil, err
	}
	ev, err := s.store.GetEvidence(ctx, id)
	if err != nil {
		return Evidence{}, nil, err
	}
	rc, err := s.blobs.Open(ctx, ev.SHA256)
	if err != nil {
		return Evidence{}, nil, fmt.Errorf("open evidence %d: %w", id, err)
	}
	return ev, rc, nil
}

// ListEvidence returns a submission's evidence records.
func (s *Service) ListEvidence(ctx context.Context, submissionID int64) ([]Evidence, error) {
	if err := authorize(ctx, "submission.evidence.list", fmt.Sprintf("submission/%d", submissionID)); err != nil {
		return nil, err
	}
	if _, _, err := s.store.SubmissionScope(ctx, submissionID); err != nil {
		return nil, err
	}
	return s.store.ListEvidence(ctx, submissionID)
}
