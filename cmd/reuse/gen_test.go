package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenFlags(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full")
	if err := os.MkdirAll(filepath.Join(full, "corpus"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(full, "corpus", "x.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args       []string
		code       int
		stdout     string // substrings expected
		stderr     string
		wantCorpus bool
	}{
		{[]string{"gen", "--help"}, ExitOK, "EXIT STATUS", "", false},
		{[]string{"gen"}, ExitUsage, "", "needs --out", false},
		{[]string{"gen", filepath.Join(dir, "x")}, ExitUsage, "", "takes no arguments", false},
		{[]string{"gen", "--out", filepath.Join(dir, "a"), "--docs", "5", "--size", "1MB"}, ExitUsage, "", "choose one", false},
		{[]string{"gen", "--out", filepath.Join(dir, "a"), "--size", "lots"}, ExitUsage, "", `--size: bad size "lots"`, false},
		{[]string{"gen", "--out", filepath.Join(dir, "a"), "--docs", "-3"}, ExitUsage, "", "--docs -3", false},
		{[]string{"gen", "--out", filepath.Join(dir, "a"), "--seed", "x"}, ExitUsage, "", "invalid argument", false},
		{[]string{"gen", "--bogus"}, ExitUsage, "", "unknown flag: --bogus", false},
		{[]string{"gen", "--out", full, "--docs", "20"}, ExitUsage, "", "already holds files", false},
		{[]string{"gen", "--out", filepath.Join(dir, "ok"), "--docs", "20", "--seed", "3"}, ExitOK, "20 documents", "", true},
		{[]string{"gen", "--out", filepath.Join(dir, "small"), "--size", "50KB", "-q"}, ExitOK, "", "", true},
	}
	for _, tt := range tests {
		if !checkRun(t, tt.args, tt.code, tt.stdout, tt.stderr) {
			continue
		}
		if tt.wantCorpus {
			out := tt.args[2]
			if _, err := os.Stat(filepath.Join(out, "truth.json")); err != nil {
				t.Errorf("reuse %s: %v", strings.Join(tt.args, " "), err)
			}
		}
	}
	// -q prints nothing; the refused folder is untouched.
	if ents, _ := os.ReadDir(filepath.Join(full, "corpus")); len(ents) != 1 {
		t.Errorf("refused --out: corpus holds %d entries, want the 1 it had", len(ents))
	}
}

// The same seed gives the same corpus; --size asks for about that much text.
func TestGenSeedAndSize(t *testing.T) {
	dir := t.TempDir()
	gen := func(name string, args ...string) []byte {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"gen", "-q", "--out", filepath.Join(dir, name)}, args...), &stdout, &stderr); code != ExitOK {
			t.Fatalf("reuse gen %v: exit %d: %s", args, code, stderr.String())
		}
		b, err := os.ReadFile(filepath.Join(dir, name, "truth.json"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := gen("a", "--docs", "30", "--seed", "9"), gen("b", "--docs", "30", "--seed", "9"), gen("c", "--docs", "30", "--seed", "10")
	if !bytes.Equal(a, b) {
		t.Error("two corpora of seed 9 differ")
	}
	if bytes.Equal(a, c) {
		t.Error("corpora of seeds 9 and 10 are the same")
	}
	gen("s", "--size", "200KB")
	var total int64
	filepath.Walk(filepath.Join(dir, "s", "corpus"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			total += fi.Size()
		}
		return err
	})
	if total < 150e3 || total > 250e3 {
		t.Errorf("reuse gen --size 200KB wrote %d bytes, want about 200,000", total)
	}
}
