package html

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/reuse-tool/reuse/result"
)

// The page templates, stylesheet and script live in assets/.
//
//go:embed assets
var assets embed.FS

func assetCSS() []byte { b, _ := assets.ReadFile("assets/report.css"); return b }
func assetJS() []byte  { b, _ := assets.ReadFile("assets/report.js"); return b }

var templates = sync.OnceValue(func() map[string]*template.Template {
	funcs := template.FuncMap{
		"num":    formatNum,
		"pct":    formatPct,
		"f2":     func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
		"fv":     func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) },
		"plus":   func(a, b int) int { return a + b },
		"plural": plural,
	}
	base := template.Must(template.New("layout.tmpl").Funcs(funcs).ParseFS(assets, "assets/layout.tmpl"))
	m := map[string]*template.Template{}
	for _, name := range []string{"index", "doc", "pair", "cluster"} {
		t := template.Must(base.Clone())
		m[name] = template.Must(t.ParseFS(assets, "assets/"+name+".tmpl"))
	}
	return m
})

// formatNum formats n with comma separators: 12,345.
func formatNum(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var sb strings.Builder
	if neg {
		sb.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			sb.WriteByte(',')
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

// formatPct formats a percentage with one decimal: 45.6%.
func formatPct(p float64) string {
	if math.IsNaN(p) {
		return "–"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// pageHead is what every page's layout needs.
type pageHead struct {
	Title       string // the page's title
	ReportTitle string
	Kind        string // index, doc, pair or cluster
	Root        string // relative path to the folder root: "" or "../"
	Inline      bool
	CSS         template.CSS
	JS          template.JS
	CSP         string
	Crumbs      []link
}

type link struct {
	Text string
	Href string // "" for plain text
}

// The Content-Security-Policy of pages: only the report's own script runs,
// nothing is fetched from the network.
const (
	cspFolder = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
	cspInline = "default-src 'none'; script-src '%s'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)

func (s *site) newHead(kind, title string, depth int) pageHead {
	h := pageHead{Title: title, ReportTitle: s.opt.Title, Kind: kind, Root: strings.Repeat("../", depth), CSP: cspFolder}
	if s.inline {
		js := assetJS()
		sum := sha256.Sum256(js)
		h.Inline = true
		h.CSS = template.CSS(assetCSS())
		h.JS = template.JS(js)
		h.CSP = fmt.Sprintf(cspInline, "sha256-"+base64.StdEncoding.EncodeToString(sum[:]))
		h.Root = ""
	}
	if kind != "index" && !s.inline {
		h.Crumbs = []link{{s.opt.Title, h.Root + "index.html"}}
	}
	return h
}

func (s *site) exec(w io.Writer, kind string, data any) error {
	return templates()[kind].ExecuteTemplate(w, "layout", data)
}

// docInfo finds a document by ID; ok is false when the Result does not list
// it.
func (s *site) docInfo(id string) (d *result.Document, idx int, ok bool) {
	i, ok := s.docIdx[id]
	if !ok {
		return &result.Document{ID: id}, -1, false
	}
	return &s.r.Documents[i], i, true
}

func (s *site) docLink(id string, depth int) string {
	if _, i, ok := s.docInfo(id); ok {
		return s.rel(depth, s.docHref[i])
	}
	return ""
}

// ---- index ----

type indexData struct {
	pageHead
	Stats       result.Stats
	Params      result.Params
	HasParams   bool
	Words       int // Stats.Words, or the sum over documents when 0
	Reused      int
	ReusedShare float64
	Histogram   template.HTML
	Network     template.HTML
	NetDrawn    int
	NetLeft     int
	NetOff      bool
	NetCaption  string
	NetFamilies bool // the network shows families of three or more
	Docs        []docRow
	DocsLeft    int
	NoReuse     int
	Pairs       []pairRow
	PairsLeft   int
	Clusters    []clusterRow
	ClusLeft    int
	Groups      []groupRow
	GroupsLeft  int
}

type docRow struct {
	ID, Href, Date         string
	Words, Reused, Partner int
	Pct                    float64
}

type pairRow struct {
	N                  int
	A, AHref, B, BHref string
	Href               string
	APct, BPct         float64
	Shared, Passages   int
	Jaccard            float64
}

type clusterRow struct {
	ID, Documents, Occurrences int
	Href                       string
	Earliest                   link
	Boilerplate, Incomplete    bool
	Text                       string
}

type groupRow struct {
	ID         int
	Docs       []link
	More       int
	MinPct     float64
	Incomplete bool
}

func (s *site) writeIndex(w io.Writer) error {
	r := s.r
	d := indexData{pageHead: s.newHead("index", s.opt.Title, 0), Stats: r.Stats, Params: r.Params}
	d.Crumbs = nil
	words, reused := r.Stats.Words, r.Stats.ReusedWords
	if words == 0 { // a Result without stats: add up the documents
		for _, doc := range r.Documents {
			words += doc.Words
			reused += doc.ReusedWords
		}
	}
	if words > 0 {
		d.ReusedShare = 100 * float64(reused) / float64(words)
	}
	d.Words, d.Reused = words, reused
	d.HasParams = r.Params != result.Params{}
	d.Histogram = histogram(r.Documents)
	if mg := limit(s.opt.MaxGraph, defaultMaxGraph); s.opt.MaxGraph >= 0 {
		var fam netFamilies
		d.Network, d.NetDrawn, d.NetLeft, fam = network(s, mg)
		d.NetCaption, d.NetFamilies = netCaption(fam, d.NetDrawn, d.NetLeft), fam.total > 0
	} else {
		d.NetOff = true
	}
	for _, i := range s.docsList {
		doc := &r.Documents[i]
		d.Docs = append(d.Docs, docRow{ID: doc.ID, Href: s.docHref[i], Date: doc.Date, Words: doc.Words,
			Reused: doc.ReusedWords, Partner: len(s.docPairs[i]), Pct: doc.ReusedPct})
	}
	d.DocsLeft = len(r.Documents) - len(s.docsList)
	for _, doc := range r.Documents {
		if doc.ReusedWords == 0 {
			d.NoReuse++
		}
	}
	for _, i := range s.pairsList {
		p := &r.Pairs[i]
		d.Pairs = append(d.Pairs, pairRow{N: i + 1, A: p.A, AHref: s.docLink(p.A, 0), B: p.B, BHref: s.docLink(p.B, 0),
			Href: s.pairHref[i], APct: p.APct, BPct: p.BPct, Shared: p.SharedWords, Passages: len(p.Passages), Jaccard: p.Jaccard})
	}
	d.PairsLeft = len(r.Pairs) - len(s.pairsList)
	for _, i := range s.clusList {
		c := &r.Clusters[i]
		row := clusterRow{ID: c.ID, Documents: len(c.Documents), Occurrences: len(c.Members), Href: s.clusterHref[i],
			Boilerplate: c.Boilerplate, Incomplete: c.Incomplete, Text: result.Excerpt([]byte(c.Text), 160)}
		if c.Earliest != "" {
			row.Earliest = link{c.Earliest, s.docLink(c.Earliest, 0)}
		}
		d.Clusters = append(d.Clusters, row)
	}
	d.ClusLeft = len(r.Clusters) - len(s.clusList)
	top := limit(s.opt.Top, defaultTop)
	for gi, g := range r.Groups {
		if gi >= top {
			d.GroupsLeft = len(r.Groups) - gi
			break
		}
		row := groupRow{ID: g.ID, MinPct: g.MinPct, Incomplete: g.Incomplete}
		for j, id := range g.Documents {
			if j == 20 {
				row.More = len(g.Documents) - j
				break
			}
			row.Docs = append(row.Docs, link{id, s.docLink(id, 0)})
		}
		d.Groups = append(d.Groups, row)
	}
	return s.exec(w, "index", d)
}

// ---- document page ----

type docData struct {
	pageHead
	Doc          *result.Document
	Text         template.HTML
	TextErr      string
	Mismatch     int // the text's length when it differs from Doc.Bytes
	Partners     []partnerRow
	PartnersLeft int
	Boilerplate  []clusterRef
	Clusters     []clusterRef
	ClustersLeft int
	Group        *groupRow // the near-duplicates of the document, without it
	Marks        int
}

type partnerRow struct {
	N, Color, Style int
	ID, Href, Date  string
	Pct, OtherPct   float64
	Shared          int
	Passages        int
	PairHref        string
}

type clusterRef struct {
	ID, Documents int
	Href          string
	Incomplete    bool
}

type partner struct {
	pair   int
	aSide  bool // the document is the pair's A
	pct    float64
	shared int
	id     string
}

func (s *site) writeDoc(w io.Writer, i int) error {
	r := s.r
	doc := &r.Documents[i]
	d := docData{pageHead: s.newHead("doc", doc.ID, 1), Doc: doc}
	d.Crumbs = append(d.Crumbs, link{"Documents", "../index.html#documents"})
	text, msg := s.texts.get(doc.ID)
	d.TextErr = msg
	if msg == "" && doc.Bytes > 0 && len(text) != doc.Bytes {
		d.Mismatch = len(text)
	}

	var ps []partner
	for _, pi := range s.docPairs[i] {
		p := &r.Pairs[pi]
		if p.A == doc.ID {
			ps = append(ps, partner{pi, true, p.APct, p.SharedWords, p.B})
		} else {
			ps = append(ps, partner{pi, false, p.BPct, p.SharedWords, p.A})
		}
	}
	slices.SortStableFunc(ps, func(a, b partner) int {
		if c := cmp.Compare(b.pct, a.pct); c != 0 {
			return c
		}
		if c := cmp.Compare(b.shared, a.shared); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	var hls []span
	for rank, pt := range ps {
		p := &r.Pairs[pt.pair]
		other, _, _ := s.docInfo(pt.id)
		pairHref := s.rel(1, s.pairHref[pt.pair])
		row := partnerRow{N: rank + 1, Color: rank % 10, Style: rank % 4, ID: pt.id, Href: s.docLink(pt.id, 1),
			Date: other.Date, Pct: pt.pct, Shared: pt.shared, Passages: len(p.Passages), PairHref: pairHref}
		if pt.aSide {
			row.OtherPct = p.BPct
		} else {
			row.OtherPct = p.APct
		}
		if rank < maxLegend {
			d.Partners = append(d.Partners, row)
		}
		for k, pg := range p.Passages {
			h := span{class: fmt.Sprintf("c%d u%d", rank%10, rank%4), label: strconv.Itoa(rank + 1), name: pt.id,
				title: fmt.Sprintf("[%d] shared with %s: %d words%s, similarity %.2f", rank+1, pt.id, pg.Words, kindNote(pg.Kind), pg.Similarity)}
			side := "b"
			h.start, h.end = pg.BStart, pg.BEnd
			if pt.aSide {
				side = "a"
				h.start, h.end = pg.AStart, pg.AEnd
			}
			if pairHref != "" {
				h.href = pairHref + "#" + side + strconv.Itoa(k+1)
			}
			hls = append(hls, h)
		}
	}
	d.PartnersLeft = len(ps) - len(d.Partners)
	for _, ci := range s.docClusters[i] {
		c := &r.Clusters[ci]
		ref := clusterRef{ID: c.ID, Documents: len(c.Documents), Href: s.rel(1, s.clusterHref[ci]), Incomplete: c.Incomplete}
		if !c.Boilerplate {
			if len(d.Clusters) < maxLegend {
				d.Clusters = append(d.Clusters, ref)
			} else {
				d.ClustersLeft++
			}
			continue
		}
		d.Boilerplate = append(d.Boilerplate, ref)
		for _, m := range c.Members {
			if m.Doc == doc.ID {
				hls = append(hls, span{start: m.Start, end: m.End, class: "bp", label: "B", href: ref.Href, name: fmt.Sprintf("boilerplate (cluster %d)", c.ID),
					title: fmt.Sprintf("boilerplate: text found in %d documents (cluster %d)", len(c.Documents), c.ID)})
			}
		}
	}
	if gi := s.docGroup[i]; gi >= 0 {
		g := &r.Groups[gi]
		row := groupRow{ID: g.ID, MinPct: g.MinPct, Incomplete: g.Incomplete}
		for _, id := range g.Documents {
			if id == doc.ID {
				continue
			}
			if len(row.Docs) == maxLegend {
				row.More++
				continue
			}
			row.Docs = append(row.Docs, link{id, s.docLink(id, 1)})
		}
		d.Group = &row
	}
	d.Marks = len(hls)
	if msg == "" {
		d.Text = highlight(text, hls)
	}
	return s.exec(w, "doc", d)
}

// ---- pair page ----

type pairData struct {
	pageHead
	A, B          sideData
	Shared        int
	Jaccard       float64
	Passages      []passageRow
	NoDiff        int // passages too long for word differences
	PassagesCount int
}

type sideData struct {
	ID, Href, Date string
	Words          int
	Pct            float64
	Text           template.HTML
	TextErr        string
	Mismatch       int
}

type passageRow struct {
	N, Color, Style    int
	Words              int
	Similarity         float64
	Kind               string // result.Passage.Kind: "" for an exact passage
	AStart, AEnd       int
	BStart, BEnd       int
	Cluster            int
	ClusterHref        string
	NoDiff             bool
	AExcerpt           string
	AChanged, BChanged int // words that differ
}

// writePair writes the page of pair p.
func (s *site) writePair(w io.Writer, p *result.Pair) error {
	title := p.A + " ↔ " + p.B
	if s.inline && s.opt.Title != defaultTitle {
		title = s.opt.Title
	}
	d := pairData{pageHead: s.newHead("pair", title, 1), Shared: p.SharedWords, Jaccard: p.Jaccard, PassagesCount: len(p.Passages)}
	if !s.inline {
		d.Crumbs = append(d.Crumbs, link{"Pairs", "../index.html#pairs"})
	}
	ta, ea := s.texts.get(p.A)
	var tb []byte
	var eb string
	if p.B == p.A {
		tb, eb = ta, ea
	} else {
		tb, eb = s.texts.get(p.B)
	}
	d.A = s.side(p.A, p.APct, ta, ea)
	d.B = s.side(p.B, p.BPct, tb, eb)

	var ha, hb []span
	for k, pg := range p.Passages {
		n := strconv.Itoa(k + 1)
		// Passages take the four cool hues of the pair palette (p0-p3),
		// none of which is a colour of the word changes inside them, and
		// a border style that changes every four passages.
		row := passageRow{N: k + 1, Color: k % 4, Style: (k / 4) % 4, Words: pg.Words, Similarity: pg.Similarity, Kind: pg.Kind,
			AStart: pg.AStart, AEnd: pg.AEnd, BStart: pg.BStart, BEnd: pg.BEnd, Cluster: pg.Cluster}
		if pg.Cluster > 0 {
			if ci, ok := s.clusterIndex(pg.Cluster); ok {
				row.ClusterHref = s.rel(1, s.clusterHref[ci])
			}
		}
		class := fmt.Sprintf("pg p%d u%d", row.Color, row.Style)
		tip := fmt.Sprintf("passage %d: %d words%s, similarity %.2f — click to show the other side", k+1, pg.Words, kindNote(pg.Kind), pg.Similarity)
		a := span{start: pg.AStart, end: pg.AEnd, class: class, id: "a" + n, to: "b" + n, label: n, href: "#b" + n, title: tip, other: tb}
		b := span{start: pg.BStart, end: pg.BEnd, class: class, id: "b" + n, to: "a" + n, label: n, href: "#a" + n, title: tip, other: ta}
		as, ae, aok := clamp(pg.AStart, pg.AEnd, len(ta))
		bs, be, bok := clamp(pg.BStart, pg.BEnd, len(tb))
		if aok && bok {
			am, bm, ok := s.split.passageDiff(ta, tb, as, ae, bs, be)
			if ok {
				// Both sides are shown: a gap would repeat the other side's words.
				a.marks, b.marks = dropGaps(am), dropGaps(bm)
				row.AChanged, row.BChanged = s.split.changedWords(ta, am), s.split.changedWords(tb, bm)
			} else {
				row.NoDiff = true
				d.NoDiff++
			}
			row.AExcerpt = result.Excerpt(ta[as:ae], 90)
		}
		ha, hb = append(ha, a), append(hb, b)
		d.Passages = append(d.Passages, row)
	}
	if ea == "" {
		d.A.Text = highlight(ta, ha)
	}
	if eb == "" {
		d.B.Text = highlight(tb, hb)
	}
	return s.exec(w, "pair", d)
}

func dropGaps(ms []mark) []mark {
	out := ms[:0]
	for _, m := range ms {
		if m.kind != markGap {
			out = append(out, m)
		}
	}
	return out
}

// changedWords counts the words of text inside the marks ms.
func (sp *splitter) changedWords(text []byte, ms []mark) int {
	n := 0
	for _, m := range ms {
		if m.kind != markGap {
			n += len(sp.words(text[m.start:m.end], 0))
		}
	}
	return n
}

func (s *site) side(id string, pct float64, text []byte, msg string) sideData {
	doc, _, _ := s.docInfo(id)
	sd := sideData{ID: id, Href: s.docLink(id, 1), Date: doc.Date, Words: doc.Words, Pct: pct, TextErr: msg}
	if msg == "" && doc.Bytes > 0 && len(text) != doc.Bytes {
		sd.Mismatch = len(text)
	}
	return sd
}

// clusterIndex finds a cluster by ID: at index ID-1 when IDs are 1..n as
// the contract says, else by search.
func (s *site) clusterIndex(id int) (int, bool) {
	cs := s.r.Clusters
	if id >= 1 && id <= len(cs) && cs[id-1].ID == id {
		return id - 1, true
	}
	for i := range cs {
		if cs[i].ID == id {
			return i, true
		}
	}
	return 0, false
}

// ---- cluster page ----

type clusterData struct {
	pageHead
	C       *result.Cluster
	Excerpt string // the start of the cluster's text
	// Earliest are the documents holding the earliest dated occurrences:
	// more than one when their dates tie.
	Earliest     []link
	EarliestDate string
	Undated      int // occurrences in documents with no date
	NoDates      bool
	Occ          []occRow
	OccLeft      int
}

type occRow struct {
	N          int
	Doc, Href  string
	Date       string
	Start, End int
	Ref        bool
	Earliest   bool    // dated, and no dated occurrence is earlier
	Tie        bool    // Earliest, and another document's occurrence has the same date
	Similarity float64 // to the reference, 0..100
	Same       bool
	NoDiff     bool
	Text       template.HTML
	Before     string // a few words of context
	After      string
	TextErr    string
}

// contextBytes is about how much text around a cluster occurrence is
// shown.
const contextBytes = 100

// contextAround returns a few words before text[s:e] and after it, white
// space collapsed, cut at white space (unicode.IsSpace, as in
// result.Excerpt).
func contextAround(text []byte, s, e int) (before, after string) {
	b := text[runeStart(text, max(0, s-contextBytes)):s]
	if s > contextBytes {
		if i := bytes.IndexFunc(b, unicode.IsSpace); i >= 0 {
			b = b[i:]
		}
	}
	a := text[e:runeStart(text, min(len(text), e+contextBytes))]
	if e+contextBytes < len(text) {
		if i := bytes.LastIndexFunc(a, unicode.IsSpace); i >= 0 {
			a = a[:i]
		}
	}
	before, after = result.Excerpt(b, 2*contextBytes), result.Excerpt(a, 2*contextBytes)
	// Keep the space between the context and the occurrence.
	if r, _ := utf8.DecodeLastRune(b); before != "" && unicode.IsSpace(r) {
		before += " "
	}
	if r, _ := utf8.DecodeRune(a); after != "" && unicode.IsSpace(r) {
		after = " " + after
	}
	if before != "" && s > contextBytes {
		before = "…" + before
	}
	if after != "" && e+contextBytes < len(text) {
		after += "…"
	}
	return before, after
}

func (s *site) writeCluster(w io.Writer, ci int) error {
	c := &s.r.Clusters[ci]
	excerpt := result.Excerpt([]byte(c.Text), 60)
	title := fmt.Sprintf("Cluster %d", c.ID)
	if excerpt != "" {
		title += ": “" + excerpt + "”"
	}
	d := clusterData{pageHead: s.newHead("cluster", title, 1), C: c, Excerpt: result.Excerpt([]byte(c.Text), 240)}
	d.Crumbs = append(d.Crumbs, link{"Clusters", "../index.html#clusters"})
	type occ struct {
		m    result.Member
		date string
	}
	occs := make([]occ, len(c.Members))
	dated := false
	for i, m := range c.Members {
		doc, _, _ := s.docInfo(m.Doc)
		occs[i] = occ{m, doc.Date}
		dated = dated || doc.Date != ""
	}
	d.NoDates = !dated
	// By date, undated last; then as listed (by document and offset).
	slices.SortStableFunc(occs, func(a, b occ) int {
		switch {
		case a.date == b.date:
			return 0
		case a.date == "":
			return 1
		case b.date == "":
			return -1
		}
		return strings.Compare(a.date, b.date)
	})
	// The earliest dated occurrences: all those of the first date, which
	// tie when they are in different documents. Undated copies may be
	// older: the page says how many there are.
	if dated {
		d.EarliestDate = occs[0].date
		seen := map[string]bool{}
		for _, o := range occs {
			if o.date == d.EarliestDate && !seen[o.m.Doc] {
				seen[o.m.Doc] = true
				d.Earliest = append(d.Earliest, link{o.m.Doc, s.docLink(o.m.Doc, 1)})
			}
			if o.date == "" {
				d.Undated++
			}
		}
	}
	if len(occs) > maxOccurrences {
		d.OccLeft = len(occs) - maxOccurrences
		occs = occs[:maxOccurrences]
	}
	var ref []byte
	refOK := false
	for k, o := range occs {
		row := occRow{N: k + 1, Doc: o.m.Doc, Href: s.docLink(o.m.Doc, 1), Date: o.date, Start: o.m.Start, End: o.m.End, Ref: k == 0,
			Earliest: dated && o.date == d.EarliestDate, Tie: dated && o.date == d.EarliestDate && len(d.Earliest) > 1}
		text, msg := s.texts.get(o.m.Doc)
		st, en, ok := clamp(o.m.Start, o.m.End, len(text))
		switch {
		case msg != "":
			row.TextErr = msg
		case !ok:
			row.TextErr = "the occurrence lies outside the document's text"
		case k == 0:
			ref, refOK = text[st:en], true
			row.Text = highlight(ref, nil)
		case !refOK:
			row.NoDiff = true
			row.Text = highlight(text[st:en], nil)
		default:
			t := text[st:en]
			h := span{start: 0, end: len(t), class: "occ", other: ref}
			wa, wb := s.split.words(ref, 0), s.split.words(t, 0)
			if ops, ok := diffWords(wa, wb, maxDiffEdits); ok {
				same := 0
				for _, op := range ops {
					if op.kind == opEqual {
						same++
					}
				}
				if n := len(wa) + len(wb); n > 0 {
					row.Similarity = 100 * 2 * float64(same) / float64(n)
				}
				row.Same = same == len(wa) && same == len(wb)
				_, h.marks = wordMarks(wa, wb, ops, 0, 0)
			} else {
				row.NoDiff = true
			}
			row.Text = highlight(t, []span{h})
		}
		if row.Text != "" {
			row.Before, row.After = contextAround(text, st, en)
		}
		d.Occ = append(d.Occ, row)
	}
	return s.exec(w, "cluster", d)
}

// kindNote is ", reworded" or ", summary" for a passage of that kind, ""
// for an exact one.
func kindNote(kind string) string {
	if kind == "" {
		return ""
	}
	return ", " + kind
}
