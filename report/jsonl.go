package report

import (
	"bufio"
	"encoding/json"
	"io"

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
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw) // one compact value and a newline per Encode
	enc.SetEscapeHTML(false)
	schema := r.Schema
	if schema == "" {
		schema = result.Schema
	}
	err := enc.Encode(jsonlScan{"scan", schema, r.Params, r.Stats})
	for i := 0; i < len(r.Documents) && err == nil; i++ {
		err = enc.Encode(jsonlDocument{"document", r.Documents[i]})
	}
	for i := 0; i < len(r.Pairs) && err == nil; i++ {
		p := r.Pairs[i]
		p.Passages = orEmpty(p.Passages)
		err = enc.Encode(jsonlPair{"pair", p})
	}
	for i := 0; i < len(r.Clusters) && err == nil; i++ {
		c := r.Clusters[i]
		c.Members = orEmpty(c.Members)
		err = enc.Encode(jsonlCluster{"cluster", c})
	}
	for i := 0; i < len(r.Groups) && err == nil; i++ {
		g := r.Groups[i]
		g.Documents = orEmpty(g.Documents)
		err = enc.Encode(jsonlGroup{"group", g})
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// orEmpty returns s, or an empty slice for nil, which encodes as [] rather
// than null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// The line types. encoding/json promotes the fields of an embedded struct,
// so each line is flat: "type" followed by the element's own fields.

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
