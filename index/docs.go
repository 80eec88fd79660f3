package index

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc64"
	"runtime/debug"
	"sync/atomic"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/internal/postings"
	"github.com/reuse-tool/reuse/internal/spool"
	"github.com/reuse-tool/reuse/reword"
	"github.com/reuse-tool/reuse/shingle"
)

// Doc is everything stage 1 keeps of one document, in memory: what an
// archive stores of it (Index.Doc), and what FromDocs makes an Index of
// again without reading or analyzing the text. Its slices are owned by
// the Doc; Index.Doc reuses them.
type Doc struct {
	ID   string
	Path string // how the file was reached (or the file holding it)
	Date string // YYYY-MM-DD, "" when undated
	// Bytes is the length of the text, Words its number of tokens,
	// Header the bytes of metadata before the first token that were not
	// tokenized, Line a JSONL record's line (0 for other documents).
	Bytes, Words, Header, Line int
	// Distinct is the number of distinct fingerprint hashes.
	Distinct int
	// Plain reports that the text is the file at Path as it is; CRC is
	// the CRC-64 (ECMA) of the text, which a reading of the file must
	// match.
	Plain bool
	CRC   uint64
	// Seeds is the record of the document's seeds and token offsets, in
	// the format of package internal/spool (SeedView.Bytes).
	Seeds []byte
	// Repeats lists the places of the fingerprints the document holds
	// more than once (shingle.Analysis.Repeats): pairs (first place, later
	// place), flat, sorted. They follow from Fingerprints
	// (shingle.Repeats).
	Repeats []uint32
	// Fingerprints are the winnowing fingerprints in order of position;
	// nil when the Index did not keep them (Options.KeepFingerprints).
	Fingerprints []shingle.Fingerprint
	// Signature is the MinHash signature (Analyzer.SignatureSize values).
	Signature []uint64
	// Reworded is the document's analysis for reworded reuse
	// (reword.AppendDoc), when the Index has it (Options.Reword) and the
	// document was analyzed (Options.ProseOnly); empty otherwise.
	Reworded []byte
	// Keys are the keys of reworded sentences of the analysis (Keyer),
	// when a caller chose them already: FromDocs with
	// Options.RewordKeys posts them instead of choosing them again. Nil
	// otherwise (Index.Doc and an archive's reads set them to nil).
	Keys []shingle.Fingerprint
	// Text is the text when it is not Plain (extracted, decompressed,
	// decoded, from an archive or standard input); nil otherwise.
	Text []byte
}

// ErrDoc reports a Doc that cannot be indexed: its record does not agree
// with its sizes (a damaged archive, or a bug).
var ErrDoc = errors.New("index: document record inconsistent")

// Doc fills dst with document d's stage-1 outputs, reusing dst's slices.
// Its Fingerprints are nil unless the Index kept them
// (Options.KeepFingerprints; an Index of FromDocs keeps them).
func (x *Index) Doc(d uint32, dst *Doc) error {
	r := &x.docs[d]
	dst.ID, dst.Path, dst.Date = x.ID(d), x.path(r), x.Date(d)
	dst.Bytes, dst.Words, dst.Header, dst.Line = int(r.bytes), int(r.words), int(r.header), int(r.line)
	dst.Distinct, dst.Plain, dst.CRC = int(r.fingerprints), r.plain, r.crc
	v, buf, err := x.seeds.Read(r.seeds, spool.SeedCount(int(r.words), x.seedK), int(r.words), dst.Seeds[:0])
	if err != nil {
		return err
	}
	dst.Repeats = v.Repeats(dst.Repeats[:0])
	dst.Seeds = append(buf[:0], v.Bytes()...)
	// Counted as SeedReader.touch counts: an archive written from a
	// large scan reads every record in order, and without the count
	// kept the whole spool resident.
	x.touchedWindows(&x.docNext, &x.read, r.seeds.Off, r.seeds.Bytes)
	if dst.Signature, err = x.Signature(dst.Signature[:0], d); err != nil {
		return err
	}
	dst.Reworded, dst.Keys = dst.Reworded[:0], nil
	if x.reword && r.rwBytes > 0 {
		rec, _, err := x.seeds.ReadExtra(r.seeds, int(r.rwBytes), dst.Reworded)
		if err != nil {
			return err
		}
		dst.Reworded = append(dst.Reworded[:0], rec...)
		x.touchedWindows(&x.docNext, &x.read, r.seeds.Off+((r.seeds.Bytes+3)&^3), int64(r.rwBytes))
	}
	dst.Fingerprints = dst.Fingerprints[:0]
	if x.fps == nil {
		dst.Fingerprints = nil
	} else {
		rec, err := x.fps.Get(r.fpOff, int(r.fpLen), nil)
		if err != nil {
			return err
		}
		if dst.Fingerprints, err = decodeFingerprints(dst.Fingerprints, rec); err != nil {
			return err
		}
	}
	dst.Text = dst.Text[:0]
	if r.plain {
		dst.Text = nil
	} else if dst.Text, err = x.texts.Get(r.textOff, int(r.bytes), dst.Text); err != nil {
		return err
	}
	return nil
}

// FromDocs makes an Index of documents analyzed before (by Index.Doc, or
// kept in an archive), as Build makes one of texts: documents sorted by
// id and numbered in that order (a second document of one id is renamed,
// with a notice to opt.Warn), their seeds, fingerprints, signatures and
// LSH band keys spooled, the texts that are not plain too. opt.Analyzer
// and opt.Threshold must be those the documents were analyzed with;
// opt.Corpus, Workers and Indexed are not used. The Index keeps the
// fingerprints (Index.Doc gives them back). With opt.Reword it holds the
// Docs' analyses for reworded reuse (Doc.Reworded: a Doc without one
// reads as not analyzed), and with opt.RewordKeys too their keys, chosen
// from the analyses as Build chooses them (Keyer).
//
// A Doc whose record does not agree with its sizes is an error (ErrDoc,
// naming its id), as are a cancelled ctx and I/O errors of the temporary
// files. The caller must Close the Index.
func FromDocs(ctx context.Context, docs []Doc, opt Options) (*Index, error) {
	return FromDocsFunc(ctx, func(yield func(d *Doc) error) error {
		for i := range docs {
			if err := yield(&docs[i]); err != nil {
				return err
			}
		}
		return nil
	}, opt)
}

// FromDocsFunc is FromDocs of the documents each hands to yield, one at a
// time: the Index keeps nothing of a Doc once yield returns, so that each
// may decode every document into the same Doc instead of holding them
// all. An error of each, or of yield (which each must return), is
// FromDocsFunc's.
func FromDocsFunc(ctx context.Context, each func(yield func(d *Doc) error) error, opt Options) (*Index, error) {
	opt.KeepFingerprints = true
	b := newBuilder(opt)
	x := b.x
	part := indexed{}
	var nextSeq atomic.Uint32
	pw, bw := x.postings.NewWriter(), x.bands.NewWriter()
	var (
		keys    []uint64
		rec     []byte
		sig     []byte
		kw      *spool.RecordWriter
		kr      *Keyer
		rwk     []shingle.Fingerprint
		scratch postingScratch
	)
	if x.keys != nil {
		kw, kr = x.keys.NewWriter(), NewKeyer(opt.Keys)
	}
	fail := func(err error) (*Index, error) {
		x.Close()
		return nil, err
	}
	i := 0
	err := eachAhead(ctx, each, func(d *Doc) error { return checkDoc(d, x.seedK, x.sigSize) }, func(d *Doc) error {
		if i%256 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		i++
		info := docRecord{
			idOff: int64(len(part.ids)), idLen: uint32(len(d.ID)),
			path: x.names.path(d.ID, d.Path), date: x.names.date(d.Date),
			plain: d.Plain, header: uint32(d.Header), line: uint32(d.Line),
			seq: nextSeq.Add(1) - 1, bytes: uint32(d.Bytes), crc: d.CRC,
			words: uint32(d.Words), fingerprints: uint32(d.Distinct),
		}
		part.ids = append(part.ids, d.ID...)
		var err error
		if !d.Plain {
			if info.textOff, err = x.texts.Put(ctx, d.Text); err != nil {
				return err
			}
		}
		var extra []byte
		if opt.Reword {
			extra = d.Reworded
			info.rwBytes = uint32(len(extra))
			info.prose = len(extra) > 0
		}
		if info.seeds, rec, err = x.seeds.PutRecord(d.Seeds, d.Repeats, extra, rec); err != nil {
			return err
		}
		rec = appendFingerprints(rec[:0], d.Fingerprints)
		if info.fpOff, err = x.fps.Put(ctx, rec); err != nil {
			return err
		}
		info.fpLen = uint32(len(rec))
		if err := addPostings(ctx, pw, info.seq, d.Fingerprints, d.Seeds, spool.SeedCount(d.Words, x.seedK), d.Words, x.shingleK, x.seedK, &scratch); err != nil {
			return err
		}
		sig = sig[:0]
		for _, v := range d.Signature {
			sig = binary.LittleEndian.AppendUint64(sig, v)
		}
		if err := x.sigs.Put(int(info.seq), sig); err != nil {
			return err
		}
		keys = cluster.BandKeys(keys[:0], d.Signature, b.bands, b.rows)
		for _, k := range keys {
			if err := spool.AddPosting(bw, postings.Posting{Hash: k, Doc: info.seq}); err != nil {
				return err
			}
		}
		if kr != nil {
			ks := d.Keys
			if ks == nil {
				if rwk, err = kr.Keys(rwk[:0], d); err != nil {
					return err
				}
				ks = rwk
			}
			for _, k := range ks {
				if err := spool.AddPosting(kw, postings.Posting{Hash: k.Hash, Doc: info.seq, Pos: k.Pos}); err != nil {
					return err
				}
			}
		}
		part.docs = append(part.docs, info)
		return nil
	})
	if err != nil {
		return fail(err)
	}
	if err := pw.Flush(); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	if kw != nil {
		if err := kw.Flush(); err != nil {
			return fail(err)
		}
	}
	x.seal()
	b.merge([]indexed{part}, int(nextSeq.Load()))
	debug.FreeOSMemory()
	return x, nil
}

// eachAhead calls use with each Doc that each hands its yield, in order,
// after check (an error of which stops it): each and check run on a
// goroutine of their own, a few documents ahead of use, on copies of the
// Docs. Reading a whole archive's documents into a check's round
// (archive.Partners.LoadUncounted: decoding the records and checking
// them against each other, a third of the time) then takes one core
// beside the one that spools them. The first error of each, check or use
// is returned; use is not called after one.
func eachAhead(ctx context.Context, each func(yield func(d *Doc) error) error, check, use func(d *Doc) error) error {
	const ahead = 8
	free, full := make(chan *Doc, ahead), make(chan *Doc, ahead)
	for range ahead {
		free <- new(Doc)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var produced error
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(full)
		produced = each(func(d *Doc) error {
			var c *Doc
			select {
			case c = <-free:
			case <-ctx.Done():
				return ctx.Err()
			}
			copyDoc(c, d)
			if err := check(c); err != nil {
				return err
			}
			select {
			case full <- c:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var used error
	for c := range full {
		if used == nil {
			if used = use(c); used != nil {
				cancel() // each stops at its next document
			}
		}
		free <- c
	}
	<-done
	if used != nil {
		return used
	}
	return produced
}

// copyDoc makes dst a copy of src, reusing dst's memory.
func copyDoc(dst, src *Doc) {
	clone := func(dst, src []byte) []byte {
		if src == nil {
			return nil
		}
		return append(dst[:0], src...)
	}
	*dst = Doc{
		ID: src.ID, Path: src.Path, Date: src.Date,
		Bytes: src.Bytes, Words: src.Words, Header: src.Header, Line: src.Line, Distinct: src.Distinct,
		Plain: src.Plain, CRC: src.CRC,
		Seeds:        clone(dst.Seeds, src.Seeds),
		Repeats:      append(dst.Repeats[:0], src.Repeats...),
		Fingerprints: append(dst.Fingerprints[:0], src.Fingerprints...),
		Signature:    append(dst.Signature[:0], src.Signature...),
		Reworded:     clone(dst.Reworded, src.Reworded),
		Text:         clone(dst.Text, src.Text),
	}
	if src.Keys != nil {
		dst.Keys = append(dst.Keys[:0], src.Keys...)
	}
	if src.Fingerprints == nil {
		dst.Fingerprints = nil
	}
}

// checkDoc reports a Doc whose parts disagree with each other: Index
// reads them in place later, trusting their sizes.
func checkDoc(d *Doc, seedK, sigSize int) error {
	bad := func(what string) error { return fmt.Errorf("%w: %q: %s", ErrDoc, d.ID, what) }
	switch {
	case d.Bytes < 0 || int64(d.Bytes) > shingle.MaxText || d.Words < 0 || d.Words > d.Bytes || d.Header < 0 || d.Header > d.Bytes || d.Line < 0 || d.Distinct < 0 || d.Distinct > len(d.Fingerprints):
		return bad("sizes out of range")
	case len(d.Signature) != sigSize:
		return bad(fmt.Sprintf("signature of %d values, want %d", len(d.Signature), sigSize))
	case !d.Plain && len(d.Text) != d.Bytes:
		return bad(fmt.Sprintf("text of %d bytes, want %d", len(d.Text), d.Bytes))
	case d.Plain && d.Text != nil && len(d.Text) != d.Bytes:
		return bad("text of the wrong length")
	}
	v, err := spool.NewSeedView(d.Seeds, spool.SeedCount(d.Words, seedK), d.Words)
	if err != nil {
		return bad("seed record of the wrong size")
	}
	if err := v.CheckTokens(); err != nil {
		return bad("seed record damaged")
	}
	last := -1
	for _, fp := range d.Fingerprints {
		if int(fp.Pos) <= last || int(fp.Pos) >= max(d.Words, 1) {
			return bad("fingerprints out of order or past the last word")
		}
		last = int(fp.Pos)
	}
	if len(d.Repeats)%2 != 0 {
		return bad("places of repeated fingerprints not in pairs")
	}
	if len(d.Reworded) > 0 {
		if reword.CheckRecord(d.Reworded, d.Words) != nil {
			return bad("analysis for reworded reuse damaged")
		}
	}
	for i := 0; i < len(d.Repeats); i += 2 {
		first, later := d.Repeats[i], d.Repeats[i+1]
		if first >= later || int(later) >= max(d.Words, 1) ||
			i > 0 && (first < d.Repeats[i-2] || first == d.Repeats[i-2] && later <= d.Repeats[i-1]) {
			return bad("places of repeated fingerprints out of order or past the last word")
		}
	}
	if d.Plain && d.Text != nil && crc64.Checksum(d.Text, crcTable) != d.CRC {
		return bad("text does not match its checksum")
	}
	return nil
}

// appendFingerprints appends the record of fps (positions ascending) to
// dst: their number, then for each the gap from the previous position (a
// uvarint) and the hash (8 bytes, little endian).
func appendFingerprints(dst []byte, fps []shingle.Fingerprint) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(fps)))
	var last uint32
	for _, fp := range fps {
		dst = binary.AppendUvarint(dst, uint64(fp.Pos-last))
		dst = binary.LittleEndian.AppendUint64(dst, fp.Hash)
		last = fp.Pos
	}
	return dst
}

// decodeFingerprints appends the fingerprints of a record of
// appendFingerprints to dst.
func decodeFingerprints(dst []shingle.Fingerprint, rec []byte) ([]shingle.Fingerprint, error) {
	n, k := binary.Uvarint(rec)
	if k <= 0 || n > uint64(len(rec)) {
		return dst, spool.ErrCorrupt
	}
	rec = rec[k:]
	var pos uint64
	for range n {
		gap, k := binary.Uvarint(rec)
		if k <= 0 || len(rec) < k+8 {
			return dst, spool.ErrCorrupt
		}
		pos += gap
		if pos > 1<<32-1 {
			return dst, spool.ErrCorrupt
		}
		dst = append(dst, shingle.Fingerprint{Pos: uint32(pos), Hash: binary.LittleEndian.Uint64(rec[k:])})
		rec = rec[k+8:]
	}
	return dst, nil
}

// Keyer chooses the reworded keys of Docs from their analyses
// (Doc.Reworded), as Build chooses a document's with Options.RewordKeys
// (reword.Keyer): an archive stores the analyses, and a check takes the
// keys from them. A Keyer is NOT safe for concurrent use.
type Keyer struct {
	k   *reword.Keyer
	doc reword.Doc
}

// NewKeyer returns a Keyer with the given options (Options.Keys).
func NewKeyer(opt reword.KeyOptions) *Keyer { return &Keyer{k: reword.NewKeyer(opt)} }

// Keys appends the keys of d to dst, with their token positions, and
// returns it: none when d was not analyzed. A damaged analysis is an
// error (ErrDoc).
func (k *Keyer) Keys(dst []shingle.Fingerprint, d *Doc) ([]shingle.Fingerprint, error) {
	if len(d.Reworded) == 0 {
		return dst, nil
	}
	var err error
	if k.doc, err = reword.ReadDoc(k.doc, d.Reworded); err != nil {
		return dst, fmt.Errorf("%w: %q: analysis for reworded reuse damaged", ErrDoc, d.ID)
	}
	return k.k.Keys(dst, k.doc), nil
}
