//go:build !unix

package spool

import "os"

// mapFile maps nothing here: records are read with pread.
func mapFile(*os.File, int64) []byte { return nil }

func unmapFile([]byte) {}

func releaseMapped([]byte) {}
