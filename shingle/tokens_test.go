package shingle

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// texts returns the original text of each token.
func texts(text string, toks []Token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, text[t.Start:t.End])
	}
	return out
}

// classes names each token's hash with a letter, in order of first
// appearance: "aba" means tokens 0 and 2 hash equal and token 1 differs.
func classes(toks []Token) string {
	seen := map[uint64]byte{}
	var b strings.Builder
	for _, t := range toks {
		c, ok := seen[t.Hash]
		if !ok {
			c = byte('a' + len(seen))
			seen[t.Hash] = c
		}
		b.WriteByte(c)
	}
	return b.String()
}

func hashes(toks []Token) []uint64 {
	var out []uint64
	for _, t := range toks {
		out = append(out, t.Hash)
	}
	return out
}

var tokenizeTests = []struct {
	in   string
	want []string // token texts, text[Start:End]
	eq   string   // hash classes, see classes
}{
	// Empty and blank text.
	{"", nil, ""},
	{" \t\n\r\n  ", nil, ""},
	{".,;:!?()[]{}<>/\\|@#$%^&*_+=~`", nil, ""},

	// ASCII words, punctuation, numbers, case folding.
	{"The quick brown fox.", []string{"The", "quick", "brown", "fox"}, "abcd"},
	{"Hello, world! hello? HELLO hElLo", []string{"Hello", "world", "hello", "HELLO", "hElLo"}, "abaaa"},
	{"pay $1,250.00 by 2024-05-01", []string{"pay", "1", "250", "00", "by", "2024", "05", "01"}, "abcdefgh"},
	{"route66 R2D2 r2d2", []string{"route66", "R2D2", "r2d2"}, "abb"},
	{"a_b", []string{"a", "b"}, "ab"},

	// Apostrophes inside words are dropped: straight, curly (U+2019),
	// modifier letter (U+02BC, a letter in Unicode) and fullwidth.
	{"don’t don't dont DON'T donʼt don＇t", []string{"don’t", "don't", "dont", "DON'T", "donʼt", "don＇t"}, "aaaaaa"},
	{"l’été l'été lété", []string{"l’été", "l'été", "lété"}, "aaa"},
	{"rock 'n' roll, rock ’n’ roll", []string{"rock", "n", "roll", "rock", "n", "roll"}, "abcabc"},
	// Apostrophes not inside a word separate.
	{"the boys' club", []string{"the", "boys", "club"}, "abc"},
	{"the boys’ club", []string{"the", "boys", "club"}, "abc"},
	{"'tis ’twas ʼok", []string{"tis", "twas", "ok"}, "abc"},
	{"it's'' x''y", []string{"it's", "x", "y"}, "abc"},
	{"isn't", []string{"isn't"}, "a"},

	// Double quotes, straight and curly, separate.
	{`“Quoted” "quoted" «quoted» „quoted“`, []string{"Quoted", "quoted", "quoted", "quoted"}, "aaaa"},
	{`say"what"now`, []string{"say", "what", "now"}, "abc"},

	// Dashes separate.
	{"well—known well–known well-known", []string{"well", "known", "well", "known", "well", "known"}, "ababab"},
	{"a — b", []string{"a", "b"}, "ab"},

	// A hyphen at the end of a line joins a word broken across lines when
	// the next line goes on in lower case.
	{"recon-\nstruction reconstruction", []string{"recon-\nstruction", "reconstruction"}, "aa"},
	{"recon- \r\n  struction", []string{"recon- \r\n  struction"}, "a"},
	{"recon-\r\nstruction", []string{"recon-\r\nstruction"}, "a"},
	{"déjà-\nvu déjàvu", []string{"déjà-\nvu", "déjàvu"}, "aa"},
	{"X-\nRay x ray", []string{"X", "Ray", "x", "ray"}, "abab"},
	{"well-\n\nknown", []string{"well", "known"}, "ab"},
	{"well- known", []string{"well", "known"}, "ab"},
	{"end-\n", []string{"end"}, "a"},
	{"end-\n42", []string{"end", "42"}, "ab"},
	{"a-\n-b", []string{"a", "b"}, "ab"},

	// Soft hyphens (U+00AD) vanish inside words, also at a line end.
	{"co\u00ADoperation cooperation", []string{"co\u00ADoperation", "cooperation"}, "aa"},
	{"co\u00AD\u00ADop coop", []string{"co\u00AD\u00ADop", "coop"}, "aa"},
	{"recon\u00AD\nstruction reconstruction", []string{"recon\u00AD\nstruction", "reconstruction"}, "aa"},
	{"abc\u00AD def", []string{"abc", "def"}, "ab"},
	{"\u00ADabc", []string{"abc"}, "a"},

	// NFKC.
	{"ＡＢＣ abc", []string{"ＡＢＣ", "abc"}, "aa"},
	{"１２３ 123", []string{"１２３", "123"}, "aa"},
	{"ﬁne fine", []string{"ﬁne", "fine"}, "aa"},
	{"cafe\u0301 caf\u00e9 cafe", []string{"cafe\u0301", "caf\u00e9", "cafe"}, "aab"},
	{"e\u0301 \u00e9", []string{"e\u0301", "\u00e9"}, "aa"},
	{"x² x2", []string{"x²", "x2"}, "aa"},
	{"\u212Aelvin kelvin", []string{"\u212Aelvin", "kelvin"}, "aa"}, // Kelvin sign

	// Case folding beyond ASCII (x/text cases.Fold: full folding, no
	// Turkish special case, no accent stripping).
	{"Straße STRASSE strasse STRAẞE", []string{"Straße", "STRASSE", "strasse", "STRAẞE"}, "aaaa"},
	{"ΟΔΟΣ οδος οδοσ οδός", []string{"ΟΔΟΣ", "οδος", "οδοσ", "οδός"}, "aaab"},
	{"İstanbul istanbul ISTANBUL", []string{"İstanbul", "istanbul", "ISTANBUL"}, "abb"},
	{"naïve naive", []string{"naïve", "naive"}, "ab"},

	// Greek and Cyrillic words.
	{"Η γλώσσα μου", []string{"Η", "γλώσσα", "μου"}, "abc"},
	{"Москва МОСКВА москва, ёлка елка", []string{"Москва", "МОСКВА", "москва", "ёлка", "елка"}, "aaabc"},
	// Marks inside words (Devanagari), Arabic.
	{"नमस्ते दुनिया", []string{"नमस्ते", "दुनिया"}, "ab"},
	{"كتاب جديد", []string{"كتاب", "جديد"}, "ab"},

	// Scripts without spaces: one token per character.
	{"中文文本", []string{"中", "文", "文", "本"}, "abbc"},
	{"東京タワーへ", []string{"東", "京", "タ", "ワ", "ー", "へ"}, "abcdef"},
	{"が か\u3099 ｶﾞ ガ", []string{"が", "か\u3099", "ｶﾞ", "ガ"}, "aabb"},
	{"漢\U000E0100 漢", []string{"漢\U000E0100", "漢"}, "aa"}, // ideographic variation selector
	{"ภาษาไทย", []string{"ภ", "า", "ษ", "า", "ไ", "ท", "ย"}, "abcbdef"},
	{"ที่นี่", []string{"ที่", "นี่"}, "ab"},
	{"abc漢字def", []string{"abc", "漢", "字", "def"}, "abcd"},
	{"漢字abc", []string{"漢", "字", "abc"}, "abc"},
	{"東京2020", []string{"東", "京", "2020"}, "abc"},
	{"テスト's", []string{"テ", "ス", "ト", "s"}, "abcd"},
	{"\u3099\u0301abc", []string{"abc"}, "a"},                                         // marks with no base separate
	{"0\u0E48\u0301 0\u0301\u0E48", []string{"0\u0E48\u0301", "0\u0301\u0E48"}, "aa"}, // marks of any script stay with their base
	{"ไทย๛ ๏ ฿5 ㋐", []string{"ไ", "ท", "ย", "5"}, "abcd"},                             // Thai punctuation, baht sign, circled katakana

	// Invalid UTF-8 separates; offsets index the original bytes.
	{"ab\xffcd\xfe\xfe ef", []string{"ab", "cd", "ef"}, "abc"},
	{"\xe2\x80abc", []string{"abc"}, "a"},
	{"caf\xc3", []string{"caf"}, "a"},
	{"caf\xc3\xa9\xa9x", []string{"caf\xc3\xa9", "x"}, "ab"},
	{"\xc3\xa9\xed\xa0\x80z", []string{"\xc3\xa9", "z"}, "ab"}, // surrogate half
	{"a\uFFFDb", []string{"a", "b"}, "ab"},

	// Line ends.
	{"line one\r\nline two\r\n", []string{"line", "one", "line", "two"}, "abac"},
	{"a\rb\nc\fd\ve", []string{"a", "b", "c", "d", "e"}, "abcde"},

	// Emoji separate, including modifiers, ZWJ and variation selectors.
	{"hi👋there 🇫🇷 ok👍🏽 ❤️love 👩‍💻dev", []string{"hi", "there", "ok", "love", "dev"}, "abcde"},
	{"sum\u200Bmary", []string{"sum", "mary"}, "ab"}, // zero-width space
}

func TestTokenize(t *testing.T) {
	tk := NewTokenizer()
	for _, tt := range tokenizeTests {
		toks := tk.Tokenize(nil, []byte(tt.in))
		if got := texts(tt.in, toks); !slices.Equal(got, tt.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
			continue
		}
		if got := classes(toks); got != tt.eq {
			t.Errorf("Tokenize(%q) hash classes = %q, want %q", tt.in, got, tt.eq)
		}
		checkTokens(t, []byte(tt.in), toks)
	}
}

func TestTokenizeOffsets(t *testing.T) {
	tests := []struct {
		in   string
		want []Token // Hash ignored
	}{
		{"ab\xffcd\xfe\xfe ef", []Token{{Start: 0, End: 2}, {Start: 3, End: 5}, {Start: 8, End: 10}}},
		{"\xe2\x80abc", []Token{{Start: 2, End: 5}}},
		{"“é” x", []Token{{Start: 3, End: 5}, {Start: 9, End: 10}}},
		{"a-\nb", []Token{{Start: 0, End: 4}}},
	}
	tk := NewTokenizer()
	for _, tt := range tests {
		toks := tk.Tokenize(nil, []byte(tt.in))
		got := make([]Token, len(toks))
		for i, tok := range toks {
			got[i] = Token{Start: tok.Start, End: tok.End}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Tokenize(%q) offsets = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestTokenizeAppends checks that Tokenize appends to dst and leaves what
// is already there alone.
func TestTokenizeAppends(t *testing.T) {
	tk := NewTokenizer()
	prefix := []Token{{Start: 7, End: 9, Hash: 42}}
	dst := append(make([]Token, 0, 8), prefix...)
	got := tk.Tokenize(dst, []byte("one two"))
	if len(got) != 3 || got[0] != prefix[0] {
		t.Fatalf("Tokenize(dst with 1 token, %q) = %v, want the token then 2 more", "one two", got)
	}
	if want := tk.Tokenize(nil, []byte("one two")); !slices.Equal(got[1:], want) {
		t.Errorf("Tokenize(dst, %q)[1:] = %v, want %v", "one two", got[1:], want)
	}
}

// runeBoundaries returns which byte positions of text are rune boundaries:
// the positions reached by decoding text from the start with
// utf8.DecodeRune, an invalid byte being one step of one byte, and
// len(text).
func runeBoundaries(text []byte) []bool {
	b := make([]bool, len(text)+1)
	for i := 0; i < len(text); {
		b[i] = true
		_, size := utf8.DecodeRune(text[i:])
		i += size
	}
	b[len(text)] = true
	return b
}

// checkTokens checks the invariants of toks = Tokenize(text):
//   - 0 <= Start < End <= len(text), tokens in order and not overlapping;
//   - Start and End are rune boundaries (see runeBoundaries), so a token
//     never starts or ends inside a rune or after an invalid byte that
//     belongs to it: text[Start:End] is valid UTF-8;
//   - a token starts with a letter or digit (not a mark or an apostrophe)
//     and ends with a letter, digit or mark (not an apostrophe, a hyphen
//     or a soft hyphen).
func checkTokens(t *testing.T, text []byte, toks []Token) {
	t.Helper()
	bound := runeBoundaries(text)
	prev := uint32(0)
	for i, tok := range toks {
		if tok.Start >= tok.End || int(tok.End) > len(text) || tok.Start < prev {
			t.Fatalf("Tokenize(%q): token %d = [%d,%d) after %d: out of order or range", text, i, tok.Start, tok.End, prev)
		}
		prev = tok.End
		if !bound[tok.Start] || !bound[tok.End] {
			t.Fatalf("Tokenize(%q): token %d = [%d,%d) not on rune boundaries", text, i, tok.Start, tok.End)
		}
		s := text[tok.Start:tok.End]
		if !utf8.Valid(s) {
			t.Fatalf("Tokenize(%q): token %d = %q is not valid UTF-8", text, i, s)
		}
		first, _ := utf8.DecodeRune(s)
		last, _ := utf8.DecodeLastRune(s)
		if !isWordRune(first) || isMark(first) || isApostrophe(first) {
			t.Fatalf("Tokenize(%q): token %d = %q starts with %q", text, i, s, first)
		}
		if !isWordRune(last) || isApostrophe(last) {
			t.Fatalf("Tokenize(%q): token %d = %q ends with %q", text, i, s, last)
		}
	}
}

// shifted returns toks with every offset moved by d.
func shifted(toks []Token, d int) []Token {
	out := make([]Token, len(toks))
	for i, t := range toks {
		out[i] = Token{Start: uint32(int(t.Start) + d), End: uint32(int(t.End) + d), Hash: t.Hash}
	}
	return out
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"",
		"The minister said on Tuesday that the bridge, closed since March, would reopen “within weeks”.",
		"“We don’t comment on rumours,” a spokeswoman told Reuters; shares fell 3.2% to $41.50.",
		"Officials—speaking on condition of anonymity—said the well-known recon-\nstruction plan was shelved.",
		"L’Assemblée nationale a adopté le texte à 289 voix contre 267. Straße, ΟΔΟΣ, İstanbul.",
		"Президент заявил, что «переговоры продолжатся» в понедельник.",
		"東京都は２０２４年、新しい条例を施行した。ｶﾞｲﾄﾞ か\u3099",
		"ข่าวด่วน: รัฐบาลประกาศมาตรการใหม่ ที่นี่",
		"नई दिल्ली में बारिश; كتاب جديد",
		"bad \xff\xfe bytes \xe2\x80 in caf\xc3 the middle\xc3\xa9\xa9",
		"co\u00ADoperation, the boys' club, rock ’n’ roll, donʼt, e\u0301, ﬁne, ＡＢＣ",
		"line one\r\nline two-\r\n  continued\r\n👍🏽 emoji 👩‍💻 ❤️ 漢\U000E0100",
	} {
		f.Add([]byte(s))
	}
	tk := NewTokenizer()
	f.Fuzz(func(t *testing.T, text []byte) {
		toks := tk.Tokenize(nil, text)
		checkTokens(t, text, toks)
		for _, tok := range toks {
			if want := refTokenHash(text[tok.Start:tok.End]); tok.Hash != want {
				t.Fatalf("Tokenize(%q): token %q hash = %#x, want %#x", text, text[tok.Start:tok.End], tok.Hash, want)
			}
		}

		// Deterministic: the same Tokenizer again, and a fresh one.
		if again := tk.Tokenize(nil, text); !slices.Equal(again, toks) {
			t.Fatalf("Tokenize(%q) twice = %v then %v", text, toks, again)
		}
		if fresh := NewTokenizer().Tokenize(nil, text); !slices.Equal(fresh, toks) {
			t.Fatalf("Tokenize(%q) = %v with a used Tokenizer, %v with a new one", text, toks, fresh)
		}

		// ’ and ' are the same apostrophe.
		straight := bytes.ReplaceAll(text, []byte("’"), []byte("'"))
		if got := hashes(tk.Tokenize(nil, straight)); !slices.Equal(got, hashes(toks)) {
			t.Fatalf("Tokenize(%q) hashes = %x, but with ’ as ' (%q) = %x", text, hashes(toks), straight, got)
		}

		// Tokens are local: a space on either side shifts the offsets only.
		padded := append(append([]byte(" "), text...), ' ')
		if got, want := tk.Tokenize(nil, padded), shifted(toks, 1); !slices.Equal(got, want) {
			t.Fatalf("Tokenize(%q) = %v, want Tokenize(%q) shifted by 1 = %v", padded, got, text, want)
		}

		// Canonically equivalent text gives the same tokens: NFC and NFD
		// only compose, decompose and reorder marks.
		if utf8.Valid(text) {
			for _, form := range []norm.Form{norm.NFC, norm.NFD} {
				eq := form.Bytes(text)
				if got := hashes(tk.Tokenize(nil, eq)); !slices.Equal(got, hashes(toks)) {
					t.Fatalf("Tokenize(%q) hashes = %x, but its %v form %q gives %x", text, hashes(toks), form, eq, got)
				}
			}
		}

		// A paragraph break separates: tokens of a+"\n\n"+b are those of
		// a then those of b.
		mid := len(text) / 2
		a, b := text[:mid], text[mid:]
		joined := slices.Concat(a, []byte("\n\n"), b)
		want := append(tk.Tokenize(nil, a), shifted(tk.Tokenize(nil, b), len(a)+2)...)
		if got := tk.Tokenize(nil, joined); !slices.Equal(got, want) {
			t.Fatalf("Tokenize(%q) = %v, want Tokenize(%q) then Tokenize(%q) = %v", joined, got, a, b, want)
		}
	})
}

func TestTokenizeAllocs(t *testing.T) {
	tests := []struct {
		name string
		text string
	}{
		{"ascii", strings.Repeat("The minister said on Tuesday that the bridge would reopen, it's well-known. ", 20)},
		{"mixed", strings.Repeat("L’Assemblée a adopté «le texte» — Straße, ΟΔΟΣ, Москва; 東京都は２０２４年 ที่นี่ recon-\nstruction ﬁne. ", 20)},
	}
	for _, tt := range tests {
		tk := NewTokenizer()
		text := []byte(tt.text)
		dst := tk.Tokenize(nil, text) // warm up: grow dst and the scratch buffers
		n := testing.AllocsPerRun(100, func() {
			dst = tk.Tokenize(dst[:0], text)
		})
		if n != 0 {
			t.Errorf("Tokenize(%s text) with grown dst: %v allocs, want 0", tt.name, n)
		}
	}
}

// TestPlainChar checks every rune plainChar takes: a character tokenized
// alone (isCharScript) that the normalizer leaves as it is, so that the
// fast path hashes it as hashNormalized does, alone or followed by a mark
// (which takes the slow path and composes: か + U+3099 is が).
func TestPlainChar(t *testing.T) {
	tk := NewTokenizer()
	n := 0
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !plainChar(r) {
			continue
		}
		n++
		s := string(r)
		if !isCharScript(r) || isMark(r) {
			t.Fatalf("plainChar(%U) but isCharScript %v, isMark %v", r, isCharScript(r), isMark(r))
		}
		if got := norm.NFKC.String(s); got != s {
			t.Fatalf("NFKC(%U) = %q, want it unchanged", r, got)
		}
		want := tk.hashNormalized([]byte(s))
		if end, h := tk.charToken([]byte(s+" x"), 0); end != len(s) || h != want {
			t.Fatalf("charToken(%U) = %d, %x, want %d, %x", r, end, h, len(s), want)
		}
	}
	if n != 0x9FFF-0x4E00+1+0x4DBF-0x3400+1+0x3096-0x3041+1+0x30FA-0x30A1+1 {
		t.Errorf("plainChar took %d runes", n)
	}
	// A plain character followed by a mark is normalized with it.
	toks := tk.Tokenize(nil, []byte("\u304b\u3099 \u304c"))
	if len(toks) != 2 || toks[0].Hash != toks[1].Hash {
		t.Errorf("か+U+3099 and が tokenize to %v, want one hash twice", toks)
	}
}
