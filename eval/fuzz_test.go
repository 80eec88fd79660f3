package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/reuse-tool/reuse/internal/testfs"
	"github.com/reuse-tool/reuse/result"
)

// FuzzDecodePairs: a pairs file is read, or refused with ErrPairsFormat
// (bufio.ErrTooLong for a line over 1 MiB), never a panic. Every pair read,
// also those before a bad line, is two names without white space that,
// written back one pair a line, read back the same: a name the decoder
// would split, drop or take for a comment is a name it should not give.
func FuzzDecodePairs(f *testing.F) {
	for _, s := range []string{
		"suspicious-document00001.txt source-document00001.txt\nsuspicious-document00002.txt\tsource-document00007.txt\n",
		"# pairs of the 2013 training set\n\n   suspicious-document00010.txt    source-document00003.txt   \r\n",
		"susp/part1/suspicious-document00004.txt src/source-document00009.txt", // no final line break
		"suspicious-document00005.txt\n",
		"suspicious-document00005.txt source-document00001.txt source-document00002.txt\n",
		"\ufeffsuspicious-document00006.txt source-document00002.txt\n",
		"verdächtig-01.txt\u00a0quelle-02.txt\n# verdächtig-01.txt quelle-03.txt\n",
		"a.txt b.txt\n  # an indented comment\n#c.txt d.txt\r\nx\x00.txt y\xff.txt\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		got, err := DecodePairs(strings.NewReader(data), "pairs")
		if err != nil {
			if !errors.Is(err, ErrPairsFormat) && !errors.Is(err, bufio.ErrTooLong) {
				t.Fatalf("DecodePairs(%q) error %v is not ErrPairsFormat", data, err)
			}
			if !strings.HasPrefix(err.Error(), "pairs:") {
				t.Errorf("DecodePairs(%q) error %q does not name the file", data, err)
			}
		}
		var b strings.Builder
		for _, p := range got {
			for _, name := range p {
				if name == "" || strings.IndexFunc(name, unicode.IsSpace) >= 0 {
					t.Errorf("DecodePairs(%q) gave the name %q", data, name)
				}
			}
			fmt.Fprintf(&b, "%s %s\n", p[0], p[1])
		}
		back, err := DecodePairs(strings.NewReader(b.String()), "again")
		if err != nil || !slices.Equal(back, got) {
			t.Errorf("DecodePairs(%q) = %q; written back it reads %q, %v", data, got, back, err)
		}
	})
}

// FuzzDecodeTruth: a truth file is read, or refused with ErrSchema or
// encoding/json's error, never a panic; a truth read has TruthSchema and
// Encode writes it back as a file that DecodeTruth reads the same (up to
// absent lists, which read back empty).
func FuzzDecodeTruth(f *testing.F) {
	tr := &Truth{Schema: TruthSchema, Seed: 42,
		Documents: []TruthDoc{{ID: "src/00001.txt", Bytes: 2874, Date: "2015-01-01"},
			{ID: "sus/00007.txt", Bytes: 1933}, {ID: "syn/00011.txt", Bytes: 2874, Date: "2015-03-09"}},
		Cases: []Case{
			cs(ClassLight, "src/00001.txt", 100, 400, "sus/00007.txt", 50, 360),
			cs(ClassQuote, "src/00001.txt", 1200, 1290, "sus/00007.txt", 800, 890),
		},
		Groups: [][]string{{"src/00001.txt", "syn/00011.txt"}},
		Pairs:  [][2]string{{"sus/00007.txt", "src/00001.txt"}},
	}
	var buf bytes.Buffer
	if err := tr.Encode(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	for _, s := range []string{
		"{\"schema\":\"reuse.truth/v1\",\"seed\":0,\n\"documents\":[],\n\"cases\":[],\n\"groups\":[]}\n",
		`{"schema":"reuse.truth/v1","seed":18446744073709551615,"documents":[{"id":"a/Größe \"1\".txt","bytes":0}],"cases":null}`,
		`{"schema":"reuse.truth/v1","cases":[{"class":"heavy","source":"a","source_start":-5,"source_end":1e3,"target":"b"}]}`,
		`{"schema":"reuse.truth/v1","groups":[null,[],["x","x"]],"pairs":[["a","b"],["a","b"]]} trailing`,
		`{"schema":"reuse.truth/v2","documents":[]}`,
		`{"documents":[{"id":"a","bytes":"12"}]}`,
		`{"schema":"reuse.truth/v1","seed":-1}`,
		`{"schema":"reuse.truth/v1","documents":[{"id":"\ud800\u2028\u0000"}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := DecodeTruth(bytes.NewReader(data))
		if err != nil {
			var syntax *json.SyntaxError
			var typ *json.UnmarshalTypeError
			if !errors.Is(err, ErrSchema) && !errors.As(err, &syntax) && !errors.As(err, &typ) &&
				!errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("DecodeTruth(%q) = %v, want ErrSchema or a JSON error", data, err)
			}
			return
		}
		if tr.Schema != TruthSchema {
			t.Fatalf("DecodeTruth(%q): schema %q", data, tr.Schema)
		}
		var buf bytes.Buffer
		if err := tr.Encode(&buf); err != nil {
			t.Fatalf("Encode(DecodeTruth(%q)): %v", data, err)
		}
		back, err := DecodeTruth(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("DecodeTruth(%q) written back does not read: %v\n%s", data, err, buf.Bytes())
		}
		if !reflect.DeepEqual(emptyLists(back), emptyLists(tr)) {
			t.Errorf("DecodeTruth(%q) = %+v; written back it reads %+v", data, tr, back)
		}
	})
}

// emptyLists returns t with its absent lists empty: Encode writes a nil
// list as [] and leaves out empty pairs.
func emptyLists(t *Truth) *Truth {
	c := *t
	if c.Documents == nil {
		c.Documents = []TruthDoc{}
	}
	if c.Cases == nil {
		c.Cases = []Case{}
	}
	if c.Groups == nil {
		c.Groups = [][]string{}
	}
	if c.Pairs == nil {
		c.Pairs = [][2]string{}
	}
	return &c
}

// simTextFuzzCorpus writes a small corpus for FuzzReadSimText and returns
// its absolute path and its texts by id: line breaks LF and CRLF, a last
// line without a break, empty lines, an empty file and multi-byte UTF-8.
func simTextFuzzCorpus(f *testing.F) (string, map[string]string) {
	dir, err := filepath.Abs(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	texts := map[string]string{
		"src/1.txt": "Ferry notes\n\nThe ferry to Tromsø leaves at seven from the southern quay on weekdays.\nTickets are sold on board and at the kiosk.\nLast line without a break",
		"sus/2.txt": "Local news.\r\nThe ferry to Tromsø leaves at seven from the southern quay on weekdays.\r\nTickets are sold on board and at the kiosk, the operator said.\r\n",
		"sus/3.txt": "",
		"sus/4.txt": "\n\n\n",
	}
	testfs.Write(f, dir, texts)
	return dir, texts
}

// FuzzReadSimText: sim_text's output is read or refused, never a panic.
// A result read lists each named file once with its length, pairs of two
// different documents in order, and passages whose offsets lie inside
// both texts and run from a line's start to its end, as ReadSimText
// promises; an error names a line that holds a run. Inputs naming files
// outside the corpus are skipped (the fuzzer must not read the machine's
// files); "@CORPUS@" in an input stands for the corpus's absolute path,
// as sim_text writes names it was given as absolute paths.
func FuzzReadSimText(f *testing.F) {
	dir, texts := simTextFuzzCorpus(f)
	for _, s := range []string{
		"Total input: 4 files (4 new, 0 old), 61 words\n\n" +
			"./src/1.txt: line 3-4                  |sus/2.txt: line 2-3                [23]\n\n" +
			"sus/2.txt: line 2-2                    |sus/2.txt: line 3-3                [9]\n\n" +
			"sus/2.txt: line 3-3                    |./src/1.txt: line 4-5              [9]\n",
		"src/1.txt: line 3-3 |sus/2.txt: line 2-2 [14]\nThe ferry to Tromsø leaves at seven\n" +
			"from the southern quay on weekdays.\n--------------------------------------\n",
		"@CORPUS@/src/1.txt: line 3-4 |@CORPUS@/sus/2.txt: line 2-3 [23]\n",
		"src/1.txt: line 1-1 |sus/4.txt: line 1-3 [0]\n",
		"src/1.txt: line 5-6 |sus/2.txt: line 2-3 [23]\n", // beyond the text
		"src/1.txt: line 2-1 |sus/2.txt: line 2-3 [23]\n",
		"src/1.txt: line 1-1 |sus/3.txt: line 1-1 [1]\n", // an empty file has no lines
		"src/1.txt: line 1-1 |sus/9.txt: line 1-1 [1]\n", // no such file
		"Total input: 0 files (0 new, 0 old), 0 words\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		data = strings.ReplaceAll(data, "@CORPUS@", dir)
		for line := range strings.SplitSeq(data, "\n") {
			m := simTextRun.FindStringSubmatch(strings.TrimSuffix(line, "\r"))
			if m != nil && (outside(dir, m[1]) || outside(dir, m[4])) {
				return
			}
		}
		res, err := ReadSimText(strings.NewReader(data), dir)
		if err != nil {
			// "line n: ...", and line n is a run.
			lines := strings.Split(data, "\n")
			num, _, _ := strings.Cut(strings.TrimPrefix(err.Error(), "line "), ":")
			n, nerr := strconv.Atoi(num)
			if !strings.HasPrefix(err.Error(), "line ") || nerr != nil || n < 1 || n > len(lines) ||
				simTextRun.FindStringSubmatch(strings.TrimSuffix(lines[n-1], "\r")) == nil {
				t.Errorf("ReadSimText(%q) error %q does not name a line of a run", data, err)
			}
			return
		}
		checkSimTextResult(t, data, res, texts)
		again, err := ReadSimText(strings.NewReader(data), dir)
		if err != nil || !reflect.DeepEqual(again, res) {
			t.Errorf("ReadSimText(%q) read twice differs: %+v, %v; then %+v", data, res, err, again)
		}
	})
}

// outside reports whether name, as ReadSimText resolves it, lies outside
// the corpus dir.
func outside(dir, name string) bool {
	p := name
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, name)
	}
	rel, err := filepath.Rel(dir, p)
	return err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// checkSimTextResult checks what ReadSimText promises of res.
func checkSimTextResult(t *testing.T, data string, res *result.Result, texts map[string]string) {
	t.Helper()
	if res.Schema != result.Schema || res.Stats.Documents != len(res.Documents) || res.Stats.Pairs != len(res.Pairs) {
		t.Errorf("ReadSimText(%q): schema %q, stats %+v for %d documents and %d pairs",
			data, res.Schema, res.Stats, len(res.Documents), len(res.Pairs))
	}
	bytesOf := map[string]int{}
	for i, d := range res.Documents {
		text, ok := texts[d.ID]
		if !ok || d.Bytes != len(text) || i > 0 && res.Documents[i-1].ID >= d.ID {
			t.Errorf("ReadSimText(%q): document %d %+v: not a file of the corpus, of another length or out of order", data, i, d)
		}
		bytesOf[d.ID] = d.Bytes
	}
	passages := 0
	for i, p := range res.Pairs {
		_, okA := bytesOf[p.A]
		_, okB := bytesOf[p.B]
		if !okA || !okB || p.A >= p.B || i > 0 && (res.Pairs[i-1].A > p.A || res.Pairs[i-1].A == p.A && res.Pairs[i-1].B >= p.B) {
			t.Errorf("ReadSimText(%q): pair %d %s, %s: documents not listed, not in order, or pairs out of order", data, i, p.A, p.B)
			continue
		}
		words := 0
		for j, q := range p.Passages {
			passages++
			words += q.Words
			if !lineSpan(texts[p.A], q.AStart, q.AEnd) || !lineSpan(texts[p.B], q.BStart, q.BEnd) ||
				q.Similarity != 1 || q.Words < 0 ||
				j > 0 && p.Passages[j-1].AStart > q.AStart {
				t.Errorf("ReadSimText(%q): pair %s, %s passage %d %+v: not whole lines of both texts, or out of order",
					data, p.A, p.B, j, q)
			}
		}
		if p.SharedWords != words {
			t.Errorf("ReadSimText(%q): pair %s, %s shares %d words, its passages %d", data, p.A, p.B, p.SharedWords, words)
		}
	}
	if res.Stats.Passages != passages {
		t.Errorf("ReadSimText(%q): stats count %d passages, pairs hold %d", data, res.Stats.Passages, passages)
	}
}

// lineSpan reports whether [start, end) of text runs from the start of a
// line to the end of a line, before its line break.
func lineSpan(text string, start, end int) bool {
	return 0 <= start && start <= end && end <= len(text) &&
		(start == 0 || text[start-1] == '\n') && (end == len(text) || text[end] == '\n')
}

// FuzzReadPANTruth: a PAN XML file is read, or refused with ErrPANFormat
// (or ErrPANText for a reference to a text that does not exist), never a
// panic. The truth read lists texts with their lengths, and its cases'
// byte ranges lie inside their texts and start and end on a character,
// as charsToBytes counts them (an invalid byte is one), so that slicing
// a text by a case never cuts a character. The texts (s.txt, r.txt and
// bad.txt, which is not UTF-8) hold multi-byte characters, so that byte
// and character offsets differ.
func FuzzReadPANTruth(f *testing.F) {
	texts := map[string]string{
		"s.txt":   "Die Fähre über den Fjord 🚢 fährt um sieben; Größe und Straße.\n",
		"r.txt":   "The ferry over the fjord 🚢 leaves at seven — weather permitting.\n",
		"bad.txt": "Latin-1 caf\xe9 and a stray \x80 byte, then UTF-8 café.\n",
	}
	textDir := f.TempDir()
	for name, text := range texts {
		if err := os.WriteFile(filepath.Join(textDir, name), []byte(text), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	feature := func(attrs string) string {
		return `<feature name="plagiarism" type="artificial" ` + attrs + "/>"
	}
	for _, s := range []string{
		`<?xml version="1.0" encoding="UTF-8"?>
<document reference="s.txt">
  <feature name="about" author="Anonymous" title="Fähren"/>
  ` + feature(`obfuscation="none" this_offset="4" this_length="20" source_reference="r.txt" source_offset="4" source_length="22"`) + `
  ` + feature(`this_offset="25" this_length="1" source_reference="r.txt" source_offset="25" source_length="1"`) + `
</document>`,
		`<document reference="r.txt">` + feature(`obfuscation="random" this_offset=" 0 " this_length="64" source_reference="bad.txt" source_offset="11" source_length="18"`) + `</document>`,
		`<document reference="bad.txt"><feature name="artificial-plagiarism" this_offset="0" this_length="49" source_reference="s.txt" source_offset="61" source_length="0"/></document>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><document reference="s.txt"/>`,
		`<?xml version="1.0" encoding="us-ascii"?><document reference="s.txt"><feature name="detected-plagiarism" this_offset="x"/></document>`,
		`<document reference="s.txt">` + feature(`this_offset="60" this_length="9" source_reference="r.txt" source_offset="0" source_length="1"`) + `</document>`,
		`<document reference="s.txt">` + feature(`this_offset="-1" this_length="9" source_reference="r.txt" source_offset="0" source_length="1"`) + `</document>`,
		`<document reference="s.txt">` + feature(`this_offset="0" this_length="9" source_offset="0" source_length="1"`) + `</document>`,
		`<document reference="q.txt"></document>`,
		`<document><feature name="about"/></document>`,
		`<document reference="s.txt"><feature`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		xmlDir := t.TempDir()
		if err := os.WriteFile(filepath.Join(xmlDir, "s.xml"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		tr, err := ReadPANTruth(xmlDir, textDir)
		if err != nil {
			if !errors.Is(err, ErrPANFormat) && !errors.Is(err, ErrPANText) {
				t.Fatalf("ReadPANTruth(%q) = %v, want ErrPANFormat or ErrPANText", data, err)
			}
			return
		}
		if tr.Schema != TruthSchema || len(tr.Documents) == 0 {
			t.Errorf("ReadPANTruth(%q): schema %q, %d documents", data, tr.Schema, len(tr.Documents))
		}
		for _, d := range tr.Documents {
			if text, ok := texts[d.ID]; !ok || d.Bytes != len(text) {
				t.Errorf("ReadPANTruth(%q): document %+v is not a text or not its length", data, d)
			}
		}
		for _, c := range tr.Cases {
			if c.Class == "" || !charRange(texts[c.Source], c.SourceStart, c.SourceEnd) ||
				!charRange(texts[c.Target], c.TargetStart, c.TargetEnd) {
				t.Errorf("ReadPANTruth(%q): case %+v: no class, or a range not on characters of its texts", data, c)
			}
		}
	})
}

// charRange reports whether [start, end) lies in text and its ends are on
// characters, counted as charsToBytes counts them.
func charRange(text string, start, end int) bool {
	if start < 0 || start > end || end > len(text) {
		return false
	}
	onChar := func(off int) bool {
		b := 0
		for b < off {
			_, size := utf8.DecodeRuneInString(text[b:])
			b += size
		}
		return b == off
	}
	return onChar(start) && onChar(end)
}
