package gen

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/reuse-tool/reuse/eval"
)

// Config sets the size and mix of a generated corpus. The zero value of
// every field but Seed means its default.
type Config struct {
	Seed uint64
	// Docs is the number of documents (default DefaultDocs). It wins over
	// Size when both are given.
	Docs int
	// Size asks for about this many bytes of text instead (within a few
	// percent): the number of documents is derived from the model's mean
	// document size.
	Size int64
	// SuspiciousPct is the percentage of documents written to sus/ as
	// targets of planted reuse (default 36; an eighth of them get none).
	SuspiciousPct int
	// SyndicatedPct is the percentage of documents that are syndicated:
	// each becomes the source of a group of 1 to 4 copies in syn/
	// (default 7, so about 7% sources and 17% copies).
	SyndicatedPct int
	// CasesPerTarget is the mean number of planted passages per target
	// (default 3; a remix draw plants 2 or 3 cases).
	CasesPerTarget int
}

// Defaults of Config.
const (
	DefaultDocs           = 200
	DefaultSuspiciousPct  = 36
	DefaultSyndicatedPct  = 7
	DefaultCasesPerTarget = 3
)

// ErrNotEmpty is returned when the corpus folder already holds files.
var ErrNotEmpty = errors.New("gen: corpus folder not empty")

const (
	cleanSrcPct = 30 // of src/ documents never used as a source
	cleanSusPct = 12 // of sus/ documents that receive nothing
	windowSize  = 64 // recent plain sources a target may draw from
	curlyPct    = 25 // documents written with typographic quotes
)

// epoch is day 0 of every corpus's timeline.
var epoch = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)

// Document kinds.
type kind uint8

const (
	kSrc        kind = iota // src/, may be a source of passages
	kSrcClean               // src/, never a source
	kSynSrc                 // src/, source of a syndication group
	kSus                    // sus/, receives planted passages
	kSusClean               // sus/, receives none
	kCopy                   // syn/, a syndicated copy
	numUrnKinds = kCopy
)

// sentRef is one sentence of a rendered source document.
type sentRef struct {
	toks  []tok
	para  int
	span  span
	words []span // per token: opening quote to end of word
	// quotable is the longest run of tokens without quotes or sentence
	// punctuation (a quote of 9 to 14 words fits when it is >= 9).
	quotable int
}

// srcDoc is a rendered document kept while it may still be copied.
type srcDoc struct {
	id    string
	day   int
	topic int
	curly bool
	text  []byte
	body  span
	sents []sentRef
	used  []bool
	free  int
}

type member struct {
	id   string
	body span
	day  int
}

// group is a syndicated source and the copies written so far.
type group struct {
	src     *srcDoc
	left    int
	outlet  int
	members []member
}

type pendingCopy struct {
	due int
	g   *group
}

// generator holds the streaming state of one Generate call.
type generator struct {
	cfg     Config
	root    string // dir/corpus
	n       int
	width   int
	days    int
	perDay  int
	plan    *rng
	rem     [numUrnKinds]int
	copies  []int // copies per group, in the order groups are drawn
	warm    int
	window  []*srcDoc
	pending []pendingCopy
	deck    []string
	draws   int // planted draws still to hand out
	targets int // reuse targets still to come
	truth   *eval.Truth

	jobs  chan writeJob
	wg    sync.WaitGroup
	errMu sync.Mutex
	werr  error
}

var deckTemplate = []string{eval.ClassVerbatim, eval.ClassVerbatim, eval.ClassReformatted, eval.ClassReformatted,
	eval.ClassLight, eval.ClassLight, eval.ClassHeavy, eval.ClassHeavy, eval.ClassQuote, eval.ClassQuote, eval.ClassRemix}

// Generate writes a corpus with planted reuse to dir/corpus/ and its ground
// truth to dir/truth.json, and returns the truth. Documents are written one
// at a time: memory holds the truth, a window of recent sources and the
// sources of unfinished syndication groups, never the corpus. The folder
// dir/corpus must be empty or absent.
func Generate(ctx context.Context, dir string, cfg Config) (*eval.Truth, error) {
	g, err := newGenerator(dir, cfg)
	if err != nil {
		return nil, err
	}
	g.startWriters()
	for i := 0; i < g.n && err == nil; i++ {
		if err = ctx.Err(); err == nil {
			err = g.next(i)
		}
	}
	if werr := g.stopWriters(); err == nil {
		err = werr
	}
	if err != nil {
		return nil, err
	}
	g.truth.Sort()
	if err = eval.WriteTruth(filepath.Join(dir, "truth.json"), g.truth); err != nil {
		return nil, err
	}
	return g.truth, nil
}

func (c *Config) setDefaults() {
	if c.SuspiciousPct <= 0 {
		c.SuspiciousPct = DefaultSuspiciousPct
	}
	if c.SyndicatedPct <= 0 {
		c.SyndicatedPct = DefaultSyndicatedPct
	}
	if c.CasesPerTarget <= 0 {
		c.CasesPerTarget = DefaultCasesPerTarget
	}
	if c.Docs <= 0 {
		c.Docs = DefaultDocs
		if c.Size > 0 {
			c.Docs = int(max(1, c.Size/int64(meanDocBytes())))
		}
	}
}

var meanDocBytes = sync.OnceValue(func() int {
	// The mean size of 256 documents of a fixed seed, plus 15% for the
	// passages planted into targets and the copies' footers (measured).
	total := 0
	for i := range 256 {
		r := newRNG(1, docStream(i))
		tg := newTextgen(r, r.intn(numTopics))
		d := renderDoc(0, tg.document(), false)
		total += len(d.text)
	}
	return total / 256 * 115 / 100
})

func newGenerator(dir string, cfg Config) (*generator, error) {
	cfg.setDefaults()
	g := &generator{cfg: cfg, root: filepath.Join(dir, "corpus"), n: cfg.Docs}
	if ents, err := os.ReadDir(g.root); err == nil && len(ents) > 0 {
		return nil, fmt.Errorf("%v: %w", g.root, ErrNotEmpty)
	}
	for _, sub := range []string{"src", "sus", "syn"} {
		if err := os.MkdirAll(filepath.Join(g.root, sub), 0o755); err != nil {
			return nil, err
		}
	}
	g.width = max(5, len(strconv.Itoa(g.n)))
	g.days = min(max(2*g.n, 30), 3650)
	g.perDay = (g.n + g.days - 1) / g.days
	g.plan = newRNG(cfg.Seed, 0x706c616e) // "plan"
	g.truth = &eval.Truth{Schema: eval.TruthSchema, Seed: cfg.Seed, Groups: [][]string{}}

	// Exact counts, then an urn: the mix does not depend on luck.
	n := g.n
	nGroups := n * cfg.SyndicatedPct / 100
	nCopies := 0
	for range nGroups {
		c := g.plan.between(1, 4)
		g.copies = append(g.copies, c)
		nCopies += c
	}
	nSus := n * cfg.SuspiciousPct / 100
	for nGroups > 0 && n-nGroups-nCopies-nSus < n/3 {
		nGroups--
		nCopies -= g.copies[nGroups]
		g.copies = g.copies[:nGroups]
	}
	nSrc := n - nGroups - nCopies - nSus
	if nSrc < 1 {
		nSus = max(0, n-1-nGroups-nCopies)
		nSrc = n - nGroups - nCopies - nSus
	}
	g.rem[kSusClean] = nSus * cleanSusPct / 100
	g.rem[kSus] = nSus - g.rem[kSusClean]
	g.rem[kSrcClean] = nSrc * cleanSrcPct / 100
	g.rem[kSrc] = nSrc - g.rem[kSrcClean]
	g.rem[kSynSrc] = nGroups
	g.warm = max(2, n/25)
	g.targets = g.rem[kSus]
	g.draws = g.targets * cfg.CasesPerTarget
	return g, nil
}

// day returns the day number of document i; it never decreases with i.
func (g *generator) day(i int) int { return int(int64(i) * int64(g.days) / int64(g.n)) }

func dateString(day int) string { return epoch.AddDate(0, 0, day).Format(time.DateOnly) }

func (g *generator) id(folder string, i int) string {
	return fmt.Sprintf("%s/%0*d.txt", folder, g.width, i+1)
}

func docStream(i int) uint64 { return uint64(i)<<8 | 0x5d }

// nextKind draws the kind of document i.
func (g *generator) nextKind(i int) kind {
	if len(g.pending) > 0 && g.pending[0].due <= i {
		return kCopy
	}
	total := 0
	for _, c := range g.rem {
		total += c
	}
	if total == 0 {
		return kCopy // only copies are left
	}
	if i < g.warm && g.rem[kSrc] > 0 {
		g.rem[kSrc]--
		return kSrc
	}
	x := g.plan.intn(total)
	for k, c := range g.rem {
		if x < c {
			g.rem[k]--
			return kind(k)
		}
		x -= c
	}
	panic("gen: urn out of range")
}

func (g *generator) next(i int) error {
	switch k := g.nextKind(i); k {
	case kSrc, kSrcClean, kSynSrc, kSusClean:
		folder := "src"
		if k == kSusClean {
			folder = "sus"
		}
		d := g.plainDoc(i, folder)
		if err := g.write(d.id, d.day, d.text); err != nil {
			return err
		}
		switch k {
		case kSrc:
			g.window = append(g.window, d)
			if len(g.window) > windowSize {
				g.window = slices.Delete(g.window, 0, 1)
			}
		case kSynSrc:
			g.addGroup(i, d)
		}
		return nil
	case kSus:
		return g.target(i)
	default:
		return g.copyDoc(i)
	}
}

// File writes run on a few goroutines: creating many small files is
// limited by the file system's latency, not by bandwidth.
const numWriters = 4

type writeJob struct {
	path string
	text []byte
}

func (g *generator) startWriters() {
	g.jobs = make(chan writeJob, 4*numWriters)
	for range numWriters {
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			for j := range g.jobs {
				if err := os.WriteFile(j.path, j.text, 0o644); err != nil {
					g.errMu.Lock()
					if g.werr == nil {
						g.werr = err
					}
					g.errMu.Unlock()
				}
			}
		}()
	}
}

func (g *generator) stopWriters() error {
	close(g.jobs)
	g.wg.Wait()
	return g.werr
}

// write queues text for the file of document id, which keeps text, and
// records the document. It returns the first error of an earlier write.
func (g *generator) write(id string, day int, text []byte) error {
	g.errMu.Lock()
	err := g.werr
	g.errMu.Unlock()
	if err != nil {
		return err
	}
	g.jobs <- writeJob{filepath.Join(g.root, filepath.FromSlash(id)), text}
	g.truth.Documents = append(g.truth.Documents, eval.TruthDoc{ID: id, Bytes: len(text), Date: dateString(day)})
	return nil
}

// rendered is a document's text with the position of every sentence.
type rendered struct {
	text  []byte
	body  span
	sents []sentRef
}

func appendHeader(dst []byte, day int, title []tok, curly bool) []byte {
	dst = append(dst, " date "...)
	dst = append(dst, dateString(day)...)
	dst = append(dst, " \n"...)
	dst = appendSentence(dst, title, curly, nil)
	return append(dst, "\n\n"...)
}

// renderDoc lays a document out: the date stamp line, the title, a blank
// line, paragraphs separated by blank lines, a final newline.
func renderDoc(day int, m docModel, curly bool) rendered {
	var d rendered
	b := appendHeader(nil, day, m.title, curly)
	d.body.start = len(b)
	for pi, p := range m.paras {
		if pi > 0 {
			b = append(b, "\n\n"...)
		}
		for si, s := range p {
			if si > 0 {
				b = append(b, ' ')
			}
			ref := sentRef{toks: s, para: pi}
			ref.span.start = len(b)
			b = appendSentence(b, s, curly, &ref.words)
			ref.span.end = len(b)
			ref.quotable = quotableRun(s)
			d.sents = append(d.sents, ref)
		}
	}
	d.body.end = len(b)
	d.text = append(b, '\n')
	return d
}

// quotableRun is the longest run of tokens that may lie inside a quote:
// no opening quote, trailing punctuation at most a comma.
func quotableRun(s []tok) int {
	best, run := 0, 0
	for _, t := range s {
		if t.pre == "" {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
		if t.post != "" && t.post != "," {
			run = 0
		}
	}
	return best
}

func (g *generator) plainDoc(i int, folder string) *srcDoc {
	r := newRNG(g.cfg.Seed, docStream(i))
	topic := r.intn(numTopics)
	curly := r.chance(curlyPct)
	tg := newTextgen(r, topic)
	day := g.day(i)
	d := renderDoc(day, tg.document(), curly)
	return &srcDoc{
		id: g.id(folder, i), day: day, topic: topic, curly: curly,
		text: d.text, body: d.body, sents: d.sents,
		used: make([]bool, len(d.sents)), free: len(d.sents),
	}
}

// Syndication.

func (g *generator) addGroup(i int, d *srcDoc) {
	c := 1
	if len(g.copies) > 0 {
		c, g.copies = g.copies[0], g.copies[1:]
	}
	gr := &group{src: d, left: c, outlet: g.plan.intn(len(lex().outlets))}
	due := i
	for range c {
		due += g.perDay + 1 + g.plan.intn(3)
		pc := pendingCopy{due: due, g: gr}
		at, _ := slices.BinarySearchFunc(g.pending, due, func(p pendingCopy, d int) int {
			if p.due <= d {
				return -1
			}
			return 1
		})
		g.pending = slices.Insert(g.pending, at, pc)
	}
}

// copyDoc writes the next syndicated copy: a new title, the source's body
// with a few words changed, the outlet's footer. It records a case from the
// source and from every earlier copy of the group (copies share the text
// as much as copy and source do).
func (g *generator) copyDoc(i int) error {
	pc := g.pending[0]
	g.pending = g.pending[1:]
	gr := pc.g
	src := gr.src
	r := newRNG(g.cfg.Seed, docStream(i))
	tg := newTextgen(r, src.topic)
	day := max(g.day(i), src.day+1)
	for _, m := range gr.members {
		day = max(day, m.day+1)
	}
	sents := make([][]tok, len(src.sents))
	paraOf := make([]int, len(src.sents))
	for j, s := range src.sents {
		sents[j], paraOf[j] = s.toks, s.para
	}
	sents = copySents(sents)
	tg.substituteN(sents, r.between(2, 6))

	b := appendHeader(nil, day, tg.title(), src.curly)
	body := span{start: len(b)}
	b = appendPassage(b, sents, paraOf, src.curly)
	body.end = len(b)
	lx := lex()
	outlet := (gr.outlet + 7*len(gr.members)) % len(lx.outlets)
	year := dateString(day)[:4]
	switch outlet % 3 {
	case 0:
		b = fmt.Appendf(b, "\n\nCopyright %s The %s.\n", year, lx.outlets[outlet])
	case 1:
		b = fmt.Appendf(b, "\n\n© %s %s\n", year, lx.outlets[outlet])
	default:
		b = fmt.Appendf(b, "\n\nDistributed by the %s, %s.\n", lx.outlets[outlet], year)
	}
	id := g.id("syn", i)
	if err := g.write(id, day, b); err != nil {
		return err
	}
	g.addCase(eval.ClassSyndicated, src.id, src.body, id, body)
	for _, m := range gr.members {
		g.addCase(eval.ClassSyndicated, m.id, m.body, id, body)
	}
	gr.members = append(gr.members, member{id: id, body: body, day: day})
	gr.left--
	if gr.left == 0 {
		ids := []string{src.id}
		for _, m := range gr.members {
			ids = append(ids, m.id)
		}
		g.truth.Groups = append(g.truth.Groups, ids)
	}
	return nil
}

func (g *generator) addCase(class, source string, s span, target string, t span) {
	g.truth.Cases = append(g.truth.Cases, eval.Case{Class: class,
		Source: source, SourceStart: s.start, SourceEnd: s.end,
		Target: target, TargetStart: t.start, TargetEnd: t.end})
}

// Targets.

// piece is part of an inserted text; c >= 0 marks the bytes of planted
// case c of the target.
type piece struct {
	text []byte
	c    int
}

// insert is text planted into a target, as paragraphs of its own or
// between two of the target's sentences.
type insert struct {
	newPara bool
	pieces  []piece
}

// planted is a case whose target offsets are known once the target is laid out.
type planted struct {
	class  string
	source *srcDoc
	span   span
}

// targetDoc is the target under construction.
type targetDoc struct {
	r       *rng
	tg      *textgen
	day     int
	topic   int
	curly   bool
	sources map[*srcDoc]bool
	cases   []planted
	inserts []insert
}

func (t *targetDoc) plant(class string, src *srcDoc, s span) int {
	t.sources[src] = true
	t.cases = append(t.cases, planted{class: class, source: src, span: s})
	return len(t.cases) - 1
}

// drawCount returns how many draws of the class deck the next reuse
// target gets: 1 to 2*mean-1, the last target taking the remainder.
func (g *generator) drawCount() int {
	if g.targets <= 0 {
		return 0
	}
	k := g.draws
	if g.targets > 1 {
		mean := max(1, g.draws/g.targets)
		k = 1 + g.plan.intn(2*mean-1)
	}
	k = min(max(k, 1), 8)
	g.targets--
	g.draws = max(0, g.draws-k)
	return k
}

func (g *generator) nextClass() string {
	if len(g.deck) == 0 {
		g.deck = append(g.deck, deckTemplate...)
		for i := len(g.deck) - 1; i > 0; i-- {
			j := g.plan.intn(i + 1)
			g.deck[i], g.deck[j] = g.deck[j], g.deck[i]
		}
	}
	c := g.deck[0]
	g.deck = g.deck[1:]
	return c
}

func (g *generator) target(i int) error {
	r := newRNG(g.cfg.Seed, docStream(i))
	t := &targetDoc{r: r, day: g.day(i), topic: r.intn(numTopics), curly: r.chance(curlyPct),
		sources: map[*srcDoc]bool{}}
	t.tg = newTextgen(r, t.topic)
	own := t.tg.document()
	for k := g.drawCount(); k > 0; k-- {
		g.plantClass(t, g.nextClass())
	}
	id := g.id("sus", i)
	b, spans := t.layout(nil, own)
	if err := g.write(id, t.day, b); err != nil {
		return err
	}
	for c, p := range t.cases {
		g.addCase(p.class, p.source.id, p.span, id, spans[c])
	}
	return nil
}

// pickSource returns a plain source dated before the target, not yet used by
// it, that satisfies ok; of the same topic as the target with probability
// 70% when there is one; nil when there is none.
func (g *generator) pickSource(t *targetDoc, ok func(*srcDoc) bool) *srcDoc {
	var same, all []*srcDoc
	for _, d := range g.window {
		if d.day >= t.day || t.sources[d] || d.free == 0 || !ok(d) {
			continue
		}
		all = append(all, d)
		if d.topic == t.topic {
			same = append(same, d)
		}
	}
	if len(same) > 0 && t.r.chance(70) {
		return same[t.r.intn(len(same))]
	}
	if len(all) == 0 {
		return nil
	}
	return all[t.r.intn(len(all))]
}

func anyFree(*srcDoc) bool { return true }

// freeRun returns the longest run of unused sentences.
func freeRun(d *srcDoc) int {
	best, run := 0, 0
	for _, u := range d.used {
		if u {
			run = 0
		} else {
			run++
			best = max(best, run)
		}
	}
	return best
}

// takeRun marks and returns the first index of a random run of n unused
// consecutive sentences; one must exist.
func takeRun(r *rng, d *srcDoc, n int) int {
	var starts []int
	for a := 0; a+n <= len(d.used); a++ {
		if !slices.Contains(d.used[a:a+n], true) {
			starts = append(starts, a)
		}
	}
	a := starts[r.intn(len(starts))]
	for j := a; j < a+n; j++ {
		d.used[j] = true
	}
	d.free -= n
	return a
}

func (g *generator) plantClass(t *targetDoc, class string) {
	r := t.r
	switch class {
	case eval.ClassQuote:
		g.plantQuote(t)
	case eval.ClassRemix:
		g.plantRemix(t)
	default:
		src := g.pickSource(t, anyFree)
		if src == nil {
			return
		}
		n := min(r.between(1, 6), freeRun(src))
		a := takeRun(r, src, n)
		sp := span{src.sents[a].span.start, src.sents[a+n-1].span.end}
		sents := make([][]tok, n)
		paraOf := make([]int, n)
		for j := range n {
			sents[j], paraOf[j] = src.sents[a+j].toks, src.sents[a+j].para
		}
		multi := paraOf[0] != paraOf[n-1]
		var text []byte
		newPara := multi || r.chance(50)
		switch class {
		case eval.ClassVerbatim:
			text = append([]byte(nil), src.text[sp.start:sp.end]...)
		case eval.ClassReformatted:
			text = t.tg.reformat(sents, paraOf, !src.curly)
			newPara = true
		case eval.ClassLight, eval.ClassHeavy:
			sents = copySents(sents)
			if class == eval.ClassLight {
				t.tg.edit(sents, r.between(5, 10), false)
			} else {
				t.tg.edit(sents, r.between(20, 30), true)
			}
			text = appendPassage(nil, sents, paraOf, src.curly)
		}
		c := t.plant(class, src, sp)
		t.inserts = append(t.inserts, insert{newPara: newPara, pieces: []piece{{text, c}}})
	}
}

// plantRemix plants a paragraph of single sentences from 2 or 3 sources.
func (g *generator) plantRemix(t *targetDoc) {
	var ps []piece
	for n := t.r.between(2, 3); n > 0; n-- {
		src := g.pickSource(t, anyFree)
		if src == nil {
			break
		}
		a := takeRun(t.r, src, 1)
		sp := src.sents[a].span
		if len(ps) > 0 {
			ps = append(ps, piece{[]byte(" "), -1})
		}
		ps = append(ps, piece{append([]byte(nil), src.text[sp.start:sp.end]...), t.plant(eval.ClassRemix, src, sp)})
	}
	if len(ps) > 0 {
		t.inserts = append(t.inserts, insert{newPara: true, pieces: ps})
	}
}

// plantQuote plants 9 to 14 consecutive words of a source sentence, quoted
// inside a new sentence of the target.
func (g *generator) plantQuote(t *targetDoc) {
	r := t.r
	quotable := func(d *srcDoc) bool {
		for j, s := range d.sents {
			if !d.used[j] && s.quotable >= 9 {
				return true
			}
		}
		return false
	}
	src := g.pickSource(t, quotable)
	if src == nil {
		return
	}
	var cand []int
	for j, s := range src.sents {
		if !src.used[j] && s.quotable >= 9 {
			cand = append(cand, j)
		}
	}
	j := cand[r.intn(len(cand))]
	s := &src.sents[j]
	src.used[j] = true
	src.free--
	n := r.between(9, min(14, s.quotable))
	// Start positions whose n tokens all qualify.
	var starts []int
	for a := 0; a+n <= len(s.toks); a++ {
		if quotableRun(s.toks[a:a+n]) == n {
			starts = append(starts, a)
		}
	}
	a := starts[r.intn(len(starts))]
	sp := span{s.words[a].start, s.words[a+n-1].end}
	c := t.plant(eval.ClassQuote, src, sp)
	before, after := t.quoteFrame()
	t.inserts = append(t.inserts, insert{pieces: []piece{
		{before, -1}, {append([]byte(nil), src.text[sp.start:sp.end]...), c}, {after, -1},
	}})
}

// quoteFrame returns the target's text around a quote, with quote marks in
// the target's style: `Velmore said that "` and `" during the meeting.`.
func (t *targetDoc) quoteFrame() (before, after []byte) {
	tg := t.tg
	open, closing := `"`, `"`
	if t.curly {
		open, closing = "“", "”"
	}
	render := func(build func()) []byte {
		tg.s = tg.s[:0]
		build()
		if len(tg.s) == 0 {
			return nil
		}
		tg.s[0].cap = true
		return appendSentence(nil, tg.s, t.curly, nil)
	}
	lower := func(build func()) []byte {
		tg.s = tg.s[:0]
		build()
		return appendSentence(nil, tg.s, t.curly, nil)
	}
	switch t.r.intn(4) {
	case 0:
		before = render(func() { tg.person(false); tg.add(saidVerbs[t.r.intn(len(saidVerbs))], cFixed); tg.add("that", cFixed) })
		after = lower(func() { tg.oneOf(cPrep, "during", "after", "before", "at"); tg.simpleNP(); tg.punct(".") })
		return append(before, " "+open...), append([]byte(closing+" "), after...)
	case 1:
		before = render(func() {
			tg.add("As", cFixed)
			tg.person(false)
			tg.add("put", cFixed)
			tg.add("it", cFixed)
			tg.punct(",")
		})
		return append(before, " "+open...), []byte("." + closing)
	case 2:
		after = lower(func() {
			tg.person(false)
			tg.oneOf(cFixed, "told", "assured", "reminded")
			tg.simpleNP()
			tg.punct(".")
		})
		return []byte(open), append([]byte(","+closing+" "), after...)
	default:
		before = render(func() {
			tg.add("the", cArt)
			tg.add(tg.noun().sg, cNoun)
			tg.oneOf(cFixed, "noted", "stated", "concluded", "claimed")
			tg.add("that", cFixed)
		})
		after = lower(func() { tg.add("in", cPrep); tg.simpleNP(); tg.punct(".") })
		return append(before, " "+open...), append([]byte(closing+" "), after...)
	}
}

// layout renders the target: its own paragraphs with the inserts placed
// between paragraphs (newPara) or between two sentences of a paragraph. It
// returns the text and each planted case's target span.
func (t *targetDoc) layout(dst []byte, own docModel) ([]byte, []span) {
	type elem struct {
		own []tok
		ins *insert
	}
	paras := make([][]elem, len(own.paras))
	for pi, p := range own.paras {
		for _, s := range p {
			paras[pi] = append(paras[pi], elem{own: s})
		}
	}
	nOwn := len(paras)
	for k := range t.inserts {
		ins := &t.inserts[k]
		if ins.newPara {
			at := t.r.intn(len(paras) + 1)
			paras = slices.Insert(paras, at, []elem{{ins: ins}})
			continue
		}
		// Inline: into one of the paragraphs, own or not (an own one is
		// likelier), between two elements or at an end.
		pi := t.r.intn(len(paras))
		if t.r.chance(70) && nOwn > 0 {
			for tries := 0; tries < 8 && paras[pi][0].ins != nil; tries++ {
				pi = t.r.intn(len(paras))
			}
		}
		at := t.r.intn(len(paras[pi]) + 1)
		paras[pi] = slices.Insert(paras[pi], at, elem{ins: ins})
	}
	spans := make([]span, len(t.cases))
	b := appendHeader(dst, t.day, own.title, t.curly)
	for pi, p := range paras {
		if pi > 0 {
			b = append(b, "\n\n"...)
		}
		for ei, e := range p {
			if ei > 0 {
				b = append(b, ' ')
			}
			if e.ins == nil {
				b = appendSentence(b, e.own, t.curly, nil)
				continue
			}
			for _, pc := range e.ins.pieces {
				start := len(b)
				b = append(b, pc.text...)
				if pc.c >= 0 {
					spans[pc.c] = span{start, len(b)}
				}
			}
		}
	}
	return append(b, '\n'), spans
}
