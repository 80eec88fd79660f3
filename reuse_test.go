package reuse

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/result"
)

var update = flag.Bool("update", false, "rewrite golden files")

const exampleCorpus = "testdata/corpus"

func scanCorpus(t *testing.T, opt Options, inputs ...string) *result.Result {
	t.Helper()
	var warnings []string
	opt.Warn = func(err error) { warnings = append(warnings, err.Error()) }
	res, err := Scan(context.Background(), inputs, opt)
	if err != nil {
		t.Fatalf("Scan(%v) = %v", inputs, err)
	}
	if len(warnings) > 0 {
		t.Logf("warnings: %s", strings.Join(warnings, "\n"))
	}
	return res
}

func jsonOf(t *testing.T, r *result.Result) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := result.WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestScanGolden pins the whole JSON result for the example corpus. After
// an intended change of detection, rerun with -update and review the diff.
func TestScanGolden(t *testing.T) {
	got := jsonOf(t, scanCorpus(t, Options{}, exampleCorpus))
	golden := filepath.Join("testdata", "golden", "corpus.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("scan of %s differs from %s; rerun with -update and review the diff", exampleCorpus, golden)
	}
}

// TestScanDeterministic: the same input gives byte-identical JSON whatever
// the number of workers.
func TestScanDeterministic(t *testing.T) {
	want := jsonOf(t, scanCorpus(t, Options{Workers: 1}, exampleCorpus))
	for _, w := range []int{2, 3, 8} {
		got := jsonOf(t, scanCorpus(t, Options{Workers: w}, exampleCorpus))
		if !bytes.Equal(got, want) {
			t.Errorf("Workers=%d gives a different result than Workers=1", w)
		}
	}
}

// findPair returns the pair of two documents, in either order.
func findPair(r *result.Result, a, b string) *result.Pair {
	if a > b {
		a, b = b, a
	}
	for i := range r.Pairs {
		if r.Pairs[i].A == a && r.Pairs[i].B == b {
			return &r.Pairs[i]
		}
	}
	return nil
}

func findDoc(r *result.Result, id string) *result.Document {
	for i := range r.Documents {
		if r.Documents[i].ID == id {
			return &r.Documents[i]
		}
	}
	return nil
}

// passageText returns the two sides of a passage as text.
func passageText(t *testing.T, p *result.Pair, x result.Passage) (string, string) {
	t.Helper()
	read := func(id string) []byte {
		b, err := os.ReadFile(filepath.Join(exampleCorpus, id))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return string(read(p.A)[x.AStart:x.AEnd]), string(read(p.B)[x.BStart:x.BEnd])
}

// TestExampleCorpusAnswerKey checks the reuse planted in testdata/corpus,
// as described in testdata/CORPUS.md.
func TestExampleCorpusAnswerKey(t *testing.T) {
	r := scanCorpus(t, Options{}, exampleCorpus)
	const (
		release  = "releases/2024-03-05-tvwa-mill-road-renewal.txt"
		bills    = "courier/2024-03-07-water-bills.txt"
		dig      = "gazette/2024-03-08-mill-road-dig.txt"
		plan     = "chronicle/2024-03-09-water-main-plan.md"
		budget   = "courier/2024-03-14-council-budget.txt"
		column   = "courier/opinion/parking-meters-column.txt"
		review   = "chronicle/2024-03-20-week-in-review.txt"
		library  = "gazette/2024-03-04-library-evening-hours.txt"
		roof     = "gazette/2024-03-06-school-roof.txt"
		backlog  = "chronicle/2024-03-11-school-repair-backlog.txt"
		fair     = "courier/2024-03-10-spring-fair.txt"
		planner  = "gazette/2024-03-19-weekend-planner.txt"
		bridgeA  = "courier/2024-03-12-kessing-bridge-closed.html"
		bridgeB  = "gazette/2024-03-12-route-14-bridge-closure.txt"
		bridgeC  = "chronicle/2024-03-13-kessing-bridge.md"
		jsonlLib = "vps-2024-03-15-library"
	)
	tests := []struct {
		name         string
		a, b         string
		minPassages  int
		minWords     int // shared words at least
		wantContains string
	}{
		{"release quoted with curly quotes", release, bills, 1, 80, "Much of the pipe"}, // two passages bridged across a 5-word insertion
		{"release quoted with line wraps", release, dig, 2, 45, "Work will begin on April 8"},
		{"release quoted with case changes", release, plan, 2, 45, "Board of Directors approved"},
		{"one sentence in two copies", bills, plan, 1, 15, "Replacing it in one planned season"},
		{"short quote", budget, column, 1, 12, "backs of renters"},
		{"remix 1", review, budget, 1, 20, "Harlow town council passed"},
		{"remix 2", review, library, 1, 20, "Millbrook Public Library"},
		{"remix 3", review, roof, 1, 20, "Oluwaseun Marsh"},
		{"light edit", roof, backlog, 1, 60, "water began dripping"},
		{"heavy edit", fair, planner, 1, 35, "pancake breakfast"},
		{"jsonl record", library, jsonlLib, 1, 30, "Ruth Adebayo-Klein"},
		{"syndicated A~B", bridgeA, bridgeB, 1, 250, "KESSING FALLS"},
		{"syndicated A~C", bridgeA, bridgeC, 1, 250, "KESSING FALLS"},
		{"syndicated B~C", bridgeB, bridgeC, 1, 250, "KESSING FALLS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := findPair(r, tc.a, tc.b)
			if p == nil {
				t.Fatalf("no pair %s ~ %s", tc.a, tc.b)
			}
			if len(p.Passages) < tc.minPassages || p.SharedWords < tc.minWords {
				t.Errorf("%s ~ %s: %d passages, %d shared words; want at least %d and %d",
					tc.a, tc.b, len(p.Passages), p.SharedWords, tc.minPassages, tc.minWords)
			}
			if p.A == jsonlLib || p.B == jsonlLib {
				return // not a file of its own
			}
			found := false
			for _, x := range p.Passages {
				ta, tb := passageText(t, p, x)
				if strings.Contains(ta+tb, tc.wantContains) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s ~ %s: no passage contains %q", tc.a, tc.b, tc.wantContains)
			}
		})
	}

	// No reuse at all.
	for _, id := range []string{"gazette/2024-02-27-heron-count.txt", "chronicle/2024-03-16-orchard-frost.txt",
		"chronicle/curling-bonspiel.txt", "vps-2024-03-15-pool", "vps-2024-03-15-dog"} {
		d := findDoc(r, id)
		if d == nil {
			t.Errorf("document %s missing", id)
			continue
		}
		if d.ReusedWords != 0 {
			t.Errorf("%s: %d reused words, want 0", id, d.ReusedWords)
		}
	}
	// The gazette copy of the release shares nothing with the other copies.
	for _, other := range []string{bills, plan} {
		if p := findPair(r, dig, other); p != nil {
			t.Errorf("unexpected pair %s ~ %s: %+v", dig, other, p.Passages)
		}
	}

	// The syndicated story is one group of three.
	var group *result.Group
	for i := range r.Groups {
		if slices.Contains(r.Groups[i].Documents, bridgeB) {
			group = &r.Groups[i]
		}
	}
	if group == nil || !slices.Equal(group.Documents, []string{bridgeC, bridgeA, bridgeB}) {
		t.Errorf("syndication group = %+v, want %s, %s, %s", group, bridgeC, bridgeA, bridgeB)
	}

	// The Courier footer is one cluster over all five Courier documents.
	courier := []string{bills, fair, bridgeA, budget, column}
	footer := false
	for _, c := range r.Clusters {
		if strings.Contains(c.Text, "Get the Courier in your inbox") {
			var docs []string
			for _, m := range c.Members {
				docs = append(docs, m.Doc)
			}
			docs = slices.Compact(docs)
			footer = true
			for _, id := range courier {
				if !slices.Contains(docs, id) {
					t.Errorf("footer cluster %d misses %s (members %v)", c.ID, id, docs)
				}
			}
		}
	}
	if !footer {
		t.Error("no cluster for the Courier footer")
	}
}

// TestCurlyQuotesOnePassage: a quote that differs only in curly vs straight
// quotation marks and apostrophes is one passage, with similarity 1.
func TestCurlyQuotesOnePassage(t *testing.T) {
	dir := t.TempDir()
	a := "The harbour master spoke first. \"We don't close the port lightly, but the storm won't wait for anyone's timetable,\" she told the crowd on the quay.\n"
	b := "Fishermen were unhappy on Monday. “We don’t close the port lightly, but the storm won’t wait for anyone’s timetable,” the harbour master said.\n"
	for name, text := range map[string]string{"a.txt": a, "b.txt": b} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := scanCorpus(t, Options{}, dir)
	p := findPair(r, "a.txt", "b.txt")
	if p == nil || len(p.Passages) != 1 {
		t.Fatalf("pairs = %+v, want one pair with one passage", r.Pairs)
	}
	x := p.Passages[0]
	if got, want := a[x.AStart:x.AEnd], "We don't close the port lightly, but the storm won't wait for anyone's timetable"; got != want {
		t.Errorf("A side = %q, want %q", got, want)
	}
	if x.Similarity != 1 {
		t.Errorf("similarity = %v, want 1", x.Similarity)
	}
}
