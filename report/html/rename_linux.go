//go:build linux

package html

import "golang.org/x/sys/unix"

// exchangeDirs swaps the folders a and b in one step (renameat2 with
// RENAME_EXCHANGE), so that b is never missing.
func exchangeDirs(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
