package archive

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/reuse-tool/reuse/index"
	"github.com/reuse-tool/reuse/internal/atomicfile"
	"github.com/reuse-tool/reuse/internal/mmap"
)

// Alignments beside an index: the archive's own pairs aligned once
// (reuse.AlignIndex), which checks take instead of aligning them again
// (package pairs encodes them; this file only keeps them). They hold for
// the settings they were made with, and for the documents of the index
// as it stood: documents added since (in segments after those it lists)
// are not in them, and documents removed since are no longer asked for;
// both may change the document frequencies of the others, which a caller
// checks (reuse's useStored, with Index.ShiftedBy). The removal files of
// the segments it lists are kept while it is (tidy), so that the
// documents removed since are known. A merge of the segments it lists
// leaves them stale, and a writer then removes them (tidy).
//
// Beside them, the joins of the archive's boilerplate (package cluster
// encodes them: cluster.Joins), and the clusters of its boilerplate a
// check may serve whole (package assemble encodes them:
// assemble.KeptClusters), which a check reads without the alignments.
//
// The file is a000007.aln for generation 7:
//
//	reuse-alignments 5
//	{"generation":7,"settings":"min-words 9, max-df 100","joins_settings":"max-df 100","joins":45,"clusters":67,"bytes":123,"segments":[{"name":"s000001.seg"}]}
//	crc32c 1a2b3c4d 9c8d7e6f 5e6f7a8b
//	<joins bytes of joins><clusters bytes of clusters><bytes bytes of alignments>
//
// the checksums (CRC-32C, hex) being those of the joins, of the clusters
// and of the alignments, the clusters made for settings (as the
// alignments), and segments the manifest's as of that generation (names
// and removal files). Files of earlier formats are stale.

// alignmentsName returns the name of the alignments of generation g.
func alignmentsName(g int64) string { return fmt.Sprintf(alignmentsFormat, g) }

const alignmentsFormat = "a%06d.aln"

const alignmentsMagic = "reuse-alignments 5"

// alignmentsEarlier are the first lines of files of alignments of
// earlier formats, which a newer reuse makes again.
var alignmentsEarlier = []string{"reuse-alignments 1", "reuse-alignments 2", "reuse-alignments 3", "reuse-alignments 4"}

// alignmentsHead is the header of a file of alignments.
type alignmentsHead struct {
	Generation int64  `json:"generation"`
	Settings   string `json:"settings"`
	// JoinsSettings are what the joins were made for: fewer settings
	// than the alignments (the joins do not depend on min-words).
	JoinsSettings string           `json:"joins_settings"`
	Joins         int              `json:"joins"`
	Clusters      int              `json:"clusters"`
	Bytes         int              `json:"bytes"`
	Segments      []alignedSegment `json:"segments"`
}

// alignedSegment is a segment as the alignments saw it.
type alignedSegment struct {
	Name    string `json:"name"`
	Removed string `json:"removed,omitempty"`
}

// PutAlignments keeps data, the alignments of the index's pairs under
// settings, joins, its boilerplate's joins under joinsSettings, and
// clusters, the clusters of its boilerplate under settings, beside the
// index as it stands (written to a temporary file, synced, renamed),
// replacing any kept before.
func (w *Writer) PutAlignments(settings, joinsSettings string, data, joins, clusters []byte) error {
	m := w.ix.m
	h := alignmentsHead{Generation: m.Generation, Settings: settings, JoinsSettings: joinsSettings, Joins: len(joins), Clusters: len(clusters), Bytes: len(data), Segments: []alignedSegment{}}
	for _, s := range m.Segments {
		h.Segments = append(h.Segments, alignedSegment{s.Name, s.Removed})
	}
	js, err := json.Marshal(h)
	if err != nil {
		return err
	}
	head := fmt.Sprintf("%s\n%s\ncrc32c %08x %08x %08x\n", alignmentsMagic, js, crc(joins), crc(clusters), crc(data))
	err = atomicfile.Write(filepath.Join(w.dir, alignmentsName(m.Generation)), func(f io.Writer) error {
		if _, err := io.WriteString(f, head); err != nil {
			return err
		}
		if _, err := f.Write(joins); err != nil {
			return err
		}
		if _, err := f.Write(clusters); err != nil {
			return err
		}
		_, err := f.Write(data)
		return err
	})
	if err != nil {
		return err
	}
	w.tidy()
	return nil
}

// Kept are alignments kept beside an index that hold for it.
type Kept struct {
	Data       []byte // the alignments, as package pairs encodes them
	Joins      []byte // the boilerplate's joins, as package cluster encodes them
	Clusters   []byte // the boilerplate's clusters, as package assemble encodes them, made for Settings
	Settings   string // what they were made for
	Generation int64  // of the index they were made for
	// Added are the documents added since, sorted: none of their pairs
	// is in Data.
	Added []Ref
	// Removed are the documents removed since, sorted: their pairs in
	// Data are never asked for.
	Removed []Ref
	// Since, for joins grown since the alignments (Joins) that say which
	// of the alignments' Clusters the documents added since left as they
	// were: nil otherwise.
	Since *Since
}

// Since is how the clusters kept with alignments (Kept.Clusters) stand
// against joins grown since (Kept.Joins).
type Since struct {
	// Joins are the alignments' own joins, whose numbers of families key
	// the clusters (the grown joins number them otherwise).
	Joins []byte
	// Touched are the families, sorted, of the clusters the documents
	// added since may have changed (Touched): the others hold.
	Touched []int32
	// Added are the documents added since the alignments, sorted.
	Added []Ref
}

// Alignments returns the alignments kept beside the index for settings
// (read whole and checked), with the documents added since they were
// made; ErrStale when there are none that hold for the index (none kept,
// kept for other settings or by an earlier reuse, or for segments since
// merged or with documents since removed). A damaged file is ErrCorrupt.
func (ix *Index) Alignments(settings string) (Kept, error) {
	return ix.newestAlignments(settings, false)
}

// Joins is Alignments without the alignments (Kept.Data is nil): the
// joins of the boilerplate alone are read and checked, and its clusters
// mapped in place (100 MB at 1 GB: a check reads a few of them, each
// checked by its own checksum as package assemble decodes it; Verify and
// Alignments check them whole), if the joins were made for settings
// (PutAlignments' joinsSettings); the clusters hold for Kept.Settings,
// until the Index is closed.
//
// Joins grown since the alignments were made (PutJoins), if they hold
// for the index and were made for settings, are returned instead. The
// alignments' clusters come with them (Kept.Clusters, Settings and
// Since) where the grown joins say which of them the documents added
// since may have changed (Touched), and none were removed since;
// otherwise none do (Settings is then empty): the clusters hold for the
// index the alignments were made for.
func (ix *Index) Joins(settings string) (Kept, error) {
	k, err := ix.newestAlignments(settings, true)
	aln := int64(-1)
	if g, ok := newestAlignmentsIn(ix.dir, ix.m.Generation); ok {
		aln = g
	}
	gr, found, jerr := ix.grownJoins(aln)
	h := gr.head
	switch {
	case !found || h.JoinsSettings != settings && jerr == nil:
		return k, err
	case jerr != nil:
		return Kept{}, jerr
	case err == nil && len(k.Added)+len(k.Removed) == 0:
		return k, nil // nothing changed since the alignments: the documents added since them removed
	}
	grown := Kept{Joins: gr.joins, Generation: h.Generation, Added: ix.addedAfter(len(h.Segments))}
	if grown.Removed, jerr = ix.removedSince(h.Segments); jerr != nil {
		return k, err // removed since, with the removal file the joins name gone: stale
	}
	if err == nil && h.ClustersOf == k.Generation && len(k.Removed) == 0 && len(k.Clusters) > 0 {
		grown.Clusters, grown.Settings = k.Clusters, k.Settings
		grown.Since = &Since{Joins: k.Joins, Touched: gr.touched, Added: k.Added}
	}
	return grown, nil
}

// AlignedJoins is Joins without the joins grown since: the alignments'
// own joins and clusters, and the documents added and removed since them.
func (ix *Index) AlignedJoins(settings string) (Kept, error) {
	return ix.newestAlignments(settings, true)
}

// AlignmentsStats describe the alignments kept beside an index.
type AlignmentsStats struct {
	Settings      string `json:"settings"`       // what they were made for
	JoinsSettings string `json:"joins_settings"` // what their joins were made for
	Bytes         int64  `json:"bytes"`
	JoinsBytes    int64  `json:"joins_bytes"`    // of them, the joins of the boilerplate
	ClustersBytes int64  `json:"clusters_bytes"` // and its clusters
	Generation    int64  `json:"generation"`     // of the index they were made for
	Added         int    `json:"added"`          // documents added since, whose pairs they lack
	Removed       int    `json:"removed"`        // documents removed since
	// JoinsGrown is the generation of the joins grown since (PutJoins)
	// that hold for the index, if any, and JoinsAdded and JoinsRemoved
	// the documents added and removed since them.
	JoinsGrown   int64 `json:"joins_grown,omitempty"`
	JoinsAdded   int   `json:"joins_added,omitempty"`
	JoinsRemoved int   `json:"joins_removed,omitempty"`
	// ClustersTouched, where the grown joins say which of the clusters
	// kept (ClustersKept of them) the documents added since touched, is
	// how many they touched: the others hold (Index.Joins).
	ClustersKept    int `json:"clusters_kept,omitempty"`
	ClustersTouched int `json:"clusters_touched,omitempty"`
}

// ClustersHold reports whether some of the clusters kept with the
// alignments hold for the index, the joins grown since saying which.
func (st AlignmentsStats) ClustersHold() bool {
	return st.ClustersKept > st.ClustersTouched && st.Removed == 0
}

// KeptAlignments returns what the alignments kept beside the index hold,
// false if there are none that hold for it. It reads their header alone
// (the alignments are 80 MB at 1 GB): Alignments and Verify check the
// rest.
func (ix *Index) KeptAlignments() (AlignmentsStats, bool, error) {
	h, ok := keptHead(ix.dir, ix.m)
	if !ok {
		return AlignmentsStats{}, false, nil
	}
	st := AlignmentsStats{Settings: h.Settings, JoinsSettings: h.JoinsSettings, Bytes: int64(h.Bytes + h.Joins + h.Clusters), JoinsBytes: int64(h.Joins), ClustersBytes: int64(h.Clusters), Generation: h.Generation}
	for si := len(h.Segments); si < len(ix.segs); si++ {
		st.Added += ix.segs[si].docs - ix.segs[si].ndead
	}
	removed, err := ix.removedSince(h.Segments)
	if err != nil {
		return AlignmentsStats{}, false, nil
	}
	st.Removed = len(removed)
	if gr, found, err := ix.grownJoins(h.Generation); found && err == nil && gr.head.JoinsSettings == h.JoinsSettings {
		hj := gr.head
		if removed, err := ix.removedSince(hj.Segments); err == nil {
			st.JoinsGrown, st.JoinsAdded, st.JoinsRemoved = hj.Generation, len(ix.addedAfter(len(hj.Segments))), len(removed)
			if hj.ClustersOf == h.Generation {
				st.ClustersKept, st.ClustersTouched = hj.ClustersKept, hj.Touched
			}
		}
	}
	return st, true, nil
}

// newestAlignments reads the newest alignments kept in ix's folder (the
// joins alone if joinsOnly), and returns them if they hold for ix and
// were made for settings.
func (ix *Index) newestAlignments(settings string, joinsOnly bool) (Kept, error) {
	g, ok := newestAlignmentsIn(ix.dir, ix.m.Generation)
	if !ok {
		return Kept{}, fmt.Errorf("%w: none kept", ErrStale)
	}
	h, joins, clusters, body, unmap, err := readAlignments(ix.dir, g, joinsOnly)
	if err != nil {
		return Kept{}, err
	}
	if unmap != nil {
		ix.unmaps = append(ix.unmaps, unmap)
	}
	if made := h.Settings; joinsOnly && h.JoinsSettings != settings || !joinsOnly && made != settings {
		if joinsOnly {
			made = h.JoinsSettings
		}
		return Kept{}, fmt.Errorf("%w: made for %s, not %s", ErrStale, made, settings)
	}
	if err := h.holdsFor(ix.m); err != nil {
		return Kept{}, err
	}
	k := Kept{Data: body, Joins: joins, Clusters: clusters, Settings: h.Settings, Generation: h.Generation, Added: ix.addedAfter(len(h.Segments))}
	if k.Removed, err = ix.removedSince(h.Segments); err != nil {
		return Kept{}, err
	}
	return k, nil
}

// addedAfter returns the documents of the segments after the first n,
// sorted: those added since derived data made for the first n.
func (ix *Index) addedAfter(n int) []Ref {
	var out []Ref
	for si := n; si < len(ix.segs); si++ {
		for d := range uint32(ix.segs[si].docs) {
			if !ix.segs[si].removed(d) {
				out = append(out, ref(si, d))
			}
		}
	}
	return out
}

// holdsFor reports (ErrStale) alignments made for segments of which m
// does not list all first: segments since merged.
func (h *alignmentsHead) holdsFor(m *manifest) error { return holds(h.Segments, m) }

// holds reports (ErrStale) derived data made for segments segs of which
// m does not list all first: segments since merged.
func holds(segs []alignedSegment, m *manifest) error {
	if len(segs) > len(m.Segments) {
		return fmt.Errorf("%w: made for segments since merged", ErrStale)
	}
	for i, s := range segs {
		if now := m.Segments[i]; now.Name != s.Name {
			return fmt.Errorf("%w: made before %s was merged", ErrStale, s.Name)
		}
	}
	return nil
}

// removedSince returns the documents, sorted, of the segments segs
// (as derived data listed them when made) that ix has removed since
// (their removal files read again, which tidy keeps for the
// alignments); ErrStale if one is gone, ErrCorrupt if one is damaged.
func (ix *Index) removedSince(segs []alignedSegment) ([]Ref, error) {
	var out []Ref
	for si, s := range segs {
		seg := ix.segs[si]
		if s.Removed == ix.m.Segments[si].Removed {
			continue
		}
		then := make([]bool, seg.docs)
		if s.Removed != "" {
			data, err := os.ReadFile(filepath.Join(ix.dir, s.Removed))
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("%w: the documents removed from %s when they were made: %w", ErrStale, s.Name, err)
			}
			if err == nil {
				then, _, err = decodeRemoved(filepath.Join(ix.dir, s.Removed), data, seg.docs)
			}
			if err != nil {
				return nil, err
			}
		}
		for d := range uint32(seg.docs) {
			switch {
			case then[d] && !seg.removed(d):
				return nil, fmt.Errorf("%w: made when %s had documents removed it now holds", ErrStale, s.Name)
			case !then[d] && seg.removed(d):
				out = append(out, ref(si, d))
			}
		}
	}
	return out, nil
}

// keptAlignmentsFiles returns the name of the file of alignments in dir
// that holds for m (its header read alone), with the removal files it
// names; none if there is none.
func keptAlignmentsFiles(dir string, m *manifest) []string {
	h, ok := keptHead(dir, m)
	if !ok {
		return nil
	}
	out := []string{alignmentsName(h.Generation)}
	for _, s := range h.Segments {
		if s.Removed != "" {
			out = append(out, s.Removed)
		}
	}
	return out
}

// keptHead reads the header alone of the newest file of alignments in
// dir, and returns it if they hold for m.
func keptHead(dir string, m *manifest) (alignmentsHead, bool) {
	g, ok := newestAlignmentsIn(dir, m.Generation)
	if !ok {
		return alignmentsHead{}, false
	}
	f, err := os.Open(filepath.Join(dir, alignmentsName(g)))
	if err != nil {
		return alignmentsHead{}, false
	}
	defer f.Close()
	r := bufio.NewReader(io.LimitReader(f, 1<<24))
	magic, _ := r.ReadString('\n')
	head, err := r.ReadBytes('\n')
	var h alignmentsHead
	if err != nil || magic != alignmentsMagic+"\n" || jsonStrict(head, &h) != nil || h.Generation != g || h.holdsFor(m) != nil {
		return alignmentsHead{}, false
	}
	for _, s := range h.Segments {
		if s.Removed != "" {
			if _, err := os.Stat(filepath.Join(dir, s.Removed)); err != nil {
				return alignmentsHead{}, false
			}
		}
	}
	return h, true
}

// newestAlignmentsIn returns the generation of the newest file of
// alignments in dir made at most at generation g.
func newestAlignmentsIn(dir string, g int64) (int64, bool) {
	return newestGeneration(dir, alignmentsFormat, g)
}

// newestGeneration returns the generation of the newest file of dir
// named by format (a Sprintf format of the generation, "%06d"), made at
// most at generation g.
func newestGeneration(dir, format string, g int64) (int64, bool) {
	names, _ := filepath.Glob(filepath.Join(dir, strings.Replace(format, "%06d", "*", 1)))
	best, found := int64(-1), false
	for _, n := range names {
		var v int64
		base := filepath.Base(n)
		if _, err := fmt.Sscanf(base, format, &v); err == nil && fmt.Sprintf(format, v) == base && v <= g && v > best {
			best, found = v, true
		}
	}
	return best, found
}

// readAlignments reads and checks the alignments of generation g kept in
// dir, and returns their header, joins, clusters and alignments; with
// joinsOnly, the joins alone, checked, the clusters mapped (unmap
// unmaps them), and nil alignments.
func readAlignments(dir string, g int64, joinsOnly bool) (h alignmentsHead, joins, clusters, body []byte, unmap func() error, err error) {
	path := filepath.Join(dir, alignmentsName(g))
	if !joinsOnly {
		data, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			return h, nil, nil, nil, nil, fmt.Errorf("%w: none for generation %d", ErrStale, g)
		}
		if err != nil {
			return h, nil, nil, nil, nil, err
		}
		h, joins, clusters, body, err = decodeAlignments(path, data, g)
		return h, joins, clusters, body, nil, err
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return h, nil, nil, nil, nil, fmt.Errorf("%w: none for generation %d", ErrStale, g)
	}
	if err != nil {
		return h, nil, nil, nil, nil, err
	}
	defer f.Close()
	// The three lines of the header, then the joins.
	r := bufio.NewReader(f)
	var head []byte
	for range 3 {
		line, err := r.ReadSlice('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return h, nil, nil, nil, nil, fmt.Errorf("%w: %s: %w", ErrCorrupt, path, err)
		}
		head = append(head, line...)
		if err != nil {
			break
		}
	}
	h, _, sums, err := decodeHead(path, head, g)
	if err != nil {
		return h, nil, nil, nil, nil, err
	}
	joins = make([]byte, h.Joins)
	if _, err := io.ReadFull(r, joins); err != nil || crc(joins) != sums[0] {
		return h, nil, nil, nil, nil, fmt.Errorf("%w: %s: truncated or damaged", ErrCorrupt, path)
	}
	data, unmap, err := mmap.Map(f)
	if err != nil {
		return h, nil, nil, nil, nil, err
	}
	at := len(head) + h.Joins
	if at+h.Clusters+h.Bytes != len(data) {
		unmap()
		return h, nil, nil, nil, nil, fmt.Errorf("%w: %s: truncated or damaged", ErrCorrupt, path)
	}
	return h, joins, data[at : at+h.Clusters], nil, unmap, nil
}

// decodeAlignments checks the bytes data of the file path as alignments
// of generation g, and returns their header, joins, clusters and
// alignments.
func decodeAlignments(path string, data []byte, g int64) (h alignmentsHead, joins, clusters, body []byte, err error) {
	h, rest, sums, err := decodeHead(path, data, g)
	if err != nil {
		return h, nil, nil, nil, err
	}
	j, c := h.Joins, h.Joins+h.Clusters
	if c+h.Bytes != len(rest) || crc(rest[:j]) != sums[0] || crc(rest[j:c]) != sums[1] || crc(rest[c:]) != sums[2] {
		return h, nil, nil, nil, fmt.Errorf("%w: %s: truncated or damaged", ErrCorrupt, path)
	}
	return h, rest[:j], rest[j:c], rest[c:], nil
}

// decodeHead checks the header at the start of data, of the file path
// of alignments of generation g, and returns it, the bytes after it, and
// its checksums (the joins', the clusters', the alignments').
func decodeHead(path string, data []byte, g int64) (h alignmentsHead, rest []byte, sums [3]uint32, err error) {
	bad := func(what string) error { return fmt.Errorf("%w: %s: %s", ErrCorrupt, path, what) }
	magic, rest, _ := bytes.Cut(data, []byte("\n"))
	if slices.Contains(alignmentsEarlier, string(magic)) {
		return h, nil, sums, fmt.Errorf("%w: %s (reuse index align makes them again)", ErrEarlier, path)
	}
	head, rest, _ := bytes.Cut(rest, []byte("\n"))
	sum, rest, ok := bytes.Cut(rest, []byte("\n"))
	if string(magic) != alignmentsMagic || !ok {
		return h, nil, sums, bad("not alignments of this reuse")
	}
	if err := jsonStrict(head, &h); err != nil {
		return h, nil, sums, bad("unreadable header: " + err.Error())
	}
	fields := strings.Fields(string(sum))
	if len(fields) != 4 || fields[0] != "crc32c" || h.Joins < 0 || h.Clusters < 0 || h.Bytes < 0 {
		return h, nil, sums, bad("truncated or damaged")
	}
	for i, f := range fields[1:] {
		v, err := strconv.ParseUint(f, 16, 32)
		if err != nil || len(f) != 8 {
			return h, nil, sums, bad("truncated or damaged")
		}
		sums[i] = uint32(v)
	}
	if h.Generation != g {
		return h, nil, sums, bad(fmt.Sprintf("generation %d in a file of generation %d", h.Generation, g))
	}
	return h, rest, sums, nil
}

// ErrStale reports alignments that do not hold for what is asked: none
// kept, kept for other settings, or for segments since merged or with
// documents since removed.
var ErrStale = errors.New("archive: no alignments for these settings")

// ErrEarlier reports alignments kept by an earlier reuse, of a format
// this one does not read: stale (ErrStale), but worth telling, since
// checks then go without them until index align runs again.
var ErrEarlier error = earlierError{}

type earlierError struct{}

func (earlierError) Error() string { return "archive: alignments made by an earlier reuse" }
func (earlierError) Unwrap() error { return ErrStale }

// EarlierAlignments reports whether the newest alignments kept beside
// the index were made by an earlier reuse (ErrEarlier).
func (ix *Index) EarlierAlignments() bool {
	g, ok := newestAlignmentsIn(ix.dir, ix.m.Generation)
	if !ok {
		return false
	}
	f, err := os.Open(filepath.Join(ix.dir, alignmentsName(g)))
	if err != nil {
		return false
	}
	defer f.Close()
	magic, _ := bufio.NewReader(io.LimitReader(f, 64)).ReadString('\n')
	return slices.Contains(alignmentsEarlier, strings.TrimSuffix(magic, "\n"))
}

// jsonStrict decodes data into v, refusing unknown fields.
func jsonStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// ShiftedBy returns the places of the fingerprints of the documents added
// and removed since kept alignments were made (Kept.Added, Kept.Removed)
// whose class of document frequency the changes moved: class(n) of the
// documents holding it then differs from class(n') of those holding it
// now; by fingerprint (Shift). A fall (a removal), or a rise from one
// document, is Whole. The kept alignments of the pairs they reach may no
// longer hold (see Partners.Shifted). It reads the changed
// documents' records, and stops with ctx.Err() when ctx is cancelled.
func (ix *Index) ShiftedBy(ctx context.Context, added, removed []Ref, class func(df int) int) ([]Shift, error) {
	delta := map[uint64]int{} // documents holding each hash now, less then
	var d index.Doc
	var hs []uint64
	for i, r := range slices.Concat(added, removed) {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err := ix.Doc(r, &d); err != nil {
			return nil, err
		}
		hs = hs[:0]
		for _, fp := range d.Fingerprints {
			hs = append(hs, fp.Hash)
		}
		slices.Sort(hs)
		by := 1
		if i >= len(added) {
			by = -1
		}
		for _, h := range slices.Compact(hs) {
			delta[h] += by
		}
	}
	keys := make([]uint64, 0, len(delta))
	for h := range delta {
		keys = append(keys, h)
	}
	slices.Sort(keys)
	dfs, err := ix.Frequencies(ctx, Fingerprints, keys, nil)
	if err != nil {
		return nil, err
	}
	var shifted, whole []uint64
	for i, h := range keys {
		now := dfs[i]
		then := now - delta[h]
		if then > 0 && now > 0 && class(then) != class(now) {
			shifted = append(shifted, h)
			if now < then || then == 1 {
				whole = append(whole, h)
			}
		}
	}
	return ix.shifts(ctx, shifted, whole)
}
