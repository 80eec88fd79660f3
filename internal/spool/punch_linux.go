//go:build linux

package spool

import (
	"os"

	"golang.org/x/sys/unix"
)

// punchHole frees the disk space of bytes [off, off+n) of f, and their
// pages in the page cache; they read as zeros after. Best effort: file
// systems that cannot punch holes keep the bytes.
func punchHole(f *os.File, off, n int64) {
	unix.Fallocate(int(f.Fd()), unix.FALLOC_FL_PUNCH_HOLE|unix.FALLOC_FL_KEEP_SIZE, off, n)
}
