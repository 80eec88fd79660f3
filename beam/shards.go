package reusebeam

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/reuse-tool/reuse/result"
)

// Sharded JSONL output (Config.Shards): the result's lines, those of
// `reuse scan --format jsonl`, written by many workers into Shards files
// named by ShardName. Shard 0 begins with the "scan" line (schema,
// parameters, totals) and holds the groups; documents go to shard
// doc mod n, pairs to shard A mod n with their passages' byte offsets,
// clusters to a shard chosen by a hash of their family. Within a shard
// the lines keep the scan's order (scan line, documents, pairs,
// clusters, groups; each kind in the scan's order), so the union of the
// shards is the scan's JSONL, and sorting by kind and key restores it.
//
// What every shard's worker holds besides its lines: the documents'
// ids, dates and counts (a side input, about 100 bytes a document; ids
// name the documents of pairs and clusters), the families' keys in
// order (a side input, which numbers clusters as a scan does: about 20
// bytes a cluster) and the totals (a Combine). Only the numbering of
// clusters sorts on one worker, and only their keys.

// ShardName returns the name of shard i of n for output: output with its
// ".jsonl" cut off and "-iiiii-of-nnnnn.jsonl" added, as Beam's sharded
// text files are named.
func ShardName(output string, i, n int) string {
	return fmt.Sprintf("%s-%05d-of-%05d.jsonl", strings.TrimSuffix(output, ".jsonl"), i, n)
}

// Totals are the counts of the result's "scan" line, summed over the
// pipeline's elements (sumTotals).
type Totals struct {
	Documents, Words, ReusedWords, Pairs, Passages, Groups, Skipped int
}

// sumTotals is the Combine of Totals.
type sumTotals struct{}

func (sumTotals) MergeAccumulators(a, b Totals) Totals {
	return Totals{
		Documents: a.Documents + b.Documents, Words: a.Words + b.Words, ReusedWords: a.ReusedWords + b.ReusedWords,
		Pairs: a.Pairs + b.Pairs, Passages: a.Passages + b.Passages, Groups: a.Groups + b.Groups, Skipped: a.Skipped + b.Skipped,
	}
}

func infoTotals(d Info) Totals     { return Totals{Documents: 1, Words: d.Words} }
func reusedTotals(r Reused) Totals { return Totals{ReusedWords: r.Words} }
func pairTotals(p PairOut) Totals  { return Totals{Pairs: 1, Passages: len(p.Pair.Spans)} }
func groupTotals(GroupOut) Totals  { return Totals{Groups: 1} }

func warningTotals(w Warning) Totals {
	if w.Skipped {
		return Totals{Skipped: 1}
	}
	return Totals{}
}

// zeroTotals gives the Combine one element whatever the corpus holds, so
// that its result, a side input, is never missing.
func zeroTotals(_ []byte, emit func(Totals)) { emit(Totals{}) }

// ClusterKeys is the sorted keys of the families: cluster i+1 is the
// family Keys[i], as a scan numbers clusters.
type ClusterKeys struct{ Keys []string }

// firstKey gives the key of each family once (its first member).
func firstKey(m MemberOut, emit func(string)) {
	if m.M == 0 {
		emit(m.Key)
	}
}

// sortKeysFn sorts the families' keys: one worker, O(clusters log
// clusters) on keys alone.
func sortKeysFn(_ int, iter func(*string) bool, emit func(ClusterKeys)) {
	var keys []string
	var k string
	for iter(&k) {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	emit(ClusterKeys{Keys: keys})
}

// noKeys gives the numbering an element when there is no cluster.
func noKeys(_ []byte, emit func(string)) {}

// The shard of each piece of the result.

type infoShardFn struct{ Shards int }

func (f *infoShardFn) ProcessElement(d Info) (int, Info) { return int(d.Doc) % f.Shards, d }

type reusedShardFn struct{ Shards int }

func (f *reusedShardFn) ProcessElement(r Reused) (int, Reused) { return int(r.Doc) % f.Shards, r }

type pairShardFn struct{ Shards int }

func (f *pairShardFn) ProcessElement(p PairOut) (int, PairOut) { return int(p.Pair.A) % f.Shards, p }

type sideShardFn struct{ Shards int }

func (f *sideShardFn) ProcessElement(s SideOut) (int, SideOut) { return int(s.A) % f.Shards, s }

type memberShardFn struct{ Shards int }

func (f *memberShardFn) ProcessElement(m MemberOut) (int, MemberOut) {
	h := fnv.New32a()
	h.Write([]byte(m.Key))
	return int(h.Sum32() % uint32(f.Shards)), m
}

// groupShard puts the groups in shard 0: they are numbered by their
// order, and few.
func groupShard(g GroupOut) (int, GroupOut) { return 0, g }

// shardMarkersFn gives every shard an element, so that each is written,
// empty or not.
type shardMarkersFn struct{ Shards int }

func (f *shardMarkersFn) ProcessElement(_ []byte, emit func(int, bool)) {
	for i := range f.Shards {
		emit(i, true)
	}
}

// writeShards adds the sharded writing of the result to scope w.
func writeShards(w beam.Scope, cfg Config, infos, reused, pairOuts, sideOuts, memberOuts, groups, warnings beam.PCollection) {
	n := cfg.Shards
	imp := beam.Impulse(w)
	totals := beam.Combine(w, &sumTotals{}, beam.Flatten(w,
		beam.ParDo(w, zeroTotals, imp), beam.ParDo(w, infoTotals, infos), beam.ParDo(w, reusedTotals, reused),
		beam.ParDo(w, pairTotals, pairOuts), beam.ParDo(w, groupTotals, groups), beam.ParDo(w, warningTotals, warnings)))
	keys := beam.ParDo(w, sortKeysFn, beam.GroupByKey(w, beam.AddFixedKey(w,
		beam.Flatten(w, beam.ParDo(w, firstKey, memberOuts), beam.ParDo(w, noKeys, imp)))))
	joined := beam.CoGroupByKey(w,
		beam.ParDo(w, &shardMarkersFn{Shards: n}, imp),
		beam.ParDo(w, &infoShardFn{Shards: n}, infos),
		beam.ParDo(w, &reusedShardFn{Shards: n}, reused),
		beam.ParDo(w, &pairShardFn{Shards: n}, pairOuts),
		beam.ParDo(w, &sideShardFn{Shards: n}, sideOuts),
		beam.ParDo(w, &memberShardFn{Shards: n}, memberOuts),
		beam.ParDo(w, groupShard, groups))
	beam.ParDo0(w, &writeShardFn{Settings: cfg.Settings, Output: cfg.Output, Shards: n}, joined,
		beam.SideInput{Input: infos}, beam.SideInput{Input: keys}, beam.SideInput{Input: totals})
}

// writeShardFn writes one shard of a sharded JSONL result (see
// ShardName): O(the shard's lines + documents + clusters).
type writeShardFn struct {
	Settings Settings
	Output   string
	Shards   int
}

func (f *writeShardFn) ProcessElement(ctx context.Context, shard int, _ func(*bool) bool, infos func(*Info) bool, reusedIn func(*Reused) bool,
	pairsIn func(*PairOut) bool, sidesIn func(*SideOut) bool, membersIn func(*MemberOut) bool, groupsIn func(*GroupOut) bool,
	allInfos func(*Info) bool, keysIn func(*ClusterKeys) bool, totalsIn func(*Totals) bool) error {
	var docs []Info
	var in Info
	for allInfos(&in) {
		docs = append(docs, in)
	}
	slices.SortFunc(docs, func(x, y Info) int { return cmp.Compare(x.Doc, y.Doc) })
	var keys ClusterKeys
	for keysIn(&keys) {
	}
	var totals Totals
	for totalsIn(&totals) {
	}

	var mine []uint32
	for infos(&in) {
		mine = append(mine, in.Doc)
	}
	slices.Sort(mine)
	words := collectWords(reusedIn)
	ps := collectPairs(pairsIn)
	sides := collectSides(sidesIn)
	cs, err := clusters(membersIn, docs)
	if err != nil {
		return err
	}
	gs := collectGroups(groupsIn)

	number := func(key string) (int32, error) {
		i, ok := slices.BinarySearch(keys.Keys, key)
		if !ok {
			return 0, fmt.Errorf("family %x has no cluster", key)
		}
		return int32(i), nil
	}
	for i := range cs {
		id, err := number(cs[i].Key)
		if err != nil {
			return err
		}
		cs[i].Cluster.ID = int(id) + 1
	}
	slices.SortFunc(cs, func(x, y keyedCluster) int { return cmp.Compare(x.Cluster.ID, y.Cluster.ID) })
	begin := func(sink result.Sink) error {
		if shard != 0 {
			return nil
		}
		stats := result.Stats{Documents: totals.Documents, Words: totals.Words, ReusedWords: totals.ReusedWords,
			Pairs: totals.Pairs, Passages: totals.Passages, Clusters: len(keys.Keys), Groups: totals.Groups, Skipped: totals.Skipped}
		return sink.Begin(result.Schema, f.Settings.options().Params(), stats)
	}
	return writeResult(ctx, ShardName(f.Output, shard, f.Shards), begin, &resultLines{
		docs: docs, mine: mine, words: words,
		pairs: ps, sides: sides, number: number, clusters: cs, groups: gs, passageText: f.Settings.PassageText,
	})
}

func init() {
	for _, t := range []any{Totals{}, ClusterKeys{}, writeShardFn{}} {
		beam.RegisterType(reflect.TypeOf(t))
	}
	register.Combiner1[Totals](&sumTotals{})
	register.Function1x1(infoTotals)
	register.Function1x1(reusedTotals)
	register.Function1x1(pairTotals)
	register.Function1x1(groupTotals)
	register.Function1x1(warningTotals)
	register.Function2x0(zeroTotals)
	register.Function2x0(firstKey)
	register.Function3x0(sortKeysFn)
	register.Function2x0(noKeys)
	register.DoFn1x2[Info, int, Info](&infoShardFn{})
	register.DoFn1x2[Reused, int, Reused](&reusedShardFn{})
	register.DoFn1x2[PairOut, int, PairOut](&pairShardFn{})
	register.DoFn1x2[SideOut, int, SideOut](&sideShardFn{})
	register.DoFn1x2[MemberOut, int, MemberOut](&memberShardFn{})
	register.Function1x2(groupShard)
	register.DoFn2x0[[]byte, func(int, bool)](&shardMarkersFn{})
	register.Emitter1[Totals]()
	register.Emitter1[ClusterKeys]()
	register.Emitter1[string]()
	register.Emitter2[int, bool]()
	register.Iter1[string]()
	register.Iter1[bool]()
	register.Iter1[ClusterKeys]()
	register.Iter1[Totals]()
}
