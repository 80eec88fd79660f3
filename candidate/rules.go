package candidate

import (
	"cmp"
	"slices"

	"github.com/reuse-tool/reuse/internal/postings"
)

// Rules decide which pairs of documents are worth aligning, from the
// fingerprints they share. Of the fingerprints held by at most MaxDF
// documents, a pair must share
//
//   - one held by at most SoloDF documents, or
//   - one lying inside a quotation in either document (Key.Quoted), with
//     QuoteRun tokens around it in one run through it that both
//     documents may share (Key.Run), or
//   - three lying within Near tokens of one of them on both sides, or
//   - two lying within Near tokens of each other, when one of the
//     fingerprints they share is rare: held by at most RareDF documents.
//
// Fingerprints held by more than MaxDF documents are boilerplate: they
// pair no documents (the scan reports them as clusters), so that text
// printed in thousands of documents costs linear, not quadratic, time.
//
// Each rule was measured on generated news (docs/benchmarks.md, "History:
// the first sessions' changes" and "Measurements behind the code"): sharing any one
// fingerprint made many times more candidates than there were true
// pairs, nearly all sharing one stock phrase held by many
// documents ("of the Harbour Board said that"); a passage long enough to
// be evidence holds two fingerprints, and a short quote (9-12 words) one,
// which pairs while at most SoloDF documents hold it, or inside quotation
// marks at any frequency below MaxDF: a document printing words another
// quotes may be where they were taken from, whether or not a stock
// phrase of the corpus begins them (docs/benchmarks.md, "Quotations pair
// documents"). A quotation is verbatim: a pair sharing a quote shares a
// run of MinWords words through the fingerprint, where the documents that
// quote a stock phrase of the corpus do not (the run's test, QuoteRun,
// kept half the candidates of generated news from the aligner and no
// passage: docs/benchmarks.md, "Quotations need a run of 9 words"). Two fingerprints
// must be near each other: most pairs sharing two anywhere shared only
// stock phrases scattered through both documents. A stock phrase of 10 to
// 14 words gives two fingerprints, all common: two then need a rare one.
type Rules struct {
	MaxDF    int
	SoloDF   int
	RareDF   int
	Near     int
	QuoteRun int // 0: every quoted fingerprint pairs alone
}

// DefaultRules returns the rules for passages of at least minWords words
// and fingerprints of shingle tokens: MaxDF 100, SoloDF 4, RareDF
// minWords, Near 4·minWords (twice the 2·minWords words of an edited
// passage), and QuoteRun the tokens a run of minWords words holds beyond
// the shingle, as many as Key.Run can tell (2·postings.AroundTokens at
// most).
func DefaultRules(minWords, shingle int) Rules {
	return Rules{
		MaxDF: 100, SoloDF: 4, RareDF: minWords, Near: 4 * minWords,
		QuoteRun: min(max(minWords-shingle, 0), 2*postings.AroundTokens),
	}
}

// RulesFor returns the rules of a scan whose passages need minWords
// words, whose fingerprints are shingles of shingle tokens and whose
// fingerprints held by more than maxDF documents are boilerplate:
// DefaultRules(minWords, shingle) with MaxDF maxDF.
func RulesFor(minWords, shingle, maxDF int) Rules {
	r := DefaultRules(minWords, shingle)
	r.MaxDF = maxDF
	return r
}

// Repeated flags the position of a fingerprint a document holds more than
// once: the position is then its first place, and for the pairing rules
// it is near every other. A place beyond 2³¹-1 tokens reads as
// Repeated|(Repeated-1): repeated, at no place of the document.
const Repeated = 1 << 31

// Key is one fingerprint two documents share: A < B, the fingerprint's
// position in each (flagged Repeated when a document holds it more than
// once), the number of documents holding it, whether it lies inside a
// quotation in A or B (postings.Quoted), and Run. 24 bytes in memory, no
// pointers; KeyBytes encoded (Quoted and Run in DF's top bits).
type Key struct {
	A, B       uint32
	PosA, PosB uint32
	DF         uint32
	Quoted     bool
	// Run is the number of tokens around the fingerprint's shingle,
	// before and after it, that A and B may share in one run through it
	// (postings.Shared of their digests): never fewer than they do, up to
	// UnknownRun, which is also the run of a key whose digests are not
	// known (a place Repeated: the digests are of the first place; a key
	// made without them).
	Run uint8
}

// UnknownRun is the longest run Key.Run tells, and that of a key whose
// run is not known.
const UnknownRun = 2 * postings.AroundTokens

// Alone reports whether the fingerprint of k pairs its documents alone:
// held by at most SoloDF documents, or inside a quotation in either with
// a run of QuoteRun tokens more through it.
func (r Rules) Alone(k Key) bool {
	return int(k.DF) <= r.SoloDF || k.Quoted && int(k.Run) >= r.QuoteRun
}

// Pair applies the rules to the keys of one pair of documents (all of
// them, in any order; it reorders them) and reports whether to align it.
func (r Rules) Pair(keys []Key) bool {
	solo, rare := false, false
	for _, k := range keys {
		solo = solo || r.Alone(k)
		rare = rare || int(k.DF) <= r.RareDF
	}
	if solo {
		return true
	}
	want := 3
	if rare {
		want = 2
	}
	return len(keys) >= want && nearest(keys, r.Near, want) >= want
}

// nearest returns the largest number of keys lying within near tokens of
// one of them on both sides, itself included, counting up to want; near 0
// means anywhere, and a key at a Repeated position is near every other. It reorders
// keys.
func nearest(keys []Key, near, want int) int {
	n := len(keys)
	if near <= 0 || n <= 1 {
		return min(n, want)
	}
	for _, k := range keys {
		if (k.PosA|k.PosB)&Repeated != 0 {
			return min(n, want)
		}
	}
	slices.SortFunc(keys, func(x, y Key) int { return cmp.Compare(x.PosA, y.PosA) })
	isNear := func(x, y Key) bool {
		d := int(y.PosB) - int(x.PosB)
		return d >= -near && d <= near
	}
	best := 1
	for i, x := range keys {
		c := 1
		for j := i - 1; j >= 0 && int(x.PosA-keys[j].PosA) <= near; j-- {
			if isNear(x, keys[j]) {
				c++
			}
		}
		for j := i + 1; j < n && int(keys[j].PosA-x.PosA) <= near; j++ {
			if isNear(x, keys[j]) {
				c++
			}
		}
		if best = max(best, c); best >= want {
			return want
		}
	}
	return best
}
