//go:build unix

package main

import (
	"syscall"
	"time"
)

// processUsage is the user and system CPU time the process has used, and
// the bytes it has made the system read from and write to storage (the
// blocks of getrusage, 512 bytes each on Linux: reads served by the page
// cache do not count).
func processUsage() usage {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return usage{cpu: -1, in: -1, out: -1}
	}
	return usage{
		cpu: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		in:  int64(ru.Inblock) * 512,
		out: int64(ru.Oublock) * 512,
	}
}
