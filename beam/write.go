package reusebeam

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/reuse-tool/reuse/assemble"
	"github.com/reuse-tool/reuse/pairs"
	"github.com/reuse-tool/reuse/report"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/reword"
)

// writeFn assembles the result and writes it: one worker, which receives
// every piece (documents, pairs, passages' byte offsets, clusters'
// members, groups: the result itself), sorts them and numbers clusters
// and groups; cost O(result), as the result is one file. JSON is
// reuse.scan/v1, byte for byte a scan's; JSONL (an output ending in
// .jsonl) is report.NewJSONLSink's.
type writeFn struct {
	Settings Settings
	Output   string
}

func (f *writeFn) ProcessElement(ctx context.Context, _ int, infos func(*Info) bool, reused func(*Reused) bool, pairsIn func(*PairOut) bool,
	sidesIn func(*SideOut) bool, membersIn func(*MemberOut) bool, groups func(*GroupOut) bool, warnings func(*Warning) bool) error {
	var docs []Info
	var in Info
	for infos(&in) {
		docs = append(docs, in)
	}
	slices.SortFunc(docs, func(x, y Info) int { return cmp.Compare(x.Doc, y.Doc) })
	words := collectWords(reused)
	ps := collectPairs(pairsIn)
	sides := collectSides(sidesIn)
	cs, err := clusters(membersIn, docs)
	if err != nil {
		return err
	}
	numbers := make(map[string]int32, len(cs))
	for i := range cs {
		cs[i].Cluster.ID = i + 1
		numbers[cs[i].Key] = int32(i)
	}
	number := func(key string) (int32, error) {
		i, ok := numbers[key]
		if !ok {
			return 0, fmt.Errorf("family %x has no cluster", key)
		}
		return i, nil
	}
	gs := collectGroups(groups)
	stats := result.Stats{Documents: len(docs), Pairs: len(ps), Clusters: len(cs), Groups: len(gs)}
	var w Warning
	for warnings(&w) {
		if w.Skipped {
			stats.Skipped++
		}
	}
	for i, d := range docs {
		stats.Words += d.Words
		stats.ReusedWords += words(uint32(i))
	}
	for _, p := range ps {
		stats.Passages += len(p.Pair.Spans)
	}

	mine := make([]uint32, len(docs))
	for i := range mine {
		mine[i] = uint32(i)
	}
	begin := func(sink result.Sink) error {
		return sink.Begin(result.Schema, f.Settings.options().Params(), stats)
	}
	return writeResult(ctx, f.Output, begin, &resultLines{
		docs: docs, mine: mine, words: words,
		pairs: ps, sides: sides, number: number, clusters: cs, groups: gs, passageText: f.Settings.PassageText,
	})
}

// resultLines are what a result, or a shard of it, holds.
type resultLines struct {
	docs        []Info   // every document, by number: the names of pairs, clusters and groups
	mine        []uint32 // the documents whose records are written, in order
	words       func(doc uint32) int
	pairs       []PairOut // in (A, B) order
	sides       map[sideKey]SideOut
	number      func(key string) (int32, error) // a family's cluster, from 0
	clusters    []keyedCluster                  // numbered, in order
	groups      []GroupOut                      // in order, numbered from 1
	passageText bool
}

// writeResult writes l to name (created with create: whole or not at
// all), as JSON, or as JSONL when name ends in .jsonl; begin starts the
// result (a shard other than the first has no "scan" line).
func writeResult(ctx context.Context, name string, begin func(result.Sink) error, l *resultLines) error {
	out, err := create(ctx, name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	var sink result.Sink
	if strings.HasSuffix(name, ".jsonl") {
		sink = report.NewJSONLSink(bw)
	} else {
		sink = result.NewJSONSink(bw)
	}
	err = func() error {
		if err := begin(sink); err != nil {
			return err
		}
		for _, d := range l.mine {
			if err := sink.Document(resultDocument(l.docs[d], l.words(d))); err != nil {
				return err
			}
		}
		for _, p := range l.pairs {
			rp, err := resultPair(p, l.sides, l.docs, l.number, l.passageText)
			if err != nil {
				return err
			}
			if err := sink.Pair(&rp); err != nil {
				return err
			}
		}
		for i := range l.clusters {
			if err := sink.Cluster(&l.clusters[i].Cluster); err != nil {
				return err
			}
		}
		for i, g := range l.groups {
			if err := sink.Group(resultGroup(i+1, g, l.docs)); err != nil {
				return err
			}
		}
		if err := sink.End(); err != nil {
			return err
		}
		return bw.Flush()
	}()
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// collectWords returns the reused words of each document of reused (0
// for the others).
func collectWords(reused func(*Reused) bool) func(doc uint32) int {
	words := make(map[uint32]int)
	var r Reused
	for reused(&r) {
		words[r.Doc] = r.Words
	}
	return func(doc uint32) int { return words[doc] }
}

// drain returns every value of a Beam iterator, each read into a zero
// value (an iterator may leave fields of the last one in place).
func drain[T any](in func(*T) bool) []T {
	var out []T
	var v T
	for in(&v) {
		out = append(out, v)
		var zero T
		v = zero
	}
	return out
}

// collectGroups returns the groups of groupsIn in the scan's order, by
// first document.
func collectGroups(groupsIn func(*GroupOut) bool) []GroupOut {
	gs := drain(groupsIn)
	slices.SortFunc(gs, func(x, y GroupOut) int { return cmp.Compare(x.Docs[0], y.Docs[0]) })
	return gs
}

// collectPairs returns the pairs of pairsIn sorted by (A, B), as a scan
// orders them.
func collectPairs(pairsIn func(*PairOut) bool) []PairOut {
	ps := drain(pairsIn)
	slices.SortFunc(ps, func(x, y PairOut) int { return cmp.Compare(pairKey(x.Pair.A, x.Pair.B), pairKey(y.Pair.A, y.Pair.B)) })
	return ps
}

// sideKey names one side of one passage of a pair.
type sideKey struct {
	pair    uint64
	i, side int
}

// collectSides returns the passages' sides of sidesIn by pair, passage
// and side.
func collectSides(sidesIn func(*SideOut) bool) map[sideKey]SideOut {
	sides := make(map[sideKey]SideOut)
	var so SideOut
	for sidesIn(&so) {
		sides[sideKey{pairKey(so.A, so.B), so.I, so.Side}] = so
		so = SideOut{}
	}
	return sides
}

// resultDocument is document d's record, with its reused words.
func resultDocument(d Info, reused int) *result.Document {
	return &result.Document{
		ID: d.ID, Path: d.Path, Bytes: d.Bytes, Words: d.Words, Date: d.Date,
		ReusedWords: reused, ReusedPct: result.Percent(reused, d.Words),
	}
}

// resultPair is pair p as the result holds it (assemble.ResultPair): its
// passages' byte offsets (and texts, with passageText) from sides, its
// documents' ids and counts from docs (indexed by document), its
// passages' clusters numbered by number.
func resultPair(p PairOut, sides map[sideKey]SideOut, docs []Info, number func(key string) (int32, error), passageText bool) (result.Pair, error) {
	a, b := &docs[p.Pair.A], &docs[p.Pair.B]
	fams := make([]int32, len(p.Families))
	for i, k := range p.Families {
		n, err := number(k)
		if err != nil {
			return result.Pair{}, fmt.Errorf("pair %s~%s: %w", a.ID, b.ID, err)
		}
		fams[i] = n
	}
	pp := pairs.Pair{A: p.Pair.A, B: p.Pair.B, Shared: p.Pair.Shared, Spans: p.Pair.Spans, Bytes: make([]pairs.ByteSpan, len(p.Pair.Spans)), Cosines: p.Pair.Cosines}
	for _, k := range p.Pair.Kinds {
		pp.Kinds = append(pp.Kinds, reword.Kind(k))
	}
	texts := make([][2]string, len(pp.Spans))
	for i := range pp.Spans {
		sa, okA := sides[sideKey{pairKey(pp.A, pp.B), i, 0}]
		sb, okB := sides[sideKey{pairKey(pp.A, pp.B), i, 1}]
		if !okA || !okB {
			return result.Pair{}, fmt.Errorf("pair %s~%s: passage %d has no byte offsets", a.ID, b.ID, i)
		}
		aEnd, bEnd := pairs.PassageEnds(sa.End, sa.Stop, sb.End, sb.Stop)
		pp.Bytes[i] = pairs.ByteSpan{AStart: sa.Start, AEnd: aEnd, BStart: sb.Start, BEnd: bEnd}
		if passageText {
			if len(sa.Text) < aEnd-sa.Start || len(sb.Text) < bEnd-sb.Start {
				return result.Pair{}, fmt.Errorf("pair %s~%s: passage %d: %w", a.ID, b.ID, i, errCorrupt)
			}
			texts[i] = [2]string{sa.Text[:aEnd-sa.Start], sb.Text[:bEnd-sb.Start]}
		}
	}
	rp := assemble.ResultPair(assemble.PairDoc{ID: a.ID, Words: a.Words, Fingerprints: a.Distinct},
		assemble.PairDoc{ID: b.ID, Words: b.Words, Fingerprints: b.Distinct}, &pp, fams)
	if passageText {
		for i := range rp.Passages {
			rp.Passages[i].AText, rp.Passages[i].BText = texts[i][0], texts[i][1]
		}
	}
	return rp, nil
}

// resultGroup is group g, numbered id.
func resultGroup(id int, g GroupOut, docs []Info) *result.Group {
	ids := make([]string, len(g.Docs))
	for j, d := range g.Docs {
		ids[j] = docs[d].ID
	}
	return &result.Group{ID: id, Documents: ids, MinPct: result.Round(g.MinPct, 1)}
}

// keyedCluster is a cluster and the key of its family (its first
// occurrence), which orders clusters as a scan numbers them.
type keyedCluster struct {
	Key     string
	Cluster result.Cluster
}

// clusters makes the result's clusters of the families' members, as a
// scan does: members in order, the documents they lie in, the excerpt of
// the member shown, and the earliest member's document
// (assemble.EarliestMember); sorted by key, not yet numbered.
func clusters(members func(*MemberOut) bool, docs []Info) ([]keyedCluster, error) {
	var all []MemberOut
	var m MemberOut
	for members(&m) {
		all = append(all, m)
		m = MemberOut{}
	}
	slices.SortFunc(all, func(x, y MemberOut) int { return cmp.Or(strings.Compare(x.Key, y.Key), cmp.Compare(x.M, y.M)) })
	var out []keyedCluster
	for lo := 0; lo < len(all); {
		hi := lo + 1
		for hi < len(all) && all[hi].Key == all[lo].Key {
			hi++
		}
		ms := all[lo:hi]
		c := result.Cluster{Members: make([]result.Member, len(ms)), Boilerplate: ms[0].Boilerplate}
		for i, m := range ms {
			if m.M != i {
				return nil, fmt.Errorf("cluster %x: member %d of %d missing", ms[0].Key, i, len(ms))
			}
			id := docs[m.Doc].ID
			c.Members[i] = result.Member{Doc: id, Start: m.Start, End: m.End}
			if i == 0 || m.Doc != ms[i-1].Doc { // members are sorted by document
				c.Documents = append(c.Documents, id)
			}
			if m.Shown {
				c.Text = m.Excerpt
			}
		}
		if e := assemble.EarliestMember(len(ms), func(i int) string { return docs[ms[i].Doc].Date }); e >= 0 {
			c.Earliest = docs[ms[e].Doc].ID
		}
		out = append(out, keyedCluster{Key: ms[0].Key, Cluster: c})
		lo = hi
	}
	return out, nil
}

// create opens the output for writing: a local file is written to a
// temporary file renamed at Close (whole or not at all); other file
// systems through Beam's.
func create(ctx context.Context, name string) (io.WriteCloser, error) {
	if !remote(name) {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return nil, err
		}
		tmp, err := os.CreateTemp(filepath.Dir(name), ".reuse-beam-*")
		if err != nil {
			return nil, err
		}
		return &renameOnClose{File: tmp, to: name}, nil
	}
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		return nil, err
	}
	return fs.OpenWrite(ctx, name)
}

type renameOnClose struct {
	*os.File
	to string
}

func (r *renameOnClose) Close() error {
	if err := r.File.Close(); err != nil {
		os.Remove(r.Name())
		return err
	}
	if err := os.Chmod(r.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(r.Name(), r.to)
}
