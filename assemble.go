package reuse

import (
	"context"
	"math"
	"slices"

	"github.com/reuse-tool/reuse/align"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/work"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/shingle"
)

// assemble is the last stage: families, groups, overlap percentages, and
// the Result.
func (s *scan) assemble(ctx context.Context, x *corpusIndex, pairs []pairResult, boiler [][]cluster.Occurrence) (*result.Result, error) {
	var sides [][2]cluster.Occurrence
	for _, p := range pairs {
		for _, sp := range p.spans {
			sides = append(sides, [2]cluster.Occurrence{
				{Doc: p.a, Start: sp.AStart, End: sp.AEnd},
				{Doc: p.b, Start: sp.BStart, End: sp.BEnd},
			})
		}
	}
	passageFamily, boilerFamily, fams := cluster.Families(sides, boiler)

	res := &result.Result{
		Schema: result.Schema,
		Params: result.Params{
			Shingle: s.opt.Shingle, Window: s.opt.Window, MinWords: s.opt.MinWords,
			Threshold: s.opt.Threshold, MaxDF: s.opt.MaxDF,
		},
	}
	res.Documents = documents(x, sides, boiler)
	res.Pairs = resultPairs(x, pairs, passageFamily)
	clusters, err := s.clusters(ctx, x, fams, boilerFamily)
	if err != nil {
		return nil, err
	}
	res.Clusters = clusters
	groups, err := s.groups(ctx, x, pairs)
	if err != nil {
		return nil, err
	}
	res.Groups = groups

	st := &res.Stats
	st.Documents = len(res.Documents)
	for _, d := range res.Documents {
		st.Words += d.Words
		st.ReusedWords += d.ReusedWords
	}
	st.Pairs = len(res.Pairs)
	st.Passages = len(sides)
	st.Clusters = len(res.Clusters)
	st.Groups = len(res.Groups)
	st.Skipped = s.skipped
	return res, nil
}

// documents lists every document with the share of its words inside any
// passage or boilerplate occurrence.
func documents(x *corpusIndex, sides [][2]cluster.Occurrence, boiler [][]cluster.Occurrence) []result.Document {
	spans := make([][]cluster.Occurrence, len(x.docs))
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
	out := make([]result.Document, len(x.docs))
	for i, d := range x.docs {
		reused := coveredTokens(spans[i])
		out[i] = result.Document{
			ID: d.id, Path: d.path, Bytes: d.bytes, Words: d.words, Date: d.date,
			ReusedWords: reused, ReusedPct: pct(reused, d.words),
		}
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

func resultPairs(x *corpusIndex, pairs []pairResult, passageFamily []int32) []result.Pair {
	out := make([]result.Pair, 0, len(pairs))
	next := 0
	for _, p := range pairs {
		da, db := &x.docs[p.a], &x.docs[p.b]
		aw, bw := p.sideWords()
		rp := result.Pair{
			A: da.id, B: db.id,
			APct: pct(aw, da.words), BPct: pct(bw, db.words),
			SharedWords: min(aw, bw),
			Jaccard:     round(jaccard(int(p.shared), da.fingerprints, db.fingerprints), 3),
			Passages:    make([]result.Passage, len(p.spans)),
		}
		for i, sp := range p.spans {
			bs := p.bytes[i]
			rp.Passages[i] = result.Passage{
				AStart: bs.aStart, AEnd: bs.aEnd, BStart: bs.bStart, BEnd: bs.bEnd,
				Words:      int(sp.AEnd - sp.AStart),
				Similarity: round(sp.Similarity(), 3),
				Cluster:    int(passageFamily[next]) + 1,
			}
			next++
		}
		out = append(out, rp)
	}
	return out
}

// clusters converts families to the Result's clusters: token ranges become
// byte offsets (from the seed store), and each cluster gets its earliest
// member and an excerpt (the text of its first member, read again).
func (s *scan) clusters(ctx context.Context, x *corpusIndex, fams []cluster.Family, boilerFamily []int32) ([]result.Cluster, error) {
	out := make([]result.Cluster, len(fams))
	type ref struct{ fam, member int }
	byDoc := make(map[uint32][]ref)
	for f, fam := range fams {
		c := &out[f]
		c.ID = f + 1
		c.Members = make([]result.Member, len(fam.Members))
		earliest := -1
		seen := make(map[uint32]bool)
		for m, o := range fam.Members {
			byDoc[o.Doc] = append(byDoc[o.Doc], ref{f, m})
			seen[o.Doc] = true
			d := &x.docs[o.Doc]
			if d.date != "" && (earliest < 0 || d.date < x.docs[fam.Members[earliest].Doc].date) {
				earliest = m
			}
		}
		c.Documents = len(seen)
		if earliest >= 0 {
			c.Earliest = x.docs[fam.Members[earliest].Doc].id
		}
	}
	for _, f := range boilerFamily {
		out[f].Boilerplate = true
	}

	docs := make([]uint32, 0, len(byDoc))
	for d := range byDoc {
		docs = append(docs, d)
	}
	slices.Sort(docs)
	loaders := newLoaders(x, s.opt.Workers)
	err := work.Each(ctx, len(docs), s.opt.Workers, func(w, i int) error {
		d := docs[i]
		v, err := loaders[w].view(d)
		if err != nil {
			return err
		}
		// The text itself only for excerpts: each family's comes from its
		// first member, written by exactly one worker.
		var text []byte
		for _, r := range byDoc[d] {
			if r.member == 0 && text == nil {
				if text, err = x.text(&x.docs[d], nil); err != nil {
					s.warn(err)
					break
				}
			}
		}
		id := x.docs[d].id
		for _, r := range byDoc[d] {
			o := fams[r.fam].Members[r.member]
			start, end, err := tokenBytes(v, o.Start, o.End)
			if err != nil {
				return err
			}
			out[r.fam].Members[r.member] = result.Member{Doc: id, Start: start, End: end}
			if r.member == 0 && text != nil {
				out[r.fam].Text = result.Excerpt(text[start:end], 300)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// tokenBytes converts a token range to byte offsets, clamped to the tokens
// there are (a projected range may reach past them).
func tokenBytes(v spool.SeedView, start, end int32) (int, int, error) {
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
func (s *scan) groups(ctx context.Context, x *corpusIndex, pairs []pairResult) ([]result.Group, error) {
	limit := 100 * s.opt.Threshold
	var edges []cluster.Edge
	paired := make(map[[2]uint32]bool, len(pairs))
	for _, p := range pairs {
		paired[[2]uint32{p.a, p.b}] = true
		aw, bw := p.sideWords()
		if e := min(pct(aw, x.docs[p.a].words), pct(bw, x.docs[p.b].words)); e >= limit {
			edges = append(edges, cluster.Edge{A: p.a, B: p.b, Pct: e})
		}
	}

	// Jaccard of two documents that each share a share t of their words.
	jt := s.opt.Threshold / (2 - s.opt.Threshold)
	b, r := cluster.Bands(signatureSize, jt)
	var todo [][2]uint32
	checked := make(map[[2]uint32]bool)
	for _, bucket := range cluster.Buckets(x.sigs, signatureSize, b, r) {
		rep := bucket[0]
		for _, m := range bucket[1:] {
			key := [2]uint32{rep, m}
			if paired[key] || checked[key] || shingle.Similarity(x.sig(rep), x.sig(m)) < jt/2 {
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
	err := work.Each(ctx, len(todo), s.opt.Workers, func(w, i int) error {
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
		aw, bw := p.sideWords()
		found[i] = cluster.Edge{A: pr[0], B: pr[1], Pct: min(pct(aw, x.docs[pr[0]].words), pct(bw, x.docs[pr[1]].words))}
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
			ids[j] = x.docs[d].id
		}
		out = append(out, result.Group{ID: i + 1, Documents: ids, MinPct: round(grp.MinPct, 1)})
	}
	return out, nil
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
