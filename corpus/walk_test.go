package corpus

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reuse-tool/reuse/internal/testfs"
)

// walk runs Walk and returns the sources found and the warnings.
func walk(t *testing.T, paths []string, opts *Options) ([]Source, []error) {
	t.Helper()
	var srcs []Source
	var warns []error
	err := Walk(context.Background(), paths, opts, func(s Source) error {
		srcs = append(srcs, s)
		return nil
	}, func(err error) { warns = append(warns, err) })
	if err != nil {
		t.Fatalf("Walk(%q) = %v, want nil", paths, err)
	}
	return srcs, warns
}

func ids(srcs []Source) []string {
	var out []string
	for _, s := range srcs {
		out = append(out, s.ID)
	}
	return out
}

// checkWarn checks that warns holds exactly one *Error naming path whose
// message contains msg.
func checkWarn(t *testing.T, warns []error, path, msg string) {
	t.Helper()
	if len(warns) != 1 {
		t.Fatalf("warnings = %q, want one about %s", warns, path)
	}
	var e *Error
	if !errors.As(warns[0], &e) || e.Path != path || !strings.Contains(e.Error(), msg) {
		t.Errorf("warning = %#v (%v), want *Error{Path: %q} containing %q", warns[0], warns[0], path, msg)
	}
}

func TestWalkOrder(t *testing.T) {
	dir := t.TempDir()
	testfs.Write(t, dir, map[string]string{
		"z.txt":            "z",
		"b/002.txt":        "b",
		"b/sub/c.md":       "c",
		"a/x.txt":          "x",
		"a-b.txt":          "ab",
		"a0":               "a0",
		".hidden/h.txt":    "h",
		"b/.secret.txt":    "s",
		"B.txt":            "upper case sorts first",
		"b/sub/.git/x.txt": "git",
	})
	srcs, warns := walk(t, []string{dir}, nil)
	if len(warns) > 0 {
		t.Errorf("warnings = %v, want none", warns)
	}
	want := []string{"B.txt", "a-b.txt", "a/x.txt", "a0", "b/002.txt", "b/sub/c.md", "z.txt"}
	if got := ids(srcs); !slices.Equal(got, want) {
		t.Errorf("Walk ids = %q, want %q", got, want)
	}
	for _, s := range srcs {
		if want := filepath.Join(dir, filepath.FromSlash(s.ID)); s.Path != want {
			t.Errorf("Walk: %s: Path = %q, want %q", s.ID, s.Path, want)
		}
	}
	// The order is the lexical order of the relative paths.
	if got := ids(srcs); !slices.IsSorted(got) {
		t.Errorf("Walk ids = %q, not sorted", got)
	}
}

func TestWalkArgs(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	testfs.Write(t, ".", map[string]string{
		"corpus/b/002.txt": "b",
		"corpus/a.html":    "a",
		".hidden.txt":      "named directly, so read",
		"one.jsonl.gz":     "",
	})
	srcs, warns := walk(t, []string{"one.jsonl.gz", "corpus/", "-", "./corpus/../.hidden.txt", "missing.txt", "corpus"}, nil)
	want := []Source{
		{Path: "one.jsonl.gz", ID: "one.jsonl.gz", Format: FormatJSONL, Compression: "gzip"},
		{Path: "corpus/a.html", ID: "a.html", Format: FormatHTML},
		{Path: "corpus/b/002.txt", ID: "b/002.txt", Format: FormatText},
		{Path: "-", ID: "-", Format: FormatText},
		{Path: "./corpus/../.hidden.txt", ID: ".hidden.txt", Format: FormatText},
		{Path: "corpus/a.html", ID: "a.html", Format: FormatHTML},
		{Path: "corpus/b/002.txt", ID: "b/002.txt", Format: FormatText},
	}
	if !slices.Equal(srcs, want) {
		t.Errorf("Walk sources =\n%+v\nwant\n%+v", srcs, want)
	}
	checkWarn(t, warns, "missing.txt", "no such file or directory")
}

func TestWalkSkip(t *testing.T) {
	dir := t.TempDir()
	testfs.Write(t, dir, map[string]string{"a.txt": "a", "out/report.json": "{}", "b.txt": "b", "c.txt": "c"})
	skip := func(p string) bool {
		return p == filepath.Join(dir, "out") || p == filepath.Join(dir, "b.txt") || p == "c-direct.txt"
	}
	srcs, warns := walk(t, []string{dir, "c-direct.txt"}, &Options{Skip: skip})
	if got, want := ids(srcs), []string{"a.txt", "c.txt"}; !slices.Equal(got, want) || len(warns) > 0 {
		t.Errorf("Walk with Skip = %q, %v, want %q, no warnings", got, warns, want)
	}
}

// TestWalkSymlinks: links that lead outside the folder walked are
// followed, to files and folders; links that lead back into it are not (what
// they lead to is read under its own path), unless into a hidden part of it.
func TestWalkSymlinks(t *testing.T) {
	top := t.TempDir()
	dir := filepath.Join(top, "root")
	testfs.Write(t, top, map[string]string{
		"root/real/a.txt": "a", "root/other/b.txt": "b", "root/.hidden/h.txt": "h",
		"outside/c.txt": "c",
	})
	symlinks(t, dir, map[string]string{
		"file-link.txt": "real/a.txt",               // to a file inside: not again
		"real/dir-link": "../other",                 // to a folder inside: not again
		"abs-to-real":   filepath.Join(dir, "real"), // likewise, absolute
		"out-file.txt":  "../outside/c.txt",         // to a file outside
		"out-link":      "../outside",               // to a folder outside
		"hidden-link":   ".hidden",                  // into a hidden folder, which the walk skips
		"broken.txt":    "nowhere.txt",              // dangling, like a vanished file
	})
	srcs, warns := walk(t, []string{dir}, nil)
	want := []string{"hidden-link/h.txt", "other/b.txt", "out-file.txt", "out-link/c.txt", "real/a.txt"}
	if got := ids(srcs); !slices.Equal(got, want) {
		t.Errorf("Walk ids = %q, want %q", got, want)
	}
	checkWarn(t, warns, filepath.Join(dir, "broken.txt"), "no such file or directory")

	// A link named directly is followed too; its ID is the link's name. A
	// folder named through a link is walked from where it leads: its own
	// link to ../other leads outside it.
	srcs, _ = walk(t, []string{filepath.Join(dir, "file-link.txt"), filepath.Join(dir, "abs-to-real")}, nil)
	if got, want := ids(srcs), []string{filepath.ToSlash(filepath.Join(dir, "file-link.txt")), "a.txt", "dir-link/b.txt"}; !slices.Equal(got, want) {
		t.Errorf("Walk(links) ids = %q, want %q", got, want)
	}
}

// TestWalkSymlinkLeftOut: a link into the folder walked is read as the
// link when what it leads to is left out of the walk (excluded, not
// included, skipped, or in a folder left out), and not read twice when
// the walk reads it under its own path.
func TestWalkSymlinkLeftOut(t *testing.T) {
	top := t.TempDir()
	dir := filepath.Join(top, "root")
	testfs.Write(t, top, map[string]string{
		"root/a.txt": "a", "root/drafts/d.txt": "d", "root/notes.md": "n",
		"root/skipped/s.txt": "s", "root/own.txt": "o",
	})
	symlinks(t, dir, map[string]string{
		"to-a.txt":     "a.txt",         // read as a.txt
		"to-draft.txt": "drafts/d.txt",  // in an excluded folder
		"to-drafts":    "drafts",        // an excluded folder
		"to-notes.txt": "notes.md",      // not included
		"to-skip.txt":  "skipped/s.txt", // in a folder SkipDir leaves out
		"to-own.txt":   "own.txt",       // a path Skip leaves out
	})
	opts := &Options{
		Exclude: []string{"drafts"},
		Include: []string{"*.txt"},
		SkipDir: func(p string) bool { return filepath.Base(p) == "skipped" },
		Skip:    func(p string) bool { return filepath.Base(p) == "own.txt" },
	}
	srcs, warns := walk(t, []string{dir}, opts)
	want := []string{"a.txt", "to-draft.txt", "to-drafts/d.txt", "to-notes.txt", "to-own.txt", "to-skip.txt"}
	if got := ids(srcs); !slices.Equal(got, want) {
		t.Errorf("Walk ids = %q, want %q", got, want)
	}
	if len(warns) != 0 {
		t.Errorf("Walk warnings = %v, want none", warns)
	}
}

// TestWalkSymlinkLoop: links back into the folder walked are not followed,
// so loops in it are never entered; a loop outside it, reached by a link,
// is reported once.
func TestWalkSymlinkLoop(t *testing.T) {
	top := t.TempDir()
	dir := filepath.Join(top, "root")
	testfs.Write(t, top, map[string]string{"root/a.txt": "a", "root/sub/b.txt": "b", "outside/c.txt": "c"})
	symlinks(t, top, map[string]string{"root/sub/up": "..", "root/self": ".", "root/out": "../outside", "outside/again": "."})
	srcs, warns := walk(t, []string{dir}, nil)
	if got, want := ids(srcs), []string{"a.txt", "out/c.txt", "sub/b.txt"}; !slices.Equal(got, want) {
		t.Errorf("Walk ids = %q, want %q", got, want)
	}
	var msgs []string
	for _, w := range warns {
		msgs = append(msgs, w.Error())
	}
	if want := []string{filepath.Join(dir, "out", "again") + ": symlink loop"}; !slices.Equal(msgs, want) {
		t.Errorf("Walk warnings = %q, want %q", msgs, want)
	}
	for _, w := range warns {
		if !errors.Is(w, ErrSymlinkLoop) {
			t.Errorf("warning %v is not ErrSymlinkLoop", w)
		}
	}
}

// symlinks creates links under dir: link name to target.
func symlinks(t *testing.T, dir string, links map[string]string) {
	t.Helper()
	for link, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Skipf("symlink: %v", err)
		}
	}
}

func TestWalkStops(t *testing.T) {
	dir := t.TempDir()
	testfs.Write(t, dir, map[string]string{"a.txt": "a", "b.txt": "b", "c/d.txt": "d"})
	stop := errors.New("stop")
	n := 0
	err := Walk(context.Background(), []string{dir}, nil, func(Source) error {
		if n++; n == 2 {
			return stop
		}
		return nil
	}, nil)
	if err != stop || n != 2 {
		t.Errorf("Walk with visit failing at 2 = %v after %d, want stop after 2", err, n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = Walk(ctx, []string{dir, dir}, nil, func(Source) error {
		n++
		cancel()
		return nil
	}, nil)
	if err != context.Canceled || n != 1 {
		t.Errorf("Walk cancelled at 1 = %v after %d, want context.Canceled after 1", err, n)
	}
}

func TestFormatOf(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		comp   string
	}{
		{"a.txt", FormatText, ""},
		{"a.TEXT", FormatText, ""},
		{"README", FormatText, ""},
		{"notes.md", FormatText, ""},
		{"notes.markdown.gz", FormatText, "gzip"},
		{"doc.rst", FormatText, ""},
		{"data.csv", FormatText, ""},
		{"x.HTML", FormatHTML, ""},
		{"x.htm.zst", FormatHTML, "zstd"},
		{"x.xhtml", FormatHTML, ""},
		{"d.jsonl", FormatJSONL, ""},
		{"d.NDJSON.GZ", FormatJSONL, "gzip"},
		{"a.tar", FormatTar, ""},
		{"a.tgz", FormatTar, "gzip"},
		{"a.tar.gz", FormatTar, "gzip"},
		{"a.tar.zst", FormatTar, "zstd"},
		{"a.tar.xz", FormatTar, "xz"},
		{"a.TXZ", FormatTar, "xz"},
		{"a.tar.bz2", FormatTar, "bzip2"},
		{"a.tbz2", FormatTar, "bzip2"},
		{"a.tbz", FormatTar, "bzip2"},
		{"notes.md.xz", FormatText, "xz"},
		{"dump.jsonl.bz2", FormatJSONL, "bzip2"},
		{"a.zip", FormatZip, ""},
		{"a.gz", FormatText, "gzip"},
		{"dir.zip/readme", FormatText, ""},
		{"some/dir.html/a.txt.gz", FormatText, "gzip"},
	}
	for _, tt := range tests {
		if f, c := formatOf(tt.name); f != tt.format || c != tt.comp {
			t.Errorf("formatOf(%q) = %v, %q, want %v, %q", tt.name, f, c, tt.format, tt.comp)
		}
	}
}

// TestWalkPatterns: --exclude leaves out files and folders by name or by
// relative path, --include keeps only the files it names (folders are
// still walked), SkipDir leaves out folders, and none of them applies to
// an argument.
func TestWalkPatterns(t *testing.T) {
	dir := t.TempDir()
	testfs.Write(t, dir, map[string]string{
		"a.txt": "a", "b.md": "b", "notes.csv": "c",
		"drafts/d.txt": "d", "2019/e.txt": "e", "2019/f.md": "f", "2019/deep/g.txt": "g",
		"rep/index.html": "r", "rep/d/00001.html": "r",
	})
	tests := []struct {
		opts Options
		args []string // "" is dir
		want []string
	}{
		{Options{}, nil, []string{"2019/deep/g.txt", "2019/e.txt", "2019/f.md", "a.txt", "b.md", "drafts/d.txt", "notes.csv", "rep/d/00001.html", "rep/index.html"}},
		{Options{Exclude: []string{"*.csv", "drafts", "rep"}}, nil, []string{"2019/deep/g.txt", "2019/e.txt", "2019/f.md", "a.txt", "b.md"}},
		{Options{Exclude: []string{"2019/*.txt"}}, nil, []string{"2019/deep/g.txt", "2019/f.md", "a.txt", "b.md", "drafts/d.txt", "notes.csv", "rep/d/00001.html", "rep/index.html"}},
		{Options{Exclude: []string{"2019/"}}, nil, []string{"a.txt", "b.md", "drafts/d.txt", "notes.csv", "rep/d/00001.html", "rep/index.html"}},
		{Options{Include: []string{"*.txt"}}, nil, []string{"2019/deep/g.txt", "2019/e.txt", "a.txt", "drafts/d.txt"}},
		{Options{Include: []string{"*.txt", "*.md"}, Exclude: []string{"deep"}}, nil, []string{"2019/e.txt", "2019/f.md", "a.txt", "b.md", "drafts/d.txt"}},
		{Options{SkipDir: func(p string) bool { return filepath.Base(p) == "rep" }}, nil, []string{"2019/deep/g.txt", "2019/e.txt", "2019/f.md", "a.txt", "b.md", "drafts/d.txt", "notes.csv"}},
		// Arguments are always read.
		{Options{Exclude: []string{"*.csv"}, Include: []string{"*.md"}}, []string{"notes.csv"}, []string{"notes.csv"}},
	}
	for _, tt := range tests {
		args := []string{dir}
		if tt.args != nil {
			args = nil
			for _, a := range tt.args {
				args = append(args, filepath.Join(dir, a))
			}
		}
		srcs, warns := walk(t, args, &tt.opts)
		got := ids(srcs)
		if tt.args != nil {
			for i := range got {
				got[i] = filepath.Base(got[i])
			}
		}
		if !slices.Equal(got, tt.want) || len(warns) > 0 {
			t.Errorf("Walk(exclude %q, include %q) = %q, %v; want %q", tt.opts.Exclude, tt.opts.Include, got, warns, tt.want)
		}
	}
}

func TestCheckPatterns(t *testing.T) {
	if err := CheckPatterns([]string{"*.txt", "a/[bc]/*.md", "drafts"}); err != nil {
		t.Errorf("CheckPatterns(good) = %v", err)
	}
	for _, p := range []string{"[", "a/[b", ""} {
		if err := CheckPatterns([]string{"*.txt", p}); !errors.Is(err, ErrPattern) {
			t.Errorf("CheckPatterns(%q) = %v, want ErrPattern", p, err)
		}
	}
}

// TestWalkIDRoot: with IDRoot, files inside it are named by their path
// relative to it, whichever folder or file the walk was given; files
// outside it keep the usual ids.
func TestWalkIDRoot(t *testing.T) {
	dir := t.TempDir()
	testfs.Write(t, dir, map[string]string{
		"root/2024/a.txt": "a", "root/2024/may/b.txt": "b", "root/c.txt": "c", "other/d.txt": "d",
	})
	root := filepath.Join(dir, "root")
	tests := []struct {
		paths []string
		want  []string
	}{
		{[]string{root}, []string{"2024/a.txt", "2024/may/b.txt", "c.txt"}},
		{[]string{filepath.Join(root, "2024")}, []string{"2024/a.txt", "2024/may/b.txt"}},
		{[]string{filepath.Join(root, "2024", "may"), filepath.Join(root, "c.txt")}, []string{"2024/may/b.txt", "c.txt"}},
		{[]string{filepath.Join(dir, "other")}, []string{"d.txt"}},
		{[]string{filepath.Join(dir, "other", "d.txt")}, []string{filepath.ToSlash(filepath.Join(dir, "other", "d.txt"))}},
	}
	for _, tt := range tests {
		srcs, warns := walk(t, tt.paths, &Options{IDRoot: root})
		if got := ids(srcs); len(warns) > 0 || !slices.Equal(got, tt.want) {
			t.Errorf("Walk(%q, IDRoot %s) = %q (warnings %v), want %q", tt.paths, root, got, warns, tt.want)
		}
	}
	// A relative IDRoot counts from the working directory.
	t.Chdir(dir)
	srcs, _ := walk(t, []string{"root/2024/may"}, &Options{IDRoot: "root"})
	if got := ids(srcs); !slices.Equal(got, []string{"2024/may/b.txt"}) {
		t.Errorf("relative IDRoot: ids %q, want [2024/may/b.txt]", got)
	}
}
