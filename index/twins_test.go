package index

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTwins: documents of the same text are twins, whatever their names
// and folders; a text of the same length but other words is not, nor one
// that differs only in its case, which tokens fold but offsets do not.
func TestTwins(t *testing.T) {
	one := strings.Repeat("the harbour board met on tuesday to discuss the dredging of the channel. ", 20)
	other := strings.ReplaceAll(one, "tuesday", "fridays")
	upper := strings.ToUpper(one[:1]) + one[1:]
	files := map[string]string{
		"a.txt":       one,
		"b/copy.txt":  one,
		"c.txt":       other,
		"d.txt":       one,
		"e/other.txt": other,
		"f.txt":       upper,
		"g.txt":       "a text of its own, with no copy anywhere in the folder at all.",
	}
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, opt := range []Options{{}, {Reword: true}, {Reword: true, ProseOnly: true}} {
		x := build(t, opt, dir)
		twin, err := x.Twins(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(twin) != x.Len() {
			t.Fatalf("Reword %v: Twins gave %d values for %d documents", opt.Reword, len(twin), x.Len())
		}
		first := func(id string) uint32 {
			d, ok := x.Find(id)
			if !ok {
				t.Fatalf("no document %q", id)
			}
			return d + 1
		}
		want := map[string]uint32{
			"a.txt": first("a.txt"), "b/copy.txt": first("a.txt"), "d.txt": first("a.txt"),
			"c.txt": first("c.txt"), "e/other.txt": first("c.txt"),
			"f.txt": 0, "g.txt": 0,
		}
		for id, w := range want {
			if got := twin[first(id)-1]; got != w {
				t.Errorf("Reword %v: twin of %s = %d, want %d", opt.Reword, id, got, w)
			}
		}
	}

	x := build(t, Options{}, filepath.Join(dir, "a.txt"), filepath.Join(dir, "c.txt"))
	if twin, err := x.Twins(context.Background()); err != nil || twin != nil {
		t.Errorf("Twins of documents without twins = %v, %v; want nil, nil", twin, err)
	}
}
