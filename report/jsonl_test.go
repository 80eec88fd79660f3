package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"reflect"
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
