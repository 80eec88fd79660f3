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

// simTextSample is sim_text 3.0.2's output for simTextCorpus, captured with
//
//	printf 'sus/3.txt\n./src/1.txt\nsus/2.txt\n' | sim_text -i -n -T -r 9
//
// It lists a run inside one file (sus/2.txt), a file before its partner in
// the input (sus/3.txt before src/1.txt), a "./" prefix, and the last line
// of a file without a line break (sim_text numbers it as the line before).
const simTextSample = `Total input: 3 files (3 new, 0 old), 93 words

./src/1.txt: line 3-4                  |sus/2.txt: line 3-4                [22]

sus/2.txt: line 5-5                    |sus/2.txt: line 6-6                [11]

sus/3.txt: line 3-3                    |./src/1.txt: line 4-5              [11]

`

// simTextSampleDefault is the same without -n and with -w 60: each run's
// text follows its header.
const simTextSampleDefault = `Total input: 3 files (3 new, 0 old), 93 words

src/1.txt: line 3-4          |sus/2.txt: line 3-4      [22]
The ferry to Ålesund leaves  |Intro words here. The ferry t
Passengers should buy tickets|Passengers should buy tickets

`

var simTextCorpus = map[string]string{
	"src/1.txt": "Title of the source\n\nThe ferry to Ålesund leaves at nine from the northern pier every weekday morning.\n" +
		"Passengers should buy tickets before boarding the vessel.\nUnrelated closing line.\n",
	"sus/2.txt": "A new title\n\nIntro words here. The ferry to Ålesund leaves at nine from the northern pier every weekday morning.\n" +
		"Passengers should buy tickets before boarding the vessel, officials said.\n" +
		"Repeat: one two three four five six seven eight nine ten.\nRepeat: one two three four five six seven eight nine ten.\n",
	"sus/3.txt": "Other\n\nPassengers should buy tickets before boarding the vessel.\nUnrelated closing line",
}

func writeSimTextCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range simTextCorpus {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestReadSimText(t *testing.T) {
	dir := writeSimTextCorpus(t)
	type want struct{ a, b, aText, bText string }
	run1 := want{"src/1.txt", "sus/2.txt",
		"The ferry to Ålesund leaves at nine from the northern pier every weekday morning.\nPassengers should buy tickets before boarding the vessel.",
		"Intro words here. The ferry to Ålesund leaves at nine from the northern pier every weekday morning.\nPassengers should buy tickets before boarding the vessel, officials said."}
	run3 := want{"src/1.txt", "sus/3.txt",
		"Passengers should buy tickets before boarding the vessel.\nUnrelated closing line.",
		"Passengers should buy tickets before boarding the vessel."}
	tests := []struct {
		name, out string
		want      []want
	}{
		{"-n", simTextSample, []want{run1, run3}},
		{"default", simTextSampleDefault, []want{run1}},
		{"absolute", strings.ReplaceAll(simTextSample, "./src/1.txt", filepath.Join(dir, "src", "1.txt")), []want{run1, run3}},
		{"empty", "Total input: 0 files (0 new, 0 old), 0 words\n", nil},
	}
	for _, tt := range tests {
		res, err := readSimText(strings.NewReader(tt.out), dir)
		if err != nil {
			t.Errorf("%s: readSimText: %v", tt.name, err)
			continue
		}
		var got []want
		for _, p := range res.Pairs {
			for _, q := range p.Passages {
				got = append(got, want{p.A, p.B, simTextCorpus[p.A][q.AStart:q.AEnd], simTextCorpus[p.B][q.BStart:q.BEnd]})
				if q.Similarity != 1 || q.Words == 0 {
					t.Errorf("%s: passage %+v: want similarity 1 and words > 0", tt.name, q)
				}
			}
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: readSimText gave %d passages %q, want %d", tt.name, len(got), got, len(tt.want))
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: passage %d = %q, want %q", tt.name, i, got[i], tt.want[i])
			}
		}
		if res.Schema != result.Schema || res.Stats.Pairs != len(res.Pairs) {
			t.Errorf("%s: schema %q, stats %+v", tt.name, res.Schema, res.Stats)
		}
	}
}

func TestReadSimTextErrors(t *testing.T) {
	dir := writeSimTextCorpus(t)
	for _, out := range []string{
		"src/1.txt: line 3-9 |sus/2.txt: line 3-4 [22]\n", // beyond the file's 5 lines
		"src/1.txt: line 4-3 |sus/2.txt: line 3-4 [22]\n",
		"src/1.txt: line 0-1 |sus/2.txt: line 3-4 [22]\n",
		"src/1.txt: line 3-4 |sus/9.txt: line 3-4 [22]\n", // no such file
	} {
		if res, err := readSimText(strings.NewReader(out), dir); err == nil {
			t.Errorf("readSimText(%q) = %+v, want an error", out, res.Pairs)
		}
	}
}

// reuse eval --simtext scores sim_text's output and can save it as a
// result; both ways give the same scores.
func TestEvalSimText(t *testing.T) {
	dir := writeSimTextCorpus(t)
	sim := filepath.Join(dir, "sim.txt")
	os.WriteFile(sim, []byte(simTextSample), 0o644)
	truth := &eval.Truth{Schema: eval.TruthSchema, Groups: [][]string{}, Cases: []eval.Case{{
		Class: "verbatim", Source: "src/1.txt", SourceStart: 21, SourceEnd: 161, Target: "sus/2.txt", TargetStart: 31, TargetEnd: 171}}}
	truthPath := filepath.Join(dir, "truth.json")
	if err := eval.WriteTruth(truthPath, truth); err != nil {
		t.Fatal(err)
	}
	converted := filepath.Join(dir, "sim.json")
	var direct, saved, stderr bytes.Buffer
	if code := run([]string{"eval", "--truth", truthPath, "--simtext", sim, "--corpus", dir, "--simtext-json", converted}, &direct, &stderr); code != ExitOK {
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
