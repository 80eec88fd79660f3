package cluster

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/reuse-tool/reuse/internal/keysort"
	"github.com/reuse-tool/reuse/internal/postings"
)

// Documents of the family tests.
const (
	docA uint32 = iota
	docB
	docC
	docD
	docE
)

func oc(doc uint32, start, end int32) Occurrence { return Occurrence{Doc: doc, Start: start, End: end} }

func side(a, b Occurrence) [2]Occurrence { return [2]Occurrence{a, b} }

// fam builds a family of members given with their Derived flags.
func fam(members ...any) Family {
	var f Family
	for i := 0; i < len(members); i += 2 {
		f.Members = append(f.Members, members[i].(Occurrence))
		f.Derived = append(f.Derived, members[i+1].(bool))
	}
	return f
}

func TestFamilies(t *testing.T) {
	same, other := SketchOf([]uint32{1, 2, 3, 4, 5, 6, 7, 8}), SketchOf([]uint32{1, 2, 9, 10, 11, 12, 13, 14})
	tests := []struct {
		name        string
		sides       [][2]Occurrence
		texts       [][2]Sketch
		boilerplate [][]Occurrence
		passageFam  []int32
		boilerFam   []int32
		fams        []Family
	}{
		{
			name:       "empty",
			passageFam: []int32{}, boilerFam: []int32{},
			fams: []Family{},
		},
		{
			name:       "one passage",
			sides:      [][2]Occurrence{side(oc(docA, 10, 30), oc(docB, 5, 25))},
			passageFam: []int32{0}, boilerFam: []int32{},
			fams: []Family{fam(oc(docA, 10, 30), false, oc(docB, 5, 25), false)},
		},
		{
			name: "three documents copy one paragraph",
			sides: [][2]Occurrence{
				side(oc(docA, 10, 40), oc(docB, 0, 30)),
				side(oc(docA, 11, 40), oc(docC, 5, 34)),
				side(oc(docB, 0, 29), oc(docC, 5, 35)),
			},
			passageFam: []int32{0, 0, 0}, boilerFam: []int32{},
			fams: []Family{fam(oc(docA, 10, 40), false, oc(docB, 0, 30), false, oc(docC, 5, 35), false)},
		},
		{
			name: "no chaining through adjacent sentences",
			sides: [][2]Occurrence{
				side(oc(docA, 0, 20), oc(docB, 0, 20)),
				side(oc(docB, 20, 40), oc(docC, 50, 70)),
			},
			passageFam: []int32{0, 1}, boilerFam: []int32{},
			fams: []Family{
				fam(oc(docA, 0, 20), false, oc(docB, 0, 20), false),
				fam(oc(docB, 20, 40), false, oc(docC, 50, 70), false),
			},
		},
		{
			name: "no chaining through half-overlapping passages",
			sides: [][2]Occurrence{
				side(oc(docA, 0, 20), oc(docB, 0, 20)),
				side(oc(docB, 10, 30), oc(docC, 0, 20)),
			},
			passageFam: []int32{0, 1}, boilerFam: []int32{},
			fams: []Family{
				fam(oc(docA, 0, 20), false, oc(docB, 0, 20), false),
				fam(oc(docB, 10, 30), false, oc(docC, 0, 20), false),
			},
		},
		{
			// C quotes a sentence of B, which copied a paragraph of A: the
			// quote is in A too, at the projected place, twice as long in A.
			// C quotes a sentence of what A and B share: the quote is
			// projected into A, lies inside the passage in A and B, and
			// joins its family: one text, one cluster.
			name: "quote inside a longer passage",
			sides: [][2]Occurrence{
				side(oc(docA, 200, 400), oc(docB, 0, 100)),
				side(oc(docB, 40, 55), oc(docC, 10, 25)),
			},
			passageFam: []int32{0, 0}, boilerFam: []int32{},
			fams: []Family{
				fam(oc(docA, 200, 400), false, oc(docB, 0, 100), false, oc(docC, 10, 25), false),
			},
		},
		{
			name: "quote starting a word before the longer passage",
			sides: [][2]Occurrence{
				side(oc(docA, 0, 59), oc(docB, 41, 100)),
				side(oc(docB, 40, 60), oc(docC, 10, 30)),
			},
			// The quote lies inside the passage where both are: one
			// text, one family.
			passageFam: []int32{0, 0}, boilerFam: []int32{},
			fams: []Family{
				fam(oc(docA, 0, 59), false, oc(docB, 40, 100), false, oc(docC, 10, 30), false),
			},
		},
		{
			// A summary's short side (B, copied by E) stands for A's whole
			// paragraph: a quote of the paragraph (in C and E) has no place
			// in B.
			name: "no projection through a summary",
			sides: [][2]Occurrence{
				side(oc(docA, 0, 100), oc(docB, 0, 10)),
				side(oc(docB, 0, 10), oc(docE, 200, 210)),
				side(oc(docA, 40, 55), oc(docC, 0, 15)),
				side(oc(docA, 40, 55), oc(docE, 0, 15)),
			},
			passageFam: []int32{0, 0, 1, 1}, boilerFam: []int32{},
			fams: []Family{
				fam(oc(docA, 0, 100), false, oc(docB, 0, 10), false, oc(docE, 200, 210), false),
				fam(oc(docA, 40, 55), false, oc(docC, 0, 15), false, oc(docE, 0, 15), false),
			},
		},
		{
			// C and E quote A's paragraph, which B printed with many
			// edits (and E copied from B): the place the quote maps to in
			// B holds other text.
			name: "no projection through a passage of other text",
			sides: [][2]Occurrence{
				side(oc(docA, 0, 100), oc(docB, 0, 100)),
				side(oc(docB, 0, 100), oc(docE, 200, 300)),
				side(oc(docA, 40, 55), oc(docC, 0, 15)),
				side(oc(docA, 40, 55), oc(docE, 0, 15)),
			},
			texts:      [][2]Sketch{{same, other}, {other, other}, {same, same}, {same, same}},
			passageFam: []int32{0, 0, 1, 1}, boilerFam: []int32{},
			fams: []Family{
				fam(oc(docA, 0, 100), false, oc(docB, 0, 100), false, oc(docE, 200, 300), false),
				fam(oc(docA, 40, 55), false, oc(docC, 0, 15), false, oc(docE, 0, 15), false),
			},
		},
		{
			name: "projection through a passage of the same text",
			sides: [][2]Occurrence{
				side(oc(docA, 0, 100), oc(docB, 0, 100)),
				side(oc(docB, 0, 100), oc(docE, 200, 300)),
				side(oc(docA, 40, 55), oc(docC, 0, 15)),
				side(oc(docA, 40, 55), oc(docE, 0, 15)),
			},
			texts:      [][2]Sketch{{same, same}, {same, same}, {same, same}, {same, same}},
			passageFam: []int32{0, 0, 1, 1}, boilerFam: []int32{},
			fams: []Family{
				fam(oc(docA, 0, 100), false, oc(docB, 0, 100), false, oc(docE, 200, 300), false),
				fam(oc(docA, 40, 55), false, oc(docB, 40, 55), true, oc(docC, 0, 15), false, oc(docE, 0, 15), false),
			},
		},
		{
			name: "no projection where the family already has a member",
			sides: [][2]Occurrence{
				side(oc(docA, 0, 100), oc(docB, 0, 100)),
				side(oc(docB, 40, 55), oc(docA, 500, 515)),
			},
			passageFam: []int32{0, 1}, boilerFam: []int32{},
			fams: []Family{
				fam(oc(docA, 0, 100), false, oc(docB, 0, 100), false),
				fam(oc(docA, 500, 515), false, oc(docB, 40, 55), false),
			},
		},
		{
			// A, B and C print one paragraph; B~C aligned only a sentence
			// of it: the sentence's family lies inside the paragraph's.
			name: "subsumed family merged into its host",
			sides: [][2]Occurrence{
				side(oc(docA, 0, 100), oc(docB, 0, 100)),
				side(oc(docA, 0, 100), oc(docC, 0, 100)),
				side(oc(docB, 40, 55), oc(docC, 40, 55)),
			},
			passageFam: []int32{0, 0, 0}, boilerFam: []int32{},
			fams: []Family{fam(oc(docA, 0, 100), false, oc(docB, 0, 100), false, oc(docC, 0, 100), false)},
		},
		{
			name: "boilerplate numbered after passages",
			sides: [][2]Occurrence{
				side(oc(docC, 0, 20), oc(docD, 0, 20)),
			},
			boilerplate: [][]Occurrence{{oc(docA, 90, 100), oc(docB, 90, 100), oc(docE, 50, 60)}},
			passageFam:  []int32{0}, boilerFam: []int32{1},
			fams: []Family{
				fam(oc(docC, 0, 20), false, oc(docD, 0, 20), false),
				fam(oc(docA, 90, 100), false, oc(docB, 90, 100), false, oc(docE, 50, 60), false),
			},
		},
		{
			// Text held by more than MaxDF documents inside a passage two
			// documents share stays its own cluster: the passage is not
			// held by the boilerplate's other documents. (Merged, the
			// passage's cluster claimed them all; a check, which reads
			// only some of the boilerplate's documents, merged where the
			// scan did not.)
			name:        "boilerplate inside a passage stays apart",
			sides:       [][2]Occurrence{side(oc(docA, 0, 100), oc(docB, 0, 100))},
			boilerplate: [][]Occurrence{{oc(docA, 40, 50), oc(docB, 40, 50), oc(docC, 5, 15), oc(docD, 5, 15)}},
			passageFam:  []int32{0}, boilerFam: []int32{1},
			fams: []Family{
				fam(oc(docA, 0, 100), false, oc(docB, 0, 100), false),
				fam(oc(docA, 40, 50), false, oc(docB, 40, 50), false, oc(docC, 5, 15), false, oc(docD, 5, 15), false),
			},
		},
		{
			// Boilerplate decides which boilerplate texts are one: two
			// families overlapping in one region stay two, and identical
			// occurrences of two join only through a passage on them.
			name:        "boilerplate families in one region stay apart",
			sides:       [][2]Occurrence{side(oc(docD, 0, 10), oc(docE, 0, 10))},
			boilerplate: [][]Occurrence{{oc(docA, 0, 10), oc(docB, 0, 10), oc(docE, 0, 10)}, {oc(docA, 2, 12), oc(docC, 0, 10)}, {oc(docB, 0, 10), oc(docC, 20, 30)}},
			passageFam:  []int32{0}, boilerFam: []int32{0, 1, 2},
			fams: []Family{
				fam(oc(docA, 0, 10), false, oc(docB, 0, 10), false, oc(docD, 0, 10), false, oc(docE, 0, 10), false),
				fam(oc(docA, 2, 12), false, oc(docC, 0, 10), false),
				fam(oc(docB, 0, 10), false, oc(docC, 20, 30), false),
			},
		},
		{
			name:        "boilerplate joins the passage on the same text",
			sides:       [][2]Occurrence{side(oc(docA, 90, 100), oc(docB, 90, 100))},
			boilerplate: [][]Occurrence{{oc(docA, 91, 100), oc(docC, 0, 9)}},
			passageFam:  []int32{0}, boilerFam: []int32{0},
			fams: []Family{fam(oc(docA, 90, 100), false, oc(docB, 90, 100), false, oc(docC, 0, 9), false)},
		},
		{
			// The quote's family (first passage) is merged into the
			// paragraph's: the family of passage 0 must still be number 0.
			name: "numbering by first occurrence after a merge",
			sides: [][2]Occurrence{
				side(oc(docB, 40, 55), oc(docC, 40, 55)),
				side(oc(docD, 0, 30), oc(docE, 0, 30)),
				side(oc(docA, 0, 100), oc(docB, 0, 100)),
				side(oc(docA, 0, 100), oc(docC, 0, 100)),
			},
			passageFam: []int32{0, 1, 0, 0}, boilerFam: []int32{},
			fams: []Family{
				fam(oc(docA, 0, 100), false, oc(docB, 0, 100), false, oc(docC, 0, 100), false),
				fam(oc(docD, 0, 30), false, oc(docE, 0, 30), false),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pf, bf, fams, err := Families(context.Background(), tt.sides, tt.texts, tt.boilerplate)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(pf, tt.passageFam) || !slices.Equal(bf, tt.boilerFam) || !equalFamilies(fams, tt.fams) {
				t.Errorf("Families(%v, %v) = %v, %v, %v, want %v, %v, %v",
					tt.sides, tt.boilerplate, pf, bf, fams, tt.passageFam, tt.boilerFam, tt.fams)
			}
			checkFamilies(t, tt.sides, tt.boilerplate, pf, bf, fams)
		})
	}
}

// familiesOf is Families with a context that is never cancelled.
func familiesOf(tb testing.TB, sides [][2]Occurrence, boilerplate [][]Occurrence) (passageFamily, boilerFamily []int32, fams []Family) {
	tb.Helper()
	pf, bf, fams, err := Families(context.Background(), sides, nil, boilerplate)
	if err != nil {
		tb.Fatalf("Families with a live context = %v", err)
	}
	return pf, bf, fams
}

// TestFamiliesCancelled: Families gives up with the context's error
// when it is cancelled, rather than run on (it takes seconds on a large
// scan's millions of passages).
func TestFamiliesCancelled(t *testing.T) {
	sides, boiler := benchFamilies()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, fams, err := Families(ctx, sides, nil, boiler); !errors.Is(err, context.Canceled) || fams != nil {
		t.Errorf("Families with a cancelled context = %d families, %v; want context.Canceled", len(fams), err)
	}
}

func equalFamilies(x, y []Family) bool {
	return slices.EqualFunc(x, y, func(a, b Family) bool {
		return slices.Equal(a.Members, b.Members) && slices.Equal(a.Derived, b.Derived)
	})
}

// checkFamilies checks what Families promises of any result: members
// sorted by (Doc, Start), not overlapping, Derived parallel to them; every
// passage side and boilerplate occurrence lies in a member of its family
// (90% or more: a family merged into a host may stick out of its members).
func checkFamilies(t *testing.T, sides [][2]Occurrence, boilerplate [][]Occurrence, pf, bf []int32, fams []Family) {
	t.Helper()
	for i, f := range fams {
		if len(f.Members) == 0 || len(f.Derived) != len(f.Members) {
			t.Errorf("family %d: %d members, %d Derived flags", i, len(f.Members), len(f.Derived))
		}
		for j := 1; j < len(f.Members); j++ {
			p, m := f.Members[j-1], f.Members[j]
			if p.Doc > m.Doc || p.Doc == m.Doc && p.End > m.Start {
				t.Errorf("family %d: members %v, %v out of order or overlapping", i, p, m)
			}
		}
	}
	in := func(o Occurrence, f int32) bool {
		if f < 0 || int(f) >= len(fams) {
			return false
		}
		return slices.ContainsFunc(fams[f].Members, func(m Occurrence) bool {
			inter := min(o.End, m.End) - max(o.Start, m.Start)
			return m.Doc == o.Doc && 10*inter >= 9*o.len()
		})
	}
	if len(pf) != len(sides) || len(bf) != len(boilerplate) {
		t.Fatalf("Families: %d passage and %d boilerplate numbers, want %d, %d", len(pf), len(bf), len(sides), len(boilerplate))
	}
	for i, s := range sides {
		if !in(s[0], pf[i]) || !in(s[1], pf[i]) {
			t.Errorf("passage %d %v not inside family %d", i, s, pf[i])
		}
	}
	for j, g := range boilerplate {
		for _, o := range g {
			if !in(o, bf[j]) {
				t.Errorf("boilerplate %d occurrence %v not inside family %d", j, o, bf[j])
			}
		}
	}
}

// randomFamilyInput makes passages between few documents with overlapping,
// nested and repeated spans, and boilerplate groups.
func randomFamilyInput(r *rand.Rand) ([][2]Occurrence, [][]Occurrence) {
	o := func() Occurrence {
		s := int32(r.IntN(200))
		return oc(uint32(r.IntN(6)), s, s+1+int32(r.IntN(60)))
	}
	var sides [][2]Occurrence
	for range r.IntN(30) {
		a, b := o(), o()
		for b.Doc == a.Doc { // pairs are of two documents
			b = o()
		}
		if r.IntN(2) == 0 { // same length on both sides
			b.End = b.Start + a.len()
		}
		sides = append(sides, side(a, b))
	}
	var boiler [][]Occurrence
	for range r.IntN(3) {
		var g []Occurrence
		for range 2 + r.IntN(4) {
			g = append(g, o())
		}
		boiler = append(boiler, g)
	}
	return sides, boiler
}

// TestFamiliesRandom checks the promises of Families on random input, and
// that the same input always gives the same result (gonum's graphs and
// Families' maps iterate in random order).
func TestFamiliesRandom(t *testing.T) {
	for seed := range 300 {
		r := rand.New(rand.NewPCG(11, uint64(seed)))
		sides, boiler := randomFamilyInput(r)
		pf, bf, fams := familiesOf(t, sides, boiler)
		checkFamilies(t, sides, boiler, pf, bf, fams)
		if t.Failed() {
			t.Fatalf("Families(%v, %v) = %v, %v, %v", sides, boiler, pf, bf, fams)
		}
		for range 3 {
			pf2, bf2, fams2 := familiesOf(t, sides, boiler)
			if !slices.Equal(pf, pf2) || !slices.Equal(bf, bf2) || !equalFamilies(fams, fams2) {
				t.Fatalf("Families(%v, %v) not deterministic: %v, %v, %v then %v, %v, %v", sides, boiler, pf, bf, fams, pf2, bf2, fams2)
			}
		}
	}
}

// TestFamiliesNumbering checks that families are numbered by their first
// occurrence: passages in order, then boilerplate groups.
func TestFamiliesNumbering(t *testing.T) {
	for seed := range 300 {
		r := rand.New(rand.NewPCG(12, uint64(seed)))
		sides, boiler := randomFamilyInput(r)
		pf, bf, fams := familiesOf(t, sides, boiler)
		next := int32(0)
		for _, f := range append(slices.Clone(pf), bf...) {
			if f > next {
				t.Fatalf("Families(%v, %v) = %v, %v, %v: family %d before %d", sides, boiler, pf, bf, fams, f, next)
			}
			if f == next {
				next++
			}
		}
	}
}

// TestFamiliesDeterministic runs Families 20 times on input with many
// documents, families and derived members: the numbering never changes
// with the iteration order of maps inside.
func TestFamiliesDeterministic(t *testing.T) {
	var sides [][2]Occurrence
	var boiler [][]Occurrence
	for d := range uint32(40) {
		// Documents 3d, 3d+1, 3d+2 share a paragraph; the next trio
		// quotes a sentence of it.
		a, b, c := 3*d, 3*d+1, 3*d+2
		sides = append(sides,
			side(oc(a, 0, 100), oc(b, 10, 110)),
			side(oc(b, 10, 110), oc(c, 5, 104)),
			side(oc(c, 40, 55), oc((c+1)%120, 300, 315)),
		)
		if d%5 == 0 {
			boiler = append(boiler, []Occurrence{oc(a, 500, 510), oc(b, 500, 510), oc(c, 500, 510)})
		}
	}
	pf, bf, fams := familiesOf(t, sides, boiler)
	want := fmt.Sprint(pf, bf, fams)
	for range 20 {
		pf, bf, fams := familiesOf(t, sides, boiler)
		if got := fmt.Sprint(pf, bf, fams); got != want {
			t.Fatalf("Families not deterministic:\n%s\nthen\n%s", want, got)
		}
	}
	// The trio's quote lies inside the next trio's paragraph: its family.
	if !reflect.DeepEqual(pf[:3], []int32{0, 0, 0}) {
		t.Errorf("Families: first passages in families %v, want 0, 0, 0", pf[:3])
	}
}

// TestMaxLengthClass: the largest length class is that of the longest
// occurrence, so that unionSameRegions' table of classes holds them all.
func TestMaxLengthClass(t *testing.T) {
	if c := lengthClass(math.MaxInt32); c != maxLengthClass {
		t.Errorf("lengthClass(MaxInt32) = %d, want maxLengthClass %d", c, maxLengthClass)
	}
}

// TestSortByFamilyPlace: a document's occurrences by (family, Start, End,
// index) from integer keys, against a comparison sort, with places and
// families too large to pack.
func TestSortByFamilyPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	var ks keysort.Sorter[int32]
	for _, n := range []int{0, 1, 2, 40, 3000} {
		for _, wide := range []bool{false, true} {
			occ := make([]Occurrence, n)
			comp := make([]int32, n)
			for i := range occ {
				start := r.Int32N(20)
				if wide {
					start = r.Int32N(1 << 30)
				}
				occ[i] = Occurrence{Start: start, End: start + 1 + r.Int32N(5)}
				comp[i] = r.Int32N(4)
				if wide {
					comp[i] = r.Int32N(1 << 30)
				}
			}
			todo := make([]int32, n)
			for i := range todo {
				todo[i] = int32(i)
			}
			slices.SortFunc(todo, func(x, y int32) int { return cmp.Or(cmp.Compare(occ[x].Start, occ[y].Start), cmp.Compare(x, y)) })
			want := slices.Clone(todo)
			slices.SortFunc(want, func(x, y int32) int {
				return cmp.Or(cmp.Compare(comp[x], comp[y]), cmp.Compare(occ[x].Start, occ[y].Start), cmp.Compare(occ[x].End, occ[y].End), cmp.Compare(x, y))
			})
			un := &units{comp: comp, firstBoiler: n} // each occurrence a unit
			if sortByFamilyPlace(&ks, todo, un, occurrences{boiler: occ}); !slices.Equal(todo, want) {
				t.Fatalf("%d occurrences (wide %v): not by (family, Start, End, index)", n, wide)
			}
		}
	}
}

// TestFamiliesOnWorkers: FamiliesOn gives Families's result on several
// workers, on inputs of thousands of documents (many blocks of rowBlock
// documents, so that every worker has some), and is cancelled as it is.
func TestFamiliesOnWorkers(t *testing.T) {
	sides, boiler := benchFamilies()
	// Documents that share one paragraph with many others, in every
	// block: unions collected by several workers join one component.
	for d := range uint32(3000) {
		sides = append(sides, side(oc(d, 6000, 6050), oc(d+1, 6000+int32(d%3), 6050)))
	}
	wpf, wbf, wfams := familiesOf(t, sides, boiler)
	for _, workers := range []int{2, 3, 8} {
		pf, bf, fams, err := FamiliesOn(context.Background(), workers, sides, nil, boiler)
		if err != nil || !slices.Equal(pf, wpf) || !slices.Equal(bf, wbf) || !equalFamilies(fams, wfams) {
			t.Fatalf("FamiliesOn with %d workers differs from Families (%v): %d families, want %d", workers, err, len(fams), len(wfams))
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, fams, err := FamiliesOn(ctx, 3, sides, nil, boiler); !errors.Is(err, context.Canceled) || fams != nil {
		t.Errorf("FamiliesOn with a cancelled context = %d families, %v; want context.Canceled", len(fams), err)
	}
}

// TestSortsBeyondKeysort: the sorts that go through keysort up to
// maxKeysort elements and sort in place beyond give the same order on
// both sides of it.
func TestSortsBeyondKeysort(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for _, n := range []int{maxKeysort, maxKeysort + 1, 5 * maxKeysort} {
		adds := make([]derived, n)
		for i := range adds {
			adds[i] = derived{o: Occurrence{Doc: r.Uint32N(300)}, at: int64(r.Uint32N(1<<20))<<32 | int64(i)}
		}
		want := slices.Clone(adds)
		slices.SortFunc(want, func(x, y derived) int { return cmp.Or(cmp.Compare(x.o.Doc, y.o.Doc), cmp.Compare(x.at, y.at)) })
		if sortDerived(adds, nil, func(d derived) uint64 { return uint64(d.o.Doc) }); !slices.Equal(adds, want) {
			t.Errorf("%d projections: not sorted by (document, at)", n)
		}
		ms := make([]member, n)
		for i := range ms {
			ms[i] = member{o: Occurrence{Doc: r.Uint32N(300), Start: r.Int32N(1 << 20)}}
		}
		sortMembers(ms)
		if !slices.IsSortedFunc(ms, func(x, y member) int { return cmp.Or(cmp.Compare(x.o.Doc, y.o.Doc), cmp.Compare(x.o.Start, y.o.Start)) }) {
			t.Errorf("%d members: not sorted by (document, start)", n)
		}
		ps := make([]postings.Numbered, n)
		for i := range ps {
			ps[i] = postings.Numbered{FP: uint32(i), Doc: r.Uint32N(300), Pos: r.Uint32N(1 << 20)}
		}
		in := slices.Clone(ps)
		if err := sortByDocPos(context.Background(), ps); err != nil || !slices.IsSortedFunc(ps, byDocPos) {
			t.Errorf("%d postings: not sorted by (document, position) (err %v)", n, err)
		}
		byAll := func(x, y postings.Numbered) int { return cmp.Or(byDocPos(x, y), cmp.Compare(x.FP, y.FP)) }
		slices.SortFunc(in, byAll)
		if got := slices.Clone(ps); !slices.Equal(slices.SortedFunc(slices.Values(got), byAll), in) {
			t.Errorf("%d postings: sorted, they are not the postings given", n)
		}
	}
	ps := make([]postings.Numbered, 3*maxKeysort)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sortByDocPos(ctx, ps); err == nil {
		t.Error("sortByDocPos with a cancelled context: no error")
	}
}

// TestProjectThrough: the rules of projectThrough, one case each.
func TestProjectThrough(t *testing.T) {
	tests := []struct {
		name    string
		o, p, q Occurrence
		want    Occurrence
		ok      bool
	}{
		{"inside, same length", oc(0, 20, 30), oc(0, 10, 50), oc(1, 100, 140), oc(1, 110, 120), true},
		{"inside, the other side a little longer", oc(0, 20, 30), oc(0, 10, 50), oc(1, 100, 150), oc(1, 113, 125), true},
		{"nine tenths inside", oc(0, 8, 28), oc(0, 10, 50), oc(1, 100, 140), oc(1, 100, 118), true},
		{"less than nine tenths inside", oc(0, 5, 25), oc(0, 10, 50), oc(1, 100, 140), Occurrence{}, false},
		{"the other side 1.5 times as long", oc(0, 20, 30), oc(0, 10, 50), oc(1, 100, 160), oc(1, 115, 130), true},
		{"the other side more than 1.5 times as long", oc(0, 20, 30), oc(0, 10, 50), oc(1, 100, 161), Occurrence{}, false},
		{"a summary: the other side a fifth as long", oc(0, 20, 30), oc(0, 10, 50), oc(1, 100, 108), Occurrence{}, false},
		{"an empty side", oc(0, 20, 30), oc(0, 20, 20), oc(1, 100, 140), Occurrence{}, false},
	}
	for _, tt := range tests {
		got, ok := projectThrough(tt.o, tt.p, tt.q)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: projectThrough(%v, %v, %v) = %v, %v, want %v, %v", tt.name, tt.o, tt.p, tt.q, got, ok, tt.want, tt.ok)
		}
	}
}

// TestBuildFamiliesFirstProjection checks that of several projections of
// a family into one document (as workers' lists bring them together), the
// one with the least at is the only one kept, and that none is kept into a
// document the family holds; projections are filtered in place, so a kept
// one overwrites those read before it.
func TestBuildFamiliesFirstProjection(t *testing.T) {
	occ := []Occurrence{oc(1, 0, 10), oc(2, 0, 10), oc(3, 0, 10), oc(4, 0, 10)}
	comp := []int32{0, 0, 1, 1}
	adds := []derived{
		{fam: 0, o: oc(5, 40, 50), at: 9},
		{fam: 0, o: oc(5, 20, 30), at: 3}, // least at into 5: kept
		{fam: 0, o: oc(2, 60, 70), at: 1}, // the family holds 2
		{fam: 0, o: oc(6, 0, 5), at: 7},
		{fam: 0, o: oc(6, 8, 12), at: 8},
		{fam: 1, o: oc(5, 90, 95), at: 2},
		{fam: 1, o: oc(5, 70, 80), at: 4},
	}
	un := units{comp: comp, firstBoiler: len(occ)} // each occurrence a unit
	held, err := newFamilyDocs(context.Background(), occurrences{boiler: occ}, &un, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []Family{
		{Members: []Occurrence{oc(1, 0, 10), oc(2, 0, 10), oc(5, 20, 30), oc(6, 0, 5)}, Derived: []bool{false, false, true, true}},
		{Members: []Occurrence{oc(3, 0, 10), oc(4, 0, 10), oc(5, 90, 95)}, Derived: []bool{false, false, true}},
	}
	for _, spilled := range []bool{false, true} {
		var spill *memberFile
		if spilled {
			spill = newMemberFile(2)
		}
		ctx := context.Background()
		fams, members, err := buildFamilies(ctx, occurrences{boiler: occ}, un, 2, slices.Clone(adds), held, spill)
		if err == nil && spilled {
			if members != nil || fams[0].Members != nil {
				t.Errorf("spilled: members returned in memory")
			}
			members, err = spill.load(ctx, fams)
			spill.close()
		}
		if err != nil {
			t.Fatal(err)
		}
		var all []Occurrence
		for f := range want {
			if !slices.Equal(fams[f].Members, want[f].Members) || !slices.Equal(fams[f].Derived, want[f].Derived) {
				t.Errorf("spilled %v: family %d = %v %v, want %v %v", spilled, f, fams[f].Members, fams[f].Derived, want[f].Members, want[f].Derived)
			}
			all = append(all, want[f].Members...)
		}
		if !slices.Equal(members, all) {
			t.Errorf("spilled %v: members = %v, want %v", spilled, members, all)
		}
	}
}

// TestUnitsOf: a unit for each side, one for each non-empty group, with
// the group's occurrences; of finds every occurrence's unit.
func TestUnitsOf(t *testing.T) {
	groups := [][]Occurrence{{oc(1, 0, 5), oc(2, 0, 5)}, nil, {oc(3, 0, 5)}, {oc(1, 7, 9), oc(4, 0, 5), oc(5, 0, 5)}}
	un := unitsOf(4, groups) // two passages' sides, then the groups' members
	if un.len() != 7 {
		t.Errorf("%d units, want 7", un.len())
	}
	if want := []int{4, -1, 5, 6}; !slices.Equal(un.groupAt, want) {
		t.Errorf("groupAt = %v, want %v", un.groupAt, want)
	}
	want := [][2]int32{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 6}, {6, 7}, {7, 10}}
	for u, w := range want {
		lo, hi := un.occurrences(int32(u))
		if lo != w[0] || hi != w[1] {
			t.Errorf("unit %d: occurrences [%d, %d), want [%d, %d)", u, lo, hi, w[0], w[1])
		}
		for i := lo; i < hi; i++ {
			if got := un.of(i); got != int32(u) {
				t.Errorf("occurrence %d: unit %d, want %d", i, got, u)
			}
		}
	}
}

// TestFamilyDocs: each family's documents, sorted, once an occurrence
// of each of its units (passage sides, and groups of several
// occurrences); holds finds exactly those.
func TestFamilyDocs(t *testing.T) {
	sides := [][2]Occurrence{side(oc(3, 0, 5), oc(7, 9, 12))}
	boiler := []Occurrence{oc(7, 0, 5), oc(1, 0, 5), oc(5, 0, 5), oc(3, 6, 9), oc(3, 20, 25)}
	un := unitsOf(2, [][]Occurrence{boiler[:2], nil, boiler[2:3], boiler[3:]})
	un.comp = []int32{0, 1, 1, 2, 0} // the sides, then the groups
	held, err := newFamilyDocs(context.Background(), occurrences{sides: sides, boiler: boiler}, &un, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]uint32{{3, 3, 3}, {1, 7, 7}, {5}, {}}
	for f, docs := range want {
		if got := held.of(int32(f)); !slices.Equal(got, docs) {
			t.Errorf("family %d: documents %v, want %v", f, got, docs)
		}
		for d := range uint32(9) {
			if got, want := held.holds(int32(f), d), slices.Contains(docs, d); got != want {
				t.Errorf("family %d: holds(%d) = %v, want %v", f, d, got, want)
			}
		}
	}
}

// TestNumberByFirst: families renumbered in place in the order of their
// first occurrence in comp, as a copy into their new places gives them,
// and comp renumbered with them.
func TestNumberByFirst(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for range 200 {
		n := 1 + r.IntN(40)
		fams := make([]Family, n)
		for f := range fams {
			fams[f] = Family{Members: []Occurrence{oc(uint32(f), 0, 1)}}
		}
		comp := r.Perm(n) // every family occurs
		for range r.IntN(3 * n) {
			comp = slices.Insert(comp, r.IntN(len(comp)+1), r.IntN(n))
		}
		c32 := make([]int32, len(comp))
		for i, f := range comp {
			c32[i] = int32(f)
		}
		// The reference: numbers given in order of first occurrence, each
		// family copied to its number.
		number := map[int32]int32{}
		want := make([]Family, n)
		wantComp := make([]int32, len(c32))
		for i, f := range c32 {
			if _, ok := number[f]; !ok {
				number[f] = int32(len(number))
				want[number[f]] = fams[f]
			}
			wantComp[i] = number[f]
		}
		got := numberByFirst(slices.Clone(fams), c32)
		if !equalFamilies(got, want) || !slices.Equal(c32, wantComp) {
			t.Fatalf("numberByFirst(%v) = %v, %v; want %v, %v", comp, got, c32, want, wantComp)
		}
	}
}

// TestUnitsOfBlocks: of finds the unit of every occurrence through the
// block index, with groups smaller and larger than a block, empty ones,
// and blocks that begin inside a group.
func TestUnitsOfBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for range 50 {
		var groups [][]Occurrence
		for range 1 + r.IntN(60) {
			n := r.IntN(8)
			if r.IntN(4) == 0 {
				n = r.IntN(3 * unitBlock)
			}
			groups = append(groups, make([]Occurrence, n))
		}
		sidesLen := 2 * r.IntN(5)
		un := unitsOf(sidesLen, groups)
		i := int32(0)
		for ; int(i) < sidesLen; i++ {
			if got := un.of(i); got != i {
				t.Fatalf("side %d: unit %d", i, got)
			}
		}
		for _, u := range un.groupAt {
			if u < 0 {
				continue
			}
			lo, hi := un.occurrences(int32(u))
			for ; i < hi; i++ {
				if i < lo {
					t.Fatalf("occurrence %d before its group's %d", i, lo)
				}
				if got := un.of(i); got != int32(u) {
					t.Fatalf("occurrence %d: unit %d, want %d (groups %d, blocks %v)", i, got, u, len(groups), un.block)
				}
			}
		}
	}
}
