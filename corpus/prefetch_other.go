//go:build !linux

package corpus

func prefetch(string) {}
