package main

import (
	"bytes"
	"os"
	"strconv"
)

// residentMapped returns the bytes of the process's resident pages that
// are shared with files (the third field of /proc/self/statm: pages of
// mapped files and shared memory), 0 when it cannot tell.
func residentMapped() int64 {
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
