package cluster

import (
	"math/rand/v2"
	"testing"
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
		_, _, fams = Families(sides, boiler)
	}
	b.ReportMetric(float64(len(sides)), "passages")
	b.ReportMetric(float64(len(fams)), "families")
}
