package reword

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/reuse-tool/reuse/eval"
	"github.com/reuse-tool/reuse/eval/gen"
	"github.com/reuse-tool/reuse/result"
)

// genDocs aligns document pairs of a generated corpus (package eval): the
// pairs of its cases, and hard non-pairs, documents that share no case but
// the most vocabulary (idf-weighted), as the topics of the generator make
// them share names, places and stock phrases.
type genRun struct {
	r     *panRunner
	dir   string
	truth *eval.Truth
}

func (g *genRun) align(a, b string) ([]result.Passage, error) {
	// panRunner reads "susp" and "src" below panDir; here both are corpus
	// paths.
	return g.r.alignPaths(filepath.Join(g.dir, "corpus", b), filepath.Join(g.dir, "corpus", a))
}

// TestGenEval scores the exact+reworded alignment of the case pairs of a
// generated corpus per class, and counts the hard non-pairs given a
// passage. It runs only with REWORD_GEN set to the number of documents:
//
//	REWORD_GEN=300 go test ./reword/ -run TestGenEval -v
//
// REWORD_GEN_SEED sets the seed (default 1); REWORD_PAN=exact measures the
// exact aligner alone.
func TestGenEval(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("REWORD_GEN"))
	if n <= 0 {
		t.Skip("set REWORD_GEN=300 to evaluate on a generated corpus")
	}
	seed := uint64(1)
	if s := os.Getenv("REWORD_GEN_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	dir := t.TempDir()
	truth, err := gen.Generate(context.Background(), dir, gen.Config{Seed: seed, Docs: n})
	if err != nil {
		t.Fatal(err)
	}
	g := &genRun{r: newPanRunner(envOptions(t)), dir: dir, truth: truth}
	g.r.exactOnly = os.Getenv("REWORD_PAN") == "exact"

	type key = [2]string
	isPair := map[key]bool{}
	var pairs []key
	for _, c := range truth.Cases {
		k := key{min(c.Source, c.Target), max(c.Source, c.Target)}
		if !isPair[k] {
			isPair[k] = true
			pairs = append(pairs, k)
		}
	}
	res := &result.Result{Schema: result.Schema}
	for _, k := range pairs {
		ps, err := g.align(k[0], k[1])
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) > 0 {
			res.Pairs = append(res.Pairs, result.Pair{A: k[0], B: k[1], Passages: ps})
		}
		if os.Getenv("REWORD_GEN_DEBUG") != "" {
			g.debug(k, ps)
		}
	}
	s := eval.Score(truth, res)
	if err := s.WriteText(os.Stdout); err != nil {
		t.Fatal(err)
	}

	// Hard non-pairs: for each document, the 3 others sharing the most
	// idf-weighted vocabulary without a case between them.
	neg := g.hardNegatives(t, isPair, 3)
	found, passages := 0, 0
	for _, k := range neg {
		ps, err := g.align(k[0], k[1])
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) > 0 {
			found++
			passages += len(ps)
			if found <= 10 {
				fmt.Printf("false: %s %s %v\n", k[0], k[1], ps)
			}
		}
	}
	detected := len(res.Pairs)
	fmt.Printf("case pairs %d (with passages %d); hard non-pairs %d, with passages %d (%d passages); "+
		"document-pair precision on these %.4f\n",
		len(pairs), detected, len(neg), found, passages, float64(detected)/float64(max(detected+found, 1)))
}

// hardNegatives returns, for every document, the k documents with the
// largest idf-weighted overlap of content terms that share no case with it.
func (g *genRun) hardNegatives(t *testing.T, isPair map[[2]string]bool, k int) [][2]string {
	ids := make([]string, len(g.truth.Documents))
	sets := make([][]uint32, len(ids))
	df := map[uint32]int{}
	for i, d := range g.truth.Documents {
		ids[i] = d.ID
		pd, err := g.r.load(filepath.Join(g.dir, "corpus", d.ID))
		if err != nil {
			t.Fatal(err)
		}
		set := slices.Clone(pd.doc.Vocab)
		slices.Sort(set)
		set = slices.Compact(set)
		sets[i] = set
		for _, x := range set {
			df[x]++
		}
	}
	seen := map[[2]string]bool{}
	var out [][2]string
	type cand struct {
		j int
		w float64
	}
	for i := range ids {
		var cs []cand
		for j := range ids {
			if i == j || isPair[[2]string{min(ids[i], ids[j]), max(ids[i], ids[j])}] {
				continue
			}
			w := 0.0
			a, b := sets[i], sets[j]
			for x, y := 0, 0; x < len(a) && y < len(b); {
				switch {
				case a[x] < b[y]:
					x++
				case a[x] > b[y]:
					y++
				default:
					w += math.Log(float64(len(ids)) / float64(df[a[x]]))
					x++
					y++
				}
			}
			cs = append(cs, cand{j, w})
		}
		slices.SortFunc(cs, func(x, y cand) int {
			if x.w != y.w {
				if x.w > y.w {
					return -1
				}
				return 1
			}
			return x.j - y.j
		})
		for _, c := range cs[:min(k, len(cs))] {
			p := [2]string{min(ids[i], ids[c.j]), max(ids[i], ids[c.j])}
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// debug prints the passages of pair k that lie mostly outside its cases.
func (g *genRun) debug(k [2]string, ps []result.Passage) {
	for i, q := range ps {
		in := 0
		var cls string
		for _, c := range g.truth.Cases {
			if c.Source != k[0] || c.Target != k[1] {
				continue
			}
			if q.AStart < c.SourceEnd && c.SourceStart < q.AEnd && q.BStart < c.TargetEnd && c.TargetStart < q.BEnd {
				in += min(q.AEnd, c.SourceEnd) - max(q.AStart, c.SourceStart) + min(q.BEnd, c.TargetEnd) - max(q.BStart, c.TargetStart)
				cls += fmt.Sprintf(" %s A=[%d,%d) B=[%d,%d)", c.Class, c.SourceStart, c.SourceEnd, c.TargetStart, c.TargetEnd)
			}
		}
		prec := float64(in) / float64(q.AEnd-q.AStart+q.BEnd-q.BStart)
		if prec < 0.9 {
			fmt.Printf("%s %s %v prec %.2f A=[%d,%d) B=[%d,%d) sim %.2f:%s\n", k[0], k[1], g.r.out[i].Kind, prec,
				q.AStart, q.AEnd, q.BStart, q.BEnd, q.Similarity, cls)
		}
	}
}
