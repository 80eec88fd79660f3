package align

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/shingle"
)

// tokens tokenizes s with a fresh Tokenizer.
func tokens(s string) []shingle.Token {
	return shingle.NewTokenizer().Tokenize(nil, []byte(s))
}

// textOf is the original text of tokens [from, to) of s.
func textOf(s string, toks []shingle.Token, from, to int32) string {
	if from >= to {
		return ""
	}
	return s[toks[from].Start:toks[to-1].End]
}

// pair is a passage as text: what it covers in A and in B.
type pair struct{ A, B string }

func (p pair) String() string { return fmt.Sprintf("%q~%q", p.A, p.B) }

// asText renders spans as the text they cover on both sides.
func asText(a, b string, ta, tb []shingle.Token, spans []Span) []pair {
	out := []pair{}
	for _, s := range spans {
		out = append(out, pair{textOf(a, ta, s.AStart, s.AEnd), textOf(b, tb, s.BStart, s.BEnd)})
	}
	return out
}

// align runs a fresh default Aligner on two texts.
func align(a, b string) ([]shingle.Token, []shingle.Token, []Span) {
	ta, tb := tokens(a), tokens(b)
	al := New(Options{})
	al.SetA(ta)
	return ta, tb, alignOf(al, nil, tb)
}

// Texts written for these tests.
const (
	passage1    = "the harbour committee agreed on Tuesday to delay the vote on the new bridge until engineers finish their survey of the old stone piers"
	passage2    = "volunteers planted four hundred oak saplings along the river path while children painted signs warning walkers about the fragile young trees"
	fillerA1    = "Bakers across town reported record sales over the long weekend as visitors crowded every stall of the covered market."
	fillerA2    = "Meanwhile a small jazz quartet played beneath the clock tower until well after midnight, drawing a modest crowd."
	fillerB1    = "In unrelated news a rare orchid bloomed at the botanical garden for the first time since its keepers arrived."
	fillerB2    = "Schools will close early on Friday so that staff can attend a training day organised by the regional education office."
	passageLong = "harbour engineers inspected seven cracked granite piers beneath the eastern span while divers photographed corroded iron bolts near the northern quay before winter storms arrived bringing heavy swells that battered fragile timber fenders along every berth"
	passage3a   = "engineers found deep cracks in two of the old stone piers during the survey last winter"
	passage3b   = "the harbour bridge will stay closed to heavy lorries until repairs are finished in the spring"
	quote3      = "the leader of the city council said the closure would cost local traders dearly"
	passage4a   = "engineers found deep cracks in two of the old stone piers during the survey carried out last winter by the port"
	passage4b   = "of the city council will meet again next month to decide whether the bridge can reopen"
)

// editedWords returns words with every (n+1)th word replaced by a word
// of its own: runs of n matching words.
func editedWords(words []string, n int) []string {
	out := slices.Clone(words)
	for i := n; i < len(out); i += n + 1 {
		out[i] = fmt.Sprintf("xq%d", i)
	}
	return out
}

func TestAlign(t *testing.T) {
	minWords := New(Options{}).Options().MinWords
	long := strings.Fields(passageLong)
	short := strings.Join(long[:minWords-1], " ")
	enough := strings.Join(long[:minWords], " ")
	// Runs of minWords/2 matching words, one word apart: in all, 2·MinWords
	// matching words, or 1.5·MinWords and more.
	run := minWords / 2
	edited2 := long[:(2*minWords+run-1)/run*(run+1)-1]
	edited15 := long[:(3*minWords/2+run-1)/run*(run+1)-1]
	tests := []struct {
		name string
		a, b string
		want []pair
		bug  string // known bug: skip
	}{
		{
			name: "verbatim inside unrelated text",
			a:    fillerA1 + " Reporters heard that " + passage1 + ". " + fillerA2,
			b:    fillerB1 + " Sources said " + passage1 + ". " + fillerB2,
			want: []pair{{passage1, passage1}},
		},
		{
			name: "case, curly quotes and line wraps",
			a:    fillerA1 + " They said: \"The harbour committee agreed on Tuesday to delay the vote on the new bridge until engineers don't finish their survey.\" " + fillerA2,
			b:    fillerB1 + " “THE HARBOUR committee agreed\non Tuesday to delay the vote on\n   the new bridge until engi-\nneers don’t finish their SURVEY”. " + fillerB2,
			want: []pair{{
				"The harbour committee agreed on Tuesday to delay the vote on the new bridge until engineers don't finish their survey",
				"THE HARBOUR committee agreed\non Tuesday to delay the vote on\n   the new bridge until engi-\nneers don’t finish their SURVEY",
			}},
		},
		{
			name: "substitution inside a passage",
			a:    fillerA1 + " " + passage1 + ". " + fillerA2,
			b:    fillerB1 + " " + strings.Replace(passage1, "delay", "postpone", 1) + ". " + fillerB2,
			want: []pair{{passage1, strings.Replace(passage1, "delay", "postpone", 1)}},
		},
		{
			name: "insertion inside a passage",
			a:    fillerA1 + " " + passage1 + ". " + fillerA2,
			b:    fillerB1 + " " + strings.Replace(passage1, "new bridge", "new and very costly bridge", 1) + ". " + fillerB2,
			want: []pair{{passage1, strings.Replace(passage1, "new bridge", "new and very costly bridge", 1)}},
		},
		{
			name: "deletion inside a passage",
			a:    fillerA1 + " " + passage1 + ". " + fillerA2,
			b:    fillerB1 + " " + strings.Replace(passage1, " on Tuesday", "", 1) + ". " + fillerB2,
			want: []pair{{passage1, strings.Replace(passage1, " on Tuesday", "", 1)}},
		},
		{
			name: "two passages in swapped order",
			a:    fillerA1 + " " + passage1 + ". " + fillerA2 + " " + passage2 + ".",
			b:    passage2 + ". " + fillerB1 + " " + fillerB2 + " " + passage1 + ".",
			want: []pair{{passage1, passage1}, {passage2, passage2}},
		},
		{
			name: "passage repeated twice in B",
			a:    fillerA1 + " " + passage1 + ". " + fillerA2,
			b:    fillerB1 + " " + passage1 + ". " + fillerB2 + " " + passage1 + ".",
			want: []pair{{passage1, passage1}},
		},
		{
			name: "passage repeated twice in A",
			a:    passage1 + ". " + fillerA1 + " " + passage1 + ". " + fillerA2,
			b:    fillerB1 + " " + passage1 + ". " + fillerB2,
			want: []pair{{passage1, passage1}},
		},
		{
			name: "MinWords-1 shared words are too few",
			a:    fillerA1 + " " + short + ". " + fillerA2,
			b:    fillerB1 + " " + short + ". " + fillerB2,
			want: []pair{},
		},
		{
			name: "MinWords shared words are enough",
			a:    fillerA1 + " " + enough + ". " + fillerA2,
			b:    fillerB1 + " " + enough + ". " + fillerB2,
			want: []pair{{enough, enough}},
		},
		{
			name: "edited passage with 2·MinWords matching words",
			a:    fillerA1 + " " + strings.Join(edited2, " ") + ". " + fillerA2,
			b:    fillerB1 + " " + strings.Join(editedWords(edited2, minWords/2), " ") + ". " + fillerB2,
			want: []pair{{strings.Join(edited2, " "), strings.Join(editedWords(edited2, minWords/2), " ")}},
		},
		{
			name: "edited passage with less than 2·MinWords matching words",
			a:    fillerA1 + " " + strings.Join(edited15, " ") + ". " + fillerA2,
			b:    fillerB1 + " " + strings.Join(editedWords(edited15, minWords/2), " ") + ". " + fillerB2,
			want: []pair{},
		},
		{
			name: "unrelated texts sharing common phrases far apart",
			a: "At the end of the day the mayor said the budget was balanced. " +
				"Critics on the council argued that spending on parks had fallen for the third year in a row. " +
				"The treasurer disagreed, pointing to new playgrounds in two districts and a larger grant for libraries, " +
				"and one of the most vocal opponents was absent. She promised to table an amendment as soon as possible.",
			b: "Fans waited in the rain for most of the afternoon before the gates opened at the end of the day. " +
				"The band played for the third year in a row and thanked the crowd. " +
				"It was, the singer said, one of the most loyal audiences they had seen on a tour that took them through eleven countries. " +
				"Tickets for next summer go on sale as soon as possible, organisers said.",
			want: []pair{},
		},
		{
			name: "two common phrases within MaxGap",
			a:    "Critics said one of the most vocal opponents promised to table an amendment as soon as possible.",
			b:    "Fans said it was one of the most loyal audiences they had seen. Tickets for next summer go on sale as soon as possible.",
			want: []pair{},
		},
		{
			name: "three common phrases within MaxGap",
			a: "Critics on the council argued that spending on parks had fallen for the third year in a row, " +
				"and one of the most vocal opponents promised to table an amendment as soon as possible.",
			b: "The band played for the third year in a row and thanked the crowd, " +
				"calling it one of the most loyal audiences they had seen. Tickets for next summer go on sale as soon as possible.",
			want: []pair{},
		},
		{
			name: "quote inserted between two halves of a passage",
			a:    fillerA1 + " " + passage3a + " so the mayor of the city ordered an urgent inspection and warned that " + passage3b + ". " + fillerA2 + " " + quote3 + ".",
			b:    fillerB1 + " " + passage3a + " " + quote3 + " " + passage3b + ". " + fillerB2,
			want: []pair{{passage3a, passage3a}, {passage3b, passage3b}, {quote3, quote3}},
		},
		{
			name: "adjacent passage loses its first words",
			a:    fillerA1 + " " + passage4a + " and then " + passage4b + ". " + fillerA2,
			b:    "Reports say " + passage4a + ", according to officials of the city. " + fillerB1 + " " + passage4b + ". " + fillerB2,
			want: []pair{{passage4a, passage4a}, {passage4b, passage4b}},
		},
		{
			name: "phrase repeated in A",
			a:    strings.Repeat("we will fight ", 8) + "them",
			b:    "we will fight them",
			want: []pair{},
		},
		{name: "empty A", a: "", b: passage1, want: []pair{}},
		{name: "empty B", a: passage1, b: "", want: []pair{}},
		{name: "both empty", a: "", b: "", want: []pair{}},
		{name: "shorter than a seed", a: "bridge vote", b: "bridge vote", want: []pair{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.bug != "" {
				t.Skip("BUG: " + tt.bug)
			}
			ta, tb, spans := align(tt.a, tt.b)
			if got := asText(tt.a, tt.b, ta, tb, spans); !slices.Equal(got, tt.want) {
				t.Errorf("Align(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			checkSpans(t, spans, len(ta), len(tb), New(Options{}).Options())
		})
	}
}

// TestAlignMatched checks Matched and Similarity of simple edits.
func TestAlignMatched(t *testing.T) {
	n := int32(len(tokens(passage1)))
	tests := []struct {
		name    string
		b       string
		matched int32
	}{
		{"verbatim", passage1, n},
		{"substitution", strings.Replace(passage1, "delay", "postpone", 1), n - 1},
		{"insertion", strings.Replace(passage1, "new bridge", "new and very costly bridge", 1), n},
		{"deletion", strings.Replace(passage1, " on Tuesday", "", 1), n - 2},
	}
	for _, tt := range tests {
		_, _, spans := align(passage1, tt.b)
		if len(spans) != 1 || spans[0].Matched != tt.matched {
			t.Errorf("Align(%q, %q) = %+v, want one span with Matched %d", passage1, tt.b, spans, tt.matched)
		}
	}
}

func TestSpanSimilarity(t *testing.T) {
	tests := []struct {
		s    Span
		want float64
	}{
		{Span{}, 0},
		{Span{AStart: 0, AEnd: 10, BStart: 5, BEnd: 15, Matched: 10}, 1},
		{Span{AStart: 0, AEnd: 10, BStart: 0, BEnd: 12, Matched: 10}, 20.0 / 22},
		{Span{AStart: 3, AEnd: 13, BStart: 0, BEnd: 10, Matched: 5}, 0.5},
	}
	for _, tt := range tests {
		if got := tt.s.Similarity(); got != tt.want {
			t.Errorf("%+v.Similarity() = %v, want %v", tt.s, got, tt.want)
		}
	}
}

// TestAlignReuse checks that an Aligner indexed once (SetA) gives, for
// every B in turn, what a fresh Aligner gives; that Align appends to dst;
// and that Align before any SetA finds nothing.
func TestAlignReuse(t *testing.T) {
	a := fillerA1 + " " + passage1 + ". " + fillerA2 + " " + passage2 + "."
	bs := []string{
		fillerB1 + " " + passage1 + ". " + fillerB2,
		passage2 + ". " + passage1,
		"",
		fillerB2,
		strings.Replace(passage2, "oak", "beech", 1) + " " + fillerB1 + " " + passage1,
		passage1 + " " + passage1 + " " + passage2,
		fillerB1 + " " + passage1 + ". " + fillerB2,
	}
	ta := tokens(a)
	reused := New(Options{})
	if got := alignOf(reused, nil, tokens(passage1)); len(got) != 0 {
		t.Errorf("Align before SetA = %v, want nothing", got)
	}
	reused.SetA(ta)
	prefix := []Span{{AStart: 99, AEnd: 100}}
	for round := range 2 {
		for _, b := range bs {
			tb := tokens(b)
			fresh := New(Options{})
			fresh.SetA(ta)
			want := alignOf(fresh, nil, tb)
			got := alignOf(reused, nil, tb)
			if !slices.Equal(got, want) {
				t.Errorf("round %d: reused Align(%q, %q) = %v, want %v", round, a, b,
					asText(a, b, ta, tb, got), asText(a, b, ta, tb, want))
			}
			got = alignOf(reused, slices.Clone(prefix), tb)
			if !slices.Equal(got, append(slices.Clone(prefix), want...)) {
				t.Errorf("Align(%v, %q) = %v, want the prefix then %v", prefix, b, got, want)
			}
		}
	}
}

// checkSpans checks what Align promises of every result: spans within
// both sequences, ordered by AStart, not overlapping on either side, with
// MinWords ≤ Matched ≤ the length of either side.
func checkSpans(t *testing.T, spans []Span, na, nb int, opt Options) bool {
	t.Helper()
	ok := true
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
		ok = false
	}
	for i, s := range spans {
		if s.AStart < 0 || s.AStart >= s.AEnd || int(s.AEnd) > na ||
			s.BStart < 0 || s.BStart >= s.BEnd || int(s.BEnd) > nb {
			fail("span %d %+v out of range (len A %d, len B %d)", i, s, na, nb)
		}
		if s.Matched < int32(opt.MinWords) || s.Matched > min(s.AEnd-s.AStart, s.BEnd-s.BStart) {
			fail("span %d %+v: Matched outside [MinWords %d, shorter side]", i, s, opt.MinWords)
		}
		if i > 0 && spans[i-1].AStart > s.AStart {
			fail("spans %d, %d not ordered by AStart: %+v, %+v", i-1, i, spans[i-1], s)
		}
		for j, u := range spans[:i] {
			if s.AStart < u.AEnd && u.AStart < s.AEnd {
				fail("spans %d %+v and %d %+v overlap in A", j, u, i, s)
			}
			if s.BStart < u.BEnd && u.BStart < s.BEnd {
				fail("spans %d %+v and %d %+v overlap in B", j, u, i, s)
			}
		}
	}
	return ok
}

// commonRun is a maximal common substring: A[a:a+n] == B[b:b+n], extended
// as far as it goes both ways.
type commonRun struct{ a, b, n int }

// bruteCommon lists the maximal common substrings of a and b of at least
// minLen tokens, by the O(n·m) longest-common-suffix table.
func bruteCommon(a, b []uint64, minLen int) []commonRun {
	var out []commonRun
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cur[j] = 0
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
			}
			// Maximal: cannot extend to the right.
			if n := cur[j]; n >= minLen && (i == len(a) || j == len(b) || a[i] != b[j]) {
				out = append(out, commonRun{i - n, j - n, n})
			}
		}
		prev, cur = cur, prev
	}
	return out
}

// randomPair returns two random sequences over vocab symbols with up to
// three runs of A copied into B, in any order, some with one word changed.
// The copied runs do not overlap on either side.
func randomPair(r *rand.Rand, vocab int) (a, b []uint64) {
	sym := func() uint64 { return uint64(1 + r.IntN(vocab)) }
	a = make([]uint64, r.IntN(121))
	b = make([]uint64, r.IntN(121))
	for i := range a {
		a[i] = sym()
	}
	for i := range b {
		b[i] = sym()
	}
	// Cut both sequences into as many slots as runs to plant; slot i of A
	// goes to slot perm[i] of B.
	k := 1 + r.IntN(3)
	perm := r.Perm(k)
	for i := range k {
		aLo, aHi := i*len(a)/k, (i+1)*len(a)/k
		bLo, bHi := perm[i]*len(b)/k, (perm[i]+1)*len(b)/k
		n := min(aHi-aLo, bHi-bLo, 6+r.IntN(30))
		if n < 1 {
			continue
		}
		ai, bj := aLo+r.IntN(aHi-aLo-n+1), bLo+r.IntN(bHi-bLo-n+1)
		copy(b[bj:bj+n], a[ai:ai+n])
		if r.IntN(3) == 0 { // an edit: substitution
			b[bj+r.IntN(n)] = sym()
		}
	}
	return a, b
}

func toTokens(seq []uint64) []shingle.Token {
	toks := make([]shingle.Token, len(seq))
	for i, v := range seq {
		toks[i] = shingle.Token{Start: uint32(2 * i), End: uint32(2*i + 1), Hash: v * 0x9e3779b97f4a7c15}
	}
	return toks
}

// coveredBy is the number of positions of [lo, lo+n) inside [start, end).
func coveredBy(lo, n int, start, end int32) int {
	return max(0, min(lo+n, int(end))-max(lo, int(start)))
}

// bruteOptions are the aligner settings of the brute-force tests.
var bruteOptions = []Options{
	{},
	{Seed: 2, MinWords: 6, MaxGap: 4},
	{Seed: 4, MinWords: 10, MaxGap: 20, MinDensity: 0.5},
	{Seed: 1, MinWords: 5, MaxGap: 3},
}

// forRandomPairs aligns 4×2000 random pairs (bruteOptions × fixed seeds,
// vocabularies of 4 to 30 symbols) and calls check with each result.
func forRandomPairs(check func(opt Options, a, b []uint64, spans []Span) bool) {
	for oi, opt := range bruteOptions {
		al := New(opt)
		opt = al.Options()
		for seed := range 2000 {
			r := rand.New(rand.NewPCG(uint64(oi), uint64(seed)))
			a, b := randomPair(r, []int{4, 6, 10, 30}[seed%4])
			al.SetA(toTokens(a))
			if !check(opt, a, b, alignOf(al, nil, toTokens(b))) {
				return
			}
		}
	}
}

// TestAlignBrute checks Align's promises on small random sequences over
// tiny vocabularies (matches everywhere): spans within both sequences,
// ordered by AStart, never overlapping on either side, Matched no more
// than either side's length and at least MinWords.
func TestAlignBrute(t *testing.T) {
	forRandomPairs(func(opt Options, a, b []uint64, spans []Span) bool {
		o := opt
		o.MinWords = 0 // checked below
		if !checkSpans(t, spans, len(a), len(b), o) {
			t.Errorf("opt %+v: Align(%v, %v) = %v", opt, a, b, spans)
			return false
		}
		return true
	})
	t.Run("MinWords", func(t *testing.T) {
		forRandomPairs(func(opt Options, a, b []uint64, spans []Span) bool {
			for _, s := range spans {
				if s.Matched < int32(opt.MinWords) {
					t.Errorf("opt %+v: Align(%v, %v) = %v: Matched < MinWords %d", opt, a, b, spans, opt.MinWords)
					return false
				}
			}
			return true
		})
	})
}

// TestAlignBruteCoverage checks the aligner against brute force on the
// random pairs of TestAlignBrute: every common substring of MinWords+Seed
// tokens or more, which the aligner cannot miss, lies at least 90% inside
// one passage on both sides. Exempt are substrings that compete for their
// tokens with another common substring of MinWords tokens or more, on
// another diagonal (only one can win), and those holding a seed repeated
// more than MaxRepeat times in A (ignored by design).
func TestAlignBruteCoverage(t *testing.T) {
	checked, exempt := 0, 0
	forRandomPairs(func(opt Options, a, b []uint64, spans []Span) bool {
		all := bruteCommon(a, b, opt.MinWords)
		for _, c := range all {
			if c.n < opt.MinWords+opt.Seed {
				continue
			}
			if slices.ContainsFunc(all, func(d commonRun) bool {
				return d.a-d.b != c.a-c.b &&
					(coveredBy(c.a, c.n, int32(d.a), int32(d.a+d.n)) > 0 || coveredBy(c.b, c.n, int32(d.b), int32(d.b+d.n)) > 0)
			}) || repeatsTooOften(a, c, opt) {
				exempt++
				continue
			}
			checked++
			if !slices.ContainsFunc(spans, func(s Span) bool {
				return 10*coveredBy(c.a, c.n, s.AStart, s.AEnd) >= 9*c.n && 10*coveredBy(c.b, c.n, s.BStart, s.BEnd) >= 9*c.n
			}) {
				t.Errorf("opt %+v: Align(%v, %v) = %v: common run A[%d:%d] = B[%d:%d] not covered",
					opt, a, b, spans, c.a, c.a+c.n, c.b, c.b+c.n)
				return false
			}
		}
		return true
	})
	t.Logf("%d common runs checked, %d exempt", checked, exempt)
}

// repeatsTooOften reports whether a seed of the common run c occurs in a
// more than MaxRepeat times.
func repeatsTooOften(a []uint64, c commonRun, opt Options) bool {
	k := opt.Seed
	for i := c.a; i+k <= c.a+c.n; i++ {
		count := 0
		for j := 0; j+k <= len(a); j++ {
			if slices.Equal(a[j:j+k], a[i:i+k]) {
				count++
			}
		}
		if count > opt.MaxRepeat {
			return true
		}
	}
	return false
}

// TestAlignCancel: a long alignment stops when its context is cancelled,
// returning the context's error and dst as it was, and leaves the
// aligner as good as new.
func TestAlignCancel(t *testing.T) {
	ta, tb := adversarialPair("table", 3*(checkEvery+1))
	al := New(Options{})
	al.SetA(ta)
	seeds := seedsOf(tb, al.Options().Seed)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	prefix := []Span{{AStart: 1, AEnd: 2, BStart: 3, BEnd: 4, Matched: 1}}
	got, err := al.AlignSeeds(ctx, slices.Clone(prefix), seeds, nil)
	if !errors.Is(err, context.Canceled) || !slices.Equal(got, prefix) {
		t.Fatalf("AlignSeeds(cancelled) = %d spans, %v; want the prefix and context.Canceled", len(got), err)
	}
	want := New(Options{})
	want.SetA(ta)
	if got, err := al.AlignSeeds(context.Background(), nil, seeds, nil); err != nil || !slices.Equal(got, alignOf(want, nil, tb)) || len(got) == 0 {
		t.Fatalf("AlignSeeds after a cancelled call = %d spans, %v; want those of a fresh aligner", len(got), err)
	}
}

// alignOf is al.Align with a background context, which never fails.
func alignOf(al *Aligner, dst []Span, b []shingle.Token) []Span {
	spans, err := al.Align(context.Background(), dst, b)
	if err != nil {
		panic(err)
	}
	return spans
}

// seedsOf is shingle.Seeds of toks.
func seedsOf(toks []shingle.Token, k int) []uint32 {
	s, _ := shingle.Seeds(nil, toks, k, nil)
	return s
}

// TestSortOrders: the aligner's integer-key sorts against comparison
// sorts: chains by score and matched tokens (descending, then index),
// with negative and wide scores; runs by a, stably.
func TestSortOrders(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	var al Aligner
	for _, n := range []int{0, 1, 2, 13, 600, 3000} {
		for _, wide := range []bool{false, true} {
			al.chains = al.chains[:0]
			order := make([]int32, n)
			for i := range order {
				ch := chain{score: r.Int32N(40) - 20, matched: r.Int32N(30)}
				if wide {
					ch.score = r.Int32() - 1<<30
				}
				al.chains = append(al.chains, ch)
				order[i] = int32(i)
			}
			want := slices.Clone(order)
			slices.SortFunc(want, func(x, y int32) int {
				return cmp.Or(cmp.Compare(al.chains[y].score, al.chains[x].score),
					cmp.Compare(al.chains[y].matched, al.chains[x].matched), cmp.Compare(x, y))
			})
			al.sortChains(order)
			if !slices.Equal(order, want) {
				t.Fatalf("%d chains (wide scores %v): sortChains = %v, want %v", n, wide, order, want)
			}
			runs := make([]run, n)
			for i := range runs {
				runs[i] = run{a: r.Int32N(int32(n/4 + 1)), b: int32(i), n: 3}
			}
			wantRuns := slices.Clone(runs)
			slices.SortStableFunc(wantRuns, func(x, y run) int { return cmp.Compare(x.a, y.a) })
			if al.byB = al.sortRunsByA(runs, al.byB); !slices.Equal(runs, wantRuns) {
				t.Fatalf("%d runs: sortRunsByA not stable by a", n)
			}
		}
	}
}

// randomWords returns n distinct-enough random symbols.
func randomWords(r *rand.Rand, n int) []uint64 {
	w := make([]uint64, n)
	for i := range w {
		w[i] = uint64(1 + r.IntN(1<<24))
	}
	return w
}

// TestDriftSplits: words inserted on one side only, more than MaxDrift of
// them, split a copy in two passages (the text between may come from
// elsewhere); up to MaxDrift, the copy is one edited passage.
func TestDriftSplits(t *testing.T) {
	opt := New(Options{}).Options()
	r := rand.New(rand.NewPCG(9, 10))
	x, y := randomWords(r, 30), randomWords(r, 30)
	for _, inserted := range []int{opt.MaxDrift, opt.MaxDrift + 1, opt.MaxDrift + 4} {
		var a, b []uint64
		a = append(append(append(a, randomWords(r, 50)...), x...), y...)
		a = append(a, randomWords(r, 50)...)
		b = append(append(b, randomWords(r, 50)...), x...)
		b = append(append(b, randomWords(r, inserted)...), y...)
		b = append(b, randomWords(r, 50)...)
		al := New(Options{})
		al.SetA(toTokens(a))
		got := alignOf(al, nil, toTokens(b))
		want := 1
		if inserted > opt.MaxDrift {
			want = 2
		}
		if len(got) != want {
			t.Errorf("%d words inserted in B between two copied runs of 30 (MaxDrift %d): %d passages %v, want %d", inserted, opt.MaxDrift, len(got), got, want)
		}
	}
}

// TestSparseChain: runs of a few words that chain across gaps (each gap
// within MaxGap) but match less than MinDensity of the passage are no
// passage, however many words they match in all; denser, they are one.
func TestSparseChain(t *testing.T) {
	opt := New(Options{}).Options()
	r := rand.New(rand.NewPCG(11, 12))
	for _, gap := range []int{3, opt.MaxGap - 1} {
		var a, b []uint64
		a, b = randomWords(r, 40), randomWords(r, 40)
		for range 20 { // runs of 4 words: 80 matched in all
			run := randomWords(r, 4)
			a = append(append(a, run...), randomWords(r, gap)...)
			b = append(append(b, run...), randomWords(r, gap)...)
		}
		a, b = append(a, randomWords(r, 40)...), append(b, randomWords(r, 40)...)
		al := New(Options{})
		al.SetA(toTokens(a))
		got := alignOf(al, nil, toTokens(b))
		density := 4 / float64(4+gap)
		if dense := density >= opt.MinDensity; dense != (len(got) == 1) {
			t.Errorf("runs of 4 words %d apart (density %.2f, MinDensity %.2f): passages %v", gap, density, opt.MinDensity, got)
		}
	}
}

// TestMostMatched: MostMatched counts the matched tokens of the best
// chain of the last alignment, a passage or not.
func TestMostMatched(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	phrase, other := randomWords(r, 6), randomWords(r, 4)
	al := New(Options{}) // one aligner: each alignment counts anew
	for _, tc := range []struct {
		name    string
		a, b    []uint64
		most    int
		passage bool
	}{
		{"nothing shared", randomWords(r, 100), randomWords(r, 100), 0, false},
		{"a phrase of 6 words", slices.Concat(randomWords(r, 50), phrase, randomWords(r, 50)),
			slices.Concat(randomWords(r, 40), phrase, randomWords(r, 40)), 6, false},
		{"6 and 4 words with an edit between", slices.Concat(randomWords(r, 50), phrase, randomWords(r, 2), other, randomWords(r, 50)),
			slices.Concat(randomWords(r, 40), phrase, randomWords(r, 2), other, randomWords(r, 40)), 10, false},
		{"a passage of 30 words", slices.Concat(randomWords(r, 50), phrase, phrase, phrase, phrase, phrase),
			slices.Concat(randomWords(r, 40), phrase, phrase, phrase, phrase, phrase), 30, true},
		{"nothing shared, after a passage", randomWords(r, 100), randomWords(r, 100), 0, false},
	} {
		al.SetA(toTokens(tc.a))
		got := alignOf(al, nil, toTokens(tc.b))
		if al.MostMatched() != tc.most || (len(got) > 0) != tc.passage {
			t.Errorf("%s: MostMatched %d, passages %v; want %d, a passage: %v", tc.name, al.MostMatched(), got, tc.most, tc.passage)
		}
	}
}
