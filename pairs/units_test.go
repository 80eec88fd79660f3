package pairs

import (
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/candidate"
)

// TestWorkUnits: units hold one first document each; a document holding
// more than its share of the work is cut into at most as many pieces as
// workers, of about equal work; the others are whole.
func TestWorkUnits(t *testing.T) {
	// cands makes candidates from (A, anchors) runs: n candidates of A
	// with the given anchors each.
	type run struct{ a, n, anchors int }
	cands := func(runs ...run) []candidate.Candidate {
		var out []candidate.Candidate
		var at int32
		for _, r := range runs {
			for i := range r.n {
				out = append(out, candidate.Candidate{A: uint32(r.a), B: uint32(r.a + 1 + i), AnchorFrom: at, AnchorTo: at + int32(r.anchors)})
				at += int32(r.anchors)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		cands   []candidate.Candidate
		workers int
		want    []int
	}{
		{"none", nil, 2, []int{0}},
		{"one worker: by document", cands(run{0, 4, 100}, run{1, 2, 1}), 1, []int{0, 4, 6}},
		{"even documents stay whole", cands(run{0, 3, 10}, run{1, 3, 10}, run{2, 3, 10}, run{3, 3, 10}, run{4, 3, 10}, run{5, 3, 10}, run{6, 3, 10}, run{7, 3, 10}, run{8, 3, 10}), 2, []int{0, 3, 6, 9, 12, 15, 18, 21, 24, 27}},
		{"a lone document in halves", cands(run{0, 6, 100}), 2, []int{0, 3, 6}},
		{"a lone document in thirds", cands(run{0, 6, 100}), 3, []int{0, 2, 4, 6}},
		{"a heavy document among light ones", cands(run{0, 2, 1}, run{1, 4, 1000}, run{2, 2, 1}), 2, []int{0, 2, 4, 6, 8}},
		{"a heavy single candidate is not cut", cands(run{0, 1, 1000}, run{1, 2, 1}), 2, []int{0, 1, 3}},
		{"uneven candidates cut by work", cands(run{0, 1, 900}, run{0, 1, 100}, run{0, 1, 100}, run{0, 1, 100}), 2, nil},
	} {
		got := workUnits(tc.cands, tc.workers)
		if tc.want != nil && !slices.Equal(got, tc.want) {
			t.Errorf("%s: workUnits = %v, want %v", tc.name, got, tc.want)
		}
		checkUnits(t, tc.name, tc.cands, tc.workers, got)
	}
}

// checkUnits checks the invariants of workUnits' result.
func checkUnits(t *testing.T, name string, cands []candidate.Candidate, workers int, units []int) {
	t.Helper()
	if len(units) == 0 || units[0] != 0 || units[len(units)-1] != len(cands) {
		t.Fatalf("%s: units %v do not cover %d candidates", name, units, len(cands))
	}
	pieces := map[uint32]int{}
	for u := range len(units) - 1 {
		lo, hi := units[u], units[u+1]
		if lo >= hi && len(cands) > 0 {
			t.Fatalf("%s: empty unit %d in %v", name, u, units)
		}
		for i := lo + 1; i < hi; i++ {
			if cands[i].A != cands[lo].A {
				t.Errorf("%s: unit %d holds documents %d and %d", name, u, cands[lo].A, cands[i].A)
			}
		}
		if lo < hi {
			pieces[cands[lo].A]++
		}
	}
	for a, n := range pieces {
		if n > max(workers, 1) {
			t.Errorf("%s: document %d in %d units, more than %d workers", name, a, n, workers)
		}
	}
}

// TestLargestFirst: work units are aligned by the tokens of their largest
// pair, descending, units of equal size in their order.
func TestLargestFirst(t *testing.T) {
	words := func(d uint32) int { return []int{10, 500, 20, 30, 500, 5}[d] }
	pair := func(a, b uint32) candidate.Candidate { return candidate.Candidate{A: a, B: b} }
	for _, tc := range []struct {
		name  string
		cands []candidate.Candidate
		units []int
		want  []int
	}{
		{"none", nil, []int{0}, []int{}},
		{"one", []candidate.Candidate{pair(0, 2)}, []int{0, 1}, []int{0}},
		// units: {0-2 30, 0-4 510}, {2-3 50}, {3-4 530}, {3-5 35}, {4-5 505}
		{"by the largest pair", []candidate.Candidate{pair(0, 2), pair(0, 4), pair(2, 3), pair(3, 4), pair(3, 5), pair(4, 5)},
			[]int{0, 2, 3, 4, 5, 6}, []int{2, 0, 4, 1, 3}},
		// units of 510, 530, 510 and 50 tokens
		{"ties in order", []candidate.Candidate{pair(0, 1), pair(3, 4), pair(1, 0), pair(2, 3)}, []int{0, 1, 2, 3, 4}, []int{1, 0, 2, 3}},
	} {
		got := largestFirst(tc.cands, tc.units, words)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: largestFirst = %v, want %v", tc.name, got, tc.want)
		}
	}
}
