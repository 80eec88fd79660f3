package report

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/reuse-tool/reuse/result"
)

// csvHeader names the columns of WriteCSV.
var csvHeader = []string{
	"a", "b", "a_start", "a_end", "b_start", "b_end",
	"words", "similarity", "cluster", "a_pct", "b_pct",
}

// WriteCSV writes one row per passage of every pair, in the order of
// r.Pairs and their Passages, after a header row:
//
//	a,b,a_start,a_end,b_start,b_end,words,similarity,cluster,a_pct,b_pct
//
// The columns are the Pair's A and B, the Passage's fields, and the Pair's
// APct and BPct (repeated on each of the pair's rows), with the meanings
// documented on those types. Quoting follows RFC 4180 (encoding/csv), lines
// end in \n, and floats are written in their shortest exact decimal form
// (strconv.FormatFloat with 'f', -1): 1, 0.925, 18.9.
//
// Boilerplate clusters have no pairs and so no rows; result.WriteJSON and
// WriteJSONL list them. Document IDs are written as they are: a spreadsheet
// may read an ID that begins with = or + as a formula.
func WriteCSV(w io.Writer, r *result.Result) error {
	// csv.Writer buffers through bufio.NewWriter, which reuses w if it is
	// already a large enough *bufio.Writer.
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	row := make([]string, len(csvHeader))
	for i := range r.Pairs {
		p := &r.Pairs[i]
		row[0], row[1] = p.A, p.B
		row[9], row[10] = csvFloat(p.APct), csvFloat(p.BPct)
		for _, s := range p.Passages {
			row[2] = strconv.Itoa(s.AStart)
			row[3] = strconv.Itoa(s.AEnd)
			row[4] = strconv.Itoa(s.BStart)
			row[5] = strconv.Itoa(s.BEnd)
			row[6] = strconv.Itoa(s.Words)
			row[7] = csvFloat(s.Similarity)
			row[8] = strconv.Itoa(s.Cluster)
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvFloat formats f in the shortest decimal form that reads back as f,
// never in exponent form.
func csvFloat(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}
