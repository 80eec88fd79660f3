package archive

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/mmap"
)

// Index is an open index: the segments its manifest named when it was
// opened, mapped. Later changes by a writer do not show in it (open it
// again for those), and it keeps reading the files it opened even when a
// writer replaces them. It is safe for concurrent use.
type Index struct {
	dir  string
	root string // where the documents' relative paths count from
	m    *manifest
	segs []*segment
	live int
	// unmaps unmap what Joins mapped.
	unmaps []func() error
}

// Options configure Open.
type Options struct {
	// Root, when not "", is where the documents' paths count from,
	// instead of the root the index recorded: the archive folder moved.
	Root string
}

// Open opens the index in the folder dir for reading. It takes no lock: a
// writer may change the index meanwhile.
func Open(dir string, opt Options) (*Index, error) {
	for attempt := 0; ; attempt++ {
		m, err := readManifest(dir)
		if err != nil {
			return nil, err
		}
		ix, err := openManifest(dir, m)
		// A file of the manifest is gone: a writer replaced it (a
		// compaction) after we read the manifest. Read the new one.
		if errors.Is(err, fs.ErrNotExist) && attempt < 10 {
			continue
		}
		if err != nil {
			return nil, err
		}
		// A reader looks up a few keys and reads a few documents, at
		// random places.
		for _, s := range ix.segs {
			mmap.Random(s.data)
		}
		if opt.Root != "" {
			if ix.root, err = filepath.Abs(opt.Root); err != nil {
				ix.Close()
				return nil, err
			}
		}
		return ix, nil
	}
}

// openManifest opens the segments and removal files m names.
func openManifest(dir string, m *manifest) (*Index, error) {
	ix := &Index{dir: dir, root: m.Root, m: m}
	for _, si := range m.Segments {
		s, err := openSegment(filepath.Join(dir, si.Name), si.Name)
		if err != nil {
			ix.Close()
			return nil, err
		}
		ix.segs = append(ix.segs, s)
		if s.docs != si.Docs {
			ix.Close()
			return nil, fmt.Errorf("%w: %s: %d documents, the manifest says %d", ErrCorrupt, si.Name, s.docs, si.Docs)
		}
		if si.Removed != "" {
			data, err := os.ReadFile(filepath.Join(dir, si.Removed))
			if err != nil {
				ix.Close()
				return nil, err
			}
			if s.dead, s.ndead, err = decodeRemoved(si.Removed, data, s.docs); err != nil {
				ix.Close()
				return nil, err
			}
			if s.ndead != si.Dead {
				ix.Close()
				return nil, fmt.Errorf("%w: %s: %d documents, the manifest says %d", ErrCorrupt, si.Removed, s.ndead, si.Dead)
			}
		}
		ix.live += s.docs - s.ndead
	}
	return ix, nil
}

// Close unmaps the segments.
func (ix *Index) Close() error {
	var errs []error
	for _, s := range ix.segs {
		errs = append(errs, s.close())
	}
	for _, unmap := range ix.unmaps {
		errs = append(errs, unmap())
	}
	ix.segs, ix.unmaps = nil, nil
	return errors.Join(errs...)
}

// Dir returns the index's folder.
func (ix *Index) Dir() string { return ix.dir }

// Root returns the folder the documents' relative paths count from.
func (ix *Index) Root() string { return ix.root }

// Params returns the settings the index was made with.
func (ix *Index) Params() Params { return ix.m.Params }

// Len returns the number of documents (removed ones not counted).
func (ix *Index) Len() int { return ix.live }

// Ref names a document of an index: its segment and its number there.
type Ref uint64

func ref(seg int, doc uint32) Ref  { return Ref(uint64(seg)<<32 | uint64(doc)) }
func (r Ref) parts() (int, uint32) { return int(r >> 32), uint32(r) }
func (ix *Index) valid(r Ref) bool {
	s, d := r.parts()
	return s < len(ix.segs) && int(d) < ix.segs[s].docs
}
func (ix *Index) removed(r Ref) bool   { s, d := r.parts(); return ix.segs[s].removed(d) }
func (ix *Index) segOf(r Ref) *segment { s, _ := r.parts(); return ix.segs[s] }

// ID returns the id of document r.
func (ix *Index) ID(r Ref) string {
	if !ix.valid(r) {
		return ""
	}
	s, d := r.parts()
	return string(ix.segs[s].id(d))
}

// Find returns the document of the given id.
func (ix *Index) Find(id string) (Ref, bool) {
	for i, s := range ix.segs {
		if d, ok := s.find(id); ok && !s.removed(d) {
			return ref(i, d), true
		}
	}
	return 0, false
}

// Each calls fn with every document, in order of segment and number, and
// stops at fn's first error.
func (ix *Index) Each(fn func(r Ref) error) error {
	for i, s := range ix.segs {
		for d := range uint32(s.docs) {
			if !s.removed(d) {
				if err := fn(ref(i, d)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// Words returns the number of words of document r.
func (ix *Index) Words(r Ref) int {
	s, d := r.parts()
	return ix.segs[s].words(d)
}

// Doc fills dst with what the index holds of document r (checked against
// its checksum), reusing dst's slices. Its Path is the file's path under
// the root (Options.Root, or the root recorded), or as recorded when it
// lies outside it.
func (ix *Index) Doc(r Ref, dst *index.Doc) error {
	if !ix.valid(r) {
		return fmt.Errorf("archive: no document %#x", uint64(r))
	}
	s, d := r.parts()
	seg := ix.segs[s]
	buf := recordBufs.Get().(*[]byte)
	defer recordBufs.Put(buf)
	rec, grown, err := seg.readRecords(d, *buf, true)
	if cap(grown) <= keptRecordBuf {
		*buf = grown
	}
	if err != nil {
		return err
	}
	if err := decodeDoc(seg, d, rec, dst); err != nil {
		return err
	}
	dst.Path = ix.fullPath(dst.Path)
	return nil
}

// Meta fills dst's ID, Path (as Doc gives it), Date, Bytes, Words,
// Header, Line, Plain and CRC with those of document r, from its meta
// record alone, read in place in the mapping without the checksum of
// its records (Doc and Verify check them): for a caller that lists many
// documents it does not read (a check's kept clusters). dst's other
// fields are left as they are.
func (ix *Index) Meta(r Ref, dst *index.Doc) error {
	if !ix.valid(r) {
		return fmt.Errorf("archive: no document %#x", uint64(r))
	}
	s, d := r.parts()
	seg := ix.segs[s]
	off, n, _, _, _, _ := seg.entry(d)
	if off > uint64(len(seg.data)) || uint64(n) > uint64(len(seg.data))-off {
		return seg.corrupt("document %d out of bounds", d)
	}
	rd := reader{B: seg.data[off : off+uint64(n)]}
	for len(rd.B) > 0 {
		kind := rd.Bytes(1)
		body := rd.Bytes(rd.Uvarint())
		if rd.Bad {
			break
		}
		if kind[0] != recMeta {
			continue
		}
		m, ok := decodeMeta(body)
		if !ok {
			break
		}
		dst.ID, dst.Path, dst.Date = m.id, ix.fullPath(m.path), m.date
		dst.Bytes, dst.Words, dst.Header, dst.Line = m.bytes, m.words, m.header, m.line
		dst.Plain, dst.CRC = m.plain, m.crc
		return nil
	}
	return seg.corrupt("document %d: meta record unreadable", d)
}

// Text returns the text of document r: its file read again (checked
// against the checksum it was indexed with: index.ErrChanged), or the
// text the index holds when it is not plain.
func (ix *Index) Text(r Ref) ([]byte, error) {
	var d index.Doc
	if err := ix.Doc(r, &d); err != nil {
		return nil, err
	}
	if !d.Plain {
		return d.Text, nil
	}
	text, err := corpus.ReadFile(d.Path, nil)
	if err != nil {
		return nil, err
	}
	if len(text) != d.Bytes || index.Checksum(text) != d.CRC {
		return nil, fmt.Errorf("%s: %w", d.Path, index.ErrChanged)
	}
	return text, nil
}

// recordBufs hold the documents' records Doc reads (segment.readRecords),
// which it decodes into copies; a buffer grown past keptRecordBuf for a
// large document is not kept.
var recordBufs = sync.Pool{New: func() any { return new([]byte) }}

const keptRecordBuf = 1 << 20

// fullPath is a stored path made whole: joined to the root when it is
// relative.
func (ix *Index) fullPath(p string) string {
	if p == "-" || p == "" || filepath.IsAbs(filepath.FromSlash(p)) {
		return filepath.FromSlash(p)
	}
	return filepath.Join(ix.root, filepath.FromSlash(p))
}

// storedPath is the path an index stores for a document reached at p:
// relative to root (slash-separated) when it lies inside it, absolute
// otherwise; "-" stays.
func storedPath(root, p string) string {
	if p == "-" || p == "" {
		return p
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}

// Posting is one document of the index holding a key, at a position (0
// for kinds without positions); Quoted when the key is a fingerprint
// whose shingle lies inside a quotation of the document there
// (postings.Quoted).
type Posting struct {
	Doc    Ref
	Pos    uint32
	Quoted bool
}

// Lookup calls fn for each of keys (ascending) that a document of the
// index holds, with i its place in keys and the postings of the
// documents holding it, by document and position (valid until fn
// returns). Removed documents are left out. It stops at fn's first error.
func (ix *Index) Lookup(k Kind, keys []uint64, fn func(i int, ps []Posting) error) error {
	its := ix.iterators(k)
	for _, t := range its {
		t.prefetch(keys)
	}
	var out []Posting
	var buf []posting
	for i, key := range keys {
		if i > 0 && key < keys[i-1] {
			panic("archive: Lookup of keys out of order")
		}
		out = out[:0]
		for si, t := range its {
			found, err := t.seek(key)
			if err != nil {
				return err
			}
			if !found {
				continue
			}
			if buf, err = t.postings(buf[:0]); err != nil {
				return err
			}
			seg := ix.segs[si]
			out = slices.Grow(out, len(buf))
			for _, p := range buf {
				if !seg.removed(p.doc) {
					out = append(out, Posting{Doc: ref(si, p.doc), Pos: placeOf(p.pos), Quoted: quotedOf(p.pos) != 0})
				}
			}
		}
		if len(out) > 0 {
			if err := fn(i, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// Frequencies sets dst[i] to the number of documents holding keys[i]
// (keys ascending), removed ones left out, and returns dst. It stops with
// ctx.Err() when ctx is cancelled (a batch of new documents looks up
// millions of keys: about a second against a 1 GB archive).
func (ix *Index) Frequencies(ctx context.Context, k Kind, keys []uint64, dst []int) ([]int, error) {
	dst = slices.Grow(dst[:0], len(keys))[:len(keys)]
	clear(dst)
	var buf []posting
	its := ix.iterators(k)
	for _, t := range its {
		t.prefetch(keys)
	}
	for si, t := range its {
		seg := ix.segs[si]
		for i, key := range keys {
			if i%4096 == 4095 && ctx.Err() != nil {
				return dst, ctx.Err()
			}
			found, err := t.seek(key)
			if err != nil {
				return dst, err
			}
			if !found {
				continue
			}
			if seg.dead == nil {
				dst[i] += t.docs
				continue
			}
			if buf, err = t.postings(buf[:0]); err != nil {
				return dst, err
			}
			for j, p := range buf {
				if (j == 0 || p.doc != buf[j-1].doc) && !seg.removed(p.doc) {
					dst[i]++
				}
			}
		}
	}
	return dst, nil
}

func (ix *Index) iterators(k Kind) []*terms {
	its := make([]*terms, len(ix.segs))
	for i, s := range ix.segs {
		its[i] = s.terms(k)
		its[i].copy = true
	}
	return its
}

// Stats describe an index.
type Stats struct {
	Documents    int   // documents, removed ones not counted
	Removed      int   // removed documents whose space the next compaction reclaims
	Words        int64 // words of the documents
	Segments     int
	Bytes        int64 // on disk: segments, removal files and manifest
	Fingerprints int64 // postings of fingerprints, removed documents' included
	RewordedKeys int64 // postings of keys of reworded sentences (Params.Reworded), likewise
	Keys         int64 // distinct fingerprint hashes, summed over segments
	Generation   int64 // changes made since the index was created
}

// Stats returns the index's figures.
func (ix *Index) Stats() Stats {
	st := Stats{Documents: ix.live, Segments: len(ix.segs), Generation: ix.m.Generation}
	for i, s := range ix.segs {
		st.Removed += s.ndead
		st.Bytes += int64(len(s.data))
		for d := range uint32(s.docs) {
			if !s.removed(d) {
				st.Words += int64(s.words(d))
			}
		}
		if k := s.section(Fingerprints); k != nil {
			st.Fingerprints += int64(k.postings)
			st.Keys += int64(k.terms)
		}
		if k := s.section(Keys); k != nil {
			st.RewordedKeys += int64(k.postings)
		}
		if r := ix.m.Segments[i].Removed; r != "" {
			if fi, err := os.Stat(filepath.Join(ix.dir, r)); err == nil {
				st.Bytes += fi.Size()
			}
		}
	}
	counted := map[string]bool{}
	for _, s := range ix.m.Segments {
		counted[s.Removed] = true
	}
	// The manifest, the alignments kept, and the older removal files
	// they name.
	for _, name := range append([]string{manifestName}, keptAlignmentsFiles(ix.dir, ix.m)...) {
		if fi, err := os.Stat(filepath.Join(ix.dir, name)); err == nil && !counted[name] {
			st.Bytes += fi.Size()
			counted[name] = true
		}
	}
	return st
}

// SegmentStats describe one segment.
type SegmentStats struct {
	Name    string `json:"name"`
	Docs    int    `json:"docs"`
	Removed int    `json:"removed"`
	Bytes   int64  `json:"bytes"`
}

// Segments returns the segments' figures, in the manifest's order.
func (ix *Index) Segments() []SegmentStats {
	out := make([]SegmentStats, len(ix.segs))
	for i, s := range ix.segs {
		out[i] = SegmentStats{Name: s.name, Docs: s.docs, Removed: s.ndead, Bytes: int64(len(s.data))}
	}
	return out
}

// sortRefs sorts refs by id.
func (ix *Index) sortRefs(refs []Ref) {
	slices.SortFunc(refs, func(a, b Ref) int {
		sa, da := a.parts()
		sb, db := b.parts()
		return cmp.Compare(string(ix.segs[sa].id(da)), string(ix.segs[sb].id(db)))
	})
}
