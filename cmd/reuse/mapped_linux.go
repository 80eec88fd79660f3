package main

import (
	"bytes"
	"os"
	"strconv"

	"github.com/reuse-tool/reuse/internal/mmap"
)

// residentMapped returns the bytes of the process's resident pages that
// are shared with files (the third field of /proc/self/statm: pages of
// mapped files and shared memory; none when it cannot tell), and the
// size of the large arrays mapped from the system outside the Go heap
// (mmap.AnonymousBytes, counted whole: at most that is resident).
func residentMapped() int64 {
	return residentShared() + mmap.AnonymousBytes()
}

// residentShared is the first part of residentMapped.
func residentShared() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0
	}
	n, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return 0
	}
	return n * int64(os.Getpagesize())
}
