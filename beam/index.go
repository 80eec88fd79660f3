package reusebeam

import (
	"cmp"
	"context"
	"slices"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/shingle"
)

// Meta is what numbering needs of a document read (index.DocKey), and
// its Key.
type Meta struct {
	Key      uint64
	ID, Path string
	Line     int
	CRC      uint64
	Bytes    int
}

func metaOf(t Text) Meta {
	return Meta{Key: t.Key, ID: t.ID, Path: t.Path, Line: t.Line, CRC: t.CRC, Bytes: len(t.Text)}
}

// Number is a document's number in the scan (its index in the order of
// ids) and its id, duplicates renamed.
type Number struct {
	Doc uint32
	ID  string
}

// orderFn numbers all documents, as a scan does (index.Number):
// the one step that sees every document, at about 100 bytes each; the
// numbers go back to the documents by a join on Key.
type orderFn struct {
	Settings Settings
}

func (f *orderFn) ProcessElement(_ int, metas func(*Meta) bool, emit func(uint64, Number), warn func(Warning)) {
	var all []Meta
	var m Meta
	for metas(&m) {
		all = append(all, m)
	}
	slices.SortFunc(all, func(x, y Meta) int { return cmp.Compare(x.Key, y.Key) })
	var notices []error
	keys := make([]index.DocKey, len(all))
	for i, m := range all {
		keys[i] = index.DocKey{ID: m.ID, Path: m.Path, Line: m.Line, CRC: m.CRC, Bytes: m.Bytes}
	}
	order, ids := index.Number(keys, func(err error) { notices = append(notices, err) })
	for d, i := range order {
		emit(all[i].Key, Number{Doc: uint32(d), ID: ids[d]})
	}
	for _, err := range notices {
		warn(warning(err))
	}
}

// Doc is a numbered document and its text.
type Doc struct {
	Doc            uint32
	ID, Path, Date string
	Header         int
	Text           []byte
}

// numberFn gives a document read its number.
func numberFn(key uint64, texts func(*Text) bool, numbers func(*Number) bool, emit func(uint32, Doc)) {
	var t Text
	var n Number
	for texts(&t) {
		if numbers(&n) {
			emit(n.Doc, Doc{Doc: n.Doc, ID: n.ID, Path: t.Path, Date: t.Date, Header: t.Header, Text: t.Text})
		}
	}
}

// Posting is one fingerprint of a document, keyed by its hash.
type Posting struct{ Doc, Pos uint32 }

// DocData is what the later stages need of a document: its seeds and
// token offsets (alignment, byte offsets) as the scan spools them
// (spool.AppendSeedRecord, about 6 bytes a word), its MinHash signature
// (the check of LSH buckets) and counts.
type DocData struct {
	Words, Distinct int
	Seeds           int    // number of seeds in Record
	Record          []byte // seeds and token offsets
	Sig             []uint64
	Text            []byte // only with Settings.PassageText
}

// view reads the record.
func (d *DocData) view() (spool.SeedView, error) {
	return spool.NewSeedView(d.Record, d.Seeds, d.Words)
}

// Info is a document's entry in the result.
type Info struct {
	Doc            uint32
	ID, Path, Date string
	Bytes, Words   int
	Distinct       int
}

// analyzeFn is stage 1's work on a document (shingle.Analyzer): its
// postings by fingerprint hash, its LSH band keys, and its data.
type analyzeFn struct {
	Settings Settings
	z        *shingle.Analyzer
	b, r     int
}

func (f *analyzeFn) Setup() {
	o := f.Settings.indexOptions()
	f.z = shingle.NewAnalyzer(o.Analyzer)
	f.b, f.r = o.Bands()
}

func (f *analyzeFn) ProcessElement(_ context.Context, doc uint32, d Doc, postings func(uint64, Posting), bands func(uint64, uint32), data func(uint32, DocData), info func(Info)) {
	a := f.z.Analyze(d.Text, d.Header)
	for _, fp := range a.Fingerprints {
		postings(fp.Hash, Posting{Doc: doc, Pos: fp.Pos})
	}
	for _, k := range cluster.BandKeys(nil, a.Signature, f.b, f.r) {
		bands(k, doc)
	}
	dd := DocData{
		Words: len(a.Tokens), Distinct: a.Distinct, Seeds: len(a.Seeds),
		Record: spool.AppendSeedRecord(nil, a.Tokens, a.Seeds), Sig: slices.Clone(a.Signature),
	}
	if f.Settings.PassageText {
		dd.Text = d.Text
	}
	data(doc, dd)
	info(Info{Doc: doc, ID: d.ID, Path: d.Path, Date: d.Date, Bytes: len(d.Text), Words: len(a.Tokens), Distinct: a.Distinct})
}
