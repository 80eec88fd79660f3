package shingle

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/internal/testctx"
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

// TestQuoteMarks: the quotation marks QuoteMarks finds beside each token
// of a text: b for QuoteBefore, a for QuoteAfter, - for none.
func TestQuoteMarks(t *testing.T) {
	tests := []struct{ text, want string }{
		{`Doe said that "the harbour will close" on Monday`, `---b--a--`},
		{`"Jane Doe, the head of the Board," said Smith.`, `b-----a--`},
		{`Jane Doe, the head of the Board, said that "`, `---------`},
		{`He said: “Jane Doe, the head.” Then`, `--b--a-`},
		{"« Jane Doe » et „Jane Doe“ und »Jane« \u00abJean\u00a0\u00bb", `ba-ba-xx`},
		{`'Jane Doe,' he said; Doe's and the students' union`, `ba-------`},
		{`the song 'Say It' and ‘Jane’ said`, `--b--b-`},
		{`a"b c" d "e`, `--a-b`}, // marks touching two words are neither
		{`he said"no" and ("yes") or "-" x`, `--a-x--`},
		{`他说「你好」。`, `--ba`},
		{`“你好”`, `ba`},
		{`word . " word`, `--`},
		{`word " word`, `--`},
	}
	tz := NewTokenizer()
	for _, tt := range tests {
		text := []byte(tt.text)
		toks := tz.Tokenize(nil, text)
		got := make([]byte, len(toks))
		for i := range toks {
			switch QuoteMarks(text, toks, i) {
			case 0:
				got[i] = '-'
			case QuoteBefore:
				got[i] = 'b'
			case QuoteAfter:
				got[i] = 'a'
			default:
				got[i] = 'x'
			}
		}
		if string(got) != tt.want {
			t.Errorf("QuoteMarks(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
}

// TestWordClassesPacked: CountWords over AppendWordClasses counts what
// ClassOf and QuoteMarks give token by token (the slow reference), for
// every range of random texts.
func TestWordClassesPacked(t *testing.T) {
	words := strings.Fields(`The the Board board NATO 42 Ωμέγα said x Doe's 司 "Jane said," «Jean» 「司」`)
	r := rand.New(rand.NewPCG(1, 2))
	tz := NewTokenizer()
	for range 200 {
		text := randomText(r, words, r.IntN(30))
		toks := tz.Tokenize(nil, text)
		packed := AppendWordClasses([]byte{0xFF}, text, toks)[1:]
		if len(packed) != (len(toks)+1)/2 {
			t.Fatalf("%q: %d bytes for %d tokens", text, len(packed), len(toks))
		}
		for from := 0; from <= len(toks); from++ {
			for to := from; to <= len(toks); to++ {
				var want Words
				for i, tok := range toks[from:to] {
					want.Classes[ClassOf(text, tok)]++
					marks := QuoteMarks(text, toks, from+i)
					if i == 0 && marks&QuoteBefore != 0 || from+i == to-1 && marks&QuoteAfter != 0 {
						want.Quoted = true
					}
				}
				for _, q := range slowQuotations(text, toks, from, to) {
					want.Quotation = max(want.Quotation, q[1]-q[0])
				}
				if got := CountWords(packed, from, to); got != want {
					t.Fatalf("%q: CountWords(%d, %d) = %v, want %v", text, from, to, got, want)
				}
			}
		}
		if got := CountWords(packed, 0, len(toks)+5); got.Classes[OtherWord] < 5 {
			t.Fatalf("tokens beyond the packed ones: %v, want them OtherWord", got)
		}
	}
	if got := AppendWordClasses(nil, nil, make([]Token, 5)); len(got) != 3 || got[0] != 0 || got[1] != 0 || got[2] != 0 {
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
	for _, s := range []string{"Jane Doe, the spokeswoman said", "Łódź 司 ВВС v4l2", "O’Neill\u00ADs", "\xff\xfeA",
		`"Jane," he said: « Doe » „x“ 「司」 'y,' z`, "\u00ab\u00a0a\u00a0\u00bb"} {
		f.Add(s, uint32(0), uint32(4))
	}
	tz := NewTokenizer()
	f.Fuzz(func(t *testing.T, s string, start, end uint32) {
		text := []byte(s)
		if c := ClassOf(text, Token{Start: start, End: end}); c > ContentWord {
			t.Fatalf("ClassOf(%q, [%d, %d)) = %d", s, start, end, c)
		}
		toks := tz.Tokenize(nil, text)
		for i, tok := range toks {
			c := ClassOf(text, tok)
			if c == NameWord && !strings.ContainsFunc(s[tok.Start:tok.End], func(r rune) bool { return r >= 'a' && r <= 'z' || r > 127 }) {
				t.Fatalf("%q: a name without a lower-case letter", s[tok.Start:tok.End])
			}
			if m := QuoteMarks(text, toks, i); m&^(QuoteBefore|QuoteAfter) != 0 {
				t.Fatalf("%q: QuoteMarks of token %d = %b", s, i, m)
			}
		}
		packed := AppendWordClasses(nil, text, toks)
		if w := CountWords(packed, 0, len(toks)); int(w.Classes[0]+w.Classes[1]+w.Classes[2]+w.Classes[3]) != len(toks) || w.Quotation < 0 || int(w.Quotation) > len(toks) {
			t.Fatalf("%q: CountWords = %v for %d tokens", s, w, len(toks))
		}
		// Tokens that are not the text's, in any order and out of range.
		odd := []Token{{Start: start, End: end}, {Start: end, End: start}, {Start: start / 2, End: end * 2}}
		for i := range odd {
			QuoteMarks(text, odd, i)
		}
	})
}

// TestAppendQuotations: the quotations AppendQuotations lists are, in
// order, every run from the last token after an opening mark up to a
// token before a closing one, with no closing mark between (the slow
// reference, from QuoteMarks token by token), and the longest is
// CountWords' Quotation.
func TestAppendQuotations(t *testing.T) {
	words := strings.Fields(`The the Board said x Doe's 司 "Jane said," «Jean» 「司」 “open close” ‘a b’`)
	r := rand.New(rand.NewPCG(5, 6))
	tz := NewTokenizer()
	for range 500 {
		text := randomText(r, words, r.IntN(40))
		toks := tz.Tokenize(nil, text)
		packed := AppendWordClasses(nil, text, toks)
		want := slowQuotations(text, toks, 0, len(toks))
		got := AppendQuotations(nil, packed, len(toks))
		if !slices.Equal(got, want) {
			t.Fatalf("%q: AppendQuotations = %v, want %v", text, got, want)
		}
		longest := int32(0)
		for _, q := range got {
			longest = max(longest, q[1]-q[0])
		}
		if w := CountWords(packed, 0, len(toks)); w.Quotation != longest {
			t.Fatalf("%q: CountWords' Quotation %d, longest quotation %d", text, w.Quotation, longest)
		}
	}
}

// randomText joins n words drawn from words, each followed by a space.
func randomText(r *rand.Rand, words []string, n int) []byte {
	var b strings.Builder
	for range n {
		b.WriteString(words[r.IntN(len(words))])
		b.WriteByte(' ')
	}
	return []byte(b.String())
}

// slowQuotations is the slow reference of the quotations among tokens
// [from, to), from QuoteMarks token by token: for every token j before a
// closing mark, the run from the last token i <= j after an opening
// mark, unless a closing mark lies in [i, j).
func slowQuotations(text []byte, toks []Token, from, to int) [][2]int32 {
	var out [][2]int32
	for j := from; j < to; j++ {
		if QuoteMarks(text, toks, j)&QuoteAfter == 0 {
			continue
		}
		i := j
		for i >= from && QuoteMarks(text, toks, i)&QuoteBefore == 0 {
			i--
		}
		closed := false
		for x := max(i, from); x < j; x++ {
			closed = closed || QuoteMarks(text, toks, x)&QuoteAfter != 0
		}
		if i >= from && !closed {
			out = append(out, [2]int32{int32(i), int32(j + 1)})
		}
	}
	return out
}

// TestAppendWordClassesContext: the word classes of a large document
// look at the context every checkShingles tokens and give up at the look
// that finds it done; never done, they are AppendWordClasses'.
func TestAppendWordClassesContext(t *testing.T) {
	text := []byte(strings.Repeat("He said: \"The Port will close.\" ", (2*checkShingles+3)/6+1))
	toks := NewTokenizer().Tokenize(nil, text)
	want := AppendWordClasses(nil, text, toks)
	for _, tc := range []struct {
		n, looks int
		err      error
	}{
		{0, len(toks) / checkShingles, nil},
		{1, 1, context.Canceled},
	} {
		ctx := testctx.NewDoneAfter(tc.n)
		got, err := AppendWordClassesContext(ctx, nil, text, toks)
		if !errors.Is(err, tc.err) || ctx.Calls != tc.looks || err == nil && !slices.Equal(got, want) {
			t.Errorf("AppendWordClassesContext of %d tokens, done from look %d = %d bytes, %v after %d looks; want %v after %d", len(toks), tc.n, len(got), err, ctx.Calls, tc.err, tc.looks)
		}
	}
}
