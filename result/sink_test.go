package result_test

import (
	"bytes"
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
