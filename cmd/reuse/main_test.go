package main

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// mainEnv, set in a child's environment, makes the test binary run main
// instead of the tests: the tests that need a process of their own (stdin,
// signals) start it with command.
const mainEnv = "REUSE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		main()
		return
	}
	code := m.Run()
	for _, f := range afterTests {
		f()
	}
	os.Exit(code)
}

// afterTests are run once all tests are done (removing files shared by
// several tests).
var afterTests []func()

// command returns a command that runs reuse with args in a process of its
// own (the test binary, running main).
func command(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	return cmd
}

// cli runs reuse with args in this process and returns its exit code and
// output.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// checkRun runs reuse with args and reports an exit code other than code,
// or a standard output or error lacking wantOut or wantErr. It reports
// whether the exit code was right.
func checkRun(t *testing.T, args []string, code int, wantOut, wantErr string) bool {
	t.Helper()
	got, stdout, stderr := cli(t, args...)
	cmd := strings.Join(args, " ")
	if got != code {
		t.Errorf("reuse %s: exit %d, want %d\nstderr: %s", cmd, got, code, stderr)
		return false
	}
	if !strings.Contains(stdout, wantOut) {
		t.Errorf("reuse %s: stdout %q, want it to contain %q", cmd, stdout, wantOut)
	}
	if !strings.Contains(stderr, wantErr) {
		t.Errorf("reuse %s: stderr %q, want it to contain %q", cmd, stderr, wantErr)
	}
	return true
}

// corpusDir is the example corpus, from this package's folder.
const corpusDir = "../../testdata/corpus"

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		// want are strings stdout must hold; stderr when stdout is not
		// where the text belongs.
		stdout, stderr []string
	}{
		{nil, ExitUsage, nil, []string{"usage: reuse <command>", "Commands:", "EXIT STATUS"}},
		{[]string{"--help"}, ExitOK, []string{"usage: reuse <command>", "scan", "compare", "EXIT STATUS", "130"}, nil},
		{[]string{"-h"}, ExitOK, []string{"usage: reuse <command>", "EXIT STATUS"}, nil},
		{[]string{"help"}, ExitOK, []string{"usage: reuse <command>", "EXIT STATUS"}, nil},
		{[]string{"scan", "--help"}, ExitOK, []string{"usage: reuse scan", "Examples:", "EXIT STATUS", "130"}, nil},
		{[]string{"scan", "-h"}, ExitOK, []string{"usage: reuse scan", "EXIT STATUS"}, nil},
		{[]string{"compare", "--help"}, ExitOK, []string{"usage: reuse compare", "EXIT STATUS"}, nil},
		// reuse help CMD is CMD --help.
		{[]string{"help", "scan"}, ExitOK, []string{"usage: reuse scan", "--min-words", "EXIT STATUS"}, nil},
		{[]string{"help", "compare"}, ExitOK, []string{"usage: reuse compare"}, nil},
		{[]string{"help", "gen"}, ExitOK, []string{"usage: reuse gen"}, nil},
		{[]string{"help", "eval"}, ExitOK, []string{"usage: reuse eval"}, nil},
		{[]string{"help", "completion"}, ExitOK, []string{"usage: reuse completion"}, nil},
		{[]string{"help", "frob"}, ExitUsage, nil, []string{`unknown command "frob"`}},
		{[]string{"--version"}, ExitOK, []string{"reuse ", runtime.Version()}, nil},
		{[]string{"version"}, ExitOK, []string{"reuse ", runtime.Version()}, nil},
	}
	for _, tt := range tests {
		code, stdout, stderr := cli(t, tt.args...)
		if code != tt.code {
			t.Errorf("reuse %q: exit %d, want %d (stderr %q)", tt.args, code, tt.code, stderr)
		}
		for _, w := range tt.stdout {
			if !strings.Contains(stdout, w) {
				t.Errorf("reuse %q: stdout lacks %q:\n%s", tt.args, w, stdout)
			}
		}
		for _, w := range tt.stderr {
			if !strings.Contains(stderr, w) {
				t.Errorf("reuse %q: stderr lacks %q:\n%s", tt.args, w, stderr)
			}
		}
		if tt.code == ExitOK && stderr != "" {
			t.Errorf("reuse %q: stderr %q, want nothing", tt.args, stderr)
		}
		if tt.code != ExitOK && stdout != "" {
			t.Errorf("reuse %q: stdout %q, want nothing", tt.args, stdout)
		}
	}
}

// TestHelpExitStatus: each command's help lists the exit codes it can
// return, and no other: gen skips no inputs, eval's 1 means no document
// of the truth was found.
func TestHelpExitStatus(t *testing.T) {
	skipped := "1    finished, but some inputs or records were skipped"
	tests := []struct {
		command     string
		want, wantN string // wantN must not appear
	}{
		{"scan", skipped, "none of the truth"},
		{"compare", skipped, "none of the truth"},
		{"gen", "130", "  1    "},
		{"eval", "1    the result holds none of the truth's documents", skipped},
	}
	for _, tt := range tests {
		_, stdout, _ := cli(t, tt.command, "--help")
		_, block, ok := strings.Cut(stdout, "EXIT STATUS\n")
		if !ok || !strings.Contains(block, tt.want) || strings.Contains(block, tt.wantN) || !strings.Contains(block, "  2    bad command line") {
			t.Errorf("reuse %s --help: exit status block %q, want %q and not %q", tt.command, block, tt.want, tt.wantN)
		}
	}
}

// TestCompareHelpScanOnly: compare --help lists no flag that does nothing
// for two documents.
func TestCompareHelpScanOnly(t *testing.T) {
	_, stdout, _ := cli(t, "compare", "--help")
	for _, flag := range []string{"--html-top", "--max-df", "--id-field", "--workers", "--memory", "--top", "--exclude", "--include"} {
		if strings.Contains(stdout, flag) {
			t.Errorf("reuse compare --help lists %s, which only scan uses", flag)
		}
		if code, _, _ := cli(t, "compare", flag, "1", "a", "b"); code != ExitUsage {
			t.Errorf("reuse compare %s: exit %d, want %d (unknown flag)", flag, code, ExitUsage)
		}
	}
}

// TestHelpListsEveryFlag: every command's --help shows each of its flags.
func TestHelpListsEveryFlag(t *testing.T) {
	for _, command := range []string{"scan", "compare", "gen", "eval"} {
		fs := commandFlags(command)
		_, stdout, _ := cli(t, command, "--help")
		fs.VisitAll(func(f *pflag.Flag) {
			if !strings.Contains(stdout, "--"+f.Name) {
				t.Errorf("reuse %s --help does not list --%s", command, f.Name)
			}
			if f.Shorthand != "" && !strings.Contains(stdout, "-"+f.Shorthand+", --"+f.Name) {
				t.Errorf("reuse %s --help does not list -%s for --%s", command, f.Shorthand, f.Name)
			}
		})
	}
}

// TestBadCommandLine: every mistake exits 2 with a message naming the
// problem, on stderr, and writes nothing to stdout.
func TestBadCommandLine(t *testing.T) {
	tests := []struct {
		args []string
		want []string // in stderr
	}{
		{[]string{"frob"}, []string{`unknown command "frob"`, "usage: reuse <command>"}},
		{[]string{"--bogus"}, []string{`unknown command "--bogus"`}},
		{[]string{"scan"}, []string{"PATH"}},
		{[]string{"scan", "--bogus", corpusDir}, []string{"--bogus"}},
		{[]string{"scan", "-z", corpusDir}, []string{"-z"}},
		{[]string{"scan", "--format", "xml", corpusDir}, []string{`"xml"`, "--format"}},
		{[]string{"scan", "--format"}, []string{"--format"}},
		{[]string{"scan", "--threshold", "2", corpusDir}, []string{"threshold"}},
		{[]string{"scan", "--threshold", "-0.5", corpusDir}, []string{"threshold"}},
		{[]string{"scan", "--threshold", "abc", corpusDir}, []string{"threshold", "abc"}},
		{[]string{"scan", "--threshold", "NaN", corpusDir}, []string{"threshold"}},
		{[]string{"scan", "--max-bytes", "abc", corpusDir}, []string{"--max-bytes", "abc"}},
		{[]string{"scan", "--max-bytes", "0", corpusDir}, []string{"--max-bytes"}},
		{[]string{"scan", "--max-bytes", "-5MB", corpusDir}, []string{"--max-bytes"}},
		{[]string{"scan", "--max-bytes", "12XB", corpusDir}, []string{"--max-bytes"}},
		{[]string{"scan", "--max-bytes", "99999999TB", corpusDir}, []string{"--max-bytes"}},
		{[]string{"scan", "--min-words", "-3", corpusDir}, []string{"min-words"}},
		{[]string{"scan", "--max-df", "1", corpusDir}, []string{"max-df"}},
		{[]string{"scan", "--shingle", "100", corpusDir}, []string{"shingle"}},
		{[]string{"scan", "--window", "5000", corpusDir}, []string{"window"}},
		{[]string{"scan", "--workers", "many", corpusDir}, []string{"--workers"}},
		// 0 is not a default in disguise: each is refused, naming the range.
		{[]string{"scan", "--min-words", "0", corpusDir}, []string{"--min-words 0", "at least 1"}},
		{[]string{"scan", "--shingle", "0", corpusDir}, []string{"--shingle 0", "1 to 64"}},
		{[]string{"scan", "--window", "0", corpusDir}, []string{"--window 0", "1 to 1024"}},
		{[]string{"scan", "--threshold", "0", corpusDir}, []string{"--threshold 0", "above 0"}},
		{[]string{"scan", "--max-df", "0", corpusDir}, []string{"--max-df 0", "at least 2"}},
		{[]string{"scan", "--workers", "-3", corpusDir}, []string{"--workers -3", "0 for one per CPU"}},
		{[]string{"scan", "--top", "-1", corpusDir}, []string{"--top -1"}},
		{[]string{"scan", "--html-top", "-1", corpusDir}, []string{"--html-top -1"}},
		{[]string{"compare", "--min-words", "0", "a.txt", "b.txt"}, []string{"--min-words 0"}},
		{[]string{"compare", corpusDir, corpusDir + "/wire/briefs.jsonl"}, []string{"is a folder", "reuse scan"}},
		{[]string{"compare", corpusDir + "/wire/briefs.jsonl", corpusDir + "/gazette/2024-03-06-school-roof.txt"}, []string{"exactly two documents", "hold"}},
		{[]string{"help", "frob"}, []string{`unknown command "frob"`}},
		{[]string{"completion", "tcsh"}, []string{`unknown shell "tcsh"`}},
		{[]string{"compare"}, []string{"two documents"}},
		{[]string{"compare", "a.txt"}, []string{"two documents"}},
		{[]string{"compare", "a.txt", "b.txt", "c.txt"}, []string{"two documents"}},
	}
	for _, tt := range tests {
		code, stdout, stderr := cli(t, tt.args...)
		if code != ExitUsage {
			t.Errorf("reuse %q: exit %d, want %d (stderr %q)", tt.args, code, ExitUsage, stderr)
		}
		if stdout != "" {
			t.Errorf("reuse %q: stdout %q, want nothing", tt.args, stdout)
		}
		for _, w := range tt.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("reuse %q: stderr %q does not name %q", tt.args, stderr, w)
			}
		}
		if strings.Contains(stderr, "usage: usage") || strings.Contains(stderr, "reuse: reuse:") ||
			strings.HasPrefix(stderr, "reuse: usage: ") {
			t.Errorf("reuse %q: stderr %q stutters", tt.args, stderr)
		}
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64 // 0: an error
	}{
		{"1", 1}, {"1048576", 1 << 20}, {"200MB", 200e6}, {"200mb", 200e6}, {"200MiB", 200 << 20},
		{"4GiB", 4 << 30}, {"1 GB", 1e9}, {" 2KiB ", 2048}, {"7B", 7}, {"1TB", 1e12},
		{"", 0}, {"0", 0}, {"-1", 0}, {"MB", 0}, {"abc", 0}, {"12XB", 0},
		{"9999999999TiB", 0}, {"9223372036854775807", 0}, {"1.5GB", 1.5e9}, {"0.5KiB", 512},
		{"0.0001B", 0}, {"1e3", 0}, {"Inf", 0}, {"NaN", 0}, {"0x10", 0}, {"1.5.2MB", 0},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if tt.want == 0 {
			if err == nil {
				t.Errorf("parseSize(%q) = %d, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v, want %d", tt.in, got, err, tt.want)
		}
	}
}
