// Package spool keeps what a scan's stages hand each other in temporary
// files instead of memory: the texts that cannot be read again from
// disk, every document's seeds and token offsets, and the postings on
// their way to the shuffle. The process holds none of it: memory grows
// with the number of documents and with the budget of the stage at work,
// not with the text.
//
// Every file is created in os.TempDir ($TMPDIR) and unlinked at once where
// the system allows it, so nothing is left behind even if the process is
// killed. A scan needs about 14 bytes of temporary space a word of text at
// its peak (measured with scripts/tmpspace.sh; docs/benchmarks.md).
//
// # Formats
//
// All integers are little endian.
//
//	Texts     the extracted or decompressed texts, one after another,
//	          located by (offset, length) kept by the caller
//
//	Seeds     one record per document, located by a Record:
//	            seeds    max(n-k+1, 0) × uint32: the low 32 bits of the
//	                     aligner's k-token seed hashes
//	            marks    ⌈n/64⌉ × 2 uint32: for every 64th token, where its
//	                     offsets start in the uvarints and its start
//	            classes  ⌈n/2⌉ bytes: each token's shingle.WordClass
//	                     in two bits and its quotation marks
//	                     (shingle.QuoteBefore, QuoteAfter) in two more,
//	                     two tokens a byte, the first in the low bits
//	                     (shingle.AppendWordClasses)
//	            offsets  n × 2 uvarints: the gap from the previous
//	                     token's end (0 for the first) to the token's
//	                     start, in bytes, and the token's length in
//	                     bytes shifted left by 2, its low 2 bits the
//	                     punctuation ending a sentence right after the
//	                     token (shingle.StopCode: none, 1, 2 or 4 bytes)
//	            repeats  m × 2 uint32: (first place, later place) of each
//	                     fingerprint the document holds more than once,
//	                     sorted; m is in the Record
//	            extra    (PutWith) from the next 4-byte boundary, another
//	                     record of the document whose length the caller
//	                     keeps: package reword's Doc record (AppendDoc),
//	                     about 2.5 bytes a token
//	          for n tokens: about 6.3 bytes a token, 8.8 with extra. Once sealed, the file is
//	          mapped into memory where the system allows it and records
//	          are read in place; the pages belong to the page cache,
//	          shared and reclaimable. Elsewhere records are read with pread,
//	          a system call a record (docs/benchmarks.md).
//
//	Postings  blocks of up to 2,048 postings of 20 bytes (hash uint64,
//	          document uint32: its sequence number in stage 1, position
//	          uint32, the digest of the words around uint32), each block holding postings of one partition: the
//	          top 8 bits of their hashes. Stage 2 loads partitions in
//	          order, as many at a time as its memory budget allows, so
//	          that postings come out in hash order whatever the budget.
//
// All types are safe for concurrent use unless their documentation says
// otherwise.
package spool
