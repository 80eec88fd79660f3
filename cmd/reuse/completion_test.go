package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/reuse-tool/reuse/internal/testfs"
)

// TestCompletionScripts: each shell's script names every command and every
// flag of every command, and its shell parses it where installed.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, script, stderr := cli(t, "completion", shell)
		if code != ExitOK || stderr != "" {
			t.Fatalf("reuse completion %s: exit %d, stderr %q", shell, code, stderr)
		}
		for _, c := range commandSummaries {
			if !strings.Contains(script, c[0]) {
				t.Errorf("%s script lacks the command %s", shell, c[0])
			}
		}
		for _, command := range append(slices.Clone(completionCommands), indexCompletions()...) {
			visitVisible(commandFlags(command), func(f *pflag.Flag) {
				name := "--" + f.Name
				if shell == "fish" {
					name = "-l " + f.Name
				}
				if !strings.Contains(script, name) {
					t.Errorf("%s script lacks %s of %s", shell, name, command)
				}
			})
		}
		path, err := exec.LookPath(shell)
		if err != nil {
			t.Logf("%s is not installed: its script is not parsed", shell)
			continue
		}
		file := filepath.Join(t.TempDir(), "reuse."+shell)
		if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(path, "-n", file).CombinedOutput(); err != nil {
			t.Errorf("%s -n on the script: %v\n%s", shell, err, out)
		}
	}
	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}, {"completion", "bash", "zsh"}} {
		if code, _, stderr := cli(t, args...); code != ExitUsage || !strings.Contains(stderr, "bash, zsh or fish") {
			t.Errorf("reuse %q: exit %d, stderr %q; want %d naming the shells", args, code, stderr, ExitUsage)
		}
	}
}

// TestCompletionBash runs the bash script's function as bash would on
// Tab: commands, flags of the command typed, a flag's values, files.
func TestCompletionBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	_, script, _ := cli(t, "completion", "bash")
	dir := t.TempDir()
	file := filepath.Join(dir, "reuse.bash")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	testfs.Write(t, dir, map[string]string{"notes.txt": "x"})
	tests := []struct {
		line string // the words typed; the last is completed
		want []string
	}{
		{"reuse sc", []string{"scan"}},
		{"reuse c", []string{"compare", "check", "completion"}},
		{"reuse scan --for", []string{"--format"}},
		{"reuse scan --format j", []string{"json", "jsonl"}},
		{"reuse compare --html-", nil}, // scan only
		{"reuse compare --enc", []string{"--encoding"}},
		{"reuse eval --format ", []string{"text", "json"}},
		{"reuse completion z", []string{"zsh"}},
		{"reuse help ev", []string{"eval"}},
		{"reuse scan no", []string{"notes.txt"}},
		{"reuse scan --min-words ", nil},
		{"reuse ch", []string{"check"}},
		{"reuse check --ro", []string{"--root"}},
		{"reuse index c", []string{"create", "compact"}},
		{"reuse index create --rep", nil}, // add only
		{"reuse index add --rep", []string{"--replace"}},
		{"reuse index stats --format ", []string{"text", "json"}},
		{"reuse help in", []string{"index"}},
	}
	for _, tt := range tests {
		words := strings.Fields(tt.line)
		if strings.HasSuffix(tt.line, " ") {
			words = append(words, "")
		}
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + w + "'"
		}
		prog := "source " + file + "; COMP_WORDS=(" + strings.Join(quoted, " ") + "); COMP_CWORD=" +
			strconv.Itoa(len(words)-1) + "; _reuse; printf '%s\\n' \"${COMPREPLY[@]}\""
		cmd := exec.Command(bash, "--norc", "-c", prog)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("completing %q: %v\n%s", tt.line, err, out)
			continue
		}
		got := strings.Fields(string(out))
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("completing %q = %q, want %q", tt.line, got, want)
		}
	}
}
