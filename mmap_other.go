//go:build !unix

package reuse

import "os"

// mapFile maps nothing here: the seed store reads with pread.
func mapFile(*os.File, int64) []byte { return nil }

func unmapFile([]byte) {}
