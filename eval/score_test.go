package eval

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/result"
)

// Helpers to write truths and results compactly.

func cs(class, src string, ss, se int, tgt string, ts, te int) Case {
	return Case{Class: class, Source: src, SourceStart: ss, SourceEnd: se, Target: tgt, TargetStart: ts, TargetEnd: te}
}

func pas(as, ae, bs, be int) result.Passage {
	return result.Passage{AStart: as, AEnd: ae, BStart: bs, BEnd: be}
}

func pr(a, b string, ps ...result.Passage) result.Pair {
	return result.Pair{A: a, B: b, Passages: ps}
}

func truthOf(cases ...Case) *Truth { return &Truth{Schema: TruthSchema, Cases: cases} }

func resultOf(pairs ...result.Pair) *result.Result {
	return &result.Result{Schema: result.Schema, Pairs: pairs}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

var log2of3 = math.Log2(3)

func TestScorePAN(t *testing.T) {
	tests := []struct {
		name                    string
		cases                   []Case
		pairs                   []result.Pair
		prec, rec, gran, plagde float64
		detected                int
	}{
		{"perfect",
			[]Case{cs("verbatim", "a", 0, 100, "b", 200, 300)},
			[]result.Pair{pr("a", "b", pas(0, 100, 200, 300))},
			1, 1, 1, 1, 1},
		{"reversed orientation", // the pair lists the target first
			[]Case{cs("verbatim", "z", 0, 100, "b", 10, 60)},
			[]result.Pair{pr("b", "z", pas(10, 60, 0, 100))},
			1, 1, 1, 1, 1},
		{"partial overlap", // 50+50 of 200 bytes either way
			[]Case{cs("light", "a", 0, 100, "b", 0, 100)},
			[]result.Pair{pr("a", "b", pas(50, 150, 50, 150))},
			0.5, 0.5, 1, 0.5, 1},
		{"granularity 2",
			[]Case{cs("heavy", "a", 0, 100, "b", 0, 100)},
			[]result.Pair{pr("a", "b", pas(0, 50, 0, 50), pas(50, 100, 50, 100))},
			1, 1, 2, 1 / log2of3, 1},
		{"overlapping detections are a union",
			[]Case{cs("heavy", "a", 0, 100, "b", 0, 100)},
			[]result.Pair{pr("a", "b", pas(0, 60, 0, 60), pas(40, 100, 40, 100))},
			1, 1, 2, 1 / log2of3, 1},
		{"detection hitting no case", // precision (1+0)/2
			[]Case{cs("verbatim", "a", 0, 100, "b", 0, 100)},
			[]result.Pair{pr("a", "b", pas(0, 100, 0, 100)), pr("a", "c", pas(0, 100, 0, 100))},
			0.5, 1, 1, 2 * 0.5 / 1.5, 1},
		{"overlap on one side only is no detection",
			[]Case{cs("verbatim", "a", 0, 100, "b", 0, 100)},
			[]result.Pair{pr("a", "b", pas(0, 100, 200, 300))},
			0, 0, 1, 0, 0},
		{"one detection for two cases", // (100+100+100+100)/600
			[]Case{cs("verbatim", "a", 0, 100, "b", 0, 100), cs("verbatim", "a", 200, 300, "b", 200, 300)},
			[]result.Pair{pr("a", "b", pas(0, 300, 0, 300))},
			2.0 / 3, 1, 1, 0.8, 2},
		{"half a case of two", // recall (150/200 + 0)/2, precision 150/150
			[]Case{cs("verbatim", "a", 0, 100, "b", 0, 100), cs("verbatim", "a", 0, 100, "c", 0, 100)},
			[]result.Pair{pr("a", "b", pas(0, 100, 0, 50))},
			1, 0.375, 1, 2 * 0.375 / 1.375, 1},
		{"adjacent ranges do not overlap",
			[]Case{cs("verbatim", "a", 0, 100, "b", 0, 100)},
			[]result.Pair{pr("a", "b", pas(100, 200, 100, 200))},
			0, 0, 1, 0, 0},
		{"empty passage is no detection",
			[]Case{cs("verbatim", "a", 0, 100, "b", 0, 100)},
			[]result.Pair{pr("a", "b", pas(0, 100, 0, 100), pas(5, 5, 7, 7))},
			1, 1, 1, 1, 1},
		{"nothing at all", nil, nil, 1, 1, 1, 1, 0},
		{"no detections",
			[]Case{cs("verbatim", "a", 0, 100, "b", 0, 100)}, nil,
			0, 0, 1, 0, 0},
		{"no cases", nil,
			[]result.Pair{pr("a", "b", pas(0, 100, 0, 100))},
			0, 0, 1, 0, 0},
	}
	for _, tt := range tests {
		s := Score(truthOf(tt.cases...), resultOf(tt.pairs...))
		got := []float64{s.Precision, s.Recall, s.Granularity, s.Plagdet}
		want := []float64{tt.prec, tt.rec, tt.gran, tt.plagde}
		for i, name := range []string{"precision", "recall", "granularity", "plagdet"} {
			if !near(got[i], want[i]) {
				t.Errorf("%s: Score(...).%s = %v, want %v", tt.name, name, got[i], want[i])
			}
		}
		if s.Detected != tt.detected {
			t.Errorf("%s: Score(...).Detected = %d, want %d", tt.name, s.Detected, tt.detected)
		}
	}
}

func TestScorePerClass(t *testing.T) {
	tr := truthOf(
		cs(ClassVerbatim, "a", 0, 100, "b", 0, 100),
		cs(ClassLight, "a", 0, 100, "c", 0, 100),
		cs(ClassQuote, "a", 500, 560, "d", 0, 60),
	)
	r := resultOf(
		pr("a", "b", pas(0, 100, 0, 100)),
		pr("a", "c", pas(0, 200, 0, 100)), // precision 200/300
	)
	s := Score(tr, r)
	want := map[string]ClassScores{
		ClassVerbatim: {Cases: 1, Detected: 1, Detections: 1, Precision: 1, Recall: 1, Granularity: 1, Plagdet: 1},
		ClassLight:    {Cases: 1, Detected: 1, Detections: 1, Precision: 2.0 / 3, Recall: 1, Granularity: 1, Plagdet: 0.8},
		ClassQuote:    {Cases: 1, Granularity: 1},
	}
	for class, w := range want {
		g := s.PerClass[class]
		if g.Cases != w.Cases || g.Detected != w.Detected || g.Detections != w.Detections ||
			!near(g.Precision, w.Precision) || !near(g.Recall, w.Recall) ||
			!near(g.Granularity, w.Granularity) || !near(g.Plagdet, w.Plagdet) {
			t.Errorf("Score(...).PerClass[%q] = %+v, want %+v", class, g, w)
		}
	}
	if len(s.PerClass) != len(want) {
		t.Errorf("len(PerClass) = %d, want %d", len(s.PerClass), len(want))
	}
	// Totals: precision (1 + 2/3)/2, recall 2/3.
	if !near(s.Precision, 5.0/6) || !near(s.Recall, 2.0/3) {
		t.Errorf("Score(...) precision, recall = %v, %v, want %v, %v", s.Precision, s.Recall, 5.0/6, 2.0/3)
	}
	if w := Plagdet(5.0/6, 2.0/3, 1); !near(s.Plagdet, w) || !near(w, 20.0/27) {
		t.Errorf("Score(...).Plagdet = %v, want %v", s.Plagdet, 20.0/27)
	}
}

func TestScoreDetectionInTwoClasses(t *testing.T) {
	tr := truthOf(
		cs(ClassVerbatim, "a", 0, 100, "b", 0, 100),
		cs(ClassLight, "a", 200, 300, "b", 200, 300),
	)
	s := Score(tr, resultOf(pr("a", "b", pas(0, 300, 0, 300))))
	for _, class := range []string{ClassVerbatim, ClassLight} {
		g := s.PerClass[class]
		if g.Detections != 1 || !near(g.Precision, 2.0/3) || !near(g.Recall, 1) {
			t.Errorf("PerClass[%q] = %+v, want 1 detection, precision 2/3, recall 1", class, g)
		}
	}
}

func TestScoreDocPairsAndGroups(t *testing.T) {
	tr := truthOf(
		cs(ClassVerbatim, "a", 0, 10, "b", 0, 10),
		cs(ClassVerbatim, "a", 20, 30, "b", 20, 30), // same pair again
		cs(ClassVerbatim, "c", 0, 10, "a", 0, 10),
		cs(ClassVerbatim, "d", 0, 10, "c", 0, 10),
	)
	tr.Groups = [][]string{{"a", "b", "c"}, {"d", "e"}}
	r := resultOf(pr("a", "b"), pr("a", "c"), pr("b", "d"))
	r.Groups = []result.Group{{ID: 1, Documents: []string{"a", "b"}}, {ID: 2, Documents: []string{"c", "d", "e"}}}
	s := Score(tr, r)
	if w := (PRF{Precision: 2.0 / 3, Recall: 2.0 / 3, F1: 2.0 / 3, Truth: 3, Found: 3, Correct: 2}); !prfNear(s.DocPairs, w) {
		t.Errorf("Score(...).DocPairs = %+v, want %+v", s.DocPairs, w)
	}
	// Truth pairs ab ac bc de; found ab cd ce de; correct ab de.
	if w := (PRF{Precision: 0.5, Recall: 0.5, F1: 0.5, Truth: 4, Found: 4, Correct: 2}); !prfNear(s.Groups, w) {
		t.Errorf("Score(...).Groups = %+v, want %+v", s.Groups, w)
	}
}

func prfNear(a, b PRF) bool {
	return near(a.Precision, b.Precision) && near(a.Recall, b.Recall) && near(a.F1, b.F1) &&
		a.Truth == b.Truth && a.Found == b.Found && a.Correct == b.Correct
}

func TestNewPRF(t *testing.T) {
	tests := []struct {
		correct, found, truth int
		p, r, f               float64
	}{
		{0, 0, 0, 1, 1, 1},
		{0, 0, 5, 0, 0, 0},
		{0, 5, 0, 0, 0, 0},
		{3, 4, 6, 0.75, 0.5, 0.6},
		{2, 2, 2, 1, 1, 1},
	}
	for _, tt := range tests {
		g := newPRF(tt.correct, tt.found, tt.truth)
		if !near(g.Precision, tt.p) || !near(g.Recall, tt.r) || !near(g.F1, tt.f) {
			t.Errorf("newPRF(%d, %d, %d) = %+v, want P %v R %v F1 %v", tt.correct, tt.found, tt.truth, g, tt.p, tt.r, tt.f)
		}
	}
}

func TestPlagdet(t *testing.T) {
	// The reference implementation's own test values.
	tests := []struct{ p, r, g, want float64 }{
		{0, 0, 1, 0},
		{1, 0, 1, 0},
		{1, 1, 1, 1},
		{1, 0.5, 1, 2.0 / 3},
		{1, 1, 2, 0.63092975357},
		{0.75, 0.25, 2, 0.23659865759},
		{1, 1, 0.5, 0},
	}
	for _, tt := range tests {
		if got := Plagdet(tt.p, tt.r, tt.g); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("Plagdet(%v, %v, %v) = %v, want %v", tt.p, tt.r, tt.g, got, tt.want)
		}
	}
}

func TestUnionLen(t *testing.T) {
	tests := []struct {
		in   []span
		want int
	}{
		{nil, 0},
		{[]span{{0, 10}}, 10},
		{[]span{{5, 10}, {0, 6}}, 10},
		{[]span{{0, 10}, {10, 20}}, 20},
		{[]span{{0, 10}, {2, 3}, {20, 25}}, 15},
		{[]span{{4, 4}, {7, 3}}, 0},
	}
	for _, tt := range tests {
		in := fmt.Sprint(tt.in)
		if got := unionLen(append([]span(nil), tt.in...)); got != tt.want {
			t.Errorf("unionLen(%s) = %d, want %d", in, got, tt.want)
		}
	}
}

// slowScore is the obvious implementation: sets of (document, byte).
func slowScore(t *Truth, r *result.Result) (prec, rec, gran float64) {
	type db struct {
		doc string
		at  int
	}
	type item struct {
		x, y   string
		xs, ys span
	}
	bytesOf := func(it item) map[db]bool {
		m := map[db]bool{}
		for i := it.xs.start; i < it.xs.end; i++ {
			m[db{it.x, i}] = true
		}
		for i := it.ys.start; i < it.ys.end; i++ {
			m[db{it.y, i}] = true
		}
		return m
	}
	var S, R []item
	for _, c := range t.Cases {
		S = append(S, item{c.Source, c.Target, span{c.SourceStart, c.SourceEnd}, span{c.TargetStart, c.TargetEnd}})
	}
	for _, p := range r.Pairs {
		for _, q := range p.Passages {
			if q.AEnd <= q.AStart && q.BEnd <= q.BStart {
				continue
			}
			R = append(R, item{p.A, p.B, span{q.AStart, q.AEnd}, span{q.BStart, q.BEnd}})
		}
	}
	detects := func(r, s item) bool {
		if r.x == s.x && r.y == s.y {
			return overlaps(r.xs, s.xs) && overlaps(r.ys, s.ys)
		}
		if r.x == s.y && r.y == s.x {
			return overlaps(r.xs, s.ys) && overlaps(r.ys, s.xs)
		}
		return false
	}
	if len(S) == 0 && len(R) == 0 {
		return 1, 1, 1
	}
	if len(S) == 0 || len(R) == 0 {
		return 0, 0, 1
	}
	for _, ri := range R {
		rb := bytesOf(ri)
		u := map[db]bool{}
		for _, si := range S {
			if detects(ri, si) {
				for b := range bytesOf(si) {
					if rb[b] {
						u[b] = true
					}
				}
			}
		}
		if len(rb) > 0 {
			prec += float64(len(u)) / float64(len(rb))
		}
	}
	prec /= float64(len(R))
	detected, total := 0, 0
	for _, si := range S {
		sb := bytesOf(si)
		u := map[db]bool{}
		n := 0
		for _, ri := range R {
			if detects(ri, si) {
				n++
				for b := range bytesOf(ri) {
					if sb[b] {
						u[b] = true
					}
				}
			}
		}
		rec += float64(len(u)) / float64(len(sb))
		if n > 0 {
			detected++
			total += n
		}
	}
	rec /= float64(len(S))
	gran = 1
	if detected > 0 {
		gran = float64(total) / float64(detected)
	}
	return prec, rec, gran
}

func TestScoreMatchesSlow(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	docs := []string{"a", "b", "c", "d"}
	rng := func() span {
		s := r.IntN(40)
		return span{s, s + 1 + r.IntN(20)}
	}
	for iter := 0; iter < 500; iter++ {
		tr := &Truth{Schema: TruthSchema}
		for n := r.IntN(6); n > 0; n-- {
			i, j := r.IntN(4), r.IntN(3)
			if j >= i {
				j++
			}
			a, b := rng(), rng()
			tr.Cases = append(tr.Cases, cs("verbatim", docs[i], a.start, a.end, docs[j], b.start, b.end))
		}
		res := &result.Result{}
		for n := r.IntN(4); n > 0; n-- {
			i, j := r.IntN(4), r.IntN(3)
			if j >= i {
				j++
			}
			if docs[i] > docs[j] {
				i, j = j, i
			}
			p := result.Pair{A: docs[i], B: docs[j]}
			for m := r.IntN(4); m > 0; m-- {
				a, b := rng(), rng()
				p.Passages = append(p.Passages, pas(a.start, a.end, b.start, b.end))
			}
			res.Pairs = append(res.Pairs, p)
		}
		s := Score(tr, res)
		p, rc, g := slowScore(tr, res)
		if !near(s.Precision, p) || !near(s.Recall, rc) || !near(s.Granularity, g) {
			t.Fatalf("iteration %d: Score = (%v, %v, %v), slowScore = (%v, %v, %v)\ntruth %+v\nresult %+v",
				iter, s.Precision, s.Recall, s.Granularity, p, rc, g, tr.Cases, res.Pairs)
		}
	}
}

func TestScoresWriteText(t *testing.T) {
	s := Score(truthOf(cs(ClassVerbatim, "a", 0, 100, "b", 0, 100), cs("other", "a", 200, 300, "c", 0, 100)),
		resultOf(pr("a", "b", pas(0, 100, 0, 100))))
	var b strings.Builder
	if err := s.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"verbatim", "other", "all", "document pairs", "group pairs"} {
		if !strings.Contains(out, want) {
			t.Errorf("WriteText output lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "verbatim") > strings.Index(out, "other") {
		t.Errorf("WriteText: planted classes should come before others:\n%s", out)
	}
}
