//go:build !unix

package mmap

import "os"

const maps = false

func mapFile(*os.File, int) ([]byte, func() error, bool) { return nil, nil, false }

func advise([]byte, bool) {}

func willNeed([]byte, int, int) {}

func mapAnonymous(int) ([]byte, func(), bool) { return nil, nil, false }
