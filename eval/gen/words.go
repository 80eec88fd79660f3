package gen

import (
	"sort"
	"strings"
	"sync"
)

// The vocabulary of the text model. A few hundred common English words are
// listed by hand (written for this project); several thousand more are
// generated from syllables with a fixed seed, so every corpus, whatever its
// seed, speaks the same language:
//
//	pool                         size   drawn by
//	common nouns                   600  Zipf (s=1) over list order
//	common verbs                   250  Zipf
//	common adjectives              250  Zipf
//	adverbs                         30  uniform
//	per topic (16 topics):
//	  nouns, verbs, adjectives   120/40/40  Zipf
//	  people, places, orgs       24/8/5     Zipf
//	first names, last names     240/400
//	places                        260
//
// The lexicon is built once, on first use, and is immutable after that: safe
// for concurrent use.

type noun struct{ sg, pl string }

type verb struct{ base, third, past, pp string }

type person struct{ first, last string }

// An org is a multi-word proper name such as "the Velmora Water Board".
type org struct{ place, field, head string }

type topic struct {
	nouns  []noun
	verbs  []verb
	adjs   []string
	people []person
	places []string
	orgs   []org
}

type lexicon struct {
	nouns   []noun
	verbs   []verb
	adjs    []string
	advs    []string
	first   []string
	last    []string
	places  []string
	outlets []string
	// orgWords are the words of org names after the place ("Water", "Board").
	orgWords []string
	topics   []topic
	// zipf tables by pool length (all immutable).
	zipf map[int]*zipf
}

const numTopics = 16

var (
	lexOnce sync.Once
	lexVal  *lexicon
)

// lex returns the shared, immutable lexicon.
func lex() *lexicon {
	lexOnce.Do(func() { lexVal = buildLexicon() })
	return lexVal
}

// table returns the Zipf table for a pool of n words.
func (lx *lexicon) table(n int) *zipf {
	z := lx.zipf[n]
	if z == nil {
		panic("gen: no zipf table for pool size") // programmer error: pool added without a table
	}
	return z
}

// Hand-written common words, most frequent first (roughly).
const commonNounList = `year week day time government city council report plan
police school company official group state country member area family water
month market money price minister mayor president director law court case
service project program policy business problem study team home house road
community office number center building meeting decision change
system worker student town village county district region party election
vote campaign leader committee board agency department hospital doctor
patient health care child woman man life world history story question issue
event result record job industry trade farm farmer field crop land river
lake coast bridge station airport port park street square shop store hotel
factory plant car bus train ship plane flight passenger driver accident
safety security risk attack crisis army soldier border tax budget cost fund
loan debt rate bank investor share profit sale growth loss increase rise
fall decline data evidence statement interview conference visit trip
property rent housing site garden forest island mountain valley hill bay
harbor weather storm flood fire drought season summer winter spring autumn
power energy fuel oil gas climate school teacher university college class
library museum book film music artist writer show audience church festival
concert player coach match game league club fan stadium goal score
technology computer software phone network website message letter article
newspaper reporter editor century tradition culture language disease virus
vaccine treatment medicine food meal bread milk animal bird fish horse tree
judge trial lawyer officer prison crime victim witness charge inquiry
union strike wage salary contract deal agreement talk debate answer rule
neighbor resident visitor tourist guest crowd owner manager chairman
spokesman spokeswoman expert scientist researcher analyst critic supporter
opponent voter candidate seat majority minority region capital province
nation kingdom empire republic parliament assembly cabinet ministry
document file letter note list sign signal warning notice order request
offer demand supply stock export import sector firm brand product model
version feature design plan space room floor wall door window roof garden
path track line route corridor tunnel canal dam wall gate tower castle
palace hall theater gallery studio school lesson exam grade degree course`

const commonVerbList = `approve announce report reject support oppose review increase reduce
launch complete receive require allow describe confirm deny criticize
praise defend question expect consider discuss examine investigate propose
present publish release replace repair restore protect improve change
close open cancel delay extend follow join visit attend host organize
fund sign block challenge accept welcome warn urge ask help need want use
create develop design produce deliver manage control own share post record
measure count test train hire employ dismiss arrest accuse appeal settle
reach cross enter move return remain continue start stop end finish plan
add cover face form mark note pass push raise reach save serve shape shift
suggest target track vote worry include involve limit link list order`

// Irregular verbs as base past participle.
const irregularVerbList = `say said said
take took taken
make made made
give gave given
go went gone
come came come
see saw seen
find found found
tell told told
become became become
leave left left
hold held held
bring brought brought
begin began begun
keep kept kept
meet met met
pay paid paid
build built built
send sent sent
spend spent spent
lose lost lost
win won won
sell sold sold
buy bought bought
lead led led
run ran run
set set set
cut cut cut
write wrote written
speak spoke spoken
know knew known
think thought thought
show showed shown
grow grew grown
draw drew drawn
break broke broken
choose chose chosen
rise rose risen
fall fell fallen
feel felt felt
put put put`

const commonAdjList = `new old local national public private small large big major early late
recent former final main key senior young high low strong long short full
free common special general political economic social financial legal
medical regional rural urban northern southern eastern western central
annual monthly weekly daily total current future serious severe heavy
rapid slow sudden significant important difficult simple clear direct
modern traditional popular famous independent international foreign
domestic environmental commercial industrial cultural historic original
single entire whole similar different certain likely possible available
responsible successful effective expensive cheap safe dangerous quiet busy
empty dry wet warm cold dark bright green red blue white black narrow wide
deep broad fresh rare huge tiny formal informal careful proper fair`

const advList = `also still now already recently later again quickly slowly finally
largely widely reportedly officially publicly nearly almost just only even
often rarely usually currently previously eventually initially partly
fully clearly`

// Words of proper names built with generated places.
const orgFieldList = `Water Transport Health Arts Energy Housing Farming Trade Science
Heritage Port Forest Fisheries Planning Education Youth Sports Rail Roads
Finance Labour Tourism Museum Harbour Library River Mining Weather Medical`

const orgHeadList = `Council Institute Authority Board Commission Foundation Society
Association Company Group Bank Trust Agency Union Alliance Bureau Office
Service College Network`

const outletHeadList = `Courier Gazette Herald Tribune Chronicle Observer Ledger Post Times
Sentinel Register Dispatch Journal Standard Examiner Monitor Record Echo
Star Mercury Review Argus Express Telegraph`

// Syllable parts for generated words. Doubled entries raise their weight.
var (
	onsets = strings.Fields(`b br bl c cr cl d dr f fr g gr h j k l m n p pr pl r s st
		sk sl t tr th v w z sh ch b d l m n r s t v`)
	nuclei = strings.Fields(`a e i o u a e o a e i o ai ea ou ee oo`)
	codas  = append([]string{"", "", "", "", ""}, strings.Fields(`n r l s t m nd rt nt st ck ld rn x n r l`)...)

	nounSuffixes  = []string{"", "", "", "", "er", "ment", "ness", "ity", "age", "ion", "ism", "ance", "ure", "ship"}
	verbSuffixes  = []string{"", "", "", "ate", "ize", "en", "ify"}
	adjSuffixes   = []string{"al", "ic", "ous", "ive", "ish", "ent", "ary", "ful", "less", "able", "ian", "ant"}
	firstSuffixes = []string{"a", "o", "en", "ia", "el", "an", "", "", "ie", "us"}
	lastSuffixes  = []string{"son", "man", "ley", "er", "ez", "ton", "well", "berg", "ford", "is", "", "ov", "ard"}
	placeSuffixes = []string{"ton", "ville", "ford", "burg", "port", "field", "mouth", "stead", "wick", "haven", "dale", "bury", "more", "a", "ia"}
)

// Fixed seed of the vocabulary: changing it changes every corpus.
const lexSeed1, lexSeed2 = 0x72657573655f6c78, 0x766f636162756c61

type wordMaker struct {
	r    *rng
	seen map[string]bool
}

func (m *wordMaker) stem(minSyl, maxSyl int) string {
	var b strings.Builder
	n := minSyl + m.r.intn(maxSyl-minSyl+1)
	for i := 0; i < n; i++ {
		b.WriteString(onsets[m.r.intn(len(onsets))])
		b.WriteString(nuclei[m.r.intn(len(nuclei))])
		if i == n-1 || m.r.intn(3) == 0 {
			b.WriteString(codas[m.r.intn(len(codas))])
		}
	}
	return b.String()
}

// fresh returns a new word stem+suffix not seen before, 3 to 10 letters,
// without two vowels where stem and suffix meet.
func (m *wordMaker) fresh(suffixes []string, minSyl, maxSyl int) string {
	for {
		st := m.stem(minSyl, maxSyl)
		suf := suffixes[m.r.intn(len(suffixes))]
		w := st + suf
		if len(w) < 3 || len(w) > 10 || m.seen[w] || hasTriple(w) ||
			(suf != "" && isVowel(suf[0]) && isVowel(st[len(st)-1])) {
			continue
		}
		m.seen[w] = true
		return w
	}
}

// hasTriple reports three equal letters in a row or four consonants in a row.
func hasTriple(w string) bool {
	cons := 0
	for i := 0; i < len(w); i++ {
		if i >= 2 && w[i] == w[i-1] && w[i] == w[i-2] {
			return true
		}
		if strings.IndexByte("aeiouy", w[i]) < 0 {
			cons++
			if cons >= 4 {
				return true
			}
		} else {
			cons = 0
		}
	}
	return false
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "s"), strings.HasSuffix(s, "x"), strings.HasSuffix(s, "sh"),
		strings.HasSuffix(s, "ch"), strings.HasSuffix(s, "z"):
		return s + "es"
	case strings.HasSuffix(s, "y") && len(s) > 1 && !isVowel(s[len(s)-2]):
		return s[:len(s)-1] + "ies"
	}
	return s + "s"
}

var irregularPlurals = map[string]string{
	"man": "men", "woman": "women", "child": "children", "people": "people",
	"percent": "percent", "fish": "fish", "crisis": "crises", "analysis": "analyses",
	"series": "series", "sheep": "sheep",
}

func makeNoun(s string) noun {
	if p, ok := irregularPlurals[s]; ok {
		return noun{s, p}
	}
	return noun{s, plural(s)}
}

func makeVerb(base string) verb {
	v := verb{base: base, third: plural(base)}
	switch {
	case strings.HasSuffix(base, "e"):
		v.past = base + "d"
	case strings.HasSuffix(base, "y") && !isVowel(base[len(base)-2]):
		v.past = base[:len(base)-1] + "ied"
	case len(base) >= 3 && len(base) <= 4 && !isVowel(base[len(base)-1]) &&
		isVowel(base[len(base)-2]) && !isVowel(base[len(base)-3]) &&
		strings.IndexByte("wxy", base[len(base)-1]) < 0:
		// stop → stopped, plan → planned: short consonant-vowel-consonant.
		v.past = base + base[len(base)-1:] + "ed"
	default:
		v.past = base + "ed"
	}
	v.pp = v.past
	return v
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// uniqueFields returns the words of s without repeats, and marks them in
// seen so that generated words never collide with them.
func uniqueFields(s string, seen map[string]bool) []string {
	var out []string
	local := map[string]bool{}
	for _, w := range strings.Fields(s) {
		if !local[w] {
			local[w] = true
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func buildLexicon() *lexicon {
	lx := &lexicon{zipf: map[int]*zipf{}}
	m := &wordMaker{r: newRNG(lexSeed1, lexSeed2), seen: map[string]bool{}}

	for _, w := range uniqueFields(commonNounList, m.seen) {
		lx.nouns = append(lx.nouns, makeNoun(w))
	}
	for _, line := range strings.Split(irregularVerbList, "\n") {
		f := strings.Fields(line)
		m.seen[f[0]] = true
		lx.verbs = append(lx.verbs, verb{base: f[0], third: plural(f[0]), past: f[1], pp: f[2]})
	}
	for _, w := range uniqueFields(commonVerbList, m.seen) {
		lx.verbs = append(lx.verbs, makeVerb(w))
	}
	// List order is rank: say, take, make, ... first.
	lx.adjs = uniqueFields(commonAdjList, m.seen)
	lx.advs = uniqueFields(advList, m.seen)

	// Generated common words follow the hand-written ones (lower ranks).
	for len(lx.nouns) < 600 {
		lx.nouns = append(lx.nouns, makeNoun(m.fresh(nounSuffixes, 1, 2)))
	}
	for len(lx.verbs) < 250 {
		lx.verbs = append(lx.verbs, makeVerb(m.fresh(verbSuffixes, 1, 2)))
	}
	for len(lx.adjs) < 250 {
		lx.adjs = append(lx.adjs, m.fresh(adjSuffixes, 1, 2))
	}
	for len(lx.first) < 240 {
		lx.first = append(lx.first, capitalize(m.fresh(firstSuffixes, 1, 2)))
	}
	for len(lx.last) < 400 {
		lx.last = append(lx.last, capitalize(m.fresh(lastSuffixes, 1, 2)))
	}
	for len(lx.places) < 260 {
		lx.places = append(lx.places, capitalize(m.fresh(placeSuffixes, 1, 2)))
	}
	heads := strings.Fields(outletHeadList)
	for i := 0; i < 24; i++ {
		lx.outlets = append(lx.outlets, lx.places[(i*37)%len(lx.places)]+" "+heads[i%len(heads)])
	}
	fields := strings.Fields(orgFieldList)
	orgHeads := strings.Fields(orgHeadList)
	lx.orgWords = append(append([]string(nil), fields...), orgHeads...)
	for t := 0; t < numTopics; t++ {
		var tp topic
		for len(tp.nouns) < 120 {
			tp.nouns = append(tp.nouns, makeNoun(m.fresh(nounSuffixes, 1, 2)))
		}
		for len(tp.verbs) < 40 {
			tp.verbs = append(tp.verbs, makeVerb(m.fresh(verbSuffixes, 1, 2)))
		}
		for len(tp.adjs) < 40 {
			tp.adjs = append(tp.adjs, m.fresh(adjSuffixes, 1, 2))
		}
		for len(tp.people) < 24 {
			tp.people = append(tp.people, person{
				first: lx.first[m.r.intn(len(lx.first))],
				last:  lx.last[m.r.intn(len(lx.last))],
			})
		}
		for len(tp.places) < 8 {
			tp.places = append(tp.places, lx.places[m.r.intn(len(lx.places))])
		}
		for len(tp.orgs) < 5 {
			tp.orgs = append(tp.orgs, org{
				place: tp.places[m.r.intn(len(tp.places))],
				field: fields[m.r.intn(len(fields))],
				head:  orgHeads[m.r.intn(len(orgHeads))],
			})
		}
		lx.topics = append(lx.topics, tp)
	}

	sizes := []int{len(lx.nouns), len(lx.verbs), len(lx.adjs), len(lx.advs), len(lx.first),
		len(lx.last), len(lx.places), 120, 40, 24, 8, 5}
	sort.Ints(sizes)
	for _, n := range sizes {
		if lx.zipf[n] == nil {
			lx.zipf[n] = newZipf(n)
		}
	}
	return lx
}
