package blob

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// After renaming a blob into place, Put syncs the directory that holds the
// new name, and the parents of directories it created, so that an upload
// acknowledged to its client survives a power cut. The hook checks that
// the blob is in place when its directory is synced.
func TestPutSyncsDirectories(t *testing.T) {
	dir := t.TempDir()
	s, err := NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	var synced []string
	s.syncDir = func(d string) error {
		synced = append(synced, d)
		return syncDir(d)
	}
	// SHA-256("abc"): ba/78/ba7816bf….
	const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	sum, _, _, err := s.Put(context.Background(), strings.NewReader("abc"), 3)
	if err != nil || sum != abc {
		t.Fatalf("put: %s %v", sum, err)
	}
	leaf, shard := filepath.Join(dir, "ba", "78"), filepath.Join(dir, "ba")
	want := []string{leaf, shard, dir} // ba/78 got the name; ba/ got 78; the root got ba
	if strings.Join(synced, "|") != strings.Join(want, "|") {
		t.Errorf("synced %v, want %v", synced, want)
	}

	// The same content again is deduplicated: nothing renamed, nothing synced.
	synced = nil
	if _, _, _, err := s.Put(context.Background(), strings.NewReader("abc"), 3); err != nil {
		t.Fatal(err)
	}
	if len(synced) != 0 {
		t.Errorf("a deduplicated upload synced %v", synced)
	}
	if _, err := os.Stat(filepath.Join(leaf, abc)); err != nil {
		t.Fatal(err)
	}
}
