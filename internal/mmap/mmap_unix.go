//go:build unix

package mmap

import (
	"os"
	"syscall"
)

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
	advice := syscall.MADV_SEQUENTIAL
	if random {
		advice = syscall.MADV_RANDOM
	}
	syscall.Madvise(data, advice)
}

func willNeed(data []byte, off, end int) { syscall.Madvise(data[off:end], syscall.MADV_WILLNEED) }
