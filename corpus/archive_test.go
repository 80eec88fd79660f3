package corpus

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

// zipOf returns a zip archive of the members given as name, content pairs;
// a name ending in "/" is a folder.
func zipOf(t testing.TB, nameContent ...string) string {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for i := 0; i < len(nameContent); i += 2 {
		f, err := w.Create(nameContent[i])
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(nameContent[i+1]))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// tarOf returns a tar archive of the members given as name, content pairs;
// a name ending in "/" is a folder, "name -> target" a symlink.
func tarOf(t testing.TB, nameContent ...string) string {
	t.Helper()
	var b bytes.Buffer
	w := tar.NewWriter(&b)
	for i := 0; i < len(nameContent); i += 2 {
		name, content := nameContent[i], nameContent[i+1]
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(content)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(name, "/") {
			hdr.Typeflag, hdr.Size, hdr.Mode = tar.TypeDir, 0, 0o755
		} else if n, target, ok := strings.Cut(name, " -> "); ok {
			hdr.Name, hdr.Linkname, hdr.Typeflag, hdr.Size = n, target, tar.TypeSymlink, 0
		}
		if err := w.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if hdr.Typeflag == tar.TypeReg {
			w.Write([]byte(content))
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// members are the contents of the archives of TestReadArchive.
var members = []string{
	"docs/", "",
	"docs/a.txt", "date: 2020-05-23\nplain member",
	"docs/b.HTML", "<title>B</title><p>html member",
	"docs/c.jsonl", "{\"id\": \"c1\", \"text\": \"first\"}\n{\"text\": \"second\", \"date\": \"2021-01-02\"}\n",
	"docs/d.txt.gz", "", // gzipped below
	".hidden.txt", "hidden member",
	"docs/.git/config", "hidden folder",
	"../../escape.txt", "climbs out",
	"/abs/path.txt", "absolute",
	"nested.zip", "PK not read",
	"bin.txt", "\x00\x01\x02",
	"bad.jsonl", "{\"text\": \"ok\"}\nnot json\n",
}

func TestReadArchive(t *testing.T) {
	m := slices.Clone(members)
	m[9] = gz(t, "gzipped member")
	wantIDs := []string{
		"ARC/docs/a.txt", "ARC/docs/b.HTML", "c1", "ARC/docs/c.jsonl#2", "ARC/docs/d.txt.gz",
		"ARC/escape.txt", "ARC/abs/path.txt", "ARC/bad.jsonl#1",
	}
	wantTexts := []string{
		"date: 2020-05-23\nplain member", "B\n\nhtml member", "first", "second", "gzipped member",
		"climbs out", "absolute", "ok",
	}
	wantDates := []string{"2020-05-23", "", "", "2021-01-02", "", "", "", ""}
	wantWarns := []string{
		"ARC/nested.zip: nested archive, skipped",
		"ARC/bin.txt: binary file, skipped (reuse reads plain text, HTML and JSONL)",
		"ARC/bad.jsonl:2: bad record: not a JSON object",
	}
	archives := map[string]string{
		"a.zip":     zipOf(t, m...),
		"a.tar":     tarOf(t, append(m, "link.txt -> docs/a.txt", "")...),
		"a.tar.gz":  gz(t, tarOf(t, m...)),
		"a.tgz":     gz(t, tarOf(t, m...)),
		"a.tar.zst": zst(t, tarOf(t, m...)),
		"a.tar.xz":  xzOf(t, tarOf(t, m...)),
		"a.txz":     xzOf(t, tarOf(t, m...)),
		"a.zip.gz":  gz(t, zipOf(t, m...)),
	}
	if b, ok := bz2(t, tarOf(t, m...)); ok {
		archives["a.tar.bz2"], archives["a.tbz2"] = b, b
	}
	for name, content := range archives {
		docs, warns, err := readFile(t, name, content, nil)
		if err != nil {
			t.Errorf("Read(%s) = %v", name, err)
			continue
		}
		var ids, texts, dates, msgs []string
		for _, d := range docs {
			ids = append(ids, strings.Replace(d.ID, name, "ARC", 1))
			texts = append(texts, string(d.Text))
			dates = append(dates, d.Date)
			if d.Plain || !strings.HasSuffix(d.Path, name) {
				t.Errorf("Read(%s): %s: Plain %v, Path %q; want false, the archive's path", name, d.ID, d.Plain, d.Path)
			}
		}
		for _, w := range warns {
			var e *Error
			if !errors.As(w, &e) || !strings.Contains(e.Path, name+"/") {
				t.Errorf("Read(%s): warning %v is not an *Error naming the member", name, w)
			}
			msgs = append(msgs, w.Error()[strings.Index(w.Error(), name):])
			msgs[len(msgs)-1] = strings.Replace(msgs[len(msgs)-1], name, "ARC", 1)
		}
		if !slices.Equal(ids, wantIDs) || !slices.Equal(texts, wantTexts) || !slices.Equal(dates, wantDates) {
			t.Errorf("Read(%s) =\n%q\n%q\n%q\nwant\n%q\n%q\n%q", name, ids, texts, dates, wantIDs, wantTexts, wantDates)
		}
		if !slices.Equal(msgs, wantWarns) {
			t.Errorf("Read(%s) warnings =\n%q\nwant\n%q", name, msgs, wantWarns)
		}
	}
}

func TestReadArchiveErrors(t *testing.T) {
	big := strings.Repeat("x", 200)
	tests := []struct {
		name, content string
		err           string // returned, "" for none
		warn          string // warned
		docs          int
	}{
		{"notzip.zip", "just text", "notzip.zip: corrupt input: zip: not a valid zip file", "", 0},
		{"nottar.tar", strings.Repeat("just text ", 100), "nottar.tar: corrupt input: archive/tar: invalid tar header", "", 0},
		{"cut.tar", tarOf(t, "a.txt", "first", "b.txt", big[:90])[:1580], "cut.tar: corrupt input: ", "cut.tar/b.txt: corrupt input: ", 1},
		{"big.zip", zipOf(t, "a.txt", "small", "b.txt", big, "c.txt", "after"), "", "big.zip/b.txt: size exceeds 100 bytes", 2},
		{"big.tar", tarOf(t, "a.txt", "small", "b.txt", big, "c.txt", "after"), "", "big.tar/b.txt: size exceeds 100 bytes", 2},
		{"bomb.zip", zipOf(t, "a.txt.gz", gz(t, big), "c.txt", "after"), "", "bomb.zip/a.txt.gz: expanded size exceeds 100 bytes", 1},
		{"empty.zip", zipOf(t), "", "", 0},
		{"empty.tar", tarOf(t), "", "", 0},
	}
	for _, tt := range tests {
		docs, warns, err := readFile(t, tt.name, tt.content, &Options{MaxBytes: 100})
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("Read(%s) = %v, want %q", tt.name, err, tt.err)
		}
		if tt.warn == "" && len(warns) > 0 || tt.warn != "" && (len(warns) != 1 || !strings.Contains(warns[0].Error(), tt.warn)) {
			t.Errorf("Read(%s) warnings = %q, want %q", tt.name, warns, tt.warn)
		}
		if len(docs) != tt.docs {
			t.Errorf("Read(%s) = %d docs, want %d", tt.name, len(docs), tt.docs)
		}
	}
}

func TestMemberName(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"a.txt", "a.txt", true},
		{"./a/b.txt", "a/b.txt", true},
		{"../../etc/passwd", "etc/passwd", true},
		{"/abs/x.txt", "abs/x.txt", true},
		{`win\dir\x.txt`, "win/dir/x.txt", true},
		{"a/../../b.txt", "b.txt", true},
		{".hidden", "", false},
		{"dir/.hidden/x.txt", "", false},
		{"__MACOSX/._a.txt", "", false},
		{"", "", false},
		{"/", "", false},
		{"..", "", false},
	}
	for _, tt := range tests {
		if got, ok := memberName(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("memberName(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
