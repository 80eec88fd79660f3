package shingle

import (
	"hash/fnv"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// splitMix64 is the SplitMix64 finalizer, written out again so that mix64
// is checked against its definition, not against itself.
func splitMix64(x uint64) uint64 {
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// refTokenHash is the token hash by its definition in the package doc:
// keep the token's letters, digits and marks (dropping apostrophes, soft
// hyphens, line-end hyphens with their line break, and variation
// selectors), normalize to NFKC, case-fold, hash with 64-bit FNV-1a from
// hash/fnv, mix with SplitMix64.
func refTokenHash(tok []byte) uint64 {
	var raw []byte
	for _, r := range string(tok) {
		if isWordRune(r) && !isApostrophe(r) && !isVariationSelector(r) {
			raw = utf8.AppendRune(raw, r)
		}
	}
	h := fnv.New64a()
	h.Write(cases.Fold().Bytes(norm.NFKC.Bytes(raw)))
	return splitMix64(h.Sum64())
}

func TestTokenHashReference(t *testing.T) {
	tk := NewTokenizer()
	for _, tt := range tokenizeTests {
		for _, tok := range tk.Tokenize(nil, []byte(tt.in)) {
			s := tt.in[tok.Start:tok.End]
			if want := refTokenHash([]byte(s)); tok.Hash != want {
				t.Errorf("Tokenize(%q): token %q hash = %#x, want %#x", tt.in, s, tok.Hash, want)
			}
		}
	}
}

// TestHashesStable pins a few hashes: they must be the same on every run
// and machine, and a change to any of them changes every stored
// fingerprint and signature. Change the values here only on purpose.
func TestHashesStable(t *testing.T) {
	toks := NewTokenizer().Tokenize(nil, []byte("The quick brown fox"))
	want := []uint64{0x901962260b6a34d5, 0x5f91d7c27b23c490, 0x12e31b03326f8054, 0x5cacc11865ec2418}
	if got := hashes(toks); !slices.Equal(got, want) {
		t.Errorf("Tokenize(%q) hashes = %#x, want %#x", "The quick brown fox", got, want)
	}
	wantSh := []uint64{0xbc5568189ba3d965, 0xf3625b04f609af73}
	if got := Shingles(nil, toks, 3); !slices.Equal(got, wantSh) {
		t.Errorf("Shingles(%q, 3) = %#x, want %#x", "The quick brown fox", got, wantSh)
	}
}

// naiveShingles hashes every window from scratch: the polynomial
// sum of toks[i+j].Hash · shingleBase^(k-1-j) over j < k, mod 2^64, then
// mixed with SplitMix64.
func naiveShingles(toks []Token, k int) []uint64 {
	var out []uint64
	for i := 0; i+k <= len(toks); i++ {
		var h uint64
		for j := range k {
			pow := uint64(1)
			for range k - 1 - j {
				pow *= shingleBase
			}
			h += toks[i+j].Hash * pow
		}
		out = append(out, splitMix64(h))
	}
	return out
}

func randTokens(r *rand.Rand, n int, vocab uint64) []Token {
	toks := make([]Token, n)
	for i := range toks {
		toks[i] = Token{Start: uint32(i), End: uint32(i + 1), Hash: splitMix64(r.Uint64N(vocab))}
	}
	return toks
}

func TestShinglesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for k := 1; k <= 8; k++ {
		for n := 0; n <= 40; n++ {
			for range 5 {
				// A small vocabulary repeats shingles; a full one does not.
				vocab := uint64(3)
				if r.IntN(2) == 0 {
					vocab = 1 << 63
				}
				toks := randTokens(r, n, vocab)
				got := Shingles(nil, toks, k)
				if want := naiveShingles(toks, k); !slices.Equal(got, want) {
					t.Fatalf("Shingles(%x, %d) = %#x, want %#x", hashes(toks), k, got, want)
				}
			}
		}
	}
}

// TestShinglesText checks the rolling hash on real tokens: equal runs of
// words give equal shingles, wherever they are.
func TestShinglesText(t *testing.T) {
	tk := NewTokenizer()
	toks := tk.Tokenize(nil, []byte("to be or not to be, that is the question: to be or not"))
	sh := Shingles(nil, toks, 4)
	// "to be or not" starts at tokens 0 and 10.
	if sh[0] != sh[10] {
		t.Errorf("Shingles(..., 4): shingle 0 = %#x, shingle 10 = %#x, want equal (both \"to be or not\")", sh[0], sh[10])
	}
	if n := len(sh); n != len(toks)-3 {
		t.Errorf("Shingles(%d tokens, 4) gave %d shingles, want %d", len(toks), n, len(toks)-3)
	}
}

func TestShinglesAppends(t *testing.T) {
	toks := randTokens(rand.New(rand.NewPCG(3, 4)), 10, 1<<63)
	dst := []uint64{7}
	got := Shingles(dst, toks, 3)
	if got[0] != 7 || !slices.Equal(got[1:], naiveShingles(toks, 3)) {
		t.Errorf("Shingles([7], toks, 3) = %#x, want 7 then %#x", got, naiveShingles(toks, 3))
	}
	if got := Shingles(dst[:1], toks[:2], 3); len(got) != 1 {
		t.Errorf("Shingles([7], 2 tokens, 3) = %#x, want [7]", got)
	}
}

func TestShinglesPanics(t *testing.T) {
	for _, k := range []int{0, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Shingles(toks, %d) did not panic", k)
				}
			}()
			Shingles(nil, make([]Token, 3), k)
		}()
	}
}

func TestShinglesAllocs(t *testing.T) {
	toks := randTokens(rand.New(rand.NewPCG(5, 6)), 1000, 1<<63)
	dst := make([]uint64, 0, len(toks))
	n := testing.AllocsPerRun(100, func() {
		dst = Shingles(dst[:0], toks, 5)
	})
	if n != 0 {
		t.Errorf("Shingles(grown dst, 1000 tokens, 5): %v allocs, want 0", n)
	}
}

// TestMix64 checks that mix64 is SplitMix64's finalizer and a bijection
// on a sample (it must not merge distinct token hashes).
func TestMix64(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	seen := map[uint64]uint64{}
	for range 10000 {
		x := r.Uint64()
		if got, want := Mix64(x), splitMix64(x); got != want {
			t.Fatalf("Mix64(%#x) = %#x, want %#x", x, got, want)
		}
		if y, ok := seen[Mix64(x)]; ok && y != x {
			t.Fatalf("Mix64(%#x) = Mix64(%#x)", x, y)
		}
		seen[Mix64(x)] = x
	}
	// Avalanche: flipping one input bit flips about half the output bits.
	total := 0
	for i := range 64 {
		total += bits.OnesCount64(Mix64(0x0123456789abcdef) ^ Mix64(0x0123456789abcdef^1<<i))
	}
	if avg := float64(total) / 64; avg < 28 || avg > 36 {
		t.Errorf("mix64: one flipped input bit flips %.1f output bits on average, want about 32", avg)
	}
}
