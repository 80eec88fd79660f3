package corpus

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// ExtractHTML returns the visible text of an HTML page and its publication
// date (YYYY-MM-DD, or "" when unknown).
//
// The text is what a reader sees: the <title> first, as a paragraph of its
// own, then the body. Scripts, styles, <noscript>, <template>, <svg>,
// <math>, <iframe>, comments and the rest of <head> are dropped. Block
// elements (div, li, br, tr ...) end a line and paragraph-like ones (p,
// h1-h6, blockquote, pre, ul, table, section ...) leave a blank line, so
// paragraph structure survives; two <br> in a row make a blank line; table
// cells are separated by a space. Entities are decoded and runs of white
// space collapsed to one space, except inside <pre>, <textarea> and <xmp>.
//
// Input that is not valid UTF-8 is decoded by the charset its <meta>
// declares, or as windows-1252, as browsers do; UTF-16 with a BOM is
// decoded. The result is always valid UTF-8.
//
// The date comes from <meta property="article:published_time">, else from
// <meta name=date|pubdate|publish-date|dc.date|...> or
// <meta itemprop=datePublished>, else from the first <time datetime=...>.
//
// ExtractHTML streams through the tokens without building a tree: its memory
// is the size of the text, whatever the nesting or the markup errors.
func ExtractHTML(page []byte) (text []byte, date string) {
	return extractHTML(decodeHTML(page))
}

// extractHTML is ExtractHTML for a page already decoded to UTF-8.
func extractHTML(page []byte) (text []byte, date string) {
	x := extractor{out: make([]byte, 0, len(page)/4)}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.TextToken:
			x.text(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			x.start(z, string(name), hasAttr, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			x.end(string(name))
		}
	}
	if x.title == 1 {
		x.endTitle() // <title> never closed: the tokenizer gave it the rest
	}
	date = x.metaDate
	if date == "" {
		date = x.timeDate
	}
	if !utf8.Valid(x.out) {
		x.out = bytes.ToValidUTF8(x.out, []byte("\uFFFD"))
	}
	return x.out, date
}

// decodeHTML turns a page into UTF-8: UTF-16 by its BOM; valid UTF-8 as it
// is, less a BOM; anything else by its <meta charset>, or windows-1252.
func decodeHTML(page []byte) []byte {
	if d, ok := decodeUTF16(page); ok {
		return d
	}
	if utf8.Valid(page) {
		return bytes.TrimPrefix(page, []byte("\xef\xbb\xbf"))
	}
	e, _, _ := charset.DetermineEncoding(page, "text/html")
	if d, err := e.NewDecoder().Bytes(page); err == nil {
		return d
	}
	return page
}

// declaresCharset reports whether the start of a page, where browsers look
// for it, names a charset.
func declaresCharset(page []byte) bool {
	head := page[:min(len(page), 1024)]
	return bytes.Contains(bytes.ToLower(head), []byte("charset"))
}

// decodeHTMLPage is decodeHTML for Read: a page that is not UTF-8 and
// declares no charset is decoded by Options.Encoding, or by guess, which
// it returns as a notice.
func (r *reader) decodeHTMLPage(page []byte) ([]byte, error) {
	if _, ok := decodeUTF16(page); ok || utf8.Valid(page) || declaresCharset(page) {
		return decodeHTML(page), nil
	}
	d, _, notice := r.decodeLegacy(page)
	return d, notice
}

// Separators between pieces of text, weakest first.
const (
	sepNone = iota
	sepSpace
	sepLine
	sepPara
)

// breaks tells how an element separates the text around it.
var breaks = map[string]int{
	// Table cells.
	"td": sepSpace, "th": sepSpace,
	// Lines.
	"address": sepLine, "body": sepLine, "caption": sepLine, "dd": sepLine, "dialog": sepLine,
	"div": sepLine, "dt": sepLine, "figcaption": sepLine, "hgroup": sepLine, "html": sepLine,
	"legend": sepLine, "li": sepLine, "optgroup": sepLine, "option": sepLine, "search": sepLine,
	"summary": sepLine, "tbody": sepLine, "tfoot": sepLine, "thead": sepLine, "tr": sepLine,
	"textarea": sepLine, "frameset": sepLine, "frame": sepLine, "select": sepLine,
	// Paragraphs.
	"article": sepPara, "aside": sepPara, "blockquote": sepPara, "center": sepPara,
	"details": sepPara, "dir": sepPara, "dl": sepPara, "fieldset": sepPara, "figure": sepPara,
	"footer": sepPara, "form": sepPara, "h1": sepPara, "h2": sepPara, "h3": sepPara,
	"h4": sepPara, "h5": sepPara, "h6": sepPara, "header": sepPara, "hr": sepPara,
	"listing": sepPara, "main": sepPara, "menu": sepPara, "nav": sepPara, "ol": sepPara,
	"p": sepPara, "plaintext": sepPara, "pre": sepPara, "section": sepPara, "table": sepPara,
	"ul": sepPara, "xmp": sepPara,
}

// hidden elements: nothing inside them is shown.
var hidden = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "svg": true,
	"math": true, "iframe": true, "noembed": true, "noframes": true,
}

// rawText elements hold text only: the tokenizer finds no tags inside them,
// so a self-closing form still opens them.
var rawText = map[string]bool{
	"script": true, "style": true, "noscript": true, "iframe": true, "noembed": true,
	"noframes": true, "title": true, "textarea": true, "xmp": true, "plaintext": true,
}

// verbatim elements keep their white space.
var verbatim = map[string]bool{"pre": true, "listing": true, "textarea": true, "xmp": true, "plaintext": true}

// inHead lists the elements that may stay in <head>; any other start tag
// ends it, as in a browser.
var inHead = map[string]bool{
	"base": true, "basefont": true, "bgsound": true, "link": true, "meta": true,
	"noscript": true, "script": true, "style": true, "template": true, "title": true,
}

// breakout lists the HTML elements that end <svg> or <math> content in a
// browser (HTML 5, "parsing main inforeign"): an unclosed <svg> must not hide
// the rest of the page.
var breakout = map[string]bool{
	"b": true, "big": true, "blockquote": true, "body": true, "br": true, "center": true,
	"code": true, "dd": true, "div": true, "dl": true, "dt": true, "em": true, "embed": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "head": true,
	"hr": true, "i": true, "img": true, "li": true, "listing": true, "menu": true,
	"meta": true, "nobr": true, "ol": true, "p": true, "pre": true, "ruby": true, "s": true,
	"small": true, "span": true, "strong": true, "strike": true, "sub": true, "sup": true,
	"table": true, "tt": true, "u": true, "ul": true, "var": true,
}

// Date sources, best first.
var metaDates = map[string]int{
	"article:published_time": 1,
	"date":                   2, "pubdate": 2, "publish-date": 2, "publish_date": 2,
	"dc.date": 2, "dc.date.issued": 2, "dcterms.date": 2, "dcterms.issued": 2,
	"datepublished": 2, "og:published_time": 2, "sailthru.date": 2,
}

// extractor is the state of one ExtractHTML.
type extractor struct {
	out []byte
	sep int // separator owed before the next text

	skip      string // the hidden element being skipped, or ""
	skipDepth int    // how many skip elements are open
	head      bool   // inside <head>
	title     int    // 0 before <title>, 1 inside the first, 2 after it
	titleText []byte
	verbatim  int  // open <pre> and the like
	preStart  bool // just after <pre>: a newline here is not shown

	metaDate string
	metaRank int
	timeDate string
}

func (x *extractor) brk(sep int) {
	x.sep = max(x.sep, sep)
}

// write appends s, after the separator owed.
func (x *extractor) write(s []byte) {
	if len(s) == 0 {
		return
	}
	if len(x.out) > 0 {
		switch x.sep {
		case sepSpace:
			x.out = append(x.out, ' ')
		case sepLine:
			x.out = append(x.out, '\n')
		case sepPara:
			x.out = append(x.out, '\n', '\n')
		}
	}
	x.sep = sepNone
	x.out = append(x.out, s...)
}

// collapse writes s with its white space runs collapsed into separators.
func (x *extractor) collapse(s []byte) {
	for len(s) > 0 {
		i := 0
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i > 0 {
			x.brk(sepSpace)
			s = s[i:]
		}
		j := 0
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		x.write(s[:j])
		s = s[j:]
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

func (x *extractor) text(s []byte) {
	switch {
	case x.skip != "":
	case x.title == 1:
		x.titleText = append(x.titleText, s...)
	case x.head && len(bytes.TrimLeft(s, " \t\n\r\f")) == 0:
	case x.verbatim > 0:
		if x.preStart {
			s = bytes.TrimPrefix(s, []byte("\n"))
		}
		x.preStart = false
		x.write(s)
	default:
		x.head = false // text ends <head>, as in a browser
		x.collapse(s)
	}
}

func (x *extractor) start(z *html.Tokenizer, name string, hasAttr, selfClosing bool) {
	if rawText[name] {
		// The tokenizer reads the text after <script/> as it does
		// after <script>: treat both alike.
		selfClosing = false
	}
	if x.skip != "" {
		switch {
		case name == x.skip && !selfClosing:
			x.skipDepth++
		case (x.skip == "svg" || x.skip == "math") && breakout[name]:
			x.skip, x.skipDepth = "", 0
			x.start(z, name, hasAttr, selfClosing)
		}
		return
	}
	if x.title == 1 {
		x.endTitle()
	}
	if x.head && !inHead[name] {
		x.head = false
	}
	if selfClosing {
		// <div/> opens an element in HTML and an empty one in XHTML:
		// either way the text breaks here.
		x.brk(breaks[name])
	}
	switch {
	case name == "head":
		x.head = true
		return
	case hidden[name]:
		if !selfClosing {
			x.skip, x.skipDepth = name, 1
		}
		return
	case name == "title":
		if x.title == 0 {
			x.title = 1
		} else {
			x.skip, x.skipDepth = name, 1
		}
		return
	case name == "meta" && hasAttr:
		x.meta(z)
	case name == "time" && hasAttr && x.timeDate == "":
		for more := true; more; {
			var k, v []byte
			k, v, more = z.TagAttr()
			if string(k) == "datetime" && x.timeDate == "" {
				x.timeDate = ParseDate(string(v))
			}
		}
	case name == "br":
		if x.sep == sepLine && len(x.out) > 0 {
			x.sep = sepPara
		} else {
			x.brk(sepLine)
		}
		return
	}
	if !selfClosing {
		x.brk(breaks[name])
		if verbatim[name] {
			x.verbatim++
			x.preStart = true
		}
	}
}

func (x *extractor) end(name string) {
	if x.skip != "" {
		if name == x.skip {
			if x.skipDepth--; x.skipDepth == 0 {
				x.skip = ""
			}
		}
		return
	}
	switch {
	case name == "title" && x.title == 1:
		x.endTitle()
	case name == "head":
		x.head = false
	case name == "br":
		// </br> is a <br> in HTML.
		x.start(nil, name, false, false)
	default:
		x.brk(breaks[name])
		if verbatim[name] && x.verbatim > 0 {
			x.verbatim--
		}
	}
}

// endTitle writes the title as a paragraph of its own.
func (x *extractor) endTitle() {
	x.title = 2
	x.brk(sepPara)
	x.collapse(x.titleText)
	x.brk(sepPara)
	x.titleText = nil
}

// meta reads a <meta> element's date, if it has one.
func (x *extractor) meta(z *html.Tokenizer) {
	var key, content string
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "name", "property", "itemprop":
			if key == "" || metaDates[key] == 0 {
				key = strings.ToLower(string(v))
			}
		case "content":
			content = string(v)
		}
	}
	rank := metaDates[key]
	if rank == 0 || x.metaDate != "" && rank >= x.metaRank {
		return
	}
	if d := ParseDate(content); d != "" {
		x.metaDate, x.metaRank = d, rank
	}
}
