//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package blob

import (
	"errors"
	"os"
	"syscall"
)

// lockStaged takes an exclusive advisory lock on a staged upload for as
// long as f stays open. The kernel drops it when the process dies, so a
// staging file nobody holds a lock on belongs to an upload that ended
// without cleaning up (a crash, a kill, a power cut).
func lockStaged(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// abandoned reports whether the staging file f (opened by the sweeper) is
// no upload in progress: it can take the lock that every live upload holds.
// The lock it takes lasts until f is closed, after the file is removed.
func abandoned(f *os.File, _ os.FileInfo) bool {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	return err == nil || !errors.Is(err, syscall.EWOULDBLOCK)
}

// syncDir flushes a directory's entries (a rename into it, a new
// subdirectory) to disk: fsync on the file alone does not make its new name
// durable, so without this a power cut after an upload is acknowledged can
// lose the blob although the database recorded it.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
