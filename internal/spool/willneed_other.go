//go:build !linux

package spool

import "os"

// willNeed does nothing here: reads wait for the disk as they come.
func willNeed(*os.File, int64, int64) {}

// dontNeed does nothing here.
func dontNeed(*os.File, int64, int64) {}
