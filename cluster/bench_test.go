package cluster

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/reuse-tool/reuse/internal/postings"
)

// benchFamilies returns the passages of 1,000 paragraphs syndicated into 2
// to 6 of 5,000 documents each (a passage for every pair of copies, ends
// off by a token or two), 500 quotes of them in other documents, and three
// boilerplate groups of 500 occurrences.
func benchFamilies() ([][2]Occurrence, [][]Occurrence) {
	r := rand.New(rand.NewPCG(17, 18))
	const docs = 5000
	jitter := func(o Occurrence) Occurrence {
		o.Start += int32(r.IntN(3))
		o.End -= int32(r.IntN(3))
		return o
	}
	var sides [][2]Occurrence
	var copies [][]Occurrence
	for range 1000 {
		n := int32(30 + r.IntN(150))
		var cs []Occurrence
		for range 2 + r.IntN(5) {
			s := int32(r.IntN(3000))
			cs = append(cs, Occurrence{Doc: uint32(r.IntN(docs)), Start: s, End: s + n})
		}
		for i := range cs {
			for j := i + 1; j < len(cs); j++ {
				if cs[i].Doc != cs[j].Doc {
					sides = append(sides, [2]Occurrence{jitter(cs[i]), jitter(cs[j])})
				}
			}
		}
		copies = append(copies, cs)
	}
	for range 500 {
		c := copies[r.IntN(len(copies))][0]
		off := int32(r.IntN(int(c.len() - 12)))
		s := int32(r.IntN(3000))
		sides = append(sides, [2]Occurrence{
			{Doc: c.Doc, Start: c.Start + off, End: c.Start + off + 12},
			{Doc: uint32(r.IntN(docs)), Start: s, End: s + 12},
		})
	}
	var boiler [][]Occurrence
	for g := range int32(3) {
		var occ []Occurrence
		for d := range 500 {
			occ = append(occ, Occurrence{Doc: uint32(d * 10), Start: 4000 + 100*g, End: 4040 + 100*g})
		}
		boiler = append(boiler, occ)
	}
	return sides, boiler
}

// BenchmarkFamilies groups about 7,000 passages and 1,500 boilerplate
// occurrences into families.
func BenchmarkFamilies(b *testing.B) {
	sides, boiler := benchFamilies()
	var fams []Family
	b.ReportAllocs()
	for range b.N {
		_, _, fams = familiesOf(b, sides, boiler)
	}
	b.ReportMetric(float64(len(sides)), "passages")
	b.ReportMetric(float64(len(fams)), "families")
}

// BenchmarkFamiliesHub: one document shares a paragraph with n others,
// the boundaries of each copy a few words off, and quotes a sentence of
// it in n/10 more: thousands of near-identical occurrences in one
// document. The time per passage must stay about flat as n doubles.
func BenchmarkFamiliesHub(b *testing.B) {
	for _, n := range []int{1000, 2000, 4000, 8000} {
		r := rand.New(rand.NewPCG(uint64(n), 3))
		var sides [][2]Occurrence
		for d := range n {
			s, e := int32(r.IntN(3)), int32(200-r.IntN(3))
			sides = append(sides, [2]Occurrence{{Doc: 0, Start: s, End: e}, {Doc: uint32(d + 1), Start: 10 + s, End: 10 + e}})
		}
		for d := range n / 10 {
			s := int32(20 + r.IntN(100))
			sides = append(sides, [2]Occurrence{{Doc: 0, Start: s, End: s + 15}, {Doc: uint32(n + d + 1), Start: 0, End: 15}})
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				familiesOf(b, sides, nil)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(sides)), "ns/passage")
		})
	}
}

// BenchmarkSortByDocPos sorts the boilerplate's postings of about 2 GB
// of generated news (20 million, over 700,000 documents) by document and
// position, in place (docs/benchmarks.md, "Boilerplate postings sorted
// in two passes").
func BenchmarkSortByDocPos(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	in := make([]postings.Numbered, 20<<20)
	for i := range in {
		in[i] = postings.Numbered{FP: uint32(i), Doc: r.Uint32N(700_000), Pos: r.Uint32N(4000)}
	}
	ps := make([]postings.Numbered, len(in))
	b.SetBytes(int64(len(in)) * 12)
	for b.Loop() {
		copy(ps, in)
		if err := sortByDocPos(context.Background(), ps); err != nil {
			b.Fatal(err)
		}
	}
}
