package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"

	"github.com/reuse-tool/reuse/internal/testfs"
)

// compressed returns data written through the compressing writer that
// newWriter makes.
func compressed[W io.WriteCloser](t testing.TB, data string, newWriter func(io.Writer) (W, error)) string {
	t.Helper()
	var b bytes.Buffer
	w, err := newWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(data))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func gz(t testing.TB, data string) string {
	t.Helper()
	return compressed(t, data, func(w io.Writer) (*gzip.Writer, error) { return gzip.NewWriter(w), nil })
}

func zst(t testing.TB, data string) string {
	t.Helper()
	return compressed(t, data, func(w io.Writer) (*zstd.Encoder, error) { return zstd.NewWriter(w) })
}

func xzOf(t testing.TB, data string) string {
	t.Helper()
	return compressed(t, data, xz.NewWriter)
}

// bz2 compresses data with the bzip2 command (Go has no bzip2 writer),
// and reports false when the machine has none.
func bz2(t testing.TB, data string) (string, bool) {
	t.Helper()
	if _, err := exec.LookPath("bzip2"); err != nil {
		t.Logf("no bzip2 command: bzip2 cases not run")
		return "", false
	}
	cmd := exec.Command("bzip2", "-c")
	cmd.Stdin = strings.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out), true
}

// readFile writes content to a file named name in a temporary folder and
// reads it as Walk would find it.
func readFile(t *testing.T, name, content string, opts *Options) ([]Doc, []error, error) {
	t.Helper()
	dir := t.TempDir()
	testfs.Write(t, dir, map[string]string{name: content})
	srcs, warns := walk(t, []string{dir}, opts)
	if len(srcs) != 1 || len(warns) > 0 {
		t.Fatalf("Walk(%s) = %v, %v; want one source", name, srcs, warns)
	}
	return read(srcs[0], opts)
}

func read(src Source, opts *Options) ([]Doc, []error, error) {
	var docs []Doc
	var warns []error
	err := Read(context.Background(), src, opts, func(d Doc) error {
		docs = append(docs, d)
		return nil
	}, func(err error) { warns = append(warns, err) })
	return docs, warns, err
}

func TestReadText(t *testing.T) {
	tests := []struct {
		name, content string
		text          string
		plain         bool
		date          string
	}{
		{"a.txt", "Hello, world.\n", "Hello, world.\n", true, ""},
		{"crlf.txt", "line one\r\nline two\r\n", "line one\r\nline two\r\n", true, ""},
		{"bom.md", "\ufeffwith a BOM", "\ufeffwith a BOM", true, ""},
		{"damaged.txt", "café cr\xe8me brûlée", "café cr\xe8me brûlée", true, ""}, // UTF-8 with one bad byte stays as it is
		{"empty.txt", "", "", true, ""},
		{"noext", "no extension", "no extension", true, ""},
		{"data.csv", "a,b\n1,2\n", "a,b\n1,2\n", true, ""},
		{"ansi.log", "\x1b[1mbold\x1b[0m\ttab\fpage", "\x1b[1mbold\x1b[0m\ttab\fpage", true, ""},
		{"dated.txt", " date 2020-05-23 President said...", " date 2020-05-23 President said...", true, "2020-05-23"},
		{"a.txt.gz", gz(t, "zipped text"), "zipped text", false, ""},
		{"multi.txt.gz", gz(t, "two ") + gz(t, "members"), "two members", false, ""},
		{"padded.txt.gz", gz(t, "padded") + "\x00\x00\x00\x00", "padded", false, ""},
		{"a.md.zst", zst(t, "Date: May 23, 2020\nzstd text"), "Date: May 23, 2020\nzstd text", false, "2020-05-23"},
		{"a.txt.xz", xzOf(t, "xz text"), "xz text", false, ""},
		{"two.txt.xz", xzOf(t, "two ") + xzOf(t, "streams"), "two streams", false, ""},
		{"le.txt", "\xff\xfeh\x00i\x00 \x00\xe9\x00", "hi é", false, ""},
		{"be.txt", "\xfe\xff\x00h\x00i\x00 \x00\xe9", "hi é", false, ""},
		{"le.html", "\xff\xfe<\x00p\x00>\x00h\x00i\x00", "hi", false, ""},
		{"a.html", "<title>T</title><p>Body</p>", "T\n\nBody", false, ""},
		{"a.htm.gz", gz(t, "<p>one<p>two"), "one\n\ntwo", false, ""},
	}
	if b, ok := bz2(t, "bzip2 text"); ok {
		tests = append(tests, struct {
			name, content string
			text          string
			plain         bool
			date          string
		}{"a.rst.bz2", b, "bzip2 text", false, ""})
	}
	for _, tt := range tests {
		docs, warns, err := readFile(t, tt.name, tt.content, nil)
		if err != nil || len(warns) > 0 || len(docs) != 1 {
			t.Errorf("Read(%s) = %d docs, %v, %v; want 1 doc", tt.name, len(docs), warns, err)
			continue
		}
		d := docs[0]
		if string(d.Text) != tt.text || d.Plain != tt.plain || d.Date != tt.date || d.ID != tt.name {
			t.Errorf("Read(%s) = %q (id %q, plain %v, date %q), want %q (plain %v, date %q)",
				tt.name, d.Text, d.ID, d.Plain, d.Date, tt.text, tt.plain, tt.date)
		}
		if d.Plain {
			if disk, _ := os.ReadFile(d.Path); !bytes.Equal(disk, d.Text) {
				t.Errorf("Read(%s).Plain, but the file holds %q, not %q", tt.name, disk, d.Text)
			}
		}
	}
}

func TestReadErrors(t *testing.T) {
	big := strings.Repeat("all work and no play ", 10)
	tests := []struct {
		name, content string
		max           int64
		is            error
		msg           string
	}{
		{"nul.txt", "text\x00with a NUL", 0, ErrBinary, "binary file, skipped"},
		{"ctrl.txt", strings.Repeat("ab\x01\x02\x03", 20), 0, ErrBinary, "binary file, skipped"},
		{"nul.html", "<p>\x00\x00\x00", 0, ErrBinary, "binary file, skipped"},
		{"nul.jsonl", "{\"text\": \"a\"}\n\x00\x01", 0, ErrBinary, "binary file, skipped"},
		{"img.gz", gz(t, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0, ErrBinary, "binary file, skipped"},
		{"fake.txt.gz", "I am not gzip", 0, ErrCorrupt, "corrupt input: not gzip data"},
		{"fake.txt.zst", gz(t, "gzip, not zstd"), 0, ErrCorrupt, "corrupt input: not zstd data"},
		{"cut.txt.gz", gz(t, big)[:20], 0, ErrCorrupt, "corrupt input: gzip: unexpected EOF"},
		{"cut.txt.zst", zst(t, big)[:20], 0, ErrCorrupt, "corrupt input: zstd: "},
		{"cut2.txt.gz", gz(t, "one") + gz(t, "two")[:5], 0, ErrCorrupt, "corrupt input: gzip: unexpected EOF"},
		{"crc.txt.gz", gz(t, big)[:len(gz(t, big))-8] + "\x00\x00\x00\x00\x00\x00\x00\x00", 0, ErrCorrupt, "gzip: invalid checksum"},
		{"big.txt", big, 100, ErrTooLarge, "size exceeds 100 bytes (raise --max-bytes)"},
		{"big.html", big, 100, ErrTooLarge, "size exceeds 100 bytes (raise --max-bytes)"},
		{"cut.tar.gz", gz(t, tarOf(t, "a.txt", big))[:40], 0, ErrCorrupt, "corrupt input: gzip: unexpected EOF"},
		{"bomb.txt.gz", gz(t, big), 100, ErrTooLarge, "expanded size exceeds 100 bytes (raise --max-bytes)"},
		{"bomb.txt.zst", zst(t, big), 100, ErrTooLarge, "expanded size exceeds 100 bytes (raise --max-bytes)"},
		{"fake.txt.xz", gz(t, "gzip, not xz"), 0, ErrCorrupt, "corrupt input: not xz data"},
		{"cut.txt.xz", xzOf(t, big)[:30], 0, ErrCorrupt, "corrupt input: xz: "},
		{"bomb.txt.xz", xzOf(t, big), 100, ErrTooLarge, "expanded size exceeds 100 bytes (raise --max-bytes)"},
		{"fake.txt.bz2", "BZ not bzip2", 0, ErrCorrupt, "corrupt input: not bzip2 data"},
		{"bomb.zip.gz", gz(t, zipOf(t, "a.txt", big)), 100, ErrTooLarge, "expanded size exceeds 100 bytes"},
	}
	if b, ok := bz2(t, big); ok {
		type row = struct {
			name, content string
			max           int64
			is            error
			msg           string
		}
		tests = append(tests,
			row{"cut.txt.bz2", b[:len(b)/2], 0, ErrCorrupt, "corrupt input: bzip2: "},
			row{"bomb.txt.bz2", b, 100, ErrTooLarge, "expanded size exceeds 100 bytes (raise --max-bytes)"})
	}
	for _, tt := range tests {
		docs, warns, err := readFile(t, tt.name, tt.content, &Options{MaxBytes: tt.max})
		var e *Error
		if !errors.Is(err, tt.is) || !errors.As(err, &e) || !strings.HasSuffix(e.Path, tt.name) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("Read(%s) = %v, want *Error naming the file, %v, containing %q", tt.name, err, tt.is, tt.msg)
		}
		if tt.is != ErrTooLarge && (len(docs) > 0 || len(warns) > 0) {
			t.Errorf("Read(%s) = %d docs, warnings %v; want none", tt.name, len(docs), warns)
		}
	}

	// Exactly MaxBytes is fine, plain or compressed.
	for _, name := range []string{"max.txt", "max.txt.gz"} {
		content := big[:100]
		if strings.HasSuffix(name, ".gz") {
			content = gz(t, content)
		}
		if docs, _, err := readFile(t, name, content, &Options{MaxBytes: 100}); err != nil || len(docs) != 1 || len(docs[0].Text) != 100 {
			t.Errorf("Read(%s, MaxBytes 100) = %d docs, %v; want 1 doc of 100 bytes", name, len(docs), err)
		}
	}

	// Missing files are *Error too.
	_, _, err := read(Source{Path: "no/such.txt", ID: "such.txt"}, nil)
	var e *Error
	if !errors.As(err, &e) || e.Path != "no/such.txt" || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Read(missing) = %v, want *Error naming it, os.ErrNotExist", err)
	}
}

func TestIsBinary(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", false},
		{"plain text\n", false},
		{"tabs\tand\r\nCRLF\fform feed\vvertical tab", false},
		{"\x1b[31mred\x1b[0m", false},
		{"\xff\xfe\xfd invalid UTF-8", false},
		{"x\x00", true},
		{"\xff" + strings.Repeat("a", 95) + "\x01\x02\x03\x04\x05", false}, // 5%, not UTF-8
		{"\xff" + strings.Repeat("a", 94) + "\x01\x02\x03\x04\x05\x06", true},
		{"\xff\x00" + strings.Repeat("a", 100), true},                                             // NUL, not UTF-8
		{strings.Repeat("a", 94) + "\x01\x02\x03\x04\x05\x06", false},                             // UTF-8: 6%
		{strings.Repeat("text ", 40) + "\x00 from a broken conversion, d\u00e9j\u00e0 vu", false}, // UTF-8: one NUL in 240 bytes
		{strings.Repeat("text ", 10) + "\x00\x00", true},                                          // UTF-8: NULs in 4%
		{strings.Repeat("a", 75) + strings.Repeat("\x02", 25), false},                             // UTF-8: 25%
		{strings.Repeat("a", 74) + strings.Repeat("\x02", 26), true},
		{strings.Repeat("a", 8191) + "\u00e9", false}, // a rune cut by the sniff
		{strings.Repeat("a", 9000) + "\x00", false},   // past the first 8 KiB
		{"\x7f\x7f\x7fabc", true},
	}
	for _, tt := range tests {
		if got := isBinary([]byte(tt.in)); got != tt.want {
			t.Errorf("isBinary(%.20q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestReadStdin(t *testing.T) {
	old := stdin
	defer func() { stdin = old }()
	stdin = strings.NewReader("date: 23 May 2020\nfrom a pipe")
	docs, warns, err := read(Source{Path: "-", ID: "-", Format: FormatText}, nil)
	want := Doc{ID: "-", Path: "-", Date: "2020-05-23", Text: []byte("date: 23 May 2020\nfrom a pipe")}
	if err != nil || len(warns) > 0 || len(docs) != 1 || !docEqual(docs[0], want) {
		t.Errorf("Read(stdin) = %s, %v, %v; want %s", docsString(docs), warns, err, docString(want))
	}

	for _, f := range []struct {
		format  Format
		archive string
	}{{FormatZip, zipOf(t, "a.txt", "in a zip")}, {FormatTar, tarOf(t, "a.txt", "in a tar")}} {
		stdin = strings.NewReader(f.archive)
		docs, warns, err = read(Source{Path: "-", ID: "-", Format: f.format}, nil)
		if err != nil || len(warns) > 0 || len(docs) != 1 || docs[0].ID != "-/a.txt" || !strings.HasPrefix(string(docs[0].Text), "in a ") {
			t.Errorf("Read(stdin, format %v) = %s, %v, %v; want -/a.txt", f.format, docsString(docs), warns, err)
		}
	}

	stdin = strings.NewReader(strings.Repeat("x", 11))
	_, _, err = read(Source{Path: "-", ID: "-"}, &Options{MaxBytes: 10})
	if !errors.Is(err, ErrTooLarge) || err.Error() != "-: size exceeds 10 bytes (raise --max-bytes)" {
		t.Errorf("Read(stdin of 11 bytes, MaxBytes 10) = %v, want ErrTooLarge", err)
	}
}

func docString(d Doc) string {
	return fmt.Sprintf("{ID:%q Path:%q Date:%q Plain:%v Text:%.40q}", d.ID, d.Path, d.Date, d.Plain, d.Text)
}

func docsString(docs []Doc) string {
	var b strings.Builder
	for _, d := range docs {
		b.WriteString(docString(d))
	}
	return "[" + b.String() + "]"
}

func docEqual(a, b Doc) bool {
	return a.ID == b.ID && a.Path == b.Path && a.Date == b.Date && bytes.Equal(a.Text, b.Text) && a.Plain == b.Plain
}

func TestReadVisitError(t *testing.T) {
	dir := t.TempDir()
	testfs.Write(t, dir, map[string]string{
		"a.txt":   "text",
		"b.jsonl": "{\"text\": \"one\"}\n{\"text\": \"two\"}\n",
		"c.zip":   zipOf(t, "x.txt", "x", "y.txt", "y"),
		"d.tar":   tarOf(t, "x.txt", "x", "y.txt", "y"),
	})
	stop := errors.New("stop")
	for _, name := range []string{"a.txt", "b.jsonl", "c.zip", "d.tar"} {
		format, _ := formatOf(name)
		n := 0
		err := Read(context.Background(), Source{Path: filepath.Join(dir, name), ID: name, Format: format}, nil,
			func(Doc) error { n++; return stop }, nil)
		if err != stop || n != 1 {
			t.Errorf("Read(%s) with visit failing = %v after %d docs, want stop after 1", name, err, n)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Read(ctx, Source{Path: filepath.Join(dir, "c.zip"), ID: "c.zip", Format: FormatZip}, nil, func(Doc) error { return nil }, nil)
	if err != context.Canceled {
		t.Errorf("Read(cancelled) = %v, want context.Canceled", err)
	}
}

// controlsSlow is controls written the obvious way: the reference.
func controlsSlow(data []byte) (nul, ctrl int) {
	nul = bytes.Count(data, []byte{0})
	for _, c := range data {
		if (c < 0x20 || c == 0x7f) && c != 0 && !strings.ContainsRune("\t\n\v\f\r\x1b", rune(c)) {
			ctrl++
		}
	}
	return nul, ctrl
}

// TestControls: the counts of controls, eight bytes at a time, are the
// reference's on text with every kind of byte at every offset.
func TestControls(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 3000 {
		data := make([]byte, r.IntN(70))
		for i := range data {
			switch r.IntN(6) {
			case 0:
				data[i] = byte(r.IntN(256))
			case 1:
				data[i] = byte(r.IntN(0x21))
			case 2:
				data[i] = 0x7f + byte(r.IntN(3)) - 1
			default:
				data[i] = 'a' + byte(r.IntN(26))
			}
		}
		gn, gc := controls(data)
		wn, wc := controlsSlow(data)
		if gn != wn || gc != wc {
			t.Fatalf("controls(%q) = %d, %d; want %d, %d", data, gn, gc, wn, wc)
		}
	}
}

func FuzzControls(f *testing.F) {
	f.Add([]byte("plain text\nwith a tab\t and \x00 a NUL"))
	f.Add([]byte("\x7f\x80\xff\x1f\x20\x1b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		gn, gc := controls(data)
		if wn, wc := controlsSlow(data); gn != wn || gc != wc {
			t.Fatalf("controls(%q) = %d, %d; want %d, %d", data, gn, gc, wn, wc)
		}
	})
}

// TestStreamedCap: compressed JSONL and tar are streamed, as uncompressed
// ones are: --max-bytes caps each line and member, not the whole (a
// Linux source tarball expands to 1.3 GB), and a member over the cap is
// skipped with a warning naming it.
func TestStreamedCap(t *testing.T) {
	lines := strings.Repeat("{\"text\": \"a\"}\n", 10) // 140 bytes
	small := strings.Repeat("x", 60)
	for _, tc := range []struct {
		name, content string
		docs          int
		warn          string
	}{
		{"many.jsonl.gz", gz(t, lines), 10, ""},
		{"many.jsonl.xz", xzOf(t, lines), 10, ""},
		{"two.tar.gz", gz(t, tarOf(t, "a.txt", small, "b.txt", small)), 2, ""},
		{"two.tar.xz", xzOf(t, tarOf(t, "a.txt", small, "b.txt", small)), 2, ""},
		{"one.tar.gz", gz(t, tarOf(t, "big.txt", strings.Repeat("y", 200), "a.txt", small)), 1, "big.txt: size exceeds 100 bytes"},
	} {
		docs, warns, err := readFile(t, tc.name, tc.content, &Options{MaxBytes: 100})
		var warned string
		if len(warns) == 1 {
			warned = warns[0].Error()
		}
		if err != nil || len(docs) != tc.docs || len(warns) > 1 || !strings.Contains(warned, tc.warn) || (tc.warn == "") != (len(warns) == 0) {
			t.Errorf("Read(%s, MaxBytes 100) = %d documents, warnings %v, %v; want %d, warning %q", tc.name, len(docs), warns, err, tc.docs, tc.warn)
		}
	}
}

// FuzzDecompress: any bytes, read as any compression, give an error that
// is ErrCorrupt or ErrTooLarge, or text; never a panic.
func FuzzDecompress(f *testing.F) {
	text := strings.Repeat("all work and no play ", 20)
	f.Add([]byte(gz(f, text)), uint8(0))
	f.Add([]byte(zst(f, text)), uint8(1))
	f.Add([]byte(xzOf(f, text)), uint8(2))
	f.Add([]byte(xzOf(f, text))[:40], uint8(2))
	f.Add([]byte("BZh91AY&SY\x00\x00\x00\x00"), uint8(3))
	if b, ok := bz2(f, text); ok {
		f.Add([]byte(b), uint8(3))
	}
	comps := []string{"gzip", "zstd", "xz", "bzip2"}
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		rc, err := decompress(bytes.NewReader(data), comps[int(kind)%len(comps)], 1<<16)
		if err == nil {
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
		}
		if err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%s: %v, want ErrCorrupt or ErrTooLarge", comps[int(kind)%len(comps)], err)
		}
	})
}
