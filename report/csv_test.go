package report

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"math"
	"reflect"
	"strconv"
	"testing"

	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/result/resulttest"
)

func TestWriteCSVParse(t *testing.T) {
	reworded := resulttest.Scan()
	reworded.Pairs[0].Passages[1].Kind = result.KindReworded
	reworded.Pairs[1].Passages[0].Kind = result.KindSummary
	for _, r := range []*result.Result{resulttest.Scan(), reworded, resulttest.NoReuse(), {}, resulttest.NilSlices()} {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, r); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("reading WriteCSV output: %v", err)
		}
		passages := 0
		for _, p := range r.Pairs {
			passages += len(p.Passages)
		}
		if len(rows) != 1+passages {
			t.Fatalf("WriteCSV wrote %d rows, want 1+%d", len(rows), passages)
		}
		if !reflect.DeepEqual(rows[0], csvHeader) {
			t.Errorf("header = %q, want %q", rows[0], csvHeader)
		}
		// Read the rows back field by field.
		i := 1
		for _, p := range r.Pairs {
			for _, s := range p.Passages {
				row := rows[i]
				i++
				if row[0] != p.A || row[1] != p.B {
					t.Errorf("row %d: a,b = %q,%q, want %q,%q", i, row[0], row[1], p.A, p.B)
				}
				ints := []int{s.AStart, s.AEnd, s.BStart, s.BEnd, s.Words, -1, s.Cluster}
				for j, want := range ints {
					if want < 0 {
						continue
					}
					if got, err := strconv.Atoi(row[2+j]); err != nil || got != want {
						t.Errorf("row %d: %s = %q, want %d", i, csvHeader[2+j], row[2+j], want)
					}
				}
				if want := cmp.Or(s.Kind, "exact"); row[13] != want {
					t.Errorf("row %d: kind = %q, want %q", i, row[13], want)
				}
				floats := map[int]float64{7: s.Similarity, 9: p.APct, 10: p.BPct}
				for j, want := range floats {
					if got, err := strconv.ParseFloat(row[j], 64); err != nil || got != want {
						t.Errorf("row %d: %s = %q, want %v", i, csvHeader[j], row[j], want)
					}
				}
			}
		}
	}
}

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{1, "1"},
		{0.925, "0.925"},
		{18.9, "18.9"},
		{100, "100"},
		{1e-7, "0.0000001"},
		{1e21, "1000000000000000000000"},
		{math.Inf(1), "+Inf"},
	}
	for _, tt := range tests {
		if got := csvFloat(tt.in); got != tt.want {
			t.Errorf("csvFloat(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
