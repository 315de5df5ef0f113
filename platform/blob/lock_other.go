//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package blob

import (
	"os"
	"time"
)

// staleUpload is, where the system has no flock, how old a staging file
// must be before it counts as abandoned: far longer than any upload takes,
// so that uploads in progress in another process are left alone.
const staleUpload = 24 * time.Hour

// lockStaged does nothing where the system has no flock.
func lockStaged(*os.File) error { return nil }

// abandoned falls back to the file's age where the system has no flock.
func abandoned(_ *os.File, fi os.FileInfo) bool {
	return fi.ModTime().Before(time.Now().Add(-staleUpload))
}

// syncDir does nothing: directories cannot be synced this way here.
func syncDir(string) error { return nil }
