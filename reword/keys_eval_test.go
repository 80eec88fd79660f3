package reword

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/candidate"
	"github.com/reuse-tool/reuse/eval"
	"github.com/reuse-tool/reuse/result"
	"github.com/reuse-tool/reuse/shingle"
)

// keyCorpus is the analysis of every document of a corpus, for measuring
// keys: names are corpus paths ("src/x.txt").
type keyCorpus struct {
	names  []string
	index  map[string]uint32
	docs   []Doc
	tokens int
}

// loadKeyCorpus analyses the documents of the given sub-folders of root.
func loadKeyCorpus(t testing.TB, root string, subs ...string) *keyCorpus {
	kc := &keyCorpus{index: map[string]uint32{}}
	r := newPanRunner(Options{})
	for _, dir := range subs {
		ents, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			path := filepath.Join(root, dir, e.Name())
			d, err := r.load(path)
			if err != nil {
				t.Fatal(err)
			}
			kc.index[dir+"/"+e.Name()] = uint32(len(kc.names))
			kc.names = append(kc.names, dir+"/"+e.Name())
			kc.docs = append(kc.docs, d.doc)
			kc.tokens += len(d.toks)
			delete(r.docs, path) // memory
		}
	}
	return kc
}

// keyStats are the keys of a corpus: the pairs of documents that share a
// key held by at most maxDF documents.
type keyStats struct {
	keys, overDF int
	pairs        map[uint64]bool
	shared       map[uint64][]candidate.Key // with rules: the keys of each pair
}

func pairKey(x, y uint32) uint64 { return uint64(min(x, y))<<32 | uint64(max(x, y)) }

func (kc *keyCorpus) keyStats(k *Keyer, maxDF int, rules *candidate.Rules) keyStats {
	type posting struct {
		key uint64
		doc uint32
		pos uint32
	}
	var posts []posting
	var keys []shingle.Fingerprint
	var st keyStats
	for i, d := range kc.docs {
		keys = k.Keys(keys[:0], d)
		for _, x := range keys {
			posts = append(posts, posting{x.Hash, uint32(i), x.Pos})
		}
		st.keys += len(keys)
	}
	slices.SortFunc(posts, func(x, y posting) int {
		if x.key != y.key {
			if x.key < y.key {
				return -1
			}
			return 1
		}
		return int(x.doc) - int(y.doc)
	})
	st.pairs = map[uint64]bool{}
	shared := map[uint64][]candidate.Key{}
	for lo := 0; lo < len(posts); {
		hi := lo + 1
		for hi < len(posts) && posts[hi].key == posts[lo].key {
			hi++
		}
		if hi-lo > maxDF {
			st.overDF++
		} else {
			for i := lo; i < hi; i++ {
				for j := i + 1; j < hi; j++ {
					x, y := posts[i], posts[j]
					if x.doc == y.doc {
						continue
					}
					if rules == nil {
						st.pairs[pairKey(x.doc, y.doc)] = true
						continue
					}
					if x.doc > y.doc {
						x, y = y, x
					}
					pk := pairKey(x.doc, y.doc)
					shared[pk] = append(shared[pk], candidate.Key{A: x.doc, B: y.doc, PosA: x.pos, PosB: y.pos, DF: uint32(hi - lo)})
				}
			}
		}
		lo = hi
	}
	for pk, ks := range shared {
		if rules.Pair(ks) {
			st.pairs[pk] = true
			if st.shared == nil {
				st.shared = map[uint64][]candidate.Key{}
			}
			st.shared[pk] = ks
		}
	}
	return st
}

// keyRules reads the pairing rules of keys from REWORD_LSH_RULES,
// "SoloDF,RareDF,Near", or "any" (nil: any shared key pairs two
// documents); KeyRules by default, MaxDF from maxDFEnv.
func keyRules(maxDF int) *candidate.Rules {
	spec := os.Getenv("REWORD_LSH_RULES")
	if spec == "any" {
		return nil
	}
	r := KeyRules()
	r.MaxDF = maxDF
	if spec != "" {
		fmt.Sscanf(spec, "%d,%d,%d", &r.SoloDF, &r.RareDF, &r.Near)
	}
	return &r
}

// describe names the keys' options and rules.
func describe(k *Keyer, r *candidate.Rules) string {
	o := k.Options()
	s := fmt.Sprintf("pairs %d, per %d, min terms %d; ", o.Pairs, o.Per, o.MinTerms)
	if r == nil {
		return s + "any shared key"
	}
	return s + fmt.Sprintf("rules max df %d, solo df %d, rare df %d, near %d", r.MaxDF, r.SoloDF, r.RareDF, r.Near)
}

// scanPairs reads the pairs of a scan's JSON result (the exact aligner's
// pairs), as pair keys of kc; nil without a path.
func (kc *keyCorpus) scanPairs(t testing.TB, path string) map[uint64]bool {
	if path == "" {
		return nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var res result.Result
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	out := map[uint64]bool{}
	for _, p := range res.Pairs {
		x, ok1 := kc.index[p.A]
		y, ok2 := kc.index[p.B]
		if ok1 && ok2 {
			out[pairKey(x, y)] = true
		}
	}
	return out
}

// keyConfigs reads the Keyer options to compare from REWORD_KEYS:
// "Field=value,..." configurations separated by ';' (one default
// configuration when unset).
func keyConfigs(t testing.TB) []KeyOptions {
	var out []KeyOptions
	for _, spec := range strings.Split(os.Getenv("REWORD_KEYS"), ";") {
		var o KeyOptions
		setFields(t, &o, spec)
		out = append(out, o)
	}
	return out
}

func maxDFEnv() int {
	maxDF := KeyRules().MaxDF
	if s := os.Getenv("REWORD_LSH_MAXDF"); s != "" {
		maxDF, _ = strconv.Atoi(s)
	}
	return maxDF
}

// TestPANRetrieval measures the LSH keys on PAN-13 training data: over all
// src and susp documents, the share of listed pairs with cases that
// collide on a key (per sub-corpus) and the number of colliding pairs in
// all (the candidate load), keys held by more than REWORD_LSH_MAXDF
// documents (default 50) skipped as boilerplate. With REWORD_LSH_SCAN set
// to a scan's JSON result of the same documents (reuse scan --reworded
// on a folder holding src/ and susp/), it also gives the recall of the keys' pairs
// and the scan's pairs together. It runs only with REWORD_LSH=1; options
// to compare in REWORD_KEYS (see keyConfigs):
//
//	REWORD_LSH=1 REWORD_KEYS="Window=3;Window=4,Winnow=4" go test ./reword/ -run TestPANRetrieval -v
func TestPANRetrieval(t *testing.T) {
	if os.Getenv("REWORD_LSH") == "" {
		t.Skip("set REWORD_LSH=1 to measure LSH retrieval on PAN-13 training data")
	}
	havePAN(t)
	kc := loadKeyCorpus(t, panDir, "src", "susp")
	scan := kc.scanPairs(t, os.Getenv("REWORD_LSH_SCAN"))
	type listed struct {
		sub   string
		pairs []uint64 // with cases
	}
	var subs []listed
	for _, sub := range panSubs[1:] {
		list, err := readPairs(sub)
		if err != nil {
			t.Fatal(err)
		}
		truth, err := eval.ReadPANTruth(filepath.Join(panDir, sub), panDir)
		if err != nil {
			t.Fatal(err)
		}
		withCase := map[[2]string]bool{}
		for _, c := range truth.Cases {
			withCase[[2]string{c.Target, c.Source}] = true
		}
		l := listed{sub: sub[:2]}
		for _, p := range list {
			if withCase[p] {
				l.pairs = append(l.pairs, pairKey(kc.index["susp/"+p[0]], kc.index["src/"+p[1]]))
			}
		}
		subs = append(subs, l)
	}
	maxDF := maxDFEnv()
	fmt.Printf("PAN-13 train: %d documents, %d tokens\n", len(kc.names), kc.tokens)
	for _, opt := range keyConfigs(t) {
		k := NewKeyer(opt)
		rules := keyRules(maxDF)
		st := kc.keyStats(k, maxDF, rules)
		fmt.Printf("%s: %.3f keys/token, %d over df, colliding pairs %d\n",
			describe(k, rules), float64(st.keys)/float64(kc.tokens), st.overDF, len(st.pairs))
		for _, l := range subs {
			got, union, sc := 0, 0, 0
			for _, p := range l.pairs {
				if st.pairs[p] {
					got++
				}
				if scan[p] {
					sc++
				}
				if st.pairs[p] || scan[p] {
					union++
				}
			}
			n := float64(max(len(l.pairs), 1))
			fmt.Printf("  %s recall %.3f", l.sub, float64(got)/n)
			if scan != nil {
				fmt.Printf(" (scan %.3f, with the scan %.3f)", float64(sc)/n, float64(union)/n)
			}
			fmt.Println()
		}
	}
}

// TestGenRetrieval measures the keys on a generated corpus
// (REWORD_LSH_GEN=folder written by reuse gen): keys a token, colliding
// pairs, and the share of case pairs of each class retrieved (with
// REWORD_LSH_SCAN, also by the keys or the scan's pairs). Options to
// compare in REWORD_KEYS.
func TestGenRetrieval(t *testing.T) {
	dir := os.Getenv("REWORD_LSH_GEN")
	if dir == "" {
		t.Skip("set REWORD_LSH_GEN to a generated corpus folder")
	}
	truth, err := eval.ReadTruth(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	kc := loadKeyCorpus(t, filepath.Join(dir, "corpus"), "src", "sus", "syn")
	scan := kc.scanPairs(t, os.Getenv("REWORD_LSH_SCAN"))
	byClass := map[string][]uint64{}
	var classes []string
	for _, c := range truth.Cases {
		if byClass[c.Class] == nil {
			classes = append(classes, c.Class)
		}
		byClass[c.Class] = append(byClass[c.Class], pairKey(kc.index[c.Source], kc.index[c.Target]))
	}
	slices.Sort(classes)
	maxDF := maxDFEnv()
	n := len(kc.names)
	fmt.Printf("%s: %d documents, %d tokens\n", dir, n, kc.tokens)
	for _, opt := range keyConfigs(t) {
		k := NewKeyer(opt)
		rules := keyRules(maxDF)
		st := kc.keyStats(k, maxDF, rules)
		extra, extraCase := 0, 0
		isCase := map[uint64]bool{}
		for _, c := range truth.Cases {
			isCase[pairKey(kc.index[c.Source], kc.index[c.Target])] = true
		}
		for p := range st.pairs {
			if !scan[p] {
				extra++
				if isCase[p] {
					extraCase++
				}
			}
		}
		fmt.Printf("%s: %.3f keys/token, colliding pairs %d (%.2f a document; %d not paired by the scan, %d of them with a case)\n",
			describe(k, rules), float64(st.keys)/float64(kc.tokens), len(st.pairs),
			float64(len(st.pairs))/float64(n), extra, extraCase)
		if show, _ := strconv.Atoi(os.Getenv("REWORD_LSH_SHOW")); show > 0 {
			isCase := map[uint64]bool{}
			for _, ps := range byClass {
				for _, p := range ps {
					isCase[p] = true
				}
			}
			for p, ks := range st.shared {
				if isCase[p] || scan[p] || show == 0 {
					continue
				}
				show--
				x, y := uint32(p>>32), uint32(p)
				fmt.Printf("false %s %s:\n", kc.names[x], kc.names[y])
				for _, key := range ks {
					fmt.Printf("    df %d  %q  |  %q\n", key.DF, snippet(dir, kc.names[key.A], key.PosA), snippet(dir, kc.names[key.B], key.PosB))
				}
			}
		}
		for _, c := range classes {
			got, union, sc := 0, 0, 0
			for _, p := range byClass[c] {
				if st.pairs[p] {
					got++
				}
				if scan[p] {
					sc++
				}
				if st.pairs[p] || scan[p] {
					union++
				}
			}
			n := float64(len(byClass[c]))
			fmt.Printf("  %-12s recall %.3f", c, float64(got)/n)
			if scan != nil {
				fmt.Printf(" (scan %.3f, with the scan %.3f)", float64(sc)/n, float64(union)/n)
			}
			fmt.Println()
		}
	}
}

// snippet returns the text of about 8 tokens from token pos of a corpus
// document.
func snippet(dir, name string, pos uint32) string {
	text, err := os.ReadFile(filepath.Join(dir, "corpus", name))
	if err != nil {
		return err.Error()
	}
	toks := shingle.NewTokenizer().Tokenize(nil, text)
	if int(pos) >= len(toks) {
		return "?"
	}
	end := min(int(pos)+8, len(toks)-1)
	return string(text[toks[pos].Start:toks[end].End])
}

// TestCorpusLoad measures the candidate load of the keys on any corpus
// folder (REWORD_LSH_DIR, read recursively; REWORD_LSH_SCAN a scan's
// JSON result of it): keys a token, pairs the keys pair, and those the
// scan does not. Options and rules as for TestPANRetrieval.
func TestCorpusLoad(t *testing.T) {
	root := os.Getenv("REWORD_LSH_DIR")
	if root == "" {
		t.Skip("set REWORD_LSH_DIR to a corpus folder")
	}
	kc := &keyCorpus{index: map[string]uint32{}}
	r := newPanRunner(Options{})
	err := filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		d, err := r.load(path)
		if err != nil {
			return err
		}
		kc.index[filepath.ToSlash(rel)] = uint32(len(kc.names))
		kc.names = append(kc.names, filepath.ToSlash(rel))
		kc.docs = append(kc.docs, d.doc)
		kc.tokens += len(d.toks)
		delete(r.docs, path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	scan := kc.scanPairs(t, os.Getenv("REWORD_LSH_SCAN"))
	maxDF := maxDFEnv()
	fmt.Printf("%s: %d documents, %d tokens; the scan pairs %d\n", root, len(kc.names), kc.tokens, len(scan))
	for _, opt := range keyConfigs(t) {
		k := NewKeyer(opt)
		rules := keyRules(maxDF)
		st := kc.keyStats(k, maxDF, rules)
		extra := 0
		for p := range st.pairs {
			if !scan[p] {
				extra++
			}
		}
		fmt.Printf("%s: %.3f keys/token, colliding pairs %d (%.2f a document), %d not paired by the scan\n",
			describe(k, rules), float64(st.keys)/float64(kc.tokens), len(st.pairs), float64(len(st.pairs))/float64(len(kc.names)), extra)
	}
}
