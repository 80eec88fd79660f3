package result_test

import (
	"bytes"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/result/resulttest"
)

// TestCollector: a Result fed to a Collector comes back equal.
func TestCollector(t *testing.T) {
	for _, f := range resulttest.Fixtures() {
		var c result.Collector
		r := f.New()
		if err := result.Feed(&c, r); err != nil {
			t.Fatal(err)
		}
		if r.Schema == "" {
			r.Schema = result.Schema
		}
		if got, want := resulttest.Normalize(&c.Result), resulttest.Normalize(r); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Feed(Collector) = %+v, want %+v", f.Name, got, want)
		}
	}
}

// TestJSONSinkOrder: pieces out of the contract's order are refused, and
// a result with empty sections is written with [] for each.
func TestJSONSinkOrder(t *testing.T) {
	var buf bytes.Buffer
	s := result.NewJSONSink(&buf)
	if err := s.Begin(result.Schema, result.Params{}, result.Stats{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Cluster(&result.Cluster{ID: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Pair(&result.Pair{A: "a", B: "b"}); err == nil {
		t.Errorf("a pair after a cluster: no error")
	}
	var empty bytes.Buffer
	s = result.NewJSONSink(&empty)
	if err := s.Begin("", result.Params{}, result.Stats{}); err != nil {
		t.Fatal(err)
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"documents": []`, `"pairs": []`, `"clusters": []`, `"groups": []`, `"schema": "` + result.Schema + `"`} {
		if !strings.Contains(empty.String(), want) {
			t.Errorf("empty result %q lacks %s", empty.String(), want)
		}
	}
}

// TestClusterParts: a result whose clusters are given in parts, cut at
// random places, is written byte for byte as the whole result is, by the
// JSON sink and by a Collector behind Parts; a piece of another kind
// inside a cluster given in parts, or a part without a beginning, is
// refused.
func TestClusterParts(t *testing.T) {
	r := resulttest.Clustered(5000)
	var want bytes.Buffer
	if err := result.WriteJSON(&want, r); err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	splits := map[string]func(n int) int{
		"one at a time": func(int) int { return 1 },
		"random":        func(n int) int { return 1 + rnd.IntN(n) },
		"whole":         func(n int) int { return n },
	}
	for name, split := range splits {
		var got bytes.Buffer
		s := result.Parts(result.NewJSONSink(&got))
		if err := resulttest.FeedInParts(s, r, split); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: the JSON of clusters in parts differs from the whole result's (%d bytes, want %d)", name, got.Len(), want.Len())
		}
		var c result.Collector
		if err := resulttest.FeedInParts(result.Parts(&c), r, split); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(resulttest.Normalize(&c.Result), resulttest.Normalize(r)) {
			t.Errorf("%s: a Collector behind Parts gathered another result", name)
		}
	}

	s := result.Parts(result.NewJSONSink(io.Discard))
	if err := s.Begin(result.Schema, result.Params{}, result.Stats{}); err != nil {
		t.Fatal(err)
	}
	if err := s.ClusterMembers(nil); err == nil {
		t.Errorf("members without ClusterBegin: no error")
	}
	if err := s.ClusterBegin(&result.Cluster{ID: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Cluster(&result.Cluster{ID: 2}); err == nil {
		t.Errorf("a cluster inside a cluster given in parts: no error")
	}
	if err := s.End(); err == nil {
		t.Errorf("End inside a cluster given in parts: no error")
	}
}
