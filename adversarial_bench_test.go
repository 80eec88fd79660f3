package reuse

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Adversarial corpora of the shapes that made scans super-linear on real
// archives, each at doubling sizes (BenchmarkAdversarial): the time per
// unit of input must stay about flat.
//
//	near-duplicates  two documents of n lines that differ in one line of 5,000
//	one-token        two documents of one word repeated n times
//	table            8 generated register headers of n lines, "#define
//	                 BLOCK_FIELD__SHIFT 0xN", each with a line in 50 its own
//	license-headers  n small files, each a 200-word license header and a body
//	                 of its own
//	hub              one document quoting n others, a sentence of each
//	reworded         two prose documents of n words, the second a copy of
//	                 the first, lightly edited in its first half, its
//	                 sentences' words shuffled and one in four replaced in
//	                 its second: the reworded aligner runs on all of the
//	                 pair
//	repeated-table   one generated table of n lines, drawn from 40 patterns
//	                 but for one line in 50 (a test log, Go's
//	                 re2-exhaustive.txt), and 50 small files, each quoting
//	                 12 of its lines around an unrepeated one: most
//	                 fingerprints they share lie at thousands of places of
//	                 the table
var adversarialShapes = []struct {
	name  string
	sizes []int
	write func(dir string, n int) error
}{
	{"near-duplicates", []int{25_000, 50_000, 100_000, 200_000}, writeNearDuplicates},
	{"one-token", []int{250_000, 500_000, 1_000_000, 2_000_000}, writeOneToken},
	{"table", []int{12_500, 25_000, 50_000, 100_000}, writeTables},
	{"license-headers", []int{2_500, 5_000, 10_000, 20_000}, writeLicenseHeaders},
	{"hub", []int{1_250, 2_500, 5_000, 10_000}, writeHub},
	{"reworded", []int{25_000, 50_000, 100_000, 200_000}, writeReworded},
	{"repeated-table", []int{25_000, 50_000, 100_000, 200_000}, writeRepeatedTable},
}

func writeFiles(dir string, files map[string]string) error {
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func writeNearDuplicates(dir string, n int) error {
	r := rand.New(rand.NewPCG(uint64(n), 1))
	lines := make([]string, n)
	for i := range lines {
		lines[i] = rbText(r, 8+r.IntN(8))
	}
	a := strings.Join(lines, "\n")
	for i := 2500; i < n; i += 5000 {
		lines[i] = rbText(r, 10)
	}
	return writeFiles(dir, map[string]string{"a.txt": a, "b.txt": strings.Join(lines, "\n")})
}

func writeOneToken(dir string, n int) error {
	text := strings.Repeat("the ", n)
	return writeFiles(dir, map[string]string{"a.txt": text, "b.txt": text})
}

func writeTables(dir string, n int) error {
	r := rand.New(rand.NewPCG(uint64(n), 2))
	fields := strings.Fields("ENABLE DISABLE MODE SELECT STATUS CTRL CNTL BASE SIZE LIMIT ADDR DATA VALID READY")
	base := make([]string, n)
	for i := range base {
		base[i] = fmt.Sprintf("#define BLK%d_%s__%s__SHIFT 0x%x", r.IntN(n/20+1), fields[r.IntN(len(fields))], fields[r.IntN(len(fields))], r.IntN(32))
	}
	files := map[string]string{}
	for f := range 8 {
		lines := append([]string(nil), base...)
		for i := f; i < n; i += 50 {
			lines[i] = fmt.Sprintf("#define V%d_%s__SHIFT 0x%x", f, fields[r.IntN(len(fields))], r.IntN(32))
		}
		files[fmt.Sprintf("gc_%d_sh_mask.h", f)] = strings.Join(lines, "\n")
	}
	return writeFiles(dir, files)
}

func writeLicenseHeaders(dir string, n int) error {
	r := rand.New(rand.NewPCG(uint64(n), 3))
	header := rbText(rand.New(rand.NewPCG(9, 9)), 200)
	files := map[string]string{}
	for i := range n {
		files[fmt.Sprintf("src/%05d.c", i)] = header + "\n\n" + rbText(r, 100+r.IntN(200))
	}
	return writeFiles(dir, files)
}

func writeHub(dir string, n int) error {
	r := rand.New(rand.NewPCG(uint64(n), 4))
	var hub strings.Builder
	files := map[string]string{}
	for i := range n {
		quote := rbText(r, 14)
		quote = quote[:len(quote)-1]
		files[fmt.Sprintf("src/%05d.txt", i)] = rbText(r, 50) + " " + quote + ". " + rbText(r, 50)
		fmt.Fprintf(&hub, "%s As one report put it, %s. ", rbText(r, 10), quote)
	}
	files["hub.txt"] = hub.String()
	return writeFiles(dir, files)
}

func writeReworded(dir string, n int) error {
	r := rand.New(rand.NewPCG(uint64(n), 5))
	words := strings.Fields(rbText(r, n))
	for i := range words {
		words[i] = strings.TrimSuffix(words[i], ".")
	}
	vocab := strings.Fields(rbText(r, 2000))
	prose := func(ws []string) string {
		var b strings.Builder
		for i, w := range ws {
			if i%12 == 0 {
				if i > 0 {
					b.WriteString(". ")
				}
				w = strings.ToUpper(w[:1]) + w[1:]
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		b.WriteByte('.')
		return b.String()
	}
	copied := slices.Clone(words)
	for i := 5; i < n/2; i += 10 {
		copied[i] = strings.TrimSuffix(vocab[r.IntN(len(vocab))], ".")
	}
	// The second half: each sentence's words shuffled, one in four
	// replaced: no exact run, the same sentences to the reworded aligner.
	for lo := n / 2 / 12 * 12; lo < n; lo += 12 {
		st := copied[lo:min(lo+12, n)]
		r.Shuffle(len(st), func(i, j int) { st[i], st[j] = st[j], st[i] })
		for i := range st {
			if r.IntN(4) == 0 {
				st[i] = strings.TrimSuffix(vocab[r.IntN(len(vocab))], ".")
			}
		}
	}
	return writeFiles(dir, map[string]string{"a.txt": prose(words), "b.txt": prose(copied)})
}

func writeRepeatedTable(dir string, n int) error {
	r := rand.New(rand.NewPCG(uint64(n), 6))
	patterns := make([]string, 40)
	for i := range patterns {
		patterns[i] = fmt.Sprintf("case %s mode %s ready %s", strings.Fields("alpha beta gamma delta kappa")[i%5], strings.Fields("on off")[i%2], strings.Fields("one two three four")[i/10])
	}
	lines := make([]string, n)
	for i := range lines {
		if lines[i] = patterns[r.IntN(len(patterns))]; i%50 == 0 {
			lines[i] = rbText(r, 6)
		}
	}
	files := map[string]string{"table.txt": strings.Join(lines, "\n")}
	for i := range 50 {
		at := r.IntN(n/50-1)*50 + 44
		files[fmt.Sprintf("quotes/%04d.txt", i)] = rbText(r, 60) + "\n" + strings.Join(lines[at:at+12], "\n") + "\n" + rbText(r, 60)
	}
	return writeFiles(dir, files)
}

// BenchmarkAdversarial scans each adversarial corpus at doubling sizes,
// as reuse scan runs it, reporting the time per unit of input (lines,
// words, files or quotes: the n of the shape).
//
//	go test -run '^$' -bench Adversarial -benchtime 3x
func BenchmarkAdversarial(b *testing.B) {
	for _, shape := range adversarialShapes {
		for _, n := range shape.sizes {
			b.Run(fmt.Sprintf("%s/%d", shape.name, n), func(b *testing.B) {
				dir := b.TempDir()
				if err := shape.write(dir, n); err != nil {
					b.Fatal(err)
				}
				var passages int
				for b.Loop() {
					res, err := Scan(context.Background(), []string{dir}, Options{})
					if err != nil {
						b.Fatal(err)
					}
					passages = res.Stats.Passages
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/unit")
				b.ReportMetric(float64(passages), "passages")
			})
		}
	}
}
