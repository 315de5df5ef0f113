// Package blob stores evidence files on the local file system, addressed by
// the SHA-256 of their content: a file with hash abcd… lives at
// <dir>/ab/cd/abcd…, so identical uploads are stored once. It implements
// platform.BlobStore.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/sceval/sceval/platform"
)

// FS is a content-addressed blob store in a directory. It is safe for
// concurrent use, also by several processes sharing the directory: files
// are written under tmp/ and renamed into place, which is atomic.
type FS struct {
	dir string
}

var _ platform.BlobStore = (*FS)(nil)

// NewFS returns a store in dir, creating dir and its tmp/ directory.
func NewFS(dir string) (*FS, error) {
	if dir == "" {
		return nil, errors.New("blob store: empty directory")
	}
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("blob store %s: %w", dir, err)
	}
	sweepStaging(filepath.Join(dir, "tmp"), time.Now().Add(-staleUpload))
	return &FS{dir: dir}, nil
}

// staleUpload is how old a temporary upload file must be before a new
// store removes it: far longer than any upload takes, so that the uploads
// in progress of another process sharing the directory are left alone.
const staleUpload = 24 * time.Hour

// sweepStaging removes the temporary upload files in dir last written
// before cutoff: those of uploads cut short by a crash, a kill or a power
// cut, which nothing else would ever remove (up to the upload limit each).
// It is best effort: a file it cannot remove stays.
func sweepStaging(dir string, cutoff time.Time) {
	names, err := filepath.Glob(filepath.Join(dir, "upload-*"))
	if err != nil {
		return
	}
	for _, name := range names {
		if fi, err := os.Lstat(name); err == nil && fi.Mode().IsRegular() && fi.ModTime().Before(cutoff) {
			_ = os.Remove(name)
		}
	}
}

// Dir returns the store's directory.
func (s *FS) Dir() string { return s.dir }

// path returns where the blob with hash sum lives.
func (s *FS) path(sum string) string {
	return filepath.Join(s.dir, sum[:2], sum[2:4], sum)
}

// Put streams r into the store, failing with kind TooLarge (and keeping
// nothing) as soon as more than maxSize bytes have arrived, and returns the
// content's hex SHA-256, its size and its sniffed content type.
func (s *FS) Put(ctx context.Context, r io.Reader, maxSize int64) (string, int64, string, error) {
	up, err := receive(ctx, filepath.Join(s.dir, "tmp"), r, maxSize)
	if err != nil {
		return "", 0, "", err
	}
	defer os.Remove(up.tmp) // no-op once renamed
	dst := s.path(up.sum)
	if _, err := os.Stat(dst); err == nil {
		return up.sum, up.size, up.ctype, nil // already stored: deduplicated
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return "", 0, "", fmt.Errorf("blob store: %w", err)
	}
	if err := os.Rename(up.tmp, dst); err != nil {
		return "", 0, "", fmt.Errorf("blob store: store %s: %w", up.sum, err)
	}
	return up.sum, up.size, up.ctype, nil
}

// upload is a received file, staged in a temporary file.
type upload struct {
	tmp, sum, ctype string
	size            int64
}

// receive streams r into a new temporary file in dir, hashing and sniffing
// it on the way, and stops with kind TooLarge as soon as more than maxSize
// bytes arrive. On success the caller owns (and removes or renames) the
// temporary file; on failure nothing is left.
func receive(ctx context.Context, dir string, r io.Reader, maxSize int64) (upload, error) {
	tmp, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return upload{}, fmt.Errorf("blob store: %w", err)
	}
	fail := func(err error) (upload, error) {
		tmp.Close()
		os.Remove(tmp.Name())
		return upload{}, err
	}
	h := sha256.New()
	head := &headWriter{max: 512}
	n, err := io.Copy(io.MultiWriter(tmp, h, head), io.LimitReader(ctxReader{ctx, r}, maxSize+1))
	if err != nil {
		return fail(fmt.Errorf("blob store: receive: %w", err))
	}
	if n > maxSize {
		return fail(platform.Errorf(platform.TooLarge, platform.CodeTooLarge, "file is larger than the limit of %d bytes", maxSize))
	}
	if err := tmp.Sync(); err != nil {
		return fail(fmt.Errorf("blob store: sync: %w", err))
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return upload{}, fmt.Errorf("blob store: close: %w", err)
	}
	return upload{tmp: tmp.Name(), sum: hex.EncodeToString(h.Sum(nil)), ctype: Sniff(head.buf), size: n}, nil
}

// Open returns the content with the given hash.
func (s *FS) Open(ctx context.Context, sum string) (io.ReadCloser, error) {
	if !validSum(sum) {
		return nil, platform.Errorf(platform.Invalid, platform.CodeBadValue, "%q is not a hex SHA-256", sum)
	}
	f, err := os.Open(s.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, platform.NotFoundf("blob %s is not stored", sum)
	}
	if err != nil {
		return nil, fmt.Errorf("blob store: open %s: %w", sum, err)
	}
	return f, nil
}

// validSum reports whether sum is 64 lower-case hex digits.
func validSum(sum string) bool {
	if len(sum) != 64 {
		return false
	}
	for _, c := range sum {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// headWriter keeps the first max bytes written to it.
type headWriter struct {
	buf []byte
	max int
}

// Write keeps what still fits and never fails.
func (w *headWriter) Write(p []byte) (int, error) {
	if room := w.max - len(w.buf); room > 0 {
		w.buf = append(w.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// ctxReader stops reading once its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// Read reads from r unless the context is done.
func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
