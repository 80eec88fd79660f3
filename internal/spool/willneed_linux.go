//go:build linux

package spool

import (
	"os"

	"golang.org/x/sys/unix"
)

// willNeed asks the system to start reading bytes [off, off+n) of f into
// the page cache (POSIX_FADV_WILLNEED) and returns without waiting.
func willNeed(f *os.File, off, n int64) {
	unix.Fadvise(int(f.Fd()), off, n, unix.FADV_WILLNEED)
}

// dontNeed drops bytes [off, off+n) of f from the page cache, for tests
// and benchmarks of cold reads.
func dontNeed(f *os.File, off, n int64) {
	unix.Fadvise(int(f.Fd()), off, n, unix.FADV_DONTNEED)
}
