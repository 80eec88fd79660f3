package reword

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/eval"
)

// TestPANDebug lists the passages of a PAN-13 sub-corpus that lie mostly
// outside its cases (REWORD_DEBUG=02-no-obfuscation; REWORD_ALL=1 lists
// all passages).
func TestPANDebug(t *testing.T) {
	sub := os.Getenv("REWORD_DEBUG")
	if sub == "" {
		t.Skip()
	}
	havePAN(t)
	pairs, _ := readPairs(sub)
	truth, err := eval.ReadPANTruth(filepath.Join(panDir, sub), panDir)
	if err != nil {
		t.Fatal(err)
	}
	r := newPanRunner(envOptions(t))
	n := 0
	for _, p := range pairs {
		ps, _ := r.align(p[0], p[1])
		var cs []eval.Case
		for _, c := range truth.Cases {
			if c.Target == p[0] && c.Source == p[1] {
				cs = append(cs, c)
			}
		}
		for k, q := range ps {
			kind := r.out[k].Kind
			// precision of q against cases
			inA, inB := 0, 0
			for _, c := range cs {
				if q.AStart < c.SourceEnd && c.SourceStart < q.AEnd && q.BStart < c.TargetEnd && c.TargetStart < q.BEnd {
					inA += min(q.AEnd, c.SourceEnd) - max(q.AStart, c.SourceStart)
					inB += min(q.BEnd, c.TargetEnd) - max(q.BStart, c.TargetStart)
				}
			}
			prec := float64(inA+inB) / float64(q.AEnd-q.AStart+q.BEnd-q.BStart)
			if (prec < 0.8 || os.Getenv("REWORD_ALL") != "") && n < 400 {
				n++
				fmt.Printf("%s %s kind=%v prec=%.2f sim=%.2f A=[%d,%d) B=[%d,%d)", p[0], p[1], kind, prec, q.Similarity, q.AStart, q.AEnd, q.BStart, q.BEnd)
				for _, c := range cs {
					fmt.Printf(" case A=[%d,%d) B=[%d,%d)", c.SourceStart, c.SourceEnd, c.TargetStart, c.TargetEnd)
				}
				fmt.Println()
			}
		}
	}
}

// TestPANSeeds prints the seeds and passages, in sentences, of the first
// pairs with cases of a sub-corpus (REWORD_SEEDS=05-summary-obfuscation;
// REWORD_ONLY=substring of the pair's names picks pairs, with or without
// cases).
func TestPANSeeds(t *testing.T) {
	sub := os.Getenv("REWORD_SEEDS")
	if sub == "" {
		t.Skip()
	}
	pairs, _ := readPairs(sub)
	truth, _ := eval.ReadPANTruth(filepath.Join(panDir, sub), panDir)
	r := newPanRunner(envOptions(t))
	n := 0
	for _, p := range pairs {
		var cs []eval.Case
		for _, c := range truth.Cases {
			if c.Target == p[0] && c.Source == p[1] {
				cs = append(cs, c)
			}
		}
		if (len(cs) == 0 && os.Getenv("REWORD_ONLY") == "") || n > 12 {
			continue
		}
		if only := os.Getenv("REWORD_ONLY"); only != "" && !strings.Contains(p[0]+p[1], only) {
			continue
		}
		n++
		r.align(p[0], p[1])
		s, _ := r.load(filepath.Join(panDir, "susp", p[0]))
		a, _ := r.load(filepath.Join(panDir, "src", p[1]))
		sentOf := func(d *panDoc, off int) int {
			k := 0
			for i, st := range d.doc.Sentences {
				if int(d.toks[st].Start) <= off {
					k = i
				}
			}
			return k
		}
		fmt.Printf("%s %s: nA=%d nB=%d", p[0], p[1], len(a.doc.Sentences), len(s.doc.Sentences))
		for _, c := range cs {
			fmt.Printf(" case A=[%d..%d] B=[%d..%d]", sentOf(a, c.SourceStart), sentOf(a, c.SourceEnd-1), sentOf(s, c.TargetStart), sentOf(s, c.TargetEnd-1))
		}
		fmt.Println()
		al := r.pa.reworded
		for _, sd := range al.seeds {
			fmt.Printf(" (%d,%d %.2f)", sd.a, sd.b, sd.cos)
		}
		fmt.Println()
		for _, q := range r.out {
			fmt.Printf("  out %v A=[%d..%d] B=[%d..%d]\n", q.Kind, sentOf(a, int(a.toks[q.AStart].Start)), sentOf(a, int(a.toks[q.AEnd-1].Start)), sentOf(s, int(s.toks[q.BStart].Start)), sentOf(s, int(s.toks[q.BEnd-1].Start)))
		}
	}
}

// TestPANDeterminism aligns the pairs of PAN-13 03 (random obfuscation)
// in file order and backwards, with fresh aligners and analyzers: a
// pair's passages must not depend on what was aligned or analysed before.
func TestPANDeterminism(t *testing.T) {
	havePAN(t)
	if testing.Short() {
		t.Skip("not in -short mode")
	}
	pairs, err := readPairs("03-random-obfuscation")
	if err != nil {
		t.Fatal(err)
	}
	r1 := newPanRunner(envOptions(t))
	r2 := newPanRunner(envOptions(t))
	got := map[[2]string]string{}
	for _, p := range pairs {
		ps, _ := r1.align(p[0], p[1])
		got[p] = fmt.Sprint(ps)
	}
	for i := len(pairs) - 1; i >= 0; i-- {
		p := pairs[i]
		ps, _ := r2.align(p[0], p[1])
		if s := fmt.Sprint(ps); s != got[p] {
			t.Errorf("%v: %s vs %s", p, got[p], s)
		}
	}
}

// TestPANMisses prints, for a sub-corpus (REWORD_MISS=03-random-obfuscation),
// a histogram of case recall by case length, to see which cases are lost.
func TestPANMisses(t *testing.T) {
	sub := os.Getenv("REWORD_MISS")
	if sub == "" {
		t.Skip()
	}
	pairs, _ := readPairs(sub)
	truth, _ := eval.ReadPANTruth(filepath.Join(panDir, sub), panDir)
	r := newPanRunner(envOptions(t))
	type bucket struct {
		n   int
		rec float64
	}
	hist := map[int]*bucket{}
	shown := 0
	for _, p := range pairs {
		ps, _ := r.align(p[0], p[1])
		for _, c := range truth.Cases {
			if c.Target != p[0] || c.Source != p[1] {
				continue
			}
			cov := 0
			for _, q := range ps {
				if q.AStart < c.SourceEnd && c.SourceStart < q.AEnd && q.BStart < c.TargetEnd && c.TargetStart < q.BEnd {
					cov += min(q.AEnd, c.SourceEnd) - max(q.AStart, c.SourceStart) + min(q.BEnd, c.TargetEnd) - max(q.BStart, c.TargetStart)
				}
			}
			size := c.SourceEnd - c.SourceStart + c.TargetEnd - c.TargetStart
			rec := float64(cov) / float64(size)
			k := min(size/500, 6)
			if hist[k] == nil {
				hist[k] = &bucket{}
			}
			hist[k].n++
			hist[k].rec += rec
			if rec < 0.3 && shown < 15 && os.Getenv("REWORD_SHOW") != "" {
				shown++
				fmt.Printf("miss %s %s A=[%d,%d) B=[%d,%d) rec %.2f\n", p[0], p[1], c.SourceStart, c.SourceEnd, c.TargetStart, c.TargetEnd, rec)
			}
		}
	}
	for k := range 7 {
		if b := hist[k]; b != nil {
			fmt.Printf("case bytes %5d-%5d: %4d cases, mean recall %.3f\n", k*500, k*500+499, b.n, b.rec/float64(b.n))
		}
	}
}

// TestPairDiag prints the exact spans, reworded passages and combined
// passages of one pair, in bytes (REWORD_PAIR=a.txt,b.txt: paths of A and B).
func TestPairDiag(t *testing.T) {
	spec := os.Getenv("REWORD_PAIR")
	if spec == "" {
		t.Skip()
	}
	ap, bp, _ := strings.Cut(spec, ",")
	r := newPanRunner(envOptions(t))
	a, err := r.load(ap)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.load(bp)
	if err != nil {
		t.Fatal(err)
	}
	pa := r.pa
	pa.SetA(a.toks, a.doc)
	out, _ := pa.Align(context.Background(), nil, b.toks, b.doc)
	by := func(x0, x1, y0, y1 int32) string {
		return fmt.Sprintf("A=[%d,%d) B=[%d,%d)", a.toks[x0].Start, a.toks[x1-1].End, b.toks[y0].Start, b.toks[y1-1].End)
	}
	for _, s := range pa.spans {
		fmt.Println("exact   ", by(s.AStart, s.AEnd, s.BStart, s.BEnd), s.Matched)
	}
	for _, p := range pa.rw {
		fmt.Println("reworded", by(p.AStart, p.AEnd, p.BStart, p.BEnd), p.Kind, p.Similarity)
	}
	for _, sd := range pa.reworded.seeds {
		f, to := pa.reworded.a.tokenRange(sd.a, sd.a)
		g, tg := pa.reworded.b.tokenRange(sd.b, sd.b)
		fmt.Println("  seed", by(f, to, g, tg), sd.cos)
	}
	for _, p := range out {
		fmt.Println("out     ", by(p.AStart, p.AEnd, p.BStart, p.BEnd), p.Kind, p.Similarity)
	}
}
