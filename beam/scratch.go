package reusebeam

import (
	"fmt"
	"os"
)

// ScratchTemp points the process's temporary folder (TMPDIR) at a new
// folder inside it for the run of a pipeline, and returns a function that
// removes that folder with what it holds and restores TMPDIR. Beam's
// runners in loopback mode (Prism's default among them) create an empty
// file "beamloopbackworker-*" in the temporary folder at every run and
// never remove it (apache/beam issue 27569): without this, each run of
// reuse-beam, and each test, would leave one behind.
func ScratchTemp() (restore func(), err error) {
	old, had := os.LookupEnv("TMPDIR")
	dir, err := os.MkdirTemp("", "reuse-beam-")
	if err != nil {
		return nil, fmt.Errorf("beam: temporary folder: %w", err)
	}
	if err := os.Setenv("TMPDIR", dir); err != nil {
		os.Remove(dir)
		return nil, fmt.Errorf("beam: temporary folder: %w", err)
	}
	return func() {
		if had {
			os.Setenv("TMPDIR", old)
		} else {
			os.Unsetenv("TMPDIR")
		}
		os.RemoveAll(dir)
	}, nil
}
