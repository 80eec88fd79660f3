package shingle

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/internal/testctx"
)

// TestAnalyze checks Analyze against the pieces it is made of, with and
// without a metadata header, and that it allocates nothing once warm.
func TestAnalyze(t *testing.T) {
	texts := []struct {
		text   string
		header int
	}{
		{"", 0},
		{"one two", 0},
		{"The ferry to the island was cancelled on Monday after strong winds damaged the landing stage.", 0},
		{" date 2024-03-05\nThe ferry to the island was cancelled on Monday after strong winds damaged the landing stage.", 17},
		{"今天上午，市政府宣布将在河边修建一座新的图书馆。", 0},
		{"the ferry was late and the ferry was late and the ferry was late again, the ferry was late and the ferry was late", 0},
	}
	z := NewAnalyzer(AnalyzerOptions{})
	opt := z.Options()
	for _, tt := range texts {
		text := []byte(tt.text)
		a := z.Analyze(text, tt.header)
		toks := NewTokenizer().Tokenize(nil, text[tt.header:])
		for i := range toks {
			toks[i].Start += uint32(tt.header)
			toks[i].End += uint32(tt.header)
		}
		if !slices.Equal(a.Tokens, toks) {
			t.Errorf("Analyze(%q).Tokens = %v, want %v", tt.text, a.Tokens, toks)
		}
		seeds, _ := Seeds(nil, toks, opt.Seed, nil)
		if !slices.Equal(a.Seeds, seeds) {
			t.Errorf("Analyze(%q).Seeds = %v, want %v", tt.text, a.Seeds, seeds)
		}
		fps, _ := Winnow(nil, nil, Shingles(nil, toks, opt.Shingle), opt.Window)
		if !slices.Equal(a.Fingerprints, fps) {
			t.Errorf("Analyze(%q).Fingerprints = %v, want %v", tt.text, a.Fingerprints, fps)
		}
		var hashes []uint64
		for _, f := range fps {
			hashes = append(hashes, f.Hash)
		}
		if sig := NewSigner(opt.SignatureSize).Sign(nil, hashes); !slices.Equal(a.Signature, sig) {
			t.Errorf("Analyze(%q).Signature differs from Sign of the fingerprints", tt.text)
		}
		slices.Sort(hashes)
		if d := len(slices.Compact(hashes)); a.Distinct != d {
			t.Errorf("Analyze(%q).Distinct = %d, want %d", tt.text, a.Distinct, d)
		}
		// Repeats by definition: every later place of a fingerprint
		// with its first place.
		var reps [][2]uint32
		for i, f := range fps {
			first := slices.IndexFunc(fps, func(g Fingerprint) bool { return g.Hash == f.Hash })
			if first != i {
				reps = append(reps, [2]uint32{fps[first].Pos, f.Pos})
			}
		}
		slices.SortFunc(reps, func(x, y [2]uint32) int { return slices.Compare(x[:], y[:]) })
		var want []uint32
		for _, r := range reps {
			want = append(want, r[0], r[1])
		}
		if !slices.Equal(a.Repeats, want) {
			t.Errorf("Analyze(%q).Repeats = %v, want %v", tt.text, a.Repeats, want)
		}
		if got := Repeats(nil, fps); !slices.Equal(got, want) {
			t.Errorf("Repeats(Fingerprints of %q) = %v, want %v", tt.text, got, want)
		}
	}
	if a := z.Analyze([]byte(texts[len(texts)-1].text), 0); len(a.Repeats) == 0 {
		t.Error("a text repeating itself gave no Repeats: the test checks nothing")
	}
	text := []byte(texts[3].text)
	if n := testing.AllocsPerRun(100, func() { z.Analyze(text, 17) }); n > 1 {
		t.Errorf("Analyze allocates %v times a call, want at most once (go-minhash's sketch)", n)
	}
}

// TestHashSetDistinct: the set's distinct hashes against sorting, on
// hashes that collide in their low bits, with the hash 0 and repeats,
// across documents of growing and shrinking size (the set is reused).
func TestHashSetDistinct(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var s hashSet
	for _, n := range []int{0, 1, 5, 300, 40000, 3, 700} {
		fps := make([]Fingerprint, n)
		for i := range fps {
			switch r.IntN(4) {
			case 0:
				fps[i].Hash = uint64(r.IntN(3)) // 0, 1, 2: repeats and zero
			case 1:
				fps[i].Hash = uint64(r.IntN(50)) << 40 // equal low bits
			default:
				fps[i].Hash = r.Uint64()
			}
		}
		got, _ := s.distinct(context.Background(), nil, fps)
		if want := distinctOf(fps); !slices.Equal(got, want) {
			t.Fatalf("%d fingerprints: distinct = %d hashes, want %d in order of first place", n, len(got), len(distinctOf(fps)))
		}
	}
}

// TestRepeatsRandom: Repeats against its definition (each later place of
// a hash paired with its first place, sorted) on fingerprints whose
// hashes repeat, collide in their low bits, or are 0.
func TestRepeatsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var set hashSet
	var buf []uint64 // repeats' scratch
	for _, n := range []int{0, 1, 2, 10, 300, 5000} {
		fps := make([]Fingerprint, n)
		for i := range fps {
			fps[i] = Fingerprint{Hash: r.Uint64N(uint64(n/3+1)) << (r.Uint64N(2) * 40), Pos: uint32(3 * i)}
		}
		firstAt := map[uint64]uint32{}
		var pairs [][2]uint32
		for _, f := range fps {
			if p, ok := firstAt[f.Hash]; ok {
				pairs = append(pairs, [2]uint32{p, f.Pos})
			} else {
				firstAt[f.Hash] = f.Pos
			}
		}
		slices.SortFunc(pairs, func(x, y [2]uint32) int { return slices.Compare(x[:], y[:]) })
		var want []uint32
		for _, p := range pairs {
			want = append(want, p[0], p[1])
		}
		if got := Repeats(nil, fps); !slices.Equal(got, want) {
			t.Fatalf("%d fingerprints: Repeats = %d values, want %d", n, len(got), len(want))
		}
		// As an Analyzer calls it: the number of distinct hashes known,
		// scratch kept from the last document, after what dst holds.
		got, scratch, err := repeats(context.Background(), []uint32{7, 7}, &set, buf, fps, len(distinctOf(fps)))
		buf = scratch
		if err != nil || !slices.Equal(got, append([]uint32{7, 7}, want...)) {
			t.Fatalf("%d fingerprints: repeats after 2 values, scratch reused = %d values, %v; want 2 + %d", n, len(got), err, len(want))
		}
	}
}

// TestAnalyzeContext: AnalyzeContext looks at its context between its
// steps, and gives up at the first that finds it done; with a context
// never done, it analyzes as Analyze does.
func TestAnalyzeContext(t *testing.T) {
	text := []byte(strings.Repeat("The harbour board met on Tuesday and said that the port will close. ", 50))
	want := NewAnalyzer(AnalyzerOptions{}).Analyze(text, 0)
	checks := 0
	for n := 1; ; n++ {
		ctx := testctx.NewDoneAfter(n)
		a, err := NewAnalyzer(AnalyzerOptions{}).AnalyzeContext(ctx, text, 0)
		if err == nil {
			checks = n - 1
			if !slices.Equal(a.Fingerprints, want.Fingerprints) || !slices.Equal(a.Signature, want.Signature) || !slices.Equal(a.Repeats, want.Repeats) {
				t.Errorf("AnalyzeContext, never done: not what Analyze gives")
			}
			break
		}
		if !errors.Is(err, context.Canceled) || a != nil {
			t.Fatalf("AnalyzeContext, done at check %d = %v, %v; want nil, context.Canceled", n, a, err)
		}
	}
	if checks < 3 {
		t.Errorf("AnalyzeContext looked at its context %d times, want one between each of its steps", checks)
	}
}

// distinctOf returns the distinct hashes of fps, in order of first
// place: a slow reference.
func distinctOf(fps []Fingerprint) []uint64 {
	var out []uint64
	seen := map[uint64]bool{}
	for _, f := range fps {
		if !seen[f.Hash] {
			seen[f.Hash] = true
			out = append(out, f.Hash)
		}
	}
	return out
}

// TestPassesLook: the passes over a document's tokens, shingles and
// fingerprints look at their context once every checkShingles of them
// (the signature every checkSign), and give up at the look that finds it
// done.
func TestPassesLook(t *testing.T) {
	const n = 3*checkShingles + 5
	r := rand.New(rand.NewPCG(1, 2))
	hashes := make([]uint64, n)
	fps := make([]Fingerprint, n)
	for i := range hashes {
		hashes[i] = r.Uint64() % (n / 2) // repeats
		fps[i] = Fingerprint{Hash: hashes[i], Pos: uint32(i)}
	}
	later := n - len(distinctOf(fps)) // the repeats' pairs
	toks := make([]Token, n)
	for i := range toks {
		toks[i].Hash = hashes[i]
	}
	signer := NewSigner(64)
	var set hashSet
	passes := []struct {
		name  string
		pass  func(ctx context.Context) error
		looks int
	}{
		// A look between two pieces of checkShingles: the n-k shingles
		// after the first, then the n-k+1 seeds.
		{"shingles", func(ctx context.Context) error { _, err := shinglesContext(ctx, nil, toks, 5); return err }, (n - 5 - 1) / checkShingles},
		{"seeds", func(ctx context.Context) error { _, _, err := seedsContext(ctx, nil, toks, 3, nil); return err },
			(n-3-1)/checkShingles + (n-3)/checkShingles},
		{"sign", func(ctx context.Context) error { _, err := signer.signContext(ctx, nil, hashes); return err }, n / checkSign},
		{"winnow", func(ctx context.Context) error { _, _, err := winnow(ctx, nil, nil, hashes, 4); return err }, n / checkShingles},
		{"winnowRanked", func(ctx context.Context) error {
			_, _, err := winnowRanked(ctx, nil, nil, hashes, hashes, 4)
			return err
		}, n / checkShingles},
		{"distinct", func(ctx context.Context) error { _, err := set.distinct(ctx, nil, fps); return err }, n / checkShingles},
		{"repeats", func(ctx context.Context) error { _, _, err := repeats(ctx, nil, &set, nil, fps, -1); return err },
			n/checkShingles + later/checkShingles}, // the fingerprints, then the pairs
	}
	for _, p := range passes {
		ctx := testctx.NewDoneAfter(0)
		if err := p.pass(ctx); err != nil || ctx.Calls != p.looks {
			t.Errorf("%s of %d: %v, looked %d times, want nil, %d", p.name, n, err, ctx.Calls, p.looks)
		}
		ctx = testctx.NewDoneAfter(2)
		if err := p.pass(ctx); !errors.Is(err, context.Canceled) || ctx.Calls != 2 {
			t.Errorf("%s, done at the second look: %v after %d looks, want context.Canceled after 2", p.name, err, ctx.Calls)
		}
	}
}

// TestTokenizeContext: TokenizeContext looks at its context after every
// checkBytes of text, and when it finds it done returns the tokens so
// far, which begin the text's tokens and end near the look.
func TestTokenizeContext(t *testing.T) {
	text := []byte(strings.Repeat("Ein Gruß aus Köln, said the 2nd mate. ", checkBytes*7/2/38))
	want := NewTokenizer().Tokenize(nil, text)
	for n := 1; ; n++ {
		ctx := testctx.NewDoneAfter(n)
		got, err := NewTokenizer().TokenizeContext(ctx, nil, text)
		if err == nil {
			if looks, wantLooks := n-1, len(text)/checkBytes; looks != wantLooks {
				t.Errorf("TokenizeContext of %d bytes looked %d times, want %d", len(text), looks, wantLooks)
			}
			if !slices.Equal(got, want) {
				t.Errorf("TokenizeContext, never done: not what Tokenize gives")
			}
			return
		}
		if !errors.Is(err, context.Canceled) || len(got) == 0 || !slices.Equal(got, want[:len(got)]) {
			t.Fatalf("TokenizeContext, done at look %d = %d tokens, %v; want a prefix of the %d tokens, context.Canceled", n, len(got), err, len(want))
		}
		// A look comes at the first token boundary past checkBytes from the
		// last: within a word (here at most 8 bytes) of it.
		if end := got[len(got)-1].End; end < uint32(n*checkBytes) || end > uint32(n*(checkBytes+8)) {
			t.Fatalf("TokenizeContext, done at look %d, stopped at byte %d, want %d to %d", n, end, n*checkBytes, n*(checkBytes+8))
		}
	}
}

// TestDropScratch: DropScratch keeps the last Analysis, and the next
// analysis is what a fresh Analyzer gives.
func TestDropScratch(t *testing.T) {
	one := []byte(strings.Repeat("A port will close; a port will close. The board met on Tuesday. ", 40))
	two := []byte(strings.Repeat("The board met again on Friday, and the port will open. ", 30))
	z := NewAnalyzer(AnalyzerOptions{})
	a := z.Analyze(one, 0)
	fps, reps := slices.Clone(a.Fingerprints), slices.Clone(a.Repeats)
	z.DropScratch()
	if !slices.Equal(a.Fingerprints, fps) || !slices.Equal(a.Repeats, reps) || len(reps) == 0 {
		t.Fatalf("DropScratch changed the last Analysis (%d repeats)", len(reps))
	}
	got, want := z.Analyze(two, 0), NewAnalyzer(AnalyzerOptions{}).Analyze(two, 0)
	if !slices.Equal(got.Fingerprints, want.Fingerprints) || !slices.Equal(got.Signature, want.Signature) || !slices.Equal(got.Repeats, want.Repeats) {
		t.Errorf("Analyze after DropScratch differs from a fresh Analyzer's")
	}
}
