package result

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// WriteJSON writes r as JSON indented by two spaces, followed by a newline:
// the contract documented on Result. The output is byte-identical to
// encoding/json's MarshalIndent(r, "", "  ") with HTML escaping turned off
// (cluster text keeps its <, > and &), except that nil slices appear as []
// rather than null, and an empty r.Schema is written as Schema. r is not
// modified.
//
// WriteJSON streams: it encodes one document, pair, cluster or group at a
// time, so memory beyond r stays bounded by the largest element rather than
// growing with the whole output. On error (a failed write, or a NaN or
// infinite float, which JSON cannot represent) the output written so far is
// incomplete: write files through internal/atomicfile (as cmd/reuse does)
// to keep such output out of them.
func WriteJSON(w io.Writer, r *Result) error {
	return Feed(NewJSONSink(w), r)
}

// jsonWriter encodes JSON values into a bufio.Writer and keeps the first
// error; after it, every method does nothing.
type jsonWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	ind indenter // the appenders' buffer, reused
	// spillTo is spill as a value, made once: not an allocation per
	// element.
	spillTo func([]byte) error
	err     error
}

func newJSONWriter(w io.Writer) *jsonWriter {
	j := &jsonWriter{w: bufio.NewWriter(w)}
	j.spillTo = j.spill
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	return j
}

func (j *jsonWriter) str(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

// value writes v indented by two spaces as if it began on a line that starts
// with prefix, without a trailing newline.
func (j *jsonWriter) value(prefix string, v any) {
	if j.err != nil {
		return
	}
	j.buf.Reset()
	j.enc.SetIndent(prefix, "  ")
	if j.err = j.enc.Encode(v); j.err != nil {
		return
	}
	b := j.buf.Bytes()
	_, j.err = j.w.Write(b[:len(b)-1]) // drop Encode's newline
}

// appended writes what add appends, indented as value indents, as if it
// began on a line that starts with prefix.
func (j *jsonWriter) appended(prefix string, add func(e *indenter)) {
	if j.err != nil {
		return
	}
	j.ind = indenter{b: j.ind.b[:0], prefix: prefix, spill: j.spillTo}
	j.continued(add)
}

// continued writes what add appends to the element the last appended
// began, at the depth it left (a cluster given in parts).
func (j *jsonWriter) continued(add func(e *indenter)) {
	if j.err != nil {
		return
	}
	add(&j.ind)
	if j.err = j.ind.err; j.err != nil {
		return
	}
	_, j.err = j.w.Write(j.ind.b)
	j.ind.b = j.ind.b[:0]
}

// spill writes part of an element the appenders have not finished.
func (j *jsonWriter) spill(b []byte) error {
	_, err := j.w.Write(b)
	return err
}

func (j *jsonWriter) flush() error {
	if j.err == nil {
		j.err = j.w.Flush()
	}
	return j.err
}

func resultSchema(r *Result) string {
	if r.Schema == "" {
		return Schema
	}
	return r.Schema
}
