package shingle

import (
	"context"
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

// Quotation marks beside a token, packed with its class by
// AppendWordClasses: a match lifted inside quotation marks is a quotation,
// whatever its words (align.Evidence.Mention keeps it).
const (
	// QuoteBefore marks a token right after a quotation mark that opens:
	// one touching the token and not the word before it (`said "Jane`,
	// `« Jane`, `„Jane`), or an opening corner bracket (「).
	QuoteBefore = 1 << 2
	// QuoteAfter marks a token right before a quotation mark that closes,
	// past the punctuation ending the token: one touching it and not the
	// word after it (`Board,"`, `Board.”`, `Board »`, 」).
	QuoteAfter = 1 << 3
)

// QuoteMarks returns QuoteBefore and QuoteAfter as they apply to token i
// of toks (tokens of text, as Tokenize gave them). Marks are looked for
// only between the token and its neighbours; straight and curly quotes,
// guillemets, low-9 and corner brackets count, and apostrophes as single
// quotes: opening ones, and closing ones after punctuation only (a
// possessive is not a quote; an elision taken for one only keeps a short
// match a mention would drop). O(1) on an ordinary token: a space or a
// letter next to it says no mark is there.
func QuoteMarks(text []byte, toks []Token, i int) (marks byte) {
	t := toks[i]
	if int(t.End) > len(text) || t.Start >= t.End {
		return 0
	}
	prevEnd, nextStart := 0, len(text)
	if i > 0 {
		prevEnd = int(min(toks[i-1].End, t.Start))
	}
	if i+1 < len(toks) {
		nextStart = min(max(int(toks[i+1].Start), int(t.End)), len(text))
	}
	if at := int(t.Start); at > prevEnd && maybeQuote(text[prevEnd:at], at-1-prevEnd) {
		r, size := utf8.DecodeLastRune(text[prevEnd:at])
		if inner := at - size; isInnerSpace(r) && inner > prevEnd && text[inner-1] >= utf8.RuneSelf {
			// French guillemets hold a space inside and point their way
			// (« Jane), German ones touch the word (»Jane«).
			if g, gsize := utf8.DecodeLastRune(text[prevEnd:inner]); (g == '«' || g == '‹') && loose(text[prevEnd:inner-gsize], i > 0, true) {
				marks |= QuoteBefore
			}
		}
		if opens(r) || ambiguousQuote(r) && loose(text[prevEnd:at-size], i > 0, true) {
			marks |= QuoteBefore
		}
	}
	at := int(t.End)
	for at < nextStart && at-int(t.End) < 4 && punctuation(text[at]) {
		at++
	}
	if at < nextStart && maybeQuote(text[int(t.End):nextStart], at-int(t.End)) {
		r, size := utf8.DecodeRune(text[at:nextStart])
		if isInnerSpace(r) && at+size < nextStart && text[at+size] >= utf8.RuneSelf {
			if g, gsize := utf8.DecodeRune(text[at+size : nextStart]); (g == '»' || g == '›') && loose(text[at+size+gsize:nextStart], i+1 < len(toks), false) {
				marks |= QuoteAfter
			}
		}
		// A single quote right after a word is as often an apostrophe
		// ("the students' union", "Center' love"): it closes only after
		// punctuation ('No,' he said).
		punctuated := at > int(t.End)
		if closes(r) || ambiguousQuote(r) && (punctuated || !singleQuote(r)) && loose(text[at+size:nextStart], i+1 < len(toks), false) {
			marks |= QuoteAfter
		}
	}
	return marks
}

// isInnerSpace reports the spaces French puts inside guillemets: a space,
// a no-break space or a narrow one.
func isInnerSpace(r rune) bool { return r == ' ' || r == '\u00A0' || r == '\u202F' }

// spaced reports, for most tokens, that no quotation mark is beside t: a
// plain space on each side, and no byte of a multi-byte rune (a
// guillemet) past it.
func spaced(text []byte, t Token) bool {
	s, e := int(t.Start), int(t.End)
	return s >= 2 && e+1 < len(text) && s < e &&
		text[s-1] == ' ' && text[s-2] < utf8.RuneSelf && text[e] == ' ' && text[e+1] < utf8.RuneSelf
}

// maybeQuote reports whether gap[i] can be part of a quotation mark, or
// the space inside a guillemet (a space beside a byte of a multi-byte
// rune in the gap): a plain space is what most tokens have beside them.
func maybeQuote(gap []byte, i int) bool {
	switch c := gap[i]; {
	case c == '"' || c == '\'' || c >= utf8.RuneSelf:
		return true
	case c == ' ':
		return i > 0 && gap[i-1] >= utf8.RuneSelf || i+1 < len(gap) && gap[i+1] >= utf8.RuneSelf
	}
	return false
}

// punctuation reports the punctuation that may stand between a word and
// the quotation mark closing after it.
func punctuation(c byte) bool {
	switch c {
	case ',', '.', ';', ':', '!', '?':
		return true
	}
	return false
}

// ambiguousQuote reports the quotation marks whose side is told by the
// spaces around them: languages use “ ” „ « » ‹ › both ways.
func ambiguousQuote(r rune) bool {
	switch r {
	case '"', '\'', '“', '”', '„', '‟', '‘', '’', '‚', '‛', '«', '»', '‹', '›', '＂', '＇':
		return true
	}
	return false
}

// singleQuote reports the single quotation marks, which are apostrophes
// too.
func singleQuote(r rune) bool {
	return r == '\'' || r == '‘' || r == '’' || r == '‚' || r == '‛' || r == '＇'
}

// opens and closes report the corner brackets of Chinese and Japanese,
// written without spaces, whose side their shape tells.
func opens(r rune) bool  { return r == '「' || r == '『' || r == '﹁' || r == '﹃' }
func closes(r rune) bool { return r == '」' || r == '』' || r == '﹂' || r == '﹄' }

// loose reports whether a mark is free on its far side: gap is the text
// between it and the neighbouring token (before it when before is true;
// neighbour false when there is none), and the mark is free when nothing
// lies there (the text's start or end), or when the gap ends (starts) with
// white space, a bracket, a dash, punctuation or another quotation mark.
func loose(gap []byte, neighbour, before bool) bool {
	if len(gap) == 0 {
		return !neighbour
	}
	var r rune
	if before {
		r, _ = utf8.DecodeLastRune(gap)
	} else {
		r, _ = utf8.DecodeRune(gap)
	}
	return unicode.IsSpace(r) || ambiguousQuote(r) || strings.ContainsRune("([{<—–-)]}>,.;:!?", r)
}

// AppendWordClasses appends the classes of toks (tokens of text, ClassOf),
// each with its QuoteMarks, to dst: four bits a token, two tokens a byte,
// the first in the low bits: ⌈len(toks)/2⌉ bytes. With text nil every
// token is OtherWord without marks.
func AppendWordClasses(dst, text []byte, toks []Token) []byte {
	dst, _ = AppendWordClassesContext(context.Background(), dst, text, toks)
	return dst
}

// AppendWordClassesContext is AppendWordClasses, giving up with
// ctx.Err() (dst partly appended) when ctx is done: it looks every
// checkShingles tokens, a few milliseconds of work.
func AppendWordClassesContext(ctx context.Context, dst, text []byte, toks []Token) ([]byte, error) {
	var b byte
	for i, t := range toks {
		if i&(checkShingles-1) == checkShingles-1 {
			if err := ctx.Err(); err != nil {
				return dst, err
			}
		}
		var c byte
		if text != nil {
			c = byte(ClassOf(text, t))
			if !spaced(text, t) {
				c |= QuoteMarks(text, toks, i)
			}
		}
		b |= c << (4 * (i & 1))
		if i&1 == 1 {
			dst = append(dst, b)
			b = 0
		}
	}
	if len(toks)&1 != 0 {
		dst = append(dst, b)
	}
	return dst, nil
}

// Words is what a range of tokens holds, as CountWords reads it from
// AppendWordClasses' packing.
type Words struct {
	Classes [4]int32 // the number of tokens of each WordClass
	// Quoted reports a quotation mark opening right before the range's
	// first token or closing right after its last.
	Quoted bool
	// Quotation is the longest run of the range's tokens that a
	// quotation mark opens and closes, both inside the range: from a
	// token right after an opening mark to the first token after it
	// right before a closing one, with no other mark opening in between
	// (a second opening mark means the first one's closing mark was
	// missed, or the quotation is nested: its inner quotation is taken).
	Quotation int32
	// Opens and Closes report that a range of tokens begins a sentence
	// (its first token is the document's first, or follows a sentence
	// stop) and that it ends one (its last token is followed by a stop);
	// both false for an empty range. They come from the seed record's
	// stops (spool.SeedView.Words); CountWords leaves them false.
	Opens, Closes bool
}

// CountWords counts the classes of tokens [from, to) in packed, as
// AppendWordClasses wrote them, tells whether quotation marks open or
// close the range, and measures the longest quotation inside it. Tokens
// beyond packed count as OtherWord.
func CountWords(packed []byte, from, to int) (w Words) {
	from = max(from, 0)
	nibble := func(i int) byte {
		if i/2 < len(packed) {
			return packed[i/2] >> (4 * (i & 1)) & 15
		}
		return 0
	}
	open := -1 // the token after the mark that opened the quotation being read
	for i := from; i < to; i++ {
		c := nibble(i)
		w.Classes[c&3]++
		if c&QuoteBefore != 0 {
			open = i
		}
		if c&QuoteAfter != 0 && open >= 0 {
			w.Quotation = max(w.Quotation, int32(i+1-open))
			open = -1
		}
	}
	if from < to {
		w.Quoted = nibble(from)&QuoteBefore != 0 || nibble(to-1)&QuoteAfter != 0
	}
	return w
}

// AppendQuotations appends to dst the quotations among tokens [0, n) of
// packed (AppendWordClasses' packing), as CountWords reads them: token
// ranges [from, to) from a token right after an opening mark to the first
// right before a closing one, with no other mark opening in between, in
// order.
func AppendQuotations(dst [][2]int32, packed []byte, n int) [][2]int32 {
	open := -1
	for i := 0; i < n && i/2 < len(packed); i++ {
		c := packed[i/2] >> (4 * (i & 1)) & 15
		if c&(QuoteBefore|QuoteAfter) == 0 {
			continue
		}
		if c&QuoteBefore != 0 {
			open = i
		}
		if c&QuoteAfter != 0 && open >= 0 {
			dst = append(dst, [2]int32{int32(open), int32(i + 1)})
			open = -1
		}
	}
	return dst
}
