package reusebeam

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

	"github.com/reuse-tool/reuse"
	"github.com/reuse-tool/reuse/eval/gen"
	"github.com/reuse-tool/reuse/report"
	"github.com/reuse-tool/reuse/result"
)

// runBoth scans inputs with reuse.Scan and with the pipeline on Prism, and
// fails unless the two JSON results are the same bytes.
func runBoth(t *testing.T, cfg Config) *result.Result {
	t.Helper()
	ctx := context.Background()
	opt := cfg.Settings.options()
	want, err := reuse.Scan(ctx, cfg.Inputs, opt)
	if err != nil {
		t.Fatal(err)
	}
	var wantJSON bytes.Buffer
	if err := result.WriteJSON(&wantJSON, want); err != nil {
		t.Fatal(err)
	}
	cfg.Output = filepath.Join(t.TempDir(), "result.json")
	p, s := beam.NewPipelineWithRoot()
	Build(s, cfg)
	if _, err := prism.Execute(ctx, p); err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	got, err := os.ReadFile(cfg.Output)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, wantJSON.Bytes()) {
		os.WriteFile(filepath.Join(os.TempDir(), "reuse-beam-got.json"), got, 0o644)
		os.WriteFile(filepath.Join(os.TempDir(), "reuse-beam-want.json"), wantJSON.Bytes(), 0o644)
		t.Fatalf("the pipeline's result differs from reuse.Scan's (%d vs %d bytes; both in %s as reuse-beam-got.json and reuse-beam-want.json)",
			len(got), wantJSON.Len(), os.TempDir())
	}
	if want.Stats.Pairs+want.Stats.Clusters == 0 {
		t.Fatalf("nothing found: %+v", want.Stats)
	}
	t.Logf("identical: %+v", want.Stats)
	return want
}

// kinds counts the passages of r by kind ("" for exact).
func kinds(r *result.Result) map[string]int {
	n := map[string]int{}
	for _, p := range r.Pairs {
		for _, q := range p.Passages {
			n[q.Kind]++
		}
	}
	return n
}

func TestIdentityExampleCorpus(t *testing.T) {
	// A default scan finds the heavily edited paragraph as one reworded
	// passage; the exact scan in pieces.
	if n := kinds(runBoth(t, Config{Inputs: []string{"../testdata/corpus"}})); n["reworded"] == 0 {
		t.Errorf("passages by kind %v: want a reworded one", n)
	}
	if n := kinds(runBoth(t, Config{Inputs: []string{"../testdata/corpus"}, Settings: Settings{Exact: true}})); n["reworded"] != 0 {
		t.Errorf("exact: passages by kind %v, want exact ones only", n)
	}
}

// Every class of reuse (eval/gen), 300 documents.
func TestIdentityGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("generated corpus: not in -short")
	}
	dir := t.TempDir()
	if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 1, Docs: 300}); err != nil {
		t.Fatal(err)
	}
	runBoth(t, Config{Inputs: []string{filepath.Join(dir, "corpus")}})
}

// With Reworded, documents are paired by their reworded keys too (a
// second shuffle merged into the fingerprints' candidates): on 300
// generated documents the scan then finds pairs a default scan does not,
// and the pipeline finds the same.
func TestIdentityReworded(t *testing.T) {
	if testing.Short() {
		t.Skip("generated corpus: not in -short")
	}
	dir := t.TempDir()
	if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 1, Docs: 300}); err != nil {
		t.Fatal(err)
	}
	in := []string{filepath.Join(dir, "corpus")}
	def, err := reuse.Scan(context.Background(), in, Settings{}.options())
	if err != nil {
		t.Fatal(err)
	}
	rw := runBoth(t, Config{Inputs: in, Settings: Settings{Reworded: true}})
	if rw.Stats.Pairs <= def.Stats.Pairs {
		t.Errorf("--reworded: %d pairs, default %d: the keys paired nothing more, the test checks little", rw.Stats.Pairs, def.Stats.Pairs)
	}
	runBoth(t, Config{Inputs: []string{"../testdata/corpus"}, Settings: Settings{Reworded: true}})
}

// With listed pairs (PAN mode), only they are compared, each whole: a
// pair the shuffle makes, one it does not (nothing in common), one
// listed twice in both orders, and one naming an id no document has (a
// warning, one skipped input), at default settings and with Exact.
func TestIdentityPairs(t *testing.T) {
	listed := [][2]string{
		{"courier/opinion/parking-meters-column.txt", "courier/2024-03-14-council-budget.txt"},
		{"chronicle/2024-03-13-kessing-bridge.md", "gazette/2024-03-12-route-14-bridge-closure.txt"},
		{"gazette/2024-03-12-route-14-bridge-closure.txt", "chronicle/2024-03-13-kessing-bridge.md"},
		{"gazette/2024-02-27-heron-count.txt", "chronicle/curling-bonspiel.txt"},
		{"gazette/2024-03-06-school-roof.txt", "chronicle/2024-03-11-school-repair-backlog.txt"},
		{"courier/2024-03-10-spring-fair.txt", "gazette/2024-03-19-weekend-planner.txt"},
		{"no/such.txt", "chronicle/curling-bonspiel.txt"},
	}
	for _, exact := range []bool{false, true} {
		r := runBoth(t, Config{Inputs: []string{"../testdata/corpus"}, Settings: Settings{Pairs: listed, Exact: exact}})
		if r.Stats.Pairs != 4 || r.Stats.Skipped != 1 {
			t.Errorf("exact %v: %d pairs, %d skipped; want the 4 listed pairs that share text, 1 skipped", exact, r.Stats.Pairs, r.Stats.Skipped)
		}
		// The heavily edited paragraph is one reworded passage, aligned
		// whole, unless Exact.
		if n := kinds(r); (n["reworded"] > 0) == exact {
			t.Errorf("exact %v: passages by kind %v", exact, n)
		}
	}
}

// A listed pair is aligned whole: its verbatim paragraph alone does not
// show rewording, so a scan finds only it, but the listed pair also has
// its sentences with their words shuffled found (written for this test).
func TestIdentityPairsWhole(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"a.txt": "Ferry timetables change next week. Residents should check the notice boards at the terminal for the winter schedule and fares.\n\nThe harbour commission approved a plan on Tuesday to dredge the northern channel before the autumn storms arrive, at a cost the treasurer called modest.\n\nFishermen in the bay have complained for years that silt from the river blocks their boats at low tide. Engineers from the provincial ministry surveyed the channel last spring and measured depths below two metres. The mayor promised that local contractors would receive the dredging work and that the spoil would rebuild eroded dunes. Environmental groups asked the council to protect the eelgrass beds that shelter young herring near the mouth.\n\nThe library will close early on Friday for a staff training day organised by the regional network.",
		"b.txt": "A new bakery opened on Main Street with bread baked in a wood oven that the owners brought from their village.\n\nThe harbour commission approved a plan on Tuesday to dredge the northern channel before the autumn storms arrive, at a cost the treasurer called modest.\n\nThat bay for complained boats at the river fishermen in blocks from tide silt their the have low years. Measured ministry spring from channel engineers surveyed two last depths below provincial the and the metres. Spoil local that mayor contractors eroded rebuild promised receive work that the would and dunes would the the dredging. The the the environmental asked groups near beds to shelter mouth protect council that young herring eelgrass.\n\nVolunteers will count migrating geese at the marsh on Sunday morning and welcome newcomers with binoculars.",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if n := kinds(runBoth(t, Config{Inputs: []string{dir}})); n["reworded"] != 0 {
		t.Fatalf("a scan: passages by kind %v, want exact ones only", n)
	}
	if n := kinds(runBoth(t, Config{Inputs: []string{dir}, Settings: Settings{Pairs: [][2]string{{"a.txt", "b.txt"}}}})); n["reworded"] == 0 {
		t.Errorf("the listed pair: passages by kind %v, want the shuffled sentences reworded", n)
	}
}

// JSONL inputs read in parts (plain by byte ranges, gzip by lines handed
// on) give the records, line numbers, ids and renamed duplicates of a
// scan; the max-df and min-words settings reach every stage.
func TestIdentityJSONLParts(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../testdata/corpus/courier/2024-03-14-council-budget.txt")
	if err != nil {
		t.Fatal(err)
	}
	paras := strings.Split(string(src), "\n\n")
	var b strings.Builder
	for i := range 40 {
		text := strings.Join([]string{paras[i%len(paras)], paras[(i*7+3)%len(paras)]}, "\n\n")
		id := fmt.Sprintf(`"id": "r%d", `, i%13) // duplicates, renamed
		if i%5 == 4 {
			id = "" // <file>#<line>
		}
		fmt.Fprintf(&b, "{%s\"text\": %q, \"date\": \"2024-03-%02d\"}\n", id, text, 1+i%28)
		if i%9 == 8 {
			b.WriteString("not json\n")
		}
	}
	data := []byte(b.String())
	if err := os.WriteFile(filepath.Join(dir, "a.jsonl"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, "b.jsonl.gz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	runBoth(t, Config{Inputs: []string{dir}, PartBytes: 2000, Settings: Settings{MaxDF: 30, MinWords: 8, PassageText: true}})
}

// Text that repeats itself, as code does: each document is lines drawn
// from a small pool, so most fingerprints are held several times by a
// document, and a pair's anchors are first places that B's repeats
// expand (pairs.Aligner.AlignSeeds) as its seed record does in a scan.
func TestIdentityRepeats(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(7, 8))
	vocab := make([]string, 300)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%x", r.Uint32())
	}
	pool := make([]string, 60)
	for i := range pool {
		var words []string
		for range 3 + r.IntN(6) {
			words = append(words, vocab[r.IntN(len(vocab))])
		}
		pool[i] = strings.Join(words, " ")
	}
	for d := range 30 {
		var b strings.Builder
		for range 100 + r.IntN(200) {
			if r.IntN(4) == 0 {
				fmt.Fprintf(&b, "%s %s\n", vocab[r.IntN(len(vocab))], vocab[r.IntN(len(vocab))])
			}
			b.WriteString(pool[r.IntN(8+d%5*10)] + "\n")
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%02d.c", d)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runBoth(t, Config{Inputs: []string{dir}})
}

// A sentence printed by 30 documents and quoted by one: the fingerprints
// inside the quotation pair the quoting document with all 30 (the
// postings' quotation flag, candidate.Key.Quoted), which the rules would
// not do on the fingerprints' frequencies alone.
func TestIdentityQuotations(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(9, 10))
	sentence := func() string {
		words := make([]string, 14)
		for i := range words {
			words[i] = fmt.Sprintf("w%x", r.Uint32N(1<<20))
		}
		return strings.Join(words, " ") + ". "
	}
	const shared = "the old harbour will stay closed until the storm passes"
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 30 {
		write(fmt.Sprintf("bare%02d.txt", i), sentence()+sentence()+"We heard that "+shared+". "+sentence()+"\n")
	}
	write("quote.txt", sentence()+sentence()+`The mayor wrote: "The`+shared[3:]+`." `+sentence()+"\n")
	res := runBoth(t, Config{Inputs: []string{dir}})
	if res.Stats.Pairs != 30 {
		t.Errorf("%d pairs, want the 30 of quote.txt", res.Stats.Pairs)
	}
}

func TestMain(m *testing.M) {
	beam.Init()
	restore, err := ScratchTemp()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	restore()
	os.Exit(code)
}

// TestScratchTemp: a pipeline run inside ScratchTemp leaves nothing in
// the temporary folder it was given, and TMPDIR comes back.
func TestScratchTemp(t *testing.T) {
	outer := t.TempDir()
	t.Setenv("TMPDIR", outer)
	restore, err := ScratchTemp()
	if err != nil {
		t.Fatal(err)
	}
	if got := os.TempDir(); filepath.Dir(got) != outer {
		t.Errorf("inside ScratchTemp, TMPDIR = %s, want a folder in %s", got, outer)
	}
	runBoth(t, Config{Inputs: []string{"../testdata/corpus"}})
	restore()
	if got := os.TempDir(); got != outer {
		t.Errorf("after ScratchTemp, TMPDIR = %s, want %s", got, outer)
	}
	if left, err := os.ReadDir(outer); err != nil || len(left) > 0 {
		t.Errorf("left in the temporary folder: %v (%v)", left, err)
	}
}

// runSharded runs the pipeline with JSONL output in shards and fails
// unless the shards hold the lines of `reuse scan --format jsonl`, each
// once, shard 0 beginning with the scan line, and each shard in the
// scan's order.
func runSharded(t *testing.T, cfg Config) {
	t.Helper()
	ctx := context.Background()
	opt := cfg.Settings.options()
	opt.PassageText = true // JSONL rows stand alone
	want, err := reuse.Scan(ctx, cfg.Inputs, opt)
	if err != nil {
		t.Fatal(err)
	}
	var wantJSONL bytes.Buffer
	if err := result.Feed(report.NewJSONLSink(&wantJSONL), want); err != nil {
		t.Fatal(err)
	}
	wantLines := strings.SplitAfter(wantJSONL.String(), "\n")
	wantLines = wantLines[:len(wantLines)-1] // after the last newline
	place := make(map[string]int, len(wantLines))
	for i, l := range wantLines {
		if _, dup := place[l]; dup {
			t.Fatalf("line %d of the scan's JSONL is there twice: %s", i, l)
		}
		place[l] = i
	}

	cfg.Output = filepath.Join(t.TempDir(), "result.jsonl")
	p, s := beam.NewPipelineWithRoot()
	Build(s, cfg)
	if _, err := prism.Execute(ctx, p); err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	if _, err := os.Stat(cfg.Output); !os.IsNotExist(err) {
		t.Errorf("%s written beside the shards (%v)", cfg.Output, err)
	}
	seen := make([]bool, len(wantLines))
	nonEmpty := 0
	for i := range cfg.Shards {
		name := ShardName(cfg.Output, i, cfg.Shards)
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("shard %d: %v", i, err)
		}
		lines := strings.SplitAfter(string(data), "\n")
		lines = lines[:len(lines)-1]
		if len(lines) > 1 {
			nonEmpty++
		}
		last := -1
		for j, l := range lines {
			at, ok := place[l]
			switch {
			case !ok:
				t.Fatalf("%s line %d is not the scan's: %s", filepath.Base(name), j+1, l)
			case seen[at]:
				t.Fatalf("%s line %d is in another shard too: %s", filepath.Base(name), j+1, l)
			case at < last:
				t.Fatalf("%s line %d comes before line %d in the scan: %s", filepath.Base(name), j+1, j, l)
			}
			seen[at], last = true, at
		}
		if i == 0 && (len(lines) == 0 || lines[0] != wantLines[0]) {
			t.Errorf("shard 0 does not begin with the scan line %s", wantLines[0])
		}
	}
	for i, ok := range seen {
		if !ok {
			t.Fatalf("no shard holds line %d of the scan's JSONL: %s", i+1, wantLines[i])
		}
	}
	if nonEmpty < 2 {
		t.Errorf("%d of %d shards hold more than the scan line", nonEmpty, cfg.Shards)
	}
	t.Logf("%d lines in %d shards", len(wantLines), cfg.Shards)
}

// JSONL output in shards written by several workers holds the scan's
// lines.
func TestShardedJSONL(t *testing.T) {
	runSharded(t, Config{Inputs: []string{"../testdata/corpus"}, Shards: 3})
	if testing.Short() {
		return
	}
	dir := t.TempDir()
	if _, err := gen.Generate(context.Background(), dir, gen.Config{Seed: 2, Docs: 200}); err != nil {
		t.Fatal(err)
	}
	runSharded(t, Config{Inputs: []string{filepath.Join(dir, "corpus")}, Shards: 5})
}

// Boilerplate everywhere (max-df 3): footers printed by most documents,
// some holding two footers side by side so that their families chain
// through documents in other blocks (4 documents a block), with one round
// of label propagation so that the components' last step has work.
func TestIdentityBoilerplate(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(3, 4))
	word := func() string { return fmt.Sprintf("w%x", r.Uint32()) }
	sentence := func(n int) string {
		words := make([]string, n)
		for i := range words {
			words[i] = word()
		}
		return strings.Join(words, " ") + "."
	}
	footers := make([]string, 4)
	for i := range footers {
		footers[i] = sentence(14)
	}
	for d := range 40 {
		var b strings.Builder
		for range 5 + r.IntN(5) {
			b.WriteString(sentence(12+r.IntN(10)) + "\n\n")
		}
		switch d % 4 {
		case 0:
			b.WriteString(footers[0] + "\n")
		case 1:
			b.WriteString(footers[0] + " " + footers[1] + "\n") // ties 0 and 1
		case 2:
			b.WriteString(footers[2] + "\n\n" + sentence(12) + "\n\n" + footers[3] + "\n")
		case 3:
			b.WriteString(footers[1] + " " + footers[2] + "\n") // ties 1 and 2
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("d%02d.txt", d)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Window 8 leaves gaps between a run's fingerprints (cluster.CoverEnd).
	for _, window := range []int{0, 8} {
		cfg := Config{Inputs: []string{dir}, BlockDocs: 4, Rounds: 1, Settings: Settings{MaxDF: 3, Window: window}}
		res, err := reuse.Scan(context.Background(), cfg.Inputs, cfg.Settings.options())
		if err != nil {
			t.Fatal(err)
		}
		boiler := 0
		for _, c := range res.Clusters {
			if c.Boilerplate {
				boiler++
			}
		}
		if boiler < 2 {
			t.Fatalf("window %d: %d boilerplate clusters in the scan, want at least 2 to compare", window, boiler)
		}
		runBoth(t, cfg)
	}
}
