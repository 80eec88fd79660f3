package html

import (
	"fmt"
	"sort"
	"strings"

	"github.com/reuse-tool/reuse/result"
)

// fixture is a small hand-made corpus for the HTML report: a harbour
// story reprinted with edits by a daily, reposted by a blog, quoted by a
// hostile document (whose ID tries to climb out of the report folder and
// whose text holds markup), a document in broken Latin-1, and one that
// shares nothing. A footer is boilerplate.
type fixture struct {
	r     *result.Result
	texts map[string][]byte
}

const (
	hfX      = "../../x.html"
	hfBlog   = "blog/harbor-copy.txt"
	hfAlone  = "misc/alone.txt"
	hfLatin  = "misc/latin1.txt"
	hfHarbor = "news/2020-05-01-harbor.txt"
	hfDaily  = "news/2020-05-02-daily.txt"

	hfP1  = "The harbor commission voted on Tuesday to close the old fish market by the end of the year, ending more than a century of trade on the eastern pier. Commissioners said the building no longer meets safety codes and that repairs would cost more than eleven million dollars."
	hfP1e = "The harbour commission voted on Tuesday to shut the old fish market by the end of the year, ending more than a century of trade on the eastern pier. Commissioners said the building no longer meets safety codes and that repairs would cost more than eleven million dollars."
	hfP2  = "Vendors who have sold fish at the market for decades said they were given little warning. Several asked the commission to delay the vote until a new site could be found, but the motion to postpone failed by four votes to three."
	hfP2e = "Vendors who have sold fish at the market for decades said they had been given almost no warning. Several asked the commission to delay the vote until a new site could be found, but the motion failed by four votes to three."
	hfP3  = "The commission will hold a public meeting next month to discuss what should replace the market. Proposals so far include a ferry terminal, a park and a hotel."
	hfP3e = "The commission will hold a public meeting next month to discuss what should replace the market. Proposals so far include a ferry terminal, a public park and a small hotel."
	hfL1  = "Residents of the north district are asked to boil their water until further notice after tests found bacteria in the reservoir."
	hfL1e = "Residents of the north district are asked to boil their drinking water until further notice after tests found bacteria in the reservoir."
	hfBP  = "Subscribe to our newsletter for more stories like this one."
)

// hfHostile is the text of the hostile document.
const hfHostile = "<script>window.pwned=1</script>\nA reader wrote: \"><img src=x onerror=\"window.pwned=2\"> and then quoted the report: " + hfP1 +
	" End of quote. </textarea><b>bold?</b> & &amp; ' \" <!-- -->\n"

func newFixture() *fixture {
	texts := map[string]string{
		hfHarbor: "Harbor to close fish market\n\n" + hfP1 + "\n\n" + hfP2 + "\n\n" + hfP3 + "\n\n" + hfBP + "\n",
		hfDaily:  "City news in brief.\n\n" + hfP1e + "\n\nIn other news, the library will extend its opening hours during the summer, and the city pool reopens on the first of June.\n\n" + hfP2e + "\n\n" + hfL1 + "\n\n" + hfBP + "\n",
		hfBlog:   "Reposted from the harbor desk:\n\n" + hfP1 + "\n\n" + hfP2 + "\n\n" + hfP3e + "\n\nWhat do you think? Leave a comment below.\n\n" + hfBP + "\n",
		hfX:      hfHostile,
		hfLatin:  "Notice \xe9t\xe9 from the water board\xff.\n" + hfL1e + "\nMerci \xe0 tous.\n",
		hfAlone:  "Nothing here is shared with any other document in this small collection of test texts.\n",
	}
	dates := map[string]string{hfHarbor: "2020-05-01", hfDaily: "2020-05-02", hfBlog: "2020-05-03", hfLatin: "2020-04-30"}
	type tp struct {
		a, b string
		ps   [][3]string // phrase in a, phrase in b, cluster
	}
	pairs := []tp{
		{hfX, hfBlog, [][3]string{{hfP1, hfP1, "1"}}},
		{hfX, hfHarbor, [][3]string{{hfP1, hfP1, "1"}}},
		{hfX, hfDaily, [][3]string{{hfP1, hfP1e, "1"}}},
		{hfBlog, hfHarbor, [][3]string{{hfP1, hfP1, "1"}, {hfP2, hfP2, "2"}, {hfP3e, hfP3, "3"}}},
		{hfBlog, hfDaily, [][3]string{{hfP1, hfP1e, "1"}, {hfP2, hfP2e, "2"}}},
		{hfLatin, hfDaily, [][3]string{{hfL1e, hfL1, "4"}}},
		{hfHarbor, hfDaily, [][3]string{{hfP1, hfP1e, "1"}, {hfP2, hfP2e, "2"}}},
	}
	f := &fixture{texts: map[string][]byte{}}
	r := &result.Result{Schema: result.Schema, Params: result.Params{Shingle: 5, Window: 4, MinWords: 8, Threshold: 0.5, MaxDF: 2}}
	covered := map[string][]bool{} // words of each document inside some passage
	words := map[string][]word{}
	split := newSplitter()
	var ids []string
	for id, t := range texts {
		f.texts[id] = []byte(t)
		ids = append(ids, id)
		words[id] = split.words([]byte(t), 0)
		covered[id] = make([]bool, len(words[id]))
	}
	sort.Strings(ids)
	find := func(id, phrase string) (int, int) {
		i := strings.Index(texts[id], phrase)
		if i < 0 || strings.Count(texts[id], phrase) != 1 {
			panic(fmt.Sprintf("fixture: %q not once in %s", phrase, id))
		}
		return i, i + len(phrase)
	}
	cover := func(id string, s, e int) int {
		n := 0
		for i, w := range words[id] {
			if w.start >= s && w.end <= e {
				covered[id][i] = true
				n++
			}
		}
		return n
	}
	members := map[int][]result.Member{}
	for _, p := range pairs {
		pair := result.Pair{A: p.a, B: p.b}
		var aw, bw int
		for _, ph := range p.ps {
			as, ae := find(p.a, ph[0])
			bs, be := find(p.b, ph[1])
			var cl int
			fmt.Sscan(ph[2], &cl)
			na, nb := cover(p.a, as, ae), cover(p.b, bs, be)
			wa, wb := split.words(f.texts[p.a][as:ae], as), split.words(f.texts[p.b][bs:be], bs)
			ops, _ := diffWords(wa, wb, 1000)
			same := 0
			for _, op := range ops {
				if op.kind == opEqual {
					same++
				}
			}
			pair.Passages = append(pair.Passages, result.Passage{AStart: as, AEnd: ae, BStart: bs, BEnd: be, Words: na,
				Similarity: float64(int(200*float64(same)/float64(na+nb)+0.5)) / 100, Cluster: cl})
			aw += na
			bw += nb
			members[cl] = append(members[cl], result.Member{Doc: p.a, Start: as, End: ae}, result.Member{Doc: p.b, Start: bs, End: be})
		}
		pct := func(n, of int) float64 { return float64(int(1000*float64(n)/float64(of)+0.5)) / 10 }
		pair.APct, pair.BPct = pct(aw, len(words[p.a])), pct(bw, len(words[p.b]))
		pair.SharedWords = min(aw, bw)
		pair.Jaccard = float64(int(100*float64(min(aw, bw))/float64(len(words[p.a])+len(words[p.b])-min(aw, bw))+0.5)) / 100
		r.Pairs = append(r.Pairs, pair)
	}
	for _, id := range []string{hfHarbor, hfDaily, hfBlog} {
		s, e := find(id, hfBP)
		cover(id, s, e)
		members[5] = append(members[5], result.Member{Doc: id, Start: s, End: e})
	}
	for cl := 1; cl <= 5; cl++ {
		ms := members[cl]
		sort.Slice(ms, func(i, j int) bool {
			if ms[i].Doc != ms[j].Doc {
				return ms[i].Doc < ms[j].Doc
			}
			return ms[i].Start < ms[j].Start
		})
		var uniq []result.Member
		docs := map[string]bool{}
		for _, m := range ms {
			if len(uniq) > 0 && uniq[len(uniq)-1] == m {
				continue
			}
			uniq = append(uniq, m)
			docs[m.Doc] = true
		}
		c := result.Cluster{ID: cl, Documents: len(docs), Members: uniq, Boilerplate: cl == 5}
		earliest := ""
		for _, m := range uniq {
			if d := dates[m.Doc]; d != "" && (earliest == "" || d < dates[earliest]) {
				earliest = m.Doc
			}
		}
		c.Earliest = earliest
		c.Text = result.Excerpt(f.texts[uniq[0].Doc][uniq[0].Start:uniq[0].End], 300)
		r.Clusters = append(r.Clusters, c)
	}
	r.Groups = []result.Group{{ID: 1, Documents: []string{hfBlog, hfHarbor}, MinPct: 80.5}}
	for _, id := range ids {
		n := 0
		for _, c := range covered[id] {
			if c {
				n++
			}
		}
		d := result.Document{ID: id, Path: "corpus/" + id, Bytes: len(texts[id]), Words: len(words[id]), Date: dates[id], ReusedWords: n}
		if d.Words > 0 {
			d.ReusedPct = float64(int(1000*float64(n)/float64(d.Words)+0.5)) / 10
		}
		r.Documents = append(r.Documents, d)
		r.Stats.Words += d.Words
		r.Stats.ReusedWords += n
	}
	r.Stats.Documents = len(r.Documents)
	r.Stats.Pairs = len(r.Pairs)
	for _, p := range r.Pairs {
		r.Stats.Passages += len(p.Passages)
	}
	r.Stats.Clusters = len(r.Clusters)
	r.Stats.Groups = len(r.Groups)
	f.r = r
	return f
}

func (f *fixture) text(id string) ([]byte, error) {
	t, ok := f.texts[id]
	if !ok {
		return nil, fmt.Errorf("%s: no such document", id)
	}
	return t, nil
}
