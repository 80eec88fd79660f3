// Package shingle turns text into the units that reuse detection compares:
// normalized word tokens with byte offsets, rolling hashes of k-token
// shingles, winnowing fingerprints, and MinHash signatures.
//
// # Normalization
//
// Tokens are runs of letters, digits and combining marks. Each token is
// normalized to Unicode NFKC and case-folded; apostrophes inside a word
// (' ’ ʼ) and soft hyphens are dropped, so "Don’t" and "don't" are the
// same token; a word hyphenated across a line break ("recon-\nstruction")
// is one token. Everything else (spaces, punctuation, quotes, dashes,
// invalid UTF-8 bytes) separates tokens. Scripts written without spaces
// (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) give one token per
// character, a character being a base letter with the combining marks that
// follow it (Thai "ที่" is one token; "か\u3099" is the same token as "が").
// Variation selectors are not hashed. Offsets always index the original
// bytes.
//
// # Hashes
//
// A token hash is 64-bit FNV-1a of the normalized bytes, finished with the
// SplitMix64 mixer; a shingle hash is a polynomial rolling hash of k token
// hashes, mixed again. All seeds are fixed: the same text gives the same
// hashes on every run and machine.
//
// # Cost
//
// Tokenize is O(len(text)) with no allocation per token once its dst slice
// and the Tokenizer's scratch have grown (ASCII words take a fast path;
// other words are normalized with golang.org/x/text). Shingles and Winnow
// are O(n) and allocate only to grow dst.
//
// A Tokenizer or Signer is NOT safe for concurrent use: give each worker
// its own. The functions are safe for concurrent use.
package shingle
