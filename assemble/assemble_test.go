package assemble

import (
	"testing"

	"github.com/reuse-tool/reuse/cluster"
)

func occ(doc uint32, start, end int32) cluster.Occurrence {
	return cluster.Occurrence{Doc: doc, Start: start, End: end}
}

// TestReusedTokens: a document's reused words are the union of its
// passages and boilerplate, overlaps counted once.
func TestReusedTokens(t *testing.T) {
	sides := [][2]cluster.Occurrence{
		{occ(0, 10, 20), occ(1, 0, 10)},
		{occ(0, 15, 30), occ(2, 5, 20)}, // overlaps the first on document 0
		{occ(1, 40, 50), occ(2, 0, 12)}, // overlaps the second on document 2
	}
	boiler := [][]cluster.Occurrence{{occ(0, 28, 40), occ(3, 0, 7)}}
	got := reusedTokens(5, sides, boiler)
	want := []int{30, 20, 20, 7, 0} // 0: [10, 40); 1: [0, 10) and [40, 50); 2: [0, 20); 3: [0, 7)
	for d := range want {
		if got[d] != want[d] {
			t.Errorf("reusedTokens: document %d = %d, want %d", d, got[d], want[d])
		}
	}
}

func TestJaccard(t *testing.T) {
	tests := []struct {
		shared, a, b int
		want         float64
	}{
		{0, 0, 0, 0}, {0, 5, 5, 0}, {5, 5, 5, 1}, {2, 4, 6, 0.25}, {3, 3, 9, 1.0 / 3},
	}
	for _, tt := range tests {
		if got := jaccard(tt.shared, tt.a, tt.b); got != tt.want {
			t.Errorf("jaccard(%d, %d, %d) = %v, want %v", tt.shared, tt.a, tt.b, got, tt.want)
		}
	}
}

// TestRepresentative: a cluster shows its shortest member found by an
// alignment of its own, never a projected one.
func TestRepresentative(t *testing.T) {
	tests := []struct {
		name string
		f    cluster.Family
		want int
	}{
		{"shortest", cluster.Family{Members: []cluster.Occurrence{occ(0, 0, 30), occ(1, 0, 12), occ(2, 5, 17)}, Derived: []bool{false, false, false}}, 1},
		{"projected shorter", cluster.Family{Members: []cluster.Occurrence{occ(0, 0, 30), occ(1, 0, 5)}, Derived: []bool{false, true}}, 0},
		{"all projected", cluster.Family{Members: []cluster.Occurrence{occ(0, 0, 30), occ(1, 0, 5)}, Derived: []bool{true, true}}, 0},
	}
	for _, tt := range tests {
		if got := representative(tt.f); got != tt.want {
			t.Errorf("%s: representative = %d, want %d", tt.name, got, tt.want)
		}
	}
}
