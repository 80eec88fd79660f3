package cluster

import (
	"cmp"
	"context"
	"math/bits"
	"slices"

	"github.com/reuse-tool/reuse/internal/keysort"
	"github.com/reuse-tool/reuse/internal/postings"
)

// Boilerplate turns the postings of fingerprints held by too many documents
// (as the shuffle of package candidate keeps them) into families of
// occurrences, in linear time: no pair of documents is ever formed.
//
// In each document, fingerprints at most window shingles apart form a
// run (BoilerplateOccurrences). A run often holds several texts: a
// licence line beside a common include, or two idioms of code that
// thousands of files print in different company. Fingerprints are one
// text when one mostly comes with the other (Joined: what follows or
// precedes a fingerprint at more than half of its places, Majority), and
// a family is a set of fingerprints so joined (union-find). Its
// occurrence in a run spans its fingerprints there, from the first to
// the last one's CoverEnd. Joining every two fingerprints met in one run
// instead (as this function did before) chains the idioms of a source
// tree into one family: on the Linux tree, 465,177 occurrences in 65,126
// files (docs/benchmarks.md, "Boilerplate families, verified").
//
// Occurrence boundaries are those of fingerprints: they may fall up to
// window-1 tokens inside the shared text (Widen restores the rest from
// the documents' seeds). Occurrences of different families may overlap
// where their fingerprints interleave.
//
// It returns the families, ordered by their first occurrence
// (document, start), with occurrences within one by (document, start),
// one after another in one array that the first family's capacity
// spans, so that Families reads them there instead of copying them
// (appending to a family would overwrite the next);
// and the runs, sorted by (document, start): the text held by too many
// documents, for the evidence filter (pairs.Evidence). ps's hashes are
// replaced by dense numbers.
func Boilerplate(ctx context.Context, ps []postings.Posting, k, window int) (fams [][]Occurrence, runs []Occurrence, err error) {
	if len(ps) == 0 {
		return nil, nil, nil
	}
	ids, err := denseHashes(ctx, ps)
	if err != nil {
		return nil, nil, err
	}
	numbered := make([]postings.Numbered, len(ps))
	for i, p := range ps {
		numbered[i] = postings.Numbered{FP: uint32(p.Hash), Doc: p.Doc, Pos: p.Pos}
	}
	return BoilerplateNumbered(ctx, numbered, ids, k, window)
}

// BoilerplateNumbered is Boilerplate of postings whose fingerprints are
// numbered below fingerprints (as candidate.Shuffle.Boilerplate gives
// them), in 12 bytes a posting instead of 24. ps is reordered.
func BoilerplateNumbered(ctx context.Context, ps []postings.Numbered, fingerprints, k, window int) (fams [][]Occurrence, runs []Occurrence, err error) {
	if len(ps) == 0 {
		return nil, nil, nil
	}
	each := Postings(ps)
	sets, _, err := joinFamilies(ctx, each, fingerprints, window, Joining{})
	if err != nil {
		return nil, nil, err
	}
	// The families are counted in a first walk over the runs and filled
	// in place in a second: grown by append, the occurrences held up to
	// twice their array (docs/benchmarks.md, "The last step's interval
	// trees, one document at a time").
	var sizes []int32
	nruns := 0
	_, err = familyRuns(ctx, each, sets, fingerprints, k, window, func(_ Occurrence, fs []int32, _ []Occurrence) error {
		nruns++
		for _, f := range fs {
			if int(f) == len(sizes) {
				sizes = append(sizes, 0)
			}
			sizes[f]++
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	total := 0
	for _, n := range sizes {
		total += int(n)
	}
	flat := make([]Occurrence, total)
	runs = make([]Occurrence, 0, nruns)
	fams = make([][]Occurrence, len(sizes))
	at := 0
	for f, n := range sizes {
		fams[f] = flat[at : at : at+int(n)]
		at += int(n)
	}
	_, err = familyRuns(ctx, each, sets, fingerprints, k, window, func(run Occurrence, fs []int32, os []Occurrence) error {
		runs = append(runs, run)
		for i, f := range fs {
			fams[f] = append(fams[f], os[i])
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if len(fams) > 0 {
		fams[0] = flat[:len(fams[0])] // its capacity spans flat (flatten)
	}
	return fams, runs, nil
}

// BoilerplateAside is BoilerplateNumbered with the families written to a
// temporary file (Aside) as they are found, in one walk over the runs, not
// held: at 10 GB of news they are 0.48 GB, and were held beside the
// postings at the end of the shuffle, its peak (docs/benchmarks.md,
// "Boilerplate put aside during the alignment"). Aside.Load gives them as
// BoilerplateNumbered does, and the runs go to a file of their own (Runs:
// 0.34 GB at 10 GB of news).
//
// The postings come from each, which calls its function with every
// posting of a range of documents at a time (in any order: they are
// sorted there), ranges in order of their documents, as often as it is
// called (three walks): so that a caller need not hold them all at once
// (candidate.BoilerplatePostings; Postings when it does).
//
// jn says how the fingerprints are joined into families (the zero
// Joining: by the places each gives), and found how they were.
func BoilerplateAside(ctx context.Context, each func(fn func(ps []postings.Numbered) error) error, fingerprints, k, window int, jn Joining) (aside *Aside, runs *Runs, found JoinsFound, err error) {
	aside, runs = newAside(), newRuns()
	defer func() {
		if err != nil {
			aside.Close()
			runs.Close()
			aside, runs = nil, nil
		}
	}()
	sets, found, err := joinFamilies(ctx, each, fingerprints, window, jn)
	if err != nil {
		return nil, nil, found, err
	}
	firsts, err := familyRuns(ctx, each, sets, fingerprints, k, window, func(run Occurrence, fs []int32, os []Occurrence) error {
		if err := runs.add(run); err != nil {
			return err
		}
		for i, f := range fs {
			if err := aside.add(f, os[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && (found.Kept || found.Joins != nil) {
		found.Families, err = keptFamilies(ctx, firsts, jn.Hashes, cmp.Or(found.Joins, jn.Kept))
	}
	if err == nil {
		err = aside.flush()
		aside.buf = nil // its 16 MiB need not wait for Load
	}
	if err == nil {
		err = runs.flush()
		runs.buf = nil
	}
	if err != nil {
		return nil, nil, found, err
	}
	return aside, runs, found, nil
}

// Postings returns the each of BoilerplateAside for postings held in
// memory, one range of every document: ps, sorted by (Doc, Pos) at the
// first walk.
func Postings(ps []postings.Numbered) func(fn func(ps []postings.Numbered) error) error {
	return func(fn func([]postings.Numbered) error) error {
		if len(ps) == 0 {
			return nil
		}
		return fn(ps)
	}
}

// joinFamilies joins the fingerprints of the postings each gives
// (BoilerplateAside) into families: as jn.Kept says (joinKept), unless it
// cannot tell, or by the places each gives (joinTexts).
func joinFamilies(ctx context.Context, each func(fn func(ps []postings.Numbered) error) error, fingerprints, window int, jn Joining) (*disjointSets, JoinsFound, error) {
	sets := newDisjointSets(fingerprints)
	var found JoinsFound
	if jn.Kept != nil {
		doubt, exact, disturbed, err := joinKept(ctx, each, fingerprints, window, sets, jn)
		if err != nil {
			return nil, found, err
		}
		if doubt == "" {
			found.Kept, found.Exact, found.Disturbed = true, exact, disturbed
			return sets, found, nil
		}
		found.Doubt = doubt
	}
	t, err := joinTexts(ctx, each, fingerprints, window, sets)
	if err != nil {
		return nil, found, err
	}
	if jn.Record {
		if err := t.seconds(ctx, each, window); err != nil {
			return nil, found, err
		}
		holders, err := leastHolders(ctx, each, fingerprints, jn.Key)
		if err != nil {
			return nil, found, err
		}
		if found.Joins, err = recordJoins(t, jn.Hashes, sets, holders); err != nil {
			return nil, found, err
		}
	}
	return sets, found, nil
}

// sortedByDocPos sorts ps by (Doc, Pos) unless they are already, as a
// range held in memory is from its second walk on.
func sortedByDocPos(ctx context.Context, ps []postings.Numbered) error {
	if slices.IsSortedFunc(ps, byDocPos) {
		return nil
	}
	return sortByDocPos(ctx, ps)
}

// familyRuns calls fn with each run of the postings each gives
// (BoilerplateOccurrences of each range, sorted by (Doc, Pos)), and the
// occurrences in it of the families of sets: one a family, spanning its
// fingerprints there from the first one's place to the furthest
// CoverEnd, in the order of their first fingerprint in the run, with
// their families numbered in order of first occurrence. fs and os are
// fn's until it returns. It stops at fn's error or ctx's. It returns a
// fingerprint of each family, by number.
func familyRuns(ctx context.Context, each func(fn func(ps []postings.Numbered) error) error, sets *disjointSets, fingerprints, k, window int, fn func(run Occurrence, fs []int32, os []Occurrence) error) ([]int32, error) {
	famOf := make([]int32, fingerprints) // per root: 1 + its family; 0 before its first occurrence
	seen := make([]int32, fingerprints)  // per root: the last run it was met in (runs counted from 1)
	slot := make([]int32, fingerprints)  // per root: its occurrence in os, in the run seen names
	var (
		fs       []int32
		os       []Occurrence
		firsts   []int32 // by family
		families int32
		run      int32
		err      error
	)
	walk := func(ps []postings.Numbered) {
		BoilerplateOccurrences(ps, k, window, func(o Occurrence, fps []postings.Numbered) {
			if err != nil {
				return
			}
			run++
			if err = checkEvery(ctx, int(run)); err != nil {
				return
			}
			fs, os = fs[:0], os[:0]
			for i, p := range fps {
				end := CoverEnd(fps, i, k)
				r := sets.find(int32(p.FP))
				if seen[r] == run {
					m := &os[slot[r]]
					m.End = max(m.End, end)
					continue
				}
				seen[r], slot[r] = run, int32(len(os))
				if famOf[r] == 0 {
					families++
					famOf[r] = families
					firsts = append(firsts, int32(p.FP))
				}
				fs = append(fs, famOf[r]-1)
				os = append(os, Occurrence{Doc: o.Doc, Start: int32(p.Pos), End: end})
			}
			err = fn(o, fs, os)
		})
	}
	if werr := each(func(ps []postings.Numbered) error {
		if err := sortedByDocPos(ctx, ps); err != nil {
			return err
		}
		walk(ps)
		return err
	}); werr != nil {
		return nil, werr
	}
	return firsts, err
}

// keptFamilies returns the family of j (Joins.FamilyOf) of each family
// whose fingerprint (numbered, hashes) firsts gives, -1 where j lacks it.
func keptFamilies(ctx context.Context, firsts []int32, hashes []uint64, j *Joins) ([]int32, error) {
	out := make([]int32, len(firsts))
	for i, fp := range firsts {
		if err := checkEvery(ctx, i); err != nil {
			return nil, err
		}
		out[i] = -1
		if f, ok := j.FamilyOf(hashes[fp]); ok {
			out[i] = f
		}
	}
	return out, nil
}

// Majority is what follows and what precedes a fingerprint of
// boilerplate, next in a run, at more than half of the places it is
// found, when something does (Boilerplate).
type Majority struct {
	Next, Prev       uint64
	HasNext, HasPrev bool
}

// Joined reports whether Boilerplate makes fingerprints f and g, with
// majorities mf and mg, one text (where mf.Next is g or mg.Prev is f):
// when g is f's Next and f is g's Prev; when g is f's Next and f has no
// Prev (f is mostly where g's text begins: the fingerprints winnowing
// picks among a text's first words depend on the words before it); or
// when f is g's Prev and g has no Next (where f's text ends). A
// fingerprint between two texts, which mostly follows one and precedes
// the other (where two idioms of code are printed together), joins
// neither unless they are one.
func Joined(f, g uint64, mf, mg Majority) bool {
	if f == g {
		return false
	}
	next := mf.HasNext && mf.Next == g
	prev := mg.HasPrev && mg.Prev == f
	return next && prev || next && !mf.HasPrev || prev && !mg.HasNext
}

// CoverEnd is where the occurrence of fingerprint fps[i] of a run (fps,
// as BoilerplateOccurrences gives them) ends: its shingle's end (k
// tokens on), or the next fingerprint of the run when that is further,
// so that the occurrences of a run's fingerprints cover it together.
func CoverEnd[P Placed](fps []P, i, k int) int32 {
	_, pos := fps[i].Place()
	end := int32(pos) + int32(k)
	if i+1 < len(fps) {
		_, next := fps[i+1].Place()
		end = max(end, int32(next))
	}
	return end
}

// Placed is a posting that has a document and a position: a
// postings.Posting, or a postings.Numbered.
type Placed interface {
	Place() (doc, pos uint32)
}

// joinTexts joins in sets the fingerprints (dense numbers below ids) of
// the postings each gives (BoilerplateAside) that are one text (Joined).
// Majorities come from votes (Boyer and Moore) over what follows and
// precedes each fingerprint in its runs, then counts: two walks over the
// postings, 20 bytes a fingerprint. A range holds every posting of its
// documents, so that a posting's neighbours are in its range.
func joinTexts(ctx context.Context, each func(fn func(ps []postings.Numbered) error) error, ids, window int, sets *disjointSets) (tallies, error) {
	places := make([]int32, ids)
	next := newVotes(ids)
	prev := newVotes(ids)
	walk := func(ps []postings.Numbered, at func(f, next, prev int32)) error {
		return walkNeighbours(ctx, ps, window, at)
	}
	err := each(func(ps []postings.Numbered) error {
		return walk(ps, func(f, n, p int32) {
			places[f]++
			next.vote(f, n)
			prev.vote(f, p)
		})
	})
	if err != nil {
		return tallies{}, err
	}
	next.startCount()
	prev.startCount()
	err = each(func(ps []postings.Numbered) error {
		return walk(ps, func(f, n, p int32) {
			next.count(f, n)
			prev.count(f, p)
		})
	})
	if err != nil {
		return tallies{}, err
	}
	maj := func(f int32) Majority {
		n, p := next.of(f, places), prev.of(f, places)
		return Majority{Next: uint64(n), Prev: uint64(p), HasNext: n != none, HasPrev: p != none}
	}
	for f := range int32(ids) {
		mf := maj(f)
		if g := int32(mf.Next); mf.HasNext && Joined(uint64(f), uint64(g), mf, maj(g)) {
			sets.union(f, g)
		}
		if e := int32(mf.Prev); mf.HasPrev && Joined(uint64(e), uint64(f), maj(e), mf) {
			sets.union(e, f)
		}
	}
	return tallies{places: places, next: next, prev: prev}, ctx.Err()
}

// walkNeighbours calls at with each posting of ps, sorted by (Doc, Pos)
// first, and the fingerprints next to it in its run (none at the run's
// ends), ps holding every posting of its documents.
func walkNeighbours(ctx context.Context, ps []postings.Numbered, window int, at func(f, next, prev int32)) error {
	if err := sortedByDocPos(ctx, ps); err != nil {
		return err
	}
	neighbour := func(i, d int) int32 {
		if j := i + d; j >= 0 && j < len(ps) && ps[j].Doc == ps[i].Doc && absDiff(ps[j].Pos, ps[i].Pos) <= uint32(window) {
			return int32(ps[j].FP)
		}
		return none
	}
	for i := range ps {
		if err := checkEvery(ctx, i); err != nil {
			return err
		}
		at(int32(ps[i].FP), neighbour(i, 1), neighbour(i, -1))
	}
	return nil
}

// none stands for no fingerprint (the end of a run, or no majority).
const none = -1

// votes finds, for each fingerprint, the neighbour (on one side) held at
// more than half of its places, if any: vote at every place, then count
// at every place.
type votes struct {
	cand, n []int32
}

func newVotes(ids int) votes {
	return votes{cand: make([]int32, ids), n: make([]int32, ids)}
}

func (v votes) vote(f, g int32) {
	switch {
	case v.n[f] == 0:
		v.cand[f], v.n[f] = g, 1
	case v.cand[f] == g:
		v.n[f]++
	default:
		v.n[f]--
	}
}

// startCount ends the votes: n counts the places of cand from now on.
func (v votes) startCount() { clear(v.n) }

func (v votes) count(f, g int32) {
	if g == v.cand[f] {
		v.n[f]++
	}
}

// of returns the neighbour of f at more than half its places, or none.
func (v votes) of(f int32, places []int32) int32 {
	if 2*v.n[f] > places[f] {
		return v.cand[f]
	}
	return none
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// BoilerplateOccurrences calls emit with each occurrence of boilerplate
// in ps, the postings of fingerprints held by too many documents, sorted
// by (Doc, Pos), every posting of each document present (one document or
// many): fingerprints of one document at most window shingles apart form
// an occurrence, from the first one's shingle to the end of the last
// one's (k tokens each). fps are its postings, ps's memory. Boilerplate
// is these occurrences, in families of those sharing fingerprints; a
// caller that cannot hold every document's postings at once (the Beam
// pipeline) takes the occurrences a block of documents at a time and
// joins the families itself.
func BoilerplateOccurrences[P Placed](ps []P, k, window int, emit func(o Occurrence, fps []P)) {
	for lo := 0; lo < len(ps); {
		doc, start := ps[lo].Place()
		hi, last := lo+1, start
		for hi < len(ps) {
			d, pos := ps[hi].Place()
			if d != doc || int(pos-last) > window {
				break
			}
			hi, last = hi+1, pos
		}
		emit(Occurrence{Doc: doc, Start: int32(start), End: int32(last) + int32(k)}, ps[lo:hi])
		lo = hi
	}
}

// denseHashes replaces the hash of each posting by a dense number, in
// order of first appearance, and returns how many there are: through
// runs when the postings are sorted by hash, as the shuffle gives them
// (a map of every hash cost a tenth of the step), through a map otherwise;
// or ctx's error.
func denseHashes(ctx context.Context, ps []postings.Posting) (int, error) {
	if slices.IsSortedFunc(ps, func(x, y postings.Posting) int { return cmp.Compare(x.Hash, y.Hash) }) {
		n := 0
		last := ps[0].Hash
		for i := range ps {
			if err := checkEvery(ctx, i); err != nil {
				return 0, err
			}
			if h := ps[i].Hash; h != last {
				n++
				last = h
			}
			ps[i].Hash = uint64(n)
		}
		return n + 1, nil
	}
	ids := make(map[uint64]int32)
	for i := range ps {
		if err := checkEvery(ctx, i); err != nil {
			return 0, err
		}
		id, ok := ids[ps[i].Hash]
		if !ok {
			id = int32(len(ids))
			ids[ps[i].Hash] = id
		}
		ps[i].Hash = uint64(id)
	}
	return len(ids), nil
}

// sortByDocPos sorts ps by (Doc, Pos): by integer keys (package keysort)
// when they are few (maxKeysort), else in place by a counting sort on the
// document (American flag sort: linear, no copy of ps, which holds tens of
// millions of postings at 10 GB) and each document's postings by
// position, looking at ctx as it goes. The counting sort takes two
// passes, by the document's top 8 bits, then by the document within
// each part: one pass over all documents carried each posting to one of
// hundreds of thousands of places, a cache miss each, and its time grew
// faster than the postings (docs/benchmarks.md, "Boilerplate postings
// sorted in two passes").
func sortByDocPos(ctx context.Context, ps []postings.Numbered) error {
	var topPos, topDoc uint32
	for _, p := range ps {
		topPos, topDoc = max(topPos, p.Pos), max(topDoc, p.Doc)
	}
	if len(ps) <= maxKeysort {
		wp := keysort.Width(uint64(topPos))
		var ks keysort.Sorter[postings.Numbered]
		if !ks.Stable(ps, func(p postings.Numbered) uint64 { return uint64(p.Doc)<<wp | uint64(p.Pos) }) {
			slices.SortFunc(ps, byDocPos)
		}
		return nil
	}
	shift := max(bits.Len32(topDoc)-8, 0)
	moved := 0
	top, err := flagSort(ctx, ps, int(topDoc>>shift)+1, func(p postings.Numbered) int { return int(p.Doc >> shift) }, nil, &moved)
	if err != nil {
		return err
	}
	var from []int
	for t := range len(top) - 1 {
		part, base := ps[top[t]:top[t+1]], uint32(t)<<shift
		n := int(min(topDoc-base, 1<<shift-1)) + 1
		from, err = flagSort(ctx, part, n, func(p postings.Numbered) int { return int(p.Doc - base) }, from, &moved)
		if err != nil {
			return err
		}
		for d := range n {
			slices.SortFunc(part[from[d]:from[d+1]], func(x, y postings.Numbered) int { return cmp.Compare(x.Pos, y.Pos) })
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// flagSort permutes ps in place so that the postings of each of n
// buckets (key(p), in [0, n)) lie together, in order of bucket, and
// returns where each begins, from[n] being len(ps) (in from's array
// when it is large enough). moved counts the postings carried, for
// looking at ctx.
func flagSort(ctx context.Context, ps []postings.Numbered, n int, key func(postings.Numbered) int, from []int, moved *int) ([]int, error) {
	from = slices.Grow(from[:0], n+1)[:n+1]
	clear(from)
	for _, p := range ps {
		from[key(p)+1]++
	}
	for b := 1; b <= n; b++ {
		from[b] += from[b-1]
	}
	// next[b]: bucket b's first place not yet holding one of its postings.
	next := slices.Clone(from[:n])
	for b := range n {
		for i := next[b]; i < from[b+1]; i = next[b] {
			p := ps[i]
			for k := key(p); k != b; k = key(p) { // carry p to its bucket's next place, and take what was there
				j := next[k]
				next[k]++
				ps[j], p = p, ps[j]
				*moved++
				if err := checkEvery(ctx, *moved); err != nil {
					return nil, err
				}
			}
			ps[i] = p
			next[b]++
		}
	}
	return from, nil
}

func byDocPos(x, y postings.Numbered) int {
	return cmp.Or(cmp.Compare(x.Doc, y.Doc), cmp.Compare(x.Pos, y.Pos))
}
