//go:build unix

package mmap

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

const maps = true

func mapFile(f *os.File, size int) ([]byte, func() error, bool) {
	data, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, false
	}
	return data, func() error { return syscall.Munmap(data) }, true
}

func advise(data []byte, random bool) {
	if len(data) == 0 {
		return
	}
	advice := unix.MADV_SEQUENTIAL
	if random {
		advice = unix.MADV_RANDOM
	}
	unix.Madvise(data, advice)
}

func willNeed(data []byte, off, end int) { unix.Madvise(data[off:end], unix.MADV_WILLNEED) }

func mapAnonymous(n int) ([]byte, func(), bool) {
	data, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil, nil, false
	}
	return data, func() { unix.Munmap(data) }, true
}
