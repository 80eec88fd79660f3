package corpus

import (
	"bytes"
	"strings"
	"time"
)

// ParseDate normalises a date to YYYY-MM-DD, or returns "" when s is not a
// date it knows. It takes, ignoring case and surrounding space or quotes:
//
//	2020-05-23    2020/05/23    2020.05.23    (1- or 2-digit month and day)
//	2020-05-23T10:00:00Z  2020-05-23 10:00  (RFC 3339 and similar: the date part as written)
//	May 23, 2020  May 23 2020   Sept. 5th, 2020
//	23 May 2020   23 May, 2020  23-May-2020   Sat, 23 May 2020 10:00:00 GMT
//
// Years run from 1000 to 9999; impossible days (2021-02-29) are "".
func ParseDate(s string) string {
	s = strings.Trim(s, " \t\r\n\"'")
	d, n := parseDatePrefix(s)
	if d == "" || !timeFollows(s[n:]) {
		return ""
	}
	return d
}

// timeFollows reports whether rest, the text after a date, is empty or
// starts like a time of day ("T10:00", " 10:00 GMT").
func timeFollows(rest string) bool {
	if rest == "" {
		return true
	}
	switch rest[0] {
	case 'T', 't':
		return len(rest) > 1 && isDigit(rest[1])
	case ' ', '\t':
		rest = strings.TrimLeft(rest, " \t")
		return len(rest) > 0 && isDigit(rest[0])
	}
	return false
}

// parseDatePrefix parses a date at the start of s and returns it as
// YYYY-MM-DD with the number of bytes it took, or "" and 0.
func parseDatePrefix(s string) (string, int) {
	// Numeric: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD.
	if y, n := digits(s, 4, 4); n == 4 && len(s) > 4 && (s[4] == '-' || s[4] == '/' || s[4] == '.') {
		sep := s[4]
		m, k := digits(s[5:], 1, 2)
		if k == 0 || 5+k >= len(s) || s[5+k] != sep {
			return "", 0
		}
		i := 5 + k + 1
		d, k := digits(s[i:], 1, 2)
		if k == 0 {
			return "", 0
		}
		i += k
		if i < len(s) && isDigit(s[i]) {
			return "", 0
		}
		return ymd(y, m, d), i
	}

	// Words: [weekday] Month Day Year, [weekday] Day Month Year.
	i := 0
	if w, n := word(s); n > 0 && weekday(w) {
		i = skipSep(s, n)
	}
	var day, month, year int
	if m, n := word(s[i:]); n > 0 {
		if month = monthOf(m); month == 0 {
			return "", 0
		}
		i = skipSep(s, i+n)
		if day, n = dayOf(s[i:]); n == 0 {
			return "", 0
		}
		i = skipSep(s, i+n)
	} else {
		if day, n = dayOf(s[i:]); n == 0 {
			return "", 0
		}
		i = skipSep(s, i+n)
		if m, n := word(s[i:]); n > 0 {
			month = monthOf(m)
			i = skipSep(s, i+n)
		}
		if month == 0 {
			return "", 0
		}
	}
	year, n := digits(s[i:], 4, 4)
	if n == 0 || i+n < len(s) && isDigit(s[i+n]) {
		return "", 0
	}
	return ymd(year, month, day), i + n
}

// ymd formats a valid date, or returns "".
func ymd(y, m, d int) string {
	if y < 1000 || m < 1 || m > 12 || d < 1 || d > 31 {
		return ""
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return ""
	}
	return t.Format(time.DateOnly)
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// digits parses min to max ASCII digits at the start of s.
func digits(s string, min, max int) (int, int) {
	v, n := 0, 0
	for n < len(s) && n < max && isDigit(s[n]) {
		v = v*10 + int(s[n]-'0')
		n++
	}
	if n < min {
		return 0, 0
	}
	return v, n
}

// word returns the ASCII letters at the start of s.
func word(s string) (string, int) {
	n := 0
	for n < len(s) && isLetter(s[n]) {
		n++
	}
	return s[:n], n
}

// dayOf parses a day of the month with an optional ordinal suffix: 5, 05, 5th.
func dayOf(s string) (int, int) {
	d, n := digits(s, 1, 2)
	if n == 0 || n < len(s) && isDigit(s[n]) {
		return 0, 0
	}
	if w, k := word(s[n:]); k > 0 {
		switch strings.ToLower(w) {
		case "st", "nd", "rd", "th":
			n += k
		default:
			return 0, 0
		}
	}
	return d, n
}

// skipSep skips the spaces, commas, dots and hyphens after s[:i].
func skipSep(s string, i int) int {
	for i < len(s) && strings.IndexByte(" \t,.-", s[i]) >= 0 {
		i++
	}
	return i
}

var months = [...]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

var monthNames = [...]string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}

// monthOf returns 1 to 12 for a month's name or abbreviation ("Sept" too),
// 0 otherwise.
func monthOf(w string) int {
	w = strings.ToLower(w)
	for i, m := range months {
		if w == m || w == monthNames[i] {
			return i + 1
		}
	}
	if w == "sept" {
		return 9
	}
	return 0
}

func weekday(w string) bool {
	w = strings.ToLower(w)
	for _, d := range [...]string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		if w == d || w == d[:3] {
			return true
		}
	}
	switch w {
	case "tues", "wed", "thur", "thurs":
		return true
	}
	return false
}

// textDate finds the date of a text document: a stamp at its very start
// (" date: 2020-05-23 ...", "DATE May 23, 2020") or a date: field in a
// front matter block (--- ... --- or +++ ... +++). It returns "" when there
// is none, and the length of the metadata (the stamp, or the whole front
// matter block) that opens the text; the text is not changed.
func textDate(text []byte) (date string, header int) {
	bom := 0
	if bytes.HasPrefix(text, []byte("\xef\xbb\xbf")) {
		bom = 3
	}
	if d, n := frontMatterDate(text[bom:]); n > 0 {
		return d, bom + n
	}
	if d, n := stampDate(text[bom:]); d != "" {
		return d, bom + n
	}
	return "", 0
}

// stampDate parses "date", an optional ':' and a date at the start of text,
// after optional white space, and returns the date and the length of the
// stamp with the blanks that follow it.
func stampDate(text []byte) (string, int) {
	full := string(text[:min(len(text), 256)])
	s := strings.TrimLeft(full, " \t\r\n\f\v")
	if len(s) < 5 || !strings.EqualFold(s[:4], "date") {
		return "", 0
	}
	s = s[4:]
	if s[0] != ':' && s[0] != ' ' && s[0] != '\t' {
		return "", 0
	}
	s = strings.TrimLeft(s, " \t")
	s = strings.TrimPrefix(s, ":")
	s = strings.TrimLeft(s, " \t")
	d, n := parseDatePrefix(s)
	if d == "" {
		return "", 0
	}
	rest := s[n:]
	if rest != "" && isLetter(rest[0]) && !timeFollows(rest) {
		return "", 0 // "date May 23, 2020x": not a date on its own
	}
	rest = strings.TrimLeft(skipTime(rest), " \t")
	return d, len(full) - len(rest)
}

// skipTime skips a time of day that follows a date: "T10:00Z",
// " 10:00:00 GMT", " 9:30 +0200".
func skipTime(s string) string {
	t := strings.TrimLeft(s, " \t")
	if t != "" && (t[0] == 'T' || t[0] == 't') {
		t = t[1:]
	}
	if len(t) < 4 || !isDigit(t[0]) || !strings.Contains(t[:min(len(t), 3)], ":") {
		return s
	}
	i := 0
	for i < len(t) && (isDigit(t[i]) || strings.IndexByte(":.,+-Zz", t[i]) >= 0) {
		i++
	}
	t = t[i:]
	// A zone offset or name: " +0200", " GMT", " UTC", " CEST".
	if z := strings.TrimLeft(t, " "); len(z) >= 3 && (z[0] == '+' || z[0] == '-') && isDigit(z[1]) {
		j := 1
		for j < len(z) && (isDigit(z[j]) || z[j] == ':') {
			j++
		}
		t = z[j:]
	}
	if z := strings.TrimLeft(t, " "); len(z) >= 3 {
		j := 0
		for j < len(z) && j < 5 && z[j] >= 'A' && z[j] <= 'Z' {
			j++
		}
		if j >= 3 && (j == len(z) || !isLetter(z[j])) {
			t = z[j:]
		}
	}
	return t
}

// frontMatterDate returns the date: (or TOML date =) field of a front
// matter block that opens the text, looking at most at its first 64 KiB,
// and the length of the block with its closing line (0 when there is no
// closed block).
func frontMatterDate(text []byte) (string, int) {
	text = text[:min(len(text), 64<<10)]
	var fence, assign string
	switch {
	case bytes.HasPrefix(text, []byte("---\n")), bytes.HasPrefix(text, []byte("---\r\n")):
		fence, assign = "---", ":"
	case bytes.HasPrefix(text, []byte("+++\n")), bytes.HasPrefix(text, []byte("+++\r\n")):
		fence, assign = "+++", "="
	default:
		return "", 0
	}
	date := ""
	lines := strings.SplitAfter(string(text), "\n")
	end := len(lines[0])
	for _, raw := range lines[1:] {
		end += len(raw)
		line := strings.TrimRight(raw, "\r\n")
		if line == fence || fence == "---" && line == "..." {
			return date, end // only a closed block counts
		}
		key, val, ok := strings.Cut(line, assign)
		if !ok || date != "" || !strings.EqualFold(strings.TrimSpace(key), "date") {
			continue
		}
		if i := strings.Index(val, " #"); i >= 0 {
			val = val[:i] // a YAML or TOML comment
		}
		date = ParseDate(strings.TrimSpace(val))
	}
	return "", 0
}
