package reuse

import (
	"context"
	"math"
	"slices"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/work"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/shingle"
)

// assemble is the last stage: families, groups and overlap percentages,
// handed to sink in the order of the contract. Everything the header's
// stats need is computed first; documents, pairs and clusters are then
// converted one at a time (clusters a batch at a time), so that no
// Result is built.
func (s *scan) assemble(ctx context.Context, x *corpusIndex, pairs *pairStore, boiler [][]cluster.Occurrence, sink result.Sink) error {
	reused := reusedTokens(len(x.docs), pairs.sides, boiler)
	passageFamily, boilerFamily, fams := cluster.Families(pairs.sides, boiler)
	if err := ctx.Err(); err != nil {
		return err
	}
	groups, err := s.groups(ctx, x, pairs)
	if err != nil {
		return err
	}

	st := result.Stats{
		Documents: len(x.docs), Pairs: pairs.n, Passages: len(passageFamily),
		Clusters: len(fams), Groups: len(groups), Skipped: s.skipped,
	}
	for i, d := range x.docs {
		st.Words += int(d.words)
		st.ReusedWords += reused[i]
	}
	if err := sink.Begin(result.Schema, s.params(), st); err != nil {
		return err
	}
	for i := range x.docs {
		d := &x.docs[i]
		if err := sink.Document(&result.Document{
			ID: x.id(d), Path: x.path(d), Bytes: int(d.bytes), Words: int(d.words), Date: x.date(d),
			ReusedWords: reused[i], ReusedPct: pct(reused[i], int(d.words)),
		}); err != nil {
			return err
		}
	}
	next := 0
	var texts pairTexts
	err = pairs.each(func(p *pairResult) error {
		rp := resultPair(x, p, passageFamily[next:])
		next += len(rp.Passages)
		if s.opt.PassageText {
			if err := texts.fill(x, p, &rp); err != nil {
				return err
			}
		}
		return sink.Pair(&rp)
	})
	if err != nil {
		return err
	}
	if err := s.clusters(ctx, x, fams, boilerFamily, sink); err != nil {
		return err
	}
	for i := range groups {
		if err := sink.Group(&groups[i]); err != nil {
			return err
		}
	}
	return sink.End()
}

// params are the settings the result records.
func (s *scan) params() result.Params {
	return result.Params{
		Shingle: s.opt.Shingle, Window: s.opt.Window, MinWords: s.opt.MinWords,
		Threshold: s.opt.Threshold, MaxDF: s.opt.MaxDF,
	}
}

// reusedTokens counts, for each of n documents, its tokens inside any
// passage or boilerplate occurrence.
func reusedTokens(n int, sides [][2]cluster.Occurrence, boiler [][]cluster.Occurrence) []int {
	spans := make([][]cluster.Occurrence, n)
	for _, sd := range sides {
		for _, o := range sd {
			spans[o.Doc] = append(spans[o.Doc], o)
		}
	}
	for _, g := range boiler {
		for _, o := range g {
			spans[o.Doc] = append(spans[o.Doc], o)
		}
	}
	out := make([]int, n)
	for i := range spans {
		out[i] = coveredTokens(spans[i])
		spans[i] = nil
	}
	return out
}

// coveredTokens counts the tokens inside the union of spans of one document.
func coveredTokens(spans []cluster.Occurrence) int {
	slices.SortFunc(spans, func(x, y cluster.Occurrence) int { return int(x.Start - y.Start) })
	n, to := 0, int32(math.MinInt32)
	for _, o := range spans {
		from := max(o.Start, to)
		if o.End > from {
			n += int(o.End - from)
			to = o.End
		}
	}
	return n
}

// resultPair converts a pair; families holds the family of each of its
// passages, and of those after it.
func resultPair(x *corpusIndex, p *pairResult, families []int32) result.Pair {
	da, db := &x.docs[p.a], &x.docs[p.b]
	return pairOf(PairDoc{x.id(da), int(da.words), int(da.fingerprints)}, PairDoc{x.id(db), int(db.words), int(db.fingerprints)}, p, families)
}

// pairOf converts a pair of documents a and b.
func pairOf(da, db PairDoc, p *pairResult, families []int32) result.Pair {
	aw, bw := p.sideWords()
	rp := result.Pair{
		A: da.ID, B: db.ID,
		APct: pct(aw, da.Words), BPct: pct(bw, db.Words),
		SharedWords: min(aw, bw),
		Jaccard:     round(jaccard(int(p.shared), da.Fingerprints, db.Fingerprints), 3),
		Passages:    make([]result.Passage, len(p.spans)),
	}
	for i, sp := range p.spans {
		bs := p.bytes[i]
		rp.Passages[i] = result.Passage{
			AStart: bs.aStart, AEnd: bs.aEnd, BStart: bs.bStart, BEnd: bs.bEnd,
			Words:      int(sp.AEnd - sp.AStart),
			Similarity: round(sp.Similarity(), 3),
			Cluster:    int(families[i]) + 1,
		}
	}
	return rp
}

// clusters converts families to the result's clusters and hands them to
// sink in order, a batch at a time: token ranges become byte offsets
// (from the seed spool), and each cluster gets its earliest member and an
// excerpt (the text of its first member, read again).
func (s *scan) clusters(ctx context.Context, x *corpusIndex, fams []cluster.Family, boilerFamily []int32, sink result.Sink) error {
	boilerplate := make([]bool, len(fams))
	for _, f := range boilerFamily {
		boilerplate[f] = true
	}
	loaders := newLoaders(x, s.opt.Workers)
	const batch = 1 << 14
	out := make([]result.Cluster, min(batch, len(fams)))
	for lo := 0; lo < len(fams); lo += batch {
		hi := min(lo+batch, len(fams))
		if err := s.clusterBatch(ctx, x, loaders, fams[lo:hi], lo, boilerplate, out[:hi-lo]); err != nil {
			return err
		}
		for i := range out[:hi-lo] {
			if err := sink.Cluster(&out[i]); err != nil {
				return err
			}
			out[i] = result.Cluster{}
		}
	}
	return nil
}

// clusterBatch converts fams, the families numbered from first, into out.
func (s *scan) clusterBatch(ctx context.Context, x *corpusIndex, loaders []*loader, fams []cluster.Family, first int, boilerplate []bool, out []result.Cluster) error {
	type ref struct{ fam, member int }
	byDoc := make(map[uint32][]ref)
	shown := make([]int, len(fams)) // the member whose text a cluster shows
	for f, fam := range fams {
		shown[f] = representative(fam)
		c := &out[f]
		c.ID = first + f + 1
		c.Boilerplate = boilerplate[first+f]
		c.Members = make([]result.Member, len(fam.Members))
		for m, o := range fam.Members {
			byDoc[o.Doc] = append(byDoc[o.Doc], ref{f, m})
			if m == 0 || o.Doc != fam.Members[m-1].Doc { // members are sorted by document
				c.Documents = append(c.Documents, x.id(&x.docs[o.Doc]))
			}
		}
		if earliest := earliestMember(len(fam.Members), func(m int) string { return x.date(&x.docs[fam.Members[m].Doc]) }); earliest >= 0 {
			c.Earliest = x.id(&x.docs[fam.Members[earliest].Doc])
		}
	}
	docs := make([]uint32, 0, len(byDoc))
	for d := range byDoc {
		docs = append(docs, d)
	}
	slices.Sort(docs)
	return work.Each(ctx, len(docs), s.opt.Workers, func(w, i int) error {
		d := docs[i]
		v, err := loaders[w].view(d)
		if err != nil {
			return err
		}
		// The text itself only for excerpts: each family's comes from one
		// member, written by exactly one worker.
		var text []byte
		for _, r := range byDoc[d] {
			if r.member == shown[r.fam] && text == nil {
				if text, err = x.text(&x.docs[d], nil); err != nil {
					s.warn(err)
					break
				}
			}
		}
		id := x.id(&x.docs[d])
		for _, r := range byDoc[d] {
			o := fams[r.fam].Members[r.member]
			start, end, err := tokenBytes(v, o.Start, o.End)
			if err != nil {
				return err
			}
			out[r.fam].Members[r.member] = result.Member{Doc: id, Start: start, End: end}
			if r.member == shown[r.fam] && text != nil {
				out[r.fam].Text = excerpt(text[start:end])
			}
		}
		return nil
	})
}

// excerptBytes is about the longest excerpt of a cluster's text.
const excerptBytes = 300

// excerpt is a cluster's Text, given the text of the member it shows.
func excerpt(text []byte) string {
	return result.Excerpt([]byte(result.TrimQuotes(string(text))), excerptBytes)
}

// earliestMember returns the first of a cluster's n members whose
// document has the earliest date (date(m), "" when undated), or -1 when
// none is dated.
func earliestMember(n int, date func(m int) string) int {
	earliest, first := -1, ""
	for m := range n {
		if d := date(m); d != "" && (earliest < 0 || d < first) {
			earliest, first = m, d
		}
	}
	return earliest
}

// tokenView is a document's tokens' byte offsets (a spool.SeedView, or
// tokens held in memory).
type tokenView interface {
	Len() int
	Token(i int) (start, end uint32, err error)
}

// tokenBytes converts a token range to byte offsets, clamped to the tokens
// there are (a projected range may reach past them).
func tokenBytes(v tokenView, start, end int32) (int, int, error) {
	n := int32(v.Len())
	start, end = min(max(start, 0), n), min(max(end, 0), n)
	if start >= n {
		return 0, 0, nil
	}
	s, e, err := v.Token(int(start))
	if err != nil || start >= end {
		return int(s), int(s), err
	}
	if end-1 > start {
		_, e, err = v.Token(int(end - 1))
	}
	return int(s), int(e), err
}

// groups finds near-duplicate documents: pairs whose passages cover at
// least Threshold of both sides, and documents whose MinHash signatures
// collide under LSH (copies whose pairs were never formed because all
// their text is boilerplate), verified by aligning each with the first
// document of its bucket.
func (s *scan) groups(ctx context.Context, x *corpusIndex, pairs *pairStore) ([]result.Group, error) {
	limit := 100 * s.opt.Threshold
	edges := pairs.edges

	// Jaccard of two documents that each share a share t of their words.
	jt := s.opt.Threshold / (2 - s.opt.Threshold)
	buckets, err := s.buckets(ctx, x)
	if err != nil {
		return nil, err
	}
	var todo [][2]uint32
	checked := make(map[[2]uint32]bool)
	var sigA, sigB []uint64
	for _, bucket := range buckets {
		rep := bucket[0]
		if sigA, err = x.sig(sigA, rep); err != nil {
			return nil, err
		}
		for _, m := range bucket[1:] {
			key := [2]uint32{rep, m}
			if pairs.paired(rep, m) || checked[key] {
				continue
			}
			if sigB, err = x.sig(sigB, m); err != nil {
				return nil, err
			}
			if !similarEnough(sigA, sigB, jt) {
				continue
			}
			checked[key] = true
			todo = append(todo, key)
		}
	}
	found := make([]cluster.Edge, len(todo))
	loaders := newLoaders(x, s.opt.Workers)
	aligners := make([]*align.Aligner, s.opt.Workers)
	aDocs := make([]int64, s.opt.Workers)
	for w := range aligners {
		aligners[w] = align.New(s.alignOptions())
		aDocs[w] = -1
	}
	err = work.Each(ctx, len(todo), s.opt.Workers, func(w, i int) error {
		l, al, pr := loaders[w], aligners[w], todo[i]
		if aDocs[w] != int64(pr[0]) {
			if err := l.setA(al, pr[0]); err != nil {
				return err
			}
			aDocs[w] = int64(pr[0])
		}
		spans, err := l.align(ctx, al, pr[1], nil)
		if err != nil {
			return err
		}
		p := pairResult{spans: spans}
		found[i] = cluster.Edge{A: pr[0], B: pr[1], Pct: p.overlap(int(x.docs[pr[0]].words), int(x.docs[pr[1]].words))}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, e := range found {
		if e.Pct >= limit {
			edges = append(edges, e)
		}
	}

	var out []result.Group
	for i, grp := range cluster.Groups(edges) {
		ids := make([]string, len(grp.Docs))
		for j, d := range grp.Docs {
			ids[j] = x.id(&x.docs[d])
		}
		out = append(out, result.Group{ID: i + 1, Documents: ids, MinPct: round(grp.MinPct, 1)})
	}
	return out, nil
}

// similarEnough reports whether two documents whose signatures collide
// under LSH are worth aligning to check that they are near-duplicates:
// their estimated Jaccard similarity is at least half of jt.
func similarEnough(sigA, sigB []uint64, jt float64) bool {
	return shingle.Similarity(sigA, sigB) >= jt/2
}

// jaccard is |A∩B| / |A∪B| from the sizes of two sets and of their
// intersection.
func jaccard(shared, a, b int) float64 {
	if union := a + b - shared; union > 0 {
		return float64(shared) / float64(union)
	}
	return 0
}

// pct is part/whole as a percentage with one decimal.
func pct(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return round(100*float64(part)/float64(whole), 1)
}

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

// bands is how the LSH of near-duplicate groups cuts signatures: for the
// Jaccard similarity of two documents that each share Threshold of their
// words (cluster.Bands).
func (s *scan) bands() (b, r int) {
	return cluster.Bands(signatureSize, s.opt.Threshold/(2-s.opt.Threshold))
}

// buckets returns the LSH buckets of the documents: the band keys spooled
// by stage 1, loaded a range of partitions at a time (Options.loadBytes
// at most), sorted, and grouped by key.
func (s *scan) buckets(ctx context.Context, x *corpusIndex) ([][]uint32, error) {
	limit := max(s.opt.loadBytes()/postings.Size, 1)
	var buf []postings.Posting
	var out [][]uint32
	for from := 0; from < spool.PostingPartitions; {
		to := from + 1
		for to < spool.PostingPartitions && x.bands.Count(from, to+1) <= limit {
			to++
		}
		var err error
		if buf, err = spool.LoadPostings(ctx, x.bands, buf[:0], from, to, x.docOf, s.opt.Workers); err != nil {
			return nil, err
		}
		postings.Sort(buf, s.opt.Workers)
		out = cluster.BucketsOf(out, buf)
		x.bands.Drop(from, to)
		from = to
	}
	return cluster.SortBuckets(out), nil
}

// representative is the member whose text a cluster shows: the shortest
// found by an alignment of its own (not projected), the first on ties.
// A family that took in a quote of its longer passage shows the quote,
// the text all its documents hold.
func representative(f cluster.Family) int {
	best := -1
	for m, o := range f.Members {
		if f.Derived[m] {
			continue
		}
		if best < 0 || o.End-o.Start < f.Members[best].End-f.Members[best].Start {
			best = m
		}
	}
	return max(best, 0)
}

// pairTexts reads pairs' texts for their passages, keeping A's for the
// pairs after it (pairs come in order of A).
type pairTexts struct {
	a     uint32
	aText []byte
	ok    bool
}

// fill sets the texts of rp's passages.
func (t *pairTexts) fill(x *corpusIndex, p *pairResult, rp *result.Pair) error {
	if !t.ok || t.a != p.a {
		text, err := x.text(&x.docs[p.a], nil)
		if err != nil {
			return err
		}
		t.a, t.aText, t.ok = p.a, text, true
	}
	bText, err := x.text(&x.docs[p.b], nil)
	if err != nil {
		return err
	}
	for i := range rp.Passages {
		ps := &rp.Passages[i]
		ps.AText = string(t.aText[ps.AStart:ps.AEnd])
		ps.BText = string(bText[ps.BStart:ps.BEnd])
	}
	return nil
}
