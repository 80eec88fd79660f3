package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/result/resulttest"
)

// TestWriteJSONLLines checks that every line is one JSON object of the right
// type, in order, and that it decodes back to the element it came from.
func TestWriteJSONLLines(t *testing.T) {
	for _, r := range []*result.Result{resulttest.Scan(), resulttest.NoReuse(), {}, resulttest.NilSlices()} {
		var buf bytes.Buffer
		if err := WriteJSONL(&buf, r); err != nil {
			t.Fatal(err)
		}
		n := resulttest.Normalize(r)
		var want []string
		var elems []any
		want = append(want, "scan")
		elems = append(elems, jsonlScan{"scan", n.Schema, n.Params, n.Stats})
		for _, d := range n.Documents {
			want = append(want, "document")
			elems = append(elems, jsonlDocument{"document", d})
		}
		for _, p := range n.Pairs {
			want = append(want, "pair")
			elems = append(elems, jsonlPair{"pair", p})
		}
		for _, c := range n.Clusters {
			want = append(want, "cluster")
			elems = append(elems, jsonlCluster{"cluster", c})
		}
		for _, g := range n.Groups {
			want = append(want, "group")
			elems = append(elems, jsonlGroup{"group", g})
		}

		sc := bufio.NewScanner(&buf)
		sc.Buffer(nil, 1<<20)
		i := 0
		for ; sc.Scan(); i++ {
			line := sc.Bytes()
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatalf("line %d: %v: %s", i+1, err, line)
			}
			if i >= len(want) {
				t.Fatalf("line %d: extra line %s", i+1, line)
			}
			if m["type"] != want[i] {
				t.Errorf("line %d: type %v, want %q", i+1, m["type"], want[i])
			}
			// Decode into the same type as the element and compare.
			got := reflect.New(reflect.TypeOf(elems[i]))
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.DisallowUnknownFields()
			if err := dec.Decode(got.Interface()); err != nil {
				t.Fatalf("line %d: %v: %s", i+1, err, line)
			}
			if !reflect.DeepEqual(got.Elem().Interface(), elems[i]) {
				t.Errorf("line %d decodes to %+v, want %+v", i+1, got.Elem().Interface(), elems[i])
			}
			if bytes.Contains(line, []byte("null")) {
				t.Errorf("line %d holds null: %s", i+1, line)
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		if i != len(want) {
			t.Errorf("WriteJSONL wrote %d lines, want %d", i, len(want))
		}
	}
}

// TestJSONLClusterBytes: a cluster's line is byte for byte what
// encoding/json writes of it, for clusters with every optional field set
// or empty, strings JSON must escape, and one so large that its line is
// written in parts.
func TestJSONLClusterBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "src/x.txt", `"`, `\`, "\n", "\x00", "<b>&", "é", "\u2028", "\xff", " "}
	str := func() string {
		var b strings.Builder
		for range r.IntN(5) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	var clusters []result.Cluster
	for i := range 300 {
		c := result.Cluster{ID: i + 1, Text: str(), Boilerplate: i%3 == 0, Incomplete: i%4 == 1}
		if i%2 == 0 {
			c.Earliest = str()
		}
		n := r.IntN(6)
		if i == 7 {
			n = 150_000 // a line of several megabytes
		}
		for m := range n {
			c.Members = append(c.Members, result.Member{Doc: str(), Start: m * r.IntN(1000), End: m*1000 + r.IntN(1<<20)})
			if m%2 == 0 {
				c.Documents = append(c.Documents, str())
			}
		}
		clusters = append(clusters, c)
	}
	for _, c := range clusters {
		var got, want bytes.Buffer
		s := NewJSONLSink(&got)
		if err := s.Cluster(&c); err != nil {
			t.Fatal(err)
		}
		if err := s.End(); err != nil {
			t.Fatal(err)
		}
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		x := c
		x.Members, x.Documents = orEmpty(x.Members), orEmpty(x.Documents)
		if err := enc.Encode(jsonlCluster{"cluster", x}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			g, w := got.String(), want.String()
			t.Fatalf("cluster %d (%d members): line differs from encoding/json's\ngot  %.300s\nwant %.300s", c.ID, len(c.Members), g, w)
		}
		if cap(s.(*jsonlSink).buf) > 2*spillBytes {
			t.Errorf("cluster %d: the sink holds %d bytes, want at most %d", c.ID, cap(s.(*jsonlSink).buf), 2*spillBytes)
		}
	}
}

// orEmpty returns s, or an empty slice for nil, which encodes as [] rather
// than null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// TestJSONLClusterParts: clusters given in parts (result.ClusterParts),
// cut at random places, make the lines of the whole clusters; a line of
// another kind inside a cluster given in parts is refused.
func TestJSONLClusterParts(t *testing.T) {
	r := resulttest.Clustered(200_000) // a line of several megabytes
	var want bytes.Buffer
	if err := WriteJSONL(&want, r); err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	for name, split := range map[string]func(n int) int{
		"one at a time": func(int) int { return 1 },
		"random":        func(n int) int { return 1 + rnd.IntN(n) },
	} {
		var got bytes.Buffer
		s := NewJSONLSink(&got)
		if err := resulttest.FeedInParts(result.Parts(s), r, split); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: the lines of clusters in parts differ from the whole clusters' (%d bytes, want %d)", name, got.Len(), want.Len())
		}
		if n := cap(s.(*jsonlSink).buf); n > 2*spillBytes {
			t.Errorf("%s: the sink holds %d bytes, want at most %d", name, n, 2*spillBytes)
		}
	}
	s := result.Parts(NewJSONLSink(io.Discard))
	if err := s.ClusterBegin(&result.Cluster{ID: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Group(&result.Group{ID: 1}); err == nil {
		t.Errorf("a group inside a cluster given in parts: no error")
	}
	if err := s.ClusterEnd(); err != nil {
		t.Fatal(err)
	}
	if err := s.ClusterEnd(); err == nil {
		t.Errorf("ClusterEnd without ClusterBegin: no error")
	}
}
