package report

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"strconv"

	"github.com/reuse-tool/reuse/result"
)

// WriteJSONL writes r as JSON Lines: one complete, compact JSON object per
// line, each with a "type" field naming what it holds, in this order:
//
//	{"type":"scan","schema":...,"params":{...},"stats":{...}}   exactly one, first
//	{"type":"document","id":...,"path":...,...}                 one per Document, by ID
//	{"type":"pair","a":...,"b":...,...,"passages":[...]}        one per Pair, by (A, B)
//	{"type":"cluster","id":...,...,"members":[...]}             one per Cluster, by ID
//	{"type":"group","id":...,"documents":[...],"min_pct":...}   one per Group, by ID
//
// Apart from "type", a line's fields are those of the Result field, Document,
// Pair, Cluster or Group it holds, with the same names and meanings as in
// result.WriteJSON. Nil slices appear as []. A reader can process the stream
// line by line, keep only the lines it needs (grep '"type":"pair"'), and tell
// a truncated stream from a complete one by comparing the number of lines of
// each type with the counts in the scan line's stats.
//
// Errors are reported as for result.WriteJSON; r is not modified.
func WriteJSONL(w io.Writer, r *result.Result) error {
	return result.Feed(NewJSONLSink(w), r)
}

// NewJSONLSink returns a result.Sink writing what WriteJSONL writes, a
// line at a time as the pieces come; it flushes w at End.
func NewJSONLSink(w io.Writer) result.Sink {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw) // one compact value and a newline per Encode
	enc.SetEscapeHTML(false)
	return &jsonlSink{bw: bw, enc: enc}
}

type jsonlSink struct {
	bw   *bufio.Writer
	enc  *json.Encoder
	buf  []byte       // a cluster's line, or its last part
	err  error        // a write error of a line's parts
	part *clusterLine // the cluster begun by ClusterBegin and not yet ended
}

func (s *jsonlSink) Begin(schema string, params result.Params, stats result.Stats) error {
	if schema == "" {
		schema = result.Schema
	}
	return s.enc.Encode(jsonlScan{"scan", schema, params, stats})
}

func (s *jsonlSink) Document(d *result.Document) error { return s.line("document", d) }

func (s *jsonlSink) Pair(p *result.Pair) error { return s.line("pair", p) }

// line writes v's line (result.AppendJSONLine): what encoding/json writes
// of a jsonlDocument, jsonlPair or jsonlGroup, without its reflection
// (the Linux tree's pairs, with their passages' texts, are 4.6 GB of
// lines).
func (s *jsonlSink) line(typ string, v any) error {
	if s.part != nil {
		return errors.New("report: a " + typ + " inside a cluster given in parts")
	}
	b, err := result.AppendJSONLine(s.buf[:0], typ, v)
	s.buf = b[:0]
	if err != nil {
		return err
	}
	_, err = s.bw.Write(b)
	return err
}

// Cluster writes c's line as encoding/json writes a jsonlCluster, a
// megabyte at a time: a boilerplate cluster of a large archive has
// millions of members, and its line is hundreds of megabytes.
// TestJSONLClusterBytes holds it to encoding/json.
func (s *jsonlSink) Cluster(c *result.Cluster) error {
	if err := s.ClusterBegin(c); err != nil {
		return err
	}
	s.ClusterDocuments(c.Documents)
	s.ClusterMembers(c.Members)
	return s.ClusterEnd()
}

// ClusterBegin begins the line of a cluster given in parts
// (result.ClusterParts); its parts are written as Cluster writes them.
func (s *jsonlSink) ClusterBegin(c *result.Cluster) error {
	if s.part != nil {
		return errors.New("report: a cluster begun inside another")
	}
	s.part = &clusterLine{head: result.Cluster{Earliest: c.Earliest, Boilerplate: c.Boilerplate, Incomplete: c.Incomplete, Text: c.Text}}
	b := append(s.buf[:0], `{"type":"cluster","id":`...)
	b = strconv.AppendInt(b, int64(c.ID), 10)
	s.buf = append(b, `,"documents":[`...)
	return nil
}

// clusterLine is the state of a cluster's line written in parts.
type clusterLine struct {
	head       result.Cluster // the fields written after the documents
	docs, mems int            // elements written so far
	afterDocs  bool           // the documents closed, the members' key written
}

func (s *jsonlSink) ClusterDocuments(ids []string) error {
	if s.part == nil {
		return errors.New("report: a cluster's documents without ClusterBegin")
	}
	b := s.buf
	for _, d := range ids {
		if s.part.docs > 0 {
			b = append(b, ',')
		}
		s.part.docs++
		b = result.AppendJSONString(b, d)
		b = s.spill(b)
	}
	s.buf = b
	return s.err
}

// closeDocuments ends the documents (the first time only) and appends
// the fields between them and the members.
func (s *jsonlSink) closeDocuments() {
	p := s.part
	if p.afterDocs {
		return
	}
	p.afterDocs = true
	b := append(s.buf, ']')
	if p.head.Earliest != "" {
		b = append(b, `,"earliest":`...)
		b = result.AppendJSONString(b, p.head.Earliest)
	}
	if p.head.Boilerplate {
		b = append(b, `,"boilerplate":true`...)
	}
	if p.head.Incomplete {
		b = append(b, `,"incomplete":true`...)
	}
	b = append(b, `,"text":`...)
	b = result.AppendJSONString(b, p.head.Text)
	s.buf = append(b, `,"members":[`...)
}

func (s *jsonlSink) ClusterMembers(ms []result.Member) error {
	if s.part == nil {
		return errors.New("report: a cluster's members without ClusterBegin")
	}
	s.closeDocuments()
	b := s.buf
	for _, m := range ms {
		if s.part.mems > 0 {
			b = append(b, ',')
		}
		s.part.mems++
		b = append(b, `{"doc":`...)
		b = result.AppendJSONString(b, m.Doc)
		b = append(b, `,"start":`...)
		b = strconv.AppendInt(b, int64(m.Start), 10)
		b = append(b, `,"end":`...)
		b = strconv.AppendInt(b, int64(m.End), 10)
		b = append(b, '}')
		b = s.spill(b)
	}
	s.buf = b
	return s.err
}

func (s *jsonlSink) ClusterEnd() error {
	if s.part == nil {
		return errors.New("report: a cluster's end without ClusterBegin")
	}
	s.closeDocuments()
	b := append(s.buf, "]}\n"...)
	s.buf, s.part = b[:0], nil
	_, err := s.bw.Write(b)
	if err == nil {
		err = s.err
	}
	s.err = nil
	return err
}

// spill writes b once it holds spillBytes, and returns what is left of
// it to append to.
func (s *jsonlSink) spill(b []byte) []byte {
	if len(b) < spillBytes {
		return b
	}
	if _, err := s.bw.Write(b); err != nil && s.err == nil {
		s.err = err
	}
	return b[:0]
}

// spillBytes is the most of a line the JSON Lines writer holds.
const spillBytes = 1 << 20

func (s *jsonlSink) Group(g *result.Group) error { return s.line("group", g) }

func (s *jsonlSink) End() error { return s.bw.Flush() }

// The line types, what each line holds as encoding/json writes it (the
// tests hold the writer to them). encoding/json promotes the fields of an
// embedded struct, so each line is flat: "type" followed by the element's
// own fields.

type jsonlScan struct {
	Type   string        `json:"type"`
	Schema string        `json:"schema"`
	Params result.Params `json:"params"`
	Stats  result.Stats  `json:"stats"`
}

type jsonlDocument struct {
	Type string `json:"type"`
	result.Document
}

type jsonlPair struct {
	Type string `json:"type"`
	result.Pair
}

type jsonlCluster struct {
	Type string `json:"type"`
	result.Cluster
}

type jsonlGroup struct {
	Type string `json:"type"`
	result.Group
}
