package archive

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/reuse-tool/reuse/internal/atomicfile"
)

// Joins grown beside an index: the joins of its boilerplate that
// reuse.AlignIndex keeps with the alignments, brought up to date by an
// addition or a removal (reuse's growJoins, with cluster.Joins.Grow), so
// that checks join by them after it. They hold, as the alignments do,
// for the documents of the segments they list, with the documents added
// and removed since: the next change grows them again. A merge of their
// segments carries them over, renumbered, where the writer was told how
// (SetJoinsRenumber) and they hold for every document; otherwise it
// leaves them stale (checks then take the alignments' joins if those
// still hold, and otherwise join by their own places). The newest that
// hold are kept while they are newer than the alignments (tidy).
//
// With them may be kept which of the alignments' clusters of
// boilerplate the changes since may have changed (Touched, reuse's
// growJoins): the others hold for the index, and checks serve them.
//
// The file is j000009.jns for generation 9:
//
//	reuse-joins 2
//	{"generation":9,"joins_settings":"max-df 100","bytes":123,"segments":[{"name":"s000001.seg"},{"name":"s000002.seg"}],"clusters_of":7,"touched":2,"clusters_kept":40}
//	crc32c 1a2b3c4d
//	<bytes bytes of joins><touched families, int32 little-endian each>
//
// the checksum (CRC-32C, hex) that of the joins and touched families,
// segments the manifest's as of that generation, and clusters_of the
// generation of the alignments whose clusters (clusters_kept of them)
// the touched families name (none when 0). A file of format 1 (reuse-joins 1, session 65)
// has neither, and is read as one with none touched and no clusters.

// joinsName returns the name of the grown joins of generation g.
func joinsName(g int64) string { return fmt.Sprintf(joinsFormat, g) }

const joinsFormat = "j%06d.jns"

const (
	joinsMagic  = "reuse-joins 2"
	joinsMagic1 = "reuse-joins 1" // no touched families
)

// joinsHead is the header of a file of grown joins.
type joinsHead struct {
	Generation    int64            `json:"generation"`
	JoinsSettings string           `json:"joins_settings"`
	Bytes         int              `json:"bytes"`
	Segments      []alignedSegment `json:"segments"`
	ClustersOf    int64            `json:"clusters_of,omitempty"`
	Touched       int              `json:"touched,omitempty"`
	ClustersKept  int              `json:"clusters_kept,omitempty"` // by the alignments of ClustersOf
}

// Touched are the families (as the alignments' joins number them, and
// package assemble keys their clusters) of the clusters of boilerplate
// kept with the alignments of generation Alignments that the documents
// added since may have changed, sorted: the others hold for the index.
type Touched struct {
	Alignments int64
	Families   []int32
	Kept       int // clusters kept with the alignments, one of several families once for each
}

// grown are grown joins as read (grownJoins).
type grown struct {
	head    joinsHead
	joins   []byte
	touched []int32 // of the clusters of the alignments head.ClustersOf
}

// PutJoins keeps joins, the joins of the index's boilerplate under
// joinsSettings brought up to date for the index as it stands (written
// to a temporary file, synced, renamed), beside the alignments, with
// the clusters they left untouched (nil: none known).
func (w *Writer) PutJoins(joinsSettings string, joins []byte, touched *Touched) error {
	if err := writeJoins(w.dir, w.ix.m.Generation, w.ix.m, joinsSettings, joins, touched); err != nil {
		return err
	}
	w.tidy()
	return nil
}

// writeJoins writes joins as the grown joins of generation g in dir,
// for the segments of m, with touched (if not nil).
func writeJoins(dir string, g int64, m *manifest, joinsSettings string, joins []byte, touched *Touched) error {
	h := joinsHead{Generation: g, JoinsSettings: joinsSettings, Bytes: len(joins), Segments: []alignedSegment{}}
	for _, s := range m.Segments {
		h.Segments = append(h.Segments, alignedSegment{s.Name, s.Removed})
	}
	body := joins
	if touched != nil && touched.Alignments > 0 {
		h.ClustersOf, h.Touched, h.ClustersKept = touched.Alignments, len(touched.Families), touched.Kept
		body = slices.Clone(joins)
		for _, f := range touched.Families {
			body = binary.LittleEndian.AppendUint32(body, uint32(f))
		}
	}
	js, err := json.Marshal(h)
	if err != nil {
		return err
	}
	head := fmt.Sprintf("%s\n%s\ncrc32c %08x\n", joinsMagic, js, crc(body))
	return atomicfile.Write(filepath.Join(dir, joinsName(g)), func(f io.Writer) error {
		if _, err := io.WriteString(f, head); err != nil {
			return err
		}
		_, err := f.Write(body)
		return err
	})
}

// grownJoins returns the newest grown joins in ix's folder that hold for
// ix (read and checked, with the documents added and removed since), if
// any made after generation after; ErrCorrupt if they are damaged.
func (ix *Index) grownJoins(after int64) (gr grown, found bool, err error) {
	g, ok := newestGeneration(ix.dir, joinsFormat, ix.m.Generation)
	if !ok || g <= after {
		return gr, false, nil
	}
	path := filepath.Join(ix.dir, joinsName(g))
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return gr, false, nil // removed by a writer meanwhile
	}
	if err != nil {
		return gr, false, err
	}
	gr, err = decodeJoinsFile(path, data, g)
	if err != nil {
		return gr, true, err
	}
	if holds(gr.head.Segments, ix.m) != nil {
		return grown{}, false, nil
	}
	return gr, true, nil
}

// decodeJoinsFile checks the bytes data of the file path as grown joins
// of generation g, and returns them.
func decodeJoinsFile(path string, data []byte, g int64) (gr grown, err error) {
	bad := func(what string) error { return fmt.Errorf("%w: %s: %s", ErrCorrupt, path, what) }
	magic, rest, _ := bytes.Cut(data, []byte("\n"))
	head, rest, _ := bytes.Cut(rest, []byte("\n"))
	sum, rest, ok := bytes.Cut(rest, []byte("\n"))
	if string(magic) != joinsMagic && string(magic) != joinsMagic1 || !ok {
		return gr, bad("not joins of this reuse")
	}
	h := &gr.head
	if err := jsonStrict(head, h); err != nil {
		return gr, bad("unreadable header: " + err.Error())
	}
	if string(magic) == joinsMagic1 && (h.ClustersOf != 0 || h.Touched != 0 || h.ClustersKept != 0) || h.Touched < 0 || h.ClustersOf < 0 || h.ClustersKept < h.Touched || h.Touched > 0 && h.ClustersOf == 0 {
		return gr, bad("unreadable header")
	}
	fields := strings.Fields(string(sum))
	if len(fields) != 2 || fields[0] != "crc32c" || len(fields[1]) != 8 {
		return gr, bad("truncated or damaged")
	}
	v, err := strconv.ParseUint(fields[1], 16, 32)
	if err != nil || h.Bytes < 0 || h.Touched > len(rest)/4 || h.Bytes != len(rest)-4*h.Touched || crc(rest) != uint32(v) {
		return gr, bad("truncated or damaged")
	}
	if h.Generation != g {
		return gr, bad(fmt.Sprintf("generation %d in a file of generation %d", h.Generation, g))
	}
	gr.joins = rest[:h.Bytes]
	for at := h.Bytes; at < len(rest); at += 4 {
		f := int32(binary.LittleEndian.Uint32(rest[at:]))
		if f < 0 || len(gr.touched) > 0 && f <= gr.touched[len(gr.touched)-1] {
			return gr, bad("touched families out of order")
		}
		gr.touched = append(gr.touched, f)
	}
	return gr, nil
}

// keptJoinsFile returns the name of the file of grown joins in dir that
// holds for m, if it is newer than the alignments that hold (aln, their
// generation; -1 for none): "" if there is none.
func keptJoinsFile(dir string, m *manifest, aln int64) string {
	h, ok := grownHead(dir, m, aln)
	if !ok {
		return ""
	}
	return joinsName(h.Generation)
}

// grownHead reads the header alone of the newest file of grown joins in
// dir, and returns it if they hold for m and are newer than generation
// aln.
func grownHead(dir string, m *manifest, aln int64) (joinsHead, bool) {
	var h joinsHead
	g, ok := newestGeneration(dir, joinsFormat, m.Generation)
	if !ok || g <= aln {
		return h, false
	}
	f, err := os.Open(filepath.Join(dir, joinsName(g)))
	if err != nil {
		return h, false
	}
	defer f.Close()
	r := bufio.NewReader(io.LimitReader(f, 1<<24))
	magic, _ := r.ReadString('\n')
	head, err := r.ReadBytes('\n')
	if err != nil || magic != joinsMagic+"\n" && magic != joinsMagic1+"\n" || jsonStrict(head, &h) != nil || h.Generation != g || holds(h.Segments, m) != nil {
		return h, false
	}
	return h, true
}

// KeptJoinsSettings returns the settings (PutAlignments' joinsSettings)
// of the newest joins of the boilerplate kept beside the index that hold
// for it, the alignments' or those grown since (their headers alone
// read), if any.
func (ix *Index) KeptJoinsSettings() (string, bool) {
	aln := int64(-1)
	settings, ok := "", false
	if h, held := keptHead(ix.dir, ix.m); held {
		aln, settings, ok = h.Generation, h.JoinsSettings, true
	}
	if h, held := grownHead(ix.dir, ix.m, aln); held {
		settings, ok = h.JoinsSettings, true
	}
	return settings, ok
}
