package report

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

	"github.com/reuse-tool/reuse/result"
)

// The page templates, stylesheet and script live in assets/.
//
//go:embed assets
var htmlAssets embed.FS

func htmlCSS() []byte { b, _ := htmlAssets.ReadFile("assets/report.css"); return b }
func htmlJS() []byte  { b, _ := htmlAssets.ReadFile("assets/report.js"); return b }

var htmlTemplates = sync.OnceValue(func() map[string]*template.Template {
	funcs := template.FuncMap{
		"num":  htmlNum,
		"pct":  htmlPct,
		"f2":   func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
		"fv":   func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) },
		"plus": func(a, b int) int { return a + b },
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return one
			}
			return many
		},
	}
	base := template.Must(template.New("layout.tmpl").Funcs(funcs).ParseFS(htmlAssets, "assets/layout.tmpl"))
	m := map[string]*template.Template{}
	for _, name := range []string{"index", "doc", "pair", "cluster"} {
		t := template.Must(base.Clone())
		m[name] = template.Must(t.ParseFS(htmlAssets, "assets/"+name+".tmpl"))
	}
	return m
})

// htmlNum formats n with comma separators: 12,345.
func htmlNum(n int) string {
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

// htmlPct formats a percentage with one decimal: 45.6%.
func htmlPct(p float64) string {
	if math.IsNaN(p) {
		return "–"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// htmlHead is what every page's layout needs.
type htmlHead struct {
	Title       string // the page's title
	ReportTitle string
	Kind        string // index, doc, pair or cluster
	Root        string // relative path to the folder root: "" or "../"
	Inline      bool
	CSS         template.CSS
	JS          template.JS
	CSP         string
	Crumbs      []htmlLink
}

type htmlLink struct {
	Text string
	Href string // "" for plain text
}

// The Content-Security-Policy of pages: only the report's own script runs,
// nothing is fetched from the network.
const (
	htmlCSPFolder = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'"
	htmlCSPInline = "default-src 'none'; script-src '%s'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
)

func (s *htmlSite) newHead(kind, title string, depth int) htmlHead {
	h := htmlHead{Title: title, ReportTitle: s.opt.Title, Kind: kind, Root: strings.Repeat("../", depth), CSP: htmlCSPFolder}
	if s.inline {
		js := htmlJS()
		sum := sha256.Sum256(js)
		h.Inline = true
		h.CSS = template.CSS(htmlCSS())
		h.JS = template.JS(js)
		h.CSP = fmt.Sprintf(htmlCSPInline, "sha256-"+base64.StdEncoding.EncodeToString(sum[:]))
		h.Root = ""
	}
	if kind != "index" && !s.inline {
		h.Crumbs = []htmlLink{{s.opt.Title, h.Root + "index.html"}}
	}
	return h
}

func (s *htmlSite) exec(w io.Writer, kind string, data any) error {
	return htmlTemplates()[kind].ExecuteTemplate(w, "layout", data)
}

// docInfo finds a document by ID; ok is false when the Result does not list
// it.
func (s *htmlSite) docInfo(id string) (d *result.Document, idx int, ok bool) {
	i, ok := s.docIdx[id]
	if !ok {
		return &result.Document{ID: id}, -1, false
	}
	return &s.r.Documents[i], i, true
}

func (s *htmlSite) docLink(id string, depth int) string {
	if _, i, ok := s.docInfo(id); ok {
		return s.rel(depth, s.docHref[i])
	}
	return ""
}

// ---- index ----

type htmlIndexData struct {
	htmlHead
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
	Docs        []htmlDocRow
	DocsLeft    int
	NoReuse     int
	Pairs       []htmlPairRow
	PairsLeft   int
	Clusters    []htmlClusterRow
	ClusLeft    int
	Groups      []htmlGroupRow
	GroupsLeft  int
}

type htmlDocRow struct {
	ID, Href, Date         string
	Words, Reused, Partner int
	Pct                    float64
}

type htmlPairRow struct {
	N                  int
	A, AHref, B, BHref string
	Href               string
	APct, BPct         float64
	Shared, Passages   int
	Jaccard            float64
}

type htmlClusterRow struct {
	ID, Documents, Occurrences int
	Href                       string
	Earliest                   htmlLink
	Boilerplate                bool
	Text                       string
}

type htmlGroupRow struct {
	ID     int
	Docs   []htmlLink
	More   int
	MinPct float64
}

func (s *htmlSite) writeIndex(w io.Writer) error {
	r := s.r
	d := htmlIndexData{htmlHead: s.newHead("index", s.opt.Title, 0), Stats: r.Stats, Params: r.Params}
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
	d.Histogram = htmlHistogram(r.Documents)
	if mg := htmlLimit(s.opt.MaxGraph, htmlDefaultMaxGraph); s.opt.MaxGraph >= 0 {
		d.Network, d.NetDrawn, d.NetLeft = htmlNetwork(s, mg)
	} else {
		d.NetOff = true
	}
	for _, i := range s.docsList {
		doc := &r.Documents[i]
		d.Docs = append(d.Docs, htmlDocRow{ID: doc.ID, Href: s.docHref[i], Date: doc.Date, Words: doc.Words,
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
		d.Pairs = append(d.Pairs, htmlPairRow{N: i + 1, A: p.A, AHref: s.docLink(p.A, 0), B: p.B, BHref: s.docLink(p.B, 0),
			Href: s.pairHref[i], APct: p.APct, BPct: p.BPct, Shared: p.SharedWords, Passages: len(p.Passages), Jaccard: p.Jaccard})
	}
	d.PairsLeft = len(r.Pairs) - len(s.pairsList)
	for _, i := range s.clusList {
		c := &r.Clusters[i]
		row := htmlClusterRow{ID: c.ID, Documents: c.Documents, Occurrences: len(c.Members), Href: s.clusterHref[i],
			Boilerplate: c.Boilerplate, Text: htmlExcerpt([]byte(c.Text), 160)}
		if c.Earliest != "" {
			row.Earliest = htmlLink{c.Earliest, s.docLink(c.Earliest, 0)}
		}
		d.Clusters = append(d.Clusters, row)
	}
	d.ClusLeft = len(r.Clusters) - len(s.clusList)
	top := htmlLimit(s.opt.Top, htmlDefaultTop)
	for gi, g := range r.Groups {
		if gi >= top {
			d.GroupsLeft = len(r.Groups) - gi
			break
		}
		row := htmlGroupRow{ID: g.ID, MinPct: g.MinPct}
		for j, id := range g.Documents {
			if j == 20 {
				row.More = len(g.Documents) - j
				break
			}
			row.Docs = append(row.Docs, htmlLink{id, s.docLink(id, 0)})
		}
		d.Groups = append(d.Groups, row)
	}
	return s.exec(w, "index", d)
}

// ---- document page ----

type htmlDocData struct {
	htmlHead
	Doc          *result.Document
	Text         template.HTML
	TextErr      string
	Mismatch     int // the text's length when it differs from Doc.Bytes
	Partners     []htmlPartnerRow
	PartnersLeft int
	Boilerplate  []htmlClusterRef
	Clusters     []htmlClusterRef
	ClustersLeft int
	Marks        int
}

type htmlPartnerRow struct {
	N, Color, Style int
	ID, Href, Date  string
	Pct, OtherPct   float64
	Shared          int
	Passages        int
	PairHref        string
}

type htmlClusterRef struct {
	ID, Documents int
	Href          string
}

type htmlPartner struct {
	pair   int
	aSide  bool // the document is the pair's A
	pct    float64
	shared int
	id     string
}

func (s *htmlSite) writeDoc(w io.Writer, i int) error {
	r := s.r
	doc := &r.Documents[i]
	d := htmlDocData{htmlHead: s.newHead("doc", doc.ID, 1), Doc: doc}
	d.Crumbs = append(d.Crumbs, htmlLink{"Documents", "../index.html#documents"})
	text, msg := s.texts.get(doc.ID)
	d.TextErr = msg
	if msg == "" && doc.Bytes > 0 && len(text) != doc.Bytes {
		d.Mismatch = len(text)
	}

	var ps []htmlPartner
	for _, pi := range s.docPairs[i] {
		p := &r.Pairs[pi]
		if p.A == doc.ID {
			ps = append(ps, htmlPartner{pi, true, p.APct, p.SharedWords, p.B})
		} else {
			ps = append(ps, htmlPartner{pi, false, p.BPct, p.SharedWords, p.A})
		}
	}
	slices.SortStableFunc(ps, func(a, b htmlPartner) int {
		if c := cmp.Compare(b.pct, a.pct); c != 0 {
			return c
		}
		if c := cmp.Compare(b.shared, a.shared); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	var hls []htmlSpan
	for rank, pt := range ps {
		p := &r.Pairs[pt.pair]
		other, _, _ := s.docInfo(pt.id)
		pairHref := s.rel(1, s.pairHref[pt.pair])
		row := htmlPartnerRow{N: rank + 1, Color: rank % 10, Style: rank % 4, ID: pt.id, Href: s.docLink(pt.id, 1),
			Date: other.Date, Pct: pt.pct, Shared: pt.shared, Passages: len(p.Passages), PairHref: pairHref}
		if pt.aSide {
			row.OtherPct = p.BPct
		} else {
			row.OtherPct = p.APct
		}
		if rank < htmlMaxLegend {
			d.Partners = append(d.Partners, row)
		}
		for k, pg := range p.Passages {
			h := htmlSpan{class: fmt.Sprintf("c%d u%d", rank%10, rank%4), label: strconv.Itoa(rank + 1), name: pt.id,
				title: fmt.Sprintf("[%d] shared with %s: %d words, similarity %.2f", rank+1, pt.id, pg.Words, pg.Similarity)}
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
		ref := htmlClusterRef{ID: c.ID, Documents: c.Documents, Href: s.rel(1, s.clusterHref[ci])}
		if !c.Boilerplate {
			if len(d.Clusters) < htmlMaxLegend {
				d.Clusters = append(d.Clusters, ref)
			} else {
				d.ClustersLeft++
			}
			continue
		}
		d.Boilerplate = append(d.Boilerplate, ref)
		for _, m := range c.Members {
			if m.Doc == doc.ID {
				hls = append(hls, htmlSpan{start: m.Start, end: m.End, class: "bp", label: "B", href: ref.Href, name: fmt.Sprintf("boilerplate (cluster %d)", c.ID),
					title: fmt.Sprintf("boilerplate: text found in %d documents (cluster %d)", c.Documents, c.ID)})
			}
		}
	}
	d.Marks = len(hls)
	if msg == "" {
		d.Text = htmlHighlight(text, hls)
	}
	return s.exec(w, "doc", d)
}

// ---- pair page ----

type htmlPairData struct {
	htmlHead
	A, B          htmlSideData
	Shared        int
	Jaccard       float64
	Passages      []htmlPassageRow
	NoDiff        int // passages too long for word differences
	PassagesCount int
}

type htmlSideData struct {
	ID, Href, Date string
	Words          int
	Pct            float64
	Text           template.HTML
	TextErr        string
	Mismatch       int
}

type htmlPassageRow struct {
	N, Color, Style    int
	Words              int
	Similarity         float64
	AStart, AEnd       int
	BStart, BEnd       int
	Cluster            int
	ClusterHref        string
	NoDiff             bool
	AExcerpt           string
	AChanged, BChanged int // words that differ
}

// writePair writes the page of pair p.
func (s *htmlSite) writePair(w io.Writer, p *result.Pair) error {
	title := p.A + " ↔ " + p.B
	if s.inline && s.opt.Title != htmlDefaultTitle {
		title = s.opt.Title
	}
	d := htmlPairData{htmlHead: s.newHead("pair", title, 1), Shared: p.SharedWords, Jaccard: p.Jaccard, PassagesCount: len(p.Passages)}
	if !s.inline {
		d.Crumbs = append(d.Crumbs, htmlLink{"Pairs", "../index.html#pairs"})
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

	var ha, hb []htmlSpan
	for k, pg := range p.Passages {
		n := strconv.Itoa(k + 1)
		row := htmlPassageRow{N: k + 1, Color: k % 10, Style: k % 4, Words: pg.Words, Similarity: pg.Similarity,
			AStart: pg.AStart, AEnd: pg.AEnd, BStart: pg.BStart, BEnd: pg.BEnd, Cluster: pg.Cluster}
		if pg.Cluster > 0 {
			if ci, ok := s.clusterIndex(pg.Cluster); ok {
				row.ClusterHref = s.rel(1, s.clusterHref[ci])
			}
		}
		class := fmt.Sprintf("pg c%d u%d", k%10, k%4)
		tip := fmt.Sprintf("passage %d: %d words, similarity %.2f — click to show the other side", k+1, pg.Words, pg.Similarity)
		a := htmlSpan{start: pg.AStart, end: pg.AEnd, class: class, id: "a" + n, to: "b" + n, label: n, href: "#b" + n, title: tip, other: tb}
		b := htmlSpan{start: pg.BStart, end: pg.BEnd, class: class, id: "b" + n, to: "a" + n, label: n, href: "#a" + n, title: tip, other: ta}
		as, ae, aok := htmlClamp(pg.AStart, pg.AEnd, len(ta))
		bs, be, bok := htmlClamp(pg.BStart, pg.BEnd, len(tb))
		if aok && bok {
			am, bm, ok := htmlPassageDiff(ta, tb, as, ae, bs, be)
			if ok {
				// Both sides are shown: a gap would repeat the other side's words.
				a.marks, b.marks = htmlDropGaps(am), htmlDropGaps(bm)
				row.AChanged, row.BChanged = htmlChangedWords(ta, am), htmlChangedWords(tb, bm)
			} else {
				row.NoDiff = true
				d.NoDiff++
			}
			row.AExcerpt = htmlExcerpt(ta[as:ae], 90)
		}
		ha, hb = append(ha, a), append(hb, b)
		d.Passages = append(d.Passages, row)
	}
	if ea == "" {
		d.A.Text = htmlHighlight(ta, ha)
	}
	if eb == "" {
		d.B.Text = htmlHighlight(tb, hb)
	}
	return s.exec(w, "pair", d)
}

func htmlDropGaps(ms []htmlMark) []htmlMark {
	out := ms[:0]
	for _, m := range ms {
		if m.kind != htmlMarkGap {
			out = append(out, m)
		}
	}
	return out
}

// htmlChangedWords counts the words of text inside the marks ms.
func htmlChangedWords(text []byte, ms []htmlMark) int {
	n := 0
	for _, m := range ms {
		if m.kind != htmlMarkGap {
			n += len(htmlSplitWords(text[m.start:m.end], 0))
		}
	}
	return n
}

func (s *htmlSite) side(id string, pct float64, text []byte, msg string) htmlSideData {
	doc, _, _ := s.docInfo(id)
	sd := htmlSideData{ID: id, Href: s.docLink(id, 1), Date: doc.Date, Words: doc.Words, Pct: pct, TextErr: msg}
	if msg == "" && doc.Bytes > 0 && len(text) != doc.Bytes {
		sd.Mismatch = len(text)
	}
	return sd
}

// clusterIndex finds a cluster by ID: at index ID-1 when IDs are 1..n as
// the contract says, else by search.
func (s *htmlSite) clusterIndex(id int) (int, bool) {
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

type htmlClusterData struct {
	htmlHead
	C        *result.Cluster
	Earliest htmlLink
	NoDates  bool
	Occ      []htmlOccRow
	OccLeft  int
}

type htmlOccRow struct {
	N          int
	Doc, Href  string
	Date       string
	Start, End int
	Ref        bool
	Similarity float64 // to the reference, 0..100
	Same       bool
	NoDiff     bool
	Text       template.HTML
	Before     string // a few words of context
	After      string
	TextErr    string
}

// htmlContextBytes is about how much text around a cluster occurrence is
// shown.
const htmlContextBytes = 100

// htmlContext returns a few words before text[s:e] and after it, whitespace
// collapsed, cut at spaces.
func htmlContext(text []byte, s, e int) (before, after string) {
	b := text[htmlRuneStart(text, max(0, s-htmlContextBytes)):s]
	if s > htmlContextBytes {
		if i := bytes.IndexAny(b, " \n\t"); i >= 0 {
			b = b[i:]
		}
	}
	a := text[e:htmlRuneStart(text, min(len(text), e+htmlContextBytes))]
	if e+htmlContextBytes < len(text) {
		if i := bytes.LastIndexAny(a, " \n\t"); i >= 0 {
			a = a[:i]
		}
	}
	before, after = htmlExcerpt(b, 2*htmlContextBytes), htmlExcerpt(a, 2*htmlContextBytes)
	// Keep the space between the context and the occurrence.
	if before != "" && htmlIsSpace(b[len(b)-1]) {
		before += " "
	}
	if after != "" && htmlIsSpace(a[0]) {
		after = " " + after
	}
	if before != "" && s > htmlContextBytes {
		before = "…" + before
	}
	if after != "" && e+htmlContextBytes < len(text) {
		after += "…"
	}
	return before, after
}

func htmlIsSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func (s *htmlSite) writeCluster(w io.Writer, ci int) error {
	c := &s.r.Clusters[ci]
	d := htmlClusterData{htmlHead: s.newHead("cluster", fmt.Sprintf("Cluster %d", c.ID), 1), C: c}
	d.Crumbs = append(d.Crumbs, htmlLink{"Clusters", "../index.html#clusters"})
	if c.Earliest != "" {
		d.Earliest = htmlLink{c.Earliest, s.docLink(c.Earliest, 1)}
	}
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
	if len(occs) > htmlMaxOccurrences {
		d.OccLeft = len(occs) - htmlMaxOccurrences
		occs = occs[:htmlMaxOccurrences]
	}
	var ref []byte
	refOK := false
	for k, o := range occs {
		row := htmlOccRow{N: k + 1, Doc: o.m.Doc, Href: s.docLink(o.m.Doc, 1), Date: o.date, Start: o.m.Start, End: o.m.End, Ref: k == 0}
		text, msg := s.texts.get(o.m.Doc)
		st, en, ok := htmlClamp(o.m.Start, o.m.End, len(text))
		switch {
		case msg != "":
			row.TextErr = msg
		case !ok:
			row.TextErr = "the occurrence lies outside the document's text"
		case k == 0:
			ref, refOK = text[st:en], true
			row.Text = htmlHighlight(ref, nil)
		case !refOK:
			row.NoDiff = true
			row.Text = htmlHighlight(text[st:en], nil)
		default:
			t := text[st:en]
			h := htmlSpan{start: 0, end: len(t), class: "occ", other: ref}
			wa, wb := htmlSplitWords(ref, 0), htmlSplitWords(t, 0)
			if ops, ok := htmlDiffWords(wa, wb, htmlMaxDiffEdits); ok {
				same := 0
				for _, op := range ops {
					if op.kind == htmlOpEqual {
						same++
					}
				}
				if n := len(wa) + len(wb); n > 0 {
					row.Similarity = 100 * 2 * float64(same) / float64(n)
				}
				row.Same = same == len(wa) && same == len(wb)
				_, h.marks = htmlWordMarks(wa, wb, ops, 0, 0)
			} else {
				row.NoDiff = true
			}
			row.Text = htmlHighlight(t, []htmlSpan{h})
		}
		if row.Text != "" {
			row.Before, row.After = htmlContext(text, st, en)
		}
		d.Occ = append(d.Occ, row)
	}
	return s.exec(w, "cluster", d)
}
