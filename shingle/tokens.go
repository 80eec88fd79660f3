package shingle

import (
	"context"
	"math"
	"unicode"
	"unicode/utf8"

	"github.com/reuse-tool/reuse/internal/grow"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Token is one word of a text: its byte range [Start, End) in the original
// text and the hash of its normalized form.
//
// Layout: 16 bytes, no pointers, so token slices cost the garbage collector
// nothing to scan.
type Token struct {
	Start, End uint32
	Hash       uint64
}

// MaxText is the longest text Tokenize accepts: offsets are 32-bit (and
// on 32-bit platforms no slice is longer than math.MaxInt).
const MaxText = min(math.MaxUint32, math.MaxInt)

// Tokenizer splits text into normalized tokens. Its zero value is not
// usable; call NewTokenizer. A Tokenizer is NOT safe for concurrent use.
type Tokenizer struct {
	raw    []byte // a token's runes, apostrophes and joins removed
	nfkc   []byte
	folded []byte
	fold   cases.Caser
	// iter normalizes without allocating: norm.NFKC.Append puts its
	// reorder buffer on the heap whenever the input is not already NFKC.
	iter norm.Iter
}

// NewTokenizer returns a Tokenizer with its own scratch buffers.
func NewTokenizer() *Tokenizer {
	return &Tokenizer{fold: cases.Fold()}
}

// Tokenize appends the tokens of text to dst and returns it. Texts longer
// than MaxText are truncated to MaxText bytes.
func (t *Tokenizer) Tokenize(dst []Token, text []byte) []Token {
	dst, _ = t.TokenizeContext(context.Background(), dst, text)
	return dst
}

// checkBytes is how much text TokenizeContext reads between two looks at
// its context: a few milliseconds of work (tokenizing runs at tens of
// MB/s), so an interrupt is seen at once even in a document of 100s of
// MB.
const checkBytes = 1 << 20

// TokenizeContext is Tokenize, giving up with the tokens so far and
// ctx.Err() when ctx is done; it looks at ctx after every checkBytes of
// text.
func (t *Tokenizer) TokenizeContext(ctx context.Context, dst []Token, text []byte) ([]Token, error) {
	if len(text) > MaxText {
		text = text[:MaxText]
	}
	// Room for the tokens of a text of 6 bytes a token (prose and code
	// run 4-7; generated news 6.2), then for as many as the text so far
	// says the rest holds: a large text's tokens grown by append were
	// copied over and over, a third of stage 1's time on a 64 MB file
	// (docs/benchmarks.md, "A table repeated in one file"), and a copy of
	// a GB of tokens, which no interrupt can stop, took seconds.
	dst = grow.Slice(dst, len(text)/6)
	from := len(dst)
	i := 0
	for i < len(text) {
		if i > 0 {
			if err := ctx.Err(); err != nil {
				return dst, err
			}
		}
		// A look costs the inner loop nothing: a token may run past end.
		for end := min(i+checkBytes, len(text)); i < end; {
			if len(dst) == cap(dst) {
				dst = grow.Slice(dst, (len(dst)-from)*(len(text)-i)/max(i, 1)+len(dst)/8+16)
			}
			c := text[i]
			if c < utf8.RuneSelf {
				if !isASCIIWord(c) {
					i++
					continue
				}
				// Fast path: a token made of ASCII letters and digits, hashed
				// as it is lower-cased.
				start := i
				h := fnvOffset
				for i < len(text) && isASCIIWord(text[i]) {
					h = (h ^ uint64(lowerASCII(text[i]))) * fnvPrime
					i++
				}
				if i < len(text) && (text[i] >= utf8.RuneSelf || text[i] == '\'' || text[i] == '-') {
					// The word goes on past ASCII (an accent, an apostrophe, a
					// line-end hyphen): normalize it the slow way.
					var end int
					end, h = t.slowWord(text, start)
					if end > i {
						i = end
					}
				}
				dst = append(dst, Token{Start: uint32(start), End: uint32(i), Hash: Mix64(h)})
				continue
			}
			r, size := utf8.DecodeRune(text[i:])
			switch {
			case plainChar(r):
				start := i
				var h uint64
				i, h = t.charToken(text, start)
				dst = append(dst, Token{Start: uint32(start), End: uint32(i), Hash: Mix64(h)})
			case r == utf8.RuneError && size <= 1:
				i++ // invalid byte: a separator
			case isMark(r):
				i += size // a mark with no letter before it: a separator
			case isCharScript(r):
				start := i
				var h uint64
				i, h = t.charToken(text, start)
				dst = append(dst, Token{Start: uint32(start), End: uint32(i), Hash: Mix64(h)})
			case isWordRune(r) && !isApostrophe(r):
				start := i
				var h uint64
				i, h = t.slowWord(text, start)
				dst = append(dst, Token{Start: uint32(start), End: uint32(i), Hash: Mix64(h)})
			default:
				i += size
			}
		}
	}
	return dst, nil
}

// slowWord reads the word starting at text[start] (a word rune) and returns
// its end and the FNV-1a hash of its normalized form.
func (t *Tokenizer) slowWord(text []byte, start int) (end int, h uint64) {
	raw := t.raw[:0]
	i := start
	for i < len(text) {
		r, size := utf8.DecodeRune(text[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			goto done
		case isCharScript(r) && !isMark(r):
			// A mark, of any script, belongs to the character before it.
			goto done
		case isApostrophe(r):
			// Tested before isWordRune: U+02BC is a letter (Lm). Only
			// inside a word: "don't", not "the boys' ".
			if continuesWord(text, i+size) {
				i += size
				continue
			}
			goto done
		case isVariationSelector(r):
			i += size // a mark, but default-ignorable: not hashed
		case isWordRune(r):
			raw = append(raw, text[i:i+size]...)
			i += size
		case r == '\u00AD':
			// Soft hyphen: invisible, only inside a word, possibly at the
			// end of a line ("recon\u00AD\nstruction").
			j := i + size
			for j+1 < len(text) && text[j] == 0xC2 && text[j+1] == 0xAD {
				j += 2
			}
			if continuesWord(text, j) {
				i = j
				continue
			}
			if k, ok := lineEndHyphen(text, j); ok {
				i = k
				continue
			}
			goto done
		case r == '-':
			if j, ok := lineEndHyphen(text, i+size); ok {
				i = j
				continue
			}
			goto done
		default:
			goto done
		}
	}
done:
	t.raw = raw
	return i, t.hashNormalized(raw)
}

// charToken reads the character starting at text[start] (a rune of a
// script written without spaces) with the combining marks that follow it,
// so that "か\u3099" is the same token as "が" and Thai "ที่" is one token.
// Halfwidth katakana sound marks (U+FF9E, U+FF9F) are letters, not marks,
// but NFKC composes them with the character before: they are taken too.
// Variation selectors are not hashed. It returns the token's end and the
// FNV-1a hash of its normalized form.
func (t *Tokenizer) charToken(text []byte, start int) (end int, h uint64) {
	_, size := utf8.DecodeRune(text[start:])
	raw := append(t.raw[:0], text[start:start+size]...)
	i := start + size
	for i < len(text) {
		r, size := utf8.DecodeRune(text[i:])
		if !isMark(r) && r != '\uFF9E' && r != '\uFF9F' {
			break
		}
		if !isVariationSelector(r) {
			raw = append(raw, text[i:i+size]...)
		}
		i += size
	}
	t.raw = raw
	if r, n := utf8.DecodeRune(raw); n == len(raw) && plainChar(r) {
		// No mark to compose with: NFKC and case folding keep it.
		h = fnvOffset
		for _, c := range raw {
			h = (h ^ uint64(c)) * fnvPrime
		}
		return i, h
	}
	return i, t.hashNormalized(raw)
}

// plainChar reports whether r is a kana or a CJK ideograph of the main
// blocks: a character of a script tokenized one character at a time
// (isCharScript) that NFKC and case folding leave as it is
// (TestPlainChar checks every one). Most of Chinese and Japanese text is
// made of them, and needs neither the Unicode tables nor the normalizer.
func plainChar(r rune) bool {
	return 0x4E00 <= r && r <= 0x9FFF || 0x3400 <= r && r <= 0x4DBF ||
		0x3041 <= r && r <= 0x3096 || 0x30A1 <= r && r <= 0x30FA
}

// continuesWord reports whether text[i:] starts with a rune that continues
// a word after an apostrophe or a soft hyphen: a letter or digit that is
// not an apostrophe nor a character of a script tokenized one character at
// a time.
func continuesWord(text []byte, i int) bool {
	if i >= len(text) {
		return false
	}
	r, _ := utf8.DecodeRune(text[i:])
	return isWordRune(r) && !isMark(r) && !isApostrophe(r) && !isCharScript(r)
}

// lineEndHyphen reports whether a hyphen ending just before text[j] ends a
// line in the middle of a word: the hyphen, optional spaces, a line break,
// optional spaces, then a lower-case letter. It returns where the word
// continues.
func lineEndHyphen(text []byte, j int) (int, bool) {
	for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
		j++
	}
	if j >= len(text) || text[j] != '\n' {
		return 0, false
	}
	j++
	for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
		j++
	}
	if j >= len(text) {
		return 0, false
	}
	r, _ := utf8.DecodeRune(text[j:])
	if !unicode.IsLower(r) {
		return 0, false
	}
	return j, true
}

// hashNormalized hashes the NFKC, case-folded form of raw.
func (t *Tokenizer) hashNormalized(raw []byte) uint64 {
	ascii := true
	for _, c := range raw {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		h := fnvOffset
		for _, c := range raw {
			h = (h ^ uint64(lowerASCII(c))) * fnvPrime
		}
		return h
	}
	t.nfkc = t.nfkc[:0]
	t.iter.Init(norm.NFKC, raw)
	for !t.iter.Done() {
		t.nfkc = append(t.nfkc, t.iter.Next()...)
	}
	t.folded = t.foldInto(t.folded[:0], t.nfkc)
	h := fnvOffset
	for _, c := range t.folded {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return h
}

// foldInto appends the case folding of src to dst, growing dst as the
// transformer asks, without allocating once dst is large enough.
func (t *Tokenizer) foldInto(dst, src []byte) []byte {
	t.fold.Reset()
	for {
		need := len(dst) + 2*len(src) + 8
		if cap(dst) < need {
			grown := make([]byte, len(dst), need)
			copy(grown, dst)
			dst = grown
		}
		nDst, _, err := t.fold.Transform(dst[len(dst):cap(dst)], src, true)
		if err == nil {
			return dst[:len(dst)+nDst]
		}
		// Short destination: grow and start again.
		dst = make([]byte, len(dst), 2*cap(dst))
		t.fold.Reset()
	}
}

func isASCIIWord(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIWord(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || isMark(r)
}

func isMark(r rune) bool {
	return r >= 0x300 && unicode.Is(unicode.M, r)
}

// isVariationSelector reports the variation selectors (VS1-VS16 and the
// ideographic VS17-VS256): marks that choose a glyph, ignored in hashes.
func isVariationSelector(r rune) bool {
	return '\uFE00' <= r && r <= '\uFE0F' || '\U000E0100' <= r && r <= '\U000E01EF'
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '\u02BC' || r == '\uFF07'
}

// isCharScript reports the letters, digits and marks of scripts written
// without spaces between words, tokenized one character at a time. Their
// punctuation and symbols (Thai "๛", circled katakana) separate, as in
// other scripts.
func isCharScript(r rune) bool {
	if r < 0x0E00 || !isWordRune(r) {
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana,
		unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}

const (
	fnvOffset uint64 = 14695981039346656037
	fnvPrime  uint64 = 1099511628211
)
