package shingle

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestClassOf: the class of each token of a text, as ClassOf(text, t).
func TestClassOf(t *testing.T) {
	tests := []struct {
		text string
		want []WordClass
	}{
		{"Jane Doe, the spokeswoman of the Harbour Board, said that",
			[]WordClass{NameWord, NameWord, FunctionWord, ContentWord, FunctionWord, FunctionWord, NameWord, NameWord, FunctionWord, FunctionWord}},
		{"The THE the", []WordClass{FunctionWord, FunctionWord, FunctionWord}},
		{"NATO BIOS I A", []WordClass{OtherWord, OtherWord, FunctionWord, FunctionWord}},
		{"McAllister O'Brien O’Neill iPhone", []WordClass{NameWord, NameWord, NameWord, ContentWord}},
		{"v4l2 V4L2 2026 10h", []WordClass{ContentWord, OtherWord, OtherWord, OtherWord}},
		{"Łódź élan Über straße", []WordClass{NameWord, ContentWord, NameWord, ContentWord}},
		{"Москва москва Ωμέγα", []WordClass{NameWord, ContentWord, NameWord}},
		{"司延腾 عربي", []WordClass{OtherWord, OtherWord, OtherWord, OtherWord}},
		{"Said SAYS Told would Also", []WordClass{FunctionWord, FunctionWord, FunctionWord, FunctionWord, FunctionWord}},
		{"recon-\nstruction Recon-\nstruction", []WordClass{ContentWord, NameWord}},
	}
	tz := NewTokenizer()
	for _, tt := range tests {
		text := []byte(tt.text)
		toks := tz.Tokenize(nil, text)
		var got []WordClass
		for _, tok := range toks {
			got = append(got, ClassOf(text, tok))
		}
		if len(got) != len(tt.want) {
			t.Errorf("ClassOf(%q): %d tokens %v, want %v", tt.text, len(got), got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("ClassOf(%q, %q) = %d, want %d", tt.text, text[toks[i].Start:toks[i].End], got[i], tt.want[i])
			}
		}
	}
}

// TestFunctionWords: every function word is one, in any case, and no
// other word of the test texts is.
func TestFunctionWords(t *testing.T) {
	tz := NewTokenizer()
	for _, w := range FunctionWords {
		for _, form := range []string{w, strings.ToUpper(w), strings.ToUpper(w[:1]) + w[1:]} {
			toks := tz.Tokenize(nil, []byte(form))
			if len(toks) != 1 || ClassOf([]byte(form), toks[0]) != FunctionWord {
				t.Errorf("ClassOf(%q) is not FunctionWord", form)
			}
		}
	}
	for _, w := range strings.Fields("spokeswoman harbour board Jane sayings thee") {
		toks := tz.Tokenize(nil, []byte(w))
		if isFunctionWord(toks[0].Hash) {
			t.Errorf("%q reads as a function word", w)
		}
	}
}

// TestWordClassesPacked: CountWordClasses over AppendWordClasses counts
// what ClassOf gives token by token (the slow reference), for every range
// of random texts.
func TestWordClassesPacked(t *testing.T) {
	words := strings.Fields("The the Board board NATO 42 Ωμέγα said x Doe's 司")
	r := rand.New(rand.NewPCG(1, 2))
	tz := NewTokenizer()
	for range 200 {
		var b strings.Builder
		for range r.IntN(30) {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteByte(' ')
		}
		text := []byte(b.String())
		toks := tz.Tokenize(nil, text)
		packed := AppendWordClasses([]byte{0xFF}, text, toks)[1:]
		if len(packed) != (len(toks)+3)/4 {
			t.Fatalf("%q: %d bytes for %d tokens", text, len(packed), len(toks))
		}
		for from := 0; from <= len(toks); from++ {
			for to := from; to <= len(toks); to++ {
				var want [4]int32
				for _, tok := range toks[from:to] {
					want[ClassOf(text, tok)]++
				}
				if got := CountWordClasses(packed, from, to); got != want {
					t.Fatalf("%q: CountWordClasses(%d, %d) = %v, want %v", text, from, to, got, want)
				}
			}
		}
		if got := CountWordClasses(packed, 0, len(toks)+5); got[OtherWord] < 5 {
			t.Fatalf("tokens beyond the packed ones: %v, want them OtherWord", got)
		}
	}
	if got := AppendWordClasses(nil, nil, make([]Token, 5)); len(got) != 2 || got[0] != 0 || got[1] != 0 {
		t.Errorf("AppendWordClasses without text = %v, want every token OtherWord", got)
	}
}

func TestClassOfAllocs(t *testing.T) {
	text := []byte("Jane Doe, the spokeswoman of the Łódź Board, said that ВВС 42")
	toks := NewTokenizer().Tokenize(nil, text)
	if n := testing.AllocsPerRun(100, func() {
		for _, tok := range toks {
			ClassOf(text, tok)
		}
	}); n != 0 {
		t.Errorf("ClassOf allocates %v times a text", n)
	}
}

// FuzzClassOf: any text, and any token, even one not of the text, gives
// one of the four classes without panicking; a token of the text is
// classed as its bytes say.
func FuzzClassOf(f *testing.F) {
	for _, s := range []string{"Jane Doe, the spokeswoman said", "Łódź 司 ВВС v4l2", "O’Neill\u00ADs", "\xff\xfeA"} {
		f.Add(s, uint32(0), uint32(4))
	}
	tz := NewTokenizer()
	f.Fuzz(func(t *testing.T, s string, start, end uint32) {
		text := []byte(s)
		if c := ClassOf(text, Token{Start: start, End: end}); c > ContentWord {
			t.Fatalf("ClassOf(%q, [%d, %d)) = %d", s, start, end, c)
		}
		for _, tok := range tz.Tokenize(nil, text) {
			c := ClassOf(text, tok)
			if c == NameWord && !strings.ContainsFunc(s[tok.Start:tok.End], func(r rune) bool { return r >= 'a' && r <= 'z' || r > 127 }) {
				t.Fatalf("%q: a name without a lower-case letter", s[tok.Start:tok.End])
			}
		}
	})
}
