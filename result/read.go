package result

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// Errors of ReadJSON and ReadFile, for errors.Is.
var (
	// ErrFormat reports input that is not the JSON of a Result.
	ErrFormat = errors.New("result: not a scan result")
	// ErrSchema reports a result of another schema than Schema.
	ErrSchema = errors.New("result: wrong schema")
)

// ReadJSON reads a Result written by WriteJSON from r: the first JSON value
// of r, which must name Schema (or SchemaV1) in its "schema" field. Fields
// the Result does not have are ignored (adding a field does not change the
// schema). A v1 result is returned as v2: its clusters' documents are
// those of their members. Errors wrap ErrFormat, with the decoder's error,
// or ErrSchema.
func ReadJSON(r io.Reader) (*Result, error) {
	var raw json.RawMessage
	if err := json.NewDecoder(bufio.NewReaderSize(r, 1<<16)).Decode(&raw); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	switch head.Schema {
	case Schema:
		var res Result
		if err := json.Unmarshal(raw, &res); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrFormat, err)
		}
		return &res, nil
	case SchemaV1:
		return readV1(raw)
	}
	return nil, fmt.Errorf("%w %q, want %q", ErrSchema, head.Schema, Schema)
}

// readV1 reads a v1 result, whose clusters count their documents.
func readV1(raw []byte) (*Result, error) {
	var v1 struct {
		Result
		Clusters []struct {
			Cluster
			Documents int `json:"documents"`
		} `json:"clusters"`
	}
	if err := json.Unmarshal(raw, &v1); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	res := v1.Result
	res.Schema = Schema
	res.Clusters = make([]Cluster, len(v1.Clusters))
	for i, c := range v1.Clusters {
		res.Clusters[i] = c.Cluster
		res.Clusters[i].Documents = memberDocuments(c.Members)
	}
	return &res, nil
}

// memberDocuments lists the documents of members, sorted, each once.
func memberDocuments(ms []Member) []string {
	var docs []string
	for _, m := range ms {
		docs = append(docs, m.Doc)
	}
	slices.Sort(docs)
	return slices.Compact(docs)
}

// ReadFile reads the Result in the file at path, as ReadJSON does. Its
// errors name path.
func ReadFile(path string) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	res, err := ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", path, err)
	}
	return res, nil
}
