package gen

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSentenceShape(t *testing.T) {
	r := newRNG(9, 9)
	for topic := range numTopics {
		g := newTextgen(r, topic)
		for range 200 {
			s := g.sentence()
			if len(s) < 8 || len(s) > 35 {
				t.Fatalf("sentence of %d words: %q", len(s), appendSentence(nil, s, false, nil))
			}
			b := appendSentence(nil, s, topic%2 == 0, nil)
			first, _ := utf8.DecodeRune(b)
			if first == '"' || first == '“' {
				first, _ = utf8.DecodeRune(b[utf8.RuneLen(first):])
			}
			if !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$", first) {
				t.Errorf("sentence does not start with a capital: %q", b)
			}
			if last := b[len(b)-1]; !strings.ContainsRune(`."”`, rune(last)) && !strings.HasSuffix(string(b), "”") {
				t.Errorf("sentence does not end with a full stop: %q", b)
			}
			if strings.Contains(string(b), "  ") || strings.Count(string(b), `"`)%2 != 0 ||
				strings.Count(string(b), "“") != strings.Count(string(b), "”") {
				t.Errorf("bad spacing or unbalanced quotes: %q", b)
			}
			for _, tk := range s {
				if tk.w == "" || strings.ContainsAny(tk.w, " \n") {
					t.Errorf("token %q is empty or holds a space", tk.w)
				}
			}
		}
		tl := g.title()
		if len(tl) < 4 || len(tl) > 10 {
			t.Errorf("title of %d words: %q", len(tl), appendSentence(nil, tl, false, nil))
		}
	}
}

func TestDocumentShape(t *testing.T) {
	for i := range 50 {
		r := newRNG(4, uint64(i))
		d := renderDoc(100, newTextgen(r, i%numTopics).document(), i%3 == 0)
		text := string(d.text)
		if !strings.HasPrefix(text, " date 2015-04-11 \n") {
			t.Fatalf("document starts %q", text[:30])
		}
		paras := strings.Split(text[d.body.start:d.body.end], "\n\n")
		if len(paras) < 3 || len(paras) > 8 {
			t.Errorf("%d paragraphs, want 3 to 8", len(paras))
		}
		perPara := map[int]int{}
		for _, s := range d.sents {
			perPara[s.para]++
			if got := string(d.text[s.span.start:s.span.end]); got != string(appendSentence(nil, s.toks, i%3 == 0, nil)) {
				t.Errorf("sentence span %v holds %q", s.span, got)
			}
			if len(s.words) != len(s.toks) {
				t.Errorf("%d word spans for %d tokens", len(s.words), len(s.toks))
			}
		}
		for p, n := range perPara {
			if n < 2 || n > 6 {
				t.Errorf("paragraph %d has %d sentences, want 2 to 6", p, n)
			}
		}
	}
}

func TestRender(t *testing.T) {
	toks := []tok{
		{w: "a", cap: true, cls: cArt}, {w: "office", post: ","}, {w: "a"}, {w: "plan"},
		{w: "didn't", pre: `"`}, {w: "stop", shape: shapeUpper}, {w: "the", shape: shapeTitle}, {w: "mayor's", post: `."`},
	}
	tests := []struct {
		curly bool
		want  string
	}{
		{false, `An office, a plan "didn't STOP The mayor's."`},
		{true, `An office, a plan “didn’t STOP The mayor’s.”`},
	}
	for _, tt := range tests {
		if got := string(appendSentence(nil, toks, tt.curly, nil)); got != tt.want {
			t.Errorf("appendSentence(curly=%v) = %q, want %q", tt.curly, got, tt.want)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"aaa bbb ccc", 7, "aaa bbb\nccc"},
		{"aaa bbb ccc", 6, "aaa\nbbb\nccc"},
		{"aaa  bbb ccc", 8, "aaa  bbb\nccc"},
		{"aaa bbb\n\nccc ddd", 7, "aaa bbb\n\nccc ddd"},
		{"“ab” cd", 7, "“ab” cd"},
		{"abcdefghij k", 4, "abcdefghij\nk"},
	}
	for _, tt := range tests {
		if got := string(wrap([]byte(tt.in), tt.width)); got != tt.want {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

func TestEditRate(t *testing.T) {
	r := newRNG(2, 2)
	g := newTextgen(r, 0)
	for _, tt := range []struct {
		pct   int
		swaps bool
	}{{5, false}, {10, false}, {20, true}, {30, true}} {
		for range 50 {
			orig := [][]tok{g.sentence(), g.sentence(), g.sentence()}
			ed := copySents(orig)
			g.edit(ed, tt.pct, tt.swaps)
			// Words as edited, before a/an agreement and capitals.
			var a, b []string
			for i := range orig {
				for _, tk := range orig[i] {
					a = append(a, tk.w)
				}
				for _, tk := range ed[i] {
					b = append(b, tk.w)
				}
			}
			goal := max(1, (len(a)*tt.pct+50)/100)
			if d := wordDistance(a, b); d < 1 || d > goal+1 {
				t.Errorf("edit(%d%%, swaps %v) of %d words: distance %d, want 1 to %d", tt.pct, tt.swaps, len(a), d, goal+1)
			}
		}
	}
}

func TestZipf(t *testing.T) {
	z := newZipf(100)
	r := newRNG(1, 1)
	var counts [100]int
	for range 100000 {
		counts[z.pick(r)]++
	}
	// Weight 1/(rank+8): rank 0 is (50+8)/8 = 7.25 times as likely as rank 50.
	if ratio := float64(counts[0]) / float64(counts[50]); ratio < 6 || ratio > 8.5 {
		t.Errorf("zipf rank 0 / rank 50 = %.2f, want about 7.25", ratio)
	}
}

func TestRNG(t *testing.T) {
	r := newRNG(1, 2)
	seen := map[int]int{}
	for range 7000 {
		x := r.intn(7)
		if x < 0 || x >= 7 {
			t.Fatalf("intn(7) = %d", x)
		}
		seen[x]++
	}
	for x := range 7 {
		if seen[x] < 850 || seen[x] > 1150 {
			t.Errorf("intn(7) gave %d %d times of 7000", x, seen[x])
		}
	}
}

func TestLexicon(t *testing.T) {
	lx := lex()
	all := map[string]bool{}
	n := 0
	add := func(w string) {
		n++
		if w == "" || strings.ContainsAny(w, " \t\n") {
			t.Errorf("bad word %q", w)
		}
		all[strings.ToLower(w)] = true
	}
	for _, x := range lx.nouns {
		add(x.sg)
	}
	for _, x := range lx.verbs {
		add(x.base)
	}
	for _, tp := range lx.topics {
		for _, x := range tp.nouns {
			add(x.sg)
		}
		for _, x := range tp.verbs {
			add(x.base)
		}
		for _, x := range tp.adjs {
			add(x)
		}
	}
	for _, ws := range [][]string{lx.adjs, lx.advs, lx.first, lx.last, lx.places} {
		for _, w := range ws {
			add(w)
		}
	}
	// Some hand-listed words are both nouns and verbs ("report", "plan").
	if len(all) < 4000 || len(all) < n-40 {
		t.Errorf("lexicon: %d distinct words of %d, want >= 4000 and few repeats", len(all), n)
	}
}
