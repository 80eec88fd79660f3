package assemble

import (
	"context"
	"slices"
	"sort"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/work"
	"github.com/reuse-tool/reuse/result"
)

// writeClusters converts families to the result's clusters and hands them
// to sink in order, a batch at a time: token ranges become byte offsets
// (from the seed spool, each document's record read once: toBytes; a
// boilerplate occurrence's as wide widened it), and each cluster gets
// its earliest member and an excerpt (the text of its representative
// member, read again). A family of more than opt.PartMembers members (a
// boilerplate phrase of a large archive has millions) is converted and
// handed over in parts of that many (result.ClusterParts), so that no
// step holds it whole. fams' members hold byte offsets afterwards.
//
// The families served (by family; nil: none) are listed with their kept
// members (writeServed).
func writeClusters(ctx context.Context, x *index.Index, fams []cluster.Family, boilerFamily []int32, open []bool, wide *widened, opt *Options, served map[int32]*served, sink result.Sink) error {
	boilerplate := make([]bool, len(fams))
	for _, f := range boilerFamily {
		boilerplate[f] = true
	}
	// The member each cluster shows is chosen by its length in tokens,
	// before the members become bytes.
	shown := make([]int32, len(fams))
	for f, fam := range fams {
		if f&(1<<12-1) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if s := served[int32(f)]; s != nil {
			shown[f] = int32(s.representative(x, fam))
			continue
		}
		shown[f] = int32(Representative(fam, boilerplate[f]))
	}
	if err := toBytes(ctx, x, fams, boilerplate, wide, opt.Workers); err != nil {
		return err
	}
	wide.changed = nil // read by toBytes only
	// Batches are converted (by their own goroutine) while the one
	// before is written (by the sink, on one core): two buffers take
	// turns. A batch holds at most batch families and about batchMembers
	// members; a family given in parts is a batch of its own, converted
	// as it is written.
	const batch = 1 << 14
	batchMembers := 16 * opt.PartMembers
	if opt.BatchBytes > 0 {
		batchMembers = max(int(opt.BatchBytes/memberBytes), 1)
	}
	var bufs [2][]result.Cluster
	for i := range bufs {
		bufs[i] = make([]result.Cluster, min(batch, len(fams)))
	}
	type converted struct {
		out  []result.Cluster
		part int // the family to convert in parts, or -1
		err  error
	}
	ready := make(chan converted, 1)
	free := make(chan []result.Cluster, 2)
	free <- bufs[0]
	free <- bufs[1]
	stop, finished := make(chan struct{}), make(chan struct{})
	defer func() {
		close(stop)
		<-finished // the converter reads x's texts, which the caller closes after
	}()
	go func() {
		defer close(finished)
		defer close(ready)
		for lo := 0; lo < len(fams); {
			if len(fams[lo].Members) > opt.PartMembers || served[int32(lo)] != nil {
				select {
				case ready <- converted{part: lo}:
				case <-stop:
					return
				}
				lo++
				continue
			}
			var out []result.Cluster
			select {
			case out = <-free:
			case <-stop:
				return
			}
			hi, members := lo, 0
			for hi < len(fams) && hi-lo < batch && len(fams[hi].Members) <= opt.PartMembers && served[int32(hi)] == nil && (hi == lo || members+len(fams[hi].Members) <= batchMembers) {
				members += len(fams[hi].Members)
				hi++
			}
			out = out[:hi-lo]
			err := clusterBatch(ctx, x, fams[lo:hi], lo, boilerplate, shown, opt, out)
			for i := range out {
				out[i].Incomplete = open != nil && open[lo+i]
			}
			select {
			case ready <- converted{out, -1, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
			lo = hi
		}
	}()
	var parts result.ClusterParts
	for c := range ready {
		if c.err != nil {
			return c.err
		}
		if s := served[int32(c.part)]; c.part >= 0 && s != nil {
			if err := writeServed(ctx, x, fams[c.part], c.part, s, int(shown[c.part]), opt, sink); err != nil {
				return err
			}
			continue
		}
		if c.part >= 0 {
			if parts == nil {
				parts = result.Parts(sink)
			}
			if err := clusterInParts(ctx, x, fams[c.part], c.part, boilerplate[c.part], open != nil && open[c.part], int(shown[c.part]), opt, parts); err != nil {
				return err
			}
			continue
		}
		for i := range c.out {
			if err := sink.Cluster(&c.out[i]); err != nil {
				return err
			}
			c.out[i] = result.Cluster{}
		}
		free <- c.out[:cap(c.out)]
	}
	return ctx.Err()
}

// toBytes converts every member of fams, in place, to the byte offsets
// of its text, a boilerplate family's member (boilerplate[f]) as wide
// widened it: Start and End hold the first byte and the end as uint32
// (memberOf reads them), the width of a token's offsets in the seed
// spool. Each document's record is read once, by one of workers, in the
// order of the documents. Converted a batch of families at a time, a
// document was read once for every batch holding one of its members,
// more often the larger the corpus, so the step grew faster than the
// corpus (docs/benchmarks.md, "Cluster members converted in one pass").
// It holds 4 bytes a member and 8 a document while it works.
func toBytes(ctx context.Context, x *index.Index, fams []cluster.Family, boilerplate []bool, wide *widened, workers int) error {
	first, from, byDoc, err := placeByDocument(ctx, len(fams), func(f int) []cluster.Occurrence { return fams[f].Members })
	if err != nil {
		return err
	}
	docs := len(from) - 1
	// Records are copied once the spool outgrows the resident share
	// (as the alignment reads them), not read mapped: the spool's pages
	// would come on top of the families held here.
	readers := make([]*index.SeedReader, workers)
	for w := range readers {
		readers[w] = x.NewScatteredSeedReader()
	}
	return work.Each(ctx, docs, workers, func(w, d int) error {
		refs := byDoc[from[d]:from[d+1]]
		if len(refs) == 0 {
			return nil
		}
		v, err := readers[w].TokenView(uint32(d))
		if err != nil {
			return err
		}
		f := 0
		for _, at := range refs {
			// The family of at: at grows, and families of many
			// members lie between a document's (by a binary search
			// from the last, not a walk).
			if int(at) >= first[f+1] {
				f += sort.SearchInts(first[f+1:], int(at)+1)
			}
			o := &fams[f].Members[int(at)-first[f]]
			m := *o
			if boilerplate[f] {
				m = wide.member(m)
			}
			start, end, err := MemberBytes(v, m.Start, m.End)
			if err != nil {
				return err
			}
			o.Start, o.End = int32(uint32(start)), int32(uint32(end))
		}
		return nil
	})
}

// memberOf is the result's member of o, converted by toBytes, in the
// document whose ID is id.
func memberOf(id string, o cluster.Occurrence) result.Member {
	return result.Member{Doc: id, Start: int(uint32(o.Start)), End: int(uint32(o.End))}
}

// clusterInParts converts family f (its members in bytes, toBytes),
// which shows its member rep, and hands it to sink in parts of at most
// opt.PartMembers documents or members: the same cluster clusterBatch
// makes of it.
func clusterInParts(ctx context.Context, x *index.Index, fam cluster.Family, f int, boilerplate, incomplete bool, rep int, opt *Options, sink result.ClusterParts) error {
	c := result.Cluster{ID: f + 1, Boilerplate: boilerplate, Incomplete: incomplete}
	if earliest := EarliestMember(len(fam.Members), func(m int) string { return x.Date(fam.Members[m].Doc) }); earliest >= 0 {
		c.Earliest = x.ID(fam.Members[earliest].Doc)
	}
	shown := memberOf("", fam.Members[rep])
	if text, err := x.Text(fam.Members[rep].Doc, nil); err != nil {
		opt.Warn(err) // the cluster goes without its excerpt
	} else {
		c.Text = Excerpt(text[shown.Start:shown.End])
	}
	if err := sink.ClusterBegin(&c); err != nil {
		return err
	}
	part := opt.PartMembers
	ids := make([]string, 0, part)
	for m, o := range fam.Members {
		if m > 0 && o.Doc == fam.Members[m-1].Doc {
			continue
		}
		if ids = append(ids, x.ID(o.Doc)); len(ids) == part {
			if err := sink.ClusterDocuments(ids); err != nil {
				return err
			}
			ids = ids[:0]
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	if len(ids) > 0 {
		if err := sink.ClusterDocuments(ids); err != nil {
			return err
		}
	}
	ids = nil
	out := make([]result.Member, 0, part)
	for lo := 0; lo < len(fam.Members); lo += part {
		if err := ctx.Err(); err != nil {
			return err
		}
		out = out[:0]
		for _, o := range fam.Members[lo:min(lo+part, len(fam.Members))] {
			out = append(out, memberOf(x.ID(o.Doc), o))
		}
		if err := sink.ClusterMembers(out); err != nil {
			return err
		}
	}
	return sink.ClusterEnd()
}

// memberBytes is about the memory a member takes in a batch of clusters
// being converted: its result.Member (32 bytes), its document's id (16,
// at most), and a place in the documents of the batch's excerpts.
const memberBytes = 56

// clusterBatch converts fams, the families numbered from first, their
// members in bytes (toBytes), into out; shown[first+f] is the member
// whose text family f shows.
func clusterBatch(ctx context.Context, x *index.Index, fams []cluster.Family, first int, boilerplate []bool, shown []int32, opt *Options, out []result.Cluster) error {
	// The members, flat in order of family (a boilerplate family of a
	// large archive has millions; out's Members are slices of members).
	n := 0
	for _, fam := range fams {
		n += len(fam.Members)
	}
	members := make([]result.Member, n)
	// The documents whose text a cluster shows, and the cluster: each
	// text is read once, by one worker.
	excerpts := make([]uint64, 0, len(fams))
	at := 0
	for f, fam := range fams {
		if f&(1<<10-1) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		c := &out[f]
		c.ID = first + f + 1
		c.Boilerplate = boilerplate[first+f]
		c.Members = members[at : at+len(fam.Members) : at+len(fam.Members)]
		for m, o := range fam.Members {
			id := x.ID(o.Doc)
			if m == 0 || o.Doc != fam.Members[m-1].Doc { // members are sorted by document
				c.Documents = append(c.Documents, id)
			}
			c.Members[m] = memberOf(id, o)
		}
		if earliest := EarliestMember(len(fam.Members), func(m int) string { return x.Date(fam.Members[m].Doc) }); earliest >= 0 {
			c.Earliest = x.ID(fam.Members[earliest].Doc)
		}
		if len(fam.Members) > 0 {
			excerpts = append(excerpts, uint64(fam.Members[shown[first+f]].Doc)<<32|uint64(f))
		}
		at += len(fam.Members)
	}
	starts, err := byDocument(ctx, excerpts) // where each document's clusters begin in excerpts
	if err != nil {
		return err
	}
	texts := make([]uint32, len(starts)-1)
	for i := range texts {
		texts[i] = uint32(excerpts[starts[i]] >> 32)
	}
	// The files of those texts are asked for ahead of the workers.
	hints := x.HintTexts(texts)
	defer hints.Stop()
	return work.Each(ctx, len(texts), opt.Workers, func(w, i int) error {
		text, err := x.Text(texts[i], nil)
		hints.Done()
		if err != nil {
			opt.Warn(err) // the clusters go without their excerpt
			return nil
		}
		for _, k := range excerpts[starts[i]:starts[i+1]] {
			c := &out[int(uint32(k))]
			m := c.Members[shown[first+int(uint32(k))]]
			c.Text = Excerpt(text[m.Start:m.End])
		}
		return nil
	})
}

// MemberBytes converts a cluster member's token range to byte offsets
// by its document's record (index.SeedReader, or spool.NewSeedView),
// clamped to the tokens there are (a projected range may reach past
// them): from the start of its first token to the end of its last, past
// the punctuation ending a sentence right after it, if the record holds
// it (spool.SeedView.TokenStop), as a passage that ends a sentence on
// both sides holds it (pairs.PassageEnds).
func MemberBytes(v spool.SeedView, start, end int32) (int, int, error) {
	n := int32(v.Len())
	start, end = min(max(start, 0), n), min(max(end, 0), n)
	if start >= n {
		return 0, 0, nil
	}
	s, _, stop, err := v.TokenStop(int(start))
	if err != nil || start >= end {
		return int(s), int(s), err
	}
	if end-1 > start {
		_, _, stop, err = v.TokenStop(int(end - 1))
	}
	return int(s), int(stop), err
}

// Representative is the member whose text a cluster shows: the shortest
// found by an alignment of its own (not projected), the first on ties.
// A family that took in a quote of its longer passage shows the quote,
// the text all its documents hold.
//
// A boilerplate family's member in a document spans the fingerprints of
// the family found there, and variants of its text hold only some of
// them, so its shortest member is often a fragment that a few variants
// share with the rest (Go's source tree showed "can be found in the" for
// its 7,832 licence headers): it shows the first member of the median
// length, the text most of its documents print.
func Representative(f cluster.Family, boilerplate bool) int {
	if boilerplate && len(f.Members) > 2 {
		lens := make([]int32, 0, len(f.Members))
		for m, o := range f.Members {
			if !f.Derived[m] {
				lens = append(lens, o.End-o.Start)
			}
		}
		if len(lens) > 0 {
			slices.Sort(lens)
			median := lens[(len(lens)-1)/2]
			for m, o := range f.Members {
				if !f.Derived[m] && o.End-o.Start == median {
					return m
				}
			}
		}
	}
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

// EarliestMember returns the first of a cluster's n members whose
// document has the earliest date (date(m), "" when undated), or -1 when
// none is dated: the member whose document is the cluster's Earliest.
func EarliestMember(n int, date func(m int) string) int {
	earliest, first := -1, ""
	for m := range n {
		if d := date(m); d != "" && (earliest < 0 || d < first) {
			earliest, first = m, d
		}
	}
	return earliest
}

// excerptBytes is about the longest excerpt of a cluster's text.
const excerptBytes = 300

// Excerpt is a cluster's Text, given the text of its Representative
// member: about excerptBytes of it (result.Excerpt), quotation marks
// left unbalanced at its ends trimmed (result.TrimQuotes).
func Excerpt(text []byte) string {
	return result.Excerpt([]byte(result.TrimQuotes(string(text))), excerptBytes)
}
