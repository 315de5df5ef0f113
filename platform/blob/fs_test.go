package blob_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
)

func TestPutOpenDedupe(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := blob.NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	// SHA-256("abc") from FIPS 180-2, Appendix B.1.
	const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	for range 2 {
		sum, n, ctype, err := s.Put(ctx, strings.NewReader("abc"), 3)
		if err != nil || sum != abc || n != 3 || ctype != "text/plain; charset=utf-8" {
			t.Fatalf("put: %s %d %s %v", sum, n, ctype, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "ba", "78", abc)); err != nil {
		t.Fatalf("sharded path: %v", err)
	}
	if tmp, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(tmp) != 0 {
		t.Fatalf("temporary files left: %v", tmp)
	}
	rc, err := s.Open(ctx, abc)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if string(got) != "abc" {
		t.Fatalf("content %q", got)
	}
	_, err = s.Open(ctx, strings.Repeat("0", 64))
	if platform.ErrorKindOf(err) != platform.NotFound {
		t.Fatalf("missing blob: %v", err)
	}
	_, err = s.Open(ctx, "../../etc/passwd")
	if platform.ErrorKindOf(err) != platform.Invalid {
		t.Fatalf("bad hash: %v", err)
	}
}

// endless yields zeros forever and counts what was read.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	clear(p)
	e.n += int64(len(p))
	return len(p), nil
}

func TestPutStopsAtLimitWhileStreaming(t *testing.T) {
	dir := t.TempDir()
	s, _ := blob.NewFS(dir)
	src := &endless{}
	_, _, _, err := s.Put(context.Background(), src, 1<<20)
	if platform.ErrorKindOf(err) != platform.TooLarge {
		t.Fatalf("err = %v, want too_large", err)
	}
	if src.n > 1<<20+64<<10 {
		t.Fatalf("read %d bytes from an endless source: limit not enforced while streaming", src.n)
	}
	entries, _ := os.ReadDir(dir)
	tmp, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if len(entries) != 1 || len(tmp) != 0 {
		t.Fatalf("left behind: %v, tmp %v", entries, tmp)
	}
	if _, _, _, err := s.Put(context.Background(), bytes.NewReader(make([]byte, 1<<20)), 1<<20); err != nil {
		t.Fatalf("exactly at the limit: %v", err)
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		head []byte
		want string
	}{
		{[]byte("%PDF-1.7\n"), "application/pdf"},
		{[]byte("\x89PNG\r\n\x1a\n\x00\x00"), "image/png"},
		{[]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0}, "application/x-ole-storage"},
		{append([]byte("PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x11\x00\x00\x00"), "word/document.xml"...),
			"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{[]byte("PK\x03\x04rest"), "application/zip"},
	} {
		if got := blob.Sniff(tc.head); got != tc.want {
			t.Errorf("Sniff(%q) = %q, want %q", tc.head[:8], got, tc.want)
		}
	}
}

// Temporary files of uploads cut short by a crash are removed as soon as
// a store opens the directory again, however young; an upload in progress
// (here in this process, as it could be in another sharing the directory)
// holds a lock on its file, keeps it and completes.
func TestNewFSRemovesPartialUploads(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := blob.NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "tmp")
	crashed, other := filepath.Join(tmp, "upload-1"), filepath.Join(tmp, "notes.txt")
	for _, f := range []string{crashed, other} {
		if err := os.WriteFile(f, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// An upload in progress: the first write returns once Put reads it,
	// after Put has created and locked its staging file.
	pr, pw := io.Pipe()
	type result struct {
		sum string
		err error
	}
	done := make(chan result, 1)
	go func() {
		sum, _, _, err := s.Put(ctx, pr, 1<<20)
		done <- result{sum, err}
	}()
	if _, err := pw.Write([]byte("first half, ")); err != nil {
		t.Fatal(err)
	}

	if _, err := blob.NewFS(dir); err != nil { // a restart, or a second process
		t.Fatal(err)
	}
	if _, err := os.Stat(crashed); !os.IsNotExist(err) {
		t.Errorf("the crashed upload's partial file is still there: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a file that is no upload was removed: %v", err)
	}
	if staged, _ := filepath.Glob(filepath.Join(tmp, "upload-*")); len(staged) != 1 {
		t.Errorf("staging files %v, want the one of the upload in progress", staged)
	}

	if _, err := pw.Write([]byte("second half")); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	r := <-done
	if r.err != nil {
		t.Fatalf("the upload in progress failed: %v", r.err)
	}
	rc, err := s.Open(ctx, r.sum)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if string(got) != "first half, second half" {
		t.Errorf("stored %q", got)
	}
}

// Collect removes the blobs no evidence names, once older than the grace
// period; a dry run only counts them; the staging directory and files that
// are not blobs are left alone.
func TestCollect(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := blob.NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	put := func(content string) string {
		sum, _, _, err := s.Put(ctx, strings.NewReader(content), 1<<10)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	kept, orphan, young := put("referenced"), put("orphan!"), put("young orphan")
	old := time.Now().Add(-2 * time.Hour)
	for _, sum := range []string{kept, orphan} {
		if err := os.Chtimes(filepath.Join(dir, sum[:2], sum[2:4], sum), old, old); err != nil {
			t.Fatal(err)
		}
	}
	stray := filepath.Join(dir, "README")
	if err := os.WriteFile(stray, []byte("not a blob"), 0o600); err != nil {
		t.Fatal(err)
	}
	referenced := func(sum string) bool { return sum == kept }
	cutoff := time.Now().Add(-time.Hour)

	want := blob.Collection{Referenced: 1, ReferencedBytes: 10, Orphans: 1, OrphanBytes: 7, Young: 1, YoungBytes: 12, DryRun: true}
	if got, err := s.Collect(ctx, referenced, cutoff, true); err != nil || got != want {
		t.Fatalf("dry run: %+v, %v; want %+v", got, err, want)
	}
	if _, err := s.Open(ctx, orphan); err != nil {
		t.Fatalf("a dry run removed the orphan: %v", err)
	}
	want.DryRun = false
	if got, err := s.Collect(ctx, referenced, cutoff, false); err != nil || got != want {
		t.Fatalf("collect: %+v, %v; want %+v", got, err, want)
	}
	if _, err := s.Open(ctx, orphan); platform.ErrorKindOf(err) != platform.NotFound {
		t.Errorf("orphan still stored: %v", err)
	}
	for _, sum := range []string{kept, young} {
		if _, err := s.Open(ctx, sum); err != nil {
			t.Errorf("blob %s removed: %v", sum[:8], err)
		}
	}
	if _, err := os.Stat(stray); err != nil {
		t.Errorf("a file that is no blob was removed: %v", err)
	}
}
