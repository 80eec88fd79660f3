package assemble

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/cluster"
	"github.com/reuse-tool/reuse/result"
)

// focusDocs returns the documents of TestZoneDocs and TestZonesOf: n0,
// the focus, and a1..a9, with find and focus.
func focusDocs() (ids []string, find func(string) (uint32, bool), focus func(uint32) bool) {
	ids = []string{"n0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"}
	find = func(id string) (uint32, bool) {
		i := slices.Index(ids, id)
		return uint32(i), i >= 0
	}
	return ids, find, func(d uint32) bool { return d == 0 }
}

// fam is a family of the occurrences os.
func fam(os ...cluster.Occurrence) cluster.Family { return cluster.Family{Members: os} }

// TestZoneDocs: the documents a check must follow are those of the
// families of passages and groups holding a focus document, and of the
// families of passages with a member inside or around one of those
// families' members (cluster.Inside); not those of families merely
// overlapping them or sharing a document with them, nor of boilerplate.
func TestZoneDocs(t *testing.T) {
	ids, find, focus := focusDocs()
	for _, c := range []struct {
		name   string
		fams   []cluster.Family
		boiler []int32 // families of boilerplate
		groups []result.Group
		want   []uint32
	}{
		{"none", nil, nil, nil, nil},
		{"a family without the focus", []cluster.Family{fam(occ(1, 0, 10), occ(2, 0, 10))}, nil, nil, nil},
		{"the focus's family", []cluster.Family{fam(occ(0, 0, 10), occ(1, 5, 15), occ(2, 0, 10))}, nil, nil, []uint32{1, 2}},
		{"families inside or around its members", []cluster.Family{
			fam(occ(0, 0, 10), occ(1, 5, 15)),
			fam(occ(1, 14, 30), occ(3, 0, 16)), // overlaps [5,15) by one token only
			fam(occ(1, 15, 30), occ(4, 0, 15)), // touches it only
			fam(occ(1, 6, 15), occ(5, 0, 9)),   // inside it
			fam(occ(9, 0, 9), occ(5, 0, 9)),    // the same text as a reached family, not the focus's
		}, nil, nil, []uint32{1, 5}},
		{"one starting before and ending after", []cluster.Family{
			fam(occ(0, 0, 10), occ(1, 50, 60)),
			fam(occ(1, 20, 30), occ(6, 0, 10)), // before
			fam(occ(1, 40, 90), occ(7, 0, 50)), // around
			fam(occ(1, 51, 59), occ(2, 0, 8)),  // inside, 8 of 10 tokens
			fam(occ(1, 49, 58), occ(3, 0, 9)),  // 8 of 9 tokens inside: 89%
			fam(occ(1, 50, 59), occ(4, 0, 9)),  // 9 of 9
		}, nil, nil, []uint32{1, 2, 4, 7}},
		{"boilerplate is not followed", []cluster.Family{
			fam(occ(0, 0, 10), occ(1, 0, 10), occ(2, 0, 10)),
			fam(occ(0, 20, 30), occ(8, 0, 10)),
			fam(occ(8, 0, 20), occ(9, 0, 20)),
			fam(occ(8, 1, 10), occ(6, 0, 9)), // boilerplate inside
		}, []int32{0, 3}, nil, []uint32{8, 9}},
		{"groups", nil, nil, []result.Group{
			{ID: 1, Documents: []string{"a3", "n0", "a5"}},
			{ID: 2, Documents: []string{"a6", "a7"}},
		}, []uint32{3, 5}},
	} {
		zones, _, _ := zonesOf(focus, find, len(ids), c.fams, c.boiler, c.groups, nil, nil, nil)
		if got := zoneDocs(len(ids), zones); !slices.Equal(got, c.want) {
			t.Errorf("%s: the zones' documents = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestPairedOf(t *testing.T) {
	sides := [][2]cluster.Occurrence{
		{{Doc: 0, Start: 0, End: 5}, {Doc: 3, Start: 0, End: 5}},
		{{Doc: 2, Start: 0, End: 5}, {Doc: 3, Start: 9, End: 15}},
	}
	if got, want := pairedOf(func(d uint32) bool { return d == 0 }, 5, sides), []uint32{2, 3}; !slices.Equal(got, want) {
		t.Errorf("pairedOf = %v, want %v", got, want)
	}
}

// TestZonesOf: families of the focus document unrelated to each other
// are zones of their own, a family related to two joins them, a group is
// a zone, and a zone is marked when boilerplate overlaps a member of one
// of its families.
func TestZonesOf(t *testing.T) {
	ids, find, focus := focusDocs()
	fams := []cluster.Family{
		fam(occ(0, 0, 10), occ(1, 0, 10)),   // zone 0
		fam(occ(0, 20, 30), occ(2, 0, 10)),  // zone 1, with 4 (inside a member of both 1 and 2)
		fam(occ(0, 40, 50), occ(2, 50, 60)), // zone 1 too
		fam(occ(0, 60, 70), occ(3, 3, 10)),  // zone 2, 5 of 7 tokens in boilerplate in 3
		fam(occ(2, 1, 9), occ(2, 51, 59), occ(4, 0, 8)),
		fam(occ(5, 0, 10), occ(6, 0, 10)),                               // no focus: no zone
		fam(occ(3, 5, 40), occ(7, 0, 35), occ(8, 0, 35), occ(1, 4, 40)), // boilerplate, 6 of a1's 10 tokens
	}
	groups := []result.Group{{ID: 1, Documents: []string{"a9", "n0"}}, {ID: 2, Documents: []string{"a5", "a6"}}}
	zones, famZone, groupZone := zonesOf(focus, find, len(ids), fams, []int32{6}, groups, nil, nil, [][]cluster.Occurrence{fams[6].Members})
	want := []Zone{{Docs: []uint32{1}}, {Docs: []uint32{2, 4}}, {Docs: []uint32{3}, Boilerplate: true}, {Docs: []uint32{9}}}
	if !slices.EqualFunc(zones, want, func(a, b Zone) bool { return slices.Equal(a.Docs, b.Docs) && a.Boilerplate == b.Boilerplate }) {
		t.Errorf("zones = %v, want %v", zones, want)
	}
	if w := []int32{0, 1, 1, 2, 1, -1, -1}; !slices.Equal(famZone, w) {
		t.Errorf("families' zones = %v, want %v", famZone, w)
	}
	if w := []int32{3, -1}; !slices.Equal(groupZone, w) {
		t.Errorf("groups' zones = %v, want %v", groupZone, w)
	}
}

// TestTouchingBoilerplate: the zones marked are those with a span two
// thirds of which lie inside one stretch of boilerplate, against a
// reference that paints the boilerplate's tokens and walks each span's.
func TestTouchingBoilerplate(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	marked, unmarked := 0, 0
	for round := range 500 {
		zones := 1 + r.IntN(4)
		var spans []zoneSpan
		for range r.IntN(12) {
			s := int32(r.IntN(200))
			spans = append(spans, zoneSpan{occ(uint32(r.IntN(3)), s, s+1+int32(r.IntN(40))), int32(r.IntN(zones))})
		}
		boiler := make([][]cluster.Occurrence, r.IntN(4))
		for b := range boiler {
			for range 1 + r.IntN(4) {
				s := int32(r.IntN(200))
				boiler[b] = append(boiler[b], occ(uint32(r.IntN(3)), s, s+1+int32(r.IntN(30))))
			}
		}
		// Paint: stretch[d][i] numbers the stretch holding token i of
		// document d (0: none); a stretch runs while tokens are painted,
		// two occurrences touching end to start being one.
		var paint [3][300]bool
		for _, os := range boiler {
			for _, o := range os {
				for i := o.Start; i < o.End; i++ {
					paint[o.Doc][i] = true
				}
			}
		}
		var stretch [3][300]int
		for d := range paint {
			n := 0
			for i := range paint[d] {
				if paint[d][i] {
					if i == 0 || !paint[d][i-1] {
						n++
					}
					stretch[d][i] = n
				}
			}
		}
		want := make([]bool, zones)
		for _, sp := range spans {
			in := map[int]int32{}
			for i := sp.o.Start; i < sp.o.End; i++ {
				if h := stretch[sp.o.Doc][i]; h > 0 {
					in[h]++
				}
			}
			for _, n := range in {
				if 3*n >= 2*(sp.o.End-sp.o.Start) {
					want[sp.zone] = true
				}
			}
		}
		got := make([]bool, zones)
		for z := range touchingBoilerplate(spans, boiler, zones) {
			if got[z] {
				t.Fatalf("round %d: zone %d given twice", round, z)
			}
			got[z] = true
		}
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: touching %v, want %v\nspans %v, boilerplate %v", round, got, want, spans, boiler)
		}
		for _, w := range want {
			if w {
				marked++
			} else {
				unmarked++
			}
		}
	}
	if marked < 100 || unmarked < 100 {
		t.Errorf("%d zones marked, %d not: the test needs many of both", marked, unmarked)
	}
}
