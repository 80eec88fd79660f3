package align

import (
	"cmp"
	"context"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"unsafe"

	"github.com/reuse-tool/reuse/internal/grow"
	"github.com/reuse-tool/reuse/internal/mmap"
	"github.com/reuse-tool/reuse/shingle"
)

// Anchor is a place two documents are known to share before they are
// aligned (a fingerprint both hold): its token position in A and in B; A
// is -1 when unknown (A holds it more than once). Repeated means B holds
// it more than once and B is one of its places: the anchor stands for
// every place of B holding the Options.AnchorLen tokens found at B.
type Anchor struct {
	A, B     int32
	Repeated bool
}

// stamped is a value of a per-diagonal array, valid when gen is the
// current step's (Aligner.gen).
type stamped struct {
	v   int32
	gen uint32
}

// mapDiagSlots is the number of diagonals (8 bytes each) from which
// makeDiag maps them from the system: a pair of a large document indexes
// an array as long as both documents, but touches only the diagonals
// near its matches, while a Go slice is cleared whole each time the heap
// hands it out again. Go's src tree, whose 64 MB test table is one
// document of 60 pairs, grew such arrays 85 times, 2.3 GB in all, every
// page faulted in (docs/benchmarks.md, "Diagonals mapped from the
// system"). A variable for tests.
var mapDiagSlots = 1 << 20

// makeDiag sets al.diag to n zeroed diagonals, mapped from the system
// (mmap.Anonymous) from mapDiagSlots on, letting go of the last.
func (al *Aligner) makeDiag(n int) {
	al.freeDiag()
	if n >= mapDiagSlots {
		if b, unmap, ok := mmap.Anonymous(n * int(unsafe.Sizeof(stamped{}))); ok {
			al.diag = unsafe.Slice((*stamped)(unsafe.Pointer(unsafe.SliceData(b))), n)
			al.diagUnmap = unmap
			al.diagCleanup = runtime.AddCleanup(al, func(unmap func()) { unmap() }, unmap)
			return
		}
	}
	al.diag = make([]stamped, n)
}

// freeDiag lets go of al.diag, unmapping it if it was mapped.
func (al *Aligner) freeDiag() {
	al.diag = nil
	if al.diagUnmap != nil {
		al.diagCleanup.Stop()
		al.diagUnmap()
		al.diagUnmap = nil
	}
}

// nextGen makes every stamp of al.diag stale.
func (al *Aligner) nextGen() {
	if al.gen++; al.gen == 0 { // wrapped: stamps of 2³² steps ago look current
		clear(al.diag)
		al.gen = 1
	}
}

// clearBuckets clears the bits of bucketBits set (bucketWords): findRuns
// marks live diagonals with them, chainRuns the diagonals listing chains.
func (al *Aligner) clearBuckets() {
	for _, w := range al.bucketWords {
		al.bucketBits[w] = 0
	}
	al.bucketWords = al.bucketWords[:0]
}

// findRuns is the first step of an alignment: the seed matches of B
// against A, merged into runs along diagonals (al.runs).
//
// With anchors (sorted by B), only windows of B around them are scanned:
// from 6·MinWords+MaxGap tokens before an anchor (an edited passage may
// begin well before its first shared fingerprint: heavily edited copies
// lost recall with shorter windows, docs/benchmarks.md, "Measurements
// behind the code") to MinWords+MaxGap after it, and on for as
// long as runs keep continuing a passage near an
// anchor (a match within MaxGap tokens after a live run's end, on a
// diagonal within MaxDrift of it). A run found at the start of a window
// is followed back along its diagonal. Text shared far from any shared
// fingerprint is not looked at: a pair's cost follows what it shares, not
// the size of its documents (a large register header shares a few lines
// with hundreds of files). Without anchors, all of B is scanned.
//
// Of a seed repeated many times in A, the occurrences near where the
// diagonal is expected are taken: where the previous seed matched, or at
// first the position proportional to j. Text that repeats itself then
// aligns along one diagonal, with a copy of itself or a single quote.
//
// A seed found more than followRepeats times in A (a table, a line of
// code, a phrase the document keeps using) that continues a run of
// MinWords tokens or more (evidence already, not a chance match) only
// extends the runs it continues: on text that repeats itself, following
// every occurrence made parallel runs at every token (BenchmarkAlignAdversarial;
// docs/benchmarks.md, "Measurements behind the code").
func (al *Aligner) findRuns(ctx context.Context, seeds []uint32, anchors []Anchor) error {
	k := int32(al.opt.Seed)
	if n := al.table.len() + len(seeds) + 1; len(al.diag) < n {
		al.makeDiag(n)
		al.bucketBits = make([]uint64, n/64+1)
		al.bucketWords = al.bucketWords[:0]
		al.gen = 0
	}
	al.clearBuckets()
	al.nextGen()
	last := int32(len(al.diag)) - 1
	off := int32(len(seeds))
	al.runs = al.runs[:0]
	al.runLive = al.runLive[:0]
	al.windowStarts = al.windowStarts[:0]

	var diag int32
	haveDiag := false
	minWords := int32(al.opt.MinWords)
	maxGap, maxDrift := int32(al.opt.MaxGap), int32(al.opt.MaxDrift)
	n := int32(len(seeds))
	ahead := minWords - k // the seeds after a common seed's that must match too

	// The scan's windows: positions < until are scanned; anchors[na:] are
	// still to come; the live runs and anchors that keep a window open
	// are in al.diag by diagonal, those of any diagonal in anyEnd.
	scanAll := anchors == nil
	until := n
	if !scanAll {
		until = -1
	}
	back, after := 6*minWords+maxGap, minWords+maxGap
	na := 0
	anyEnd := int32(math.MinInt32 / 2)
	// live records a live run or anchor on diagonal d reaching end in B;
	// the diagonal's bit in bucketBits says it holds one.
	live := func(d, end int32) {
		x := d + off
		if s := &al.diag[x]; s.gen != al.gen {
			*s = stamped{v: end, gen: al.gen}
			if al.bucketBits[x>>6] == 0 {
				al.bucketWords = append(al.bucketWords, x>>6)
			}
			al.bucketBits[x>>6] |= 1 << (x & 63)
		} else if s.v < end {
			s.v = end
		}
	}
	// accept reports whether a match on diagonal d at j continues a live
	// run or anchor: one ending at most MaxGap tokens before j, on a
	// diagonal within MaxDrift of d. It reads the bits of the
	// 2·MaxDrift+1 diagonals (one or two words) and the slots of those
	// set only (reading every slot was 4% of the Linux tree's scan).
	accept := func(d, j int32) bool {
		if j-anyEnd <= maxGap {
			return true
		}
		hi := min(d+maxDrift+off, last)
		for x := max(d-maxDrift+off, 0); x <= hi; x++ {
			w := al.bucketBits[x>>6] >> (x & 63)
			if w == 0 {
				x |= 63 // the loop's x++ moves on to the next word
				continue
			}
			if x += int32(bits.TrailingZeros64(w)); x <= hi && j-al.diag[x].v <= maxGap {
				return true
			}
		}
		return false
	}
	// matched records a match of run r at j: a live run keeps its window
	// open.
	matched := func(r, j int32) {
		if scanAll {
			return
		}
		ru := &al.runs[r]
		for int(r) >= len(al.runLive) {
			al.runLive = append(al.runLive, false)
		}
		if !al.runLive[r] {
			if !accept(ru.a-ru.b, j) {
				return
			}
			al.runLive[r] = true
		}
		live(ru.a-ru.b, ru.b+ru.n)
		until = max(until, ru.b+ru.n+maxGap+1)
	}

	active, next := al.active[:0], al.next[:0] // runs extended at j-1 and at j
	cont := al.cont[:0]
	for j := int32(0); j < n; j++ {
		if !scanAll {
			if j >= until {
				// The next window: around the next anchor not yet passed.
				for na < len(anchors) && anchors[na].B+after <= j {
					na++
				}
				if na == len(anchors) {
					break
				}
				if start := anchors[na].B - back; start > j {
					al.windowStarts = append(al.windowStarts, [2]int32{start, j})
					j = start
					active = active[:0]
				}
				until = max(until, anchors[na].B+after)
			}
			// Anchors reached open their place: their diagonal, or every
			// match over their fingerprint when A's place is unknown.
			for na < len(anchors) && anchors[na].B <= j {
				a := anchors[na]
				if a.A >= 0 && a.A < int32(al.table.len()) {
					live(a.A-a.B, a.B+minWords)
				} else {
					anyEnd = max(anyEnd, a.B+minWords)
				}
				until = max(until, a.B+after)
				na++
			}
		}
		if j&checkEvery == checkEvery {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		// No run to continue: the seeds A does not hold (its filter
		// says so) change nothing, up to the window's end or the next
		// anchor. Most seeds of a window are such.
		if len(active) == 0 {
			stop := n
			if !scanAll {
				stop = min(stop, until)
			}
			if na < len(anchors) {
				stop = min(stop, anchors[na].B)
			}
			j0 := j
			for j < stop && !al.table.mayHave(seeds[j]) {
				j++
			}
			if j > j0 {
				if (j-1)&^checkEvery != (j0-1)&^checkEvery {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				j-- // on at j: the loop's j++ and the window's rules first
				continue
			}
		}
		// One run being followed (near-identical text): a tight loop
		// while it continues alone, under the rule of the general case
		// below (h held once in A, or repeated and the run strong).
		if len(active) == 1 {
			r := active[0]
			ru := &al.runs[r]
			d, j0 := ru.a-ru.b, j
			limit := n
			if !scanAll && !(int(r) < len(al.runLive) && al.runLive[r]) {
				// A run not yet live stops at the window's end, and at
				// the next anchor, which may make it live (it runs on
				// the anchor's diagonal) and so keep the window open.
				limit = min(until, n)
				if na < len(anchors) {
					limit = min(limit, anchors[na].B)
				}
			}
			strong := ru.n >= minWords
			for j < limit && j+d < int32(len(al.aSeeds)) && al.aSeeds[j+d] == seeds[j] {
				if c := al.table.repeats[j+d]; c != 1 && !(c > followRepeats && strong) {
					break
				}
				j++
				strong = strong || ru.n+(j-j0) >= minWords
			}
			if j > j0 {
				ru.n += j - j0
				matched(r, j-1)
				diag = d
				if (j-1)&^checkEvery != (j0-1)&^checkEvery {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				j-- // the loop's j++ moves on to the first seed not followed
				continue
			}
		}
		h := seeds[j]
		// The runs that h continues on their diagonals: when they hold
		// every occurrence of h in A, the lookup below would find just
		// them; when h is repeated and one of them is strong, they are
		// followed alone. Either way the table is not probed: aligning
		// near-identical texts costs a comparison a token.
		next = next[:0]
		strong := false
		var count int32 // occurrences of h in A
		for _, r := range active {
			i := j + al.runs[r].a - al.runs[r].b
			if i < int32(len(al.aSeeds)) && al.aSeeds[i] == h {
				strong = strong || al.runs[r].n >= minWords
				count = al.table.repeats[i]
				next = append(next, r)
			}
		}
		if len(next) > 0 && (int(count) == len(next) || count > followRepeats && strong) {
			target := j + diag
			for x, r := range next {
				al.runs[r].n++
				matched(r, j)
				if i := j + al.runs[r].a - al.runs[r].b; x == 0 || abs(i-target) < abs(diag+j-target) {
					diag = i - j
				}
			}
			active, next = next, active
			continue
		}
		// The runs h continues, each on its own diagonal, are extended
		// below if their place is among the positions taken.
		cont = append(cont[:0], next...)
		next = next[:0]
		var ps []int32
		if al.table.mayHave(h) {
			ps = al.table.positions(h)
		}
		if len(ps) == 0 {
			active, next = next, active
			continue
		}
		target := j + diag
		if !haveDiag {
			target = int32(int64(j) * int64(al.aLen) / int64(max(n, 1)))
		}
		// A seed held more than followRepeats times in A is no evidence
		// on its own: it starts a run only where MinWords tokens match.
		// In code and tables most 3-token seeds are held that often
		// ("include linux fs", "shift 0x0 define"), and their chance
		// matches made most of the runs, and of the time, with passages
		// of nothing but such phrases (docs/benchmarks.md, "Alignment
		// of code").
		common := len(ps) > followRepeats
		ps = near(ps, target, al.opt.MaxRepeat)
		if common && ahead >= 1 && !al.aheadBuilt && al.aheadMode != aheadNever {
			// The table pays for itself once B's common seeds have
			// probed A about len(A)/8 times (a lookup saves up to
			// MaxRepeat comparisons; building costs a pass over A).
			al.commonProbes++
			if al.aheadMode == aheadAlways || al.commonProbes >= len(al.aSeeds)/8 && len(al.aSeeds) <= maxAheadSeeds {
				al.buildAhead(ahead)
			}
		}
		if common && al.aheadBuilt {
			// What the loop below does for a common seed, in the same
			// order: the place nearest the expected diagonal, the runs
			// continuing inside the window, and new runs where the
			// MinWords tokens from j match, looked up (buildAhead).
			diag = nearest(ps, target) - j
			lo, hi := ps[0], ps[len(ps)-1]
			contAt := al.contAt[:0] // by position, as active always is
			for _, r := range cont {
				if p := j + al.runs[r].a - al.runs[r].b; p >= lo && p <= hi {
					contAt = append(contAt, r)
				}
			}
			var found []int32
			if j+ahead < n {
				if key := aheadKey(seeds, j, ahead); al.ahead.mayHave(key) {
					found = al.ahead.positions(key)
					from, _ := slices.BinarySearch(found, lo)
					to, _ := slices.BinarySearch(found, hi+1)
					found = found[from:to]
				}
			}
			c := 0
			for _, i := range found {
				for c < len(contAt) && al.runs[contAt[c]].a-al.runs[contAt[c]].b+j < i {
					next = al.extend(next, contAt[c], j, matched)
					c++
				}
				if c < len(contAt) && al.runs[contAt[c]].a-al.runs[contAt[c]].b+j == i {
					next = al.extend(next, contAt[c], j, matched)
					c++
					continue
				}
				if al.aSeeds[i] != h || !al.matchAhead(seeds, i, j, ahead) {
					continue // another seed's key, by chance
				}
				next = append(next, al.addRun(i, j, k))
				matched(int32(len(al.runs)-1), j)
			}
			for ; c < len(contAt); c++ {
				next = al.extend(next, contAt[c], j, matched)
			}
			al.contAt = contAt[:0]
			haveDiag = true
			active, next = next, active
			continue
		}
		for x, i := range ps {
			d := i - j
			if x == 0 || abs(i-target) < abs(diag+j-target) {
				diag = d // the diagonal nearest the expected one
			}
			if r := continuing(al.runs, cont, d); r >= 0 {
				al.runs[r].n++
				next = append(next, r)
				matched(r, j)
				continue
			}
			if common && !al.matchAhead(seeds, i, j, ahead) {
				continue
			}
			next = append(next, al.addRun(i, j, k))
			matched(int32(len(al.runs)-1), j)
		}
		haveDiag = true
		active, next = next, active
	}
	al.active, al.next, al.cont = active[:0], next[:0], cont[:0]
	al.extendBack(seeds)
	return nil
}

// extendBack follows back along its diagonal every run that begins where
// a window of the scan began, as far as the positions left unscanned
// before it: its start was not looked at. Runs are in the order the scan
// made them, by where they begin in B, as the windows are: one walk
// through both.
func (al *Aligner) extendBack(seeds []uint32) {
	w := 0
	for i := range al.runs {
		r := &al.runs[i]
		for w < len(al.windowStarts) && al.windowStarts[w][0] < r.b {
			w++
		}
		if w == len(al.windowStarts) {
			return
		}
		if al.windowStarts[w][0] != r.b {
			continue
		}
		for gap := al.windowStarts[w][1]; r.a > 0 && r.b > gap && al.aSeeds[r.a-1] == seeds[r.b-1]; {
			r.a--
			r.b--
			r.n++
		}
	}
}

// extend appends to next run r, continued by the seed at j.
func (al *Aligner) extend(next []int32, r, j int32, matched func(r, j int32)) []int32 {
	al.runs[r].n++
	matched(r, j)
	return append(next, r)
}

// nearest returns the position of ps (ascending, not empty) nearest
// target, the lower of two as near.
func nearest(ps []int32, target int32) int32 {
	x, _ := slices.BinarySearch(ps, target)
	switch {
	case x == len(ps):
		return ps[x-1]
	case x > 0 && target-ps[x-1] <= ps[x]-target:
		return ps[x-1]
	}
	return ps[x]
}

// aheadKey is the key of the ahead table at position i of seeds: a hash
// of the seeds at i, i+m/2 and i+m, which together cover the m+Seed
// tokens from i. Equal tokens give equal keys; the places a key finds are
// checked (matchAhead).
func aheadKey(seeds []uint32, i, m int32) uint32 {
	x := uint64(seeds[i])<<32 | uint64(seeds[i+m/2])
	return uint32(shingle.Mix64(x^uint64(seeds[i+m])*0x9e3779b97f4a7c15) >> 32)
}

// maxAheadSeeds is the largest A (in seeds) given an ahead table: the
// table takes up to 20 bytes a seed more, and the largest files of an
// archive (the Linux tree's register headers, millions of seeds each,
// their seeds nearly all common) are aligned by both workers at once at
// the peak of a small --memory budget (docs/benchmarks.md, "Session 18").
const maxAheadSeeds = 1 << 20

// buildAhead indexes, by aheadKey, A's positions whose seed is common and
// that have m seeds after them. Cost O(len A), at most once per A: when
// its partners' common seeds have probed it len(A)/8 times (findRuns).
func (al *Aligner) buildAhead(m int32) {
	keys, at := al.aheadKeys[:0], al.aheadAt[:0]
	for i := int32(0); i+m < int32(len(al.aSeeds)); i++ {
		if al.table.repeats[i] > followRepeats {
			keys = append(keys, aheadKey(al.aSeeds, i, m))
			at = append(at, i)
		}
	}
	al.ahead.index(keys, at)
	al.aheadKeys, al.aheadAt = keys[:0], at[:0]
	al.aheadBuilt = true
}

// matchAhead reports whether the m seeds after A's position i and B's
// position j are equal.
func (al *Aligner) matchAhead(seeds []uint32, i, j, m int32) bool {
	if i+m >= int32(len(al.aSeeds)) || j+m >= int32(len(seeds)) {
		return false
	}
	for t := int32(1); t <= m; t++ {
		if al.aSeeds[i+t] != seeds[j+t] {
			return false
		}
	}
	return true
}

// placeRepeated returns anchors with each Repeated anchor replaced by an
// anchor at every place of B holding its text (the Options.AnchorLen
// tokens at its B), at most Options.MaxPlaces of them (Spread), sorted by
// B; nil (all of B) when a Repeated anchor's text lies beyond B. It costs
// one pass over B's seeds, with a probe of a small hash table per seed,
// and only for a pair with such anchors: text B holds twice (a repeated
// paragraph, a line of a table) is found at each of its places without
// aligning all of B.
func (al *Aligner) placeRepeated(ctx context.Context, seeds []uint32, anchors []Anchor) ([]Anchor, error) {
	n := int32(len(seeds))
	span := max(int32(al.opt.AnchorLen-al.opt.Seed+1), 1) // seeds covering an anchor's text
	rep := al.repeated[:0]
	for i, a := range anchors {
		if !a.Repeated {
			continue
		}
		if a.B < 0 || a.B+span > n {
			return nil, nil
		}
		rep = append(rep, repeatedAnchor{seed: seeds[a.B], at: uint32(i)})
	}
	if len(rep) == 0 {
		return anchors, nil
	}
	// The first seeds of the anchors, in an open-addressing table of at
	// least 4 slots per anchor: the index in rep (sorted by seed) of the
	// first anchor with that seed, plus one; 0 is an empty slot.
	slices.SortFunc(rep, func(x, y repeatedAnchor) int { return cmp.Compare(x.seed, y.seed) })
	bits := 10
	for 1<<bits < 4*len(rep) {
		bits++
	}
	mask := uint32(1)<<bits - 1
	if cap(al.repeatedSlots) < 1<<bits {
		al.repeatedSlots = make([]repeatedSlot, 1<<bits)
	}
	slots := al.repeatedSlots[:1<<bits]
	clear(slots)
	slot := func(h uint32) uint32 { return h * 0x9E3779B1 >> (32 - bits) }
	for x, r := range rep {
		if x > 0 && rep[x-1].seed == r.seed {
			continue
		}
		i := slot(r.seed)
		for slots[i].first != 0 {
			i = (i + 1) & mask
		}
		slots[i] = repeatedSlot{seed: r.seed, first: uint32(x) + 1}
	}
	found := al.found[:0]
	var err error
	for j := int32(0); j+span <= n; j++ {
		if j&checkEvery == checkEvery {
			if err = ctx.Err(); err != nil {
				break
			}
		}
		h := seeds[j]
		i := slot(h)
		for slots[i].first != 0 && slots[i].seed != h {
			i = (i + 1) & mask
		}
		if slots[i].first == 0 {
			continue
		}
		for x := slots[i].first - 1; int(x) < len(rep) && rep[x].seed == h; x++ {
			a := anchors[rep[x].at]
			if slices.Equal(seeds[j:j+span], seeds[a.B:a.B+span]) {
				found = append(found, foundPlace{b: j, at: rep[x].at})
			}
		}
	}
	out := al.placed[:0]
	for _, a := range anchors {
		if !a.Repeated {
			out = append(out, a)
		}
	}
	// Each Repeated anchor's places, in B order, spread.
	slices.SortStableFunc(found, func(x, y foundPlace) int { return cmp.Compare(x.at, y.at) })
	for lo := 0; lo < len(found); {
		hi := lo + 1
		for hi < len(found) && found[hi].at == found[lo].at {
			hi++
		}
		a := anchors[found[lo].at]
		for _, f := range Spread(found[lo:hi], al.opt.MaxPlaces) {
			out = append(out, Anchor{A: a.A, B: f.b})
		}
		lo = hi
	}
	al.repeated, al.found, al.placed = rep[:0], found[:0], out[:0]
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(x, y Anchor) int { return cmp.Or(cmp.Compare(x.B, y.B), cmp.Compare(x.A, y.A)) })
	return slices.Compact(out), nil
}

// foundPlace is a place b of B holding the text of Repeated anchor at.
type foundPlace struct {
	b  int32
	at uint32
}

// Spread returns places if it holds at most max of them, else max of
// them evenly spaced, the first and the last included, in their order:
// the places a Repeated anchor opens windows at (Options.MaxPlaces). It
// works in place (places is overwritten) and keeps all when max <= 0.
func Spread[T any](places []T, max int) []T {
	n := len(places)
	kept := SpreadCount(n, max)
	if kept == n {
		return places
	}
	for i := range kept {
		// SpreadIndex(n, max, i) >= i: each place is read before it is
		// written.
		places[i] = places[SpreadIndex(n, max, i)]
	}
	return places[:kept]
}

// SpreadCount is the number of places Spread keeps of n.
func SpreadCount(n, max int) int {
	if max <= 0 || n <= max {
		return n
	}
	return max
}

// SpreadIndex is the index, among n places, of the i-th place Spread
// keeps (i < SpreadCount(n, max)): for a caller that reads only those
// places of a long list.
func SpreadIndex(n, max, i int) int {
	switch {
	case max <= 0 || n <= max:
		return i
	case max == 1:
		return 0
	}
	return int(int64(i) * int64(n-1) / int64(max-1))
}

// repeatedAnchor is a Repeated anchor's first seed and its index.
type repeatedAnchor struct{ seed, at uint32 }

// repeatedSlot is a slot of placeRepeated's table.
type repeatedSlot struct{ seed, first uint32 }

// continuing returns the run of cont on diagonal d, or -1. Runs extended
// at the same seed lie on different diagonals, and there are few of them.
func continuing(runs []run, cont []int32, d int32) int32 {
	for _, r := range cont {
		if runs[r].a-runs[r].b == d {
			return r
		}
	}
	return -1
}

// addRun appends a run of n seeds at a in A and b in B to al.runs and
// returns its index. A pair of large documents makes tens of millions of
// runs: the slice grows by grow.Slice, whose room is not cleared at once
// and whose copy is preemptible (append's growth of such slices, and the
// collector waiting to stop the copy, took a third of their chaining:
// docs/benchmarks.md, "One large document").
func (al *Aligner) addRun(a, b, n int32) int32 {
	if len(al.runs) == cap(al.runs) {
		al.runs = grow.Slice(al.runs, 1)
	}
	al.runs = append(al.runs, run{a: a, b: b, n: n})
	return int32(len(al.runs) - 1)
}
