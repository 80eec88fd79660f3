//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/reuse-tool/reuse/eval/gen"
)

var bigCorpus struct {
	once sync.Once
	dir  string
	err  error
}

// generatedCorpus returns a generated corpus of 30 MB, which takes a few
// seconds to scan (3 s with 2 CPUs, 10 s with --html), written once for
// all the tests of the run and removed after them.
func generatedCorpus(t *testing.T) string {
	t.Helper()
	bigCorpus.once.Do(func() {
		dir, err := os.MkdirTemp("", "reuse-signal-test-")
		if err != nil {
			bigCorpus.err = err
			return
		}
		_, bigCorpus.err = gen.Generate(context.Background(), dir, gen.Config{Seed: 1, Size: 30 << 20})
		bigCorpus.dir = dir
		afterTests = append(afterTests, func() { os.RemoveAll(dir) })
	})
	if bigCorpus.err != nil {
		t.Fatal(bigCorpus.err)
	}
	return filepath.Join(bigCorpus.dir, "corpus")
}

// interrupted runs a scan of corpus in a child process writing -o and
// --html into a fresh folder, sends sig after delay (or, when delay is
// negative, once the HTML report is being written) and waits. It returns
// the exit error, how long the child took to exit after the signal, and
// the output folder and the child's temporary folder; ok is false when the
// scan ended before the signal (a machine faster than this test expects).
func interrupted(t *testing.T, corpus string, sig syscall.Signal, delay time.Duration, twice bool) (waitErr error, took time.Duration, out, tmp string, ok bool) {
	t.Helper()
	out, tmp = t.TempDir(), t.TempDir()
	cmd := command(t, "scan", corpus, "--format", "json",
		"-o", filepath.Join(out, "result.json"), "--html", filepath.Join(out, "report"))
	cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	if delay >= 0 {
		time.Sleep(delay)
	} else {
		// Wait for the temporary folder of the HTML report.
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if m, _ := filepath.Glob(filepath.Join(out, ".report.tmp*")); len(m) > 0 {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("the HTML report was never begun; stderr %q", stderr.String())
			}
		}
	}
	select {
	case err := <-done:
		t.Logf("the scan ended (%v) before %v after %v; stderr %q", err, sig, delay, stderr.String())
		return err, 0, out, tmp, false
	default:
	}
	sent := time.Now()
	cmd.Process.Signal(sig)
	if twice {
		time.Sleep(100 * time.Millisecond)
		cmd.Process.Signal(sig)
	}
	select {
	case waitErr = <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("no exit 30 s after %v", sig)
	}
	took = time.Since(sent)
	t.Logf("%v after %v: %v %v later; stderr %q", sig, delay, waitErr, took, stderr.String())
	return waitErr, took, out, tmp, true
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err == nil {
		return 0
	}
	return -2
}

// TestInterrupt: SIGINT or SIGTERM during a scan ends it promptly with exit
// status 130, and leaves no output, partial or temporary, behind.
func TestInterrupt(t *testing.T) {
	corpus := generatedCorpus(t)
	tests := []struct {
		sig   syscall.Signal
		delay time.Duration
	}{
		{syscall.SIGINT, 500 * time.Millisecond}, // reading
		{syscall.SIGTERM, 1200 * time.Millisecond},
		{syscall.SIGINT, 1800 * time.Millisecond}, // aligning, on 2 CPUs
	}
	if testing.Short() {
		tests = tests[:1]
	}
	for _, tt := range tests {
		err, took, out, tmp, ok := interrupted(t, corpus, tt.sig, tt.delay, false)
		if !ok {
			continue
		}
		if code := exitCode(err); code != ExitInterrupted {
			t.Errorf("%v after %v: exit %d (%v), want %d", tt.sig, tt.delay, code, err, ExitInterrupted)
		}
		if took > 5*time.Second {
			t.Errorf("%v after %v: exit %v later, want at most 5 s", tt.sig, tt.delay, took)
		}
		if names := listDir(t, out); len(names) > 0 {
			t.Errorf("%v after %v: output folder holds %q, want nothing", tt.sig, tt.delay, names)
		}
		if names := listDir(t, tmp); len(names) > 0 {
			t.Errorf("%v after %v: temporary folder holds %q, want nothing", tt.sig, tt.delay, names)
		}
	}
}

// TestInterruptWritingHTML: a signal while the HTML report is written
// should end the command as promptly as one during the scan.
func TestInterruptWritingHTML(t *testing.T) {
	err, took, out, _, ok := interrupted(t, generatedCorpus(t), syscall.SIGINT, -1, false)
	if !ok {
		t.Skip("the scan was too fast")
	}
	if code := exitCode(err); code != ExitInterrupted || took > 2*time.Second {
		t.Errorf("SIGINT while writing HTML: exit %d after %v, want %d within 2 s", code, took, ExitInterrupted)
	}
	if names := listDir(t, out); len(names) > 0 {
		t.Errorf("output folder holds %q, want nothing", names)
	}
}

// TestSecondSignal: while the first signal waits for a step that cannot
// be stopped (the HTML report), a second one ends the process at once.
func TestSecondSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("scans 30 MB to the end")
	}
	err, took, _, _, ok := interrupted(t, generatedCorpus(t), syscall.SIGINT, -1, true)
	if !ok {
		t.Skip("the scan was too fast")
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("two SIGINTs while writing HTML: %v, want the process killed by SIGINT", err)
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	killed := ok && ws.Signaled() && ws.Signal() == syscall.SIGINT
	if !killed && ee.ExitCode() != ExitInterrupted {
		t.Errorf("two SIGINTs while writing HTML: %v, want killed by SIGINT or exit %d", err, ExitInterrupted)
	}
	if took > 2*time.Second {
		t.Errorf("two SIGINTs while writing HTML: exit %v after the first, want at once", took)
	}
}
