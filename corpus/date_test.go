package corpus

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2020-05-23", "2020-05-23"},
		{"2020-5-3", "2020-05-03"},
		{"2020-05-23T10:00:00Z", "2020-05-23"},
		{"2020-05-23T23:30:00-07:00", "2020-05-23"}, // the date as written, not in UTC
		{"2020-05-23T10:00:00.123+02:00", "2020-05-23"},
		{"2020-05-23 10:00", "2020-05-23"},
		{"2020/05/23", "2020-05-23"},
		{"2020.05.23", "2020-05-23"},
		{"  \"2020-05-23\" ", "2020-05-23"},
		{"May 23, 2020", "2020-05-23"},
		{"may 23 2020", "2020-05-23"},
		{"September 5th, 2020", "2020-09-05"},
		{"Sept. 5, 2020", "2020-09-05"},
		{"23 May 2020", "2020-05-23"},
		{"23 May, 2020", "2020-05-23"},
		{"1st JAN 1999", "1999-01-01"},
		{"23-May-2020", "2020-05-23"},
		{"Sat, 23 May 2020 10:00:00 GMT", "2020-05-23"},
		{"Saturday, May 23, 2020", "2020-05-23"},
		{"2020-02-29", "2020-02-29"},

		{"", ""},
		{"2021-02-29", ""},
		{"2020-13-01", ""},
		{"2020-00-10", ""},
		{"2020-05-32", ""},
		{"2020-05", ""},
		{"2020-05/23", ""},
		{"20200523", ""},
		{"23/05/2020", ""},
		{"05/23/2020", ""},
		{"0999-01-01", ""},
		{"2020-05-23x", ""},
		{"2020-05-234", ""},
		{"2020-05-23Tnoon", ""},
		{"May 2020", ""},
		{"Mayo 23, 2020", ""},
		{"May 23, 20", ""},
		{"May 23, 20201", ""},
		{"May 32, 2020", ""},
		{"23 Foo 2020", ""},
		{"23rdish May 2020", ""},
		{"yesterday", ""},
		{"Sat", ""},
	}
	for _, tt := range tests {
		if got := ParseDate(tt.in); got != tt.want {
			t.Errorf("ParseDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTextDate(t *testing.T) {
	tests := []struct {
		in, want string
		header   string // the metadata the text opens with
	}{
		{" date 2020-05-23 President said...", "2020-05-23", " date 2020-05-23 "},
		{"date: 2020-05-23\nText", "2020-05-23", "date: 2020-05-23"},
		{"DATE:May 23, 2020. Text", "2020-05-23", "DATE:May 23, 2020"},
		{"\n\t Date  :  23 May 2020 Text", "2020-05-23", "\n\t Date  :  23 May 2020 "},
		{"\ufeffdate 2020/05/23", "2020-05-23", "\ufeffdate 2020/05/23"},
		{"Date: Sat, 23 May 2020 10:00:00 GMT\n", "2020-05-23", "Date: Sat, 23 May 2020 10:00:00 GMT"},
		{"date 2020-05-23 9:30 +0200 Text", "2020-05-23", "date 2020-05-23 9:30 +0200 "},
		{"date 2020-05-23 2021 budget passed", "2020-05-23", "date 2020-05-23 "},
		{"date 2020-05-23T10:00Z text", "2020-05-23", "date 2020-05-23T10:00Z "},
		{"---\ntitle: A post\ndate: 2020-05-23\n---\nBody", "2020-05-23", "---\ntitle: A post\ndate: 2020-05-23\n---\n"},
		{"---\r\nDate: \"May 23, 2020\" # published\r\n---\r\n", "2020-05-23", "---\r\nDate: \"May 23, 2020\" # published\r\n---\r\n"},
		{"---\ndate: 2020-05-23\n...\n", "2020-05-23", "---\ndate: 2020-05-23\n...\n"},
		{"+++\ntitle = \"x\"\ndate = 2020-05-23T10:00:00Z\n+++\n", "2020-05-23", "+++\ntitle = \"x\"\ndate = 2020-05-23T10:00:00Z\n+++\n"},
		{"---\ntitle: no date\n---\nBody", "", "---\ntitle: no date\n---\n"}, // front matter is metadata all the same

		{"", "", ""},
		{"date", "", ""},
		{"dated 2020-05-23", "", ""},
		{"update 2020-05-23", "", ""},
		{"The date 2020-05-23", "", ""},
		{"date 2020-05-23x", "", ""},
		{"date May 23, 2020abc", "", ""},
		{"date: tomorrow", "", ""},
		{"Text\ndate: 2020-05-23", "", ""},
		{"---\ndate: 2020-05-23\n", "", ""}, // no closing line
		{"---\ntitle: x\n---\ndate: 2020-05-23", "", "---\ntitle: x\n---\n"},
		{"--- \ndate: 2020-05-23\n---\n", "", ""},
	}
	for _, tt := range tests {
		got, header := textDate([]byte(tt.in))
		if got != tt.want || tt.in[:header] != tt.header {
			t.Errorf("textDate(%q) = %q, header %q; want %q, %q", tt.in, got, tt.in[:header], tt.want, tt.header)
		}
	}
}

// isYMD reports whether s is a valid YYYY-MM-DD date.
func isYMD(s string) bool {
	t, err := time.Parse(time.DateOnly, s)
	return err == nil && t.Format(time.DateOnly) == s
}

// TestParseDateEveryDay checks every day of four years, leap ones included,
// in three spellings, against the time package.
func TestParseDateEveryDay(t *testing.T) {
	for d := time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2003; d = d.AddDate(0, 0, 1) {
		want := d.Format(time.DateOnly)
		for _, in := range []string{want, d.Format("January 2, 2006"), d.Format("Mon, 2 Jan 2006 15:04:05 MST"), d.Format("2006/1/2")} {
			if got := ParseDate(in); got != want {
				t.Fatalf("ParseDate(%q) = %q, want %q", in, got, want)
			}
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2020-05-23", "2020-05-23T10:00:00Z", "2020/05/23", "May 23, 2020", "23 May 2020",
		"Sat, 23 May 2020 10:00:00 GMT", "Sept. 5th, 2020", "2021-02-29", "date: 2020-05-23 text",
		"---\ndate: 2020-05-23\n---\n", "9999-12-31", "0000-00-00", "May", "23",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d := ParseDate(s); d != "" && !isYMD(d) {
			t.Errorf("ParseDate(%q) = %q, not YYYY-MM-DD", s, d)
		}
		if d, _ := textDate([]byte(s)); d != "" && !isYMD(d) {
			t.Errorf("textDate(%q) = %q, not YYYY-MM-DD", s, d)
		}
	})
}
