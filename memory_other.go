//go:build !linux

package reuse

// systemMemory returns 0: unknown here.
func systemMemory() int64 { return 0 }
