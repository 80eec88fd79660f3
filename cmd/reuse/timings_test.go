package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestTimingsStarting: what ran before reading shows as "starting" only
// when it prints as 0.01 s or more.
func TestTimingsStarting(t *testing.T) {
	tests := []struct {
		before time.Duration
		want   string // "" for no starting
	}{
		{0, ""},
		{time.Millisecond, ""},
		{4 * time.Millisecond, ""},
		{6 * time.Millisecond, "starting 0.01 s"},
		{250 * time.Millisecond, "starting 0.25 s"},
	}
	for _, tt := range tests {
		start := time.Now().Add(-time.Second)
		tm := &timings{marks: []mark{
			{name: "start", wall: start, usage: usage{cpu: -1}},
			{name: "reading", wall: start.Add(tt.before), usage: usage{cpu: -1}},
		}}
		var b bytes.Buffer
		tm.report(&b)
		got := b.String()
		if tt.want == "" && strings.Contains(got, "starting") || tt.want != "" && !strings.HasPrefix(got, "timings: "+tt.want+", reading ") {
			t.Errorf("%v before reading: %q, want starting %q", tt.before, got, tt.want)
		}
	}
}
