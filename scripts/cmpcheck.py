#!/usr/bin/env python3
"""Compare a check's JSON result with a reference (the same check with
--follow-limit -1, or a scan of the archive and the new documents): every
cluster and group the check does not mark incomplete must be in the
reference (clusters by members, text and earliest: numbering differs),
its pairs and new documents must be the reference's, and every document
its pairs, clusters and groups name must be listed.

    reuse check --format json -o chk.json IDX NEW
    reuse check --follow-limit -1 --format json -o all.json IDX NEW
    scripts/cmpcheck.py chk.json all.json
"""
import json
import sys


def canon(c):
    members = tuple(sorted((m["doc"], m["start"], m["end"]) for m in c["members"]))
    return members, c.get("boilerplate", False), c.get("text"), c.get("earliest")


def pairs(res):
    # Passages name clusters by number, which differs between results.
    out = {}
    for p in res["pairs"]:
        q = dict(p)
        q["passages"] = [{k: v for k, v in s.items() if k != "cluster"} for s in p["passages"]]
        out[(p["a"], p["b"])] = q
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    chk, ref = (json.load(open(f)) for f in sys.argv[1:])
    bad = 0
    listed = {d["id"] for d in chk["documents"]}
    named = {m["doc"] for c in chk["clusters"] for m in c["members"]}
    named |= {d for g in chk.get("groups", []) for d in g["documents"]}
    named |= {x for p in chk["pairs"] for x in (p["a"], p["b"])}
    if named - listed:
        bad += 1
        print("named, not listed:", sorted(named - listed)[:10])
    clusters = {canon(c) for c in ref["clusters"]}
    unmarked = [c for c in chk["clusters"] if not c.get("incomplete")]
    differ = [c["id"] for c in unmarked if canon(c) not in clusters]
    groups = {tuple(g["documents"]): g["min_pct"] for g in ref.get("groups", [])}
    ugroups = [g for g in chk.get("groups", []) if not g.get("incomplete")]
    gdiffer = [g["id"] for g in ugroups if groups.get(tuple(g["documents"])) != g["min_pct"]]
    ref_docs = {d["id"]: d for d in ref["documents"]}
    new_differ = [d["id"] for d in chk["documents"] if not d.get("archived") and ref_docs.get(d["id"]) != d]
    pairs_same = pairs(chk) == pairs(ref)
    print("clusters: %d, %d marked; %d unmarked not the reference's" % (len(chk["clusters"]), len(chk["clusters"]) - len(unmarked), len(differ)))
    print("groups: %d, %d marked; %d unmarked not the reference's" % (len(chk.get("groups", [])), len(chk.get("groups", [])) - len(ugroups), len(gdiffer)))
    print("pairs the reference's: %s; new documents not the reference's: %d" % (pairs_same, len(new_differ)))
    bad += len(differ) + len(gdiffer) + len(new_differ) + (not pairs_same)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
