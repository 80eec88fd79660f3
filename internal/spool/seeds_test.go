package spool

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/reuse-tool/reuse/shingle"
)

// seeds32 is the low 32 bits of the k-token shingles of toks.
func seeds32(toks []shingle.Token, k int) []uint32 {
	var out []uint32
	for _, h := range shingle.Shingles(nil, toks, k) {
		out = append(out, uint32(h))
	}
	return out
}

// TestSeedsRoundTrip: records written by concurrent workers read back
// as the seeds and the byte offsets of the tokens put, whole or token by
// token, read in place or with pread.
func TestSeedsRoundTrip(t *testing.T) {
	st := NewSeeds()
	defer st.Close()
	const docs, k = 200, 3
	toks := make([][]shingle.Token, docs)
	reps := make([][]uint32, docs)
	recs := make([]Record, docs)
	r := rand.New(rand.NewPCG(3, 4))
	for d := range toks {
		n := []int{0, 1, 2, 3, 50, 63, 64, 65, 1000}[r.IntN(9)]
		end := uint32(r.IntN(1 << 20)) // a header before the first token
		for range n {
			start := end + uint32(r.IntN(300))
			end = start + 1 + uint32(r.IntN(40))
			toks[d] = append(toks[d], shingle.Token{Start: start, End: end, Hash: r.Uint64()})
		}
		// Places of repeated fingerprints: (first, later) pairs, sorted.
		var pairs [][2]uint32
		for range r.IntN(4) * r.IntN(5) {
			first := uint32(r.IntN(max(n, 1)))
			for range 1 + r.IntN(3) {
				pairs = append(pairs, [2]uint32{first, first + 1 + uint32(r.IntN(100))})
			}
		}
		slices.SortFunc(pairs, func(x, y [2]uint32) int { return slices.Compare(x[:], y[:]) })
		for _, p := range slices.Compact(pairs) {
			reps[d] = append(reps[d], p[0], p[1])
		}
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			var buf []byte
			var err error
			for d := w; d < docs; d += 4 {
				if recs[d], buf, err = st.Put(nil, toks[d], seeds32(toks[d], k), reps[d], buf); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	check := func(mode string) {
		t.Helper()
		var buf []byte
		for d := range toks {
			buf = checkRecord(t, fmt.Sprintf("%s, doc %d", mode, d), st, recs[d], toks[d], reps[d], k, buf)
		}
	}
	check("pread")
	st.Seal()
	if !st.Mapped() && runtime.GOOS == "linux" {
		t.Error("Seal did not map the store")
	}
	check("mapped")
}

// checkRecord reads record r back and compares it with toks.
func checkRecord(t *testing.T, name string, st *Seeds, r Record, toks []shingle.Token, reps []uint32, k int, buf []byte) []byte {
	t.Helper()
	count := SeedCount(len(toks), k)
	v, buf, err := st.Read(r, count, len(toks), buf)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if got, want := v.Seeds(nil), seeds32(toks, k); !slices.Equal(got, want) {
		t.Errorf("%s: seeds %v, want %v", name, got, want)
	}
	if allocs := testing.AllocsPerRun(10, func() { err = v.CheckTokens() }); err != nil || allocs != 0 {
		t.Errorf("%s: CheckTokens = %v, %v allocations; want nil, 0", name, err, allocs)
	}
	all, err := v.Tokens(nil)
	if err != nil || len(all) != len(toks) {
		t.Fatalf("%s: Tokens = %d, %v; want %d", name, len(all), err, len(toks))
	}
	for i, w := range toks {
		s, e, err := v.Token(i)
		if err != nil || s != w.Start || e != w.End || all[i].Start != w.Start || all[i].End != w.End {
			t.Fatalf("%s token %d: Token %d-%d (%v), Tokens %d-%d; want %d-%d", name, i, s, e, err, all[i].Start, all[i].End, w.Start, w.End)
		}
	}
	if _, _, err := v.Token(len(toks)); err == nil {
		t.Errorf("%s: Token(%d) of %d tokens gave no error", name, len(toks), len(toks))
	}
	// The view without the seeds tells the tokens as the whole one does.
	for _, inPlace := range []bool{false, true} {
		tv, _, err := st.ReadTokens(r, count, len(toks), nil, inPlace)
		if err != nil {
			t.Fatalf("%s: ReadTokens(in place %v): %v", name, inPlace, err)
		}
		if got := tv.Seeds(nil); len(got) != 0 {
			t.Errorf("%s: ReadTokens(in place %v) has %d seeds, want none", name, inPlace, len(got))
		}
		if w, tw := v.Words(0, len(toks)), tv.Words(0, len(toks)); w != tw {
			t.Errorf("%s: ReadTokens(in place %v): Words %+v, want %+v", name, inPlace, tw, w)
		}
		for i := range toks {
			s, e, stop, err := tv.TokenStop(i)
			ws, we, wstop, _ := v.TokenStop(i)
			if err != nil || s != ws || e != we || stop != wstop {
				t.Fatalf("%s: ReadTokens(in place %v): token %d %d-%d-%d (%v), want %d-%d-%d", name, inPlace, i, s, e, stop, err, ws, we, wstop)
			}
		}
	}
	if len(toks) > 0 {
		if _, _, err := st.ReadTokens(r, int(r.Bytes), len(toks), nil, false); err == nil {
			t.Errorf("%s: ReadTokens with more seeds than the record holds gave no error", name)
		}
	}
	// Places, for every first place listed and one that is not.
	want := make(map[uint32][]uint32)
	for i := 0; i < len(reps); i += 2 {
		want[reps[i]] = append(want[reps[i]], reps[i+1])
	}
	want[1<<30] = nil
	for first, later := range want {
		got, ok := v.Places(nil, first)
		if !ok || !slices.Equal(got, later) {
			t.Errorf("%s: Places(%d) = %v, %v; want %v, true", name, first, got, ok, later)
		}
	}
	return buf
}

// TestSeedViewPlaces: a view made from a record alone does not list the
// places of repeated fingerprints; a Record claiming more of them than
// its bytes hold is an error.
func TestSeedViewPlaces(t *testing.T) {
	st := NewSeeds()
	defer st.Close()
	toks := []shingle.Token{{Start: 0, End: 3}, {Start: 4, End: 9}, {Start: 10, End: 12}}
	r, rec, err := st.Put(nil, toks, seeds32(toks, 2), []uint32{0, 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewSeedView(rec[:r.Bytes-8], 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v.Places(nil, 0); ok {
		t.Error("a view of a record alone lists places")
	}
	r.Repeats = uint32(r.Bytes)
	if _, _, err := st.Read(r, 2, 3, nil); err != ErrCorrupt {
		t.Errorf("Read of a Record with %d repeats in %d bytes: %v, want ErrCorrupt", r.Repeats, r.Bytes, err)
	}
}

// FuzzSeedView: a damaged record is an error, never a panic.
func FuzzSeedView(f *testing.F) {
	st := NewSeeds()
	defer st.Close()
	toks := []shingle.Token{{Start: 3, End: 7}, {Start: 8, End: 300}, {Start: 301, End: 302}}
	_, rec, _ := st.Put(nil, toks, seeds32(toks, 2), nil, nil)
	f.Add(rec, 2, 3, 1)
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff}, 0, 2, 1)
	f.Fuzz(func(t *testing.T, rec []byte, count, n, i int) {
		if count > 1<<16 || n > 1<<16 {
			return
		}
		v, err := NewSeedView(rec, count, n)
		if err != nil {
			return
		}
		v.Seeds(nil)
		_, terr := v.Tokens(nil)
		if cerr := v.CheckTokens(); cerr != terr {
			t.Fatalf("CheckTokens = %v, Tokens' error %v", cerr, terr)
		}
		v.Token(i)
		if w := v.Words(i, i+n); w.Classes[0]+w.Classes[1]+w.Classes[2]+w.Classes[3] > int32(max(n, 0)) {
			t.Fatalf("Words(%d, %d) of %d tokens counts %v", i, i+n, n, w.Classes)
		}
	})
}

// TestAppendSeedRecord: a record appended after other bytes (unaligned)
// is the store's record, repeats included, and reads back the same
// through NewSeedView once they are cut off.
func TestAppendSeedRecord(t *testing.T) {
	st := NewSeeds()
	defer st.Close()
	const k = 3
	var toks []shingle.Token
	for i := range uint32(130) {
		toks = append(toks, shingle.Token{Start: 7 * i, End: 7*i + 1 + i%5, Hash: uint64(i) * 0x9e3779b97f4a7c15})
	}
	seeds := seeds32(toks, k)
	repeats := []uint32{3, 70, 3, 100, 9, 12}
	r, stored, err := st.Put(nil, toks, seeds, repeats, nil)
	if err != nil {
		t.Fatal(err)
	}
	buf := AppendSeedRecord([]byte{1, 2, 3}, nil, toks, seeds, repeats)
	rec := buf[3:]
	if !slices.Equal(rec, stored[:r.Bytes]) || r.Repeats != 3 {
		t.Fatalf("AppendSeedRecord = %d bytes, differs from Put's %d (%d repeats)", len(rec), r.Bytes, r.Repeats)
	}
	v, err := NewSeedView(rec[:len(rec)-8*len(repeats)/2], SeedCount(len(toks), k), len(toks))
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Seeds(nil); !slices.Equal(got, seeds) {
		t.Errorf("Seeds of an unaligned record = %v, want %v", got, seeds)
	}
	for i, w := range toks {
		if s, e, err := v.Token(i); err != nil || s != w.Start || e != w.End {
			t.Fatalf("Token(%d) = %d-%d, %v; want %d-%d", i, s, e, err, w.Start, w.End)
		}
	}
}

// TestPutRecord: a record given back by a view (SeedView.Bytes and
// Repeats) and written again reads as the original, whatever its length
// modulo 4 and whether it has repeated fingerprints.
func TestPutRecord(t *testing.T) {
	st, again := NewSeeds(), NewSeeds()
	defer st.Close()
	defer again.Close()
	const k = 2
	var buf []byte
	for n := range 9 {
		toks := make([]shingle.Token, n)
		for i := range toks {
			toks[i] = shingle.Token{Start: uint32(3 * i), End: uint32(3*i + 1 + i%2), Hash: uint64(i)}
		}
		var reps []uint32
		if n >= 3 {
			reps = []uint32{0, uint32(n - 1), 1, 2}
		}
		r, _, err := st.Put(nil, toks, seeds32(toks, k), reps, nil)
		if err != nil {
			t.Fatal(err)
		}
		v, _, err := st.Read(r, SeedCount(n, k), n, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Repeats(nil); !slices.Equal(got, reps) {
			t.Fatalf("%d tokens: Repeats = %v, want %v", n, got, reps)
		}
		var r2 Record
		extra := []byte(strings.Repeat("x", n%3))
		if r2, buf, err = again.PutRecord(v.Bytes(), v.Repeats(nil), extra, buf); err != nil {
			t.Fatal(err)
		}
		if r2.Bytes != r.Bytes || r2.Repeats != r.Repeats {
			t.Fatalf("%d tokens: PutRecord gave %+v, Put %+v", n, r2, r)
		}
		checkRecord(t, fmt.Sprintf("PutRecord, %d tokens", n), again, r2, toks, reps, k, nil)
		if got, _, err := again.ReadExtra(r2, len(extra), nil); err != nil || !bytes.Equal(got, extra) {
			t.Fatalf("%d tokens: ReadExtra after PutRecord = %q, %v; want %q", n, got, err, extra)
		}
	}
}

// TestSeedWriter: records written through several SeedWriters at once
// (some larger than a chunk, some with an extra record, beside direct
// Puts) read back as written, before and after the store is mapped.
func TestSeedWriter(t *testing.T) {
	st := NewSeeds()
	defer st.Close()
	const docs, k = 300, 3
	toks := make([][]shingle.Token, docs)
	extras := make([][]byte, docs)
	recs := make([]Record, docs)
	r := rand.New(rand.NewPCG(5, 6))
	for d := range toks {
		n := []int{0, 1, 2, 64, 1000, 5000}[r.IntN(6)]
		if d%97 == 5 {
			n = 200000 // a record beyond a chunk
		}
		end := uint32(r.IntN(1000))
		for range n {
			start := end + uint32(r.IntN(300))
			end = start + 1 + uint32(r.IntN(40))
			toks[d] = append(toks[d], shingle.Token{Start: start, End: end, Hash: r.Uint64()})
		}
		if r.IntN(2) == 0 {
			extras[d] = make([]byte, 1+r.IntN(9))
			for i := range extras[d] {
				extras[d][i] = byte(d + i)
			}
		}
	}
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			sw := st.NewWriter()
			var buf []byte
			var err error
			for d := w; d < docs; d += 3 {
				if d%10 == 0 { // a direct write between the writer's
					recs[d], buf, err = st.PutWith(nil, toks[d], seeds32(toks[d], k), nil, extras[d], buf)
				} else {
					recs[d], err = sw.PutWith(context.Background(), nil, toks[d], seeds32(toks[d], k), nil, extras[d])
				}
				if err != nil {
					t.Error(err)
				}
			}
			if err := sw.Flush(); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	check := func(mode string) {
		t.Helper()
		var buf, ebuf []byte
		for d := range toks {
			buf = checkRecord(t, fmt.Sprintf("%s, doc %d", mode, d), st, recs[d], toks[d], nil, k, buf)
			if len(extras[d]) > 0 {
				var got []byte
				var err error
				if got, ebuf, err = st.ReadExtra(recs[d], len(extras[d]), ebuf); err != nil || !slices.Equal(got, extras[d]) {
					t.Fatalf("%s, doc %d: extra %v, %v; want %v", mode, d, got, err, extras[d])
				}
				inPlace := got
				if got, ebuf, err = st.ReadExtraCopy(recs[d], len(extras[d]), ebuf); err != nil || !slices.Equal(got, extras[d]) {
					t.Fatalf("%s, doc %d: ReadExtraCopy %v, %v; want %v", mode, d, got, err, extras[d])
				}
				if st.Mapped() && &got[0] == &inPlace[0] {
					t.Fatalf("%s, doc %d: ReadExtraCopy gave the mapped bytes", mode, d)
				}
			}
		}
	}
	check("pread")
	st.Seal()
	if !st.Mapped() && runtime.GOOS == "linux" {
		t.Error("Seal did not map the store")
	}
	check("mapped")
}

// TestSeedStop: a record made with its text gives each token's end with
// the punctuation ending a sentence after it (shingle.SentenceStop),
// through TokenStop, across checkpoints; Token and Tokens give the tokens'
// own offsets; a record made without text gives no stops.
func TestSeedStop(t *testing.T) {
	var b strings.Builder
	for i := range 150 {
		fmt.Fprintf(&b, "word%d", i)
		switch i % 7 {
		case 3:
			b.WriteString(". ")
		case 5:
			b.WriteString(".” ")
		default:
			b.WriteString(" ")
		}
	}
	text := []byte(b.String())
	toks := shingle.NewTokenizer().Tokenize(nil, text)
	for _, withText := range []bool{true, false} {
		var src []byte
		if withText {
			src = text
		}
		v, err := NewSeedView(AppendSeedRecord(nil, src, toks, nil, nil), 0, len(toks))
		if err != nil {
			t.Fatal(err)
		}
		all, err := v.Tokens(nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, tk := range toks {
			want := tk.End
			if withText {
				want += uint32(shingle.SentenceStop(text, int(tk.End)))
			}
			s, e, err1 := v.Token(i)
			s2, e2, stop, err2 := v.TokenStop(i)
			if err1 != nil || err2 != nil || s != tk.Start || e != tk.End || stop != want || s2 != s || e2 != e ||
				all[i].Start != tk.Start || all[i].End != tk.End {
				t.Fatalf("text %v, token %d %q: Token %d-%d, Stop %d, Tokens %d-%d (%v, %v); want %d-%d, %d",
					withText, i, text[tk.Start:tk.End], s, e, stop, all[i].Start, all[i].End, err1, err2, tk.Start, tk.End, want)
			}
		}
		// Word classes, counted over ranges, against ClassOf token by
		// token (every token OtherWord without the text).
		checkClasses(t, v, withText, text, toks)
	}
	if n := shingle.SentenceStop(text, int(toks[5].End)); n != 4 {
		t.Fatalf("the test's text: stop after %q is %d bytes, want 4", text[toks[5].Start:toks[5].End], n)
	}
}

// TestSeedWordClasses: a record's word classes, quotation marks and quotations,
// counted over ranges of tokens across checkpoints, are those ClassOf and
// QuoteMarks give its tokens.
func TestSeedWordClasses(t *testing.T) {
	var b strings.Builder
	for i := range 300 {
		b.WriteString([]string{"Jane ", "Doe, ", "the ", "spokeswoman ", "of ", "NATO ", "42 ", "“Ωμέγα ", "said” "}[i%9])
	}
	text := []byte(b.String())
	toks := shingle.NewTokenizer().Tokenize(nil, text)
	v, err := NewSeedView(AppendSeedRecord(nil, text, toks, make([]uint32, SeedCount(len(toks), 3)), nil), SeedCount(len(toks), 3), len(toks))
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Words(0, 9); got != (shingle.Words{Classes: [4]int32{shingle.OtherWord: 2, shingle.FunctionWord: 3, shingle.NameWord: 3, shingle.ContentWord: 1}, Quoted: true, Quotation: 2, Opens: true}) {
		t.Errorf("Words of the first 9 tokens = %v", got)
	}
	if got := v.Words(7, 8); !got.Quoted {
		t.Errorf("Words(7, 8) of %q = %v, want it quoted", text[toks[7].Start:toks[7].End], got)
	}
	if got := v.Words(0, 7); got.Quoted {
		t.Errorf("Words(0, 7) = %v, want it not quoted", got)
	}
	checkClasses(t, v, true, text, toks)
}

func checkClasses(t *testing.T, v SeedView, withText bool, text []byte, toks []shingle.Token) {
	t.Helper()
	for from := 0; from < len(toks); from += 7 {
		for _, to := range []int{from, from + 1, from + 70, len(toks), len(toks) + 3} {
			var want shingle.Words
			for i, tk := range toks[from:min(to, len(toks))] {
				c := shingle.OtherWord
				if withText {
					c = shingle.ClassOf(text, tk)
					marks := shingle.QuoteMarks(text, toks, from+i)
					want.Quoted = want.Quoted || i == 0 && marks&shingle.QuoteBefore != 0 || from+i == min(to, len(toks))-1 && marks&shingle.QuoteAfter != 0
				}
				want.Classes[c]++
			}
			// The longest quotation: to a token j before a closing
			// mark from the last token i <= j after an opening one,
			// with no closing mark in [i, j).
			for j := from; withText && j < min(to, len(toks)); j++ {
				if shingle.QuoteMarks(text, toks, j)&shingle.QuoteAfter == 0 {
					continue
				}
				i := j
				for i >= from && shingle.QuoteMarks(text, toks, i)&shingle.QuoteBefore == 0 {
					i--
				}
				closed := false
				for x := max(i, from); x < j; x++ {
					closed = closed || shingle.QuoteMarks(text, toks, x)&shingle.QuoteAfter != 0
				}
				if i >= from && !closed {
					want.Quotation = max(want.Quotation, int32(j+1-i))
				}
			}
			// Sentence edges: the range's first token is the
			// document's or follows a stop; its last is followed by one.
			if end := min(to, len(toks)); withText && from < end {
				want.Opens = from == 0 || shingle.SentenceStop(text, int(toks[from-1].End)) > 0
				want.Closes = shingle.SentenceStop(text, int(toks[end-1].End)) > 0
			} else if from == 0 && from < end {
				want.Opens = true
			}
			if got := v.Words(from, to); got != want {
				t.Fatalf("text %v: Words(%d, %d) = %v, want %v", withText, from, to, got, want)
			}
		}
	}
}

// TestSeedTokensWide: tokens whose gaps and lengths take one, two and
// three bytes of varint (up to 20,000 bytes) come back from Token and
// TokenStop as the tokenizer gave them, across checkpoints.
func TestSeedTokensWide(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	var b strings.Builder
	for range 400 {
		b.WriteString(strings.Repeat(" ", []int{1, 2, 127, 128, 300, 20000}[r.IntN(6)]))
		b.WriteString(strings.Repeat("w", []int{1, 3, 31, 32, 200, 5000}[r.IntN(6)]))
		if r.IntN(4) == 0 {
			b.WriteString(".")
		}
	}
	text := []byte(b.String())
	toks := shingle.NewTokenizer().Tokenize(nil, text)
	v, err := NewSeedView(AppendSeedRecord(nil, text, toks, nil, nil), 0, len(toks))
	if err != nil {
		t.Fatal(err)
	}
	for i, tk := range toks {
		s, e, stop, err := v.TokenStop(i)
		if want := tk.End + uint32(shingle.SentenceStop(text, int(tk.End))); err != nil || s != tk.Start || e != tk.End || stop != want {
			t.Fatalf("TokenStop(%d) = %d-%d, %d (%v); want %d-%d, %d", i, s, e, stop, err, tk.Start, tk.End, want)
		}
	}
}

func BenchmarkTokenStop(b *testing.B) {
	var sb strings.Builder
	for i := range 100000 {
		fmt.Fprintf(&sb, "w%d ", i%977)
	}
	text := []byte(sb.String())
	toks := shingle.NewTokenizer().Tokenize(nil, text)
	v, err := NewSeedView(AppendSeedRecord(nil, text, toks, nil, nil), 0, len(toks))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, _, _, err := v.TokenStop(i); err != nil {
			b.Fatal(err)
		}
		i = (i + 7919) % len(toks)
	}
}

// TestSeedRecordSizedOnce: a large document's record is made at its
// exact size (a record grown as it is written was copied whole, by a copy
// the collector could not interrupt), with room for what PutWith adds,
// whatever the varints' lengths; varintBytes is their exact size there.
func TestSeedRecordSizedOnce(t *testing.T) {
	for _, tc := range []struct {
		name     string
		gap, len func(i uint32) uint32 // a token's distance from the last, and its length
	}{
		{"one-byte varints", func(uint32) uint32 { return 1 }, func(i uint32) uint32 { return 1 + i%31 }},
		{"long tokens", func(uint32) uint32 { return 1 }, func(i uint32) uint32 { return 1 + i%300 }},
		{"wide gaps", func(i uint32) uint32 { return 1 + i%20000 }, func(uint32) uint32 { return 3 }},
		{"mixed", func(i uint32) uint32 { return 1 + (i*i)%200 }, func(i uint32) uint32 { return 1 + (i*7)%40 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			toks := make([]shingle.Token, exactVarints+5)
			var end uint32
			for i := range toks {
				start := end + tc.gap(uint32(i))
				end = start + tc.len(uint32(i))
				toks[i] = shingle.Token{Start: start, End: end}
			}
			varints := 0
			end = 0
			for _, tk := range toks {
				varints += len(binary.AppendUvarint(nil, uint64(tk.Start-end))) + len(binary.AppendUvarint(nil, uint64(tk.End-tk.Start)<<2))
				end = tk.End
			}
			if got, err := varintBytes(context.Background(), toks); got != varints || err != nil {
				t.Fatalf("varintBytes = %d, %v; want %d", got, err, varints)
			}
			seeds := make([]uint32, SeedCount(len(toks), 3))
			repeats := []uint32{1, 5, 2, 9}
			const room = 10
			rec, err := appendSeedRecord(context.Background(), nil, nil, toks, seeds, repeats, room)
			if err != nil {
				t.Fatal(err)
			}
			if cap(rec) != len(rec)+room {
				t.Errorf("record of %d bytes has capacity %d, want %d: grown as it was written", len(rec), cap(rec), len(rec)+room)
			}
		})
	}
}
