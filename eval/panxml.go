package eval

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/reuse-tool/reuse/result"
)

// PAN ground truth (PAN-PC-09 to PAN 2013 text alignment corpora): a
// folder of XML files, one per suspicious document (2009-2011) or per
// suspicious-source pair (2012-2013), each
//
//	<document reference="suspicious-document00001.txt">
//	  <feature name="plagiarism" type="artificial" obfuscation="random"
//	    this_offset="1510" this_length="830"
//	    source_reference="source-document00042.txt"
//	    source_offset="2200" source_length="790"/>
//	  <feature name="about" .../>
//	</document>
//
// Offsets and lengths count characters (Unicode code points) of the texts,
// which lie elsewhere, named by base name.

// Errors of ReadPANTruth and MatchIDs.
var (
	ErrPANFormat = errors.New("eval: malformed PAN XML")
	ErrPANText   = errors.New("eval: PAN text not found")
	ErrAmbiguous = errors.New("eval: file name matches several documents")
)

// ClassPlagiarism is the class of a PAN case without an obfuscation
// attribute.
const ClassPlagiarism = "plagiarism"

type panDoc struct {
	Reference string       `xml:"reference,attr"`
	Features  []panFeature `xml:"feature"`
}

type panFeature struct {
	Name            string `xml:"name,attr"`
	Obfuscation     string `xml:"obfuscation,attr"`
	ThisOffset      string `xml:"this_offset,attr"`
	ThisLength      string `xml:"this_length,attr"`
	SourceReference string `xml:"source_reference,attr"`
	SourceOffset    string `xml:"source_offset,attr"`
	SourceLength    string `xml:"source_length,attr"`
}

// isCase reports whether a feature is a true case of text reuse:
// "plagiarism" (PAN 2010-2013) or "artificial-plagiarism" and the like
// (PAN-PC-09), not a detection ("detected-plagiarism") nor metadata
// ("about", "language").
func (f *panFeature) isCase() bool {
	return strings.HasSuffix(f.Name, "plagiarism") && f.Name != "detected-plagiarism"
}

// panCase is a case in characters, before conversion to bytes.
type panCase struct {
	class          string
	target, source string
	tStart, tLen   int
	sStart, sLen   int
}

// ReadPANTruth reads the PAN XML files (*.xml) below dir and converts
// them into a Truth, with the texts found below corpusDir (by base name,
// in any subfolder) to turn character offsets into byte offsets. Document
// ids are the references, file base names such as
// "suspicious-document00001.txt": MatchIDs renames them to a result's
// ids. A case's class is its obfuscation attribute ("none", "random",
// "translation", "summary", ...), or ClassPlagiarism when it has none.
// Features other than plagiarism cases are ignored; every suspicious
// document with an XML file is listed, with cases or without.
//
// It reads each text once and holds one at a time; cost is linear in the
// size of the XML and of the referenced texts.
func ReadPANTruth(dir, corpusDir string) (*Truth, error) {
	if corpusDir == "" {
		return nil, fmt.Errorf("%w: no folder of texts given for the character offsets", ErrPANText)
	}
	texts, err := indexTexts(corpusDir)
	if err != nil {
		return nil, err
	}
	var cases []panCase
	var listed [][2]string
	docs := map[string]bool{}
	nfiles := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == PairsFile {
			ps, err := ReadPairs(p)
			for _, pr := range ps {
				docs[pr[0]], docs[pr[1]] = true, true
			}
			listed = append(listed, ps...)
			return err
		}
		if d.IsDir() || !strings.EqualFold(filepath.Ext(p), ".xml") {
			return nil
		}
		nfiles++
		doc, err := readPANFile(p)
		if err != nil {
			return err
		}
		docs[doc.Reference] = true
		for i := range doc.Features {
			f := &doc.Features[i]
			if !f.isCase() {
				continue
			}
			c, err := f.toCase(doc.Reference)
			if err != nil {
				return fmt.Errorf("%v: feature %d: %w", p, i+1, err)
			}
			docs[c.source] = true
			cases = append(cases, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if nfiles == 0 {
		return nil, fmt.Errorf("%v: %w: no .xml files", dir, ErrPANFormat)
	}

	// Character offsets of each document, converted in one pass over its
	// text.
	offsets := map[string][]int{}
	for _, c := range cases {
		offsets[c.target] = append(offsets[c.target], c.tStart, c.tStart+c.tLen)
		offsets[c.source] = append(offsets[c.source], c.sStart, c.sStart+c.sLen)
	}
	t := &Truth{Schema: TruthSchema, Groups: [][]string{}, Cases: make([]Case, 0, len(cases)), Pairs: listed}
	toByte := map[string]map[int]int{}
	for id := range docs {
		p, ok := texts[id]
		if !ok {
			return nil, fmt.Errorf("%w: %q (referenced in %v) is not below %v", ErrPANText, id, dir, corpusDir)
		}
		if p == "" {
			return nil, fmt.Errorf("%w: %q in %v", ErrAmbiguous, id, corpusDir)
		}
		text, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		m, err := charsToBytes(text, offsets[id])
		if err != nil {
			return nil, fmt.Errorf("%v: %w", p, err)
		}
		toByte[id] = m
		t.Documents = append(t.Documents, TruthDoc{ID: id, Bytes: len(text)})
	}
	for _, c := range cases {
		tb, sb := toByte[c.target], toByte[c.source]
		t.Cases = append(t.Cases, Case{
			Class:  c.class,
			Source: c.source, SourceStart: sb[c.sStart], SourceEnd: sb[c.sStart+c.sLen],
			Target: c.target, TargetStart: tb[c.tStart], TargetEnd: tb[c.tStart+c.tLen],
		})
	}
	t.Sort()
	return t, nil
}

// PairsFile is the name of a PAN sub-corpus's list of the pairs to
// compare, one "suspicious-documentX.txt source-documentY.txt" a line.
const PairsFile = "pairs"

// ErrPairsFormat reports a line of a pairs file that is not two names.
var ErrPairsFormat = errors.New("eval: a pairs file line is not two document names")

// ReadPairs reads a pairs file (PAN's text alignment task: two document
// names a line, separated by white space); blank lines and lines starting
// with # are skipped.
func ReadPairs(path string) ([][2]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return DecodePairs(f, path)
}

// DecodePairs reads the lines of a pairs file from r; name names it in
// errors.
func DecodePairs(r io.Reader, name string) ([][2]string, error) {
	var out [][2]string
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fs := strings.Fields(text)
		if len(fs) != 2 {
			return out, fmt.Errorf("%v:%d: %w: %q", name, line, ErrPairsFormat, text)
		}
		out = append(out, [2]string{fs[0], fs[1]})
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("%v: %w", name, err)
	}
	return out, nil
}

// indexTexts maps the base name of every regular file below dir to its
// path, or to "" when two files share the name.
func indexTexts(dir string) (map[string]string, error) {
	texts := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		name := d.Name()
		if _, dup := texts[name]; dup {
			texts[name] = ""
		} else {
			texts[name] = p
		}
		return nil
	})
	return texts, err
}

func readPANFile(p string) (*panDoc, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	dec.CharsetReader = func(charset string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "us-ascii", "ascii":
			return r, nil
		}
		return nil, fmt.Errorf("unsupported encoding %q", charset)
	}
	var doc panDoc
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%v: %w: %v", p, ErrPANFormat, err)
	}
	if doc.Reference == "" {
		return nil, fmt.Errorf("%v: %w: <document> without a reference", p, ErrPANFormat)
	}
	return &doc, nil
}

// toCase checks a plagiarism feature of document ref.
func (f *panFeature) toCase(ref string) (panCase, error) {
	c := panCase{class: f.Obfuscation, target: ref, source: f.SourceReference}
	if c.class == "" {
		c.class = ClassPlagiarism
	}
	if c.source == "" {
		return c, fmt.Errorf("%w: no source_reference", ErrPANFormat)
	}
	for _, x := range []struct {
		name string
		s    string
		dst  *int
	}{
		{"this_offset", f.ThisOffset, &c.tStart}, {"this_length", f.ThisLength, &c.tLen},
		{"source_offset", f.SourceOffset, &c.sStart}, {"source_length", f.SourceLength, &c.sLen},
	} {
		n, err := strconv.Atoi(strings.TrimSpace(x.s))
		if err != nil || n < 0 {
			return c, fmt.Errorf("%w: %s=%q is not a count of characters", ErrPANFormat, x.name, x.s)
		}
		*x.dst = n
	}
	// An end beyond any offset would wrap around to a negative one,
	// which charsToBytes maps to byte 0: a case ending before it starts.
	if c.tLen > math.MaxInt-c.tStart || c.sLen > math.MaxInt-c.sStart {
		return c, fmt.Errorf("%w: offset plus length beyond any text", ErrPANFormat)
	}
	return c, nil
}

// charsToBytes maps each character offset in offs to the byte offset of
// that character in text (len(text) for the end of the text). Invalid
// UTF-8 counts one character per byte.
func charsToBytes(text []byte, offs []int) (map[int]int, error) {
	offs = slices.Clone(offs)
	slices.Sort(offs)
	offs = slices.Compact(offs)
	m := make(map[int]int, len(offs))
	chars, b := 0, 0
	for _, o := range offs {
		for chars < o && b < len(text) {
			_, size := utf8.DecodeRune(text[b:])
			b += size
			chars++
		}
		if chars < o {
			return nil, fmt.Errorf("%w: offset %d beyond the text's %d characters", ErrPANFormat, o, chars)
		}
		m[o] = b
	}
	return m, nil
}

// MatchIDs renames t's documents to the ids that name the same file in a
// scan's result: an id equal to a document's id, or ending in "/" and it.
// ReadPANTruth's ids are file base names and a scan's are paths relative
// to the scanned folder; a generated corpus scanned from its parent has
// ids "corpus/src/00001.txt" for the truth's "src/00001.txt". It returns
// the number of t's documents matched; a document that two ids end in is
// ErrAmbiguous (unless one of them is its id).
func (t *Truth) MatchIDs(ids []string) (int, error) {
	byBase := map[string][]string{}
	for _, id := range ids {
		b := path.Base(id)
		byBase[b] = append(byBase[b], id)
	}
	rename := map[string]string{}
	var cands []string
	for _, d := range t.Documents {
		cands = cands[:0]
		for _, id := range byBase[path.Base(d.ID)] {
			if id == d.ID || strings.HasSuffix(id, "/"+d.ID) {
				cands = append(cands, id)
			}
		}
		switch {
		case slices.Contains(cands, d.ID):
			rename[d.ID] = d.ID
		case len(cands) == 1:
			rename[d.ID] = cands[0]
		case len(cands) > 1:
			return 0, fmt.Errorf("%w %q: %q and %q", ErrAmbiguous, d.ID, cands[0], cands[1])
		}
	}
	to := func(id string) string {
		if n, ok := rename[id]; ok {
			return n
		}
		return id
	}
	for i := range t.Documents {
		t.Documents[i].ID = to(t.Documents[i].ID)
	}
	for i := range t.Cases {
		c := &t.Cases[i]
		c.Source, c.Target = to(c.Source), to(c.Target)
	}
	for _, g := range t.Groups {
		for i := range g {
			g[i] = to(g[i])
		}
	}
	for i := range t.Pairs {
		t.Pairs[i] = [2]string{to(t.Pairs[i][0]), to(t.Pairs[i][1])}
	}
	t.Sort()
	return len(rename), nil
}

// MatchResult is MatchIDs with the ids of r: those of its documents and of
// its pairs' documents.
func (t *Truth) MatchResult(r *result.Result) (int, error) {
	return t.MatchIDs(resultIDs(r))
}

// resultIDs lists the ids of a result's documents and pairs.
func resultIDs(r *result.Result) []string {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, d := range r.Documents {
		add(d.ID)
	}
	for _, p := range r.Pairs {
		add(p.A)
		add(p.B)
	}
	return ids
}
