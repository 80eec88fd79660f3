#!/usr/bin/env python3
"""How much of each cluster holds the text it shows.

usage: scripts/coherence.py RESULT.json FOLDER [TOP]

RESULT.json is a `reuse scan --format json` result of FOLDER (plain-text
files: member offsets are read from FOLDER/<id>). A cluster shows the text
of one member (its shortest found by an alignment of its own); this finds
that member (the shortest whose words contain the first words of the
shown text) and counts the members whose word trigrams hold at least half
of its trigrams. A family chained through overlapping passages shows one
text while most of its members hold another. Prints the share over all
members and over the members of clusters of ten or more documents, the
members under 20 bytes, and the TOP largest clusters (default 6).

Then the same share for the best member instead of the shown one, which
tells a family that holds one text badly shown from one that holds none:
per cluster, of a sample of 100 members (all when fewer), the most that
hold half of the text of one of 20 of them (a fixed random sample),
weighted by the cluster's members.
See docs/benchmarks.md, "How much of a cluster holds its text".
"""
import json
import os
import random
import re
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    result, folder = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    with open(result) as f:
        r = json.load(f)
    texts = {}

    def text(doc):
        if doc not in texts:
            with open(os.path.join(folder, doc), 'rb') as f:
                texts[doc] = f.read()
        return texts[doc]

    def member(m):
        return text(m['doc'])[m['start']:m['end']].decode('utf-8', 'replace')

    def words(s):
        return re.findall(r"\w+", s.lower())

    def trigrams(s):
        w = words(s)
        return {tuple(w[i:i + 3]) for i in range(len(w) - 2)}

    total = holding = big_total = big_holding = tiny = 0
    rows = []
    for c in r['clusters']:
        ms = c['members']
        tiny += sum(1 for m in ms if m['end'] - m['start'] < 20)
        shown = ' '.join(words(c['text'][:60]))
        cands = [m for m in ms if shown and shown in ' '.join(words(member(m)))]
        if not cands:
            continue
        rep = trigrams(member(min(cands, key=lambda m: m['end'] - m['start'])))
        n = sum(1 for m in ms if rep and 2 * len(rep & trigrams(member(m))) >= len(rep))
        total += len(ms)
        holding += n
        if len(c['documents']) >= 10:
            big_total += len(ms)
            big_holding += n
        rows.append((len(c['documents']), len(ms), n / len(ms), c['text'][:50]))
    rnd = random.Random(1)
    best_total = best_big = 0.0
    for c in r['clusters']:
        ms = c['members']
        sample = ms if len(ms) <= 100 else rnd.sample(ms, 100)
        tri = [trigrams(member(m)) for m in sample]
        cands = range(len(sample)) if len(sample) <= 20 else rnd.sample(range(len(sample)), 20)
        best = max((sum(1 for t in tri if 2 * len(tri[i] & t) >= len(tri[i])) for i in cands if tri[i]), default=0)
        share = best / len(sample)
        best_total += share * len(ms)
        if len(c['documents']) >= 10:
            best_big += share * len(ms)
    members = sum(len(c['members']) for c in r['clusters'])
    big = sum(len(c['members']) for c in r['clusters'] if len(c['documents']) >= 10)
    print(f"{len(r['clusters'])} clusters, {tiny} members under 20 bytes; members holding half "
          f"the shown text: {holding / max(total, 1):.3f} of {total}, in clusters of 10+ documents "
          f"{big_holding / max(big_total, 1):.3f} of {big_total}; holding half its best member's: "
          f"{best_total / max(members, 1):.3f}, in clusters of 10+ documents {best_big / max(big, 1):.3f}")
    for row in sorted(rows, key=lambda x: -x[0])[:top]:
        print('  %5d documents %5d members %.2f %r' % row)


if __name__ == '__main__':
    main()
