package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/reuse-tool/reuse/internal/testfs"
	"github.com/reuse-tool/reuse/result"
)

// Texts written for these tests. shared is copied into two documents.
const (
	sharedPassage = "The lighthouse keeper counted forty-one fishing boats leaving the harbour before dawn, " +
		"more than on any morning since the new breakwater was finished three winters ago."
	ownA = "Residents of the valley gathered in the old mill on Tuesday to argue about the bus timetable. " +
		"Several farmers said the early service no longer stopped at the crossroads."
	ownB = "A travelling puppet theatre opened its summer season with a play about a stubborn goat. " +
		"Children in the front row shouted advice at the goat until the curtain fell."
	ownC = "The county archive has begun to scan its collection of handwritten weather diaries. " +
		"Volunteers transcribe the entries and mark every storm that flooded the lower road."
)

// smallCorpus writes three documents, a.txt and b.txt sharing
// sharedPassage, b.txt and c.txt sharing ownC, and returns its folder.
func smallCorpus(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "docs")
	testfs.Write(t, dir, map[string]string{
		"a.txt": ownA + "\n\n" + sharedPassage + "\n",
		"b.txt": ownB + "\n\n" + sharedPassage + "\n\n" + ownC + "\n",
		"c.txt": ownC + "\n",
	})
	return dir
}

func parseResult(t *testing.T, data []byte) *result.Result {
	t.Helper()
	var r result.Result
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("result does not parse as result.Result: %v\n%.500s", err, data)
	}
	if r.Schema != result.Schema {
		t.Errorf("schema %q, want %q", r.Schema, result.Schema)
	}
	return &r
}

func docIDs(r *result.Result) []string {
	var ids []string
	for _, d := range r.Documents {
		ids = append(ids, d.ID)
	}
	return ids
}

// listDir returns the names in dir, hidden ones too.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

var headline = regexp.MustCompile(`^\d+ documents, [\d,]+ words, [\d.]+% reused\n\d+ pairs?, \d+ passages?, \d+ clusters?, \d+ groups?\n`)

func TestScanFormats(t *testing.T) {
	code, stdout, stderr := cli(t, "scan", corpusDir)
	if code != ExitOK || stderr != "" {
		t.Fatalf("reuse scan %s: exit %d, stderr %q", corpusDir, code, stderr)
	}
	if !headline.MatchString(stdout) {
		t.Errorf("reuse scan: summary does not open with the headline:\n%s", stdout)
	}

	code, stdout, stderr = cli(t, "scan", "--format", "json", corpusDir)
	if code != ExitOK || stderr != "" {
		t.Fatalf("--format json: exit %d, stderr %q", code, stderr)
	}
	r := parseResult(t, []byte(stdout))
	if r.Stats.Documents != len(r.Documents) || len(r.Documents) < 10 || len(r.Pairs) == 0 || r.Stats.Pairs != len(r.Pairs) {
		t.Errorf("--format json: stats %+v with %d documents, %d pairs", r.Stats, len(r.Documents), len(r.Pairs))
	}

	code, stdout, stderr = cli(t, "scan", "--format", "jsonl", corpusDir)
	if code != ExitOK || stderr != "" {
		t.Fatalf("--format jsonl: exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	types := map[string]int{}
	for i, line := range lines {
		var obj struct{ Type string }
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Errorf("--format jsonl: line %d is not JSON: %v: %.200s", i+1, err, line)
		}
		types[obj.Type]++
	}
	if types["scan"] != 1 || types["document"] != len(r.Documents) || types["pair"] != len(r.Pairs) ||
		types["cluster"] != len(r.Clusters) || types["group"] != len(r.Groups) {
		t.Errorf("--format jsonl: lines by type %v, want 1 scan and as many of each as the JSON result", types)
	}

	code, stdout, stderr = cli(t, "scan", "--format", "csv", corpusDir)
	if code != ExitOK || stderr != "" {
		t.Fatalf("--format csv: exit %d, stderr %q", code, stderr)
	}
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil {
		t.Fatalf("--format csv: %v", err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "a,b,a_start,a_end,b_start,b_end,words,similarity,cluster,a_pct,b_pct,a_text,b_text,kind" {
		t.Fatalf("--format csv: header %q", rows[:min(1, len(rows))])
	}
	if len(rows)-1 != r.Stats.Passages {
		t.Errorf("--format csv: %d rows, want one per passage (%d)", len(rows)-1, r.Stats.Passages)
	}
}

// TestScanExact: a default scan of the example corpus finds a reworded
// passage (the weekend planner's two pieces of the fair's announcement,
// words changed between them); --exact finds exact passages only, and
// --exact with --reworded is refused.
func TestScanExact(t *testing.T) {
	kinds := func(args ...string) map[string]int {
		t.Helper()
		code, stdout, stderr := cli(t, append([]string{"scan", "--format", "json", corpusDir}, args...)...)
		if code != ExitOK || stderr != "" {
			t.Fatalf("reuse scan %v: exit %d, stderr %q", args, code, stderr)
		}
		out := map[string]int{}
		for _, p := range parseResult(t, []byte(stdout)).Pairs {
			for _, q := range p.Passages {
				out[q.Kind]++
			}
		}
		return out
	}
	if got := kinds(); got["reworded"] == 0 {
		t.Errorf("default scan: passages by kind %v, want a reworded one", got)
	}
	if got := kinds("--exact"); got["reworded"] != 0 || got[""] == 0 {
		t.Errorf("--exact: passages by kind %v, want exact ones only", got)
	}
	checkRun(t, []string{"scan", corpusDir, "--exact", "--reworded"}, ExitUsage, "", "exact and reworded")
}

// TestScanOutputFile: -o writes the file, nothing to stdout, and leaves no
// temporary file; a second run replaces it.
func TestScanOutputFile(t *testing.T) {
	in := smallCorpus(t)
	outDir := t.TempDir()
	out := filepath.Join(outDir, "result.json")
	_, want, _ := cli(t, "scan", "--format", "json", in)
	for range 2 {
		code, stdout, stderr := cli(t, "scan", "--format", "json", "-o", out, in)
		if code != ExitOK || stdout != "" || stderr != "" {
			t.Fatalf("reuse scan -o: exit %d, stdout %q, stderr %q", code, stdout, stderr)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("reuse scan -o %s wrote other bytes than standard output", out)
		}
		if names := listDir(t, outDir); !slices.Equal(names, []string{"result.json"}) {
			t.Errorf("output folder holds %q, want only result.json", names)
		}
	}
	// -o - is standard output.
	if code, stdout, _ := cli(t, "scan", "--format", "json", "-o", "-", in); code != ExitOK || stdout != want {
		t.Errorf("reuse scan -o -: exit %d, stdout differs from the result", code)
	}
	// A missing folder fails at once, before the scan.
	code, _, stderr := cli(t, "scan", "-o", filepath.Join(outDir, "no", "such", "r.json"), in)
	if code != ExitFailure || !strings.Contains(stderr, "r.json") {
		t.Errorf("reuse scan -o into a missing folder: exit %d, stderr %q; want %d naming the file", code, stderr, ExitFailure)
	}
}

// TestScanCPUProfile: --cpuprofile writes a profile (gzipped protocol
// buffers, as pprof reads them), and the result is the same.
func TestScanCPUProfile(t *testing.T) {
	in := smallCorpus(t)
	prof := filepath.Join(t.TempDir(), "cpu.prof")
	_, want, _ := cli(t, "scan", "--format", "json", in)
	code, stdout, stderr := cli(t, "scan", "--format", "json", "--cpuprofile", prof, in)
	if code != ExitOK || stdout != want {
		t.Fatalf("reuse scan --cpuprofile: exit %d, stderr %q, result differs: %v", code, stderr, stdout != want)
	}
	data, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		t.Errorf("--cpuprofile wrote %d bytes, not a gzipped profile", len(data))
	}
	code, _, stderr = cli(t, "scan", "--cpuprofile", filepath.Join(t.TempDir(), "no", "cpu.prof"), in)
	if code != ExitFailure || !strings.Contains(stderr, "cpu.prof") {
		t.Errorf("reuse scan --cpuprofile into a missing folder: exit %d, stderr %q", code, stderr)
	}
}

// TestScanTimings: --timings prints, even with -q, one line with every
// phase of the scan in order, each with its CPU time where the system
// gives it, and the total; the result is the same as without it.
func TestScanTimings(t *testing.T) {
	in := smallCorpus(t)
	_, want, _ := cli(t, "scan", "--format", "json", in)
	code, stdout, stderr := cli(t, "scan", "-q", "--timings", "--format", "json", in)
	if code != ExitOK || stdout != want {
		t.Fatalf("reuse scan --timings: exit %d, stderr %q, result differs: %v", code, stderr, stdout != want)
	}
	re := regexp.MustCompile(`^timings: (starting [0-9.]+ s( \([0-9.]+ CPU-s[^)]*\))?, )?reading [0-9.]+ s( \([0-9.]+ CPU-s[^)]*\))?, pairing [0-9.]+ s.*, aligning [0-9.]+ s.*, clustering [0-9.]+ s.*, finishing [0-9.]+ s.*; total [0-9.]+ s.*\n$`)
	if !re.MatchString(stderr) {
		t.Errorf("reuse scan -q --timings: stderr %q, want one line of the phases in order", stderr)
	}
	if runtime.GOOS == "linux" && !strings.Contains(stderr, "CPU-s") {
		t.Errorf("--timings gave no CPU time on Linux: %q", stderr)
	}
	// The candidates aligned: as many as the pairs found, or more.
	var res result.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`; ([0-9,]+) candidate pairs? aligned\n$`).FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("reuse scan -q --timings: stderr %q, want the candidate pairs aligned at the end", stderr)
	}
	if n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", "")); n < len(res.Pairs) || len(res.Pairs) == 0 {
		t.Errorf("--timings: %d candidate pairs aligned, for %d pairs found", n, len(res.Pairs))
	}
	if _, _, stderr := cli(t, "scan", "-q", "--format", "json", in); strings.Contains(stderr, "timings") {
		t.Errorf("reuse scan -q printed timings unasked: %q", stderr)
	}
}

// TestTimingsSpan: a phase's wall and CPU time, and the storage it read
// and wrote once it reaches a megabyte.
func TestTimingsSpan(t *testing.T) {
	t0 := time.Unix(1000, 0)
	from := mark{wall: t0, usage: usage{cpu: time.Second, in: 4096, out: 0}}
	tests := []struct {
		to   usage
		want string
	}{
		{usage{cpu: 3 * time.Second, in: 4096}, "2.50 s (2.00 CPU-s)"},
		{usage{cpu: 3 * time.Second, in: 4096 + 999_999, out: 999_999}, "2.50 s (2.00 CPU-s)"},
		{usage{cpu: 3 * time.Second, in: 4096 + 1_499_999, out: 1_500_000}, "2.50 s (2.00 CPU-s, 1 MB read, 2 MB written)"},
		{usage{cpu: 3 * time.Second, in: 4096 + 3_449_000_000, out: 120_000_000}, "2.50 s (2.00 CPU-s, 3.4 GB read, 120 MB written)"},
		{usage{cpu: -1, in: -1, out: -1}, "2.50 s"},
	}
	for _, tt := range tests {
		to := mark{wall: t0.Add(2500 * time.Millisecond), usage: tt.to}
		if got := span(from, to); got != tt.want {
			t.Errorf("span(%+v, %+v) = %q, want %q", from.usage, tt.to, got, tt.want)
		}
	}
}

// TestScanNoTempDir: without a writable temporary folder the scan fails
// with exit 3 and says which setting to change, once prefixed; with
// --output, the message does not blame the output file (JSON is written
// to it while the scan runs), and none is left.
func TestScanNoTempDir(t *testing.T) {
	in := smallCorpus(t)
	out := filepath.Join(t.TempDir(), "result.json")
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	for _, args := range [][]string{{"scan", in}, {"scan", in, "-o", out}, {"scan", in, "--format", "json", "-o", out}} {
		code, stdout, stderr := cli(t, args...)
		if code != ExitFailure || stdout != "" || !strings.Contains(stderr, "TMPDIR") || strings.Contains(stderr, "reuse: reuse:") || strings.Contains(stderr, "result.json") {
			t.Errorf("reuse %v with TMPDIR missing: exit %d, stdout %q, stderr %q; want %d and a message naming TMPDIR, not the output", args, code, stdout, stderr, ExitFailure)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed scan left %s (stat: %v)", out, err)
	}
}

// TestScanOutputIsInput: -o or --html naming an input is refused, and the
// input is untouched.
func TestScanOutputIsInput(t *testing.T) {
	in := smallCorpus(t)
	a := filepath.Join(in, "a.txt")
	b := filepath.Join(in, "b.txt")
	link := filepath.Join(t.TempDir(), "hard.txt")
	if err := os.Link(a, link); err != nil {
		t.Logf("no hard link: %v", err)
		link = a
	}
	before, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(".", a)
	if err != nil {
		rel = a
	}
	for _, args := range [][]string{
		{"scan", a, b, "-o", a},
		{"scan", a, b, "-o", filepath.Join(in, ".", "a.txt")},
		{"scan", rel, b, "-o", a},
		{"scan", a, b, "-o", link},
		{"compare", a, b, "--format", "json", "-o", a},
		{"compare", a, b, "--html", a},
		{"scan", in, "--html", in},
		// A document of a scanned folder is an input too.
		{"scan", in, "-o", a},
		{"scan", filepath.Dir(in), "--format", "csv", "-o", a},
	} {
		code, stdout, stderr := cli(t, args...)
		if code != ExitUsage || stdout != "" {
			t.Errorf("reuse %q: exit %d, stdout %q; want %d", args, code, stdout, ExitUsage)
		}
		flag := args[len(args)-2]
		if flag == "-o" {
			flag = "--output"
		}
		if !strings.Contains(stderr, flag+" ") || !strings.Contains(stderr, "inputs") && !strings.Contains(stderr, "document in") {
			t.Errorf("reuse %q: stderr %q does not name %s as an input", args, stderr, flag)
		}
		after, err := os.ReadFile(a)
		if err != nil || !bytes.Equal(after, before) {
			t.Fatalf("reuse %q changed its input %s", args, a)
		}
	}
}

// TestScanOutputInsideScannedFolder: the result of one run, written inside
// the scanned folder, is not a document of the next, which replaces it.
func TestScanOutputInsideScannedFolder(t *testing.T) {
	in := smallCorpus(t)
	for _, format := range []string{"text", "csv", "jsonl", "json"} {
		out := filepath.Join(in, "result."+format)
		for run := 1; run <= 2; run++ {
			if code, _, stderr := cli(t, "scan", "--format", format, "-o", out, in); code != ExitOK {
				t.Errorf("--format %s, run %d: exit %d, stderr %q", format, run, code, stderr)
			}
		}
		os.Remove(out)
	}
	out := filepath.Join(in, "result.json")
	html := filepath.Join(in, "report")
	for run := 1; run <= 2; run++ {
		code, _, stderr := cli(t, "scan", "--format", "json", "-o", out, "--html", html, in)
		if code != ExitOK || stderr != "" {
			t.Fatalf("run %d: exit %d, stderr %q", run, code, stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		r := parseResult(t, data)
		if ids := docIDs(r); !slices.Equal(ids, []string{"a.txt", "b.txt", "c.txt"}) {
			t.Errorf("run %d scanned %q, want only a.txt, b.txt and c.txt", run, ids)
		}
		if _, err := os.Stat(filepath.Join(html, "index.html")); err != nil {
			t.Errorf("run %d: %v", run, err)
		}
	}
}

// badCorpus writes a folder with good documents and one input of each
// kind that cannot be read, and returns the folder and the bad files'
// names.
func badCorpus(t *testing.T) (dir string, bad []string) {
	t.Helper()
	dir = smallCorpus(t)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(ownA + " " + ownB))
	zw.Close()
	testfs.Write(t, dir, map[string]string{
		"binary.txt":     "PK\x03\x04\x00\x00\x08\x00 not text at all \x00\x01\x02",
		"corrupt.txt.gz": string(gz.Bytes()[:gz.Len()/2]),
		"notgzip.md.gz":  "plain text in a file named .gz",
	})
	bad = []string{"binary.txt", "corrupt.txt.gz", "notgzip.md.gz"}
	// Unreadable: a file without read permission where that holds (not
	// for root), else a symlink to nowhere.
	locked := filepath.Join(dir, "locked.txt")
	testfs.Write(t, dir, map[string]string{"locked.txt": ownC})
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o644) })
	if f, err := os.Open(locked); err == nil {
		f.Close()
		os.Remove(locked)
		if err := os.Symlink(filepath.Join(dir, "nowhere.txt"), filepath.Join(dir, "dangling.txt")); err != nil {
			t.Fatal(err)
		}
		bad = append(bad, "dangling.txt")
	} else {
		bad = append(bad, "locked.txt")
	}
	return dir, bad
}

// TestScanBadInputs: every input that cannot be read is warned about,
// by name, on stderr; the scan goes on, ends with the count and exits 1.
// --quiet drops the warnings, not the count.
func TestScanBadInputs(t *testing.T) {
	dir, bad := badCorpus(t)
	countLine := fmt.Sprintf("reuse: %d inputs or records skipped\n", len(bad))
	for _, quiet := range []bool{false, true} {
		args := []string{"scan", "--format", "json", dir}
		if quiet {
			args = append(args, "--quiet")
		}
		code, stdout, stderr := cli(t, args...)
		if code != ExitSkipped {
			t.Errorf("reuse %q: exit %d, want %d", args, code, ExitSkipped)
		}
		r := parseResult(t, []byte(stdout))
		if r.Stats.Skipped != len(bad) || len(r.Documents) != 3 || len(r.Pairs) != 2 {
			t.Errorf("reuse %q: %d skipped, documents %q, %d pairs; want %d skipped, the 3 good documents, 2 pairs",
				args, r.Stats.Skipped, docIDs(r), len(r.Pairs), len(bad))
		}
		if !strings.HasSuffix(stderr, countLine) {
			t.Errorf("reuse %q: stderr does not end with %q:\n%s", args, countLine, stderr)
		}
		warnings := strings.Count(stderr, "reuse: warning: ")
		if quiet {
			if warnings != 0 {
				t.Errorf("reuse %q: %d warnings printed, want none:\n%s", args, warnings, stderr)
			}
			continue
		}
		if warnings != len(bad) {
			t.Errorf("reuse %q: %d warnings, want %d:\n%s", args, warnings, len(bad), stderr)
		}
		for _, name := range bad {
			if !strings.Contains(stderr, filepath.Join(dir, name)+": ") {
				t.Errorf("reuse %q: no warning names %s:\n%s", args, name, stderr)
			}
		}
	}
	// The text summary says so too.
	_, stdout, _ := cli(t, "scan", "-q", dir)
	if want := fmt.Sprintf("(%d inputs skipped)", len(bad)); !strings.Contains(stdout, want) {
		t.Errorf("summary lacks %q:\n%s", want, stdout)
	}
	// A path that does not exist is one skipped input.
	missing := filepath.Join(dir, "missing.txt")
	code, _, stderr := cli(t, "scan", missing)
	if code != ExitSkipped || !strings.Contains(stderr, missing) || !strings.HasSuffix(stderr, "reuse: 1 input or record skipped\n") {
		t.Errorf("reuse scan %s: exit %d, stderr %q", missing, code, stderr)
	}
}

// TestScanStdin: "-" reads standard input as one document named "-".
func TestScanStdin(t *testing.T) {
	in := smallCorpus(t)
	cmd := command(t, "scan", "--format", "json", "-", filepath.Join(in, "a.txt"))
	cmd.Stdin = strings.NewReader(ownB + "\n\n" + sharedPassage + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("reuse scan - a.txt: %v, stderr %q", err, stderr.String())
	}
	r := parseResult(t, out)
	if len(r.Documents) != 2 || r.Documents[0].ID != "-" || r.Documents[0].Path != "-" || r.Documents[0].Words == 0 {
		t.Fatalf("documents %+v, want stdin as %q and a.txt", r.Documents, "-")
	}
	if len(r.Pairs) != 1 || len(r.Pairs[0].Passages) != 1 || r.Pairs[0].A != "-" {
		t.Fatalf("pairs %+v, want stdin paired with a.txt", r.Pairs)
	}
	stdinText := ownB + "\n\n" + sharedPassage + "\n"
	p := r.Pairs[0].Passages[0]
	// Both copies end the sentence: the passage holds its full stop.
	if got := stdinText[p.AStart:p.AEnd]; got != sharedPassage {
		t.Errorf("passage in stdin = %q, want %q", got, sharedPassage)
	}
}

func TestCompare(t *testing.T) {
	in := smallCorpus(t)
	a, b, c := filepath.Join(in, "a.txt"), filepath.Join(in, "b.txt"), filepath.Join(in, "c.txt")
	code, stdout, stderr := cli(t, "compare", "--format", "json", a, b)
	if code != ExitOK || stderr != "" {
		t.Fatalf("reuse compare: exit %d, stderr %q", code, stderr)
	}
	r := parseResult(t, []byte(stdout))
	if len(r.Documents) != 2 || len(r.Pairs) != 1 || len(r.Pairs[0].Passages) != 1 {
		t.Fatalf("reuse compare a b: %d documents, pairs %+v; want 2 and one pair with one passage", len(r.Documents), r.Pairs)
	}
	text, _ := os.ReadFile(a)
	if p := r.Pairs[0].Passages[0]; string(text[p.AStart:p.AEnd]) != sharedPassage {
		t.Errorf("passage %q, want %q", text[p.AStart:p.AEnd], sharedPassage)
	}
	code, stdout, _ = cli(t, "compare", a, c)
	if code != ExitOK || !strings.HasPrefix(stdout, "no reuse found: 2 documents") {
		t.Errorf("reuse compare of unrelated documents: exit %d, %q", code, stdout)
	}

	// The text output shows each passage: offsets on both sides, words,
	// similarity and an excerpt of each side.
	code, stdout, _ = cli(t, "compare", a, b)
	p := r.Pairs[0].Passages[0]
	for _, want := range []string{
		fmt.Sprintf("Passage 1: %d words, similarity 1.00", p.Words),
		fmt.Sprintf("  A  bytes %d-%d  \"The lighthouse keeper counted", p.AStart, p.AEnd),
		fmt.Sprintf("  B  bytes %d-%d  \"The lighthouse keeper counted", p.BStart, p.BEnd),
		"% shared with B", "% shared with A",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("reuse compare a b: exit %d, output lacks %q:\n%s", code, want, stdout)
		}
	}
}

func TestHTML(t *testing.T) {
	in := smallCorpus(t)
	out := t.TempDir()
	dir := filepath.Join(out, "report")
	code, stdout, stderr := cli(t, "scan", "--html", dir, in)
	if code != ExitOK || stderr != "" || !headline.MatchString(stdout) {
		t.Fatalf("reuse scan --html: exit %d, stderr %q, stdout %q", code, stderr, stdout)
	}
	index, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(index, []byte("<!DOCTYPE html>")) || !bytes.Contains(index, []byte("a.txt")) {
		t.Errorf("index.html is not a report naming a.txt: %.300s", index)
	}
	if names := listDir(t, out); !slices.Equal(names, []string{"report"}) {
		t.Errorf("--html left %q next to the report", names)
	}

	page := filepath.Join(out, "pair.html")
	code, _, stderr = cli(t, "compare", filepath.Join(in, "a.txt"), filepath.Join(in, "b.txt"), "--html", page)
	if code != ExitOK || stderr != "" {
		t.Fatalf("reuse compare --html: exit %d, stderr %q", code, stderr)
	}
	fi, err := os.Stat(page)
	if err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("reuse compare --html %s: %v, want one file", page, err)
	}
	data, _ := os.ReadFile(page)
	if !bytes.Contains(data, []byte("<!DOCTYPE html>")) || !bytes.Contains(data, []byte("lighthouse keeper")) {
		t.Errorf("pair page does not show the shared passage: %.300s", data)
	}
}

// TestProgressNotTerminal: when stderr is a file, not a terminal, a scan
// prints nothing there but its warnings and the count, however long it runs.
func TestProgressNotTerminal(t *testing.T) {
	defer func(d time.Duration) { progressDelay = d }(progressDelay)
	progressDelay = 0
	dir, bad := badCorpus(t)
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stdout bytes.Buffer
	if code := run([]string{"scan", dir, corpusDir}, &stdout, f); code != ExitSkipped {
		t.Fatalf("exit %d, want %d", code, ExitSkipped)
	}
	data, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	for i, line := range lines {
		if i == len(lines)-1 {
			if want := fmt.Sprintf("reuse: %d inputs or records skipped", len(bad)); line != want {
				t.Errorf("last line of stderr %q, want %q", line, want)
			}
		} else if !strings.HasPrefix(line, "reuse: warning: ") {
			t.Errorf("stderr line %q is not a warning", line)
		}
	}
}
