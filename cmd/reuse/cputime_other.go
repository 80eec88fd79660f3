//go:build !unix

package main

import "time"

// processCPU is unknown here: timings give wall-clock time only.
func processCPU() time.Duration { return -1 }
