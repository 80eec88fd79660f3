//go:build !unix

package main

// processUsage is unknown here: timings give wall-clock time only.
func processUsage() usage { return usage{cpu: -1, in: -1, out: -1} }
