package reword

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZDebug(t *testing.T) {
	spec := os.Getenv("ZZ")
	if spec == "" {
		t.Skip()
	}
	f := strings.Split(spec, ",")
	r := newPanRunner(Options{})
	ps, err := r.align(f[0], f[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		fmt.Printf("passage A %d-%d B %d-%d sim %.3f\n", p.AStart, p.AEnd, p.BStart, p.BEnd, p.Similarity)
	}
	al := r.pa.reworded
	a, _ := r.load(panDir + "/src/" + f[1])
	s, _ := r.load(panDir + "/susp/" + f[0])
	for _, sd := range al.seeds {
		as, _ := a.doc.Sentence(int(sd.a))
		bs, _ := s.doc.Sentence(int(sd.b))
		fmt.Printf("seed a%d(@%d) b%d(@%d) cos %.3f\n", sd.a, a.toks[as].Start, sd.b, s.toks[bs].Start, sd.cos)
	}
	for _, c := range al.cands {
		fmt.Printf("cand a %d-%d b %d-%d sim %.3f kind %d\n", c.a0, c.a1, c.b0, c.b1, c.sim, c.kind)
	}
}
