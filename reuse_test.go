package reuse

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reuse-tool/reuse/eval/gen"
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

// randomWord returns a word of min to min+spread-1 random lower-case
// letters: text no other test document holds.
func randomWord(r *rand.Rand, min, spread int) string {
	var b strings.Builder
	for range min + r.IntN(spread) {
		b.WriteByte(byte('a' + r.IntN(26)))
	}
	return b.String()
}

// randomWords returns n random words of 3 to 8 letters (randomWord),
// separated by spaces.
func randomWords(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(randomWord(r, 3, 6))
	}
	return b.String()
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

// TestOptionsOutOfRange: Scan refuses options out of range with
// ErrOptions, naming the option, rather than running with a default; the
// zero value of each means its default.
func TestOptionsOutOfRange(t *testing.T) {
	tests := []struct {
		opt  Options
		name string
	}{
		{Options{Shingle: -1}, "shingle"}, {Options{Shingle: 65}, "shingle"},
		{Options{Window: -2}, "window"}, {Options{Window: 2000}, "window"},
		{Options{MinWords: -3}, "min-words"},
		{Options{Threshold: -0.5}, "threshold"}, {Options{Threshold: 2}, "threshold"},
		{Options{MaxDF: 1}, "max-df"}, {Options{MaxDF: -1}, "max-df"},
		{Options{Workers: -3}, "workers"},
	}
	for _, tt := range tests {
		_, err := Scan(context.Background(), []string{exampleCorpus}, tt.opt)
		if !errors.Is(err, ErrOptions) || !strings.Contains(err.Error(), tt.name) {
			t.Errorf("Scan(%+v) = %v, want ErrOptions naming %s", tt.opt, err, tt.name)
		}
	}
}

// TestOptionsParams: WithDefaults fills in the defaults that a result
// records (Params), and refuses what Scan refuses.
func TestOptionsParams(t *testing.T) {
	opt, err := Options{MaxDF: 30}.WithDefaults()
	if err != nil {
		t.Fatal(err)
	}
	want := result.Params{Shingle: DefaultShingle, Window: DefaultWindow, MinWords: DefaultMinWords, Threshold: DefaultThreshold, MaxDF: 30}
	if got := opt.Params(); got != want {
		t.Errorf("Params() = %+v, want %+v", got, want)
	}
	if _, err := (Options{Window: -2}).WithDefaults(); !errors.Is(err, ErrOptions) {
		t.Errorf("WithDefaults(window -2) = %v, want ErrOptions", err)
	}
}

// TestScanCancelledWhileAligning: cancelling a scan's context while it
// aligns pairs (Progress.Phase is PhaseAligning) ends Scan with
// context.Canceled before alignment is over (package pairs tests that
// no more work units begin once the context is cancelled).
func TestScanCancelledWhileAligning(t *testing.T) {
	dir := t.TempDir()
	if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 5, Docs: 600}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var p Progress
	done := make(chan error, 1)
	go func() {
		_, err := Scan(ctx, []string{filepath.Join(dir, "corpus")}, Options{Workers: 1, Progress: &p})
		done <- err
	}()
	for Phase(p.Phase.Load()) != PhaseAligning {
		select {
		case err := <-done:
			t.Fatalf("Scan ended (%v) before it was seen aligning", err)
		case <-time.After(100 * time.Microsecond):
		}
	}
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Scan did not return 30 s after its context was cancelled while aligning")
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Scan cancelled while aligning = %v, want context.Canceled", err)
	}
	if ph := Phase(p.Phase.Load()); ph != PhaseAligning {
		t.Skipf("alignment was over before the cancel reached it (phase %v at the end; %d of %d pairs aligned)",
			ph, p.Aligned.Load(), p.Pairs.Load())
	}
	t.Logf("cancelled with %d of %d candidate pairs aligned", p.Aligned.Load(), p.Pairs.Load())
}

// failingSink collects the result and fails the failAt-th cluster.
type failingSink struct {
	result.Collector
	failAt, clusters int
}

var errSinkFull = errors.New("sink: disk full")

func (s *failingSink) Cluster(c *result.Cluster) error {
	s.clusters++
	if s.clusters == s.failAt {
		return errSinkFull
	}
	return s.Collector.Cluster(c)
}

// TestSinkErrorInClusters: a sink that fails while the clusters are
// written (they are converted a batch ahead of the sink) ends ScanTo with
// its error, whichever cluster fails, and the clusters before it were
// handed over in order.
func TestSinkErrorInClusters(t *testing.T) {
	corpus := filepath.Join("testdata", "corpus")
	want, err := Scan(context.Background(), []string{corpus}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := len(want.Clusters)
	if n < 3 {
		t.Fatalf("testdata/corpus gives %d clusters; the test needs 3", n)
	}
	for _, at := range []int{1, 2, n} {
		s := &failingSink{failAt: at}
		if err := ScanTo(context.Background(), []string{corpus}, Options{}, s); !errors.Is(err, errSinkFull) {
			t.Errorf("sink failing at cluster %d of %d: ScanTo = %v, want %v", at, n, err, errSinkFull)
		}
		if got := s.Result.Clusters; !reflect.DeepEqual(got, want.Clusters[:at-1]) && !(len(got) == 0 && at == 1) {
			t.Errorf("sink failing at cluster %d: got %d clusters before it, want the scan's first %d", at, len(got), at-1)
		}
	}
}

// cancellingSink cancels the scan's context when the first document
// arrives, and counts the pairs it is given after that.
type cancellingSink struct {
	result.Collector
	cancel func()
	pairs  int
}

func (s *cancellingSink) Document(d *result.Document) error {
	s.cancel()
	return s.Collector.Document(d)
}

func (s *cancellingSink) Pair(p *result.Pair) error {
	s.pairs++
	return s.Collector.Pair(p)
}

// TestCancelledWhileWriting: a scan cancelled while its result is handed
// to the sink stops before the pairs (a large result's pairs take
// seconds) and returns the context's error.
func TestCancelledWhileWriting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := &cancellingSink{cancel: cancel}
	err := ScanTo(ctx, []string{filepath.Join("testdata", "corpus")}, Options{}, s)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ScanTo cancelled while writing = %v, want context.Canceled", err)
	}
	if s.pairs > 0 {
		t.Errorf("%d pairs written after the cancel, want none", s.pairs)
	}
}

// TestQuotesAreNotSummary: the letter of testdata/check quotes three
// sentences of the wire story (its first, a quote from its middle, its
// last), with its own words between them. Each of the three papers that
// printed the story shares those quotes with it, as three exact passages:
// not one reworded "summary" spanning most of the story, which the
// reworded aligner proposes (its seeds are the quotes, spread over the
// story) unless a summary must retell outside its exact runs.
func TestQuotesAreNotSummary(t *testing.T) {
	const letter = "testdata/check/bridge-letter.txt"
	for _, opt := range []Options{{}, {Reworded: true}} {
		res := scanCorpus(t, opt, exampleCorpus, letter)
		pairs := 0
		for _, p := range res.Pairs {
			if p.B != letter || !strings.Contains(p.A, "bridge") {
				continue
			}
			pairs++
			if len(p.Passages) != 3 {
				t.Errorf("reworded %v: %s ~ the letter: %d passages, want the 3 quotes", opt.Reworded, p.A, len(p.Passages))
			}
			for _, q := range p.Passages {
				if q.Kind != "" || q.AEnd-q.AStart > 300 {
					t.Errorf("reworded %v: %s ~ the letter: passage %+v, want an exact quote", opt.Reworded, p.A, q)
				}
			}
		}
		if pairs != 3 {
			t.Errorf("reworded %v: the letter pairs with %d copies of the wire story, want 3", opt.Reworded, pairs)
		}
	}
}

// TestMentionsAreNotReuse: two articles that share only a short mention
// of someone (a name with its title, "said that") are not a pair, even
// when each goes on with a quotation; the same articles sharing a short
// quote of as many words are, and so are a list of names long enough not
// to be a mention and a mention one article quotes inside quotation marks
// (align.Evidence.Mention).
func TestMentionsAreNotReuse(t *testing.T) {
	const (
		before = "Rain fell over the valley for a third day and farmers counted their losses. "
		other  = "A committee met in the old library to discuss plans for next spring's fair. "
		after  = " More storms are expected before the weekend, forecasters warned.\n"
		after2 = " The committee will publish its decision in a fortnight.\n"
	)
	const mention = "Marta Kowalczyk, the spokeswoman of the Harbour Board, said that the"
	tests := []struct {
		shared         string
		aFrame, bFrame [2]string // around the shared words in a and b
		pair           bool
	}{
		{shared: mention, pair: false},
		{shared: "the old harbour will stay closed until the storm has finally passed", pair: true},
		{shared: "Anna Berg, Tomas Lind, Eva Holm, Jonas Ek, Maria Sand, Karl Dahl, Sara Nord, Olof Strand and Lena Vik", pair: true},
		{shared: mention, bFrame: [2]string{`The letter read: "`, `," and nothing more.`}, pair: true},
		{shared: mention, bFrame: [2]string{"Il écrit : « ", " »."}, pair: true},
		{shared: mention[:len(mention)-4], aFrame: [2]string{"", ` "we shall see".`}, bFrame: [2]string{"", ` "no comment".`}, pair: false},
		{shared: mention[:len(mention)-4], aFrame: [2]string{`"Wait," `, ""}, bFrame: [2]string{`"Go," `, ""}, pair: false},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		a := before + tt.aFrame[0] + tt.shared + tt.aFrame[1] + after
		b := other + tt.bFrame[0] + tt.shared + tt.bFrame[1] + after2
		for name, text := range map[string]string{"a.txt": a, "b.txt": b} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r := scanCorpus(t, Options{}, dir)
		p := findPair(r, "a.txt", "b.txt")
		if (p != nil) != tt.pair {
			t.Errorf("sharing %q: pair %+v, want a pair %v", tt.shared, p, tt.pair)
		}
	}
}

// TestQuotationsAreReuse: a sentence printed by many documents is a
// stock phrase: two of them printing it are not a pair. A document that
// sets it inside quotation marks quotes it, and pairs with each of them:
// a fingerprint inside a quotation pairs documents at any frequency
// below boilerplate (candidate.Key.Quoted), and the passage is kept
// (align.Evidence.Quotation). With 8 documents printing 12 words, the
// rules would pair them (two fingerprints near each other, one held by
// at most 9 documents) and the evidence filter drop them (a short
// passage needs a fingerprint held by at most 6); with 30 printing 10
// words, the rules would not pair them.
func TestQuotationsAreReuse(t *testing.T) {
	for _, tc := range []struct {
		shared string
		bare   int
	}{
		{"the old harbour will stay closed until the storm has finally passed", 8},
		{"the old harbour will stay closed until the storm passes", 30},
	} {
		quotationsAreReuse(t, tc.shared, tc.bare)
	}
}

// TestQuotedSloganPairsNone: documents quoting the same short slogan, each
// in sentences of its own, share a quoted fingerprint but no run of
// MinWords words through it: they are not candidates
// (candidate.Rules.QuoteRun), where a quotation of MinWords words or
// more pairs its documents (TestQuotationsAreReuse). The digest that
// tells the run (postings.Around) takes a token for another about once
// in 15: a slogan of 7 words, 2 short of the run, may pair a few.
func TestQuotedSloganPairsNone(t *testing.T) {
	const docs, all = 15, 15 * 14 / 2
	for _, tc := range []struct {
		slogan      string
		least, most int64 // candidate pairs
	}{
		{"build the harbour back better", 0, 0},                             // 5 words
		{"we will build the harbour back better", 0, all / 10},              // 7 words
		{"we will build the old harbour back better than before", all, all}, // 10 words
	} {
		dir := t.TempDir()
		r := rand.New(rand.NewPCG(9, 10))
		words := func(n int) string { return randomWords(r, n) }
		for i := range docs {
			text := words(30) + ". " + words(4) + ` "` + tc.slogan + `" ` + words(4) + ". " + words(30) + ".\n"
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("d%02d.txt", i)), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var p Progress
		res := scanCorpus(t, Options{Progress: &p}, dir)
		if got := p.Pairs.Load(); got < tc.least || got > tc.most {
			t.Errorf("%d documents quoting %q: %d candidate pairs, want %d to %d", docs, tc.slogan, got, tc.least, tc.most)
		}
		if wantPairs := tc.least > 0; (len(res.Pairs) > 0) != wantPairs {
			t.Errorf("%d documents quoting %q: %d pairs, want some: %v", docs, tc.slogan, len(res.Pairs), wantPairs)
		}
	}
}

func quotationsAreReuse(t *testing.T, shared string, bare int) {
	t.Helper()
	res := scanCorpus(t, Options{}, writeQuotations(t, t.TempDir(), shared, bare))
	if p := findPair(res, "bare00.txt", "bare01.txt"); p != nil {
		t.Errorf("%d documents printing %q: pair %+v, want none", bare, shared, *p)
	}
	for i := range bare {
		if p := findPair(res, "quote.txt", fmt.Sprintf("bare%02d.txt", i)); p == nil {
			t.Errorf("%d documents printing %q: quote.txt~bare%02d.txt: no pair, want one (a quotation)", bare, shared, i)
		}
	}
}

// writeQuotations writes into dir bare documents printing shared amid
// sentences of their own, and quote.txt quoting it, and returns dir.
func writeQuotations(t *testing.T, dir, shared string, bare int) string {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 8))
	sentence := func() string {
		var b strings.Builder
		for i := range 14 {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(randomWord(r, 3, 6))
		}
		return b.String() + ". "
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range bare {
		write(fmt.Sprintf("bare%02d.txt", i), sentence()+sentence()+"We heard that "+shared+". "+sentence()+sentence()+"\n")
	}
	write("quote.txt", sentence()+sentence()+`The mayor wrote: "`+strings.ToUpper(shared[:1])+shared[1:]+`." `+sentence()+sentence()+"\n")
	return dir
}

// TestWeightedCodeFragments: the sentence-edge rule of a weighted scan
// judges prose only. Pairs of source files sharing a short run of code
// from inside one statement to inside another (a fragment, were it
// prose) are found by a weighted scan as by a plain one; the same run
// inside sentences of prose, unquoted, is dropped by the weighted scan.
func TestWeightedCodeFragments(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(11, 12))
	ident := func() string { return randomWord(r, 4, 6) }
	// code is a few lines of C; prose, sentences of random words.
	code := func(lines int) string {
		var b strings.Builder
		for range lines {
			fmt.Fprintf(&b, "\t%s = %s(%s, %s) + %s;\n", ident(), ident(), ident(), ident(), ident())
		}
		return b.String()
	}
	prose := func(sentences int) string {
		var b strings.Builder
		for range sentences {
			b.WriteString("The")
			for range 11 {
				b.WriteString(" " + ident())
			}
			b.WriteString(". ")
		}
		return b.String()
	}
	const pairs = 20
	for i := range pairs {
		// Eleven identifiers shared: from inside a call to inside an
		// addition, 11 words, under 2·MinWords.
		run := fmt.Sprintf("%s, %s) + %s * %s(%s, %s, %s) - %s(%s, %s) + %s", ident(), ident(), ident(), ident(), ident(), ident(), ident(), ident(), ident(), ident(), ident())
		sentence := fmt.Sprintf("%s, %s and %s of %s with %s, %s, %s but %s %s %s %s", ident(), ident(), ident(), ident(), ident(), ident(), ident(), ident(), ident(), ident(), ident())
		for _, side := range []string{"a", "b"} {
			c := "int f(void)\n{\n" + code(6) + "\tx = " + ident() + "(" + run + " * " + ident() + ";\n" + code(6) + "}\n"
			p := prose(3) + "Then " + ident() + " " + sentence + " " + ident() + " went. " + prose(3) + "\n"
			for name, text := range map[string]string{fmt.Sprintf("code/%s%02d.c", side, i): c, fmt.Sprintf("prose/%s%02d.txt", side, i): p} {
				if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	count := func(res *result.Result, folder, ext string) (found int) {
		for i := range pairs {
			if findPair(res, fmt.Sprintf("%s/a%02d%s", folder, i, ext), fmt.Sprintf("%s/b%02d%s", folder, i, ext)) != nil {
				found++
			}
		}
		return found
	}
	plain := scanCorpus(t, Options{}, dir)
	weighted := scanCorpus(t, Options{Weighted: true}, dir)
	for _, c := range []struct {
		name, folder, ext string
		plain, weighted   int
	}{
		{"code", "code", ".c", pairs, pairs},
		{"prose", "prose", ".txt", pairs, 0},
	} {
		p, w := count(plain, c.folder, c.ext), count(weighted, c.folder, c.ext)
		if p != c.plain || w != c.weighted {
			t.Errorf("%s: pairs found plain %d, weighted %d of %d; want %d and %d", c.name, p, w, pairs, c.plain, c.weighted)
		}
	}
	if len(plain.Pairs) != 2*pairs {
		t.Errorf("plain scan: %d pairs, want the %d planted", len(plain.Pairs), 2*pairs)
	}
}

// TestWeightedSentencesBesideStockPhrases: 200 pairs of documents each
// share one sentence of 9 words, two of their own, a stock phrase of
// five that every document prints (boilerplate at --max-df 20), and
// two of their own, as "The fasment rose by fourteen percent to four
// bridges". Plain winnowing keeps the stock phrase's shingle
// in some of those sentences, and its boilerplate, widened for its
// uncertain edges, then covers the pair's own fingerprints: no pair.
// Weighted winnowing keeps the shingles reaching into the pair's own
// words instead, and pairs all of them, and nothing else.
func TestWeightedSentencesBesideStockPhrases(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(9, 10))
	word := func() string { return randomWord(r, 3, 6) }
	words := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = word()
		}
		return strings.Join(w, " ")
	}
	const stock = "rose by fourteen percent to"
	const pairs = 200
	for i := range pairs {
		shared := "The " + words(1) + " " + stock + " " + words(2) + ". "
		for _, side := range []string{"a", "b"} {
			text := words(12) + ". " + words(12) + ". " + shared + words(12) + ". Then it " + stock + " " + words(6) + ".\n"
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s%02d.txt", side, i)), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	count := func(res *result.Result) (found int) {
		for i := range pairs {
			if findPair(res, fmt.Sprintf("a%02d.txt", i), fmt.Sprintf("b%02d.txt", i)) != nil {
				found++
			}
		}
		if len(res.Pairs) != found {
			t.Errorf("%d pairs, %d of them planted", len(res.Pairs), found)
		}
		return found
	}
	plain := count(scanCorpus(t, Options{MaxDF: 20}, dir))
	weighted := count(scanCorpus(t, Options{MaxDF: 20, Weighted: true}, dir))
	t.Logf("pairs found: plain winnowing %d, weighted %d of %d", plain, weighted, pairs)
	if _, err := Scan(context.Background(), []string{dir, "-"}, Options{Weighted: true}); !errors.Is(err, ErrOptions) {
		t.Errorf("a weighted scan of standard input = %v, want ErrOptions (it is read twice)", err)
	}
	if weighted != pairs || plain == pairs {
		t.Errorf("pairs found: plain winnowing %d, weighted %d of %d; want fewer than %d, and all", plain, weighted, pairs, pairs)
	}
}
