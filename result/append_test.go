package result

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// reference encodes v as the appenders must: encoding/json, HTML
// escaping off, indented under prefix, without the trailing newline.
func reference(t testing.TB, prefix string, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// appended runs add as the JSON sink does.
func appended(prefix string, add func(e *indenter)) ([]byte, error) {
	e := indenter{prefix: prefix}
	add(&e)
	return e.b, e.err
}

// randomString mixes what JSON must escape (quotes, backslashes, control
// characters, invalid UTF-8, U+2028/9) with what it must not (HTML's
// <, > and &, other Unicode).
func randomString(r *rand.Rand) string {
	pieces := []string{"a", "word ", "<b>&amp;", `"`, `\`, "\n", "\t", "\r", "\b", "\f", "\x00", "\x1f", "\x7f",
		"é", "世界", "\u2028", "\u2029", "\xff", "\xe2\x80", "😀", "/", "'"}
	var b strings.Builder
	for range r.IntN(8) {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

func randomFloat(r *rand.Rand) float64 {
	special := []float64{0, math.Copysign(0, -1), 1, 100, 33.3, 1e-6, 9.99e-7, 1e-7, 1e21, 1e20, 123456789e15, -2.5e-9, 0.1, math.MaxFloat64, math.SmallestNonzeroFloat64}
	if r.IntN(2) == 0 {
		return special[r.IntN(len(special))]
	}
	return (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(50)-25))
}

// TestAppendMatchesEncodingJSON holds every appender to encoding/json on
// random elements with every field set, and with the optional ones empty:
// a field added to a result type and not to its appender fails here.
func TestAppendMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		full := i%2 == 0
		maybe := func(s string) string {
			if full {
				return s
			}
			return ""
		}
		d := Document{ID: randomString(r), Path: randomString(r), Bytes: r.IntN(1 << 30), Words: r.IntN(1 << 20),
			Date: maybe("2024-01-0" + string(rune('1'+r.IntN(9)))), ReusedWords: r.IntN(1000), ReusedPct: randomFloat(r), Archived: full}
		var ps []Passage
		for range r.IntN(3) {
			ps = append(ps, Passage{AStart: r.IntN(1e6), AEnd: r.IntN(1e6), BStart: -r.IntN(10), BEnd: r.IntN(1e6), Words: r.IntN(500),
				Kind: maybe(KindReworded), Similarity: randomFloat(r), Cluster: r.IntN(1e5), AText: maybe(randomString(r)), BText: maybe(randomString(r))})
		}
		p := Pair{A: randomString(r), B: randomString(r), APct: randomFloat(r), BPct: randomFloat(r), SharedWords: r.IntN(1e4), Jaccard: randomFloat(r), Passages: ps}
		var docs []string
		var members []Member
		for range r.IntN(3) {
			docs = append(docs, randomString(r))
			members = append(members, Member{Doc: randomString(r), Start: r.IntN(1e6), End: r.IntN(1e6)})
		}
		c := Cluster{ID: r.IntN(1e6), Documents: docs, Earliest: maybe(randomString(r)), Boilerplate: full, Incomplete: r.IntN(2) == 0, Text: randomString(r), Members: members}
		g := Group{ID: r.IntN(1e6), Documents: docs, MinPct: randomFloat(r), Incomplete: r.IntN(2) == 0}

		// Empty slices encode as [], as the sink writes nil ones.
		refPair, refCluster, refGroup := p, c, g
		if refPair.Passages == nil {
			refPair.Passages = []Passage{}
		}
		if refCluster.Documents == nil {
			refCluster.Documents, refCluster.Members = []string{}, []Member{}
		}
		if refGroup.Documents == nil {
			refGroup.Documents = []string{}
		}
		prefix := strings.Repeat(" ", r.IntN(6))
		for _, tc := range []struct {
			name string
			ref  any
			add  func(e *indenter)
		}{
			{"document", d, func(e *indenter) { appendDocument(e, &d) }},
			{"pair", refPair, func(e *indenter) { appendPair(e, &p) }},
			{"cluster", refCluster, func(e *indenter) { appendCluster(e, &c) }},
			{"group", refGroup, func(e *indenter) { appendGroup(e, &g) }},
		} {
			got, err := appended(prefix, tc.add)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if want := reference(t, prefix, tc.ref); !bytes.Equal(got, want) {
				t.Fatalf("%s %d:\n got %s\nwant %s", tc.name, i, got, want)
			}
		}
		// The lines of JSON Lines: compact, "type" first.
		for _, tc := range []struct {
			name string
			v    any
			ref  any
		}{
			{"document", &d, struct {
				Type string `json:"type"`
				Document
			}{"document", d}},
			{"pair", &p, struct {
				Type string `json:"type"`
				Pair
			}{"pair", refPair}},
			{"group", &g, struct {
				Type string `json:"type"`
				Group
			}{"group", refGroup}},
		} {
			got, err := AppendJSONLine([]byte("before\n"), tc.name, tc.v)
			if err != nil {
				t.Fatalf("AppendJSONLine(%s): %v", tc.name, err)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(tc.ref); err != nil {
				t.Fatal(err)
			}
			if want := append([]byte("before\n"), buf.Bytes()...); !bytes.Equal(got, want) {
				t.Fatalf("AppendJSONLine(%s) %d:\n got %s\nwant %s", tc.name, i, got, want)
			}
		}
	}
}

func TestAppendFloatUnsupported(t *testing.T) {
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		_, err := appended("", func(e *indenter) { appendGroup(e, &Group{MinPct: f}) })
		if err == nil || !strings.Contains(err.Error(), "unsupported value") {
			t.Errorf("group with min_pct %v: error %v, want an unsupported value error", f, err)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "<a href=\"x\">&</a>", "\x00\x01\x1f\x7f", "\xff\xfe", "\u2028\u2029", "tab\there\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := AppendJSONString(nil, s), reference(t, "", s); !bytes.Equal(got, want) {
			t.Fatalf("AppendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

func FuzzAppendFloat(f *testing.F) {
	for _, x := range []float64{0, 1e-7, 1e21, 33.3, -1.5e300} {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		if got, want := appendFloat(nil, x), reference(t, "", x); !bytes.Equal(got, want) {
			t.Fatalf("appendFloat(%v) = %s, want %s", x, got, want)
		}
	})
}

// TestJSONSinkSpillsLargeElements: a cluster of 200,000 members (a
// boilerplate phrase of a large archive) is written as encoding/json
// writes it, and its JSON passes through the sink's buffer a piece at a
// time: the buffer never grows far beyond spillBytes.
func TestJSONSinkSpillsLargeElements(t *testing.T) {
	c := &Cluster{ID: 7, Boilerplate: true, Text: "of the harbour board said that"}
	for i := range 200_000 {
		doc := "src/" + strings.Repeat("d", i%7) + string(rune('a'+i%26))
		c.Members = append(c.Members, Member{Doc: doc, Start: i, End: i + 30})
		if i%3 == 0 {
			c.Documents = append(c.Documents, doc)
		}
	}
	var got bytes.Buffer
	s := NewJSONSink(&got).(*jsonSink)
	if err := s.Cluster(c); err != nil {
		t.Fatal(err)
	}
	if err := s.j.flush(); err != nil {
		t.Fatal(err)
	}
	want := reference(t, "    ", c)
	out := got.Bytes()
	if len(out) < len(want) {
		t.Fatalf("wrote %d bytes before the end, want at least the cluster's %d", len(out), len(want))
	}
	if i := bytes.Index(out, want); i < 0 {
		t.Errorf("the cluster's JSON (%d bytes) differs from encoding/json's", len(want))
	}
	if len(want) < 8*spillBytes {
		t.Fatalf("the cluster's JSON is %d bytes, the test needs many times spillBytes", len(want))
	}
	if n := cap(s.j.ind.b); n > 2*spillBytes {
		t.Errorf("the sink's buffer grew to %d bytes for a cluster of %d, want at most %d", n, len(want), 2*spillBytes)
	}
}

// benchPair is a pair of 20 passages with their texts on both sides, as
// JSON Lines writes them.
func benchPair() *Pair {
	text := strings.Repeat("a line of code, \"quoted\" and\ttabbed; ", 8)
	p := &Pair{A: "drivers/gpu/drm/amd/include/asic_reg/gc/gc_11_0_0_offset.h", B: "drivers/gpu/drm/amd/include/asic_reg/gc/gc_10_3_0_offset.h",
		APct: 12.5, BPct: 33.3, SharedWords: 1200, Jaccard: 0.21}
	for i := range 20 {
		p.Passages = append(p.Passages, Passage{AStart: 1000 * i, AEnd: 1000*i + 300, BStart: 900 * i, BEnd: 900*i + 300,
			Words: 60, Similarity: 0.97, Cluster: i, AText: text, BText: text})
	}
	return p
}

// BenchmarkJSONLinePair: a pair's line by AppendJSONLine.
func BenchmarkJSONLinePair(b *testing.B) {
	p := benchPair()
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = AppendJSONLine(buf[:0], "pair", p)
	}
	b.SetBytes(int64(len(buf)))
}

// BenchmarkJSONLinePairEncodingJSON: the same line by encoding/json, as
// JSON Lines wrote it before.
func BenchmarkJSONLinePairEncodingJSON(b *testing.B) {
	p := benchPair()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	line := struct {
		Type string `json:"type"`
		Pair
	}{"pair", *p}
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := enc.Encode(line); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
