package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/reuse-tool/reuse/report"
	"github.com/reuse-tool/reuse/report/html"
)

// ownOutputs keeps the outputs of earlier runs of reuse, met inside the
// scanned folders, out of a scan: result files (JSON, JSONL and CSV,
// recognised by their first bytes, report.Sniff) and HTML report
// folders (recognised by their index.html, html.IsReport). They would
// otherwise be scanned as documents, and their copies of the documents'
// text would pair with everything. An output named as an argument is read.
// It remembers what it left out, for one line on standard error.
type ownOutputs struct {
	args map[string]bool

	mu    sync.Mutex
	found []string
}

func newOwnOutputs(inputs []string) *ownOutputs {
	o := &ownOutputs{args: map[string]bool{}}
	for _, in := range inputs {
		o.args[in] = true
	}
	return o
}

// resultExts are the names results are written under. Only these files
// are opened to look at their first bytes. Text summaries (.txt) are not
// among them: a corpus is mostly .txt files, and opening each twice would
// cost every scan one more open and read of every file.
var resultExts = map[string]bool{".json": true, ".jsonl": true, ".ndjson": true, ".csv": true}

// skipFile is corpus.Options.Skip: it reports whether path is a result of
// reuse.
func (o *ownOutputs) skipFile(path string) bool {
	if o.args[path] || !resultExts[strings.ToLower(filepath.Ext(path))] {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false // the scan reports it
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return false
	}
	head := make([]byte, 256)
	n, _ := io.ReadFull(f, head)
	if n == 0 || report.Sniff(head[:n]) == "" {
		return false
	}
	o.add(path)
	return true
}

// skipDir is corpus.Options.SkipDir: it reports whether path is an HTML
// report of reuse.
func (o *ownOutputs) skipDir(path string) bool {
	if o.args[path] || !html.IsReport(path) {
		return false
	}
	o.add(path + string(filepath.Separator))
	return true
}

func (o *ownOutputs) add(path string) {
	o.mu.Lock()
	o.found = append(o.found, path)
	o.mu.Unlock()
}

// report writes one line naming what was left out, if anything.
func (o *ownOutputs) report(w io.Writer) {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := len(o.found)
	if n == 0 {
		return
	}
	names := strings.Join(o.found[:min(n, 5)], ", ")
	if n > 5 {
		names += fmt.Sprintf(" and %d more", n-5)
	}
	what := "an earlier output of reuse"
	if n > 1 {
		what = fmt.Sprintf("%d earlier outputs of reuse", n)
	}
	fmt.Fprintf(w, "reuse: left out %s: %s (name one as an argument to scan it)\n", what, names)
}

// pkgPrefix matches the package names that errors of this module's
// packages begin with ("corpus: ", "html: ", the root's "reuse: "), at
// the start of a message or after a colon, where they were wrapped: a
// warning printed "reuse: warning: reuse: check: ..." before.
var pkgPrefix = regexp.MustCompile(`(^|: )(?:reuse|corpus|report|html|result|eval|gen|atomicfile|spool|shingle|align|cluster|candidate|postings|archive|index): `)

// userMessage is err's message for a person: without the names of the
// packages it passed through, which mean nothing to them.
func userMessage(err error) string {
	return pkgPrefix.ReplaceAllString(err.Error(), "$1")
}
