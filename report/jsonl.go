package report

import "io"

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
// WriteJSON. Nil slices appear as []. A reader can process the stream line
// by line, keep only the lines it needs (grep '"type":"pair"'), and tell a
// truncated stream from a complete one by comparing the number of lines of
// each type with the counts in the scan line's stats.
//
// Errors are reported as for WriteJSON; r is not modified.
func WriteJSONL(w io.Writer, r *Result) error {
	j := newJSONWriter(w)
	j.line(jsonlScan{"scan", resultSchema(r), r.Params, r.Stats})
	for _, d := range r.Documents {
		j.line(jsonlDocument{"document", d})
	}
	for _, p := range r.Pairs {
		j.line(jsonlPair{"pair", emptyPassages(p)})
	}
	for _, c := range r.Clusters {
		j.line(jsonlCluster{"cluster", emptyMembers(c)})
	}
	for _, g := range r.Groups {
		j.line(jsonlGroup{"group", emptyDocuments(g)})
	}
	return j.flush()
}

// The line types. encoding/json promotes the fields of an embedded struct,
// so each line is flat: "type" followed by the element's own fields.

type jsonlScan struct {
	Type   string `json:"type"`
	Schema string `json:"schema"`
	Params Params `json:"params"`
	Stats  Stats  `json:"stats"`
}

type jsonlDocument struct {
	Type string `json:"type"`
	Document
}

type jsonlPair struct {
	Type string `json:"type"`
	Pair
}

type jsonlCluster struct {
	Type string `json:"type"`
	Cluster
}

type jsonlGroup struct {
	Type string `json:"type"`
	Group
}
