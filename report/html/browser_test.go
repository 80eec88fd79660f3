package html

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/reuse-tool/reuse/internal/atomicfile"
)

// browser returns the path of a Chromium-family browser, or "".
func browser() string {
	if p := os.Getenv("REUSE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artifacts returns the folder for screenshots: $REUSE_ARTIFACTS when
// set, else a temporary folder of the test.
func artifacts(t *testing.T) string {
	if dir := os.Getenv("REUSE_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// chrome starts a headless browser for the test.
func chrome(t *testing.T) context.Context {
	t.Helper()
	exe := browser()
	if exe == "" {
		t.Skip("no Chromium found (tried chromium, chromium-browser, google-chrome; set REUSE_CHROMIUM): skipping the browser test")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", false),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 860),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Skipf("Chromium at %s does not start: %v", exe, err)
	}
	return ctx
}

func shot(ctx context.Context, t *testing.T, dir, name string, full bool) {
	t.Helper()
	act := chromedp.CaptureScreenshot()
	if full {
		act = chromedp.FullScreenshot(100) // 100: PNG
	}
	buf, err := chromedp.Run(ctx, act)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// evalJS evaluates a JavaScript expression in the page.
func evalJS[T any](ctx context.Context, t *testing.T, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// settle waits, at most 10 s, until the JavaScript expression is true: on
// a loaded machine the page's handlers and scrolling run late, and fixed
// sleeps made the checks after them fail now and then. Those checks say
// what is wrong when it never becomes true.
func settle(ctx context.Context, expr string) {
	_, _ = chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(10*time.Second)))
}

func do(ctx context.Context, t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func fileURL(dir, name string) string {
	return "file://" + filepath.ToSlash(filepath.Join(dir, filepath.FromSlash(name)))
}

// TestBrowser opens the report from disk in headless Chromium, follows
// a pair link, checks the highlighted passages on both sides, clicks one
// and checks that its partner scrolled into view, and checks that no script
// from the hostile document ran.
func TestBrowser(t *testing.T) {
	ctx := chrome(t)
	art := artifacts(t)

	// Collect the uncaught exceptions of every page.
	exCtx, stopEx := context.WithCancel(ctx)
	exEvents := chromedp.Events(exCtx, runtime.ExceptionThrown)
	var exceptions []string
	exDone := make(chan struct{})
	go func() {
		defer close(exDone)
		for ev, err := range exEvents {
			if err != nil {
				return
			}
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			exceptions = append(exceptions, fmt.Sprintf("%s:%d: %s", d.URL, d.LineNumber+1, msg))
		}
	}()
	defer func() {
		stopEx()
		<-exDone
		for _, e := range exceptions {
			t.Errorf("uncaught exception: %s", e)
		}
	}()

	f := newFixture()
	dir := filepath.Join(t.TempDir(), "report")
	if err := Write(context.Background(), dir, f.r, f.text, Options{Title: "Harbor stories"}); err != nil {
		t.Fatal(err)
	}

	// The pair of the blog and the harbor story: three passages.
	pi := -1
	for i, p := range f.r.Pairs {
		if p.A == hfBlog && p.B == hfHarbor {
			pi = i
		}
	}
	want := len(f.r.Pairs[pi].Passages)
	pairHref := pageName("p", pi)

	do(ctx, t, chromedp.Navigate(fileURL(dir, "index.html")), chromedp.WaitReady(chromedp.CSS("#t-pairs")))
	if title, err := chromedp.Run(ctx, chromedp.Title()); err != nil || title != "Harbor stories" {
		t.Errorf("index title = %q, %v", title, err)
	}
	if pwned := evalJS[string](ctx, t, `typeof window.pwned`); pwned != "undefined" {
		t.Errorf("index: window.pwned is %s", pwned)
	}
	shot(ctx, t, art, "index.png", false)
	shot(ctx, t, art, "index-full.png", true)

	// Filtering and sorting the documents table.
	do(ctx, t, chromedp.SendKeys(chromedp.CSS(`input[data-filter="t-docs"]`), "news/"))
	if rows := evalJS[int](ctx, t, `document.querySelectorAll("#t-docs tbody tr:not([hidden])").length`); rows != 2 {
		t.Errorf("documents filtered by %q: %d rows shown, want 2", "news/", rows)
	}
	do(ctx, t, chromedp.Click(chromedp.CSS(`#t-docs th:nth-child(3) button`)))
	if first := evalJS[string](ctx, t, `document.querySelector("#t-docs tbody tr:not([hidden]) td").textContent`); first != hfDaily {
		t.Errorf("documents sorted by words, filtered: first row %q, want %q", first, hfDaily)
	}

	// Follow the pair link.
	do(ctx, t,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`a.pair[href=%q]`, pairHref))),
		chromedp.WaitReady(chromedp.CSS("#side-b")),
	)
	if url, err := chromedp.Run(ctx, chromedp.Location()); err != nil || !strings.HasSuffix(url, pairHref) {
		t.Fatalf("after clicking the pair link, at %s (%v); want …%s", url, err, pairHref)
	}
	na := evalJS[int](ctx, t, `document.querySelectorAll("#side-a mark.pg.first[id^=a]").length`)
	nb := evalJS[int](ctx, t, `document.querySelectorAll("#side-b mark.pg.first[id^=b]").length`)
	if na != want || nb != want {
		t.Errorf("pair page: %d passages highlighted on A, %d on B; want %d each", na, nb, want)
	}
	const visible = `(function(id){var e=document.getElementById(id),c=e.closest(".scroll"),r=e.getBoundingClientRect(),b=c.getBoundingClientRect();
		return r.top>=b.top&&r.top<b.bottom&&r.top>=0&&r.top<window.innerHeight;})`
	// The page opens at the first passage: marked on both sides, in view,
	// with the passages table above the columns.
	settle(ctx, visible+`("a1") && `+visible+`("b1") && document.querySelectorAll("mark.pg.active.first").length == 2`)
	if active := evalJS[[]string](ctx, t, `Array.from(document.querySelectorAll("mark.pg.active.first")).map(function(m){return m.id})`); strings.Join(active, " ") != "a1 b1" {
		t.Errorf("pair page opened with passages %q active, want a1 b1", active)
	}
	if !evalJS[bool](ctx, t, visible+`("a1") && `+visible+`("b1")`) {
		t.Errorf("pair page opened with passage 1 out of view")
	}
	if !evalJS[bool](ctx, t, `document.querySelector("#t-passages").getBoundingClientRect().top < document.querySelector(".cols").getBoundingClientRect().top`) {
		t.Errorf("the passages table is not above the columns")
	}
	shot(ctx, t, art, "pair.png", false)

	// Click passage 3 on side A: B's passage 3 must scroll into view.
	do(ctx, t,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#side-b .scroll").scrollTop = 0`),
		chromedp.Click(chromedp.CSS(`#a3`)),
	)
	settle(ctx, visible+`("b3") && document.querySelectorAll("mark.pg.active").length >= 2`)
	if !evalJS[bool](ctx, t, visible+`("b3")`) {
		t.Errorf("after clicking passage 3 on side A, passage 3 of B is not in view")
	}
	if active := evalJS[int](ctx, t, `document.querySelectorAll("mark.pg.active").length`); active < 2 {
		t.Errorf("after the click, %d marks are active; want both sides", active)
	}
	shot(ctx, t, art, "pair-clicked.png", false)

	// Keyboard: k goes to the previous passage (2) on both sides.
	do(ctx, t, chromedp.KeyEvent("k"))
	settle(ctx, visible+`("b2") && `+visible+`("a2")`)
	if !evalJS[bool](ctx, t, visible+`("b2") && `+visible+`("a2")`) {
		t.Errorf("after the key k, passage 2 is not in view on both sides")
	}

	// The hostile document's page: its markup is text, nothing ran.
	xi, di := -1, -1
	for i, d := range f.r.Documents {
		switch d.ID {
		case hfX:
			xi = i
		case hfDaily:
			di = i
		}
	}
	do(ctx, t, chromedp.Navigate(fileURL(dir, pageName("d", xi))), chromedp.WaitReady(chromedp.CSS("#text")))
	if pwned := evalJS[string](ctx, t, `typeof window.pwned`); pwned != "undefined" {
		t.Errorf("hostile document page: window.pwned is %s", pwned)
	}
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#text")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "<script>window.pwned=1</script>") || !strings.Contains(body, `"><img src=x onerror="window.pwned=2">`) {
		t.Errorf("hostile document page does not show its markup as text: %q", body)
	}
	if n := evalJS[int](ctx, t, `document.querySelectorAll("#text img, #text script, #text b, #text textarea").length`); n != 0 {
		t.Errorf("hostile document page: %d elements made from the document's text", n)
	}
	shot(ctx, t, art, "doc-hostile.png", false)

	// The daily's page and a cluster page, for the eye.
	do(ctx, t, chromedp.Navigate(fileURL(dir, pageName("d", di))), chromedp.WaitReady(chromedp.CSS("#text")))
	shot(ctx, t, art, "doc.png", false)
	do(ctx, t, chromedp.Navigate(fileURL(dir, "c/00001.html")), chromedp.WaitReady(chromedp.CSS(".occs")))
	shot(ctx, t, art, "cluster.png", false)

	// The single-file pair page: its inline script runs under its CSP.
	single := filepath.Join(t.TempDir(), "pair.html")
	if err := atomicfile.Write(single, func(w io.Writer) error {
		return WritePair(w, f.r, &f.r.Pairs[pi], f.text, Options{})
	}); err != nil {
		t.Fatal(err)
	}
	do(ctx, t,
		chromedp.Navigate("file://"+filepath.ToSlash(single)),
		chromedp.WaitReady(chromedp.CSS("#side-b")),
		chromedp.Click(chromedp.CSS(`#a2`)),
	)
	settle(ctx, `document.querySelector("[data-nav-status]").textContent == "2 of 3" && `+visible+`("b2")`)
	status := evalJS[string](ctx, t, `document.querySelector("[data-nav-status]").textContent`)
	inView := evalJS[bool](ctx, t, visible+`("b2")`)
	if status != "2 of 3" || !inView {
		t.Errorf("single pair page after clicking passage 2: status %q, partner in view %v; want \"2 of 3\", true (does the inline script run?)", status, inView)
	}
	shot(ctx, t, art, "pair-single.png", false)

	// How a pair prints.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	shot(ctx, t, art, "pair-print.png", true)

	t.Logf("screenshots in %s", art)
}
