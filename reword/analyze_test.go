package reword

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/snowballstem"
	stemmer "github.com/blevesearch/snowballstem/english"
	"github.com/kljensen/snowball/english"

	"github.com/reuse-tool/reuse/internal/testctx"
	"github.com/reuse-tool/reuse/shingle"
)

// analyze tokenizes and analyses text with fresh state.
func analyze(text string) ([]shingle.Token, Doc) {
	toks := shingle.NewTokenizer().Tokenize(nil, []byte(text))
	return toks, NewAnalyzer().Analyze(Doc{}, []byte(text), toks)
}

// sentenceTexts returns the text of each sentence, from its first token's
// start to its last token's end.
func sentenceTexts(text string, toks []shingle.Token, d Doc) []string {
	var out []string
	for i := range d.Sentences {
		from, to := d.Sentence(i)
		out = append(out, text[toks[from].Start:toks[to-1].End])
	}
	return out
}

func TestSentences(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"One two three four.", []string{"One two three four"}},
		{"The cat sat on the mat today. The dog ran off to the park.",
			[]string{"The cat sat on the mat today", "The dog ran off to the park"}},
		// Abbreviations and initials do not end a sentence.
		{"Mr. Smith met Dr. Brown at noon today. They talked about J. Watson at length.",
			[]string{"Mr. Smith met Dr. Brown at noon today", "They talked about J. Watson at length"}},
		// Decimals and dotted acronyms have no space after the dot.
		{"Prices rose by 3.5 percent in the U.S.A this spring. Markets fell sharply in autumn weeks.",
			[]string{"Prices rose by 3.5 percent in the U.S.A this spring", "Markets fell sharply in autumn weeks"}},
		// A lower-case word after a period: no new sentence.
		{"He said no. then left the quiet house behind him.", []string{"He said no. then left the quiet house behind him"}},
		// Question and exclamation marks, closing quotes.
		{"Where did the old river go? \"Nobody knows the answer!\" Rivers change course slowly over years.",
			[]string{"Where did the old river go", "Nobody knows the answer", "Rivers change course slowly over years"}},
		// A blank line ends a sentence (a title without a period).
		{"Council Approves Harbour Plans\n\nThe council approved the plans for the harbour yesterday.",
			[]string{"Council Approves Harbour Plans", "The council approved the plans for the harbour yesterday"}},
		// A line wrap does not.
		{"The council approved the plans\nfor the harbour yesterday evening.",
			[]string{"The council approved the plans\nfor the harbour yesterday evening"}},
		// Short sentences (fewer than 3 content words) join the next one;
		// a short last one joins the one before.
		{"Yes. No. The committee accepted every single proposal. Fine.",
			[]string{"Yes. No. The committee accepted every single proposal. Fine"}},
		// Ideographic full stops end sentences without a space.
		{"東京は大きい町です。大阪も大きい町です。", []string{"東京は大きい町です", "大阪も大きい町です"}},
		{"Chapter one. The committee accepted every single proposal. It was late. Winter came early that year.",
			[]string{"Chapter one. The committee accepted every single proposal",
				"It was late. Winter came early that year"}},
	} {
		toks, d := analyze(tc.in)
		if got := sentenceTexts(tc.in, toks, d); !slices.Equal(got, tc.want) {
			t.Errorf("sentences(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLongSentences(t *testing.T) {
	// Text without punctuation is cut at softSentence tokens when a comma
	// follows, at maxSentence tokens otherwise.
	words := strings.Repeat("alpha beta gamma delta ", 60) // 240 tokens
	toks, d := analyze(words)
	for i := range d.Sentences {
		from, to := d.Sentence(i)
		if to-from > maxSentence {
			t.Errorf("sentence %d has %d tokens, more than %d", i, to-from, maxSentence)
		}
	}
	if len(d.Sentences) != 3 || len(toks) != 240 {
		t.Errorf("240 tokens without punctuation: %d sentences, want 3", len(d.Sentences))
	}
	commas := strings.Repeat("alpha beta gamma delta, ", 30) // 120 tokens
	_, d = analyze(commas)
	if want := []int32{0, 28, 56, 84, 112}; !slices.Equal(d.Sentences, want) {
		t.Errorf("commas every 4 tokens: sentences start at %v, want %v", d.Sentences, want)
	}
}

func TestTerms(t *testing.T) {
	term := func(w string) uint32 {
		_, d := analyze(w)
		if len(d.Terms) != 1 {
			t.Fatalf("%q: %d tokens, want 1", w, len(d.Terms))
		}
		return d.Term(0)
	}
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"running", "runs", true},
		{"Connection", "connected", true},
		{"generously", "generous", true},
		{"don't", "don’t", true},     // straight and curly apostrophes
		{"ＲＵＮＮＩＮＧ", "running", true}, // fullwidth letters, NFKC
		{"river", "rivers", true},
		{"river", "liver", false},
		{"café", "cafe", false}, // not folded to ASCII
		{"2015", "2016", false},
	} {
		if got := term(tc.a) == term(tc.b); got != tc.same {
			t.Errorf("term(%q) == term(%q) is %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
	for _, w := range []string{"the", "The", "and", "of", "was", "themselves"} {
		if got := term(w); got != NoTerm {
			t.Errorf("term(%q) = %d, want NoTerm (a stop word)", w, got)
		}
	}
	for _, w := range []string{"harbour", "x", "café", "7", "東"} {
		if got := term(w); got == NoTerm {
			t.Errorf("term(%q) = NoTerm, want a term", w)
		}
	}
}

func TestAnalyzeNoAlloc(t *testing.T) {
	text := []byte(strings.Repeat("The harbour board met on Tuesday. Members voted to extend the pier by 30 metres. ", 50))
	toks := shingle.NewTokenizer().Tokenize(nil, text)
	an := NewAnalyzer()
	d := an.Analyze(Doc{}, text, toks) // grows d and fills the cache
	if n := testing.AllocsPerRun(10, func() { d = an.Analyze(d, text, toks) }); n != 0 {
		t.Errorf("Analyze allocates %v times per run once warm, want 0", n)
	}
}

// checkDoc checks the invariants of an analysis of len(toks) tokens.
func checkDoc(t *testing.T, d Doc, toks []shingle.Token) {
	t.Helper()
	if len(d.Terms) != len(toks) {
		t.Fatalf("%d terms for %d tokens", len(d.Terms), len(toks))
	}
	if len(toks) == 0 {
		if len(d.Sentences) != 0 {
			t.Fatalf("sentences %v without tokens", d.Sentences)
		}
		return
	}
	if len(d.Sentences) == 0 || d.Sentences[0] != 0 {
		t.Fatalf("sentences %v do not start at 0", d.Sentences)
	}
	for i := 1; i < len(d.Sentences); i++ {
		if d.Sentences[i] <= d.Sentences[i-1] || int(d.Sentences[i]) >= len(toks) {
			t.Fatalf("sentence starts %v not increasing within %d tokens", d.Sentences, len(toks))
		}
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"", "Mr. Smith went to Washington. He said: \"No!\" then left.",
		"3.5 U.S.A. e.g. i.e. ... ?! \n\n\n", "Don’t stop — it’s 10 p.m.\r\nNew line.",
		"東京は大きい。 Ａｂｃ ｄｅｆ.", "recon-\nstruction of the harbour", "a\u00ADb c\u0301d",
		strings.Repeat("word ", 200), "\xff\xfe invalid \xc3 bytes.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		toks := shingle.NewTokenizer().Tokenize(nil, []byte(text))
		an := NewAnalyzer()
		d := an.Analyze(Doc{}, []byte(text), toks)
		checkDoc(t, d, toks)
		// The cache never changes a result: a warm analyzer, and one that
		// saw the text backwards first, agree with a fresh one.
		d2 := an.Analyze(Doc{}, []byte(text), toks)
		an3 := NewAnalyzer()
		rev := []rune(text)
		slices.Reverse(rev)
		rt := []byte(string(rev))
		an3.Analyze(Doc{}, rt, shingle.NewTokenizer().Tokenize(nil, rt))
		d3 := an3.Analyze(Doc{}, []byte(text), toks)
		if !slices.Equal(d.Terms, d2.Terms) || !slices.Equal(d.Terms, d3.Terms) ||
			!slices.Equal(d.Vocab, d2.Vocab) || !slices.Equal(d.Vocab, d3.Vocab) ||
			!slices.Equal(d.Sentences, d2.Sentences) || !slices.Equal(d.Sentences, d3.Sentences) {
			t.Fatalf("analysis depends on the analyzer's history")
		}
	})
}

// hashDoc returns the Doc of tokens with the given terms (hashes, 0 for a
// stop word) and sentence starts, its terms numbered in order of first
// occurrence.
func hashDoc(terms []uint32, sentences []int32) Doc {
	d := Doc{Sentences: sentences}
	num := map[uint32]uint32{}
	for _, t := range terms {
		if t == NoTerm {
			d.Terms = append(d.Terms, NoTerm)
			continue
		}
		if num[t] == 0 {
			d.Vocab = append(d.Vocab, t)
			num[t] = uint32(len(d.Vocab))
		}
		d.Terms = append(d.Terms, num[t])
	}
	return d
}

// TestAnalyzeContext: the analysis of a large document looks at its
// context every checkTokens tokens, in its terms and in its sentences,
// and gives up at the look that finds it done; never done, it is
// Analyze's.
func TestAnalyzeContext(t *testing.T) {
	text := []byte(strings.Repeat("The harbour board met on Tuesday. It said the port will close soon. ", (2*checkTokens+5)/13+1))
	toks := shingle.NewTokenizer().Tokenize(nil, text)
	want := NewAnalyzer().Analyze(Doc{}, text, toks)
	looks := 2 * (len(toks) / checkTokens) // terms, then sentences
	for _, tc := range []struct {
		n, looks int
		err      error
	}{
		{0, looks, nil},
		{2, 2, context.Canceled},
		{looks, looks, context.Canceled}, // the last, in the sentences
	} {
		ctx := testctx.NewDoneAfter(tc.n)
		got, err := NewAnalyzer().AnalyzeContext(ctx, Doc{}, text, toks)
		if !errors.Is(err, tc.err) || ctx.Calls != tc.looks {
			t.Errorf("AnalyzeContext of %d tokens, done from look %d = %v after %d looks, want %v after %d", len(toks), tc.n, err, ctx.Calls, tc.err, tc.looks)
		}
		if err == nil && (!slices.Equal(got.Terms, want.Terms) || !slices.Equal(got.Sentences, want.Sentences) || !slices.Equal(got.Vocab, want.Vocab)) {
			t.Errorf("AnalyzeContext, never done: not Analyze's analysis")
		}
	}
}

// TestStemmer: the stemmer computeTerm runs (blevesearch/snowballstem,
// generated from the Snowball sources) gives the Porter2 stems of a table
// of words and, on every word of the example corpus and the seeds (when
// ../../shared holds them), the stems of kljensen/snowball, the
// hand-written Porter2 the analyses used before: a term is its stem's
// hash, so a stemmer that differs changes what reworded reuse finds.
func TestStemmer(t *testing.T) {
	an := NewAnalyzer()
	stem := func(w string) string {
		if an.stem == nil {
			an.stem = snowballstem.NewEnv("")
		}
		an.stem.SetCurrent(w)
		stemmer.Stem(an.stem)
		return an.stem.Current()
	}
	for _, tc := range []struct{ in, want string }{
		{"running", "run"}, {"generously", "generous"}, {"reused", "reus"},
		{"passages", "passag"}, {"documentation", "document"}, {"skies", "sky"},
		{"news", "news"}, {"dying", "die"}, {"consistency", "consist"}, {"a", "a"},
	} {
		if got := stem(tc.in); got != tc.want {
			t.Errorf("stem(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	words := map[string]bool{}
	for _, dir := range []string{"../testdata/corpus", "../../shared/seeds"} {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return nil
			}
			for _, w := range strings.FieldsFunc(strings.ToLower(string(b)), func(r rune) bool { return r < 'a' || r > 'z' }) {
				words[w] = true
			}
			return nil
		})
	}
	if len(words) < 1000 {
		t.Fatalf("%d words read from the example corpus: too few to compare stemmers", len(words))
	}
	for w := range words {
		if got, want := stem(w), english.Stem(w, true); got != want {
			t.Errorf("stem(%q) = %q, kljensen/snowball %q", w, got, want)
		}
	}
}
