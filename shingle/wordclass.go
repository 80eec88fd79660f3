package shingle

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// WordClass is what kind of word a token is, as its spelling in the text
// shows: enough to tell a short match that only names someone (two
// articles that both print "Jane Doe, the spokeswoman of the Harbour
// Board, said that") from words one text took from another
// (align.Evidence.Mention).
type WordClass uint8

const (
	// OtherWord is a token of digits, of capitals only ("NATO", "BIOS"),
	// or of a script without case (Han, Arabic, Thai): it says nothing
	// either way.
	OtherWord WordClass = iota
	// FunctionWord is an English function word or verb of saying ("the",
	// "of", "would", "said"), whatever its case (FunctionWords).
	FunctionWord
	// NameWord is a capitalized word: an upper-case letter followed by
	// lower-case ones ("Board", "McAllister"), and not a function word.
	NameWord
	// ContentWord is any other word of letters starting in lower case.
	ContentWord
)

// FunctionWords are the words that are FunctionWord: Snowball's English
// stop word list (which the reworded analysis drops), the modal verbs,
// and the verbs reporters attribute words with. They carry no content of
// their own: a match made of them and names is a mention of someone, in
// whatever words the house style gives it. Read only: the lookup table
// is built from it once, at start.
var FunctionWords = strings.Fields(`
a about above after again against all am an and any are as at be because
been before being below between both but by can did do does doing don down
during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most
my myself no nor not now of off on once only or other our ours ourselves out
over own s same she should so some such t than that the their theirs them
themselves then there these they this those through to too under until up
very was we were what when where which while who whom why will with you
your yours yourself yourselves
would could may might must shall also
say says said saying tell tells told add adds added note notes noted argue
argues argued claim claims claimed warn warns warned insist insists insisted
suggest suggests suggested confirm confirms confirmed announce announces
announced report reports reported explain explains explained state states
stated according
`)

// functionTable is a perfect hash of the token hashes of FunctionWords:
// slot (h·functionMul)>>52 of a function word's hash h holds h's high 32
// bits, and no two function words share a slot (0 marks an empty one).
// One load and one comparison tell any token, with no loop: ClassOf
// costs 11 ns a token of English, 13 with a table probed in a loop
// (BenchmarkWordClasses).
var functionTable, functionMul = func() (*[1 << 12]uint32, uint64) {
	tz := NewTokenizer()
	hashes := make([]uint64, 0, len(FunctionWords))
	for _, w := range FunctionWords {
		toks := tz.Tokenize(nil, []byte(w))
		if len(toks) != 1 || toks[0].Hash>>32 == 0 {
			panic("shingle: function word " + w + " is not one token of a usable hash")
		}
		if len(w) > maxFunctionWord {
			panic("shingle: function word " + w + " is longer than maxFunctionWord")
		}
		hashes = append(hashes, toks[0].Hash)
	}
	var table [1 << 12]uint32
	// Odd multipliers from a fixed start, until one sends every word to
	// a slot of its own: for 178 words in 4,096 slots about one in
	// e^(178²/8,192) = 48 is free of collisions (the fifth, as it happens).
	for mul := uint64(0x9E3779B97F4A7C15); ; mul += 2 {
		clear(table[:])
		ok := true
		for _, h := range hashes {
			s := &table[(h*mul)>>52]
			if *s != 0 && *s != uint32(h>>32) {
				ok = false
				break
			}
			*s = uint32(h >> 32)
		}
		if ok {
			return &table, mul
		}
	}
}()

// maxFunctionWord is the length in bytes of the longest FunctionWord
// ("yourselves", "themselves").
const maxFunctionWord = 10

// isFunctionWord reports whether h is the token hash of a FunctionWord.
func isFunctionWord(h uint64) bool {
	e := functionTable[(h*functionMul)>>52]
	return e == uint32(h>>32) && e != 0
}

// ClassOf returns the class of token t of text (as Tokenize gave it). It
// looks at the token's bytes and hash only, in O(its length), without
// allocating.
func ClassOf(text []byte, t Token) WordClass {
	if int(t.End) > len(text) || t.Start >= t.End {
		return OtherWord
	}
	w := text[t.Start:t.End]
	switch c := w[0]; {
	case 'a' <= c && c <= 'z':
		// Most tokens: a function word or a content word, known from the
		// hash alone.
		if len(w) <= maxFunctionWord && isFunctionWord(t.Hash) {
			return FunctionWord
		}
		return ContentWord
	case '0' <= c && c <= '9':
		return OtherWord
	}
	if isFunctionWord(t.Hash) {
		return FunctionWord
	}
	// An upper-case letter followed by a lower-case one makes a name; a
	// digit anywhere makes none.
	r, size := rune(w[0]), 1
	if r >= utf8.RuneSelf {
		r, size = utf8.DecodeRune(w)
		switch {
		case uncased(r):
			return OtherWord
		case unicode.IsLower(r):
			return ContentWord
		case !unicode.IsUpper(r) && !unicode.IsTitle(r):
			return OtherWord // Han, Arabic, Thai: letters of no case
		}
	} else if r < 'A' || r > 'Z' {
		return OtherWord
	}
	name := false
	for i := size; i < len(w); {
		r, size := rune(w[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(w[i:])
		}
		i += size
		switch {
		case 'a' <= r && r <= 'z':
			name = true
		case '0' <= r && r <= '9':
			return OtherWord
		case r >= utf8.RuneSelf && !name && unicode.IsLower(r):
			name = true
		case r >= utf8.RuneSelf && unicode.IsDigit(r):
			return OtherWord
		}
	}
	if name {
		return NameWord
	}
	return OtherWord
}

// uncased reports, without Unicode's tables, runes of blocks whose letters
// have no case: Hebrew to Myanmar (Arabic, Devanagari, Thai, ...), and
// CJK punctuation to Yi (Kana, Han), and Hangul syllables. Tokens of these
// scripts are most of the tokens of a text in them.
func uncased(r rune) bool {
	return 0x0590 <= r && r < 0x10A0 || 0x3000 <= r && r < 0xA640 || 0xAC00 <= r && r < 0xD7B0
}

// AppendWordClasses appends the classes of toks (tokens of text, ClassOf)
// to dst, four tokens a byte, the first in the low bits: ⌈len(toks)/4⌉
// bytes. With text nil every token is OtherWord.
func AppendWordClasses(dst, text []byte, toks []Token) []byte {
	var b byte
	for i, t := range toks {
		c := OtherWord
		if text != nil {
			c = ClassOf(text, t)
		}
		b |= byte(c) << (2 * (i & 3))
		if i&3 == 3 {
			dst = append(dst, b)
			b = 0
		}
	}
	if len(toks)&3 != 0 {
		dst = append(dst, b)
	}
	return dst
}

// CountWordClasses counts the classes (indexing the result) of tokens
// [from, to) in packed, as AppendWordClasses wrote them. Tokens beyond
// packed count as OtherWord.
func CountWordClasses(packed []byte, from, to int) (counts [4]int32) {
	for i := max(from, 0); i < to; i++ {
		c := OtherWord
		if i/4 < len(packed) {
			c = WordClass(packed[i/4] >> (2 * (i & 3)) & 3)
		}
		counts[c]++
	}
	return counts
}
