package result

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// Errors of ReadJSON and ReadFile, for errors.Is.
var (
	// ErrFormat reports input that is not the JSON of a Result.
	ErrFormat = errors.New("result: not a scan result")
	// ErrSchema reports a result of another schema than Schema.
	ErrSchema = errors.New("result: wrong schema")
)

// ReadJSON reads a Result written by WriteJSON from r: the first JSON value
// of r, which must name Schema in its "schema" field. Fields the Result
// does not have are ignored (adding a field does not change the schema).
// Errors wrap ErrFormat, with the decoder's error, or ErrSchema.
func ReadJSON(r io.Reader) (*Result, error) {
	var res Result
	if err := json.NewDecoder(bufio.NewReaderSize(r, 1<<16)).Decode(&res); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if res.Schema != Schema {
		return nil, fmt.Errorf("%w %q, want %q", ErrSchema, res.Schema, Schema)
	}
	return &res, nil
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
