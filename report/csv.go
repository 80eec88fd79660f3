package report

import (
	"cmp"
	"encoding/csv"
	"io"
	"strconv"

	"github.com/reuse-tool/reuse/result"
)

// csvHeader names the columns of WriteCSV.
var csvHeader = []string{
	"a", "b", "a_start", "a_end", "b_start", "b_end",
	"words", "similarity", "cluster", "a_pct", "b_pct", "a_text", "b_text", "kind",
}

// WriteCSV writes one row per passage of every pair, in the order of
// r.Pairs and their Passages, after a header row:
//
//	a,b,a_start,a_end,b_start,b_end,words,similarity,cluster,a_pct,b_pct,a_text,b_text,kind
//
// The columns are the Pair's A and B, the Passage's fields, the Pair's
// APct and BPct (repeated on each of the pair's rows), the passage's
// text on both sides (empty when the result has none) and its kind
// ("exact", where the JSON result omits it, "reworded" or "summary"),
// with the meanings documented on those types. The kind came last, after
// the columns of earlier versions. Quoting follows RFC 4180 (encoding/csv), lines
// end in \n, and floats are written in their shortest exact decimal form
// (strconv.FormatFloat with 'f', -1): 1, 0.925, 18.9.
//
// Boilerplate clusters have no pairs and so no rows; result.WriteJSON and
// WriteJSONL list them. Document IDs are written as they are: a spreadsheet
// may read an ID that begins with = or + as a formula.
func WriteCSV(w io.Writer, r *result.Result) error {
	return result.Feed(NewCSVSink(w), r)
}

// NewCSVSink returns a result.Sink writing what WriteCSV writes, a pair's
// rows as the pair comes; it flushes w at End.
func NewCSVSink(w io.Writer) result.Sink {
	// csv.Writer buffers through bufio.NewWriter, which reuses w if it is
	// already a large enough *bufio.Writer.
	return &csvSink{cw: csv.NewWriter(w), row: make([]string, len(csvHeader))}
}

type csvSink struct {
	cw  *csv.Writer
	row []string
}

func (s *csvSink) Begin(string, result.Params, result.Stats) error { return s.cw.Write(csvHeader) }
func (s *csvSink) Document(*result.Document) error                 { return nil }
func (s *csvSink) Cluster(*result.Cluster) error                   { return nil }
func (s *csvSink) Group(*result.Group) error                       { return nil }

// The CSV holds no clusters: their parts (result.ClusterParts) are
// taken and dropped, never gathered.
func (s *csvSink) ClusterBegin(*result.Cluster) error   { return nil }
func (s *csvSink) ClusterDocuments([]string) error      { return nil }
func (s *csvSink) ClusterMembers([]result.Member) error { return nil }
func (s *csvSink) ClusterEnd() error                    { return nil }

func (s *csvSink) Pair(p *result.Pair) error {
	row := s.row
	row[0], row[1] = p.A, p.B
	row[9], row[10] = csvFloat(p.APct), csvFloat(p.BPct)
	for _, x := range p.Passages {
		row[2] = strconv.Itoa(x.AStart)
		row[3] = strconv.Itoa(x.AEnd)
		row[4] = strconv.Itoa(x.BStart)
		row[5] = strconv.Itoa(x.BEnd)
		row[6] = strconv.Itoa(x.Words)
		row[7] = csvFloat(x.Similarity)
		row[8] = strconv.Itoa(x.Cluster)
		row[11], row[12] = x.AText, x.BText
		row[13] = cmp.Or(x.Kind, "exact")
		if err := s.cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

func (s *csvSink) End() error {
	s.cw.Flush()
	return s.cw.Error()
}

// csvFloat formats f in the shortest decimal form that reads back as f,
// never in exponent form.
func csvFloat(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}
