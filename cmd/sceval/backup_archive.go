package main

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"strings"
	"time"
)

// A backup is a tar archive (gzip-compressed when its name ends in .gz or
// .tgz): manifest.json first, then the database (database/sceval.db, a
// SQLite snapshot, or database/sceval.json, the portable export of a
// PostgreSQL database), then every evidence file the database names at
// evidence/ab/cd/<sha256>, as the file store lays them out. The manifest
// lists every other entry with its size and SHA-256, so restore checks each
// byte before it uses it.
const (
	backupFormat      = "sceval-backup"
	backupVersion     = 1
	backupManifest    = "manifest.json"
	backupSQLiteEntry = "database/sceval.db"
	backupJSONEntry   = "database/sceval.json"
	backupEvidenceDir = "evidence/"
)

// manifest describes a backup archive.
type manifest struct {
	Format        string    `json:"format"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	Sceval        string    `json:"sceval"`
	Database      string    `json:"database"` // the source: sqlite or postgres
	SchemaVersion int       `json:"schema_version"`
	Evidence      int       `json:"evidence_files"`
	Files         []entry   `json:"files"`
}

// entry is one file of the archive after the manifest.
type entry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// evidencePath matches the archive path of an evidence file; the name is
// its content's hash, and the directories its first four hex digits.
var evidencePath = regexp.MustCompile(`^evidence/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})$`)

// evidenceEntry returns the archive path of an evidence file.
func evidenceEntry(sum string) string {
	return backupEvidenceDir + sum[:2] + "/" + sum[2:4] + "/" + sum
}

// checkManifest refuses a manifest this sceval cannot restore, or one whose
// paths are anything but the database and evidence entries (no path leaves
// the target directories, whatever the archive says).
func checkManifest(m manifest) error {
	if m.Format != backupFormat {
		return fmt.Errorf("manifest: format %q, want %q (is this an sceval backup?)", m.Format, backupFormat)
	}
	if m.Version != backupVersion {
		return fmt.Errorf("manifest: layout version %d, this sceval reads %d", m.Version, backupVersion)
	}
	dbs, seen := 0, map[string]bool{}
	for _, e := range m.Files {
		if seen[e.Path] {
			return fmt.Errorf("manifest: %s listed twice", e.Path)
		}
		seen[e.Path] = true
		switch {
		case e.Path == backupSQLiteEntry || e.Path == backupJSONEntry:
			dbs++
		case evidencePath.MatchString(e.Path):
			sub := evidencePath.FindStringSubmatch(e.Path)
			if sub[3][:2] != sub[1] || sub[3][2:4] != sub[2] || sub[3] != e.SHA256 {
				return fmt.Errorf("manifest: %s is not where its hash %s belongs", e.Path, e.SHA256)
			}
		default:
			return fmt.Errorf("manifest: unexpected entry %q", e.Path)
		}
		if e.Size < 0 || len(e.SHA256) != 64 {
			return fmt.Errorf("manifest: %s: bad size or checksum", e.Path)
		}
	}
	if dbs != 1 {
		return fmt.Errorf("manifest: %d database entries, want 1", dbs)
	}
	return nil
}

// archiveWriter writes a backup archive to a file.
type archiveWriter struct {
	f  *os.File
	bw *bufio.Writer
	gz *gzip.Writer
	tw *tar.Writer
}

// compressed reports whether a backup file name asks for gzip.
func compressed(name string) bool {
	return strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".tgz")
}

// newArchiveWriter creates the archive file (which must not exist).
func newArchiveWriter(name string, gzipped bool) (*archiveWriter, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	a := &archiveWriter{f: f, bw: bufio.NewWriterSize(f, 1<<20)}
	var w io.Writer = a.bw
	if gzipped {
		a.gz = gzip.NewWriter(a.bw)
		w = a.gz
	}
	a.tw = tar.NewWriter(w)
	return a, nil
}

// add writes one entry of the given size from r, checking that r holds
// exactly size bytes with the given SHA-256 (empty: not checked).
func (a *archiveWriter) add(name string, size int64, sum string, r io.Reader) error {
	hdr := &tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: time.Now().UTC().Truncate(time.Second), Format: tar.FormatPAX}
	if err := a.tw.WriteHeader(hdr); err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(a.tw, h), io.LimitReader(r, size+1))
	if err != nil {
		return err
	}
	if n != size {
		return fmt.Errorf("%s changed while being copied (%d bytes, expected %d)", name, n, size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); sum != "" && got != sum {
		return fmt.Errorf("%s: content has SHA-256 %s, expected %s (damaged file?)", name, got, sum)
	}
	return nil
}

// close finishes the archive and makes it durable.
func (a *archiveWriter) close() error {
	err := a.tw.Close()
	if a.gz != nil {
		err = errors.Join(err, a.gz.Close())
	}
	err = errors.Join(err, a.bw.Flush(), a.f.Sync(), a.f.Close())
	return err
}

// archiveReader reads a backup archive entry by entry.
type archiveReader struct {
	f  *os.File
	tr *tar.Reader
}

// openArchive opens a backup, recognising gzip by its magic bytes.
func openArchive(name string) (*archiveReader, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		r = gz
	}
	return &archiveReader{f: f, tr: tar.NewReader(r)}, nil
}

// manifest reads the first entry, which must be the manifest.
func (a *archiveReader) manifest() (manifest, error) {
	var m manifest
	hdr, err := a.tr.Next()
	if err != nil {
		return m, fmt.Errorf("not an sceval backup (no tar entry): %w", err)
	}
	if hdr.Name != backupManifest {
		return m, fmt.Errorf("not an sceval backup: first entry is %q, not %s", hdr.Name, backupManifest)
	}
	if err := json.NewDecoder(io.LimitReader(a.tr, 64<<20)).Decode(&m); err != nil {
		return m, fmt.Errorf("%s: %w", backupManifest, err)
	}
	return m, checkManifest(m)
}

// next returns the next entry, which the manifest must list; io.EOF at the
// end.
func (a *archiveReader) next(byPath map[string]entry) (entry, io.Reader, error) {
	hdr, err := a.tr.Next()
	if err != nil {
		return entry{}, nil, err
	}
	e, ok := byPath[path.Clean(hdr.Name)]
	if !ok || hdr.Name != e.Path || hdr.Typeflag != tar.TypeReg {
		return entry{}, nil, fmt.Errorf("archive entry %q is not in the manifest", hdr.Name)
	}
	if hdr.Size != e.Size {
		return entry{}, nil, fmt.Errorf("archive entry %s: %d bytes, manifest says %d", e.Path, hdr.Size, e.Size)
	}
	return e, a.tr, nil
}

// hashFile returns a file's size and SHA-256.
func hashFile(name string) (int64, string, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return n, hex.EncodeToString(h.Sum(nil)), err
}
