package corpus

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestExtractHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain words", "plain words"},
		{"<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"<p>One<p>Two", "One\n\nTwo"},
		{"<html><head><title> The  Title </title><meta charset=utf-8><style>p{}</style></head><body><h1>Head</h1><p>Text.</p></body></html>",
			"The Title\n\nHead\n\nText."},
		{"<head><title>T</title><script>var x = '<p>no</p>';</script><link rel=x>\n</head><p>Body", "T\n\nBody"},
		{"<p>a <b>bold</b> and <i>it</i>alic</p>", "a bold and italic"},
		{"<p>  runs \t of\n\n   white   space  </p>", "runs of white space"},
		{"<div>one</div><div>two</div><span>three</span>", "one\ntwo\nthree"},
		{"<ul><li>a</li><li>b</li></ul><p>after", "a\nb\n\nafter"},
		{"line<br>break<br/>again<br><br>para", "line\nbreak\nagain\n\npara"},
		{"<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>", "a b\nc d"},
		{"<blockquote>quoted</blockquote>text", "quoted\n\ntext"},
		{"<pre>\n  keep\n    this  </pre>after", "  keep\n    this  \n\nafter"},
		{"<p>a &amp; b &lt;c&gt; &eacute; &#233; &#xe9; &nbsp;x &copy</p>", "a & b <c> é é é \u00a0x ©"},
		{"<!-- a comment --><p>x<!-- another -->y</p><!DOCTYPE html>", "xy"},
		{"<script>alert(1)</script><style>.a{}</style><noscript>enable JS</noscript><template><p>t</p></template>ok", "ok"},
		{"<p>before<svg><text>svg text</text><g><text>more</text></g></svg>after</p>", "beforeafter"},
		{"<p>before<svg><text>unclosed svg<p>breaks out", "before\n\nbreaks out"},
		{"<math><mi>x</mi></math><iframe>fallback</iframe>visible", "visible"},
		{"<script/>still script</script>shown", "shown"},
		{"<template><template>in</template>still in</template>out", "out"},
		{"<title>First</title><p>x<title>Second</title>", "First\n\nx"},
		{"<title>never closed", "never closed"},
		{"<textarea>  keep\n  me </textarea>", "  keep\n  me "},
		{"<p>unclosed <b>bold <i>italic", "unclosed bold italic"},
		{"</p></div></b>stray ends", "stray ends"},
		{"<p class=\"a\" id='b' data-x=c>attrs</p>", "attrs"},
		{"<p>broken <a href=\"x>link</a> text</p>", "broken"},
		{"<<<>>>", "<<<>>>"},
		{"<head>text in head ends it</head>", "text in head ends it"},
		{"<meta name=x><h2>no head element</h2>", "no head element"},
		{"<article><section><p>deep</p></section></article><footer>foot</footer>", "deep\n\nfoot"},
		{"a<hr>b", "a\n\nb"},
		{"Caf\xe9 au lait", "Café au lait"},                    // windows-1252
		{"<meta charset=\"iso-8859-15\"><p>\xa4 5</p>", "€ 5"}, // declared charset
		{"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">\xf0\xd2\xc9\xd7\xc5\xd4", "Привет"},
		{"\ufeff<p>UTF-8 BOM</p>", "UTF-8 BOM"},
		{"<p>crlf\r\nlines</p>", "crlf lines"},
	}
	for _, tt := range tests {
		if got, _ := ExtractHTML([]byte(tt.in)); string(got) != tt.want {
			t.Errorf("ExtractHTML(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExtractHTMLDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<meta property="article:published_time" content="2020-05-23T10:00:00+00:00">`, "2020-05-23"},
		{`<meta name="date" content="2020-05-23">`, "2020-05-23"},
		{`<META NAME="PubDate" CONTENT="May 23, 2020">`, "2020-05-23"},
		{`<meta name="publish-date" content="23 May 2020">`, "2020-05-23"},
		{`<meta name="DC.date" content="2020/05/23">`, "2020-05-23"},
		{`<meta itemprop="datePublished" content="2020-05-23">`, "2020-05-23"},
		{`<p>x <time datetime="2020-05-23T08:00">Saturday</time> <time datetime="2021-01-01">later</time>`, "2020-05-23"},
		{`<time>no attribute</time><time datetime="bad"></time><time datetime="2020-05-23"></time>`, "2020-05-23"},
		{`<meta name="date" content="2019-01-01"><meta property="article:published_time" content="2020-05-23">`, "2020-05-23"},
		{`<meta property="article:published_time" content="2020-05-23"><meta name="date" content="2019-01-01">`, "2020-05-23"},
		{`<meta name="date" content="2019-01-01"><meta name="pubdate" content="2018-01-01">`, "2019-01-01"},
		{`<time datetime="2021-01-01"></time><meta name="date" content="2020-05-23">`, "2020-05-23"},
		{`<meta name="date" content="yesterday"><time datetime="2020-05-23"></time>`, "2020-05-23"},
		{`<meta name="description" content="2020-05-23">`, ""},
		{`<script><meta name="date" content="2020-05-23"></script>`, ""},
		{`<p>2020-05-23</p>`, ""},
	}
	for _, tt := range tests {
		if _, got := ExtractHTML([]byte(tt.in)); got != tt.want {
			t.Errorf("ExtractHTML(%q) date = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestExtractHTMLHostile checks that pathological pages are read quickly
// and in memory proportional to their size.
func TestExtractHTMLHostile(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // a prefix of the text
	}{
		{"deep nesting", strings.Repeat("<div><span>", 200000) + "deep" + strings.Repeat("</span></div>", 200000), "deep"},
		{"deep svg", "<svg>" + strings.Repeat("<svg><g>", 100000) + "x" + "</svg>" + "<p>out", "out"},
		{"unclosed tags", strings.Repeat("<p><b><i><table><tr><td>", 50000) + "end", "end"},
		{"huge attribute", "<p title=\"" + strings.Repeat("a", 8<<20) + "\">after", "after"},
		{"unclosed attribute", "<p title=\"" + strings.Repeat("a", 1<<20), ""},
		{"many entities", strings.Repeat("&amp;&#x1F600;&bogus;", 100000), "&😀&bogus;"},
		{"unclosed comment", "<p>before<!-- " + strings.Repeat("x", 1<<20), "before"},
		{"huge text", strings.Repeat("word ", 1<<20), "word word"},
	}
	for _, tt := range tests {
		start := time.Now()
		got, _ := ExtractHTML([]byte(tt.in))
		if !strings.HasPrefix(string(got), tt.want) {
			t.Errorf("ExtractHTML(%s) = %.40q..., want prefix %q", tt.name, got, tt.want)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("ExtractHTML(%s) took %v", tt.name, d)
		}
	}
}

func FuzzExtractHTML(f *testing.F) {
	for _, s := range []string{
		"<!DOCTYPE html><html><head><title>A title</title><meta name=date content=2020-05-23></head><body><h1>Head</h1><p>One &amp; two.</p><ul><li>a<li>b</ul></body></html>",
		"<p>x<svg><text>y<p>z</svg><script>if (a < b) {}</script><pre>\n keep </pre><br><br>",
		"<table><tr><td>a<td>b</table><template><p>t</template><time datetime='2020-05-23'>",
		"<title>unclosed <p>&#0;&#xD800;&#1114112;&bogus; <!-- unclosed",
		"Caf\xe9 <meta charset=windows-1251>\xcf\xf0\xe8",
		"\xff\xfe<\x00p\x00>\x00",
		"<textarea/>x</textarea><plaintext><p>all text",
		"<head>text<noscript><p>hidden</noscript></head>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, page []byte) {
		text, date := ExtractHTML(page)
		if !utf8.Valid(text) {
			t.Errorf("ExtractHTML(%q) = %q, not UTF-8", page, text)
		}
		if date != "" && !isYMD(date) {
			t.Errorf("ExtractHTML(%q) date = %q, not YYYY-MM-DD", page, date)
		}
	})
}
