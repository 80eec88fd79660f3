package cluster

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/reuse-tool/reuse/internal/postings"
)

// Joins are the majorities (Majority) of every fingerprint of boilerplate
// of a corpus, with the counts behind them, and the families they join
// the fingerprints into: what Boilerplate finds from every place of them.
// Recorded from a round over a whole archive (Joining.Record) and kept
// beside it, they let a round that reads part of the archive, with
// documents it does not hold, join its boilerplate as a scan of all of
// them does (Joining.Kept): the places of those documents are added to
// the counts, and where that leaves a majority in doubt, the round says
// so (JoinsFound) and joins by its own places.
//
// Encoded (Encode), a Joins is a count (uint32) then a record of
// joinRecordBytes a fingerprint, sorted by hash, little-endian:
//
//	hash    uint64
//	places  int32  places it is found at
//	family  int32  the first record of its family
//	next    tally  what follows it
//	prev    tally  what precedes it
//	holder  uint64 the document of least key holding it (Joining.Key),
//	               as the caller numbers documents (Renumber)
//
// where a tally is five int32: the candidate majority (Boyer and Moore)
// and its places; the candidate majority of the other places and its
// places; and a bound on the places of any other neighbour (Misra and
// Gries, with misraGries counters). A candidate is a record's number, -1
// for none (the run's end), or -2 for no candidate (no other place). So a
// round reads the records of its own fingerprints (a binary search each)
// without decoding the others, and the counts and bound say what places
// it adds or takes away can change, or that they may change the majority
// (a doubt). The holders give, without a look at any other document, the
// family's occurrence its members are widened against (References): in
// the document of least key among its fingerprints' holders.
type Joins struct {
	data []byte // the records
	n    int
}

const joinRecordBytes = 64

// ErrJoins reports encoded Joins that do not decode.
var ErrJoins = errors.New("cluster: damaged joins")

// DecodeJoins returns the Joins encoded in data, which it keeps: the
// caller must not change data while it is in use. It checks every
// record (hashes ascending, numbers in range, counts within the places).
func DecodeJoins(data []byte) (*Joins, error) {
	if len(data) < 4 {
		return nil, fmt.Errorf("%w: %d bytes", ErrJoins, len(data))
	}
	n := int(binary.LittleEndian.Uint32(data))
	if n < 0 || (len(data)-4)/joinRecordBytes != n || (len(data)-4)%joinRecordBytes != 0 {
		return nil, fmt.Errorf("%w: %d records in %d bytes", ErrJoins, n, len(data))
	}
	j := &Joins{data: data[4:], n: n}
	for i := range n {
		r := j.record(i)
		ok := r.places > 0 && r.family >= 0 && int(r.family) <= i && (i == 0 || j.hash(i-1) < r.hash)
		for _, t := range []tally{r.next, r.prev} {
			ok = ok && t.cand >= none && int(t.cand) < n && t.cand2 >= noCandidate && int(t.cand2) < n &&
				t.n >= 0 && t.n2 >= 0 && t.other >= 0 && t.n+t.n2 <= r.places && t.other <= r.places
		}
		if !ok {
			return nil, fmt.Errorf("%w: record %d of %d", ErrJoins, i, n)
		}
	}
	return j, nil
}

// Encode returns j encoded (see Joins).
func (j *Joins) Encode() []byte {
	out := make([]byte, 4, 4+len(j.data))
	binary.LittleEndian.PutUint32(out, uint32(j.n))
	return append(out, j.data...)
}

// Len returns the number of fingerprints of j.
func (j *Joins) Len() int { return j.n }

// joinRecord is a decoded record (see Joins).
type joinRecord struct {
	hash       uint64
	places     int32
	family     int32
	next, prev tally
}

// tally is what is found next to a fingerprint on one side (see Joins).
type tally struct {
	cand, n   int32 // the candidate majority, and its places
	cand2, n2 int32 // the candidate majority of the other places, and its places
	other     int32 // the most places of any other neighbour, at most
}

// noCandidate is a tally's second candidate where every place is the
// first's.
const noCandidate = -2

func (j *Joins) hash(i int) uint64 {
	return binary.LittleEndian.Uint64(j.data[i*joinRecordBytes:])
}

func (j *Joins) record(i int) joinRecord {
	b := j.data[i*joinRecordBytes:]
	u := func(at int) int32 { return int32(binary.LittleEndian.Uint32(b[at:])) }
	return joinRecord{
		hash: binary.LittleEndian.Uint64(b), places: u(8), family: u(12),
		next: tally{u(16), u(20), u(24), u(28), u(32)},
		prev: tally{u(36), u(40), u(44), u(48), u(52)},
	}
}

// majority returns the majorities r records.
func (r joinRecord) majority() Majority {
	var m Majority
	if t := r.next; t.cand != none && 2*t.n > r.places {
		m.Next, m.HasNext = uint64(uint32(t.cand)), true
	}
	if t := r.prev; t.cand != none && 2*t.n > r.places {
		m.Prev, m.HasPrev = uint64(uint32(t.cand)), true
	}
	return m
}

// find returns the number of the record of hash h, if j holds it.
func (j *Joins) find(h uint64) (int32, bool) {
	lo, hi := 0, j.n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if j.hash(m) < h {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return int32(lo), lo < j.n && j.hash(lo) == h
}

// tallies are the counts of joinTexts, by fingerprint number: its places,
// and the candidate majority of each side with the places it is found at;
// with seconds, the candidate majority of each side's other places, and
// a bound on the places of any third neighbour.
type tallies struct {
	places       []int32
	next, prev   votes
	next2, prev2 votes
	next3, prev3 []int32
}

// misraGries is the number of counters a side of a fingerprint has for
// the bound on its third neighbours: it is within a fifth of their places
// of the most places one of them has.
const misraGries = 4

// heavy bounds the places of any value of a stream (Misra and Gries):
// an estimate (0 for a value not among the counters) plus the
// decrements is at least its count.
type heavy struct {
	vals, counts [misraGries]int32
	dec          int32
}

func (h *heavy) add(v int32) {
	free := -1
	for i := range h.counts {
		if h.counts[i] > 0 && h.vals[i] == v {
			h.counts[i]++
			return
		}
		if h.counts[i] == 0 && free < 0 {
			free = i
		}
	}
	if free >= 0 {
		h.vals[free], h.counts[free] = v, 1
		return
	}
	for i := range h.counts {
		h.counts[i]--
	}
	h.dec++
}

// bound returns the most places any value of the stream may have.
func (h *heavy) bound() int32 {
	return slices.Max(h.counts[:]) + h.dec
}

// seconds finds the second candidates of t and the bounds on the others
// (see Joins), from the postings each gives: two more walks.
func (t *tallies) seconds(ctx context.Context, each func(fn func(ps []postings.Numbered) error) error, window int) error {
	ids := len(t.places)
	t.next2, t.prev2 = newVotes(ids), newVotes(ids)
	walk := func(at func(f, n, p int32)) error {
		return each(func(ps []postings.Numbered) error { return walkNeighbours(ctx, ps, window, at) })
	}
	if err := walk(func(f, n, p int32) {
		if n != t.next.cand[f] {
			t.next2.vote(f, n)
		}
		if p != t.prev.cand[f] {
			t.prev2.vote(f, p)
		}
	}); err != nil {
		return err
	}
	for f := range ids {
		// No other place: no candidate. (A vote may end at no count
		// with places.)
		if t.places[f] == t.next.n[f] {
			t.next2.cand[f] = noCandidate
		}
		if t.places[f] == t.prev.n[f] {
			t.prev2.cand[f] = noCandidate
		}
	}
	t.next2.startCount()
	t.prev2.startCount()
	next3, prev3 := make([]heavy, ids), make([]heavy, ids)
	err := walk(func(f, n, p int32) {
		t.next2.count(f, n)
		t.prev2.count(f, p)
		if n != t.next.cand[f] && n != t.next2.cand[f] {
			next3[f].add(n)
		}
		if p != t.prev.cand[f] && p != t.prev2.cand[f] {
			prev3[f].add(p)
		}
	})
	if err != nil {
		return err
	}
	t.next3, t.prev3 = make([]int32, ids), make([]int32, ids)
	for f := range ids {
		t.next3[f], t.prev3[f] = next3[f].bound(), prev3[f].bound()
	}
	return nil
}

// recordJoins returns the Joins of the tallies t (with seconds) of
// fingerprints whose hashes are hashes (by number, sorted), joined into
// sets.
func recordJoins(t tallies, hashes []uint64, sets *disjointSets, holders []uint32) (*Joins, error) {
	if !slices.IsSorted(hashes) || len(hashes) != len(t.places) {
		return nil, fmt.Errorf("cluster: the boilerplate's %d hashes are not those of its %d fingerprints, sorted", len(hashes), len(t.places))
	}
	n := len(hashes)
	first := make([]int32, n) // by root: the first fingerprint of its set
	for i := range first {
		first[i] = -1
	}
	data := make([]byte, n*joinRecordBytes)
	for f := range n {
		r := sets.find(int32(f))
		if first[r] < 0 {
			first[r] = int32(f)
		}
		b := data[f*joinRecordBytes:]
		binary.LittleEndian.PutUint64(b, hashes[f])
		for i, v := range []int32{
			t.places[f], first[r],
			t.next.cand[f], t.next.n[f], t.next2.cand[f], t.next2.n[f], t.next3[f],
			t.prev.cand[f], t.prev.n[f], t.prev2.cand[f], t.prev2.n[f], t.prev3[f],
		} {
			binary.LittleEndian.PutUint32(b[8+4*i:], uint32(v))
		}
		binary.LittleEndian.PutUint64(b[56:], uint64(holders[f]))
	}
	return &Joins{data: data, n: n}, nil
}

// leastHolders returns, for each fingerprint (numbered below ids) of the
// postings each gives, the document holding it of least key (its number
// without key), ties to the least number.
func leastHolders(ctx context.Context, each func(fn func(ps []postings.Numbered) error) error, ids int, key func(doc uint32) uint64) ([]uint32, error) {
	if key == nil {
		key = func(d uint32) uint64 { return uint64(d) }
	}
	holders := make([]uint32, ids)
	keys := make([]uint64, ids)
	seen := make([]bool, ids)
	err := each(func(ps []postings.Numbered) error {
		var last uint32
		var k uint64
		for i, p := range ps {
			if err := checkEvery(ctx, i); err != nil {
				return err
			}
			if i == 0 || p.Doc != last {
				last, k = p.Doc, key(p.Doc)
			}
			f := p.FP
			if !seen[f] || k < keys[f] || k == keys[f] && p.Doc < holders[f] {
				seen[f], keys[f], holders[f] = true, k, p.Doc
			}
		}
		return nil
	})
	return holders, err
}

// Renumber replaces each fingerprint's holder d by to(d): the numbers of
// the run that recorded j by the caller's own (an archive's documents).
func (j *Joins) Renumber(to func(d uint64) uint64) {
	for i := range j.n {
		b := j.data[i*joinRecordBytes+56:]
		binary.LittleEndian.PutUint64(b, to(binary.LittleEndian.Uint64(b)))
	}
}

// Holders returns, for each family of fams, the holders of least key
// (Joins) of its fingerprints, sorted and distinct: among them, the
// document of least key holding any of them.
func (j *Joins) Holders(fams []int32) map[int32][]uint64 {
	out := j.byFamily(fams, j.holder)
	for f, hs := range out {
		slices.Sort(hs)
		out[f] = slices.Compact(hs)
	}
	return out
}

// Joining says how BoilerplateAside joins the fingerprints of boilerplate
// into families. The zero Joining joins them by the places the round
// gives, as Boilerplate does.
type Joining struct {
	// Hashes are the hash of each fingerprint number, sorted (as
	// candidate.Shuffle.Boilerplate numbers them): needed by Record and
	// Kept.
	Hashes []uint64
	// Record has BoilerplateAside return the Joins it finds, with each
	// fingerprint's holder of least Key (DocKey of its id), ties to the
	// least number; Key nil records the least number.
	Record bool
	Key    func(doc uint32) uint64
	// Kept joins by these, recorded from every document that Counted
	// reports, and the places of the round's other documents (every
	// place of theirs is in the round). DF is the number of documents
	// holding each fingerprint, all of them counted.
	Kept    *Joins
	Counted func(doc uint32) bool
	DF      func(hash uint64) int
}

// JoinsFound is how BoilerplateAside joined the boilerplate.
type JoinsFound struct {
	Joins *Joins // with Joining.Record
	// Kept reports that the round joined by Joining.Kept; Doubt, when it
	// was given Kept and did not, says why.
	Kept  bool
	Doubt string
	// Exact reports that the round joined by Joining.Kept and that its
	// families are the kept ones: no kept majority changed, and no
	// fingerprint of the round is boilerplate that Kept lacks. Then a
	// family's occurrences in a document counted by Kept are those a run
	// over the kept documents found there.
	Exact bool
	// Disturbed, when the round joined by Joining.Kept, are the kept
	// families (Joins.FamilyOf), sorted, whose fingerprints it joined
	// otherwise than Kept: a majority of one changed, or the joins cut
	// it, or joined it to another or to a fingerprint Kept lacks. The
	// others are families of the round as they were kept.
	Disturbed []int32
	// Families, with Joining.Record or Kept, are the family of each of
	// the round's families (numbered as BoilerplateAside numbers them) in
	// the Joins recorded or kept (Joins.FamilyOf) of its first
	// fingerprint: -1 where they lack it.
	Families []int32
}

// joinKept joins in sets the fingerprints (numbered below ids, their
// hashes jn.Hashes) of the postings each gives as a scan of the documents
// jn.Kept was recorded from and of the round's documents not counted
// there (jn.Counted) joins them, and returns ""; or why it cannot tell,
// leaving sets as they were: a majority in doubt (Kept has the count of
// one candidate a side, not how the other places split), or a
// fingerprint of the kept documents that Kept lacks (boilerplate only
// since). Cost: a walk over the postings, a binary search in Kept for
// each fingerprint, and, where the new places change a kept majority, a
// union of every kept fingerprint's (O(Kept.Len())). exact reports that
// the families are the kept ones (JoinsFound.Exact), disturbed those
// that are not (JoinsFound.Disturbed).
func joinKept(ctx context.Context, each func(fn func(ps []postings.Numbered) error) error, ids, window int, sets *disjointSets, jn Joining) (doubt string, exact bool, disturbed []int32, err error) {
	kept := jn.Kept
	rp, err := observeRound(ctx, each, ids, window, kept, jn.Hashes, roundChanges{counted: jn.Counted})
	if err != nil {
		return "", false, nil, err
	}
	univ, extra, added, removed := rp.univ, rp.extra, rp.added, rp.removed
	nexts, prevs, goneNexts, gonePrevs := rp.nexts, rp.prevs, rp.goneNexts, rp.gonePrevs
	for _, f := range extra {
		if jn.DF(jn.Hashes[f]) != int(rp.docs[f]) {
			return fmt.Sprintf("fingerprint %016x is boilerplate now, and was not, and the round lacks some of its documents", jn.Hashes[f]), false, nil, nil
		}
	}
	toUniv := func(g int32) int32 {
		if g == none {
			return none
		}
		return univ[g]
	}
	// side returns the majority of one side of round fingerprint f
	// (none: no majority), from its kept tally t of keptPlaces places and
	// its pairs of that side added (obs) and removed (gone); ok false when
	// it is in doubt.
	side := func(f int32, obs, gone []uint64, t tally, keptPlaces int32) (maj int32, ok bool) {
		obs, gone = span(obs, f), span(gone, f)
		all := keptPlaces + added[f] - removed[f]
		// Any neighbour but the two candidates is found at no more than
		// other kept places.
		other := t.other
		n1, n2 := t.n, t.n2
		for _, g := range gone {
			switch toUniv(int32(uint32(g))) {
			case t.cand:
				n1--
			case t.cand2:
				n2--
			}
		}
		best, bestN := int32(none), int32(-1) // the kept neighbour added most among the others
		fresh := int32(none)                  // a neighbour Kept lacks (found here alone) at more than half the places
		for lo := 0; lo < len(obs); {
			hi := lo + 1
			for hi < len(obs) && obs[hi] == obs[lo] {
				hi++
			}
			g, n := toUniv(int32(uint32(obs[lo]))), int32(hi-lo)
			switch {
			case g == t.cand:
				n1 += n
			case g == t.cand2:
				n2 += n
			case int(g) >= kept.n:
				if 2*n > all {
					fresh = g
				}
			case n > bestN:
				best, bestN = g, n
			}
			lo = hi
		}
		switch {
		case 2*n1 > all:
			return t.cand, true
		case t.cand2 != noCandidate && 2*n2 > all:
			return t.cand2, true
		case fresh != none:
			return fresh, true
		case other == 0 && 2*bestN > all:
			return best, true // every place of best counted here
		case 2*(other+max(bestN, 0)) > all:
			return none, false
		}
		return none, true
	}
	majority := func(f int32) (Majority, bool) {
		r := joinRecord{next: tally{none, 0, noCandidate, 0, 0}, prev: tally{none, 0, noCandidate, 0, 0}}
		if u := univ[f]; int(u) < kept.n {
			r = kept.record(int(u))
		}
		next, ok1 := side(f, nexts, goneNexts, r.next, r.places)
		prev, ok2 := side(f, prevs, gonePrevs, r.prev, r.places)
		var m Majority
		if next != none {
			m.Next, m.HasNext = uint64(uint32(next)), true
		}
		if prev != none {
			m.Prev, m.HasPrev = uint64(uint32(prev)), true
		}
		return m, ok1 && ok2
	}
	// The majorities the new places touch, by universe number.
	touched := map[int32]Majority{}
	changed := false // a kept one
	for f := range int32(ids) {
		if added[f] == 0 {
			continue
		}
		m, ok := majority(f)
		if !ok {
			return fmt.Sprintf("the majority of fingerprint %016x is in doubt", jn.Hashes[f]), false, nil, nil
		}
		u := univ[f]
		touched[u] = m
		if int(u) < kept.n && m != kept.record(int(u)).majority() {
			changed = true
			disturbed = append(disturbed, kept.record(int(u)).family)
		}
	}
	maj := func(u int32) Majority {
		if m, ok := touched[u]; ok {
			return m
		}
		if int(u) < kept.n {
			return kept.record(int(u)).majority()
		}
		return Majority{}
	}
	// join calls union with the fingerprints u is joined to (Joined),
	// by universe number.
	join := func(u int32, union func(u, g int32)) {
		mu := maj(u)
		if g := int32(mu.Next); mu.HasNext && Joined(uint64(u), uint64(g), mu, maj(g)) {
			union(u, g)
		}
		if e := int32(mu.Prev); mu.HasPrev && Joined(uint64(e), uint64(u), maj(e), mu) {
			union(e, u)
		}
	}
	var label func(u int32) int32
	if changed {
		// Joins between kept fingerprints changed: every one is joined
		// again.
		us := newDisjointSets(kept.n + len(extra))
		for u := range int32(kept.n + len(extra)) {
			if err := checkEvery(ctx, int(u)); err != nil {
				return "", false, nil, err
			}
			join(u, us.union)
		}
		label = us.find
		// A family whose fingerprints the joins now cut, or join to
		// another's, or to a fingerprint Kept lacks, is disturbed.
		famOf := map[int32]int32{} // by label: the family of its first kept fingerprint
		labelOf := map[int32]int32{}
		for u := range int32(kept.n + len(extra)) {
			if err := checkEvery(ctx, int(u)); err != nil {
				return "", false, nil, err
			}
			l, f := us.find(u), u
			if int(u) < kept.n {
				f = kept.record(int(u)).family
			}
			if g, ok := famOf[l]; ok && g != f {
				disturbed = append(disturbed, f, g)
			} else if !ok {
				famOf[l] = f
			}
			if m, ok := labelOf[f]; ok && m != l {
				disturbed = append(disturbed, f)
			} else if !ok {
				labelOf[f] = l
			}
		}
	} else {
		// The kept families, joined where a fingerprint Kept lacks joins
		// one: only those lacking can (a kept fingerprint's majorities
		// are kept ones).
		family := func(u int32) int32 {
			if int(u) < kept.n {
				return kept.record(int(u)).family
			}
			return u
		}
		parent := map[int32]int32{}
		var find func(u int32) int32
		find = func(u int32) int32 {
			p, ok := parent[u]
			if !ok || p == u {
				return u
			}
			r := find(p)
			parent[u] = r
			return r
		}
		for _, f := range extra {
			join(univ[f], func(u, g int32) {
				if a, b := find(family(u)), find(family(g)); a != b {
					parent[max(a, b)] = min(a, b)
					disturbed = append(disturbed, a, b)
				}
			})
		}
		label = func(u int32) int32 { return find(family(u)) }
	}
	firstOf := map[int32]int32{}
	for f := range int32(ids) {
		l := label(univ[f])
		if g, ok := firstOf[l]; ok {
			sets.union(g, f)
		} else {
			firstOf[l] = f
		}
	}
	slices.Sort(disturbed)
	disturbed = slices.Compact(disturbed)
	// Numbers at or above kept.n are fingerprints Kept lacks.
	disturbed = disturbed[:sort.Search(len(disturbed), func(i int) bool { return int(disturbed[i]) >= kept.n })]
	return "", !changed && len(extra) == 0, disturbed, ctx.Err()
}

// FamilyOf returns the family (a record's number) of the fingerprint of
// hash h, if j holds it.
func (j *Joins) FamilyOf(h uint64) (int32, bool) {
	i, ok := j.find(h)
	if !ok {
		return 0, false
	}
	return j.record(int(i)).family, true
}

// Hashes returns the hashes of the fingerprints of families fams (as
// FamilyOf gives them, in any order), ascending. Cost: O(j.Len()).
func (j *Joins) Hashes(fams []int32) []uint64 {
	in := map[int32]bool{}
	for _, f := range fams {
		in[f] = true
	}
	var out []uint64
	for i := range j.n {
		if in[j.record(i).family] {
			out = append(out, j.hash(i))
		}
	}
	return out
}
