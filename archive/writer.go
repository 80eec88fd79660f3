package archive

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/corpus"
	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/postings"
)

// Writer changes an index: one process at a time holds its lock, while
// any number read it. Every change is published whole by a new manifest,
// or not at all. A Writer is NOT safe for concurrent use.
type Writer struct {
	dir  string
	lock *lock
	ix   *Index // the index as the last manifest published has it
	// renumberJoins renumbers the holders of grown joins through merges
	// (SetJoinsRenumber).
	renumberJoins func(joins []byte, to func(Ref) (Ref, bool)) ([]byte, error)
}

// SetJoinsRenumber has the writer's merges carry the grown joins kept
// beside the index (PutJoins) over to the merged segments, where they
// hold for every document of the index: renumber returns joins (as
// package cluster encodes them) with each holder r replaced by to(r),
// which reports false for a document the index no longer holds.
// Without it, a merge leaves them stale.
func (w *Writer) SetJoinsRenumber(renumber func(joins []byte, to func(Ref) (Ref, bool)) ([]byte, error)) {
	w.renumberJoins = renumber
}

// ErrExists reports a folder for a new index that is not empty.
var ErrExists = errors.New("archive: folder exists and is not empty")

// Create makes an empty index in the folder dir (created, or empty) whose
// documents' paths count from root, and returns a Writer of it.
func Create(dir, root string, p Params) (*Writer, error) {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("archive: %s is a file, not a folder", dir)
	}
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		if _, err := os.Stat(filepath.Join(dir, manifestName)); err == nil {
			return nil, fmt.Errorf("%w: %s already holds an index (add to it with reuse index add)", ErrExists, dir)
		}
		return nil, fmt.Errorf("%w: %s", ErrExists, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	l, err := acquire(dir)
	if err != nil {
		return nil, err
	}
	m := &manifest{Root: root, Params: p, NextSegment: 1, Segments: []segmentInfo{}}
	if err := m.check(); err != nil {
		l.release()
		return nil, fmt.Errorf("archive: %w", err)
	}
	w := &Writer{dir: dir, lock: l}
	if err := w.publish(m); err != nil {
		l.release()
		return nil, err
	}
	return w, nil
}

// OpenWriter opens the index in dir for changes. It fails with ErrLocked
// while another process changes it. Files left by a change that did not
// finish (a process killed) are removed.
func OpenWriter(dir string) (*Writer, error) {
	if _, err := readManifest(dir); err != nil {
		return nil, err
	}
	l, err := acquire(dir)
	if err != nil {
		return nil, err
	}
	m, err := readManifest(dir) // again, under the lock
	if err != nil {
		l.release()
		return nil, err
	}
	ix, err := openManifest(dir, m)
	if err != nil {
		l.release()
		return nil, err
	}
	w := &Writer{dir: dir, lock: l, ix: ix}
	w.tidy()
	return w, nil
}

// Index returns the index as the writer last published it (valid until
// the next change or Close).
func (w *Writer) Index() *Index { return w.ix }

// Close releases the lock.
func (w *Writer) Close() error {
	var err error
	if w.ix != nil {
		err = w.ix.Close()
		w.ix = nil
	}
	w.lock.release()
	return err
}

// publish writes m (its generation counted up) as the manifest, then
// opens it as the writer's Index and removes the files it no longer
// names.
func (w *Writer) publish(m *manifest) error {
	m.Generation++
	if err := writeManifest(w.dir, m); err != nil {
		return err
	}
	ix, err := openManifest(w.dir, m)
	if err != nil {
		return err
	}
	if w.ix != nil {
		w.ix.Close()
	}
	w.ix = ix
	w.tidy()
	return nil
}

// tidy removes the files of the folder that the manifest does not name:
// segments and removal files replaced, and those of changes that did not
// finish. A reader that opened them keeps reading them (their space goes
// when it is done); one about to open them reads the new manifest.
func (w *Writer) tidy() {
	// The alignments that hold for the index (made for it, or before
	// documents were added or removed), and the removal files they
	// name.
	keep := map[string]bool{}
	for _, n := range keptAlignmentsFiles(w.dir, w.ix.m) {
		keep[n] = true
	}
	// And the joins grown since, if they hold.
	aln := int64(-1)
	if h, ok := keptHead(w.dir, w.ix.m); ok {
		aln = h.Generation
	}
	keep[keptJoinsFile(w.dir, w.ix.m, aln)] = true
	for _, s := range w.ix.m.Segments {
		keep[s.Name] = true
		keep[s.Removed] = true
	}
	ents, err := os.ReadDir(w.dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		n := e.Name()
		ours := strings.HasSuffix(n, ".seg") || strings.HasSuffix(n, ".del") || strings.HasSuffix(n, ".aln") || strings.HasSuffix(n, ".jns") || strings.HasSuffix(n, ".tmp") ||
			strings.HasPrefix(n, "."+manifestName+".tmp") || strings.HasPrefix(n, ".") && (strings.Contains(n, ".aln.tmp") || strings.Contains(n, ".jns.tmp"))
		if ours && !keep[n] && e.Type().IsRegular() {
			os.Remove(filepath.Join(w.dir, n))
		}
	}
}

// nextName returns the name of a new segment, counting m.NextSegment up.
func nextName(m *manifest) string {
	n := fmt.Sprintf("s%06d.seg", m.NextSegment)
	m.NextSegment++
	return n
}

// clone returns a copy of the manifest to change.
func (m *manifest) clone() *manifest {
	c := *m
	c.Segments = slices.Clone(m.Segments)
	return &c
}

// AddOptions configure Writer.Add.
type AddOptions struct {
	// Replace makes a document whose id the index holds replace it;
	// otherwise the new document is left out, and reported to Warn.
	Replace bool
	// LoadBytes bounds the postings held in memory at once (at least 1).
	LoadBytes int64
	// Workers is the number of goroutines sorting postings (at least 1).
	Workers int
	// Warn receives each document left out.
	Warn func(error)
	// Added, when set, is called once the documents are published and
	// before segments are merged, with the writer: to bring data derived
	// from the index up to date (PutJoins), so that the merges carry it
	// over (SetJoinsRenumber). Its error ends Add, the documents added.
	Added func(w *Writer) error
}

// ErrTaken reports a document whose id the index holds already.
var ErrTaken = errors.New("id already in the index (remove it first, or add with --replace)")

// AddStats count what Add did.
type AddStats struct {
	Added    int // documents added, replacements included
	Replaced int // documents of the index they replaced
	Skipped  int // documents left out: their id was taken
}

// Add adds the documents of x (made by index.Build with the index's
// settings and KeepFingerprints) as a new segment, and publishes it. It
// consumes x's postings. Segments of about the same size are merged
// afterwards, a few at a time, so that their number stays small.
func (w *Writer) Add(ctx context.Context, x *index.Index, opt AddOptions) (AddStats, error) {
	var st AddStats
	m := w.ix.m.clone()
	keep := make([]bool, x.Len())
	dead := map[int][]uint32{}
	for d := range uint32(x.Len()) {
		id := x.ID(d)
		r, taken := w.ix.Find(id)
		switch {
		case !taken:
			keep[d] = true
		case opt.Replace:
			keep[d] = true
			s, doc := r.parts()
			dead[s] = append(dead[s], doc)
			st.Replaced++
		default:
			st.Skipped++
			if opt.Warn != nil {
				opt.Warn(&corpus.Error{Path: x.Path(d), Err: fmt.Errorf("%q: %w", id, ErrTaken)})
			}
		}
	}
	for _, k := range keep {
		if k {
			st.Added++
		}
	}
	if st.Added == 0 {
		return st, nil
	}
	name := nextName(m)
	info, err := w.writeIndex(ctx, name, x, keep, m, opt)
	if err != nil {
		return st, err
	}
	m.Segments = append(m.Segments, info)
	if err := w.remove(m, dead); err != nil {
		return st, err
	}
	if err := w.publish(m); err != nil {
		return st, err
	}
	if opt.Added != nil {
		if err := opt.Added(w); err != nil {
			return st, err
		}
	}
	// The addition is published; merging is housekeeping. Interrupted,
	// it leaves the segments as they were, to be merged by the next
	// addition or compaction.
	if err := w.mergeTiers(ctx); err != nil && ctx.Err() == nil {
		return st, fmt.Errorf("archive: documents added, but merging segments failed: %w", err)
	}
	return st, nil
}

// writeIndex writes the documents of x that keep marks as the segment
// name.
func (w *Writer) writeIndex(ctx context.Context, name string, x *index.Index, keep []bool, m *manifest, opt AddOptions) (segmentInfo, error) {
	tmp := filepath.Join(w.dir, name+".tmp")
	sw, err := newSegWriter(tmp)
	if err != nil {
		return segmentInfo{}, err
	}
	local := make([]uint32, x.Len())
	var d index.Doc
	var keys []uint64
	var bands []postings.Posting
	n := uint32(0)
	p := m.Params
	for i := range uint32(x.Len()) {
		if !keep[i] {
			continue
		}
		if i%1024 == 0 && ctx.Err() != nil {
			sw.abort()
			return segmentInfo{}, ctx.Err()
		}
		if err := x.Doc(i, &d); err != nil {
			sw.abort()
			return segmentInfo{}, err
		}
		if d.Fingerprints == nil && d.Words > 0 {
			panic("archive: Add of an Index built without KeepFingerprints")
		}
		local[i] = n
		sw.addDoc(&d, storedPath(m.Root, d.Path))
		keys = cluster.BandKeys(keys[:0], d.Signature, p.Bands, p.Rows)
		for _, k := range keys {
			bands = append(bands, postings.Posting{Hash: k, Doc: n})
		}
		n++
	}
	if err := writePositional(ctx, sw, Fingerprints, x.EachPostingLoad, keep, local, opt); err != nil {
		sw.abort()
		return segmentInfo{}, err
	}
	writeBands(sw, bands)
	// The reworded keys, which x holds when it was built for an index
	// made for reworded reuse (Params.Reworded), and only then.
	eachKey := x.EachKeyLoad
	if !p.Reworded {
		eachKey = nil
	}
	if err := writePositional(ctx, sw, Keys, eachKey, keep, local, opt); err != nil {
		sw.abort()
		return segmentInfo{}, err
	}
	return w.finishSegment(sw, name, tmp, int(n))
}

// writePositional writes the postings each gives (an Index's fingerprints
// or keys, consumed a load of hash partitions at a time, in order of
// hash) of the documents keep marks, renumbered by local, as sw's terms of
// kind k. A nil each writes none.
func writePositional(ctx context.Context, sw *segWriter, k Kind, each func(context.Context, int64, int, func([]postings.Posting) error) error, keep []bool, local []uint32, opt AddOptions) error {
	kw := sw.newKind(k)
	if each == nil {
		return sw.err
	}
	var run []posting
	return each(ctx, max(opt.LoadBytes, 1), max(opt.Workers, 1), func(ps []postings.Posting) error {
		postings.Sort(ps, max(opt.Workers, 1))
		for lo := 0; lo < len(ps); {
			hi := lo + 1
			for hi < len(ps) && ps[hi].Hash == ps[lo].Hash {
				hi++
			}
			run = run[:0]
			for _, q := range ps[lo:hi] {
				if keep[q.Doc] {
					run = append(run, posting{doc: local[q.Doc], pos: q.Pos})
				}
			}
			sortPostings(run)
			kw.add(ps[lo].Hash, run)
			lo = hi
		}
		return sw.err
	})
}

// writeBands writes the band keys (Hash a key, Doc a document) as the
// segment's Bands; it sorts them.
func writeBands(sw *segWriter, bands []postings.Posting) {
	kw := sw.newKind(Bands)
	postings.Sort(bands, 1)
	var run []posting
	for lo := 0; lo < len(bands); {
		hi := lo + 1
		for hi < len(bands) && bands[hi].Hash == bands[lo].Hash {
			hi++
		}
		run = run[:0]
		for _, q := range bands[lo:hi] {
			run = append(run, posting{doc: q.Doc})
		}
		sortPostings(run)
		run = slices.Compact(run)
		kw.add(bands[lo].Hash, run)
		lo = hi
	}
}

// finishSegment ends a segment written to tmp and renames it to name.
func (w *Writer) finishSegment(sw *segWriter, name, tmp string, docs int) (segmentInfo, error) {
	if err := sw.finish(); err != nil {
		os.Remove(tmp)
		return segmentInfo{}, err
	}
	fi, err := os.Stat(tmp)
	if err == nil {
		err = os.Rename(tmp, filepath.Join(w.dir, name))
	}
	if err != nil {
		os.Remove(tmp)
		return segmentInfo{}, err
	}
	syncDir(w.dir)
	return segmentInfo{Name: name, Docs: docs, Bytes: fi.Size()}, nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// remove writes new removal files for the segments of m (numbered as in
// the writer's Index) that lose the documents dead, and updates m.
func (w *Writer) remove(m *manifest, dead map[int][]uint32) error {
	for s, docs := range dead {
		seg := w.ix.segs[s]
		all := slices.Clone(docs)
		for d := range uint32(seg.docs) {
			if seg.removed(d) {
				all = append(all, d)
			}
		}
		slices.Sort(all)
		all = slices.Compact(all)
		name := fmt.Sprintf("%s.%06d.del", strings.TrimSuffix(seg.name, ".seg"), m.Generation+1)
		path := filepath.Join(w.dir, name)
		if err := writeSynced(path, encodeRemoved(all)); err != nil {
			return err
		}
		m.Segments[s].Removed, m.Segments[s].Dead = name, len(all)
	}
	return nil
}

// writeSynced writes a new file whole and syncs it.
func writeSynced(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// Remove removes the documents of the given ids and publishes the change;
// it returns the ids the index did not hold. Their space is reclaimed by
// the next compaction.
func (w *Writer) Remove(ids []string) (missing []string, err error) {
	dead := map[int][]uint32{}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		r, ok := w.ix.Find(id)
		if !ok {
			missing = append(missing, id)
			continue
		}
		s, d := r.parts()
		dead[s] = append(dead[s], d)
	}
	if len(dead) == 0 {
		return missing, nil
	}
	m := w.ix.m.clone()
	if err := w.remove(m, dead); err != nil {
		return missing, err
	}
	// A segment all of whose documents are removed goes at once.
	m.Segments = slices.DeleteFunc(m.Segments, func(s segmentInfo) bool { return s.Dead == s.Docs })
	return missing, w.publish(m)
}

// Compact merges every segment into one, without the removed documents,
// and publishes it: lookups then read one block index, and the space of
// removed documents is reclaimed.
func (w *Writer) Compact(ctx context.Context) error {
	if len(w.ix.segs) == 0 || len(w.ix.segs) == 1 && w.ix.segs[0].ndead == 0 {
		return nil
	}
	all := make([]int, len(w.ix.segs))
	for i := range all {
		all[i] = i
	}
	return w.mergeSegments(ctx, all)
}

// mergeSegments merges the segments of the writer's Index numbered segs
// into one and publishes it in their place.
func (w *Writer) mergeSegments(ctx context.Context, segs []int) error {
	m := w.ix.m.clone()
	name := nextName(m)
	info, renumber, err := w.merge(ctx, name, segs)
	if err != nil {
		return err
	}
	var kept []segmentInfo
	at := make([]int, len(m.Segments)) // each segment's place after the merge
	for i, s := range m.Segments {
		if !slices.Contains(segs, i) {
			at[i] = len(kept)
			kept = append(kept, s)
		}
	}
	merged := len(kept)
	if info.Docs > 0 {
		kept = append(kept, info)
	} else {
		os.Remove(filepath.Join(w.dir, name))
	}
	m.Segments = kept
	if m.Segments == nil {
		m.Segments = []segmentInfo{}
	}
	to := func(r Ref) (Ref, bool) {
		s, d := r.parts()
		if s >= len(at) || int(d) >= w.ix.segs[s].docs || w.ix.segs[s].removed(d) {
			return 0, false
		}
		if n, ok := renumber[s]; ok {
			return ref(merged, n[d]), true
		}
		return ref(at[s], d), true
	}
	if err := w.carryJoins(m, to); err != nil {
		return err
	}
	return w.publish(m)
}

// carryJoins writes the grown joins that hold for every document of the
// index, their holders renumbered by to (SetJoinsRenumber), for the
// manifest m about to be published: at its generation, listing its
// segments. Grown joins that lack documents, or none, are left: the
// merge leaves them stale.
func (w *Writer) carryJoins(m *manifest, to func(Ref) (Ref, bool)) error {
	if w.renumberJoins == nil {
		return nil
	}
	aln := int64(-1)
	if h, ok := keptHead(w.dir, w.ix.m); ok {
		aln = h.Generation
	}
	gr, found, err := w.ix.grownJoins(aln)
	h := gr.head
	if !found || err != nil || len(w.ix.addedAfter(len(h.Segments))) > 0 {
		return nil
	}
	if removed, err := w.ix.removedSince(h.Segments); err != nil || len(removed) > 0 {
		return nil
	}
	joins, err := w.renumberJoins(gr.joins, to)
	if err != nil {
		return nil // stale: a holder not in the index
	}
	// The touched families name clusters of the alignments, which a
	// merge of segments added since leaves as they are.
	return writeJoins(w.dir, m.Generation+1, m, h.JoinsSettings, joins, &Touched{Alignments: h.ClustersOf, Families: gr.touched, Kept: h.ClustersKept})
}

// tierMerge is the number of segments of one size tier (sizes within a
// factor of 4) that are merged into one after an addition: each byte is
// then written again about log4(index / addition) times over the life of
// an index, and an index of n tiers has at most 3n segments.
const tierMerge = 4

// mergeTiers merges segments of the same size tier while a tier holds
// tierMerge of them, smallest tier first.
func (w *Writer) mergeTiers(ctx context.Context) error {
	for {
		tiers := map[int][]int{}
		for i, s := range w.ix.segs {
			t := bits.Len64(uint64(len(s.data))>>20) / 2 // log4 of the size in MiB
			tiers[t] = append(tiers[t], i)
		}
		best := -1
		for t, segs := range tiers {
			if len(segs) >= tierMerge && (best < 0 || t < best) {
				best = t
			}
		}
		if best < 0 {
			return nil
		}
		if err := w.mergeSegments(ctx, tiers[best]); err != nil {
			return err
		}
	}
}
