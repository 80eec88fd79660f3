//go:build unix

package spool

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// mapFile maps size bytes of f read-only, or returns nil when it cannot.
func mapFile(f *os.File, size int64) []byte {
	if size <= 0 || int64(int(size)) != size {
		return nil
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil
	}
	return data
}

func unmapFile(data []byte) {
	if data != nil {
		syscall.Munmap(data)
	}
}

// releaseMapped drops the mapped pages from the process (they stay in the
// page cache, and come back on the next read): its resident memory no
// longer counts them.
func releaseMapped(data []byte) {
	if data != nil {
		unix.Madvise(data, unix.MADV_DONTNEED)
	}
}
