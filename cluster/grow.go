package cluster

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/reuse-tool/reuse/internal/postings"
)

// roundPlaces are the places of a round's fingerprints of boilerplate
// measured against Joins kept (joinKept, Joins.Grow).
type roundPlaces struct {
	// univ is each round fingerprint's number among the kept ones, then,
	// from kept.n on, among those the round holds that Kept lacks
	// (extra: boilerplate now, and not when it was recorded).
	univ   []int32
	inKept []bool
	full   []bool  // counted afresh (roundChanges.full)
	extra  []int32 // round numbers, ascending
	// dropped are kept fingerprints that are boilerplate no longer (a
	// removal made them rarer): found in no run now.
	dropped []bool
	// What each fingerprint is next to, as sorted (fingerprint,
	// neighbour) pairs of round numbers: at the places Kept lacks, added
	// (those of the documents not counted, and of the counted ones
	// holding an extra fingerprint, whose runs it changed); and at the
	// places Kept counts that such a document no longer has (its runs of
	// kept fingerprints alone), removed.
	added, removed                     []int32 // places, by round number
	nexts, prevs, goneNexts, gonePrevs []uint64
	docs                               []int32 // documents of the round holding each, but those removed
}

// roundChanges are what observeRound is told of a round besides its
// places: the documents the kept joins count (counted), those removed
// since (removed: their places go), and the kept fingerprints that are
// boilerplate no longer (dropped). A nil removed or dropped reports
// none.
type roundChanges struct {
	counted, removed func(doc uint32) bool
	dropped          func(hash uint64) bool
	// full are fingerprints whose every place the round observes (each
	// document holding one observed again).
	full func(hash uint64) bool
}

// observeRound measures the places of the round's fingerprints
// (numbered below ids, their hashes sorted) that each gives against
// kept, with the changes ch (roundPlaces). A document counted is
// observed again where it holds a fingerprint kept lacks or no longer
// boilerplate (its runs change): its old runs, of kept fingerprints,
// removed, its runs now added; a document removed, its old runs
// removed.
func observeRound(ctx context.Context, each func(fn func(ps []postings.Numbered) error) error, ids, window int, kept *Joins, hashes []uint64, ch roundChanges) (*roundPlaces, error) {
	rp := &roundPlaces{
		univ: make([]int32, ids), inKept: make([]bool, ids), dropped: make([]bool, ids), full: make([]bool, ids),
		added: make([]int32, ids), removed: make([]int32, ids), docs: make([]int32, ids),
	}
	for f := range ids {
		if err := checkEvery(ctx, f); err != nil {
			return nil, err
		}
		rp.full[f] = ch.full != nil && ch.full(hashes[f])
		if u, ok := kept.find(hashes[f]); ok {
			rp.univ[f], rp.inKept[f] = u, true
			rp.dropped[f] = ch.dropped != nil && ch.dropped(hashes[f])
			continue
		}
		rp.univ[f] = int32(kept.n + len(rp.extra))
		rp.extra = append(rp.extra, int32(f))
	}
	lastDoc := make([]int64, ids)
	for i := range lastDoc {
		lastDoc[i] = -1
	}
	pair := func(f, g int32) uint64 { return uint64(f)<<32 | uint64(uint32(g)) }
	observe := func(ps []postings.Numbered, places []int32, nexts, prevs *[]uint64) {
		neighbour := func(i, d int) int32 {
			if j := i + d; j >= 0 && j < len(ps) && absDiff(ps[j].Pos, ps[i].Pos) <= uint32(window) {
				return int32(ps[j].FP)
			}
			return none
		}
		for i, p := range ps {
			f := int32(p.FP)
			places[f]++
			*nexts = append(*nexts, pair(f, neighbour(i, 1)))
			*prevs = append(*prevs, pair(f, neighbour(i, -1)))
		}
	}
	var old, now []postings.Numbered
	err := each(func(ps []postings.Numbered) error {
		if err := sortedByDocPos(ctx, ps); err != nil {
			return err
		}
		for lo, n := 0, 0; lo < len(ps); n++ {
			if err := checkEvery(ctx, n); err != nil {
				return err
			}
			removed := ch.removed != nil && ch.removed(ps[lo].Doc)
			hi, recount := lo, false
			for ; hi < len(ps) && ps[hi].Doc == ps[lo].Doc; hi++ {
				f := ps[hi].FP
				recount = recount || !rp.inKept[f] || rp.dropped[f] || rp.full[f]
				if lastDoc[f] != int64(ps[hi].Doc) && !removed {
					lastDoc[f] = int64(ps[hi].Doc)
					rp.docs[f]++
				}
			}
			doc := ps[lo:hi]
			lo = hi
			isCounted := ch.counted(doc[0].Doc)
			if isCounted && !recount && !removed {
				continue
			}
			if !removed {
				now = now[:0]
				for _, p := range doc {
					if !rp.dropped[p.FP] {
						now = append(now, p)
					}
				}
				observe(now, rp.added, &rp.nexts, &rp.prevs)
			}
			if isCounted {
				old = old[:0]
				for _, p := range doc {
					if rp.inKept[p.FP] {
						old = append(old, p)
					}
				}
				observe(old, rp.removed, &rp.goneNexts, &rp.gonePrevs)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, obs := range []*[]uint64{&rp.nexts, &rp.prevs, &rp.goneNexts, &rp.gonePrevs} {
		slices.Sort(*obs)
	}
	return rp, nil
}

// span returns the (f, neighbour) pairs of f in obs, sorted.
func span(obs []uint64, f int32) []uint64 {
	lo, _ := slices.BinarySearch(obs, uint64(f)<<32)
	hi, _ := slices.BinarySearch(obs, uint64(f+1)<<32)
	return obs[lo:hi]
}

// Growing is what Joins.Grow is told of a round besides its places.
type Growing struct {
	Hashes  []uint64              // the hash of each fingerprint number, sorted
	Counted func(doc uint32) bool // the documents the joins were recorded from
	// Removed are the documents of those removed since (nil: none).
	Removed func(doc uint32) bool
	// Dropped are the fingerprints of the joins that are boilerplate no
	// longer (nil: none): held by MaxDF documents or fewer since the
	// removals.
	Dropped func(hash uint64) bool
	// Recount are fingerprints counted afresh (nil: none), every
	// document holding one in the round: those a first Grow found in
	// doubt (DoubtError).
	Recount func(hash uint64) bool
	// DF is the number of documents holding each fingerprint now.
	DF  func(hash uint64) int
	Key func(doc uint32) uint64
	// Number is a round document as the caller numbers documents: the
	// holders (Renumber).
	Number func(doc uint32) uint64
	// HolderKey is the Key of a holder of the joins, as the caller
	// numbers it; HolderRemoved reports the holders removed since, and
	// LeastHolder a fingerprint's holder of least key among the
	// documents holding it now, and its key.
	HolderKey     func(holder uint64) (uint64, error)
	HolderRemoved func(holder uint64) bool
	LeastHolder   func(hash uint64) (holder, key uint64, err error)
}

// ErrGrow reports joins that Joins.Grow cannot bring up to date from
// the places it is given: a kept count too loose to tell a majority, or
// a fingerprint boilerplate since, or no longer, whose documents the
// round lacks.
var ErrGrow = errors.New("cluster: the joins cannot be brought up to date")

// DoubtError is the ErrGrow of fingerprints whose kept counts, with the
// places added and gone, no longer tell their majority: counted afresh
// (Growing.Recount, from every document holding them), they would.
type DoubtError struct{ Hashes []uint64 }

func (e *DoubtError) Error() string {
	return fmt.Sprintf("%v: the majority of %d fingerprints is in doubt (%016x first)", ErrGrow, len(e.Hashes), e.Hashes[0])
}

func (e *DoubtError) Unwrap() error { return ErrGrow }

// Grow returns the Joins of the documents j was recorded from, less
// those removed since and with those added since, with the same
// majorities, families and holders as a recording from them
// (Joining.Record), from a round that holds every added document
// (g.Counted false), every removed one (g.Removed), and every recorded
// one holding a fingerprint boilerplate only since or no longer
// (g.Dropped), whose runs change, with the places of all their
// fingerprints of boilerplate then and now (numbered below ids, hashes
// g.Hashes). A kept tally takes the places added and loses those gone:
// its two candidates' counts stay exact, and so do the counts of
// neighbours it never saw (exact where it saw no other); any other
// neighbour's bound grows by its places added; a fingerprint
// boilerplate since is counted afresh, one no longer is left out, and a
// holder removed is replaced by g.LeastHolder. Where that leaves a
// majority unknown (neither candidate a majority, and a bound over half
// the places), Grow returns ErrGrow, and so it does when the round
// lacks a document holding a fingerprint boilerplate since or no
// longer. Cost: the walks of joinKept, the holders' keys of the
// fingerprints the added documents hold, and a union of every
// fingerprint's (O(Len())). j is not changed.
func (j *Joins) Grow(ctx context.Context, each func(fn func(ps []postings.Numbered) error) error, ids, window int, g Growing) (*Joins, error) {
	rp, err := observeRound(ctx, each, ids, window, j, g.Hashes, roundChanges{counted: g.Counted, removed: g.Removed, dropped: g.Dropped, full: g.Recount})
	if err != nil {
		return nil, err
	}
	for f := range ids {
		if (!rp.inKept[f] || rp.dropped[f] || rp.full[f]) && g.DF(g.Hashes[f]) != int(rp.docs[f]) {
			return nil, fmt.Errorf("%w: fingerprint %016x is boilerplate since, or no longer, held by %d documents, %d of them in the round", ErrGrow, g.Hashes[f], g.DF(g.Hashes[f]), rp.docs[f])
		}
	}
	n := j.n + len(rp.extra)
	// Records by universe number: the kept ones, then the extra.
	recs := make([]joinRecord, n)
	holders := make([]uint64, n)
	gone := make([]bool, n) // dropped
	for u := range j.n {
		if err := checkEvery(ctx, u); err != nil {
			return nil, err
		}
		recs[u] = j.record(u)
		holders[u] = binary.LittleEndian.Uint64(j.data[u*joinRecordBytes+56:])
	}
	for i, f := range rp.extra {
		recs[j.n+i] = joinRecord{hash: g.Hashes[f], next: tally{none, 0, noCandidate, 0, 0}, prev: tally{none, 0, noCandidate, 0, 0}}
	}
	for f := range ids {
		if rp.dropped[f] {
			gone[rp.univ[f]] = true
		}
	}
	toUniv := func(f int32) int32 {
		if f == none {
			return none
		}
		return rp.univ[f]
	}
	isGone := func(u int32) bool { return u >= 0 && gone[u] }
	var doubts []uint64
	for f := range int32(ids) {
		if err := checkEvery(ctx, int(f)); err != nil {
			return nil, err
		}
		if rp.added[f] == 0 && rp.removed[f] == 0 || rp.dropped[f] {
			continue
		}
		u := rp.univ[f]
		r := &recs[u]
		places := r.places + rp.added[f] - rp.removed[f]
		fresh := int(u) >= j.n || rp.full[f]
		nextGone, prevGone := span(rp.goneNexts, f), span(rp.gonePrevs, f)
		if fresh {
			// Every place of it is among those added.
			places, nextGone, prevGone = rp.added[f], nil, nil
		}
		var ok1, ok2 bool
		r.next, ok1 = growTally(r.next, fresh, int32(j.n), span(rp.nexts, f), nextGone, toUniv, isGone, r.places, places)
		r.prev, ok2 = growTally(r.prev, fresh, int32(j.n), span(rp.prevs, f), prevGone, toUniv, isGone, r.places, places)
		r.places = places
		if !ok1 || !ok2 || places <= 0 {
			doubts = append(doubts, r.hash)
		}
	}
	if len(doubts) > 0 {
		return nil, &DoubtError{Hashes: doubts}
	}
	// A kept tally whose candidate is dropped had it at places the round
	// recounted: none left.
	for u := range j.n {
		for _, t := range []tally{recs[u].next, recs[u].prev} {
			if !gone[u] && (isGone(t.cand) && t.n > 0 || isGone(t.cand2) && t.n2 > 0) {
				return nil, fmt.Errorf("%w: fingerprint %016x is boilerplate no longer, and the round lacks places next to it", ErrGrow, recs[u].hash)
			}
		}
	}
	// The least key among the holders the joins lack: every holder of an
	// extra fingerprint, the added documents' of a kept one; and where a
	// holder was removed, the least now.
	keys := make([]uint64, n)
	known := make([]bool, n)
	if g.HolderRemoved != nil {
		for u := range j.n {
			if !gone[u] && g.HolderRemoved(holders[u]) {
				if holders[u], keys[u], err = g.LeastHolder(recs[u].hash); err != nil {
					return nil, err
				}
				known[u] = true
			}
		}
	}
	err = each(func(ps []postings.Numbered) error {
		for i, p := range ps {
			if err := checkEvery(ctx, i); err != nil {
				return err
			}
			u := rp.univ[p.FP]
			if rp.inKept[p.FP] && g.Counted(p.Doc) || gone[u] || g.Removed != nil && g.Removed(p.Doc) {
				continue
			}
			if !known[u] && int(u) < j.n {
				k, err := g.HolderKey(holders[u])
				if err != nil {
					return err
				}
				keys[u], known[u] = k, true
			}
			k, num := g.Key(p.Doc), g.Number(p.Doc)
			if !known[u] || k < keys[u] || k == keys[u] && num < holders[u] {
				keys[u], holders[u], known[u] = k, num, true
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Renumbered by hash, the extra among the kept, the dropped left out.
	var order []int32 // new number → universe number
	for u := range int32(n) {
		if !gone[u] {
			order = append(order, u)
		}
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(recs[a].hash, recs[b].hash) })
	num := make([]int32, n) // universe number → new
	for i, u := range order {
		num[u] = int32(i)
	}
	renum := func(c int32) int32 {
		if c < 0 {
			return c // none, noCandidate
		}
		return num[c]
	}
	n = len(order)
	out := &Joins{data: make([]byte, n*joinRecordBytes), n: n}
	sets := newDisjointSets(n)
	maj := make([]Majority, n)
	for i, u := range order {
		r := recs[u]
		for _, t := range []*tally{&r.next, &r.prev} {
			// A tally the round did not touch may name a dropped
			// candidate found at no place (a vote that ended at none).
			if isGone(t.cand2) {
				t.cand2, t.n2 = noCandidate, 0
			}
			if isGone(t.cand) {
				if t.cand2 == noCandidate {
					return nil, fmt.Errorf("%w: fingerprint %016x's candidate neighbour is boilerplate no longer", ErrGrow, r.hash)
				}
				t.cand, t.n, t.cand2, t.n2 = t.cand2, t.n2, noCandidate, 0
			}
			t.cand, t.cand2 = renum(t.cand), renum(t.cand2)
		}
		recs[u] = r
		maj[i] = r.majority()
	}
	for f := range int32(n) {
		mf := maj[f]
		if h := int32(mf.Next); mf.HasNext && Joined(uint64(f), uint64(h), mf, maj[h]) {
			sets.union(f, h)
		}
		if e := int32(mf.Prev); mf.HasPrev && Joined(uint64(e), uint64(f), maj[e], mf) {
			sets.union(e, f)
		}
	}
	first := make([]int32, n)
	for i := range first {
		first[i] = -1
	}
	for i, u := range order {
		if err := checkEvery(ctx, i); err != nil {
			return nil, err
		}
		r := recs[u]
		root := sets.find(int32(i))
		if first[root] < 0 {
			first[root] = int32(i)
		}
		b := out.data[i*joinRecordBytes:]
		binary.LittleEndian.PutUint64(b, r.hash)
		for k, v := range []int32{
			r.places, first[root],
			r.next.cand, r.next.n, r.next.cand2, r.next.n2, r.next.other,
			r.prev.cand, r.prev.n, r.prev.cand2, r.prev.n2, r.prev.other,
		} {
			binary.LittleEndian.PutUint32(b[8+4*k:], uint32(v))
		}
		binary.LittleEndian.PutUint64(b[56:], holders[u])
	}
	return out, nil
}

// growTally returns tally t of a side of a fingerprint found at
// oldPlaces places with the neighbours obs (round numbers, toUniv makes
// them t's) added and gone removed, of places in all; fresh when t
// counts nothing (a fingerprint boilerplate since, every place of it in
// obs). Neighbours numbered kept or above are boilerplate since: t saw
// none of them. The counts of the candidates, and of neighbours t saw
// at no place, stay exact, and the two largest become the candidates;
// any other neighbour's bound grows by its places added. ok is false
// where the tally no longer tells the majority: neither candidate has
// it, and another might.
func growTally(t tally, fresh bool, kept int32, obs, gone []uint64, toUniv func(int32) int32, dropped func(int32) bool, oldPlaces, places int32) (tally, bool) {
	// Another neighbour had at most the bound, the places the candidates
	// left, and half the places: a tally's first candidate is the
	// majority when there is one (Boyer and Moore's vote, or Grow's
	// refusal of a doubt).
	otherBefore := min(t.other, oldPlaces-t.n-max(t.n2, 0), oldPlaces/2)
	// A place counted again with the same neighbour changes nothing.
	obs, gone = netOf(obs, gone)
	type count struct{ g, n int32 }
	var exact []count
	if fresh {
		otherBefore = 0
	} else {
		exact = append(exact, count{t.cand, t.n})
		if t.cand2 != noCandidate {
			exact = append(exact, count{t.cand2, t.n2})
		}
	}
	at := func(g int32) int {
		return slices.IndexFunc(exact[:min(len(exact), 2)], func(c count) bool { return c.g == g })
	}
	for _, p := range gone {
		if i := at(toUniv(int32(uint32(p)))); i >= 0 {
			exact[i].n--
		}
	}
	bound := otherBefore
	for lo := 0; lo < len(obs); {
		hi := lo + 1
		for hi < len(obs) && obs[hi] == obs[lo] {
			hi++
		}
		g, k := toUniv(int32(uint32(obs[lo]))), int32(hi-lo)
		lo = hi
		switch i := at(g); {
		case i >= 0 && !fresh:
			exact[i].n += k
		case otherBefore == 0 || g >= kept:
			exact = append(exact, count{g, k}) // at no place before
		default:
			bound = max(bound, otherBefore+k)
		}
	}
	// A neighbour no longer boilerplate is found at no place now (each
	// was counted again): it cannot be a candidate.
	exact = slices.DeleteFunc(exact, func(c count) bool { return dropped(c.g) && c.n == 0 })
	if len(exact) == 0 || slices.ContainsFunc(exact, func(c count) bool { return dropped(c.g) }) {
		return t, false
	}
	slices.SortStableFunc(exact, func(a, b count) int { return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.g, b.g)) })
	t = tally{cand: exact[0].g, n: exact[0].n, cand2: noCandidate}
	if len(exact) > 1 && (exact[1].n > 0 || t.n < places) {
		t.cand2, t.n2 = exact[1].g, exact[1].n
	}
	for _, c := range exact[min(len(exact), 2):] {
		bound = max(bound, c.n)
	}
	// No other neighbour has more places than those its candidates leave.
	t.other = min(bound, places-t.n-t.n2)
	return t, 2*t.n > places || 2*t.other <= places
}

// netOf returns the pairs of sorted obs that gone lacks, and those of
// gone that obs lacks (multisets).
func netOf(obs, gone []uint64) (net, netGone []uint64) {
	i, j := 0, 0
	for i < len(obs) && j < len(gone) {
		switch {
		case obs[i] == gone[j]:
			i, j = i+1, j+1
		case obs[i] < gone[j]:
			net = append(net, obs[i])
			i++
		default:
			netGone = append(netGone, gone[j])
			j++
		}
	}
	return append(net, obs[i:]...), append(netGone, gone[j:]...)
}

// FamilyHash returns the hash of family f's first fingerprint (its
// number, as FamilyOf gives it): the same in any Joins holding that
// family unchanged (Changed), whatever its number there.
func (j *Joins) FamilyHash(f int32) uint64 { return j.hash(int(f)) }

// Changed returns the families of old (by number, ascending) that j
// does not hold as old does: each of their fingerprints with the same
// places, majorities' tallies (their candidates by hash), holder and
// family, and no other fingerprint in it. A Joins grown from old
// (Grow) holds unchanged the families that the documents added and
// removed hold no fingerprint of, and that the fingerprints boilerplate
// since or no longer are not next to. Cost: O((old.Len()+j.Len()) log).
func (j *Joins) Changed(ctx context.Context, old *Joins) ([]int32, error) {
	changed := map[int32]bool{}
	candHash := func(k *Joins, c int32) (uint64, int32) {
		if c < 0 {
			return 0, c // none, noCandidate
		}
		return k.hash(int(c)), 0
	}
	sameTally := func(a, b tally) bool {
		ah, as := candHash(old, a.cand)
		bh, bs := candHash(j, b.cand)
		a2h, a2s := candHash(old, a.cand2)
		b2h, b2s := candHash(j, b.cand2)
		return ah == bh && as == bs && a2h == b2h && a2s == b2s && a.n == b.n && a.n2 == b.n2 && a.other == b.other
	}
	for i := range old.n {
		if err := checkEvery(ctx, i); err != nil {
			return nil, err
		}
		o := old.record(i)
		k, ok := j.find(o.hash)
		if !ok {
			changed[o.family] = true
			continue
		}
		r := j.record(int(k))
		if r.places != o.places || j.FamilyHash(r.family) != old.FamilyHash(o.family) || j.holder(int(k)) != old.holder(i) ||
			!sameTally(o.next, r.next) || !sameTally(o.prev, r.prev) {
			changed[o.family] = true
		}
	}
	// A fingerprint j holds that old lacks, in the family of one old
	// holds, changed that family.
	for i := range j.n {
		if err := checkEvery(ctx, i); err != nil {
			return nil, err
		}
		if _, ok := old.find(j.hash(i)); ok {
			continue
		}
		if f, ok := old.FamilyOf(j.FamilyHash(j.record(i).family)); ok {
			changed[f] = true
		}
	}
	out := make([]int32, 0, len(changed))
	for f := range changed {
		out = append(out, f)
	}
	slices.Sort(out)
	return out, nil
}

// Members returns, for each family of fams, the hashes of its
// fingerprints, ascending. Cost: O(j.Len()).
func (j *Joins) Members(fams []int32) map[int32][]uint64 {
	return j.byFamily(fams, j.hash)
}

// byFamily returns, for each family of fams, of(i) of each record i of
// it, in order of record.
func (j *Joins) byFamily(fams []int32, of func(i int) uint64) map[int32][]uint64 {
	in := map[int32]bool{}
	for _, f := range fams {
		in[f] = true
	}
	out := map[int32][]uint64{}
	for i := range j.n {
		if f := j.record(i).family; in[f] {
			out[f] = append(out[f], of(i))
		}
	}
	return out
}

// Extra returns the hashes, ascending, of j's fingerprints that old
// lacks: boilerplate since old was recorded.
func (j *Joins) Extra(old *Joins) []uint64 {
	var out []uint64
	for i := range j.n {
		if _, ok := old.find(j.hash(i)); !ok {
			out = append(out, j.hash(i))
		}
	}
	return out
}

// holder returns the holder of record i (see Joins).
func (j *Joins) holder(i int) uint64 {
	return binary.LittleEndian.Uint64(j.data[i*joinRecordBytes+56:])
}
