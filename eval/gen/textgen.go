package gen

import (
	"math/bits"
	"math/rand/v2"
	"sort"
	"strconv"
	"unicode/utf8"
)

// The text model: sentences from a small phrase grammar over the lexicon
// (words.go), words drawn with Zipf frequencies from the document's topic
// vocabulary (a quarter of content words) or the common one, so that common
// phrases ("of the", "said that the", "according to the") recur across
// documents while long passages do not.
//
// Every random choice goes through rng, whose only source is a PCG stream
// (math/rand/v2's PCG, a specified algorithm) and integer arithmetic: no
// floating point and no library distributions, so a seed gives the same
// bytes on every machine and Go version.

// rng is a PCG stream with exact integer helpers.
type rng struct{ src rand.PCG }

func newRNG(seed, stream uint64) *rng {
	r := &rng{}
	r.src.Seed(seed, stream)
	return r
}

// below returns a uniform integer in [0, n), n > 0 (Lemire's method, unbiased).
func (r *rng) below(n uint64) uint64 {
	hi, lo := bits.Mul64(r.src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(r.src.Uint64(), n)
		}
	}
	return hi
}

// intn returns a uniform int in [0, n); n must be positive.
func (r *rng) intn(n int) int {
	if n <= 0 {
		panic("gen: intn with non-positive bound")
	}
	return int(r.below(uint64(n)))
}

// between returns a uniform int in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// chance reports true with probability pct/100.
func (r *rng) chance(pct int) bool { return r.intn(100) < pct }

// zipf samples ranks 0..n-1 with weight 1/(rank+zipfOffset) (Zipf–Mandelbrot, s=1),
// from an integer cumulative table.
type zipf struct{ cum []uint64 }

// zipfOffset flattens the head: the first word is not overwhelmingly common.
const zipfOffset = 8

func newZipf(n int) *zipf {
	z := &zipf{cum: make([]uint64, n)}
	var total uint64
	for i := range n {
		total += (1 << 40) / uint64(i+zipfOffset)
		z.cum[i] = total
	}
	return z
}

func (z *zipf) pick(r *rng) int {
	x := r.below(z.cum[len(z.cum)-1])
	return sort.Search(len(z.cum), func(i int) bool { return z.cum[i] > x })
}

// wcls is a token's word class, used by edits to pick substitutes.
type wcls uint8

const (
	cFixed wcls = iota // never substituted: possessives, "said", pronouns
	cArt               // a, the, this, ...
	cPrep
	cConj
	cNoun
	cNounPl
	cVerbBase
	cVerbThird
	cVerbPast
	cVerbPP
	cAdj
	cAdv
	cFirst
	cLast
	cPlace
	cOrg
	cNum
)

// Token shapes (case changes applied when rendering).
const (
	shapeNone uint8 = iota
	shapeTitle
	shapeUpper
)

// tok is one word with the punctuation around it. The word never contains
// spaces; pre is an opening quote or ""; post is trailing punctuation such as
// ",", ".", `,"` or `."`. Straight quotes here are rendered curly by the
// "curly" style.
type tok struct {
	w     string
	pre   string
	post  string
	cls   wcls
	cap   bool // sentence or quote start: capitalise
	shape uint8
}

// para is one paragraph: sentences of tokens.
type para [][]tok

// docModel is the structure of one document before rendering.
type docModel struct {
	title []tok
	paras []para
}

// textgen writes sentences in one document's voice. NOT SAFE for concurrent
// use; one per document.
type textgen struct {
	r         *rng
	lx        *lexicon
	tp        *topic
	cast      []person
	mentioned []bool
	s         []tok
	depth     int
}

func newTextgen(r *rng, topicIdx int) *textgen {
	lx := lex()
	g := &textgen{r: r, lx: lx, tp: &lx.topics[topicIdx]}
	n := r.between(2, 4)
	for len(g.cast) < n {
		g.cast = append(g.cast, g.tp.people[g.pick(len(g.tp.people))])
	}
	if r.chance(30) {
		g.cast = append(g.cast, person{lx.first[r.intn(len(lx.first))], lx.last[r.intn(len(lx.last))]})
	}
	g.mentioned = make([]bool, len(g.cast))
	return g
}

func (g *textgen) pick(n int) int { return g.lx.table(n).pick(g.r) }

func (g *textgen) add(w string, c wcls) { g.s = append(g.s, tok{w: w, cls: c}) }

func (g *textgen) punct(p string) { g.s[len(g.s)-1].post += p }

func (g *textgen) oneOf(c wcls, ws ...string) { g.add(ws[g.r.intn(len(ws))], c) }

func (g *textgen) noun() noun {
	if g.r.chance(25) {
		return g.tp.nouns[g.pick(len(g.tp.nouns))]
	}
	return g.lx.nouns[g.pick(len(g.lx.nouns))]
}

func (g *textgen) verb() verb {
	if g.r.chance(20) {
		return g.tp.verbs[g.pick(len(g.tp.verbs))]
	}
	return g.lx.verbs[g.pick(len(g.lx.verbs))]
}

func (g *textgen) adj() string {
	if g.r.chance(25) {
		return g.tp.adjs[g.pick(len(g.tp.adjs))]
	}
	return g.lx.adjs[g.pick(len(g.lx.adjs))]
}

func (g *textgen) verbForm(c wcls) {
	v := g.verb()
	w := v.past
	switch c {
	case cVerbBase:
		w = v.base
	case cVerbThird:
		w = v.third
	case cVerbPP:
		w = v.pp
	}
	g.add(w, c)
}

func (g *textgen) maybeAdj(pct int) {
	if g.r.chance(pct) {
		g.add(g.adj(), cAdj)
	}
}

func (g *textgen) det() {
	x := g.r.intn(100)
	switch {
	case x < 60:
		g.add("the", cArt)
	case x < 80:
		g.add("a", cArt)
	case x < 86:
		g.add("this", cArt)
	case x < 91:
		g.add("its", cArt)
	case x < 95:
		g.add("their", cArt)
	default:
		g.oneOf(cArt, "every", "one", "another", "that")
	}
}

func (g *textgen) person(full bool) {
	i := g.r.intn(len(g.cast))
	if g.r.chance(50) {
		i = 0 // the main character
	}
	p := g.cast[i]
	if full || !g.mentioned[i] || g.r.chance(30) {
		g.add(p.first, cFirst)
	}
	g.mentioned[i] = true
	g.add(p.last, cLast)
}

func (g *textgen) place() {
	if g.r.chance(70) {
		g.add(g.tp.places[g.pick(len(g.tp.places))], cPlace)
		return
	}
	g.add(g.lx.places[g.pick(len(g.lx.places))], cPlace)
}

func (g *textgen) org() {
	o := g.tp.orgs[g.pick(len(g.tp.orgs))]
	g.add("the", cArt)
	g.add(o.place, cPlace)
	g.add(o.field, cOrg)
	g.add(o.head, cOrg)
}

// number appends a count: "12", "340", "1,200".
func (g *textgen) number() {
	switch g.r.intn(4) {
	case 0, 1:
		g.add(strconv.Itoa(g.r.between(2, 99)), cNum)
	case 2:
		g.add(strconv.Itoa(g.r.between(10, 99)*10), cNum)
	default:
		g.add(strconv.Itoa(g.r.between(1, 40))+","+strconv.Itoa(g.r.between(100, 999)), cNum)
	}
}

func (g *textgen) percent() {
	if g.r.chance(50) {
		g.add(strconv.Itoa(g.r.between(2, 60)), cNum)
	} else {
		g.add(strconv.Itoa(g.r.between(1, 19))+"."+strconv.Itoa(g.r.between(1, 9)), cNum)
	}
	g.add("percent", cFixed)
}

func (g *textgen) money() {
	g.add("$"+strconv.Itoa(g.r.between(2, 900)), cNum)
	g.oneOf(cFixed, "million", "million", "billion")
}

func (g *textgen) year() { g.add(strconv.Itoa(g.r.between(1990, 2024)), cNum) }

var (
	weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	months   = []string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	preps     = []string{"in", "in", "in", "for", "on", "with", "at", "from", "after", "over", "about", "during", "before", "under", "against", "near", "across", "without", "into"}
	saidVerbs = []string{"said", "said", "said", "said", "warned", "noted", "added", "argued", "claimed", "reported", "confirmed", "announced", "suggested", "insisted"}
	roles     = []string{"director", "chairman", "chairwoman", "head", "spokesman", "spokeswoman",
		"member", "president", "chief", "manager", "secretary", "treasurer", "founder", "adviser"}
	infVerbs = []string{"agreed", "decided", "refused", "failed", "tried", "promised", "voted", "hoped", "wanted", "planned"}
)

func (g *textgen) timeExpr() {
	switch g.r.intn(8) {
	case 0, 1:
		g.add("on", cPrep)
		g.add(weekdays[g.r.intn(7)], cFixed)
	case 2:
		g.add("last", cFixed)
		g.oneOf(cFixed, "week", "month", "year", "summer", "winter")
	case 3:
		g.add("in", cPrep)
		g.add(months[g.r.intn(12)], cFixed)
	case 4:
		g.add("in", cPrep)
		g.year()
	case 5:
		g.add("earlier", cFixed)
		g.add("this", cArt)
		g.oneOf(cFixed, "year", "month", "week")
	case 6:
		g.add("next", cFixed)
		g.oneOf(cFixed, "week", "month", "year")
	default:
		g.add("this", cArt)
		g.oneOf(cFixed, "week", "month", "year")
	}
}

// simpleNP appends a short noun phrase for objects of "of" and prepositions.
func (g *textgen) simpleNP() {
	x := g.r.intn(100)
	switch {
	case x < 62:
		g.add("the", cArt)
		g.maybeAdj(25)
		g.add(g.noun().sg, cNoun)
	case x < 74:
		g.add("a", cArt)
		g.maybeAdj(25)
		g.add(g.noun().sg, cNoun)
	case x < 84:
		g.maybeAdj(30)
		g.add(g.noun().pl, cNounPl)
	case x < 92:
		g.place()
	default:
		g.org()
	}
}

// np appends a noun phrase and reports whether it is plural.
func (g *textgen) np(object bool) bool {
	x := g.r.intn(100)
	switch {
	case x < 36:
		g.det()
		g.maybeAdj(30)
		g.add(g.noun().sg, cNoun)
	case x < 48:
		g.det()
		g.maybeAdj(20)
		g.add(g.noun().sg, cNoun)
		g.add("of", cPrep)
		g.simpleNP()
	case x < 58:
		g.oneOf(cArt, "the", "the", "the", "many", "some", "several", "these", "most")
		g.maybeAdj(30)
		g.add(g.noun().pl, cNounPl)
		return true
	case x < 69:
		g.person(false)
	case x < 74:
		g.org()
	case x < 78:
		g.place()
	case x < 82:
		g.number()
		g.add(g.noun().pl, cNounPl)
		return true
	case x < 86:
		p := g.cast[g.r.intn(len(g.cast))]
		g.add(p.last+"'s", cFixed)
		g.maybeAdj(20)
		g.add(g.noun().sg, cNoun)
	case x < 90:
		g.add("the", cArt)
		g.add(g.noun().sg+"'s", cFixed)
		g.add(g.noun().sg, cNoun)
	default:
		if object {
			g.oneOf(cFixed, "it", "them", "residents", "officials")
			return false
		}
		switch g.r.intn(6) {
		case 0, 1:
			g.add("it", cFixed)
		case 2:
			g.add("officials", cFixed)
			return true
		case 3:
			g.add("residents", cFixed)
			return true
		default:
			g.add("they", cFixed)
			return true
		}
	}
	return false
}

func (g *textgen) pp() {
	g.add(preps[g.r.intn(len(preps))], cPrep)
	g.simpleNP()
}

func (g *textgen) vp(plural bool) {
	x := g.r.intn(100)
	switch {
	case x < 42:
		g.verbForm(cVerbPast)
		g.np(true)
		if g.r.chance(45) {
			g.pp()
		}
	case x < 51:
		if plural {
			g.add("have", cFixed)
		} else {
			g.add("has", cFixed)
		}
		g.verbForm(cVerbPP)
		g.np(true)
	case x < 58:
		g.add("will", cFixed)
		g.verbForm(cVerbBase)
		g.np(true)
	case x < 64:
		if plural {
			g.add("were", cFixed)
		} else {
			g.add("was", cFixed)
		}
		g.verbForm(cVerbPP)
		g.add("by", cPrep)
		g.np(true)
	case x < 69:
		switch g.r.intn(3) {
		case 0:
			g.add("didn't", cFixed)
		case 1:
			g.add("did", cFixed)
			g.add("not", cFixed)
		default:
			g.oneOf(cFixed, "won't", "couldn't", "wouldn't")
		}
		g.verbForm(cVerbBase)
		g.np(true)
	case x < 78 && g.depth < 2:
		g.add(saidVerbs[g.r.intn(len(saidVerbs))], cFixed)
		g.add("that", cFixed)
		g.depth++
		g.clause()
		g.depth--
	case x < 83:
		if plural {
			g.oneOf(cFixed, "are", "were")
		} else {
			g.oneOf(cFixed, "is", "was")
		}
		if g.r.chance(30) {
			g.add(g.lx.advs[g.r.intn(len(g.lx.advs))], cAdv)
		}
		g.add(g.adj(), cAdj)
	case x < 93:
		g.add(infVerbs[g.r.intn(len(infVerbs))], cFixed)
		g.add("to", cFixed)
		g.verbForm(cVerbBase)
		g.np(true)
	default:
		g.verbForm(cVerbPast)
		g.np(true)
		g.add("and", cConj)
		g.verbForm(cVerbPast)
		g.np(true)
	}
}

func (g *textgen) clause() {
	g.vp(g.np(false))
	if g.r.chance(22) {
		g.pp()
	}
	if g.r.chance(15) {
		g.timeExpr()
	}
}

// compound extends the sentence with ", and <clause>" while it is shorter than n.
func (g *textgen) compound(n int) {
	for len(g.s) < n-4 && len(g.s) < 24 {
		g.punct(",")
		g.oneOf(cConj, "and", "and", "but", "while", "as")
		g.clause()
	}
}

func (g *textgen) opener() {
	switch g.r.intn(9) {
	case 0:
		g.add("However", cFixed)
	case 1:
		g.add("Meanwhile", cFixed)
	case 2:
		g.add("In", cPrep)
		g.place()
	case 3:
		g.add("Last", cFixed)
		g.oneOf(cFixed, "year", "week", "month")
	case 4:
		g.add("On", cPrep)
		g.add(weekdays[g.r.intn(7)], cFixed)
	case 5:
		g.add("After", cPrep)
		g.add("the", cArt)
		g.add(g.noun().sg, cNoun)
	case 6:
		g.add("In", cPrep)
		g.add("recent", cAdj)
		g.add("years", cFixed)
	case 7:
		g.add("According", cFixed)
		g.add("to", cFixed)
		g.np(true)
	default:
		g.add("At", cPrep)
		g.add("the", cArt)
		g.add("same", cFixed)
		g.add("time", cFixed)
	}
	g.punct(",")
}

// body appends one sentence of about n tokens, with final punctuation.
func (g *textgen) body(n int) {
	x := g.r.intn(100)
	switch {
	case x < 40:
		g.clause()
		g.compound(n)
	case x < 52:
		g.opener()
		g.clause()
		g.compound(n)
	case x < 60:
		g.person(true)
		g.punct(",")
		g.oneOf(cArt, "the", "the", "a")
		g.add(roles[g.r.intn(len(roles))], cNoun)
		g.add("of", cPrep)
		g.org()
		g.punct(",")
		g.add(saidVerbs[g.r.intn(len(saidVerbs))], cFixed)
		g.add("that", cFixed)
		g.clause()
	case x < 67:
		g.clause()
		g.punct(",")
		if g.r.chance(50) {
			g.person(false)
			g.add("said", cFixed)
		} else {
			g.add("said", cFixed)
			g.person(false)
		}
	case x < 74:
		start := len(g.s)
		g.clause()
		g.s[start].pre = `"`
		g.s[start].cap = true
		g.punct(`,"`)
		g.add("said", cFixed)
		g.person(false)
	case x < 78:
		g.person(false)
		g.add("said", cFixed)
		g.punct(":")
		start := len(g.s)
		g.clause()
		g.s[start].pre = `"`
		g.s[start].cap = true
		g.punct(`."`)
		return
	case x < 86:
		g.add("the", cArt)
		g.add(g.noun().sg, cNoun)
		g.oneOf(cFixed, "rose", "fell", "grew", "dropped", "increased")
		g.add("by", cPrep)
		g.percent()
		g.add("to", cFixed)
		if g.r.chance(50) {
			g.money()
		} else {
			g.number()
			g.add(g.noun().pl, cNounPl)
		}
		if g.r.chance(60) {
			g.add("in", cPrep)
			g.year()
		}
	default:
		if g.r.chance(50) {
			g.clause()
			g.oneOf(cConj, "because", "although", "after", "when", "since")
			g.clause()
		} else {
			g.oneOf(cConj, "When", "After", "Although", "Because", "While")
			g.clause()
			g.punct(",")
			g.clause()
		}
	}
	g.punct(".")
}

// sentence returns a new sentence of 8 to 35 tokens (words).
func (g *textgen) sentence() []tok {
	for {
		g.s = g.s[:0]
		g.depth = 0
		n := 8 + g.r.intn(14) + g.r.intn(14)
		g.body(n)
		if len(g.s) >= 8 && len(g.s) <= 35 {
			g.s[0].cap = true
			return append([]tok(nil), g.s...)
		}
	}
}

func (g *textgen) paragraph() para {
	n := g.r.between(2, 6)
	p := make(para, n)
	for i := range p {
		p[i] = g.sentence()
	}
	return p
}

// title returns a headline of 4 to 10 words, rendered in Title Case.
func (g *textgen) title() []tok {
	for {
		g.s = g.s[:0]
		switch g.r.intn(3) {
		case 0:
			g.maybeAdj(50)
			g.add(g.noun().sg, cNoun)
			g.verbForm(cVerbThird)
			g.maybeAdj(40)
			g.add(g.noun().pl, cNounPl)
		case 1:
			p := g.cast[0]
			g.add(p.last, cLast)
			g.verbForm(cVerbThird)
			g.simpleNP()
		default:
			g.add(g.adj(), cAdj)
			g.add(g.noun().pl, cNounPl)
			g.add("and", cConj)
			g.add(g.noun().sg, cNoun)
		}
		if g.r.chance(60) {
			g.oneOf(cPrep, "in", "for", "at", "near")
			g.place()
		}
		if len(g.s) >= 4 && len(g.s) <= 10 {
			t := append([]tok(nil), g.s...)
			for i := range t {
				if i == 0 || !smallWords[t[i].w] {
					t[i].shape = shapeTitle
				}
			}
			return t
		}
	}
}

var smallWords = map[string]bool{"a": true, "an": true, "the": true, "of": true, "in": true,
	"on": true, "for": true, "to": true, "and": true, "at": true, "by": true, "near": true}

// document returns a document of 3 to 8 paragraphs with a title.
func (g *textgen) document() docModel {
	d := docModel{title: g.title()}
	n := g.r.between(3, 8)
	for range n {
		d.paras = append(d.paras, g.paragraph())
	}
	return d
}

// Rendering.

// span is a byte range [start, end).
type span struct{ start, end int }

// appendWord renders a token's word with its case and style.
func appendWord(dst []byte, t *tok, next *tok, curly bool) []byte {
	w := t.w
	if next != nil && (w == "a" || w == "an") {
		c := next.w[0] | 0x20
		if isVowel(c) {
			w = "an"
		} else {
			w = "a"
		}
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c == '\'' && curly {
			dst = append(dst, "’"...)
			continue
		}
		if 'a' <= c && c <= 'z' {
			first := i == 0 || w[i-1] == '-'
			if t.shape == shapeUpper || (first && (t.cap || t.shape == shapeTitle)) {
				c -= 'a' - 'A'
			}
		}
		dst = append(dst, c)
	}
	return dst
}

func appendQuotes(dst []byte, s string, curly, open bool) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == '"' && curly {
			if open {
				dst = append(dst, "“"...)
			} else {
				dst = append(dst, "”"...)
			}
			continue
		}
		dst = append(dst, s[i])
	}
	return dst
}

// appendSentence renders toks separated by single spaces. When words is not
// nil, it receives each token's span from its opening quote (if any) to the
// end of its word (before trailing punctuation).
func appendSentence(dst []byte, toks []tok, curly bool, words *[]span) []byte {
	for i := range toks {
		if i > 0 {
			dst = append(dst, ' ')
		}
		t := &toks[i]
		start := len(dst)
		dst = appendQuotes(dst, t.pre, curly, true)
		var next *tok
		if i+1 < len(toks) {
			next = &toks[i+1]
		}
		dst = appendWord(dst, t, next, curly)
		if words != nil {
			*words = append(*words, span{start, len(dst)})
		}
		dst = appendQuotes(dst, t.post, curly, false)
	}
	return dst
}

// appendPassage renders consecutive sentences: single spaces inside a
// paragraph, a blank line where paraOf changes.
func appendPassage(dst []byte, sents [][]tok, paraOf []int, curly bool) []byte {
	for i, s := range sents {
		if i > 0 {
			if paraOf[i] != paraOf[i-1] {
				dst = append(dst, "\n\n"...)
			} else {
				dst = append(dst, ' ')
			}
		}
		dst = appendSentence(dst, s, curly, nil)
	}
	return dst
}

// runeCount is utf8.RuneCount, named for the wrapper's column arithmetic.
func runeCount(b []byte) int { return utf8.RuneCount(b) }
