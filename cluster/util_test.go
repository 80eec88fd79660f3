package cluster

import (
	"cmp"
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortByDoc checks sortByDoc against one comparison sort of the whole
// order, with dense document numbers (counted into place) and sparse ones
// (the fallback), on all the occurrences and on a shuffled subset.
func TestSortByDoc(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
		docs uint32
	}{
		{"empty", 0, 1},
		{"one", 1, 1},
		{"dense", 5000, 300},
		{"one document", 2000, 1},
		{"sparse", 3000, 1 << 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(tc.n), uint64(tc.docs)))
			occ := make([]Occurrence, tc.n)
			for i := range occ {
				start := r.Int32N(50)
				occ[i] = Occurrence{Doc: r.Uint32N(tc.docs), Start: start, End: start + 1 + r.Int32N(20)}
			}
			for _, c := range []struct{ subset, withEnd bool }{{false, true}, {true, true}, {false, false}, {true, false}} {
				subset := c.subset
				within := func(x, y int32) int {
					if !c.withEnd {
						return cmp.Or(cmp.Compare(occ[x].Start, occ[y].Start), cmp.Compare(x, y))
					}
					return cmp.Or(cmp.Compare(occ[x].Start, occ[y].Start), cmp.Compare(occ[x].End, occ[y].End), cmp.Compare(x, y))
				}
				ids := []int32{} // not nil: nil stands for every occurrence
				for i := range occ {
					if !subset || r.IntN(3) > 0 {
						ids = append(ids, int32(i))
					}
				}
				r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
				want := slices.Clone(ids)
				slices.SortFunc(want, func(x, y int32) int {
					return cmp.Or(cmp.Compare(occ[x].Doc, occ[y].Doc), within(x, y))
				})
				in := ids
				if !subset && r.IntN(2) == 0 {
					in = nil // every occurrence, without an array of them
				}
				got, err := sortByDoc(context.Background(), occurrences{boiler: occ}, in, c.withEnd)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, want) {
					t.Fatalf("subset %v, ids given %v: got %v, want %v", subset, in != nil, got[:min(len(got), 20)], want[:min(len(want), 20)])
				}
			}
		})
	}
}

// TestByFamily: counting projections into place by family, from one
// list or several, groups them by family in family order, each group
// holding that family's projections (compared as sorted by at).
func TestByFamily(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, families := range []int{1, 7, 500} {
		for _, parts := range []int{1, 2, 3} {
			adds := make([]derived, 3000)
			for i := range adds {
				adds[i] = derived{fam: r.Int32N(int32(families)), o: Occurrence{Doc: r.Uint32N(40)}, at: r.Int64N(1 << 40)}
			}
			want := slices.Clone(adds)
			slices.SortFunc(want, func(x, y derived) int { return cmp.Or(cmp.Compare(x.fam, y.fam), cmp.Compare(x.at, y.at)) })
			var lists [][]derived
			for i, cut := 0, 0; i < parts; i++ {
				next := len(adds) * (i + 1) / parts
				lists = append(lists, adds[cut:next])
				cut = next
			}
			got := byFamily(lists, families)
			for i := 1; i < len(got); i++ {
				if got[i].fam < got[i-1].fam {
					t.Fatalf("%d families, %d lists: family %d after %d", families, parts, got[i].fam, got[i-1].fam)
				}
			}
			slices.SortStableFunc(got, func(x, y derived) int { return cmp.Or(cmp.Compare(x.fam, y.fam), cmp.Compare(x.at, y.at)) })
			if !slices.Equal(got, want) {
				t.Errorf("%d families, %d lists: byFamily holds other projections", families, parts)
			}
			for i, l := range lists {
				if l != nil {
					t.Errorf("%d families, %d lists: list %d kept", families, parts, i)
				}
			}
		}
	}
	if got := byFamily(nil, 3); len(got) != 0 {
		t.Errorf("byFamily(nil) = %v", got)
	}
}

// TestFlatten checks that groups lying one after another in the array the
// first one's capacity spans are returned in place, and others copied.
func TestFlatten(t *testing.T) {
	arr := []Occurrence{oc(1, 0, 1), oc(2, 0, 1), oc(3, 0, 1), oc(4, 0, 1), oc(5, 0, 1)}
	tests := []struct {
		name    string
		groups  [][]Occurrence
		inPlace bool
	}{
		{"none", nil, false},
		{"empty groups", [][]Occurrence{{}, nil}, false},
		{"in order, the first spanning", [][]Occurrence{arr[:2], arr[2:2], arr[2:5:5]}, true},
		{"the first capped", [][]Occurrence{arr[:2:2], arr[2:5]}, false},
		{"out of order", [][]Occurrence{arr[2:5], arr[:2]}, false},
		{"a gap", [][]Occurrence{arr[:2], arr[3:5]}, false},
		{"separate arrays", [][]Occurrence{slices.Clone(arr[:2]), slices.Clone(arr[2:])}, false},
	}
	for _, tt := range tests {
		var want []Occurrence
		for _, g := range tt.groups {
			want = append(want, g...)
		}
		got := flatten(tt.groups)
		if !slices.Equal(got, want) {
			t.Errorf("%s: flatten = %v, want %v", tt.name, got, want)
		}
		if inPlace := len(got) > 0 && &got[0] == &arr[0]; inPlace != tt.inPlace {
			t.Errorf("%s: in place %v, want %v", tt.name, inPlace, tt.inPlace)
		}
	}
}
