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

	"github.com/sceval/sceval/platform"
)

// FS is a content-addressed blob store in a directory. It is safe for
// concurrent use, also by several processes sharing the directory: files
// are written under tmp/ and renamed into place, which is atomic, and the
// directory is synced after the rename so the new name survives a power cut.
type FS struct {
	dir string
	// syncDir makes a directory's entries durable (the package's syncDir;
	// tests record the calls).
	syncDir func(dir string) error
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
	sweepStaging(filepath.Join(dir, "tmp"))
	return &FS{dir: dir, syncDir: syncDir}, nil
}

// sweepStaging removes the temporary upload files in dir that no upload in
// progress holds: those of uploads cut short by a crash, a kill or a power
// cut, which nothing else would ever remove (up to the upload limit each).
// Every upload holds a lock on its file while it runs (lockStaged), so the
// uploads of another process sharing the directory are left alone however
// young or old. It is best effort: a file it cannot remove stays.
func sweepStaging(dir string) {
	names, err := filepath.Glob(filepath.Join(dir, "upload-*"))
	if err != nil {
		return
	}
	for _, name := range names {
		fi, err := os.Lstat(name)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			continue
		}
		if abandoned(f, fi) {
			_ = os.Remove(name)
		}
		f.Close()
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
	defer up.discard() // no-op once renamed
	dst := s.path(up.sum)
	if _, err := os.Stat(dst); err == nil {
		return up.sum, up.size, up.ctype, nil // already stored: deduplicated
	}
	created, err := s.mkdirs(filepath.Dir(dst))
	if err != nil {
		return "", 0, "", fmt.Errorf("blob store: %w", err)
	}
	if err := os.Rename(up.tmp, dst); err != nil {
		return "", 0, "", fmt.Errorf("blob store: store %s: %w", up.sum, err)
	}
	// The blob's directory records the new name; directories created for it
	// are recorded in their parents.
	for _, dir := range append([]string{filepath.Dir(dst)}, created...) {
		if err := s.syncDir(dir); err != nil {
			return "", 0, "", fmt.Errorf("blob store: sync %s: %w", dir, err)
		}
	}
	return up.sum, up.size, up.ctype, nil
}

// mkdirs creates dir (ab/cd under the store) and returns the parents whose
// entries changed because of it, deepest first.
func (s *FS) mkdirs(dir string) ([]string, error) {
	var created []string
	for d := dir; d != s.dir && len(d) > len(s.dir); d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		created = append(created, filepath.Dir(d))
	}
	return created, os.MkdirAll(dir, 0o750)
}

// upload is a received file, staged in a temporary file that stays open
// (and locked, so that no sweep removes it) until discard.
type upload struct {
	f               *os.File
	tmp, sum, ctype string
	size            int64
}

// discard removes the staged file (if it was not renamed away) and releases
// its lock.
func (u upload) discard() {
	os.Remove(u.tmp)
	u.f.Close()
}

// receive streams r into a new temporary file in dir, hashing and sniffing
// it on the way, and stops with kind TooLarge as soon as more than maxSize
// bytes arrive. On success the caller owns (and removes or renames) the
// temporary file; on failure nothing is left.
func receive(ctx context.Context, dir string, r io.Reader, maxSize int64) (upload, error) {
	tmp, err := createStaged(dir)
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
	return upload{f: tmp, tmp: tmp.Name(), sum: hex.EncodeToString(h.Sum(nil)), ctype: Sniff(head.buf), size: n}, nil
}

// createStaged creates a new staging file in dir and locks it. A sweep
// starting in another process may remove the file between its creation and
// the lock; the file is then no longer at its name, and another is made.
func createStaged(dir string) (*os.File, error) {
	for range 3 {
		f, err := os.CreateTemp(dir, "upload-*")
		if err != nil {
			return nil, err
		}
		if err := lockStaged(f); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
		}
		held, err1 := f.Stat()
		named, err2 := os.Stat(f.Name())
		if err1 == nil && err2 == nil && os.SameFile(held, named) {
			return f, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("staging files in %s keep disappearing", dir)
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
