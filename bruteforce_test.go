package reuse

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/result"
)

// commonRuns is the slow, obvious reference: every maximal run of equal
// words shared by a and b (dynamic programming over all position pairs)
// with at least minLen words, as word ranges [aStart,aEnd) × [bStart,bEnd).
func commonRuns(a, b []string, minLen int) [][4]int {
	var out [][4]int
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
			} else {
				cur[j] = 0
			}
		}
		for j := 1; j <= len(b); j++ {
			// A run is maximal where it cannot be extended by one more word.
			n := cur[j]
			if n >= minLen && (i == len(a) || j == len(b) || a[i] != b[j]) {
				out = append(out, [4]int{i - n, i, j - n, j})
			}
		}
		prev, cur = cur, prev
	}
	return out
}

// wordOffsets returns the byte offsets of the words of a space-separated
// text.
func wordOffsets(text string) [][2]int {
	var out [][2]int
	start := -1
	for i := 0; i <= len(text); i++ {
		if i == len(text) || text[i] == ' ' || text[i] == '\n' {
			if start >= 0 {
				out = append(out, [2]int{start, i})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}

// covered counts the words of [from,to) that lie inside the byte ranges.
func covered(offs [][2]int, from, to int, ranges [][2]int) int {
	n := 0
	for w := from; w < to; w++ {
		for _, r := range ranges {
			if offs[w][0] >= r[0] && offs[w][1] <= r[1] {
				n++
				break
			}
		}
	}
	return n
}

// TestScanAgainstBruteForce: on small random corpora over a tiny
// vocabulary (so that short chance matches abound) with planted copied
// runs, every run of Shingle+Window-1 or more words shared by two
// documents must be covered by that pair's passages on both sides, and
// every passage must rest on shared words.
func TestScanAgainstBruteForce(t *testing.T) {
	const minLen = DefaultShingle + DefaultWindow - 1 // the winnowing guarantee
	vocab := strings.Fields("ash bay cod dew elm fig gum hay ivy jam kit lid mud nut oak pea rye sap tar urn vat wax yam zip " +
		"arc bog cub den eel fen gap hob imp jut keg lag mop nib orb pod rut sod tub vim web yew")
	for seed := range uint64(12) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 99))
			const ndocs = 6
			words := make([][]string, ndocs)
			for d := range words {
				n := 80 + rng.IntN(200)
				for range n {
					words[d] = append(words[d], vocab[rng.IntN(len(vocab))])
				}
			}
			// Plant copies: runs of 6..30 words from one document into another.
			for range 8 {
				src, dst := rng.IntN(ndocs), rng.IntN(ndocs)
				if src == dst {
					continue
				}
				n := 6 + rng.IntN(25)
				if n > len(words[src]) {
					continue
				}
				at := rng.IntN(len(words[src]) - n + 1)
				run := append([]string(nil), words[src][at:at+n]...)
				pos := rng.IntN(len(words[dst]) + 1)
				words[dst] = append(words[dst][:pos], append(run, words[dst][pos:]...)...)
			}
			dir := t.TempDir()
			texts := make([]string, ndocs)
			for d := range words {
				texts[d] = strings.Join(words[d], " ")
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("d%d.txt", d)), []byte(texts[d]), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r := scanCorpus(t, Options{}, dir)

			for a := range ndocs {
				for b := a + 1; b < ndocs; b++ {
					idA, idB := fmt.Sprintf("d%d.txt", a), fmt.Sprintf("d%d.txt", b)
					p := findPair(r, idA, idB)
					offA, offB := wordOffsets(texts[a]), wordOffsets(texts[b])
					var rangesA, rangesB [][2]int
					if p != nil {
						for _, x := range p.Passages {
							rangesA = append(rangesA, [2]int{x.AStart, x.AEnd})
							rangesB = append(rangesB, [2]int{x.BStart, x.BEnd})
						}
					}
					runs := commonRuns(words[a], words[b], minLen)
					for i, run := range runs {
						n := run[1] - run[0]
						ca := covered(offA, run[0], run[1], rangesA)
						cb := covered(offB, run[2], run[3], rangesB)
						// Passages never overlap on a side: where two shared
						// runs compete for the same words of one document,
						// only one of them can be aligned there.
						contested := false
						for j, o := range runs {
							if j != i && (o[0] < run[1] && run[0] < o[1] || o[2] < run[3] && run[2] < o[3]) {
								contested = true
							}
						}
						// The loser keeps what is left, if that is at least
						// MinWords long.
						okA, okB := 10*ca >= 9*n, 10*cb >= 9*n
						if !(okA && okB) && !(contested && max(ca, cb) > n-DefaultMinWords) {
							t.Errorf("%s ~ %s share %d words %q; passages cover %d and %d of them (pair %v)",
								idA, idB, n, strings.Join(words[a][run[0]:run[1]], " "), ca, cb, describe(p))
						}
					}
					if p == nil {
						continue
					}
					// Every passage rests on shared words: at least MinWords
					// of its A side lie in runs of 3+ words shared with B.
					short := commonRuns(words[a], words[b], 3)
					for _, x := range p.Passages {
						var shared [][2]int
						for _, s := range short {
							shared = append(shared, [2]int{offA[s[0]][0], offA[s[1]-1][1]})
						}
						if n := covered(offA, wordAt(offA, x.AStart), wordAt(offA, x.AEnd-1)+1, shared); n < DefaultMinWords {
							t.Errorf("%s ~ %s: passage %+v has only %d words in shared runs", idA, idB, x, n)
						}
					}
				}
			}
		})
	}
}

// wordAt returns the index of the word holding byte offset off.
func wordAt(offs [][2]int, off int) int {
	for i, o := range offs {
		if off < o[1] {
			return i
		}
	}
	return len(offs) - 1
}

func describe(p *result.Pair) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprintf("%+v", p.Passages)
}
