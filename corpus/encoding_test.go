package corpus

import (
	"errors"
	"strings"
	"testing"
)

// TestReadEncoding: text that is not UTF-8 is decoded, by Options.Encoding
// or by guess (windows-1252), and a guess is reported as a notice naming
// the file; UTF-8, even with a damaged byte, stays as it is.
func TestReadEncoding(t *testing.T) {
	const french = "Le caf\xe9 cr\xe8me co\xfbte deux \x80 \xe0 la gare." // windows-1252
	const frenchUTF8 = "Le café crème coûte deux € à la gare."
	tests := []struct {
		name, content string
		encoding      string
		text          string // the document's text
		notice        string // in the notice's message; "" for no notice
	}{
		{"latin1.txt", french, "", frenchUTF8, "read as windows-1252"},
		{"quotes.txt", "\x93Yes,\x94 she said \x96 twice.", "", "“Yes,” she said – twice.", "read as windows-1252"},
		{"latin1.txt.gz", gz(t, french), "", frenchUTF8, "read as windows-1252"},
		{"named.txt", french, "windows-1252", frenchUTF8, ""},
		{"latin1-label.txt", "caf\xe9", "Latin1", "café", ""},
		{"polish.txt", "Za\xbf\xf3\xb3\xe6 g\xea\xb6l\xb1 ja\xbc\xf1", "iso-8859-2", "Zażółć gęślą jaźń", ""},
		{"keep.txt", "caf\xe9", "utf-8", "caf\xe9", ""},
		{"utf8.txt", frenchUTF8, "", frenchUTF8, ""},
		{"utf8-named.txt", frenchUTF8, "iso-8859-2", frenchUTF8, ""}, // valid UTF-8 is never re-decoded
		{"damaged.txt", "café crème \xff brûlée", "", "café crème \xff brûlée", ""},
		{"cyrillic.txt", "\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0", "", "Ïðèâåò, ìèð", "non-Latin script"},
		{"cyrillic-named.txt", "\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0", "windows-1251", "Привет, мир", ""},
		{"page.html", "<p>Le caf\xe9 cr\xe8me</p>", "", "Le café crème", "read as windows-1252"},
		{"declared.html", "<meta charset=\"iso-8859-2\"><p>g\xea\xb6l\xb1", "", "gęślą", ""},
	}
	for _, tt := range tests {
		docs, warns, err := readFile(t, tt.name, tt.content, &Options{Encoding: tt.encoding})
		if err != nil || len(docs) != 1 {
			t.Errorf("Read(%s, --encoding %q) = %d docs, %v; want 1", tt.name, tt.encoding, len(docs), err)
			continue
		}
		if got := string(docs[0].Text); got != tt.text {
			t.Errorf("Read(%s, --encoding %q) text = %q, want %q", tt.name, tt.encoding, got, tt.text)
		}
		if docs[0].Plain && string(docs[0].Text) != tt.content {
			t.Errorf("Read(%s): decoded text marked Plain", tt.name)
		}
		switch {
		case tt.notice == "" && len(warns) > 0:
			t.Errorf("Read(%s, --encoding %q) warned %v, want nothing", tt.name, tt.encoding, warns)
		case tt.notice != "":
			if len(warns) != 1 || !errors.Is(warns[0], ErrEncodingGuessed) || !IsNotice(warns[0]) ||
				!strings.Contains(warns[0].Error(), tt.notice) || !strings.Contains(warns[0].Error(), tt.name+": ") {
				t.Errorf("Read(%s) warned %v, want one notice naming the file and %q", tt.name, warns, tt.notice)
			}
		}
	}
}

// TestReadEncodingJSONL: a JSONL record that is not UTF-8 is decoded before
// its JSON is read, and the guess is reported once, at its line.
func TestReadEncodingJSONL(t *testing.T) {
	data := "{\"id\": \"a\", \"text\": \"plain\"}\n{\"id\": \"b\", \"text\": \"caf\xe9\"}\n{\"id\": \"c\", \"text\": \"cr\xe8me\"}\n"
	docs, warns, err := readFile(t, "recs.jsonl", data, nil)
	if err != nil || len(docs) != 3 {
		t.Fatalf("Read(recs.jsonl) = %d docs, %v", len(docs), err)
	}
	if string(docs[1].Text) != "café" || string(docs[2].Text) != "crème" {
		t.Errorf("records read as %q, %q; want café, crème", docs[1].Text, docs[2].Text)
	}
	if len(warns) != 1 || !strings.Contains(warns[0].Error(), "recs.jsonl:2: not UTF-8") || !IsNotice(warns[0]) {
		t.Errorf("warnings %v, want one notice at line 2", warns)
	}
	for i, d := range docs {
		if d.Line != i+1 {
			t.Errorf("record %d: Line %d, want %d", i, d.Line, i+1)
		}
	}
}

func TestLookupEncoding(t *testing.T) {
	for _, label := range []string{"latin1", "ISO-8859-1", "windows-1252", "cp1252", "iso-8859-2", "windows-1251", "koi8-r", "shift_jis", "gbk"} {
		if e, err := LookupEncoding(label); err != nil || e == nil {
			t.Errorf("LookupEncoding(%q) = %v, %v; want an encoding", label, e, err)
		}
	}
	for _, label := range []string{"utf-8", "UTF8", ""} {
		if e, err := LookupEncoding(label); err != nil || e != nil {
			t.Errorf("LookupEncoding(%q) = %v, %v; want nil, nil (keep UTF-8)", label, e, err)
		}
	}
	if _, err := LookupEncoding("klingon"); !errors.Is(err, ErrEncoding) || !strings.Contains(err.Error(), `"klingon"`) {
		t.Errorf("LookupEncoding(klingon) = %v, want ErrEncoding naming it", err)
	}
}

// TestBinaryKinds: a binary input's warning says what it is and how to
// get its text, where the kind is known.
func TestBinaryKinds(t *testing.T) {
	tests := []struct{ name, content, want string }{
		{"paper.pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", "a PDF document; extract its text first, e.g. pdftotext"},
		{"letter.docx", "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "a Word document (.docx); convert it to text first"},
		{"letter.odt", "PK\x03\x04\x14\x00\x00\x08\x00\x00", "an OpenDocument text (.odt)"},
		{"old.doc", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an old Office document"},
		{"scan.jpg", "\xff\xd8\xff\xe0\x00\x10JFIF\x00", "an image"},
		{"data.bin", "\x00\x01\x02\x03", "binary file, skipped (reuse reads plain text, HTML and JSONL)"},
	}
	for _, tt := range tests {
		_, _, err := readFile(t, tt.name, tt.content, nil)
		if !errors.Is(err, ErrBinary) || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "corpus:") {
			t.Errorf("Read(%s) = %v, want ErrBinary saying %q (and no package name)", tt.name, err, tt.want)
		}
	}
}

// TestFormatKinds: a text file in a document format whose words are its
// markup is skipped with a warning saying how to get its text; text that
// merely mentions such a format is read.
func TestFormatKinds(t *testing.T) {
	tests := []struct{ name, content, want string }{
		{"manual.ps", "%!PS-Adobe-2.0\n%%Creator: dvips(k) 5.998\n/TeXDict 300 dict def\n", "a PostScript document, skipped: extract its text first, e.g. ps2ascii"},
		{"figure.eps", "%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n", "a PostScript document"},
		{"plain.ps", "%!PS\n/Times-Roman findfont 12 scalefont setfont\n", "a PostScript document"},
		{"letter.rtf", `{\rtf1\ansi\deff0 {\fonttbl {\f0 Times;}}\f0 Dear reader,\par}`, "an RTF document, skipped: convert it to text first"},
		{"notes.txt", "%!PS is how a PostScript file starts.\n", ""},
		{"page.txt", "The format {\\rtf1} opens an RTF file.\n", ""},
	}
	for _, tt := range tests {
		docs, _, err := readFile(t, tt.name, tt.content, nil)
		if tt.want == "" {
			if err != nil || len(docs) != 1 {
				t.Errorf("Read(%s) = %d documents, %v; want it read", tt.name, len(docs), err)
			}
			continue
		}
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "corpus:") {
			t.Errorf("Read(%s) = %v, want ErrFormat saying %q (and no package name)", tt.name, err, tt.want)
		}
	}
}
