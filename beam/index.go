package reusebeam

import (
	"cmp"
	"slices"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/reword"
	"github.com/reuse-tool/reuse/shingle"
)

// readBuckets is the number of keys of the join of texts and their
// numbers: a text's bucket is a hash of its read key.
const readBuckets = 4096

func readBucket(key uint64) uint32 { return uint32(shingle.Mix64(key) % readBuckets) }

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
// ids) and its id, duplicates renamed, for the text of read key Key.
type Number struct {
	Key uint64
	Doc uint32
	ID  string
}

// orderFn numbers all documents, as a scan does (index.Number): the one
// step that sees every document, at about 100 bytes each; the numbers go
// back to the texts by a join on their read buckets.
type orderFn struct{}

func (f *orderFn) ProcessElement(_ int, metas func(*Meta) bool, emit func(uint32, Number), warn func(Warning)) {
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
		emit(readBucket(all[i].Key), Number{Key: all[i].Key, Doc: uint32(d), ID: ids[d]})
	}
	for _, err := range notices {
		warn(warning(err))
	}
}

func textByBucket(t Text) (uint32, Text) { return readBucket(t.Key), t }

// Doc is a numbered document and its text.
type Doc struct {
	Doc            uint32
	ID, Path, Date string
	Header         int
	Text           []byte
}

// numberFn gives the texts of one read bucket their numbers.
func numberFn(_ uint32, texts func(*Text) bool, numbers func(*Number) bool, emit func(Doc)) {
	byKey := make(map[uint64]Number)
	var n Number
	for numbers(&n) {
		byKey[n.Key] = n
	}
	var t Text
	for texts(&t) {
		if n, ok := byKey[t.Key]; ok {
			emit(Doc{Doc: n.Doc, ID: n.ID, Path: t.Path, Date: t.Date, Header: t.Header, Text: t.Text})
		}
		t = Text{}
	}
}

// DocText is what the end of the pipeline needs of a document: its text
// (clusters' excerpts, passages' texts) and its token offsets (byte
// offsets of passages and clusters' members: spool.AppendSeedRecord
// without seeds, about 2 bytes a word).
type DocText struct {
	Doc     uint32
	Words   int
	Offsets []byte
	Text    []byte
}

func (t *DocText) view() (spool.SeedView, error) { return spool.NewSeedView(t.Offsets, 0, t.Words) }

// Info is a document's entry in the result.
type Info struct {
	Doc            uint32
	ID, Path, Date string
	Bytes, Words   int
	Distinct       int
}

// flushBytes is about the most a worker of analyzeFn holds of postings
// and band keys before it hands them on.
const flushBytes = 16 << 20

// analyzeFn is stage 1's work on a document (shingle.Analyzer), as
// index.Build does it: its postings by partition of their hashes, its
// LSH band keys (index.Options.Bands) by partition, what aligning needs
// of it (an alignDoc record) and its text and token offsets by block,
// and its entry in the result. Postings and band keys are gathered over
// a bundle, one batch for each partition (up to flushBytes in all), so
// that a runner handles a few large elements rather than one per
// fingerprint.
type analyzeFn struct {
	Settings   Settings
	Partitions int
	BlockDocs  int

	z          *shingle.Analyzer
	rw         *reword.Analyzer // nil with Settings.Exact
	rdoc       reword.Doc
	keyer      *reword.Keyer // with Settings.Reworded
	rwKeys     []shingle.Fingerprint
	b, r       int
	post, band [][]byte
	kpost      [][]byte // reworded keys' postings, by partition
	held       int
	keys       []uint64
	quotes     [][2]int32 // scratch: the document's quotations
	places     []uint32   // scratch: its postings' places (index.PostingPlaces)
	arounds    []uint32   // scratch: the digests around them (index.PostingArounds)
}

func (f *analyzeFn) Setup() {
	o := f.Settings.indexOptions()
	f.z = shingle.NewAnalyzer(o.Analyzer)
	if !f.Settings.Exact {
		f.rw = reword.NewAnalyzer()
	}
	if f.Settings.Reworded && f.Settings.Pairs == nil {
		f.keyer = reword.NewKeyer(reword.KeyOptions{})
	}
	f.b, f.r = o.Bands()
	f.post, f.band, f.kpost = make([][]byte, f.Partitions), make([][]byte, f.Partitions), make([][]byte, f.Partitions)
}

func (f *analyzeFn) ProcessElement(d Doc, post, bands, keyPost func(uint32, []byte), data func(uint32, []byte), texts func(uint32, DocText), info func(Info)) {
	a := f.z.Analyze(d.Text, d.Header)
	classes := shingle.AppendWordClasses(nil, d.Text, a.Tokens)
	f.quotes = shingle.AppendQuotations(f.quotes[:0], classes, len(a.Tokens))
	f.places = index.PostingPlaces(f.places[:0], a.Fingerprints, f.quotes, f.z.Options().Shingle)
	f.arounds = index.PostingArounds(f.arounds[:0], a.Fingerprints, a.Seeds, f.z.Options().Shingle, f.z.Options().Seed)
	for i, fp := range a.Fingerprints {
		p := partitionOf(fp.Hash, f.Partitions)
		f.post[p] = appendPosting(f.post[p], postings.Posting{Hash: fp.Hash, Doc: d.Doc, Pos: f.places[i], Around: f.arounds[i]})
	}
	f.keys = cluster.BandKeys(f.keys[:0], a.Signature, f.b, f.r)
	for _, k := range f.keys {
		p := partitionOf(k, f.Partitions)
		f.band[p] = appendPosting(f.band[p], postings.Posting{Hash: k, Doc: d.Doc})
	}
	f.held += postingBytes * (len(a.Fingerprints) + len(f.keys))
	block := d.Doc / uint32(f.BlockDocs)
	ad := alignDoc{Doc: d.Doc, Words: uint32(len(a.Tokens)), Key: cluster.DocKey(d.ID), Seeds: a.Seeds, Repeats: a.Repeats, Sig: a.Signature,
		Classes: classes}
	// As a default scan: documents that read as prose are analyzed for
	// reworded reuse (index.Options.ProseOnly); with Reworded, every
	// document, and its keys are posted (index.Options.RewordKeys); with
	// Pairs, every document, and no keys.
	if f.rw != nil && (f.keyer != nil || f.Settings.Pairs != nil || reword.Prose(d.Text, len(a.Tokens))) {
		f.rdoc = f.rw.Analyze(f.rdoc, d.Text, a.Tokens)
		ad.Reworded = reword.AppendDoc(nil, f.rdoc)
		if f.keyer != nil {
			f.rwKeys = f.keyer.Keys(f.rwKeys[:0], f.rdoc)
			for _, k := range f.rwKeys {
				p := partitionOf(k.Hash, f.Partitions)
				f.kpost[p] = appendPosting(f.kpost[p], postings.Posting{Hash: k.Hash, Doc: d.Doc, Pos: k.Pos})
			}
			f.held += postingBytes * len(f.rwKeys)
		}
	}
	data(block, ad.append(nil, true))
	texts(block, DocText{Doc: d.Doc, Words: len(a.Tokens), Offsets: spool.AppendSeedRecord(nil, d.Text, a.Tokens, nil, nil), Text: d.Text})
	info(Info{Doc: d.Doc, ID: d.ID, Path: d.Path, Date: d.Date, Bytes: len(d.Text), Words: len(a.Tokens), Distinct: a.Distinct})
	if f.held >= flushBytes {
		f.flush(post, bands, keyPost)
	}
}

func (f *analyzeFn) FinishBundle(post, bands, keyPost func(uint32, []byte), _ func(uint32, []byte), _ func(uint32, DocText), _ func(Info)) {
	f.flush(post, bands, keyPost)
}

// flush hands on the postings, band keys and reworded keys held, one
// batch a partition; the batches are not reused (a runner may hold them).
func (f *analyzeFn) flush(post, bands, keyPost func(uint32, []byte)) {
	for p := range f.post {
		if len(f.post[p]) > 0 {
			post(uint32(p), f.post[p])
			f.post[p] = nil
		}
		if len(f.band[p]) > 0 {
			bands(uint32(p), f.band[p])
			f.band[p] = nil
		}
		if len(f.kpost[p]) > 0 {
			keyPost(uint32(p), f.kpost[p])
			f.kpost[p] = nil
		}
	}
	f.held = 0
}
