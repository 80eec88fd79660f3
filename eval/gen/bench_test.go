package gen

import (
	"context"
	"fmt"
	"testing"
)

func BenchmarkGenerate(b *testing.B) {
	for _, docs := range []int{200, 2000} {
		b.Run(fmt.Sprint(docs), func(b *testing.B) {
			b.ReportAllocs()
			var total int64
			for b.Loop() {
				tr, err := Generate(context.Background(), b.TempDir(), Config{Seed: 1, Docs: docs})
				if err != nil {
					b.Fatal(err)
				}
				total = 0
				for _, d := range tr.Documents {
					total += int64(d.Bytes)
				}
			}
			b.SetBytes(total)
		})
	}
}
