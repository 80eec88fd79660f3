package gen

import (
	"strconv"
	"strings"
)

// Obfuscations applied to copied passages: word edits ("light", "heavy",
// and the small edits of syndicated copies) and reformatting. All work on a
// deep copy of the source's tokens and leave the source untouched.

func copySents(src [][]tok) [][]tok {
	out := make([][]tok, len(src))
	for i, s := range src {
		out[i] = append([]tok(nil), s...)
	}
	return out
}

var (
	singularDets = []string{"the", "a", "this", "that", "its", "their", "every", "one", "another"}
	pluralDets   = []string{"the", "many", "some", "several", "these", "most", "those"}
	coordConjs   = []string{"and", "but", "while", "as"}
	subordConjs  = []string{"because", "although", "after", "when", "since"}
)

func contains(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

// otherOf returns a member of list different from w.
func otherOf(r *rng, list []string, w string) string {
	for {
		x := list[r.intn(len(list))]
		if x != w {
			return x
		}
	}
}

// substitute returns another word of t's class, or false when t is not
// substitutable.
func (g *textgen) substitute(t *tok) (string, bool) {
	for try := 0; try < 8; try++ {
		var w string
		switch t.cls {
		case cNoun:
			w = g.noun().sg
		case cNounPl:
			w = g.noun().pl
		case cVerbBase:
			w = g.verb().base
		case cVerbThird:
			w = g.verb().third
		case cVerbPast:
			w = g.verb().past
		case cVerbPP:
			w = g.verb().pp
		case cAdj:
			w = g.adj()
		case cAdv:
			w = g.lx.advs[g.r.intn(len(g.lx.advs))]
		case cFirst:
			w = g.lx.first[g.r.intn(len(g.lx.first))]
		case cLast:
			w = g.lx.last[g.r.intn(len(g.lx.last))]
		case cPlace:
			w = g.lx.places[g.r.intn(len(g.lx.places))]
		case cOrg:
			w = otherOf(g.r, g.lx.orgWords, t.w)
		case cNum:
			w = g.otherNumber(t.w)
		case cArt:
			switch {
			case contains(pluralDets, t.w) && !contains(singularDets, t.w):
				w = otherOf(g.r, pluralDets, t.w)
			case t.w == "the", t.w == "a", t.w == "an":
				w = otherOf(g.r, []string{"the", "a", "this", "that"}, t.w)
			case contains(singularDets, t.w):
				w = otherOf(g.r, singularDets, t.w)
			default:
				return "", false
			}
		case cPrep:
			if !contains(preps, t.w) {
				return "", false
			}
			w = otherOf(g.r, preps, t.w)
		case cConj:
			switch {
			case contains(coordConjs, t.w):
				w = otherOf(g.r, coordConjs, t.w)
			case contains(subordConjs, t.w):
				w = otherOf(g.r, subordConjs, t.w)
			default:
				return "", false
			}
		default:
			return "", false
		}
		if w != t.w && !(t.w == "a" && w == "an") {
			return w, true
		}
	}
	return "", false
}

// otherNumber returns a different number written like w.
func (g *textgen) otherNumber(w string) string {
	r := g.r
	switch {
	case strings.HasPrefix(w, "$"):
		return "$" + strconv.Itoa(r.between(2, 900))
	case strings.Contains(w, ","):
		return strconv.Itoa(r.between(1, 40)) + "," + strconv.Itoa(r.between(100, 999))
	case strings.Contains(w, "."):
		return strconv.Itoa(r.between(1, 19)) + "." + strconv.Itoa(r.between(1, 9))
	case len(w) == 4:
		return strconv.Itoa(r.between(1990, 2024))
	}
	return strconv.Itoa(r.between(2, 99))
}

// Edit operations.
const (
	opSubst = iota
	opDelete
	opInsert
	opSwap
)

// edit changes about pct percent of the passage's words in place:
// substitutions, deletions, insertions and, when swaps is set, swaps of
// neighbouring words (a swap edits two words). Every sentence keeps at
// least 6 words; quotes and sentence starts are kept in place.
func (g *textgen) edit(sents [][]tok, pct int, swaps bool) {
	n := 0
	for _, s := range sents {
		n += len(s)
	}
	goal := max(1, (n*pct+50)/100)
	touched := make([][]bool, len(sents))
	for i, s := range sents {
		touched[i] = make([]bool, len(s))
	}
	edited := 0
	for try := 0; edited < goal && try < 50*goal; try++ {
		// A token chosen uniformly over the passage.
		si, j := 0, g.r.intn(n)
		for j >= len(sents[si]) {
			j -= len(sents[si])
			si++
		}
		s, tch := sents[si], touched[si]
		op := g.pickOp(swaps)
		switch op {
		case opSubst:
			if tch[j] {
				continue
			}
			w, ok := g.substitute(&s[j])
			if !ok {
				continue
			}
			s[j].w = w
			tch[j] = true
			edited++
		case opDelete:
			if tch[j] || s[j].pre != "" || s[j].post != "" || s[j].cap || len(s) <= 6 {
				continue
			}
			sents[si] = append(s[:j:j], s[j+1:]...)
			touched[si] = append(tch[:j:j], tch[j+1:]...)
			n--
			edited++
		case opInsert:
			if j == 0 || s[j].pre != "" {
				continue
			}
			t := tok{cls: cAdv}
			if s[j].cls == cNoun || s[j].cls == cNounPl {
				if s[j-1].cls == cAdj {
					continue
				}
				t = tok{w: g.adj(), cls: cAdj}
			} else {
				t.w = g.lx.advs[g.r.intn(len(g.lx.advs))]
			}
			ns := make([]tok, 0, len(s)+1)
			ns = append(append(append(ns, s[:j]...), t), s[j:]...)
			nt := make([]bool, 0, len(s)+1)
			nt = append(append(append(nt, tch[:j]...), true), tch[j:]...)
			sents[si], touched[si] = ns, nt
			n++
			edited++
		case opSwap:
			if j+1 >= len(s) || tch[j] || tch[j+1] || s[j].post != "" || s[j+1].pre != "" || s[j].w == s[j+1].w {
				continue
			}
			s[j].w, s[j+1].w = s[j+1].w, s[j].w
			s[j].cls, s[j+1].cls = s[j+1].cls, s[j].cls
			tch[j], tch[j+1] = true, true
			edited += 2
		}
	}
}

func (g *textgen) pickOp(swaps bool) int {
	x := g.r.intn(100)
	if !swaps {
		switch {
		case x < 50:
			return opSubst
		case x < 75:
			return opDelete
		}
		return opInsert
	}
	switch {
	case x < 40:
		return opSubst
	case x < 55:
		return opDelete
	case x < 70:
		return opInsert
	}
	return opSwap
}

// substituteN substitutes n words of the passage (syndicated copies).
func (g *textgen) substituteN(sents [][]tok, n int) {
	for try := 0; n > 0 && try < 100; try++ {
		s := sents[g.r.intn(len(sents))]
		t := &s[g.r.intn(len(s))]
		if w, ok := g.substitute(t); ok {
			t.w = w
			n--
		}
	}
}

// reformat renders a passage as a reformatted copy: quotes and apostrophes
// in the given style (the source's opposite), often a phrase or two in
// Title Case or ALL CAPS, often double spaces, and always hard line breaks
// at a width of 60 to 75 columns (counted from the passage's start, which
// begins a paragraph).
func (g *textgen) reformat(sents [][]tok, paraOf []int, curly bool) []byte {
	ts := copySents(sents)
	if g.r.chance(70) {
		for k := g.r.between(1, 2); k > 0; k-- {
			s := ts[g.r.intn(len(ts))]
			n := min(len(s), g.r.between(2, 5))
			j := g.r.intn(len(s) - n + 1)
			shape := shapeTitle
			if g.r.chance(40) {
				shape = shapeUpper
			}
			for i := j; i < j+n; i++ {
				s[i].shape = shape
			}
		}
	}
	b := appendPassage(nil, ts, paraOf, curly)
	if g.r.chance(50) {
		b = g.doubleSpaces(b)
	}
	return wrap(b, g.r.between(60, 75))
}

// doubleSpaces doubles about one space in eight, and half of the spaces
// after a sentence's full stop.
func (g *textgen) doubleSpaces(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/6)
	for i, c := range b {
		out = append(out, c)
		if c != ' ' {
			continue
		}
		pct := 12
		if i > 0 && b[i-1] == '.' {
			pct = 50
		}
		if g.r.chance(pct) {
			out = append(out, ' ')
		}
	}
	return out
}

// wrap replaces runs of spaces by a newline wherever the next word would
// pass width columns (runes). Blank lines are kept.
func wrap(b []byte, width int) []byte {
	out := make([]byte, 0, len(b))
	col := 0
	for i := 0; i < len(b); {
		switch b[i] {
		case '\n':
			out = append(out, '\n')
			col = 0
			i++
		case ' ':
			j := i
			for j < len(b) && b[j] == ' ' {
				j++
			}
			k := j
			for k < len(b) && b[k] != ' ' && b[k] != '\n' {
				k++
			}
			if col > 0 && col+(j-i)+runeCount(b[j:k]) > width {
				out = append(out, '\n')
				col = 0
			} else {
				out = append(out, b[i:j]...)
				col += j - i
			}
			i = j
		default:
			k := i
			for k < len(b) && b[k] != ' ' && b[k] != '\n' {
				k++
			}
			out = append(out, b[i:k]...)
			col += runeCount(b[i:k])
			i = k
		}
	}
	return out
}
