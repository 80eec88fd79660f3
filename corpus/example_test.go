package corpus_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/reuse-tool/reuse/corpus"
)

// Walk a folder and read every document in it.
func ExampleWalk() {
	dir, _ := os.MkdirTemp("", "corpus-example")
	defer os.RemoveAll(dir)
	files := map[string]string{
		"news/b/002.txt":       "date: 2020-05-23\nThe minister said on Saturday...",
		"news/a/001.html":      `<title>Budget</title><meta name="date" content="May 22, 2020"><p>The minister said...</p>`,
		"news/wire.jsonl":      "{\"id\": \"w1\", \"text\": \"The minister said...\", \"date\": \"2020-05-21\"}\n{\"text\": \"\"}\n",
		"news/.cache/x.txt":    "hidden: skipped",
		"news/b/broken.txt.gz": "not gzip",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), 0o644)
	}

	// Warnings name the file (and line); print them relative to dir.
	warn := func(err error) { fmt.Println("warning:", strings.TrimPrefix(err.Error(), dir+"/")) }
	ctx := context.Background()
	corpus.Walk(ctx, []string{filepath.Join(dir, "news")}, nil, func(src corpus.Source) error {
		err := corpus.Read(ctx, src, nil, func(d corpus.Doc) error {
			fmt.Printf("%s (%s, plain %v): %q\n", d.ID, d.Date, d.Plain, d.Text)
			return nil
		}, warn)
		if err != nil {
			warn(err)
		}
		return nil
	}, warn)
	// Output:
	// a/001.html (2020-05-22, plain false): "Budget\n\nThe minister said..."
	// b/002.txt (2020-05-23, plain true): "date: 2020-05-23\nThe minister said on Saturday..."
	// warning: news/b/broken.txt.gz: corrupt input: not gzip data
	// w1 (2020-05-21, plain false): "The minister said..."
	// warning: news/wire.jsonl:2: bad record: empty "text" field
}
