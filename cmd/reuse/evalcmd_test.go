package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/eval"
	"github.com/reuse-tool/reuse/internal/atomicfile"
	"github.com/reuse-tool/reuse/result"
)

// evalFixture is a small generated corpus, its truth and a scan's result.
type evalFixture struct {
	dir, truth, result string
}

func newEvalFixture(t *testing.T) evalFixture {
	t.Helper()
	dir := t.TempDir()
	f := evalFixture{dir: dir, truth: filepath.Join(dir, "truth.json"), result: filepath.Join(dir, "r.json")}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"gen", "-q", "--docs", "40", "--out", dir}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("reuse gen: exit %d: %s", code, stderr.String())
	}
	if code := run([]string{"scan", "-q", filepath.Join(dir, "corpus"), "--format", "json", "-o", f.result}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("reuse scan: exit %d: %s", code, stderr.String())
	}
	return f
}

func TestEvalFlags(t *testing.T) {
	f := newEvalFixture(t)
	notResult := filepath.Join(f.dir, "not-result.json")
	os.WriteFile(notResult, []byte(`{"schema":"other/v1"}`), 0o644)
	simOut := filepath.Join(f.dir, "sim.txt")
	os.WriteFile(simOut, []byte("Total input: 0 files\n"), 0o644)
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"eval", "--help"}, ExitOK, "EXIT STATUS", ""},
		{[]string{"eval", f.result}, ExitUsage, "", "needs --truth"},
		{[]string{"eval", "--truth", f.truth}, ExitUsage, "", "exactly one RESULT"},
		{[]string{"eval", "--truth", f.truth, f.result, f.result}, ExitUsage, "", "got 2"},
		{[]string{"eval", "--truth", f.truth, "--format", "xml", f.result}, ExitUsage, "", `unknown --format "xml"`},
		{[]string{"eval", "--truth", f.truth, "--simtext", simOut, f.result}, ExitUsage, "", "not both"},
		{[]string{"eval", "--truth", f.truth, "--simtext", simOut}, ExitUsage, "", "--simtext needs --corpus"},
		{[]string{"eval", "--truth", f.truth, "--simtext-json", "x.json", f.result}, ExitUsage, "", "--simtext-json needs --simtext"},
		{[]string{"eval", "--truth", filepath.Join(f.dir, "corpus"), f.result}, ExitUsage, "", "--corpus must name"},
		{[]string{"eval", "--truth", filepath.Join(f.dir, "missing.json"), f.result}, ExitFailure, "", "no such file"},
		{[]string{"eval", "--truth", f.truth, filepath.Join(f.dir, "missing.json")}, ExitFailure, "", "no such file"},
		{[]string{"eval", "--truth", f.truth, notResult}, ExitFailure, "", `schema "other/v1"`},
		{[]string{"eval", "--truth", f.result, f.result}, ExitFailure, "", "r.json"},
		{[]string{"eval", "--truth", f.truth, f.result}, ExitOK, "verbatim", ""},
		{[]string{"eval", "--truth", f.truth, "--simtext", simOut, "--corpus", filepath.Join(f.dir, "corpus")}, ExitOK, "all ", "no document of the truth"},
	}
	for _, tt := range tests {
		checkRun(t, tt.args, tt.code, tt.stdout, tt.stderr)
	}
}

// reuse eval --format json gives the same numbers as eval.Score, under the
// keys the issue names; the text table has a row per class.
func TestEvalOutput(t *testing.T) {
	f := newEvalFixture(t)
	var stdout, stderr bytes.Buffer
	out := filepath.Join(f.dir, "scores.json")
	if code := run([]string{"eval", "--truth", f.truth, f.result, "--format", "json", "-o", out}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("reuse eval: exit %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("reuse eval --format json: %v\n%s", err, b)
	}
	for _, k := range []string{"precision", "recall", "granularity", "plagdet", "per_class", "doc_pairs", "groups"} {
		if _, ok := got[k]; !ok {
			t.Errorf("reuse eval --format json: no key %q", k)
		}
	}
	truth, err := eval.ReadTruth(f.truth)
	if err != nil {
		t.Fatal(err)
	}
	res, err := readResult(f.result)
	if err != nil {
		t.Fatal(err)
	}
	want := eval.Score(truth, res)
	if got["plagdet"] != want.Plagdet || want.Plagdet < 0.5 {
		t.Errorf("plagdet = %v, want %v (and > 0.5)", got["plagdet"], want.Plagdet)
	}
	recall := got["per_class"].(map[string]any)["verbatim"].(map[string]any)["recall"]
	if recall != want.PerClass["verbatim"].Recall {
		t.Errorf("per_class.verbatim.recall = %v, want %v", recall, want.PerClass["verbatim"].Recall)
	}

	stdout.Reset()
	if code := run([]string{"eval", "--truth", f.truth, f.result}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("reuse eval: exit %d: %s", code, stderr.String())
	}
	var table bytes.Buffer
	want.WriteText(&table)
	if stdout.String() != table.String() {
		t.Errorf("reuse eval prints\n%s\nwant\n%s", stdout.String(), table.String())
	}
}

// The PAN fixture of package eval, scanned from its texts folder: the ids
// are susp/... and src/..., the PAN references base names; a result that
// finds every case exactly scores 1.
func TestEvalPAN(t *testing.T) {
	const xmlDir, texts = "../../eval/testdata/pan/xml", "../../eval/testdata/pan/texts"
	truth, err := eval.ReadPANTruth(xmlDir, texts)
	if err != nil {
		t.Fatal(err)
	}
	id := func(name string) string {
		if strings.HasPrefix(name, "source") {
			return "src/" + name
		}
		return "susp/" + name
	}
	res := &result.Result{Schema: result.Schema}
	for _, c := range truth.Cases {
		res.Pairs = append(res.Pairs, result.Pair{A: id(c.Source), B: id(c.Target), Passages: []result.Passage{{
			AStart: c.SourceStart, AEnd: c.SourceEnd, BStart: c.TargetStart, BEnd: c.TargetEnd}}})
	}
	path := filepath.Join(t.TempDir(), "r.json")
	if err := atomicfile.Write(path, func(w io.Writer) error { return result.WriteJSON(w, res) }); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"eval", "--truth", xmlDir, path}, &stdout, &stderr); code != ExitUsage ||
		!strings.Contains(stderr.String(), "--corpus") {
		t.Errorf("reuse eval with a PAN folder and no --corpus: exit %d, %q; want %d and a hint", code, stderr.String(), ExitUsage)
	}
	stdout.Reset()
	if code := run([]string{"eval", "--truth", xmlDir, "--corpus", texts, path, "--format", "json"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("reuse eval: exit %d: %s", code, stderr.String())
	}
	var s eval.Scores
	if err := json.Unmarshal(stdout.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	if s.Plagdet != 1 || s.Cases != 3 || s.PerClass["random"].Recall != 1 {
		t.Errorf("perfect PAN result: %+v, want plagdet 1 over 3 cases", s)
	}
}

// reuse eval --simtext scores sim_text's output and can save it as a
// result; both ways give the same scores.
func TestEvalSimText(t *testing.T) {
	// The corpus and sim_text output of package eval's fixture.
	const corpus, sim = "../../eval/testdata/simtext/corpus", "../../eval/testdata/simtext/sim-n.txt"
	dir := t.TempDir()
	truth := &eval.Truth{Schema: eval.TruthSchema, Groups: [][]string{}, Cases: []eval.Case{{
		Class: "verbatim", Source: "src/1.txt", SourceStart: 21, SourceEnd: 161, Target: "sus/2.txt", TargetStart: 31, TargetEnd: 171}}}
	truthPath := filepath.Join(dir, "truth.json")
	if err := eval.WriteTruth(truthPath, truth); err != nil {
		t.Fatal(err)
	}
	converted := filepath.Join(dir, "sim.json")
	var direct, saved, stderr bytes.Buffer
	if code := run([]string{"eval", "--truth", truthPath, "--simtext", sim, "--corpus", corpus, "--simtext-json", converted}, &direct, &stderr); code != ExitOK {
		t.Fatalf("reuse eval --simtext: exit %d: %s", code, stderr.String())
	}
	if code := run([]string{"eval", "--truth", truthPath, converted}, &saved, &stderr); code != ExitOK {
		t.Fatalf("reuse eval on the converted result: exit %d: %s", code, stderr.String())
	}
	if direct.String() != saved.String() {
		t.Errorf("--simtext scores\n%s\nconverted result scores\n%s", direct.String(), saved.String())
	}
	if !strings.Contains(direct.String(), "verbatim          1         1           1") {
		t.Errorf("reuse eval --simtext:\n%s\nwant the verbatim case detected once", direct.String())
	}
}
