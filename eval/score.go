package eval

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"

	"github.com/reuse-tool/reuse/result"
)

// PRF is precision, recall and F1 of a set of found items against a set of
// true items.
type PRF struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Truth     int     `json:"truth"`
	Found     int     `json:"found"`
	Correct   int     `json:"correct"`
}

// ClassScores are the PAN measures restricted to one class of cases.
type ClassScores struct {
	Cases int `json:"cases"`
	// Detected counts the class's cases detected at least once.
	Detected int `json:"detected"`
	// Detections counts the detections that detect a case of the class.
	Detections  int     `json:"detections"`
	Precision   float64 `json:"precision"`
	Recall      float64 `json:"recall"`
	Granularity float64 `json:"granularity"`
	Plagdet     float64 `json:"plagdet"`
}

// Scores are the measures of a detection result against the truth.
type Scores struct {
	Precision   float64 `json:"precision"`
	Recall      float64 `json:"recall"`
	Granularity float64 `json:"granularity"`
	Plagdet     float64 `json:"plagdet"`
	Cases       int     `json:"cases"`
	// Detected counts the cases detected at least once.
	Detected   int                    `json:"detected"`
	Detections int                    `json:"detections"`
	PerClass   map[string]ClassScores `json:"per_class"`
	DocPairs   PRF                    `json:"doc_pairs"`
	Groups     PRF                    `json:"groups"`
	// ListedPairs counts the truth's listed pairs (Truth.Pairs), and
	// ListedDetected those the result has a detection in; both 0 when the
	// truth lists none.
	ListedPairs    int `json:"listed_pairs,omitempty"`
	ListedDetected int `json:"listed_detected,omitempty"`
}

// span is a byte range [start, end) of one document.
type span struct{ start, end int }

// pair2 is a case or detection as two byte ranges: a in the pair's document
// with the smaller internal number, b in the other.
type pair2 struct{ a, b span }

func (p pair2) size() int { return spanLen(p.a) + spanLen(p.b) }

func spanLen(s span) int { return max(0, s.end-s.start) }

// overlaps reports whether two non-empty ranges share a byte.
func overlaps(x, y span) bool {
	return x.start < x.end && y.start < y.end && x.start < y.end && y.start < x.end
}

func intersect(x, y span) span { return span{max(x.start, y.start), min(x.end, y.end)} }

// unionLen returns the number of bytes covered by the spans; it sorts them.
func unionLen(ss []span) int {
	slices.SortFunc(ss, func(x, y span) int { return cmp.Compare(x.start, y.start) })
	total, end := 0, math.MinInt
	for _, s := range ss {
		if s.end <= s.start {
			continue
		}
		if s.start > end {
			total += s.end - s.start
			end = s.end
		} else if s.end > end {
			total += s.end - end
			end = s.end
		}
	}
	return total
}

// link says detection det detects case cas.
type link struct{ cas, det int32 }

// Score measures r against t with the PAN text-alignment measures
// (Potthast et al. 2010) and pairwise document and group measures; see the
// package doc for the definitions and edge cases. Its cost is
// O((|S|+|R|) log(|S|+|R|)) plus, per document pair, the number of
// detection–case overlaps.
func Score(t *Truth, r *result.Result) Scores {
	ids := map[string]int32{}
	intern := func(s string) int32 {
		id, ok := ids[s]
		if !ok {
			id = int32(len(ids))
			ids[s] = id
		}
		return id
	}
	// orient returns the pair key and the ranges ordered by document number.
	orient := func(x string, xs span, y string, ys span) (uint64, pair2) {
		a, b := intern(x), intern(y)
		if a > b {
			a, b = b, a
			xs, ys = ys, xs
		}
		return uint64(uint32(a))<<32 | uint64(uint32(b)), pair2{xs, ys}
	}

	// Cases by document pair.
	classIdx := map[string]int{}
	var classNames []string
	cases := make([]pair2, len(t.Cases))
	caseClass := make([]int, len(t.Cases))
	type bucket struct{ cases, dets []int32 }
	buckets := map[uint64]*bucket{}
	for i, c := range t.Cases {
		k, p := orient(c.Source, span{c.SourceStart, c.SourceEnd}, c.Target, span{c.TargetStart, c.TargetEnd})
		cases[i] = p
		ci, ok := classIdx[c.Class]
		if !ok {
			ci = len(classNames)
			classIdx[c.Class] = ci
			classNames = append(classNames, c.Class)
		}
		caseClass[i] = ci
		bk := buckets[k]
		if bk == nil {
			bk = &bucket{}
			buckets[k] = bk
		}
		bk.cases = append(bk.cases, int32(i))
	}

	// Listed pairs: the only ones scored, when the truth lists any.
	var listed map[uint64]bool
	if len(t.Pairs) > 0 {
		listed = make(map[uint64]bool, len(t.Pairs))
		for _, p := range t.Pairs {
			k, _ := orient(p[0], span{}, p[1], span{})
			listed[k] = true
		}
	}

	// Detections: every passage that has bytes on either side.
	var dets []pair2
	foundPairs := map[uint64]bool{}
	for _, p := range r.Pairs {
		if listed != nil {
			if k, _ := orient(p.A, span{}, p.B, span{}); !listed[k] {
				continue
			}
		}
		for _, q := range p.Passages {
			if q.AEnd <= q.AStart && q.BEnd <= q.BStart {
				continue
			}
			k, d := orient(p.A, span{q.AStart, q.AEnd}, p.B, span{q.BStart, q.BEnd})
			if bk := buckets[k]; bk != nil {
				bk.dets = append(bk.dets, int32(len(dets)))
			}
			dets = append(dets, d)
		}
		k, _ := orient(p.A, span{}, p.B, span{})
		foundPairs[k] = true
	}

	// Links: which detection detects which case (overlap on both sides).
	var links []link
	var prefMax []int
	keys := make([]uint64, 0, len(buckets))
	for k := range buckets {
		keys = append(keys, k)
	}
	slices.Sort(keys) // deterministic order of floating-point sums
	for _, k := range keys {
		bk := buckets[k]
		if len(bk.dets) == 0 {
			continue
		}
		ds := bk.dets
		slices.SortFunc(ds, func(x, y int32) int { return cmp.Compare(dets[x].a.start, dets[y].a.start) })
		prefMax = prefMax[:0]
		m := math.MinInt
		for _, d := range ds {
			m = max(m, dets[d].a.end)
			prefMax = append(prefMax, m)
		}
		for _, ci := range bk.cases {
			c := cases[ci]
			lo := sort.Search(len(ds), func(j int) bool { return prefMax[j] > c.a.start })
			for j := lo; j < len(ds) && dets[ds[j]].a.start < c.a.end; j++ {
				d := dets[ds[j]]
				if overlaps(d.a, c.a) && overlaps(d.b, c.b) {
					links = append(links, link{ci, ds[j]})
				}
			}
		}
	}

	// Per case: recall and the number of detections (granularity).
	caseRec := make([]float64, len(cases))
	caseDets := make([]int, len(cases))
	var sa, sb []span
	slices.SortFunc(links, func(x, y link) int { return cmp.Or(cmp.Compare(x.cas, y.cas), cmp.Compare(x.det, y.det)) })
	for i := 0; i < len(links); {
		ci := links[i].cas
		c := cases[ci]
		sa, sb = sa[:0], sb[:0]
		j := i
		for ; j < len(links) && links[j].cas == ci; j++ {
			d := dets[links[j].det]
			sa = append(sa, intersect(c.a, d.a))
			sb = append(sb, intersect(c.b, d.b))
		}
		if n := c.size(); n > 0 {
			caseRec[ci] = float64(unionLen(sa)+unionLen(sb)) / float64(n)
		}
		caseDets[ci] = j - i
		i = j
	}

	// Per detection: precision, and the classes it detects.
	detPrec := make([]float64, len(dets))
	nc := len(classNames)
	classPrecSum := make([]float64, nc)
	classDets := make([]int, nc)
	lastDet := make([]int32, nc)
	for i := range lastDet {
		lastDet[i] = -1
	}
	slices.SortFunc(links, func(x, y link) int { return cmp.Or(cmp.Compare(x.det, y.det), cmp.Compare(x.cas, y.cas)) })
	for i := 0; i < len(links); {
		di := links[i].det
		d := dets[di]
		sa, sb = sa[:0], sb[:0]
		j := i
		for ; j < len(links) && links[j].det == di; j++ {
			c := cases[links[j].cas]
			sa = append(sa, intersect(c.a, d.a))
			sb = append(sb, intersect(c.b, d.b))
		}
		if n := d.size(); n > 0 {
			detPrec[di] = float64(unionLen(sa)+unionLen(sb)) / float64(n)
		}
		for k := i; k < j; k++ {
			cl := caseClass[links[k].cas]
			if lastDet[cl] != di {
				lastDet[cl] = di
				classDets[cl]++
				classPrecSum[cl] += detPrec[di]
			}
		}
		i = j
	}

	// Aggregates, overall and per class.
	var s Scores
	s.Cases, s.Detections = len(cases), len(dets)
	var precSum, recSum float64
	for _, p := range detPrec {
		precSum += p
	}
	classRec := make([]float64, nc)
	classCases := make([]int, nc)
	classDetected := make([]int, nc)
	classGran := make([]int, nc)
	detSum := 0
	for i, rc := range caseRec {
		recSum += rc
		cl := caseClass[i]
		classRec[cl] += rc
		classCases[cl]++
		if caseDets[i] > 0 {
			s.Detected++
			detSum += caseDets[i]
			classDetected[cl]++
			classGran[cl] += caseDets[i]
		}
	}
	s.Precision = macroAvg(precSum, len(dets), len(cases))
	s.Recall = macroAvg(recSum, len(cases), len(dets))
	s.Granularity = granularity(detSum, s.Detected)
	s.Plagdet = Plagdet(s.Precision, s.Recall, s.Granularity)
	s.PerClass = make(map[string]ClassScores, nc)
	for cl, name := range classNames {
		cs := ClassScores{Cases: classCases[cl], Detected: classDetected[cl], Detections: classDets[cl]}
		cs.Precision = macroAvg(classPrecSum[cl], classDets[cl], classCases[cl])
		cs.Recall = macroAvg(classRec[cl], classCases[cl], classDets[cl])
		cs.Granularity = granularity(classGran[cl], classDetected[cl])
		cs.Plagdet = Plagdet(cs.Precision, cs.Recall, cs.Granularity)
		s.PerClass[name] = cs
	}

	// Document pairs.
	correct := 0
	for k := range foundPairs {
		if buckets[k] != nil {
			correct++
		}
	}
	s.DocPairs = newPRF(correct, len(foundPairs), len(buckets))
	if listed != nil {
		s.ListedPairs, s.ListedDetected = len(listed), len(foundPairs)
	}

	// Groups, as the unordered document pairs inside them. Each side is
	// taken as a partition: a document listed in two groups counts in both.
	groupOf := map[string]int{}
	truthPairs := 0
	for gi, g := range t.Groups {
		seen := map[string]bool{}
		for _, id := range g {
			if !seen[id] {
				seen[id] = true
				groupOf[id] = gi
			}
		}
		truthPairs += pairsOf(len(seen))
	}
	foundG, correctG := 0, 0
	for _, g := range r.Groups {
		seen := map[string]bool{}
		perTruth := map[int]int{}
		for _, id := range g.Documents {
			if seen[id] {
				continue
			}
			seen[id] = true
			if gi, ok := groupOf[id]; ok {
				perTruth[gi]++
			}
		}
		foundG += pairsOf(len(seen))
		for _, n := range perTruth {
			correctG += pairsOf(n)
		}
	}
	s.Groups = newPRF(correctG, foundG, truthPairs)
	return s
}

func pairsOf(n int) int { return n * (n - 1) / 2 }

// macroAvg is sum/n, with PAN's conventions for empty sets: 1 when both
// the averaged set (n) and the other set are empty, 0 when only one is.
func macroAvg(sum float64, n, other int) float64 {
	switch {
	case n == 0 && other == 0:
		return 1
	case n == 0 || other == 0:
		return 0
	}
	return sum / float64(n)
}

// granularity is the mean number of detections per detected case; 1 when
// no case is detected.
func granularity(dets, detected int) float64 {
	if detected == 0 {
		return 1
	}
	return float64(dets) / float64(detected)
}

// Plagdet combines the PAN measures: F1(precision, recall) / log2(1 +
// granularity); 0 when precision and recall are both 0.
func Plagdet(precision, recall, granularity float64) float64 {
	if precision+recall <= 0 || granularity < 1 {
		return 0
	}
	return 2 * precision * recall / (precision + recall) / math.Log2(1+granularity)
}

// newPRF computes precision, recall and F1 with the same empty-set
// conventions as macroAvg.
func newPRF(correct, found, truth int) PRF {
	p := PRF{Truth: truth, Found: found, Correct: correct}
	p.Precision = macroAvg(float64(correct), found, truth)
	p.Recall = macroAvg(float64(correct), truth, found)
	if p.Precision+p.Recall > 0 {
		p.F1 = 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
	}
	return p
}

// WriteText writes the scores as a table: one row per class (the planted
// classes in order, then any others by name), a total row, then the
// document-pair and group measures.
func (s Scores) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	const row = "%-12s %6d %9d %11d %10.3f %7.3f %12.3f %8.3f\n"
	fmt.Fprintf(bw, "%-12s %6s %9s %11s %10s %7s %12s %8s\n", "class", "cases", "detected",
		"detections", "precision", "recall", "granularity", "plagdet")
	var names []string
	for _, c := range Classes() {
		if _, ok := s.PerClass[c]; ok {
			names = append(names, c)
		}
	}
	var others []string
	for c := range s.PerClass {
		if !slices.Contains(names, c) {
			others = append(others, c)
		}
	}
	slices.Sort(others)
	for _, c := range append(names, others...) {
		cs := s.PerClass[c]
		fmt.Fprintf(bw, row, c, cs.Cases, cs.Detected, cs.Detections, cs.Precision, cs.Recall,
			cs.Granularity, cs.Plagdet)
	}
	fmt.Fprintf(bw, row, "all", s.Cases, s.Detected, s.Detections, s.Precision, s.Recall,
		s.Granularity, s.Plagdet)
	for _, x := range []struct {
		name string
		p    PRF
	}{{"document pairs", s.DocPairs}, {"group pairs", s.Groups}} {
		fmt.Fprintf(bw, "%-15s precision %.3f  recall %.3f  F1 %.3f  (truth %d, found %d, correct %d)\n",
			x.name, x.p.Precision, x.p.Recall, x.p.F1, x.p.Truth, x.p.Found, x.p.Correct)
	}
	if s.ListedPairs > 0 {
		fmt.Fprintf(bw, "listed pairs   %d scored, %d with a detection, %d without a case but with a detection\n",
			s.ListedPairs, s.ListedDetected, s.DocPairs.Found-s.DocPairs.Correct)
	}
	return bw.Flush()
}
