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

// ClusterParts is a Sink that also takes a cluster in parts, for a
// cluster too large to hold whole (a boilerplate cluster of a large
// archive has millions of members): ClusterBegin with the cluster's
// fields but Documents and Members, which it ignores; then its
// documents, in order, in any number of ClusterDocuments calls; then
// its members, in order, in any number of ClusterMembers calls; then
// ClusterEnd. What it makes of the parts is what Cluster makes of the
// whole cluster. The slices it is given are not kept past the call.
type ClusterParts interface {
	Sink
	ClusterBegin(*Cluster) error
	ClusterDocuments(ids []string) error
	ClusterMembers([]Member) error
	ClusterEnd() error
}

// Parts returns s as a ClusterParts: s itself when it is one, otherwise
// a Sink that gathers each cluster's parts and hands s the whole
// cluster at ClusterEnd.
func Parts(s Sink) ClusterParts {
	if p, ok := s.(ClusterParts); ok {
		return p
	}
	return &gatherer{Sink: s}
}

// gatherer makes a Sink a ClusterParts by gathering the parts.
type gatherer struct {
	Sink
	c Cluster
}

func (g *gatherer) ClusterBegin(c *Cluster) error {
	g.c = *c
	g.c.Documents, g.c.Members = nil, nil
	return nil
}

func (g *gatherer) ClusterDocuments(ids []string) error {
	g.c.Documents = append(g.c.Documents, ids...)
	return nil
}

func (g *gatherer) ClusterMembers(ms []Member) error {
	g.c.Members = append(g.c.Members, ms...)
	return nil
}

func (g *gatherer) ClusterEnd() error {
	err := g.Sink.Cluster(&g.c)
	g.c = Cluster{}
	return err
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
	// cluster is the cluster begun by ClusterBegin and not yet ended.
	cluster *clusterWriter
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
	if s.cluster != nil {
		return fmt.Errorf("result: a piece of %s inside a cluster given in parts", sectionNames[k])
	}
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

// ClusterBegin begins the element of a cluster given in parts; the
// JSON writer's indenter holds its depth until ClusterEnd.
func (s *jsonSink) ClusterBegin(c *Cluster) error {
	w := new(clusterWriter)
	if err := s.element(3, func(e *indenter) { w.begin(e, c) }); err != nil {
		return err
	}
	s.cluster = w
	return nil
}

func (s *jsonSink) ClusterDocuments(ids []string) error {
	return s.clusterPart("documents", func(e *indenter) { s.cluster.documents(e, ids) })
}

func (s *jsonSink) ClusterMembers(ms []Member) error {
	return s.clusterPart("members", func(e *indenter) { s.cluster.members(e, ms) })
}

func (s *jsonSink) ClusterEnd() error {
	err := s.clusterPart("end", func(e *indenter) { s.cluster.end(e) })
	s.cluster = nil
	return err
}

// clusterPart appends a part of the cluster begun, named what for the
// error of a part without a beginning.
func (s *jsonSink) clusterPart(what string, add func(e *indenter)) error {
	if s.cluster == nil {
		return fmt.Errorf("result: a cluster's %s without ClusterBegin", what)
	}
	s.j.continued(add)
	return s.j.err
}

func (s *jsonSink) Group(g *Group) error {
	return s.element(4, func(e *indenter) { appendGroup(e, g) })
}

func (s *jsonSink) End() error {
	if s.cluster != nil {
		return fmt.Errorf("result: End inside a cluster given in parts")
	}
	if err := s.open(4); err != nil {
		return err
	}
	s.close()
	s.section = 5
	s.j.str("\n}\n")
	return s.j.flush()
}
