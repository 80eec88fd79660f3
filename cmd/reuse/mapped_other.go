//go:build !linux

package main

import "github.com/reuse-tool/reuse/internal/mmap"

// residentMapped returns the size of the large arrays mapped from the
// system outside the Go heap (mmap.AnonymousBytes); the resident pages of
// mapped files are unknown here.
func residentMapped() int64 { return mmap.AnonymousBytes() }
