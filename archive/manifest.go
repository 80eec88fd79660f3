package archive

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/reuse-tool/reuse/internal/atomicfile"
)

// Params are the settings an index was made with: those of stage 1, which
// every document of the index and every document checked against it must
// share. (A check chooses its own --min-words and --max-df.)
type Params struct {
	Shingle   int     `json:"shingle"`   // tokens per fingerprint shingle
	Window    int     `json:"window"`    // winnowing window, in shingles
	Seed      int     `json:"seed"`      // tokens per alignment seed
	Signature int     `json:"signature"` // MinHash values per signature
	Threshold float64 `json:"threshold"` // near-duplicate threshold the band keys are cut for
	Bands     int     `json:"bands"`     // LSH bands × rows of a signature (cluster.Bands)
	Rows      int     `json:"rows"`
	// Reworded marks an index made for reworded reuse, as a scan with
	// --reworded finds it: every document is analyzed (not only prose),
	// and the keys of reworded sentences (Keys) are stored, so that a
	// check finds reuse that shares no exact passage.
	Reworded bool `json:"reworded,omitempty"`
}

// manifest is what MANIFEST holds (see format.go).
type manifest struct {
	Generation  int64         `json:"generation"`
	Root        string        `json:"root"`
	Params      Params        `json:"params"`
	NextSegment int64         `json:"next_segment"`
	Segments    []segmentInfo `json:"segments"`
}

// segmentInfo is one segment as the manifest lists it.
type segmentInfo struct {
	Name    string `json:"name"`
	Docs    int    `json:"docs"`
	Bytes   int64  `json:"bytes"`
	Removed string `json:"removed,omitempty"` // its removal file
	Dead    int    `json:"dead,omitempty"`    // documents removed
}

const manifestName = "MANIFEST"

// ErrVersion reports an index of another format version.
var ErrVersion = errors.New("archive: index format version not supported")

// ErrNotIndex reports a folder that holds no index.
var ErrNotIndex = errors.New("archive: not an index")

// encodeManifest returns the bytes of MANIFEST for m.
func encodeManifest(m *manifest) ([]byte, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "reuse-index %d\n%s\ncrc32c %08x\n", FormatVersion, body, crc(body))
	return b.Bytes(), nil
}

// decodeManifest parses the bytes of MANIFEST; dir names the index in
// errors.
func decodeManifest(dir string, data []byte) (*manifest, error) {
	path := filepath.Join(dir, manifestName)
	bad := func(what string) error { return fmt.Errorf("%w: %s: %s", ErrCorrupt, path, what) }
	first, rest, ok := bytes.Cut(data, []byte("\n"))
	if !ok || !bytes.HasPrefix(first, []byte("reuse-index ")) {
		return nil, bad("not a manifest of reuse")
	}
	v, err := strconv.Atoi(string(first[len("reuse-index "):]))
	if err != nil {
		return nil, bad("unreadable version")
	}
	if v != FormatVersion {
		what := "an older"
		if v > FormatVersion {
			what = "a newer"
		}
		return nil, fmt.Errorf("%w: %s is an index of format version %d, made by %s reuse; this reuse reads version %d: "+
			"make the index again with this reuse (reuse index create), or use the reuse that made it", ErrVersion, dir, v, what, FormatVersion)
	}
	body, rest, ok := bytes.Cut(rest, []byte("\n"))
	if !ok {
		return nil, bad("truncated")
	}
	line, rest, ok := bytes.Cut(rest, []byte("\n"))
	if !ok || len(rest) != 0 || !bytes.HasPrefix(line, []byte("crc32c ")) {
		return nil, bad("truncated or damaged")
	}
	sum, err := strconv.ParseUint(string(line[len("crc32c "):]), 16, 32)
	if err != nil || uint32(sum) != crc(body) {
		return nil, bad("checksum mismatch")
	}
	var m manifest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, bad("unreadable: " + err.Error())
	}
	if err := m.check(); err != nil {
		return nil, bad(err.Error())
	}
	return &m, nil
}

// check refuses a manifest whose values cannot be right.
func (m *manifest) check() error {
	p := m.Params
	switch {
	case p.Shingle < 1 || p.Shingle > 64 || p.Window < 1 || p.Window > 1024 || p.Seed < 1 || p.Seed > 64 ||
		p.Signature < 1 || p.Signature > 1024 || !(p.Threshold > 0 && p.Threshold <= 1) ||
		p.Bands < 1 || p.Rows < 1 || p.Bands*p.Rows > p.Signature:
		return errors.New("settings out of range")
	case m.Generation < 0 || m.NextSegment < 0:
		return errors.New("negative counters")
	}
	seen := map[string]bool{}
	for _, s := range m.Segments {
		if !validName(s.Name, ".seg") || seen[s.Name] || s.Docs < 0 || s.Dead < 0 || s.Dead > s.Docs ||
			(s.Removed != "" && !validName(s.Removed, ".del")) || (s.Removed == "") != (s.Dead == 0) {
			return fmt.Errorf("segment %q listed wrong", s.Name)
		}
		seen[s.Name] = true
	}
	return nil
}

// validName reports whether name is a plain file name of the index with
// the given extension: no folder, nothing hidden.
func validName(name, ext string) bool {
	return strings.HasSuffix(name, ext) && len(name) > len(ext) && !strings.ContainsAny(name, `/\`) &&
		!strings.HasPrefix(name, ".") && name == filepath.Base(name)
}

// readManifest reads dir's MANIFEST.
func readManifest(dir string) (*manifest, error) {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("%w: %s is a file", ErrNotIndex, dir)
	}
	data, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, os.ErrNotExist) {
		if _, serr := os.Stat(dir); serr != nil {
			return nil, fmt.Errorf("%s: %w", dir, unwrapPath(serr))
		}
		return nil, fmt.Errorf("%w: %s has no MANIFEST", ErrNotIndex, dir)
	}
	if err != nil {
		return nil, err
	}
	return decodeManifest(dir, data)
}

// writeManifest publishes m as dir's MANIFEST, atomically.
func writeManifest(dir string, m *manifest) error {
	data, err := encodeManifest(m)
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, manifestName), func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// encodeRemoved returns the bytes of a removal file of the documents dead
// (ascending).
func encodeRemoved(dead []uint32) []byte {
	b := []byte(delMagic)
	b = binary.AppendUvarint(b, uint64(len(dead)))
	var last uint32
	for _, d := range dead {
		b = binary.AppendUvarint(b, uint64(d-last))
		last = d
	}
	return binary.LittleEndian.AppendUint32(b, crc(b))
}

// decodeRemoved reads a removal file of a segment of docs documents.
func decodeRemoved(name string, data []byte, docs int) ([]bool, int, error) {
	bad := func(what string) ([]bool, int, error) {
		return nil, 0, fmt.Errorf("%w: %s: %s", ErrCorrupt, name, what)
	}
	if len(data) < len(delMagic)+4 || string(data[:len(delMagic)]) != delMagic {
		return bad("not a removal file")
	}
	body := data[:len(data)-4]
	if crc(body) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return bad("checksum mismatch")
	}
	r := reader{B: body[len(delMagic):]}
	n := r.Uvarint()
	if r.Bad || n > uint64(docs) {
		return bad("unreadable")
	}
	dead := make([]bool, docs)
	var d uint64
	for i := range n {
		g := r.Uvarint()
		if i > 0 && g == 0 {
			return bad("documents out of order")
		}
		d += g
		if r.Bad || d >= uint64(docs) {
			return bad("unreadable")
		}
		dead[d] = true
	}
	if len(r.B) != 0 {
		return bad("trailing bytes")
	}
	return dead, int(n), nil
}
