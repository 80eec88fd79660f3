package reusebeam

import (
	"cmp"
	"context"
	"encoding/binary"
	"slices"

	"github.com/reuse-tool/reuse/assemble"
	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/pairs"
)

// Nodes of the graph of families' components: a pair of documents (all
// its passages), or a boilerplate family (by its first occurrence).
func pairKey(a, b uint32) uint64 { return uint64(a)<<32 | uint64(b) }

func boilerNode(o cluster.Occurrence) uint64 {
	return 1<<63 | uint64(o.Doc)<<31 | uint64(uint32(o.Start)&(1<<31-1))
}

// ItemOcc is one occurrence, in document Doc, of a passage or boilerplate
// family: a node of the graph of families.
type ItemOcc struct {
	Node       uint64
	Doc        uint32
	Start, End int32
}

// occsFn hands on, by block of documents, the occurrences of a pair's
// passages (both sides) and of a boilerplate family.
type occsFn struct{ BlockDocs int }

func (f *occsFn) ProcessElement(it Item, emit func(uint32, ItemOcc)) {
	bl := func(d uint32) uint32 { return d / uint32(f.BlockDocs) }
	if it.IsPair {
		p := &it.Pair
		n := pairKey(p.A, p.B)
		for _, s := range p.Spans {
			emit(bl(p.A), ItemOcc{n, p.A, s.AStart, s.AEnd})
			emit(bl(p.B), ItemOcc{n, p.B, s.BStart, s.BEnd})
		}
		return
	}
	n := boilerNode(it.Boiler.Occs[0])
	for _, o := range it.Boiler.Occs {
		emit(bl(o.Doc), ItemOcc{n, o.Doc, o.Start, o.End})
	}
}

// Reused is a document's reused words.
type Reused struct {
	Doc   uint32
	Words int
}

// regionFn is the per-document step of families, for a block of
// documents: occurrences of one document that overlap (chains of them: a
// region) tie their passages and families together, the edges of the
// graph whose components cluster.Families can take one at a time
// (everything Families relates, same regions, projections through a
// containing passage, families inside others, lies within one region and
// the partners of its passages). It also counts each document's reused
// words (assemble.CoveredTokens).
func regionFn(_ uint32, iter func(*ItemOcc) bool, edges func(uint64, uint64), reused func(Reused)) {
	var occs []ItemOcc
	var o ItemOcc
	for iter(&o) {
		occs = append(occs, o)
	}
	slices.SortFunc(occs, func(x, y ItemOcc) int {
		return cmp.Or(cmp.Compare(x.Doc, y.Doc), cmp.Compare(x.Start, y.Start), cmp.Compare(x.End, y.End), cmp.Compare(x.Node, y.Node))
	})
	var spans []cluster.Occurrence
	for lo := 0; lo < len(occs); {
		hi := lo + 1
		for hi < len(occs) && occs[hi].Doc == occs[lo].Doc {
			hi++
		}
		doc := occs[lo].Doc
		spans = spans[:0]
		var first uint64
		end := int32(-1)
		for _, o := range occs[lo:hi] {
			spans = append(spans, cluster.Occurrence{Doc: doc, Start: o.Start, End: o.End})
			if o.Start < end {
				if o.Node != first {
					edges(first, o.Node)
				}
			} else {
				first = o.Node
			}
			end = max(end, o.End)
		}
		reused(Reused{Doc: doc, Words: assemble.CoveredTokens(spans)})
		lo = hi
	}
}

// Item is a node of the graph of families: a pair or a boilerplate family.
type Item struct {
	Pair   Aligned
	Boiler Boiler
	IsPair bool
}

func pairItem(p Aligned) Item  { return Item{Pair: p, IsPair: true} }
func boilerItem(b Boiler) Item { return Item{Boiler: b} }

func itemByNode(it Item) (uint64, Item) {
	if it.IsPair {
		return pairKey(it.Pair.A, it.Pair.B), it
	}
	return boilerNode(it.Boiler.Occs[0]), it
}

// labelItemFn keys an item by its component (itself when it has no edge).
func labelItemFn(node uint64, items func(*Item) bool, labels func(*uint64) bool, emit func(uint64, Item)) {
	l := node
	labels(&l)
	var it Item
	for items(&it) {
		emit(l, it)
		it = Item{}
	}
}

// famKey orders families as Families numbers them: by first occurrence,
// passages (in pair order) before boilerplate families (by their first
// occurrence). Big-endian bytes sort as the numbers do.
func passageKey(a, b uint32, i int) string {
	k := make([]byte, 13)
	binary.BigEndian.PutUint32(k[1:], a)
	binary.BigEndian.PutUint32(k[5:], b)
	binary.BigEndian.PutUint32(k[9:], uint32(i))
	return string(k)
}

func boilerKey(o cluster.Occurrence) string {
	k := make([]byte, 13)
	k[0] = 1
	binary.BigEndian.PutUint32(k[1:], o.Doc)
	binary.BigEndian.PutUint32(k[5:], uint32(o.Start))
	return string(k)
}

// PairOut is an aligned pair and the family (its key) of each passage.
type PairOut struct {
	Pair     Aligned
	Families []string
}

// MemberRef is member M of the family Key, tokens Start to End of
// document Doc; Shown is the member whose text the cluster shows
// (assemble.Representative).
type MemberRef struct {
	Key         string
	M           int
	Doc         uint32
	Start, End  int32
	Shown       bool
	Boilerplate bool
}

// familiesFn runs cluster.Families on one component of the graph: its
// pairs' passages in pair order and its boilerplate families in theirs,
// as a scan gives them all. Each family is named by its first
// occurrence; its members go to their documents' blocks for byte
// offsets.
type familiesFn struct{ BlockDocs int }

func (f *familiesFn) ProcessElement(ctx context.Context, _ uint64, iter func(*Item) bool, pairsOut func(PairOut), members func(uint32, MemberRef)) error {
	var ps []Aligned
	var bs []Boiler
	var it Item
	for iter(&it) {
		if it.IsPair {
			ps = append(ps, it.Pair)
		} else {
			bs = append(bs, it.Boiler)
		}
		it = Item{}
	}
	slices.SortFunc(ps, func(x, y Aligned) int { return cmp.Compare(pairKey(x.A, x.B), pairKey(y.A, y.B)) })
	slices.SortFunc(bs, func(x, y Boiler) int {
		return cmp.Or(cmp.Compare(x.Occs[0].Doc, y.Occs[0].Doc), cmp.Compare(x.Occs[0].Start, y.Occs[0].Start))
	})
	var sides [][2]cluster.Occurrence
	var texts [][2]cluster.Sketch
	var keys []string
	for _, p := range ps {
		for i, s := range p.Spans {
			sides = append(sides, [2]cluster.Occurrence{{Doc: p.A, Start: s.AStart, End: s.AEnd}, {Doc: p.B, Start: s.BStart, End: s.BEnd}})
			var text [2]cluster.Sketch
			if 2*i+1 < len(p.Sketches) {
				text = [2]cluster.Sketch{cluster.Sketch(p.Sketches[2*i]), cluster.Sketch(p.Sketches[2*i+1])}
			}
			texts = append(texts, text)
			keys = append(keys, passageKey(p.A, p.B, i))
		}
	}
	boiler := make([][]cluster.Occurrence, len(bs))
	for i, b := range bs {
		boiler[i] = b.Occs
	}
	passageFamily, boilerFamily, fams, err := cluster.Families(ctx, sides, texts, boiler)
	if err != nil {
		return err
	}
	famKey := make([]string, len(fams))
	isBoiler := make([]bool, len(fams))
	for i, fam := range passageFamily {
		if famKey[fam] == "" {
			famKey[fam] = keys[i]
		}
	}
	for j, fam := range boilerFamily {
		if famKey[fam] == "" {
			famKey[fam] = boilerKey(boiler[j][0])
		}
		isBoiler[fam] = true
	}
	next := 0
	for _, p := range ps {
		out := PairOut{Pair: p, Families: make([]string, len(p.Spans))}
		for i := range p.Spans {
			out.Families[i] = famKey[passageFamily[next]]
			next++
		}
		pairsOut(out)
	}
	for i, fam := range fams {
		shown := assemble.Representative(fam, isBoiler[i])
		for m, o := range fam.Members {
			members(o.Doc/uint32(f.BlockDocs), MemberRef{Key: famKey[i], M: m, Doc: o.Doc, Start: o.Start, End: o.End, Shown: m == shown, Boilerplate: isBoiler[i]})
		}
	}
	return nil
}

// SideRef is one side (0: A, 1: B) of passage I of pair A~B, tokens
// Start to End of document Doc.
type SideRef struct {
	A, B       uint32
	I, Side    int
	Doc        uint32
	Start, End int32
}

// sidesFn hands on each side of a pair's passages to its document's
// block, for byte offsets.
type sidesFn struct{ BlockDocs int }

func (f *sidesFn) ProcessElement(p Aligned, emit func(uint32, SideRef)) {
	for i, s := range p.Spans {
		emit(p.A/uint32(f.BlockDocs), SideRef{A: p.A, B: p.B, I: i, Side: 0, Doc: p.A, Start: s.AStart, End: s.AEnd})
		emit(p.B/uint32(f.BlockDocs), SideRef{A: p.A, B: p.B, I: i, Side: 1, Doc: p.B, Start: s.BStart, End: s.BEnd})
	}
}

// MemberOut is member M of family Key in byte offsets, and, for the
// member the cluster shows, the excerpt.
type MemberOut struct {
	Key         string
	M           int
	Doc         uint32
	Start, End  int
	Excerpt     string
	Shown       bool
	Boilerplate bool
}

// docView is a document's token offsets and text.
type docView struct {
	v    spool.SeedView
	text []byte
}

// SideOut is a SideRef in byte offsets, with its text when the result
// holds passages' texts.
type SideOut struct {
	A, B       uint32
	I, Side    int
	Start, End int
	Stop       int // End with the punctuation ending a sentence after it (pairs.TokenBytes)
	Text       string
}

// bytesFn converts, for a block of documents, the token ranges of
// passages' sides (pairs.TokenBytes) and of clusters' members
// (assemble.MemberBytes; a boilerplate occurrence's as widened,
// Widened) to byte offsets by the documents' token offsets, and cuts the excerpts (assemble.Excerpt) and, with
// Settings.PassageText, the passages' texts.
type bytesFn struct {
	Settings Settings
}

func (f *bytesFn) ProcessElement(_ uint32, members func(*MemberRef) bool, sides func(*SideRef) bool, texts func(*DocText) bool, widened func(*Widened) bool, memberOut func(MemberOut), sideOut func(SideOut)) error {
	wide := make(map[cluster.Occurrence]cluster.Occurrence)
	var wd Widened
	for widened(&wd) {
		wide[wd.Was] = wd.Is
	}
	docs := make(map[uint32]*DocText)
	var t DocText
	for texts(&t) {
		dt := t
		docs[dt.Doc] = &dt
		t = DocText{}
	}
	views := make(map[uint32]*docView)
	view := func(d uint32) (*docView, error) {
		if v := views[d]; v != nil {
			return v, nil
		}
		dt := docs[d]
		if dt == nil {
			return nil, errCorrupt
		}
		v, err := dt.view()
		if err != nil {
			return nil, err
		}
		views[d] = &docView{v, dt.Text}
		return views[d], nil
	}
	var m MemberRef
	for members(&m) {
		v, err := view(m.Doc)
		if err != nil {
			return err
		}
		if m.Boilerplate {
			if o, ok := wide[cluster.Occurrence{Doc: m.Doc, Start: m.Start, End: m.End}]; ok {
				m.Start, m.End = o.Start, o.End
			}
		}
		start, end, err := assemble.MemberBytes(v.v, m.Start, m.End)
		if err != nil {
			return err
		}
		out := MemberOut{Key: m.Key, M: m.M, Doc: m.Doc, Start: start, End: end, Shown: m.Shown, Boilerplate: m.Boilerplate}
		if m.Shown {
			out.Excerpt = assemble.Excerpt(v.text[start:end])
		}
		memberOut(out)
	}
	var s SideRef
	for sides(&s) {
		v, err := view(s.Doc)
		if err != nil {
			return err
		}
		start, end, stop, err := pairs.TokenBytes(v.v, s.Start, s.End)
		if err != nil {
			return err
		}
		out := SideOut{A: s.A, B: s.B, I: s.I, Side: s.Side, Start: start, End: end, Stop: stop}
		if f.Settings.PassageText {
			// To the stop: resultPair cuts it back to End when the other
			// side's last word does not end a sentence (pairs.PassageEnds).
			out.Text = string(v.text[start:stop])
		}
		sideOut(out)
	}
	return nil
}
