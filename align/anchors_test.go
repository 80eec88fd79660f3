package align

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/shingle"
)

// bruteAnchors lists, for every position j of b where the k tokens from j
// also occur in a, an Anchor: the place in a, or -1 when they occur more
// than once (as the shuffle gives the places of shared fingerprints).
func bruteAnchors(a, b []uint64, k int) []Anchor {
	var out []Anchor
	for j := 0; j+k <= len(b); j++ {
		at := -1
		n := 0
		for i := 0; i+k <= len(a); i++ {
			if slices.Equal(a[i:i+k], b[j:j+k]) {
				at, n = i, n+1
			}
		}
		if n > 1 {
			at = -1
		}
		if n > 0 {
			out = append(out, Anchor{A: int32(at), B: int32(j)})
		}
	}
	return out
}

// firstAnchors is bruteAnchors as the shuffle gives them: a k-token text
// b holds more than once has one anchor, at its first place, Repeated.
func firstAnchors(a, b []uint64, k int) []Anchor {
	var out []Anchor
	seen := make(map[string]bool)
	for _, x := range bruteAnchors(a, b, k) {
		text := fmt.Sprint(b[x.B : int(x.B)+k])
		if seen[text] {
			continue
		}
		seen[text] = true
		for j := int(x.B) + 1; j+k <= len(b); j++ {
			if slices.Equal(b[j:j+k], b[x.B:int(x.B)+k]) {
				x.Repeated = true
				break
			}
		}
		out = append(out, x)
	}
	return out
}

// alignAnchored aligns b against the indexed a with the given anchors.
func alignAnchored(al *Aligner, b []uint64, anchors []Anchor) []Span {
	seeds := seedsOf(toTokens(b), al.Options().Seed)
	spans, err := al.AlignSeeds(context.Background(), nil, seeds, anchors)
	if err != nil {
		panic(err)
	}
	return spans
}

// TestAnchorsEverywhere: anchors at every position of B scan all of it:
// the same passages as no anchors.
func TestAnchorsEverywhere(t *testing.T) {
	forRandomPairs(func(opt Options, a, b []uint64, spans []Span) bool {
		al := New(opt)
		al.SetA(toTokens(a))
		var all []Anchor
		for j := range b {
			all = append(all, Anchor{A: -1, B: int32(j)})
		}
		if got := alignAnchored(al, b, all); !slices.Equal(got, spans) {
			t.Errorf("opt %+v: Align(%v, %v) anchored everywhere = %v, unanchored %v", opt, a, b, got, spans)
			return false
		}
		return true
	})
}

// TestAnchorsRepeated: an anchor at the first of the places B holds its
// text, flagged Repeated, stands for all of them: the same passages as an
// anchor at each place.
func TestAnchorsRepeated(t *testing.T) {
	repeated := 0
	for _, k := range []int{3, 5} {
		forRandomPairs(func(opt Options, a, b []uint64, _ []Span) bool {
			opt.AnchorLen = k
			al := New(opt)
			al.SetA(toTokens(a))
			first := firstAnchors(a, b, k)
			if slices.ContainsFunc(first, func(x Anchor) bool { return x.Repeated }) {
				repeated++
			}
			want := alignAnchored(al, b, bruteAnchors(a, b, k))
			if got := alignAnchored(al, b, first); !slices.Equal(got, want) {
				t.Errorf("opt %+v: Align(%v, %v) with anchors %v = %v, with an anchor at every place %v", opt, a, b, first, got, want)
				return false
			}
			return true
		})
	}
	if repeated == 0 {
		t.Fatal("no pair had a Repeated anchor: the test checked nothing")
	}
	t.Logf("%d pairs with Repeated anchors", repeated)
}

// TestAnchorsCoverage: with anchors at the places of B's 5-token runs
// found in A (the shared fingerprints), every common run the aligner
// cannot miss (see TestAlignBruteCoverage) is still found, and nothing
// found breaks Align's promises.
func TestAnchorsCoverage(t *testing.T) {
	checked := 0
	forRandomPairs(func(opt Options, a, b []uint64, _ []Span) bool {
		al := New(opt)
		al.SetA(toTokens(a))
		anchors := bruteAnchors(a, b, 5)
		spans := alignAnchored(al, b, anchors)
		o := opt
		o.MinWords = 0
		if !checkSpans(t, spans, len(a), len(b), o) {
			return false
		}
		all := bruteCommon(a, b, opt.MinWords)
		for _, c := range all {
			if c.n < max(opt.MinWords+opt.Seed, 5) {
				continue
			}
			if slices.ContainsFunc(all, func(d commonRun) bool {
				return d.a-d.b != c.a-c.b &&
					(coveredBy(c.a, c.n, int32(d.a), int32(d.a+d.n)) > 0 || coveredBy(c.b, c.n, int32(d.b), int32(d.b+d.n)) > 0)
			}) || repeatsTooOften(a, c, opt) {
				continue
			}
			checked++
			if !slices.ContainsFunc(spans, func(s Span) bool {
				return 10*coveredBy(c.a, c.n, s.AStart, s.AEnd) >= 9*c.n && 10*coveredBy(c.b, c.n, s.BStart, s.BEnd) >= 9*c.n
			}) {
				t.Errorf("opt %+v: Align(%v, %v) with anchors %v = %v: common run A[%d:%d] = B[%d:%d] not covered",
					opt, a, b, anchors, spans, c.a, c.a+c.n, c.b, c.b+c.n)
				return false
			}
		}
		return true
	})
	t.Logf("%d common runs checked", checked)
}

// TestAnchorsWindow: a long B sharing one sentence with A far from its
// start is aligned through a window around the anchor, with the same
// passage as a scan of all of B.
func TestAnchorsWindow(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	a := make([]uint64, 300)
	b := make([]uint64, 20000)
	for i := range a {
		a[i] = uint64(1000 + r.IntN(1_000_000))
	}
	for i := range b {
		b[i] = uint64(2_000_000 + r.IntN(1_000_000))
	}
	copy(b[15000:15040], a[100:140])
	b[15020] = 7 // an edit
	al := New(Options{})
	al.SetA(toTokens(a))
	want := alignOf(al, nil, toTokens(b))
	got := alignAnchored(al, b, bruteAnchors(a, b, 5))
	if len(want) != 1 || !slices.Equal(got, want) {
		t.Fatalf("anchored = %v, unanchored %v; want the same one passage", got, want)
	}
}

// TestCommonSeedRuns: a seed held more than followRepeats times in A (in
// code, "include linux fs"; in a table, "shift 0x0 define") starts a run
// only where MinWords tokens match; a chance match of a few more tokens
// makes none. Such matches made most of the runs, and of the time, on the
// Linux sources.
func TestCommonSeedRuns(t *testing.T) {
	// Lines "x y z p q", 200 of them, p and q cycling through a few
	// words: every 3-token seed of A is held at least 200/(words²) times.
	for _, words := range []int{2, 4} { // seeds held 50 or 12 times and more
		var a []uint64
		for i := range 200 {
			a = append(a, 1, 2, 3, uint64(10+i%words), uint64(20+i/words%words))
		}
		al := New(Options{})
		minWords := al.Options().MinWords
		al.SetA(toTokens(a))
		for match := 4; match <= minWords+2; match++ {
			b := make([]uint64, len(a)) // words A lacks, but at 500
			for i := range b {
				b[i] = uint64(9000 + i)
			}
			copy(b[500:500+match], a[500:])
			alignOf(al, nil, toTokens(b))
			if got := len(al.runs); match < minWords && got != 0 || match >= minWords && got == 0 {
				t.Errorf("B matching %d tokens of A, every seed held %d times or more in A: %d runs", match, 200/(words*words), got)
			}
		}
	}
}

// TestSpread: at most max places, evenly spaced, the first and the last
// included, in order; all of them when they fit. Every length up to 40
// against every max up to 12.
func TestSpread(t *testing.T) {
	for n := range 41 {
		for max := -1; max <= 12; max++ {
			places := make([]int, n)
			for i := range places {
				places[i] = 10 * i
			}
			got := Spread(slices.Clone(places), max)
			if max <= 0 || n <= max {
				if !slices.Equal(got, places) {
					t.Errorf("Spread(%d places, %d) = %v, want all", n, max, got)
				}
				continue
			}
			var want []int
			for i := range max {
				if max == 1 {
					want = places[:1]
					break
				}
				want = append(want, places[i*(n-1)/(max-1)])
			}
			if !slices.Equal(got, want) {
				t.Errorf("Spread(%d places, %d) = %v, want %v", n, max, got, want)
			}
			if got[0] != places[0] || max > 1 && got[len(got)-1] != places[n-1] || !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != max {
				t.Errorf("Spread(%d places, %d) = %v: not the first, the last and distinct places in order", n, max, got)
			}
		}
	}
}

// TestAnchorsRepeatedCapped: text B holds at more places than MaxPlaces
// (a line of a generated table) opens windows at MaxPlaces of them,
// spread over B; and at all of them when MaxPlaces allows.
func TestAnchorsRepeatedCapped(t *testing.T) {
	a := []uint64{101, 102, 103, 104, 105, 106, 107}
	var b []uint64
	var want []int32
	for i := range 1000 {
		if i%2 == 0 {
			want = append(want, int32(len(b)))
			b = append(b, 1, 2, 3, 4, 5) // a line repeated 500 times
		} else {
			b = append(b, uint64(200+i)) // a line of its own
		}
	}
	a = append(a, 1, 2, 3, 4, 5)
	for _, max := range []int{0, 1, 64, 499, 500, 1000} {
		al := New(Options{Seed: 3, AnchorLen: 5, MaxPlaces: max})
		al.SetA(toTokens(a))
		seeds := seedsOf(toTokens(b), 3)
		anchors := []Anchor{{A: 7, B: 0, Repeated: true}, {A: 0, B: 3}}
		got, err := al.placeRepeated(context.Background(), seeds, anchors)
		if err != nil {
			t.Fatal(err)
		}
		wantPlaces := Spread(slices.Clone(want), al.Options().MaxPlaces)
		var places []int32
		for _, x := range got {
			if x.Repeated || x.A != 7 && x != (Anchor{A: 0, B: 3}) {
				t.Fatalf("MaxPlaces %d: anchor %+v, want those of the repeated text and {0 3}", max, x)
			}
			if x.A == 7 {
				places = append(places, x.B)
			}
		}
		if !slices.Equal(places, wantPlaces) {
			t.Errorf("MaxPlaces %d: %d places %v..., want %d %v...", max, len(places), places[:min(5, len(places))], len(wantPlaces), wantPlaces[:min(5, len(wantPlaces))])
		}
		if n := al.Options().MaxPlaces; len(places) != min(n, 500) {
			t.Errorf("MaxPlaces %d: %d places, want %d", max, len(places), min(n, 500))
		}
	}
}

// TestAheadTable checks the lookup of common seeds' places (the ahead
// table) against its slow reference, a comparison at each place near the
// diagonal (aheadNever): the same passages, with and without anchors,
// on random pairs over tiny vocabularies (most seeds common) and on the
// adversarial shapes.
func TestAheadTable(t *testing.T) {
	fast, slow := New(Options{}), New(Options{})
	same := func(name string, a, b []shingle.Token, anchors []Anchor) bool {
		t.Helper()
		var got, want []Span
		for _, x := range []struct {
			al  *Aligner
			out *[]Span
		}{{fast, &got}, {slow, &want}} {
			x.al.SetA(a)
			var err error
			*x.out, err = x.al.AlignSeeds(context.Background(), nil, seedsOf(b, x.al.Options().Seed), anchors)
			if err != nil {
				t.Fatal(err)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: ahead table %v, places compared %v", name, got, want)
			return false
		}
		return true
	}
	for oi, opt := range bruteOptions {
		fast, slow = New(opt), New(opt)
		fast.aheadMode, slow.aheadMode = aheadAlways, aheadNever
		for seed := range 600 {
			r := rand.New(rand.NewPCG(uint64(oi), uint64(seed)))
			a, b := randomPair(r, []int{3, 4, 6, 10}[seed%4])
			for range r.IntN(4) { // longer: seeds repeated more than MaxRepeat times
				a2, b2 := randomPair(r, 4)
				a, b = append(a, a2...), append(b, b2...)
			}
			anchors := firstAnchors(a, b, fast.Options().Seed)
			if !same(fmt.Sprintf("options %d, pair %d", oi, seed), toTokens(a), toTokens(b), nil) ||
				!same(fmt.Sprintf("options %d, pair %d, anchored", oi, seed), toTokens(a), toTokens(b), anchors) {
				return
			}
		}
	}
	fast, slow = New(Options{}), New(Options{})
	fast.aheadMode, slow.aheadMode = aheadAlways, aheadNever
	for _, kind := range []string{"near-duplicate", "table", "repeated"} {
		a, b := adversarialPair(kind, 20000)
		same(kind, a, b, nil)
	}
}

// TestWindowExtendsBack: a window that opens inside a shared passage (its
// anchor far from the passage's start) finds the passage from its start:
// the run found at the window's first seed is followed back along its
// diagonal over the seeds left unscanned, for each of several windows.
func TestWindowExtendsBack(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	a := randomWords(r, 3000)
	// B: filler, A[100:600], filler, A[1500:2000], filler.
	var b []uint64
	var want []Span
	for _, cut := range [][2]int{{100, 600}, {1500, 2000}} {
		b = append(b, randomWords(r, 200)...)
		start := int32(len(b))
		b = append(b, a[cut[0]:cut[1]]...)
		want = append(want, Span{AStart: int32(cut[0]), AEnd: int32(cut[1]), BStart: start, BEnd: int32(len(b)), Matched: int32(cut[1] - cut[0])})
	}
	b = append(b, randomWords(r, 200)...)
	al := New(Options{})
	al.SetA(toTokens(a))
	// One anchor 300 tokens into each copy: its window opens 66 tokens
	// before it, well inside the copy.
	var anchors []Anchor
	for _, w := range want {
		anchors = append(anchors, Anchor{A: w.AStart + 300, B: w.BStart + 300})
	}
	got := alignAnchored(al, b, anchors)
	if !slices.Equal(got, want) {
		t.Errorf("AlignSeeds with anchors %v = %v, want %v", anchors, got, want)
	}
}

// TestWindowBeforeAnchor: an edited passage whose first shared
// fingerprint lies well inside it is found from its start. The copy's
// first 60 tokens have every seventh word changed (runs of 6, none of
// them holding a fingerprint), and its one anchor lies 60 tokens in:
// the window opens 6·MinWords+MaxGap tokens before the anchor and takes
// in the whole edited start.
func TestWindowBeforeAnchor(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	a := randomWords(r, 400)
	b := randomWords(r, 150)
	start := int32(len(b))
	b = append(b, a[100:300]...)
	for i := 6; i < 60; i += 7 {
		b[int(start)+i] = randomWords(r, 1)[0]
	}
	b = append(b, randomWords(r, 150)...)
	al := New(Options{})
	al.SetA(toTokens(a))
	got := alignAnchored(al, b, []Anchor{{A: 160, B: start + 60}})
	if len(got) != 1 || got[0].AStart != 100 || got[0].BStart != start || got[0].AEnd != 300 || got[0].BEnd != start+200 {
		t.Errorf("AlignSeeds = %v, want one passage A 100-300, B %d-%d", got, start, start+200)
	}
}

// TestRepeatedTextRuns: text that repeats itself (a table of a few
// distinct lines), aligned with a copy of itself, is followed along one
// diagonal: a run continuing with a seed held many times in A is
// extended alone, and a seed held more than MaxRepeat times is matched
// near the expected diagonal only. Following every place where MinWords
// tokens match made parallel runs at every token.
func TestRepeatedTextRuns(t *testing.T) {
	var a []uint64
	for i := range 2000 {
		a = append(a, 1, 2, 3, uint64(10+i%3), uint64(20+i/3%2))
	}
	for _, mode := range []aheadMode{aheadAuto, aheadNever} {
		al := New(Options{})
		al.aheadMode = mode
		al.SetA(toTokens(a))
		spans := alignOf(al, nil, toTokens(a))
		if len(spans) != 1 || spans[0].Matched != int32(len(a)) {
			t.Errorf("ahead mode %d: A with itself = %v, want one passage of %d tokens", mode, spans, len(a))
		}
		if got := len(al.runs); got > 50 { // 21 today; 334 without near, 25,984 without the strong rule
			t.Errorf("ahead mode %d: A (a table of 6 lines repeated) with itself made %d runs, want at most 50", mode, got)
		}
	}
}

// TestAheadTableBound: an A larger than maxAheadSeeds gets no ahead
// table, however often its common seeds are probed; a smaller one does.
func TestAheadTableBound(t *testing.T) {
	for _, n := range []int{maxAheadSeeds / 4, maxAheadSeeds + 16} {
		a := make([]uint64, n)
		for i := range a {
			a[i] = uint64(1 + i%7) // a line of 7 words, repeated
		}
		// B: pieces of 4 words of the line, starting anywhere in it:
		// seeds common in A that never continue for 9 words, so each
		// probes A (more than maxAheadSeeds/8 times in all).
		b := make([]uint64, 40000)
		for i := range b {
			b[i] = uint64(1 + (i%4+i/4%3)%7)
		}
		al := New(Options{})
		al.SetA(toTokens(a))
		for range 8 {
			alignOf(al, nil, toTokens(b))
		}
		if want := n <= maxAheadSeeds; al.aheadBuilt != want || al.commonProbes < len(al.aSeeds)/8 {
			t.Errorf("A of %d seeds, aligned 8 times (%d probes of common seeds): ahead table built %v, want %v", n, al.commonProbes, al.aheadBuilt, want)
		}
	}
}
