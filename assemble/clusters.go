package assemble

import (
	"context"
	"slices"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/internal/work"
	"github.com/reuse-tool/reuse/result"
)

// writeClusters converts families to the result's clusters and hands them
// to sink in order, a batch at a time: token ranges become byte offsets
// (from the seed spool; a boilerplate occurrence's as wide widened it),
// and each cluster gets its earliest member and an
// excerpt (the text of its representative member, read again). A family
// of more than opt.PartMembers members (a boilerplate phrase of a large
// archive has millions) is converted and handed over in parts of that
// many (result.ClusterParts), so that no step holds it whole.
func writeClusters(ctx context.Context, x *index.Index, fams []cluster.Family, boilerFamily []int32, wide *widened, opt *Options, sink result.Sink) error {
	boilerplate := make([]bool, len(fams))
	for _, f := range boilerFamily {
		boilerplate[f] = true
	}
	// Each batch reads its members' records in the order of their
	// documents, sparsely over the whole seed spool: mapped, each batch
	// faulted in the spool's pages again once the spool outgrew the
	// resident share, so the batches cost the spool's size each and the
	// step grew with the square of the corpus (docs/benchmarks.md,
	// "Clusters read their members' records").
	readers := make([]*index.SeedReader, opt.Workers)
	for w := range readers {
		readers[w] = x.NewScatteredSeedReader()
	}
	// Batches are converted (by the workers) while the one before is
	// written (by the sink, on one core): two buffers take turns. A
	// batch holds at most batch families and about batchMembers
	// members; a family given in parts is a batch of its own, converted
	// as it is written, with readers of its own.
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
		<-finished // the converter uses x's readers, which the caller closes after
	}()
	go func() {
		defer close(finished)
		defer close(ready)
		for lo := 0; lo < len(fams); {
			if len(fams[lo].Members) > opt.PartMembers {
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
			for hi < len(fams) && hi-lo < batch && len(fams[hi].Members) <= opt.PartMembers && (hi == lo || members+len(fams[hi].Members) <= batchMembers) {
				members += len(fams[hi].Members)
				hi++
			}
			out = out[:hi-lo]
			err := clusterBatch(ctx, x, readers, fams[lo:hi], lo, boilerplate, wide, opt, out)
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
	var partReaders []*index.SeedReader
	for c := range ready {
		if c.err != nil {
			return c.err
		}
		if c.part >= 0 {
			if parts == nil {
				parts = result.Parts(sink)
				partReaders = make([]*index.SeedReader, opt.Workers)
				for w := range partReaders {
					partReaders[w] = x.NewScatteredSeedReader()
				}
			}
			if err := clusterInParts(ctx, x, partReaders, fams[c.part], c.part, boilerplate[c.part], wide, opt, parts); err != nil {
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

// clusterInParts converts family f and hands it to sink in parts of at
// most opt.PartMembers documents or members: the same cluster
// clusterBatch makes of it, from the same records, read by readers a
// document at a time (members are sorted by document).
func clusterInParts(ctx context.Context, x *index.Index, readers []*index.SeedReader, fam cluster.Family, f int, boilerplate bool, wide *widened, opt *Options, sink result.ClusterParts) error {
	member := func(m int) cluster.Occurrence {
		o := fam.Members[m]
		if boilerplate {
			o = wide.member(o)
		}
		return o
	}
	c := result.Cluster{ID: f + 1, Boilerplate: boilerplate}
	if earliest := EarliestMember(len(fam.Members), func(m int) string { return x.Date(fam.Members[m].Doc) }); earliest >= 0 {
		c.Earliest = x.ID(fam.Members[earliest].Doc)
	}
	rep := member(Representative(fam, boilerplate))
	v, err := readers[0].TokenView(rep.Doc)
	if err != nil {
		return err
	}
	start, end, err := MemberBytes(v, rep.Start, rep.End)
	if err != nil {
		return err
	}
	if text, err := x.Text(rep.Doc, nil); err != nil {
		opt.Warn(err) // the cluster goes without its excerpt
	} else {
		c.Text = Excerpt(text[start:end])
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
	out := make([]result.Member, part)
	var starts []int // where each document's members begin in a part
	for lo := 0; lo < len(fam.Members); lo += part {
		hi := min(lo+part, len(fam.Members))
		starts = starts[:0]
		for m := lo; m < hi; m++ {
			if m == lo || fam.Members[m].Doc != fam.Members[m-1].Doc {
				starts = append(starts, m)
			}
		}
		starts = append(starts, hi)
		err := work.Each(ctx, len(starts)-1, opt.Workers, func(w, i int) error {
			d := fam.Members[starts[i]].Doc
			v, err := readers[w].TokenView(d)
			if err != nil {
				return err
			}
			id := x.ID(d)
			for m := starts[i]; m < starts[i+1]; m++ {
				o := member(m)
				start, end, err := MemberBytes(v, o.Start, o.End)
				if err != nil {
					return err
				}
				out[m-lo] = result.Member{Doc: id, Start: start, End: end}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := sink.ClusterMembers(out[:hi-lo]); err != nil {
			return err
		}
	}
	return sink.ClusterEnd()
}

// memberBytes is about the memory a member takes in a batch of clusters
// being converted: its result.Member (32 bytes), its occurrence, family
// and place by document (24), its document's id (16, at most), and the
// workers' places by document.
const memberBytes = 80

// clusterBatch converts fams, the families numbered from first, into out.
func clusterBatch(ctx context.Context, x *index.Index, readers []*index.SeedReader, fams []cluster.Family, first int, boilerplate []bool, wide *widened, opt *Options, out []result.Cluster) error {
	// The members, flat in order of family (a boilerplate family of a
	// large archive has millions; out's Members are slices of members),
	// and byDoc their documents and places, sorted: the workers go by
	// document, and find a member's family and text by its place.
	n := 0
	for _, fam := range fams {
		n += len(fam.Members)
	}
	members := make([]result.Member, n)
	occs := make([]cluster.Occurrence, 0, n)
	famOf := make([]uint32, 0, n)
	byDoc := make([]uint64, 0, n)
	shown := make([]int, len(fams)) // the place of the member whose text a cluster shows
	for f, fam := range fams {
		from := len(occs)
		shown[f] = from + Representative(fam, boilerplate[first+f])
		c := &out[f]
		c.ID = first + f + 1
		c.Boilerplate = boilerplate[first+f]
		c.Members = members[from : from+len(fam.Members) : from+len(fam.Members)]
		for m, o := range fam.Members {
			byDoc = append(byDoc, uint64(o.Doc)<<32|uint64(len(occs)))
			occs = append(occs, o)
			famOf = append(famOf, uint32(f))
			if m == 0 || o.Doc != fam.Members[m-1].Doc { // members are sorted by document
				c.Documents = append(c.Documents, x.ID(o.Doc))
			}
		}
		if earliest := EarliestMember(len(fam.Members), func(m int) string { return x.Date(fam.Members[m].Doc) }); earliest >= 0 {
			c.Earliest = x.ID(fam.Members[earliest].Doc)
		}
	}
	starts, err := byDocument(ctx, byDoc) // where each document's members begin in byDoc
	if err != nil {
		return err
	}
	// The text itself only for excerpts: each family's comes from one
	// member, written by exactly one worker. The files of those texts are
	// asked for ahead of the workers (index.HintTexts).
	excerpt := make([]bool, len(starts)-1)
	var texts []uint32
	for i := range excerpt {
		for _, k := range byDoc[starts[i]:starts[i+1]] {
			if at := int(uint32(k)); at == shown[famOf[at]] {
				excerpt[i] = true
				texts = append(texts, uint32(k>>32))
				break
			}
		}
	}
	hints := x.HintTexts(texts)
	defer hints.Stop()
	return work.Each(ctx, len(starts)-1, opt.Workers, func(w, i int) error {
		refs := byDoc[starts[i]:starts[i+1]]
		d := uint32(refs[0] >> 32)
		v, err := readers[w].TokenView(d)
		if err != nil {
			return err
		}
		var text []byte
		if excerpt[i] {
			text, err = x.Text(d, nil)
			hints.Done()
			if err != nil {
				opt.Warn(err)
				text = nil
			}
		}
		id := x.ID(d)
		for _, k := range refs {
			at := int(uint32(k))
			f, o := famOf[at], occs[at]
			if boilerplate[first+int(f)] {
				o = wide.member(o)
			}
			start, end, err := MemberBytes(v, o.Start, o.End)
			if err != nil {
				return err
			}
			members[at] = result.Member{Doc: id, Start: start, End: end}
			if at == shown[f] && text != nil {
				out[f].Text = Excerpt(text[start:end])
			}
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
