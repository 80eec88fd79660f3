package reword

import (
	"bytes"
	"context"
	"slices"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/blevesearch/snowballstem"
	stemmer "github.com/blevesearch/snowballstem/english"
	"github.com/kljensen/snowball/english"

	"github.com/reuse-tool/reuse/shingle"
)

// Doc is the analysis of one document: what the reworded aligner and the
// keys read. It holds no text and no offsets (those stay with the
// shingle.Tokens it was made from, index for index).
//
// The document's terms are numbered: Vocab lists its distinct terms, and
// Terms gives each token the number of its term in Vocab, plus one, so
// that the aligner indexes arrays by term rather than hashing terms token
// by token. AppendDoc and ReadDoc store a Doc in 2.2 to 2.9 bytes a token.
type Doc struct {
	// Terms holds one number per token: 1 + the index in Vocab of the
	// token's term, or 0 (NoTerm) for a stop word. A number beyond Vocab
	// counts as a stop word.
	Terms []uint32
	// Vocab holds the document's distinct terms in order of first
	// occurrence: 32-bit hashes of the lower-cased, stemmed words, never 0.
	Vocab []uint32
	// Sentences holds the token index where each sentence starts, strictly
	// increasing, Sentences[0] == 0 when there are tokens; sentence i is
	// Terms[Sentences[i]:Sentences[i+1]] (the last one runs to the end).
	Sentences []int32
}

// NoTerm is the number of a stop word: it carries no evidence of its own.
const NoTerm uint32 = 0

// Term returns the term of token i (a hash of its stem), or 0 for a stop
// word.
func (d *Doc) Term(i int) uint32 {
	if t := d.Terms[i]; t != NoTerm && int(t) <= len(d.Vocab) {
		return d.Vocab[t-1]
	}
	return 0
}

// Sentence returns the token range [from, to) of sentence i, clipped to
// the tokens (a Doc read back from storage that breaks the invariants of
// Sentences gives empty or short sentences, never a panic).
func (d *Doc) Sentence(i int) (from, to int32) {
	n := int32(len(d.Terms))
	from = d.Sentences[i]
	to = n
	if i+1 < len(d.Sentences) {
		to = d.Sentences[i+1]
	}
	from = min(max(from, 0), n)
	return from, min(max(to, from), n)
}

// Limits of a sentence, in tokens. A sentence with fewer than
// minSentenceTerms content words (a heading, "Yes, sir.", a list number)
// carries too little evidence to be compared alone: it is joined to the
// sentence that follows. Long sentences, and text without sentence
// punctuation (tables, verse, lists, line-broken fragments), are cut at a
// comma, semicolon, colon or line break once softSentence tokens are
// reached (a little more than an average sentence), at maxSentence at the
// latest: a clause is compared with clauses, so that a passage's
// boundaries stay within a few words of the reuse and a long sentence
// reworded in part still seeds. Measured on PAN-13 train, 40 → 25 raised
// 02-05 plagdet by 0.004 on the tuning half and 0.003 on the held-out
// half; 15 and 20 did no better.
const (
	minSentenceTerms = 3
	softSentence     = 25
	maxSentence      = 80
)

// Analyzer computes Docs. It memoizes the term of each distinct word (by
// its token hash), so that the stemmer, which allocates, runs once per
// distinct word rather than once per token. An Analyzer is NOT safe for
// concurrent use: give each worker its own.
type Analyzer struct {
	front  *frontCache // the most recent words, in a small table first
	cache  termCache   // token hash → index in hash, or -1 (a stop word)
	byHash termTable   // term → index in hash
	hash   []uint32    // the terms met
	stamp  []uint32    // per term: the last document holding it (doc)
	num    []uint32    // per term: its number in that document
	doc    uint32
	word   []byte
	stem   *snowballstem.Env // the stemmer's state, reused
}

// NewAnalyzer returns an Analyzer with an empty word cache.
func NewAnalyzer() *Analyzer { return &Analyzer{front: new(frontCache)} }

// Analyze returns the analysis of text, whose tokens (from
// shingle.Tokenizer.Tokenize on the same text) are toks, reusing dst's
// slices. Tokens whose offsets fall outside text are taken as words without
// punctuation around them (no input makes it panic).
//
// Cost: O(len(toks) + the bytes between and in tokens); no allocation once
// dst has grown and the cache knows the document's words.
func (an *Analyzer) Analyze(dst Doc, text []byte, toks []shingle.Token) Doc {
	dst, _ = an.AnalyzeContext(context.Background(), dst, text, toks)
	return dst
}

// checkTokens is how many tokens AnalyzeContext handles between two looks
// at its context: a few milliseconds of work.
const checkTokens = 1 << 18

// AnalyzeContext is Analyze, giving up with ctx.Err() (dst's slices
// partly filled) when ctx is done: a document of hundreds of MB takes
// seconds, and the context is looked at every checkTokens tokens.
func (an *Analyzer) AnalyzeContext(ctx context.Context, dst Doc, text []byte, toks []shingle.Token) (Doc, error) {
	terms, vocab := slices.Grow(dst.Terms[:0], len(toks)), dst.Vocab[:0]
	an.startDoc()
	for i, t := range toks {
		if i&(checkTokens-1) == checkTokens-1 {
			if err := ctx.Err(); err != nil {
				dst.Terms, dst.Vocab = terms, vocab
				return dst, err
			}
		}
		x := an.termOf(text, t)
		if x < 0 {
			terms = append(terms, NoTerm)
			continue
		}
		if an.stamp[x] != an.doc {
			an.stamp[x] = an.doc
			vocab = append(vocab, an.hash[x])
			an.num[x] = uint32(len(vocab))
		}
		terms = append(terms, an.num[x])
	}
	dst.Terms, dst.Vocab = terms, vocab
	var err error
	dst.Sentences, err = splitSentences(ctx, dst.Sentences[:0], text, toks, terms)
	return dst, err
}

// startDoc stamps a new document, first emptying the caches when they
// have reached maxCache words (between documents, so that the terms of
// one document are numbered once).
func (an *Analyzer) startDoc() {
	an.doc++
	if an.cache.n >= maxCache || an.doc == 0 {
		an.cache.clear()
		*an.front = frontCache{}
		an.byHash.reset(0)
		an.hash, an.stamp, an.num = an.hash[:0], an.stamp[:0], an.num[:0]
		an.doc = 1
	}
}

// termOf returns the index of token t's term in an.hash, or -1 for a stop
// word: one lookup of the token hash once the word is known.
func (an *Analyzer) termOf(text []byte, t shingle.Token) int32 {
	f := &an.front[t.Hash&(frontSize-1)]
	if f.key == t.Hash && t.Hash != 0 {
		return f.val
	}
	if x, ok := an.cache.get(t.Hash); ok {
		f.key, f.val = t.Hash, x
		return x
	}
	x := int32(-1)
	if h := an.computeTerm(text, t); h != NoTerm {
		if len(an.byHash.keys) < 2*(len(an.hash)+1) {
			an.growTerms()
		}
		slot, ok := an.byHash.slot(h)
		if !ok {
			an.byHash.keys[slot], an.byHash.a[slot] = h, int32(len(an.hash))
			an.hash = append(an.hash, h)
			an.stamp = append(an.stamp, 0)
			an.num = append(an.num, 0)
		}
		x = an.byHash.a[slot]
	}
	an.cache.put(t.Hash, x)
	f.key, f.val = t.Hash, x
	return x
}

// growTerms doubles the term table.
func (an *Analyzer) growTerms() {
	an.byHash.reset(2 * max(len(an.hash)+1, 512))
	for i, h := range an.hash {
		slot, _ := an.byHash.slot(h)
		an.byHash.keys[slot], an.byHash.a[slot] = h, int32(i)
	}
}

// computeTerm stems an English word with the Snowball (Porter2) English
// stemmer and hashes the stem; stop words (Snowball's English list) get
// NoTerm. A word with a digit is not stemmed: its term is the hash of its
// lower-cased bytes. A word that is not ASCII once normalized is not
// stemmed either: its term comes from its token hash. The result depends
// only on the word's normalized form, as the token hash does, so the
// cache keyed by that hash never changes a result.
func (an *Analyzer) computeTerm(text []byte, t shingle.Token) uint32 {
	s, e := int(t.Start), int(t.End)
	if s > e || e > len(text) {
		return hashTerm32(t.Hash)
	}
	w := an.word[:0]
	ascii := true
	for _, c := range text[s:e] {
		switch {
		case c >= utf8.RuneSelf:
			ascii = false
		case 'A' <= c && c <= 'Z':
			w = append(w, c+'a'-'A')
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			w = append(w, c)
		}
		// Apostrophes and line-end hyphens inside a token are dropped, as
		// the tokenizer drops them from the token hash.
	}
	if !ascii {
		w = an.normalize(w[:0], text[s:e])
	}
	an.word = w
	if len(w) == 0 {
		return hashTerm32(t.Hash)
	}
	digits := false
	for _, c := range w {
		if c >= utf8.RuneSelf || !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return hashTerm32(t.Hash)
		}
		digits = digits || c <= '9'
	}
	if digits {
		// A number or an identifier ("2019", "curr1"): no English stem,
		// and the stemmer, which allocates, costs most of the analysis of
		// technical text.
		return hashBytes32(w)
	}
	word := string(w)
	if english.IsStopWord(word) {
		return NoTerm
	}
	if an.stem == nil {
		an.stem = snowballstem.NewEnv("")
	}
	an.stem.SetCurrent(word)
	stemmer.Stem(an.stem)
	return hashString32(an.stem.Current())
}

// normalize appends to dst the NFKC case folding of a token's letters,
// digits and marks (apostrophes, soft hyphens, line-end hyphens and the
// like dropped), as the tokenizer hashes them. Only for tokens with
// non-ASCII bytes, which are rare in English text; it allocates.
func (an *Analyzer) normalize(dst, tok []byte) []byte {
	var raw []byte
	for i := 0; i < len(tok); {
		r, size := utf8.DecodeRune(tok[i:])
		i += size
		if unicode.IsLetter(r) && r != '\u02BC' || unicode.IsDigit(r) || unicode.IsNumber(r) ||
			unicode.Is(unicode.M, r) && !isVariationSelector(r) {
			raw = utf8.AppendRune(raw, r)
		}
	}
	raw = norm.NFKC.Bytes(raw)
	return append(dst, cases.Fold().Bytes(raw)...)
}

func isVariationSelector(r rune) bool {
	return '\uFE00' <= r && r <= '\uFE0F' || '\U000E0100' <= r && r <= '\U000E01EF'
}

// hashBytes32 is hashString32 of b.
func hashBytes32(b []byte) uint32 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return hashTerm32(h)
}

// hashString32 is 64-bit FNV-1a of s, mixed and folded to 32 bits, never 0.
func hashString32(s string) uint32 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return hashTerm32(h)
}

// hashTerm32 folds a 64-bit hash to a term id, never NoTerm. A stem's id
// and a non-ASCII word's id come from different hashes of different byte
// strings, so they collide only by chance (2⁻³² a pair).
func hashTerm32(h uint64) uint32 {
	h = shingle.Mix64(h ^ 0x5bd1e9955bd1e995)
	v := uint32(h ^ h>>32)
	if v == NoTerm {
		v = 1
	}
	return v
}

// frontCache holds the term of the last word met in each of its slots
// (by token hash): the frequent words of a text stay in it, 64 KiB that
// the processor's caches hold, and most tokens need no lookup in the
// termCache, whose table does not fit them (a third of the analysis of
// the Linux Documentation). A pure cache, emptied with the termCache.
type frontCache [frontSize]struct {
	key uint64
	val int32
}

const frontSize = 1 << 12

// termCache memoizes token hash → term (an index in the Analyzer's
// terms) in an open-addressing table. It is a pure cache: results never
// depend on what it holds. It is emptied, with the terms, when it reaches
// maxCache words, so its memory is bounded (about 24 MiB).
type termCache struct {
	keys []uint64 // 0: empty slot
	vals []int32
	n    int
}

func (c *termCache) clear() {
	clear(c.keys)
	c.n = 0
}

const maxCache = 1 << 19

func (c *termCache) get(k uint64) (int32, bool) {
	if k == 0 || len(c.keys) == 0 {
		return 0, false
	}
	m := uint64(len(c.keys) - 1)
	for i := k & m; ; i = (i + 1) & m {
		switch c.keys[i] {
		case k:
			return c.vals[i], true
		case 0:
			return 0, false
		}
	}
}

func (c *termCache) put(k uint64, v int32) {
	if k == 0 {
		return
	}
	if 2*(c.n+1) > len(c.keys) {
		c.grow()
	}
	m := uint64(len(c.keys) - 1)
	for i := k & m; ; i = (i + 1) & m {
		if c.keys[i] == 0 {
			c.keys[i], c.vals[i] = k, v
			c.n++
			return
		}
		if c.keys[i] == k {
			c.vals[i] = v
			return
		}
	}
}

func (c *termCache) grow() {
	old, oldV := c.keys, c.vals
	size := max(2*len(old), 1<<10)
	c.keys, c.vals, c.n = make([]uint64, size), make([]int32, size), 0
	for i, k := range old {
		if k != 0 {
			c.put(k, oldV[i])
		}
	}
}

// splitSentences appends to dst the first token of every sentence.
//
// A sentence ends between two tokens when the bytes between them hold a
// blank line, or a '.', '!' or '?' followed (after closing quotes or
// brackets) by white space, and the next token does not start with a
// lower-case letter, unless the '.' closes an abbreviation: a single letter
// (an initial, "J. Smith") or a title such as "Mr" or "Dr". "3.5" and
// "U.S" have no space after the dot and end nothing. Sentences with fewer
// than minSentenceTerms content words are joined to the next one (the last
// to the one before); sentences longer than softSentence tokens end at the
// next comma, semicolon, colon or line break, and at maxSentence at the
// latest.
func splitSentences(ctx context.Context, dst []int32, text []byte, toks []shingle.Token, terms []uint32) ([]int32, error) {
	if len(toks) == 0 {
		return dst, nil
	}
	base := len(dst)
	dst = append(dst, 0)
	start, content := 0, 0 // current sentence: first token, content words
	if terms[0] != NoTerm {
		content = 1
	}
	for i := 1; i < len(toks); i++ {
		if i&(checkTokens-1) == 0 {
			if err := ctx.Err(); err != nil {
				return dst, err
			}
		}
		prev, next := toks[i-1], toks[i]
		var gap []byte
		if int(prev.End) <= int(next.Start) && int(next.Start) <= len(text) {
			gap = text[prev.End:next.Start]
		}
		end := false
		switch n := i - start; {
		case n >= maxSentence:
			end = true
		case plainGap(gap):
			// Words apart by spaces alone, most gaps: nothing ends.
		case sentenceBreak(text, gap, prev, next):
			end = true
		case n >= softSentence && softBreak(gap):
			end = true
		}
		if end && content >= minSentenceTerms {
			dst = append(dst, int32(i))
			start, content = i, 0
		} else if end && i-start >= maxSentence {
			// Too long to join further, however few its content words.
			dst = append(dst, int32(i))
			start, content = i, 0
		}
		if terms[i] != NoTerm {
			content++
		}
	}
	// A short last sentence joins the one before.
	if content < minSentenceTerms && len(dst)-base > 1 && len(toks)-start < maxSentence &&
		int(dst[len(dst)-1]-dst[len(dst)-2])+len(toks)-start <= maxSentence {
		dst = dst[:len(dst)-1]
	}
	return dst, nil
}

// plainGap reports whether gap holds only spaces and tabs.
func plainGap(gap []byte) bool {
	for _, c := range gap {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// sentenceBreak reports whether the gap between tokens prev and next ends
// a sentence (see splitSentences).
func sentenceBreak(text, gap []byte, prev, next shingle.Token) bool {
	// One pass over the gap: a blank line (two line breaks with only
	// white space between them), the last terminator, and whether a
	// full stop of three bytes may be there (blankLine, fullStop).
	term := -1
	nl, wide := false, false
	for j, c := range gap {
		switch c {
		case '\n':
			if nl {
				return true
			}
			nl = true
		case ' ', '\t', '\r':
		case '.', '!', '?':
			term, nl = j, false
		default:
			nl = false
			wide = wide || c >= 0xE3
		}
	}
	if wide && fullStop(gap) {
		return true
	}
	if term < 0 {
		return false
	}
	space := false
	for _, c := range gap[term+1:] {
		switch c {
		case ' ', '\t', '\n', '\r':
			space = true
		}
	}
	if !space {
		return false
	}
	if int(next.Start) < len(text) {
		if c := text[next.Start]; 'a' <= c && c <= 'z' {
			return false
		}
	}
	// "Mr. Smith", "J. Smith": a dot right after an abbreviation.
	if gap[0] == '.' && isAbbreviation(text, prev) {
		return false
	}
	return true
}

// fullStop reports whether gap holds an ideographic or fullwidth full
// stop, exclamation or question mark ("。", "！", "？"): scripts written
// without spaces end sentences with them, no space after.
func fullStop(gap []byte) bool {
	for j := 0; j+2 < len(gap); j++ {
		switch string(gap[j : j+3]) {
		case "。", "！", "？":
			return true
		}
	}
	return false
}

// softBreak reports whether a long sentence may be cut at the gap.
func softBreak(gap []byte) bool {
	for _, c := range gap {
		switch c {
		case ',', ';', ':', '\n', '.', '!', '?':
			return true
		}
	}
	return bytes.Contains(gap, []byte("、")) || bytes.Contains(gap, []byte("，")) || fullStop(gap)
}

// blankLine reports whether gap holds two line breaks with only white
// space between them: a paragraph break.
func blankLine(gap []byte) bool {
	nl := false
	for _, c := range gap {
		switch c {
		case '\n':
			if nl {
				return true
			}
			nl = true
		case ' ', '\t', '\r':
		default:
			nl = false
		}
	}
	return false
}

// isAbbreviation reports whether token t is a single letter or a common
// English abbreviation written with a dot (titles, "St", "No", "vs").
func isAbbreviation(text []byte, t shingle.Token) bool {
	s, e := int(t.Start), int(t.End)
	if s >= e || e > len(text) || e-s > 6 {
		return false
	}
	var buf [6]byte
	n := 0
	for _, c := range text[s:e] {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	if n == 1 {
		c := buf[0]
		return 'a' <= c && c <= 'z'
	}
	switch string(buf[:n]) {
	case "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "rev", "gen", "col", "capt",
		"lt", "sgt", "mt", "vs", "no", "vol", "fig", "esq", "hon", "gov", "sen", "rep",
		"messrs", "mme", "mlle", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "inc", "ltd",
		"cf", "viz", "ibid", "pp", "ch", "art", "sec":
		return true
	}
	return false
}
