package corpus

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Walk enumerates the inputs named by paths (folders recursively, files, "-"
// for stdin) in a deterministic order (arguments in the order given; inside a
// folder, lexical order of slash-separated relative paths) and calls visit for
// each. Problems with one path go to warn and the walk goes on; Walk returns
// only ctx.Err() or an error returned by visit.
//
// Inside a folder, hidden names (starting with ".") are skipped silently, as
// are paths for which opts.Skip is true, folders for which opts.SkipDir is
// true, and what opts.Exclude and opts.Include leave out; an argument is
// never hidden, skipped by SkipDir or filtered by the patterns (Skip still
// applies). Symlinks
// are followed, to files and to folders, but for those that lead back into
// the folder being walked (not into a hidden part of it): what they lead to
// is read once, under its own path, not again as a copy of itself (the
// Linux tree's scripts/dtc/include-prefixes links to 5,400 of its files,
// which paired with themselves). A folder met again below itself is
// reported once as a symlink loop and not entered. FIFOs, sockets and
// devices are reported as not regular files. Walk only stats; it reads no
// file.
func Walk(ctx context.Context, paths []string, opts *Options, visit func(Source) error, warn ErrorFunc) error {
	w := walker{ctx: ctx, opts: opts, visit: visit, warn: warn}
	if w.opts == nil {
		w.opts = &Options{}
	}
	if w.opts.IDRoot != "" {
		if abs, err := filepath.Abs(w.opts.IDRoot); err == nil {
			w.idRoot = abs
		}
	}
	if w.warn == nil {
		w.warn = func(error) {}
	}
	for _, arg := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if arg == "-" {
			if err := visit(Source{Path: "-", ID: "-", Format: FormatText}); err != nil {
				return err
			}
			continue
		}
		if w.skip(arg) {
			continue
		}
		fi, err := os.Stat(arg)
		if err != nil {
			w.warn(&Error{Path: arg, Err: unwrapPathError(err)})
			continue
		}
		switch {
		case fi.IsDir():
			w.prefix, _ = w.underRoot(arg)
			w.real = ""
			if abs, err := filepath.Abs(arg); err == nil {
				w.real, _ = filepath.EvalSymlinks(abs)
			}
			if err := w.dir(arg, "", []os.FileInfo{fi}); err != nil {
				return err
			}
		case fi.Mode().IsRegular():
			id := filepath.ToSlash(filepath.Clean(arg))
			if rel, ok := w.underRoot(arg); ok {
				id = rel
			}
			if err := w.file(arg, id); err != nil {
				return err
			}
		default:
			w.warn(&Error{Path: arg, Err: ErrNotRegular})
		}
	}
	return nil
}

type walker struct {
	ctx   context.Context
	opts  *Options
	visit func(Source) error
	warn  ErrorFunc

	idRoot string // Options.IDRoot, absolute; "" for none
	prefix string // the id of the folder argument being walked, under idRoot; "" for none
	real   string // the folder argument being walked, absolute, symlinks resolved; "" if unknown
}

// leadsInside reports whether the symlink p, met while walking the folder
// root, leads into that folder, to a place the walk reads under its own
// path: no hidden name on the way, nothing there that Skip, SkipDir,
// Exclude or Include leave out. A link to a place the walk leaves out is
// read as the link (the user named neither the link nor the folder it
// sits in for exclusion).
func (w *walker) leadsInside(root, p string) bool {
	if w.real == "" {
		return false
	}
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		return false // dangling or a loop: os.Stat says so
	}
	rel, err := filepath.Rel(w.real, target)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel == "."
	}
	fi, err := os.Stat(target)
	if err != nil {
		return false
	}
	names := strings.Split(filepath.ToSlash(rel), "/")
	r := ""
	for i, name := range names {
		r = path.Join(r, name)
		at := filepath.Join(root, filepath.FromSlash(r))
		if strings.HasPrefix(name, ".") || w.skip(at) || matchAny(w.opts.Exclude, name, r) {
			return false
		}
		folder := i < len(names)-1 || fi.IsDir()
		if folder && w.opts.SkipDir != nil && w.opts.SkipDir(at) {
			return false
		}
		if !folder && len(w.opts.Include) > 0 && !matchAny(w.opts.Include, name, r) {
			return false
		}
	}
	return true
}

// underRoot returns the slash-separated path of p relative to idRoot, and
// whether p lies inside it (idRoot itself is "").
func (w *walker) underRoot(p string) (string, bool) {
	if w.idRoot == "" {
		return "", false
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(w.idRoot, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	if rel == "." {
		return "", true
	}
	return filepath.ToSlash(rel), true
}

func (w *walker) skip(p string) bool {
	return w.opts.Skip != nil && w.opts.Skip(p)
}

func (w *walker) file(p, id string) error {
	format, comp := formatOf(p)
	return w.visit(Source{Path: p, ID: id, Format: format, Compression: comp})
}

// entry is one name in a folder, with the kind of what it leads to.
type entry struct {
	name string
	key  string      // name, plus "/" for a folder: sorting keys sorts full paths
	mode fs.FileMode // of what it leads to
	fi   os.FileInfo // of a folder (to recognise loops), else nil
}

// dir walks the folder root/rel. ancestors holds the folders from the
// argument down to this one, to recognise a symlink that leads back up.
func (w *walker) dir(root, rel string, ancestors []os.FileInfo) error {
	dirPath := filepath.Join(root, filepath.FromSlash(rel))
	des, err := os.ReadDir(dirPath)
	if err != nil {
		w.warn(&Error{Path: dirPath, Err: unwrapPathError(err)})
		// ReadDir returns what it read before the error; walk that.
	}
	ents := make([]entry, 0, len(des))
	for _, de := range des {
		name := de.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(dirPath, name)
		r := path.Join(rel, name)
		if w.skip(p) || matchAny(w.opts.Exclude, name, r) {
			continue
		}
		// A regular file needs no stat here (its reader stats what it
		// opens): one system call fewer per file of a large archive.
		mode, fi := de.Type(), os.FileInfo(nil)
		if !mode.IsRegular() {
			if mode&fs.ModeSymlink != 0 {
				if w.leadsInside(root, p) {
					continue // read under its own path
				}
				fi, err = os.Stat(p)
			} else {
				fi, err = de.Info()
			}
			if err != nil {
				w.warn(&Error{Path: p, Err: unwrapPathError(err)})
				continue
			}
			mode = fi.Mode()
		}
		key := name
		if mode.IsDir() {
			if w.opts.SkipDir != nil && w.opts.SkipDir(p) {
				continue
			}
			key += "/"
		} else if len(w.opts.Include) > 0 && !matchAny(w.opts.Include, name, r) {
			continue
		}
		ents = append(ents, entry{name: name, key: key, mode: mode, fi: fi})
	}
	sort.Slice(ents, func(i, j int) bool { return ents[i].key < ents[j].key })

	for _, e := range ents {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		r := path.Join(rel, e.name)
		p := filepath.Join(root, filepath.FromSlash(r))
		switch {
		case e.mode.IsDir():
			if loops(ancestors, e.fi) {
				w.warn(&Error{Path: p, Err: ErrSymlinkLoop})
				continue
			}
			if err := w.dir(root, r, append(ancestors, e.fi)); err != nil {
				return err
			}
		case e.mode.IsRegular():
			if err := w.file(p, path.Join(w.prefix, r)); err != nil {
				return err
			}
		default:
			w.warn(&Error{Path: p, Err: ErrNotRegular})
		}
	}
	return nil
}

func loops(ancestors []os.FileInfo, fi os.FileInfo) bool {
	for _, a := range ancestors {
		if os.SameFile(a, fi) {
			return true
		}
	}
	return false
}

// unwrapPathError drops the *fs.PathError around err: *Error names the path.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// formatOf tells a file's format and compression from its name, ignoring
// case: .gz, .zst, .xz and .bz2 are stripped first, .tgz, .txz and .tbz2
// are compressed tars, and unknown extensions are text.
func formatOf(name string) (Format, string) {
	name = strings.ToLower(name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	comp := ""
	switch {
	case strings.HasSuffix(name, ".gz"):
		comp, name = "gzip", strings.TrimSuffix(name, ".gz")
	case strings.HasSuffix(name, ".zst"):
		comp, name = "zstd", strings.TrimSuffix(name, ".zst")
	case strings.HasSuffix(name, ".xz"):
		comp, name = "xz", strings.TrimSuffix(name, ".xz")
	case strings.HasSuffix(name, ".bz2"):
		comp, name = "bzip2", strings.TrimSuffix(name, ".bz2")
	case strings.HasSuffix(name, ".tgz"):
		return FormatTar, "gzip"
	case strings.HasSuffix(name, ".txz"):
		return FormatTar, "xz"
	case strings.HasSuffix(name, ".tbz2"), strings.HasSuffix(name, ".tbz"):
		return FormatTar, "bzip2"
	}
	switch path.Ext(name) {
	case ".html", ".htm", ".xhtml":
		return FormatHTML, comp
	case ".jsonl", ".ndjson":
		return FormatJSONL, comp
	case ".tar":
		return FormatTar, comp
	case ".zip":
		return FormatZip, comp
	}
	return FormatText, comp
}

// ErrPattern reports a malformed --include or --exclude pattern.
var ErrPattern = errors.New("corpus: bad pattern")

// CheckPatterns returns ErrPattern, naming the pattern, for the first
// pattern that path.Match cannot use.
func CheckPatterns(patterns []string) error {
	for _, p := range patterns {
		if _, err := path.Match(p, ""); err != nil || p == "" {
			return fmt.Errorf("%w %q (want a glob such as *.txt, drafts or 2019/*.md)", ErrPattern, p)
		}
	}
	return nil
}

// matchAny reports whether one of patterns matches a folder entry: by its
// name when the pattern has no slash, else by rel, its slash-separated
// path relative to the scanned folder. Malformed patterns match nothing.
func matchAny(patterns []string, name, rel string) bool {
	for _, p := range patterns {
		target := name
		if strings.Contains(p, "/") {
			target = rel
		}
		if ok, _ := path.Match(strings.TrimSuffix(p, "/"), target); ok {
			return true
		}
	}
	return false
}
