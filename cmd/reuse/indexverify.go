package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/reuse-tool/reuse/archive"
)

const indexVerifyUsage = `usage: reuse index verify IDX

Check every file of the index IDX: the manifest, every segment's tables,
every document's records (checksums, and their parts against each other)
and every block of postings, that the postings are exactly those the
documents give, the removal files, and that no id is held twice. Each
problem is reported naming its file; the exit status is then 1. A
damaged index is made again from the archive with reuse index create.

Example:
  reuse index verify news.idx

Flags:
`

const exitVerifyHelp = exitOKHelp + `  1    the index has problems (each was reported)
` + exitCommonHelp

func runIndexVerify(ctx context.Context, args []string, stdout, stderr io.Writer) (bool, error) {
	idx, err := openIndexArg("verify", indexVerifyUsage, exitVerifyHelp, args, stdout, nil)
	if err != nil {
		return false, err
	}
	start := time.Now()
	st, err := archive.Verify(ctx, idx, func(err error) {
		fmt.Fprintf(stderr, "reuse: %s\n", userMessage(err))
	})
	if err != nil {
		return false, err
	}
	verdict := "no problems"
	if st.Problems > 0 {
		verdict = plural(int64(st.Problems), "problem")
	}
	return st.Problems > 0, emit("", stdout, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s: %s: %s, %s, %s (%s) checked in %s\n", idx, verdict,
			plural(int64(st.Segments), "segment"), plural(int64(st.Documents), "document"), plural(st.Postings, "posting"),
			megabytes(st.Bytes), seconds(time.Since(start)))
		return err
	})
}
