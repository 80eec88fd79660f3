package eval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/result"
)

// The fixture in testdata/simtext: a corpus of three files and sim_text
// 3.0.2's output for it. sim-n.txt was captured with
//
//	printf 'sus/3.txt\n./src/1.txt\nsus/2.txt\n' | sim_text -i -n -T -r 9
//
// It lists a run inside one file (sus/2.txt), a file before its partner in
// the input (sus/3.txt before src/1.txt), a "./" prefix, and the last line
// of a file without a line break (sim_text numbers it as the line before).
// sim-default.txt is the same without -n and with -w 60: each run's text
// follows its header.
const (
	simTextCorpus  = "testdata/simtext/corpus"
	simTextN       = "testdata/simtext/sim-n.txt"
	simTextDefault = "testdata/simtext/sim-default.txt"
)

// readFixture returns the contents of the file at path.
func readFixture(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReadSimText(t *testing.T) {
	dir, err := filepath.Abs(simTextCorpus)
	if err != nil {
		t.Fatal(err)
	}
	text := func(id string) string { return readFixture(t, filepath.Join(dir, filepath.FromSlash(id))) }
	sample := readFixture(t, simTextN)
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
		{"-n", sample, []want{run1, run3}},
		{"default", readFixture(t, simTextDefault), []want{run1}},
		{"absolute", strings.ReplaceAll(sample, "./src/1.txt", filepath.Join(dir, "src", "1.txt")), []want{run1, run3}},
		{"empty", "Total input: 0 files (0 new, 0 old), 0 words\n", nil},
	}
	for _, tt := range tests {
		res, err := ReadSimText(strings.NewReader(tt.out), dir)
		if err != nil {
			t.Errorf("%s: ReadSimText: %v", tt.name, err)
			continue
		}
		var got []want
		for _, p := range res.Pairs {
			for _, q := range p.Passages {
				got = append(got, want{p.A, p.B, text(p.A)[q.AStart:q.AEnd], text(p.B)[q.BStart:q.BEnd]})
				if q.Similarity != 1 || q.Words == 0 {
					t.Errorf("%s: passage %+v: want similarity 1 and words > 0", tt.name, q)
				}
			}
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: ReadSimText gave %d passages %q, want %d", tt.name, len(got), got, len(tt.want))
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
	for _, out := range []string{
		"src/1.txt: line 3-9 |sus/2.txt: line 3-4 [22]\n", // beyond the file's 5 lines
		"src/1.txt: line 4-3 |sus/2.txt: line 3-4 [22]\n",
		"src/1.txt: line 0-1 |sus/2.txt: line 3-4 [22]\n",
		"src/1.txt: line 3-4 |sus/9.txt: line 3-4 [22]\n",                   // no such file
		"src/1.txt: line 3-4 |sus/2.txt: line 3-4 [99999999999999999999]\n", // no int holds it
		"src/1.txt: line 3-4 |sus/2.txt: line 3-4 [4294967296]\n",           // no text has so many words
	} {
		if res, err := ReadSimText(strings.NewReader(out), simTextCorpus); err == nil {
			t.Errorf("ReadSimText(%q) = %+v, want an error", out, res.Pairs)
		}
	}
	if _, err := ReadSimTextFile("testdata/simtext/missing.txt", simTextCorpus); err == nil {
		t.Errorf("ReadSimTextFile of a missing file succeeded")
	}
}
