package blob

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Collection is what Collect found: blobs still referenced, orphans
// removed (or, in a dry run, that would be removed) and orphans left
// because they are younger than the grace period.
type Collection struct {
	Referenced      int   `json:"referenced"`
	ReferencedBytes int64 `json:"referenced_bytes"`
	Orphans         int   `json:"orphans"`
	OrphanBytes     int64 `json:"orphan_bytes"`
	Young           int   `json:"young"`
	YoungBytes      int64 `json:"young_bytes"`
	DryRun          bool  `json:"dry_run"`
}

// Collect removes the blobs for which referenced returns false: files no
// evidence row names, left by uploads whose database insert failed, by
// deletions, or by a database restored from an older backup. Blobs modified
// after notAfter are kept whatever referenced says: an upload stores its
// blob before it inserts the row that names it, so a blob younger than any
// upload takes may simply not be named yet. With dryRun nothing is removed
// and the counts say what would be. Files that are not blobs (anything but
// ab/cd/abcd… with a hex SHA-256 name) and the staging directory tmp/ are
// left alone.
func (s *FS) Collect(ctx context.Context, referenced func(sum string) bool, notAfter time.Time, dryRun bool) (Collection, error) {
	c := Collection{DryRun: dryRun}
	err := filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			if path != s.dir && filepath.Dir(path) == s.dir && d.Name() == "tmp" {
				return filepath.SkipDir
			}
			return nil
		}
		sum := d.Name()
		if !d.Type().IsRegular() || !validSum(sum) || s.path(sum) != path {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case referenced(sum):
			c.Referenced++
			c.ReferencedBytes += fi.Size()
		case fi.ModTime().After(notAfter):
			c.Young++
			c.YoungBytes += fi.Size()
		default:
			if !dryRun {
				if err := os.Remove(path); err != nil {
					return err
				}
			}
			c.Orphans++
			c.OrphanBytes += fi.Size()
		}
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("blob store %s: collect: %w", s.dir, err)
	}
	return c, nil
}
