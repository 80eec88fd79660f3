package shingle

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// Word lists for generated benchmark text, written for these benchmarks.
var (
	asciiWords = strings.Fields(`
		the of and to in a is that for on said was with he it as at by from his
		have has but are be an not they this who were had been their which its
		after would will more than about one year two new people government
		minister police city president officials report company market week
		state council court told last first could also over into percent
		million billion bridge school health water election vote party plan
		budget tax workers union strike talks agreement statement spokesman
		spokeswoman Tuesday Monday Friday March June October residents local
		national international border trade prices inflation rate bank
		investigation hospital weather storm flood fire road traffic railway
		station airport flight passengers museum university students teachers
		study researchers found data results evidence climate energy power
		reopen closed announced expected according sources confirmed denied
		it's don't won't isn't there's we're they've couldn't`)

	mixedWords = strings.Fields(`
		the minister said l’Assemblée nationale a adopté le projet de loi après
		débat données élève façon Straße Größe Müller über können während
		naïve café déjà-vu coöperation señora año niño información política
		Президент заявил переговоры продолжатся в понедельник правительство
		Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία Αθήνα ΟΔΟΣ
		東京都 新しい 条例 施行 した 政府 発表 経済 対策 記者会見 こんにちは
		北京 上海 市场 价格 上涨 新闻 报道 ข่าว รัฐบาล ประกาศ มาตรการ ใหม่
		नई दिल्ली बारिश كتاب جديد don’t it’s won’t “quoted” «cité» ２０２４ ﬁnal`)

	// Chinese and Japanese: one token a character.
	cjkWords = strings.Fields(`
		政府 今天 宣布 新的 经济 政策 市场 价格 继续 上涨 记者 报道 城市
		交通 学校 学生 医院 天气 大雨 委员会 会议 决定 计划 银行 利率
		東京 大阪 新しい 法律 施行 首相 発表 会見 選挙 投票 住民 地域
		カメラ ニュース コンピュータ データ ネットワーク ひらがな ありがとう`)
)

// benchText returns about size bytes of text built from words: sentences
// of 6 to 24 words with commas, numbers and paragraph breaks.
func benchText(words []string, size int) []byte {
	r := rand.New(rand.NewPCG(uint64(size), 42))
	var b strings.Builder
	for b.Len() < size {
		n := 6 + r.IntN(19)
		for i := range n {
			w := words[r.IntN(len(words))]
			if i == 0 {
				c, cs := utf8.DecodeRuneInString(w)
				w = string(unicode.ToUpper(c)) + w[cs:]
			} else {
				b.WriteByte(' ')
			}
			if r.IntN(30) == 0 {
				fmt.Fprintf(&b, "%d ", r.IntN(10000))
			}
			b.WriteString(w)
			if i < n-1 && r.IntN(8) == 0 {
				b.WriteByte(',')
			}
		}
		b.WriteString(". ")
		if r.IntN(6) == 0 {
			b.WriteString("\n\n")
		}
	}
	return []byte(b.String()[:size])
}

var benchSizes = []struct {
	name string
	n    int
}{{"1KB", 1 << 10}, {"64KB", 64 << 10}, {"1MB", 1 << 20}}

func BenchmarkTokenize(b *testing.B) {
	for _, lang := range []struct {
		name  string
		words []string
	}{{"ascii", asciiWords}, {"mixed", mixedWords}, {"cjk", cjkWords}} {
		for _, sz := range benchSizes {
			b.Run(lang.name+"/"+sz.name, func(b *testing.B) {
				text := benchText(lang.words, sz.n)
				tk := NewTokenizer()
				dst := tk.Tokenize(nil, text)
				b.SetBytes(int64(len(text)))
				b.ReportAllocs()
				for b.Loop() {
					dst = tk.Tokenize(dst[:0], text)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(dst)), "ns/token")
			})
		}
	}
}

// benchTokens returns the tokens of 1 MB of ASCII text and its length.
func benchTokens() ([]Token, int) {
	text := benchText(asciiWords, 1<<20)
	return NewTokenizer().Tokenize(nil, text), len(text)
}

// The benchmarks below SetBytes to the length of the text behind their
// input, so that their MB/s compare with BenchmarkTokenize's.

func BenchmarkShingles(b *testing.B) {
	toks, n := benchTokens()
	dst := make([]uint64, 0, len(toks))
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		dst = Shingles(dst[:0], toks, 5)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(toks)), "ns/token")
}

func BenchmarkWinnow(b *testing.B) {
	toks, n := benchTokens()
	hashes := Shingles(nil, toks, 5)
	dst, scratch := Winnow(nil, nil, hashes, 8)
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		dst, scratch = Winnow(dst[:0], scratch, hashes, 8)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(hashes)), "ns/shingle")
}

// BenchmarkSign signs the shingles of a paragraph (1 KB) and of an article
// (64 KB) of text: its cost is size × shingles.
func BenchmarkSign(b *testing.B) {
	for _, sz := range benchSizes[:2] {
		for _, size := range []int{64, 256} {
			b.Run(fmt.Sprintf("%s/size=%d", sz.name, size), func(b *testing.B) {
				text := benchText(asciiWords, sz.n)
				hashes := Shingles(nil, NewTokenizer().Tokenize(nil, text), 5)
				s := NewSigner(size)
				dst := s.Sign(nil, hashes)
				b.SetBytes(int64(len(text)))
				b.ReportAllocs()
				for b.Loop() {
					dst = s.Sign(dst[:0], hashes)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(hashes)), "ns/shingle")
			})
		}
	}
}

// BenchmarkWordClasses: the word classes of 1 MB of text (stage 1 packs
// them into every seed record).
func BenchmarkWordClasses(b *testing.B) {
	for _, lang := range []struct {
		name  string
		words []string
	}{{"ascii", asciiWords}, {"mixed", mixedWords}, {"cjk", cjkWords}} {
		b.Run(lang.name, func(b *testing.B) {
			text := benchText(lang.words, 1<<20)
			toks := NewTokenizer().Tokenize(nil, text)
			dst := AppendWordClasses(nil, text, toks)
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				dst = AppendWordClasses(dst[:0], text, toks)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(toks)), "ns/token")
		})
	}
}

// BenchmarkFrequenciesAdd counts documents of 600 shingles each (random
// hashes, one in twenty repeated inside its document) into tables of 16
// MB and 128 MB, which no cache holds: its cost is a slot's miss a
// distinct shingle, plus finding the document's repeats.
func BenchmarkFrequenciesAdd(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	docs := make([][]uint64, 1000)
	for i := range docs {
		hs := make([]uint64, 600)
		for j := range hs {
			hs[j] = r.Uint64()
			if j > 0 && r.IntN(20) == 0 {
				hs[j] = hs[r.IntN(j)]
			}
		}
		docs[i] = hs
	}
	for _, slots := range []int{1 << 24, 1 << 27} {
		b.Run(fmt.Sprintf("%dMB", slots>>20), func(b *testing.B) {
			f := NewFrequencies(slots)
			var scratch []uint64
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				scratch = f.AddDocument(docs[i%len(docs)], scratch)
				i++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(i*600), "ns/shingle")
		})
	}
}
