package result

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// The JSON sink writes millions of documents, pairs and clusters, one core
// doing it while the others wait (docs/benchmarks.md, "Where the time goes
// on the Linux tree"). These appenders write an element as encoding/json
// does (Encoder with SetEscapeHTML(false) and SetIndent(prefix, "  "))
// byte for byte, at a fraction of the cost: no reflection and no second
// pass to indent. TestAppendMatchesEncodingJSON and FuzzAppendString hold
// them to encoding/json; a field added to a type must be added here too
// (the test fills every field and fails otherwise).

// indenter writes the layout of indented JSON into b.
type indenter struct {
	b       []byte
	prefix  string
	depth   int
	compact bool  // no line breaks or indentation: encoding/json's Marshal
	err     error // the first value JSON cannot hold (NaN, ±Inf), or spill's error
	// spill, when not nil, takes what b holds at the start of an array's
	// element once it reaches spillBytes: a boilerplate cluster of
	// millions of members is written as it is appended, not held whole.
	spill func([]byte) error
}

// spillBytes is the size of b handed to spill.
const spillBytes = 1 << 20

// newline starts a line at the current depth.
func (e *indenter) newline() {
	if e.compact {
		return
	}
	e.b = append(e.b, '\n')
	e.b = append(e.b, e.prefix...)
	for range e.depth {
		e.b = append(e.b, "  "...)
	}
}

// open writes an object's or array's opening bracket.
func (e *indenter) open(c byte) {
	e.b = append(e.b, c)
	e.depth++
}

// close writes the closing bracket on its own line.
func (e *indenter) close(c byte) {
	e.depth--
	e.newline()
	e.b = append(e.b, c)
}

// key starts a field: the comma after the previous one unless first.
func (e *indenter) key(name string, first bool) {
	if !first {
		e.b = append(e.b, ',')
	}
	e.newline()
	e.b = append(e.b, '"')
	e.b = append(e.b, name...)
	if e.compact {
		e.b = append(e.b, `":`...)
		return
	}
	e.b = append(e.b, `": `...)
}

// element starts an array's element.
func (e *indenter) element(first bool) {
	if e.spill != nil && len(e.b) >= spillBytes && e.err == nil {
		e.err = e.spill(e.b)
		e.b = e.b[:0]
	}
	if !first {
		e.b = append(e.b, ',')
	}
	e.newline()
}

func (e *indenter) str(s string) { e.b = AppendJSONString(e.b, s) }
func (e *indenter) int(n int)    { e.b = strconv.AppendInt(e.b, int64(n), 10) }

func (e *indenter) bool(v bool) { e.b = strconv.AppendBool(e.b, v) }

func (e *indenter) float(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		if e.err == nil {
			e.err = fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, 64))
		}
		e.b = append(e.b, '0')
		return
	}
	e.b = appendFloat(e.b, f)
}

// strings writes a list of strings, [] when empty.
func (e *indenter) strings(list []string) {
	if len(list) == 0 {
		e.b = append(e.b, "[]"...)
		return
	}
	e.open('[')
	for i, s := range list {
		e.element(i == 0)
		e.str(s)
	}
	e.close(']')
}

// appendFloat formats f as encoding/json does: the shortest decimal that
// reads back as f, in exponent form (e-7, not e-07) outside [1e-6, 1e21).
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s to b quoted as encoding/json quotes it with
// HTML escaping off: quotation mark, backslash and control characters
// escaped (\b \f \n \r \t by name, the rest as \u00XX), invalid UTF-8 as
// \ufffd, and U+2028 and U+2029 escaped for JavaScript. The JSON Lines
// writer uses it too.
func AppendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, `\b`...)
			case '\f':
				b = append(b, `\f`...)
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			case '\t':
				b = append(b, `\t`...)
			default:
				b = append(b, `\u00`...)
				b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, `\u202`...)
			b = append(b, hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendJSONLine appends v (a *Document, *Pair or *Group) as one line of
// JSON Lines: the compact JSON encoding/json writes of a struct with the
// field "type": typ followed by v's own fields (HTML escaping off, nil
// slices as []), and a newline. It reports the values JSON cannot hold
// (NaN, ±Inf), and panics on another type of v (a programmer's error).
// It writes a pair with its passages' texts in about two thirds of the
// time encoding/json takes, without allocating (BenchmarkJSONLinePair;
// docs/benchmarks.md, "JSON Lines").
func AppendJSONLine(b []byte, typ string, v any) ([]byte, error) {
	e := indenter{b: b, compact: true}
	e.b = append(e.b, `{"type":`...)
	e.str(typ)
	e.b = append(e.b, ',')
	at := len(e.b) // where v's own '{' goes: dropped below
	switch x := v.(type) {
	case *Document:
		appendDocument(&e, x)
	case *Pair:
		appendPair(&e, x)
	case *Group:
		appendGroup(&e, x)
	default:
		panic(fmt.Sprintf("result: AppendJSONLine of %T", v))
	}
	e.b = append(e.b[:at], e.b[at+1:]...)
	return append(e.b, '\n'), e.err
}

// appendDocument appends d as an element of the documents array.
func appendDocument(e *indenter, d *Document) {
	e.open('{')
	e.key("id", true)
	e.str(d.ID)
	e.key("path", false)
	e.str(d.Path)
	e.key("bytes", false)
	e.int(d.Bytes)
	e.key("words", false)
	e.int(d.Words)
	if d.Date != "" {
		e.key("date", false)
		e.str(d.Date)
	}
	e.key("reused_words", false)
	e.int(d.ReusedWords)
	e.key("reused_pct", false)
	e.float(d.ReusedPct)
	if d.Archived {
		e.key("archived", false)
		e.bool(d.Archived)
	}
	e.close('}')
}

// appendPair appends p, its passages [] when there are none.
func appendPair(e *indenter, p *Pair) {
	e.open('{')
	e.key("a", true)
	e.str(p.A)
	e.key("b", false)
	e.str(p.B)
	e.key("a_pct", false)
	e.float(p.APct)
	e.key("b_pct", false)
	e.float(p.BPct)
	e.key("shared_words", false)
	e.int(p.SharedWords)
	e.key("jaccard", false)
	e.float(p.Jaccard)
	e.key("passages", false)
	if len(p.Passages) == 0 {
		e.b = append(e.b, "[]"...)
	} else {
		e.open('[')
		for i := range p.Passages {
			e.element(i == 0)
			appendPassage(e, &p.Passages[i])
		}
		e.close(']')
	}
	e.close('}')
}

func appendPassage(e *indenter, p *Passage) {
	e.open('{')
	e.key("a_start", true)
	e.int(p.AStart)
	e.key("a_end", false)
	e.int(p.AEnd)
	e.key("b_start", false)
	e.int(p.BStart)
	e.key("b_end", false)
	e.int(p.BEnd)
	e.key("words", false)
	e.int(p.Words)
	if p.Kind != "" {
		e.key("kind", false)
		e.str(p.Kind)
	}
	e.key("similarity", false)
	e.float(p.Similarity)
	e.key("cluster", false)
	e.int(p.Cluster)
	if p.AText != "" {
		e.key("a_text", false)
		e.str(p.AText)
	}
	if p.BText != "" {
		e.key("b_text", false)
		e.str(p.BText)
	}
	e.close('}')
}

// appendCluster appends c, its documents and members [] when there are
// none: what a clusterWriter appends of it in parts.
func appendCluster(e *indenter, c *Cluster) {
	var w clusterWriter
	w.begin(e, c)
	w.documents(e, c.Documents)
	w.members(e, c.Members)
	w.end(e)
}

// clusterWriter appends a cluster's JSON in parts (a boilerplate cluster
// of a large archive has millions of members, never held whole): begin
// with its fields but Documents and Members, then the documents, then the
// members, each in as many calls as they come, then end. The bytes are
// those of the whole cluster.
type clusterWriter struct {
	head       Cluster // the fields written after the documents
	docs, mems int     // elements appended so far
	afterDocs  bool    // the documents closed, the members' key written
}

func (w *clusterWriter) begin(e *indenter, c *Cluster) {
	*w = clusterWriter{head: Cluster{Earliest: c.Earliest, Boilerplate: c.Boilerplate, Incomplete: c.Incomplete, Text: c.Text}}
	e.open('{')
	e.key("id", true)
	e.int(c.ID)
	e.key("documents", false)
}

func (w *clusterWriter) documents(e *indenter, ids []string) {
	for _, id := range ids {
		if w.docs == 0 {
			e.open('[')
		}
		e.element(w.docs == 0)
		e.str(id)
		w.docs++
	}
}

// closeDocuments ends the documents (the first time only) and appends
// the fields between them and the members.
func (w *clusterWriter) closeDocuments(e *indenter) {
	if w.afterDocs {
		return
	}
	w.afterDocs = true
	if w.docs == 0 {
		e.b = append(e.b, "[]"...)
	} else {
		e.close(']')
	}
	if w.head.Earliest != "" {
		e.key("earliest", false)
		e.str(w.head.Earliest)
	}
	if w.head.Boilerplate {
		e.key("boilerplate", false)
		e.bool(w.head.Boilerplate)
	}
	if w.head.Incomplete {
		e.key("incomplete", false)
		e.bool(w.head.Incomplete)
	}
	e.key("text", false)
	e.str(w.head.Text)
	e.key("members", false)
}

func (w *clusterWriter) members(e *indenter, ms []Member) {
	w.closeDocuments(e)
	for _, m := range ms {
		if w.mems == 0 {
			e.open('[')
		}
		e.element(w.mems == 0)
		e.open('{')
		e.key("doc", true)
		e.str(m.Doc)
		e.key("start", false)
		e.int(m.Start)
		e.key("end", false)
		e.int(m.End)
		e.close('}')
		w.mems++
	}
}

func (w *clusterWriter) end(e *indenter) {
	w.closeDocuments(e)
	if w.mems == 0 {
		e.b = append(e.b, "[]"...)
	} else {
		e.close(']')
	}
	e.close('}')
}

// appendGroup appends g, its documents [] when there are none.
func appendGroup(e *indenter, g *Group) {
	e.open('{')
	e.key("id", true)
	e.int(g.ID)
	e.key("documents", false)
	e.strings(g.Documents)
	e.key("min_pct", false)
	e.float(g.MinPct)
	if g.Incomplete {
		e.key("incomplete", false)
		e.bool(g.Incomplete)
	}
	e.close('}')
}
