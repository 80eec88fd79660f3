#!/usr/bin/env python3
"""Split a corpus folder into an archive and new documents, as
TestCheckEqualsScanLarge does: every Nth file in walk order (the one at
N/2 of each run of N) goes to DST/new, the others to DST/archive, hard
linked (DST must be on the corpus's file system).

    scripts/splitcorpus.py SRC DST N
    reuse index create IDX DST/archive && reuse index align IDX
    reuse check IDX DST/new
"""
import os
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    src, dst, every = sys.argv[1], sys.argv[2], int(sys.argv[3])
    paths = []
    for root, dirs, files in os.walk(src):
        for f in files:
            p = os.path.join(root, f)
            if os.path.isfile(p) and not os.path.islink(p):
                paths.append(p)
    # Walk order: names sorted within each folder, as Go's filepath.WalkDir.
    paths.sort(key=lambda p: os.path.relpath(p, src).split(os.sep))
    for i, p in enumerate(paths):
        rel = os.path.relpath(p, src)
        out = os.path.join(dst, "new" if i % every == every // 2 else "archive", rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        os.link(p, out)


if __name__ == "__main__":
    main()
