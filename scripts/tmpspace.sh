#!/usr/bin/env bash
# scripts/tmpspace.sh CMD...: runs CMD with TMPDIR set to a fresh folder and reports
# the peak disk space (allocated blocks) of the files the process holds open
# there (the scan unlinks its temporary files at once, so du of the folder
# shows nothing): sampled every 0.2 s from /proc/PID/fd.
set -u
T=$(mktemp -d /tmp/tmpspace.XXXXXX)
TMPDIR=$T "$@" &
pid=$!
peak=0
while kill -0 $pid 2>/dev/null; do
  sum=0
  for fd in /proc/$pid/fd/*; do
    tgt=$(readlink "$fd" 2>/dev/null) || continue
    case "$tgt" in "$T"/*)
      b=$(stat -L -c '%b' "$fd" 2>/dev/null) || continue
      sum=$((sum + b*512));;
    esac
  done
  d=$(du -sb "$T" 2>/dev/null | cut -f1); sum=$((sum + ${d:-0}))
  [ $sum -gt $peak ] && peak=$sum
  sleep 0.2
done
wait $pid; rc=$?
rm -rf "$T"
echo "peak temporary space: $peak bytes ($((peak/1048576)) MiB); exit $rc"
