package archive

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/reuse-tool/reuse/internal/atomicfile"
)

// Alignments beside an index: the archive's own pairs aligned once
// (reuse.AlignIndex), which checks take instead of aligning them again
// (package pairs encodes them; this file only keeps them). They hold for
// one generation of the index and the settings they were made with;
// any change to the index leaves them stale, and the next writer removes
// them (tidy).
//
// The file is a000007.aln for generation 7:
//
//	reuse-alignments 1
//	{"generation":7,"settings":"min-words 9, max-df 100","bytes":123}
//	crc32c 1a2b3c4d
//	<bytes bytes of alignments>
//
// the checksum (CRC-32C, hex) being that of the alignments.

// alignmentsName returns the name of the alignments of generation g.
func alignmentsName(g int64) string { return fmt.Sprintf("a%06d.aln", g) }

const alignmentsMagic = "reuse-alignments 1"

// PutAlignments keeps data, the alignments of the index's pairs under
// settings, beside the index as it stands (written to a temporary file,
// synced, renamed), replacing any kept before.
func (w *Writer) PutAlignments(settings string, data []byte) error {
	g := w.ix.m.Generation
	head := fmt.Sprintf("%s\n{\"generation\":%d,\"settings\":%s,\"bytes\":%d}\ncrc32c %08x\n", alignmentsMagic, g, strconv.Quote(settings), len(data), crc(data))
	err := atomicfile.Write(filepath.Join(w.dir, alignmentsName(g)), func(f io.Writer) error {
		if _, err := io.WriteString(f, head); err != nil {
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

// Alignments returns the alignments kept beside the index for its
// generation and settings (read whole and checked), or nil, with the
// settings they were made with (ErrStale), when there are none for them.
// A damaged file is ErrCorrupt.
func (ix *Index) Alignments(settings string) ([]byte, error) {
	made, body, err := readAlignments(ix.dir, ix.m.Generation)
	if err != nil {
		return nil, err
	}
	if made != settings {
		return nil, fmt.Errorf("%w: made for %s, not %s", ErrStale, made, settings)
	}
	return body, nil
}

// AlignmentsStats describe the alignments kept beside an index.
type AlignmentsStats struct {
	Settings string `json:"settings"` // what they were made for
	Bytes    int64  `json:"bytes"`
}

// KeptAlignments returns what the alignments kept beside the index for
// its generation hold, false if there are none; a damaged file is
// ErrCorrupt.
func (ix *Index) KeptAlignments() (AlignmentsStats, bool, error) {
	made, body, err := readAlignments(ix.dir, ix.m.Generation)
	if errors.Is(err, ErrStale) {
		return AlignmentsStats{}, false, nil
	}
	if err != nil {
		return AlignmentsStats{}, false, err
	}
	return AlignmentsStats{Settings: made, Bytes: int64(len(body))}, true, nil
}

// readAlignments reads and checks the alignments of generation g kept in
// dir, and returns the settings they were made for and their bytes.
func readAlignments(dir string, g int64) (string, []byte, error) {
	path := filepath.Join(dir, alignmentsName(g))
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil, fmt.Errorf("%w: none for generation %d", ErrStale, g)
	}
	if err != nil {
		return "", nil, err
	}
	return decodeAlignments(path, data, g)
}

// decodeAlignments checks the bytes data of the file path as alignments
// of generation g, and returns their settings and alignments.
func decodeAlignments(path string, data []byte, g int64) (string, []byte, error) {
	bad := func(what string) error { return fmt.Errorf("%w: %s: %s", ErrCorrupt, path, what) }
	magic, rest, _ := bytes.Cut(data, []byte("\n"))
	head, rest, _ := bytes.Cut(rest, []byte("\n"))
	sum, body, ok := bytes.Cut(rest, []byte("\n"))
	if string(magic) != alignmentsMagic || !ok {
		return "", nil, bad("not alignments of reuse")
	}
	var h struct {
		Generation int64  `json:"generation"`
		Settings   string `json:"settings"`
		Bytes      int    `json:"bytes"`
	}
	if err := jsonStrict(head, &h); err != nil {
		return "", nil, bad("unreadable header: " + err.Error())
	}
	s, err := strconv.ParseUint(string(bytes.TrimPrefix(sum, []byte("crc32c "))), 16, 32)
	if err != nil || !bytes.HasPrefix(sum, []byte("crc32c ")) || h.Bytes != len(body) || uint32(s) != crc(body) {
		return "", nil, bad("truncated or damaged")
	}
	if h.Generation != g {
		return "", nil, bad(fmt.Sprintf("generation %d in a file of generation %d", h.Generation, g))
	}
	return h.Settings, body, nil
}

// ErrStale reports alignments that do not hold for what is asked: none
// kept for the index's generation, or kept for other settings.
var ErrStale = errors.New("archive: no alignments for these settings")

// jsonStrict decodes data into v, refusing unknown fields.
func jsonStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
