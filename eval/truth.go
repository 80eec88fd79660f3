package eval

import (
	"bufio"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// TruthSchema names the version of the ground-truth file format.
const TruthSchema = "reuse.truth/v1"

// Classes of planted reuse, as they appear in Case.Class.
const (
	ClassVerbatim    = "verbatim"
	ClassReformatted = "reformatted"
	ClassLight       = "light"
	ClassHeavy       = "heavy"
	ClassRemix       = "remix"
	ClassQuote       = "quote"
	ClassSyndicated  = "syndicated"
)

// Classes returns the planted classes in their reporting order.
func Classes() []string {
	return []string{ClassVerbatim, ClassReformatted, ClassLight, ClassHeavy,
		ClassRemix, ClassQuote, ClassSyndicated}
}

// ErrSchema reports a truth file of another format or version.
var ErrSchema = errors.New("eval: unknown truth schema")

// Truth is the ground truth of a generated corpus (see the package doc for
// the file format).
type Truth struct {
	Schema string `json:"schema"`
	Seed   uint64 `json:"seed"`
	// Documents sorted by ID.
	Documents []TruthDoc `json:"documents"`
	// Cases sorted by (Target, TargetStart, Source, SourceStart).
	Cases []Case `json:"cases"`
	// Groups of syndicated copies: each sorted, groups sorted by first ID.
	Groups [][]string `json:"groups"`
	// Pairs, when not empty, are the only document pairs a result is
	// scored on (PAN's pairs files: suspicious document, source
	// document): detections in other pairs are ignored, as PAN's scorer
	// ignores them. Sorted, each pair in the order given.
	Pairs [][2]string `json:"pairs,omitempty"`
}

// Merge adds o's documents (those t lacks), cases, groups and pairs to t
// and sorts it: the truth of several PAN sub-corpora scored as one.
func (t *Truth) Merge(o *Truth) {
	have := make(map[string]bool, len(t.Documents))
	for _, d := range t.Documents {
		have[d.ID] = true
	}
	for _, d := range o.Documents {
		if !have[d.ID] {
			have[d.ID] = true
			t.Documents = append(t.Documents, d)
		}
	}
	t.Cases = append(t.Cases, o.Cases...)
	t.Groups = append(t.Groups, o.Groups...)
	t.Pairs = append(t.Pairs, o.Pairs...)
	t.Sort()
}

// TruthDoc is one document of the corpus.
type TruthDoc struct {
	// ID is the slash-separated path relative to the corpus folder.
	ID    string `json:"id"`
	Bytes int    `json:"bytes"`
	// Date is the document's date stamp, YYYY-MM-DD.
	Date string `json:"date,omitempty"`
}

// Case is one planted reuse: the source's bytes [SourceStart, SourceEnd)
// reappear, transformed as Class says, at [TargetStart, TargetEnd) of the
// target. Offsets are byte offsets into the files as written, end exclusive.
type Case struct {
	Class       string `json:"class"`
	Source      string `json:"source"`
	SourceStart int    `json:"source_start"`
	SourceEnd   int    `json:"source_end"`
	Target      string `json:"target"`
	TargetStart int    `json:"target_start"`
	TargetEnd   int    `json:"target_end"`
}

func compareCases(a, b Case) int {
	return cmp.Or(cmp.Compare(a.Target, b.Target), cmp.Compare(a.TargetStart, b.TargetStart),
		cmp.Compare(a.Source, b.Source), cmp.Compare(a.SourceStart, b.SourceStart),
		cmp.Compare(a.TargetEnd, b.TargetEnd), cmp.Compare(a.SourceEnd, b.SourceEnd),
		cmp.Compare(a.Class, b.Class))
}

// Sort puts documents, cases and groups in their documented order.
func (t *Truth) Sort() {
	slices.SortFunc(t.Documents, func(a, b TruthDoc) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(t.Cases, compareCases)
	for _, g := range t.Groups {
		slices.Sort(g)
	}
	slices.SortFunc(t.Groups, func(a, b []string) int { return slices.Compare(a, b) })
	slices.SortFunc(t.Pairs, func(a, b [2]string) int { return slices.Compare(a[:], b[:]) })
	t.Pairs = slices.Compact(t.Pairs)
}

// Encode writes t as JSON, one document, case or group per line.
func (t *Truth) Encode(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	seed, _ := json.Marshal(t.Seed)
	fmt.Fprintf(bw, "{\"schema\":%q,\"seed\":%s,\n\"documents\":[", t.Schema, seed)
	if err := encodeList(bw, t.Documents); err != nil {
		return err
	}
	bw.WriteString("],\n\"cases\":[")
	if err := encodeList(bw, t.Cases); err != nil {
		return err
	}
	bw.WriteString("],\n\"groups\":[")
	if err := encodeList(bw, t.Groups); err != nil {
		return err
	}
	if len(t.Pairs) > 0 {
		bw.WriteString("],\n\"pairs\":[")
		if err := encodeList(bw, t.Pairs); err != nil {
			return err
		}
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

func encodeList[T any](bw *bufio.Writer, list []T) error {
	for i := range list {
		b, err := json.Marshal(list[i])
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		bw.Write(b)
	}
	if len(list) > 0 {
		bw.WriteByte('\n')
	}
	return nil
}

// DecodeTruth reads a truth file's JSON.
func DecodeTruth(r io.Reader) (*Truth, error) {
	var t Truth
	if err := json.NewDecoder(bufio.NewReader(r)).Decode(&t); err != nil {
		return nil, err
	}
	if t.Schema != TruthSchema {
		return nil, fmt.Errorf("%w %q", ErrSchema, t.Schema)
	}
	return &t, nil
}

// WriteTruth writes t to the file at path.
func WriteTruth(path string, t *Truth) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = t.Encode(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%v: %w", path, err)
	}
	return nil
}

// ReadTruth reads the truth file at path.
func ReadTruth(path string) (*Truth, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := DecodeTruth(f)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", path, err)
	}
	return t, nil
}
