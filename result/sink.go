package result

import (
	"fmt"
	"io"
)

// Sink receives a result piece by piece, in the order of the contract:
// Begin once, then the documents, the pairs, the clusters and the groups,
// each in their order, then End. A scan hands its result to a Sink as it
// assembles it, so that a large result (millions of passages) is written
// out without ever being held whole; Collector builds a Result, for the
// reports that need all of it.
//
// A Sink must not keep the pointers it is given past the call.
type Sink interface {
	Begin(schema string, params Params, stats Stats) error
	Document(*Document) error
	Pair(*Pair) error
	Cluster(*Cluster) error
	Group(*Group) error
	End() error
}

// Feed sends r to s: WriteJSON(w, r) is Feed(NewJSONSink(w), r). It
// stops at the first error.
func Feed(s Sink, r *Result) error {
	if err := s.Begin(resultSchema(r), r.Params, r.Stats); err != nil {
		return err
	}
	for i := range r.Documents {
		if err := s.Document(&r.Documents[i]); err != nil {
			return err
		}
	}
	for i := range r.Pairs {
		if err := s.Pair(&r.Pairs[i]); err != nil {
			return err
		}
	}
	for i := range r.Clusters {
		if err := s.Cluster(&r.Clusters[i]); err != nil {
			return err
		}
	}
	for i := range r.Groups {
		if err := s.Group(&r.Groups[i]); err != nil {
			return err
		}
	}
	return s.End()
}

// Collector is a Sink that builds a Result.
type Collector struct {
	Result Result
}

func (c *Collector) Begin(schema string, params Params, stats Stats) error {
	c.Result = Result{Schema: schema, Params: params, Stats: stats}
	return nil
}

func (c *Collector) Document(d *Document) error {
	c.Result.Documents = append(c.Result.Documents, *d)
	return nil
}

func (c *Collector) Pair(p *Pair) error {
	c.Result.Pairs = append(c.Result.Pairs, *p)
	return nil
}

func (c *Collector) Cluster(x *Cluster) error {
	c.Result.Clusters = append(c.Result.Clusters, *x)
	return nil
}

func (c *Collector) Group(g *Group) error {
	c.Result.Groups = append(c.Result.Groups, *g)
	return nil
}

func (c *Collector) End() error { return nil }

// jsonSink writes the JSON of WriteJSON as the pieces come.
type jsonSink struct {
	j       *jsonWriter
	section int // sections opened: 1 documents, 2 pairs, 3 clusters, 4 groups
	n       int // elements of the open section
}

// NewJSONSink returns a Sink writing to w the JSON that WriteJSON writes
// of the same result, byte for byte; it flushes w at End. Pieces out of
// order are an error (a bug of the caller).
func NewJSONSink(w io.Writer) Sink { return &jsonSink{j: newJSONWriter(w)} }

var sectionNames = [...]string{"", "documents", "pairs", "clusters", "groups"}

func (s *jsonSink) Begin(schema string, params Params, stats Stats) error {
	if s.section != 0 {
		return fmt.Errorf("result: Begin after the result began")
	}
	j := s.j
	if schema == "" {
		schema = Schema
	}
	j.str("{\n  \"schema\": ")
	j.value("  ", schema)
	j.str(",\n  \"params\": ")
	j.value("  ", params)
	j.str(",\n  \"stats\": ")
	j.value("  ", stats)
	return j.err
}

// open moves to section k, closing those before it (empty ones as []).
func (s *jsonSink) open(k int) error {
	if k < s.section {
		return fmt.Errorf("result: a piece of %s after %s", sectionNames[k], sectionNames[s.section])
	}
	for s.section < k {
		s.close()
		s.section++
		s.j.str(",\n  \"" + sectionNames[s.section] + "\": ")
		s.n = 0
	}
	return s.j.err
}

// close ends the open section's array.
func (s *jsonSink) close() {
	switch {
	case s.section == 0:
	case s.n == 0:
		s.j.str("[]")
	default:
		s.j.str("\n  ]")
	}
}

// element writes one element of section k by add.
func (s *jsonSink) element(k int, add func(e *indenter)) error {
	if err := s.open(k); err != nil {
		return err
	}
	if s.n == 0 {
		s.j.str("[")
	} else {
		s.j.str(",")
	}
	s.n++
	s.j.str("\n    ")
	s.j.appended("    ", add)
	return s.j.err
}

func (s *jsonSink) Document(d *Document) error {
	return s.element(1, func(e *indenter) { appendDocument(e, d) })
}

func (s *jsonSink) Pair(p *Pair) error {
	return s.element(2, func(e *indenter) { appendPair(e, p) })
}

func (s *jsonSink) Cluster(c *Cluster) error {
	return s.element(3, func(e *indenter) { appendCluster(e, c) })
}

func (s *jsonSink) Group(g *Group) error {
	return s.element(4, func(e *indenter) { appendGroup(e, g) })
}

func (s *jsonSink) End() error {
	if err := s.open(4); err != nil {
		return err
	}
	s.close()
	s.section = 5
	s.j.str("\n}\n")
	return s.j.flush()
}
