package html

import (
	"container/heap"
	"container/list"
	"html/template"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/reuse-tool/reuse/result"
)

// escape appends b to sb as HTML text: markup characters escaped,
// invalid UTF-8 and control characters (other than tab, newline and
// carriage return) replaced by U+FFFD. It is the only way document text
// reaches a page outside html/template, so every byte of it goes through
// here.
func escape(sb *strings.Builder, b []byte) {
	for len(b) > 0 {
		c := b[0]
		if c < utf8.RuneSelf {
			switch {
			case c == '<':
				sb.WriteString("&lt;")
			case c == '>':
				sb.WriteString("&gt;")
			case c == '&':
				sb.WriteString("&amp;")
			case c == '"':
				sb.WriteString("&#34;")
			case c == '\'':
				sb.WriteString("&#39;")
			case c == '\t' || c == '\n' || c == '\r':
				sb.WriteByte(c)
			case c < 0x20 || c == 0x7f:
				sb.WriteString("\uFFFD")
			default:
				sb.WriteByte(c)
			}
			b = b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError || (r >= 0x80 && r < 0xa0) {
			sb.WriteString("\uFFFD")
		} else {
			sb.Write(b[:n])
		}
		b = b[n:]
	}
}

// escapeString is escape for a string.
func escapeString(s string) string {
	var sb strings.Builder
	escape(&sb, []byte(s))
	return sb.String()
}

// clamp clamps [s, e) to [0, n]; ok is false for an empty or inverted
// range.
func clamp(s, e, n int) (int, int, bool) {
	s = max(0, min(s, n))
	e = max(0, min(e, n))
	return s, e, s < e
}

// runeStart moves i back to the start of the UTF-8 sequence it falls
// in, so that a highlight never splits a character (offsets are meant to
// be on token boundaries, but a text that changed since the scan may put
// them anywhere).
func runeStart(text []byte, i int) int {
	if i <= 0 || i >= len(text) || utf8.RuneStart(text[i]) {
		return i
	}
	for j := i - 1; j >= 0 && j > i-utf8.UTFMax; j-- {
		if utf8.RuneStart(text[j]) {
			if r, n := utf8.DecodeRune(text[j:]); (r != utf8.RuneError || n > 1) && j+n > i {
				return j // i is inside this character
			}
			return i
		}
	}
	return i
}

// span is one highlighted stretch of a text: a passage, or all passages shared
// with one partner. Attribute values are escaped when written.
type span struct {
	start, end int
	class      string // CSS classes of the <mark>, besides "hl"
	id         string // anchor id, on the first stretch shown
	to         string // data-to: id of the partner mark on a pair page
	label      string // the numbered marker's text
	href       string // the marker's link target; "" for a plain marker
	title      string
	name       string // named in the titles of highlights over this one ("also in …"); "" for none
	marks      []mark // inner marks, sorted by start, not overlapping
	other      []byte // the other side's text, for the titles of inner marks
}

type run struct {
	start, end int
	h          int // index into the hl slice
	first      bool
	extra      []string // ids of highlights shadowed entirely by this run's
	also       []int    // named highlights under this run, by index
}

// highlight renders text with hls marked. Where highlights overlap,
// the one with the lowest index is shown; a highlight shown in several
// stretches gets its id and marker on the first. The result is safe HTML.
func highlight(text []byte, hls []span) template.HTML {
	var sb strings.Builder
	sb.Grow(len(text) + len(text)/8 + 64*len(hls))
	runs := splitRuns(text, hls)
	pos := 0
	for _, r := range runs {
		escape(&sb, text[pos:r.start])
		writeRun(&sb, text, &hls[r.h], r, hls)
		pos = r.end
	}
	escape(&sb, text[pos:])
	return template.HTML(sb.String())
}

// idxHeap is a min-heap of highlight indexes.
type idxHeap []int

func (h idxHeap) Len() int           { return len(h) }
func (h idxHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h idxHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *idxHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *idxHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// splitRuns splits the highlighted part of text into maximal runs shown
// by one highlight each, in text order. It clamps highlights to the text.
func splitRuns(text []byte, hls []span) []run {
	order := make([]int, 0, len(hls))
	for i := range hls {
		s, e, ok := clamp(hls[i].start, hls[i].end, len(text))
		s, e = runeStart(text, s), runeStart(text, e)
		ok = ok && s < e
		hls[i].start, hls[i].end = s, e
		if ok {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(x, y int) bool { return hls[order[x]].start < hls[order[y]].start })
	bounds := make([]int, 0, 2*len(order))
	for _, i := range order {
		bounds = append(bounds, hls[i].start, hls[i].end)
	}
	sort.Ints(bounds)

	var runs []run
	var active idxHeap
	next := 0
	for bi := 0; bi < len(bounds); bi++ {
		b := bounds[bi]
		if bi+1 < len(bounds) && bounds[bi+1] == b {
			continue
		}
		for next < len(order) && hls[order[next]].start == b {
			heap.Push(&active, order[next])
			next++
		}
		for active.Len() > 0 && hls[active[0]].end <= b {
			heap.Pop(&active)
		}
		if active.Len() == 0 || bi+1 >= len(bounds) {
			continue
		}
		e := bounds[bi+1]
		h := active[0]
		n := len(runs)
		if n > 0 && runs[n-1].h == h && runs[n-1].end == b {
			runs[n-1].end = e
		} else {
			runs = append(runs, run{start: b, end: e, h: h})
			n++
		}
		for _, x := range active[1:] {
			if hls[x].end > b && hls[x].name != "" && len(runs[n-1].also) < 64 && !slices.Contains(runs[n-1].also, x) {
				runs[n-1].also = append(runs[n-1].also, x)
			}
		}
	}
	shown := make([]bool, len(hls))
	for i := range runs {
		if !shown[runs[i].h] {
			shown[runs[i].h] = true
			runs[i].first = true
		}
	}
	// Anchors of highlights hidden under others go to the run covering their
	// start, so that links to them still land.
	for _, i := range order {
		if shown[i] || hls[i].id == "" {
			continue
		}
		j := sort.Search(len(runs), func(j int) bool { return runs[j].end > hls[i].start })
		if j < len(runs) {
			runs[j].extra = append(runs[j].extra, hls[i].id)
		}
	}
	return runs
}

// runTitle is the title of a run: its highlight's, and the other named
// highlights it covers ("also in [2] b.txt, [3] c.txt").
func runTitle(h *span, r run, hls []span) string {
	if len(r.also) == 0 {
		return h.title
	}
	slices.Sort(r.also)
	var sb strings.Builder
	sb.WriteString(h.title)
	seen := map[string]bool{h.label + h.name: true}
	n := 0
	for _, x := range r.also {
		o := &hls[x]
		if seen[o.label+o.name] {
			continue
		}
		seen[o.label+o.name] = true
		if n == 5 {
			sb.WriteString(", …")
			break
		}
		if n == 0 {
			sb.WriteString("; also in ")
		} else {
			sb.WriteString(", ")
		}
		if o.label != "" {
			sb.WriteString("[" + o.label + "] ")
		}
		sb.WriteString(o.name)
		n++
	}
	return sb.String()
}

func writeRun(sb *strings.Builder, text []byte, h *span, r run, hls []span) {
	sb.WriteString(`<mark class="hl`)
	if h.class != "" {
		sb.WriteByte(' ')
		sb.WriteString(escapeString(h.class))
	}
	if r.first {
		sb.WriteString(` first"`)
		if h.id != "" {
			sb.WriteString(` id="`)
			sb.WriteString(escapeString(h.id))
			sb.WriteByte('"')
		}
	} else {
		sb.WriteString(` cont"`)
	}
	if h.to != "" {
		sb.WriteString(` data-to="`)
		sb.WriteString(escapeString(h.to))
		sb.WriteByte('"')
	}
	if title := runTitle(h, r, hls); title != "" {
		sb.WriteString(` title="`)
		sb.WriteString(escapeString(title))
		sb.WriteByte('"')
	}
	sb.WriteByte('>')
	for _, id := range r.extra {
		sb.WriteString(`<span class="anchor" id="`)
		sb.WriteString(escapeString(id))
		sb.WriteString(`"></span>`)
	}
	if r.first && h.label != "" {
		if h.href != "" {
			sb.WriteString(`<a class="n" href="`)
			sb.WriteString(escapeString(h.href))
			sb.WriteString(`">`)
			sb.WriteString(escapeString(h.label))
			sb.WriteString(`</a>`)
		} else {
			sb.WriteString(`<span class="n">`)
			sb.WriteString(escapeString(h.label))
			sb.WriteString(`</span>`)
		}
	}
	pos := r.start
	last := r.end == h.end
	for _, m := range h.marks {
		if m.kind == markGap {
			if m.start < r.start || m.start > r.end || (m.start == r.end && !last) {
				continue
			}
			escape(sb, text[pos:m.start])
			pos = m.start
			writeGap(sb, h.other, m)
			continue
		}
		s, e := max(m.start, r.start), min(m.end, r.end)
		if s >= e {
			continue
		}
		escape(sb, text[pos:s])
		switch m.kind {
		case markDel:
			sb.WriteString(`<span class="d-del">`)
		case markIns:
			sb.WriteString(`<span class="d-ins">`)
		default:
			sb.WriteString(`<span class="d-sub"`)
			if ostart, oend, ok := clamp(m.other[0], m.other[1], len(h.other)); ok {
				sb.WriteString(` title="`)
				sb.WriteString(escapeString("other side: " + result.Excerpt(h.other[ostart:oend], 200)))
				sb.WriteByte('"')
			}
			sb.WriteByte('>')
		}
		escape(sb, text[s:e])
		sb.WriteString(`</span>`)
		pos = e
	}
	escape(sb, text[pos:r.end])
	sb.WriteString(`</mark>`)
}

// writeGap writes the words the other side has at a gap: struck through
// when the other text is known, else a caret.
func writeGap(sb *strings.Builder, other []byte, m mark) {
	s, e, ok := clamp(m.other[0], m.other[1], len(other))
	if !ok {
		return
	}
	sb.WriteString(`<del class="d-gap" title="missing here">`)
	escape(sb, []byte(result.Excerpt(other[s:e], 300)))
	sb.WriteString(`</del>`)
}

// textCache keeps recently read texts up to a byte budget, so that pages
// that need the same document again do not read it again.
type textCache struct {
	fn     TextFunc
	budget int
	size   int
	lru    *list.List // of *cacheEntry, most recent first
	byID   map[string]*list.Element
	onErr  func(id string, err error)
	failed map[string]string
}

type cacheEntry struct {
	id   string
	text []byte
}

func newTextCache(fn TextFunc, budget int, onErr func(string, error)) *textCache {
	return &textCache{fn: fn, budget: budget, lru: list.New(), byID: map[string]*list.Element{}, onErr: onErr, failed: map[string]string{}}
}

// get returns the text of id, or the error message to show in its place.
func (c *textCache) get(id string) ([]byte, string) {
	if msg, ok := c.failed[id]; ok {
		return nil, msg
	}
	if el, ok := c.byID[id]; ok {
		c.lru.MoveToFront(el)
		return el.Value.(*cacheEntry).text, ""
	}
	text, err := c.fn(id)
	if err != nil {
		msg := err.Error()
		c.failed[id] = msg
		if c.onErr != nil {
			c.onErr(id, err)
		}
		return nil, msg
	}
	if len(text) <= c.budget {
		c.byID[id] = c.lru.PushFront(&cacheEntry{id, text})
		c.size += len(text)
		for c.size > c.budget {
			el := c.lru.Back()
			e := el.Value.(*cacheEntry)
			c.lru.Remove(el)
			delete(c.byID, e.id)
			c.size -= len(e.text)
		}
	}
	return text, ""
}

// pageName returns the file name of item n (0-based) in folder dir: d, p or
// c. Names come from positions, never from document IDs.
func pageName(dir string, n int) string {
	s := strconv.Itoa(n + 1)
	if len(s) < 5 {
		s = strings.Repeat("0", 5-len(s)) + s
	}
	return dir + "/" + s + ".html"
}
