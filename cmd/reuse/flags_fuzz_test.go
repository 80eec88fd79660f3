package main

import (
	"strconv"
	"strings"
	"testing"
)

// FuzzParseSize: any string is read as a size or refused, never a panic;
// a size read is positive and at most 1<<62 (what --memory and
// --max-bytes can hold); an error quotes the input. A plain count of
// bytes in that range reads as itself, and with a unit as itself times
// the unit, or is refused when the product is out of range.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"512MiB", "4GB", "1.5GB", " 2kib ", "1048576", "200 mb", "7B",
		"0", "-1", "", "MB", "12XB", "1e3", "0x10", "Inf", "1.5.2MB", "0.0001B",
		"9999999999TiB", "4611686018427387904", "4194304TiB"} {
		f.Add(s, int64(len(s))<<20)
	}
	f.Add("", int64(1)<<62)
	f.Fuzz(func(t *testing.T, s string, n int64) {
		got, err := parseSize(s)
		if err == nil && (got <= 0 || got > 1<<62) {
			t.Errorf("parseSize(%q) = %d, want a size in 1..1<<62", s, got)
		}
		if err != nil && !strings.Contains(err.Error(), strconv.Quote(s)) {
			t.Errorf("parseSize(%q) error %q does not quote the input", s, err)
		}
		if n <= 0 || n > 1<<62 {
			return
		}
		plain := strconv.FormatInt(n, 10)
		if got, err := parseSize(plain); err != nil || got != n {
			t.Errorf("parseSize(%q) = %d, %v; want %d", plain, got, err, n)
		}
		for _, u := range []struct {
			suffix string
			mult   int64
		}{{"KiB", 1 << 10}, {" GiB", 1 << 30}, {"kb", 1e3}, {"TB", 1e12}, {" b", 1}} {
			got, err := parseSize(plain + u.suffix)
			switch {
			case n <= (1<<62)/u.mult && (err != nil || got != n*u.mult):
				t.Errorf("parseSize(%q) = %d, %v; want %d", plain+u.suffix, got, err, n*u.mult)
			case n > (1<<62)/u.mult && err == nil:
				t.Errorf("parseSize(%q) = %d, want an error (beyond 1<<62)", plain+u.suffix, got)
			}
		}
	})
}
