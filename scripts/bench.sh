#!/usr/bin/env bash
# bench.sh: end-to-end benchmark of reuse scan against a peer, sim_text
# (Debian's similarity-tester), on generated corpora with planted reuse and
# on real archives.
#
# For every size: generate the corpus once (reuse gen, cached in $WORK),
# run reuse scan and sim_text $RUNS times each under /usr/bin/time, take
# the median wall time and peak RSS, and score the last output of both with
# reuse eval. For every real archive: fetch it once (apt-get download, into
# $CACHE, never into the repository), run both the same way, and count
# what reuse found (no truth to score against). Next to them, the floor
# (BenchmarkFloor): what reading, tokenizing and winnowing the same files
# costs on this machine, which no scan can beat. Prints a markdown table to
# stdout; progress goes to stderr and raw timings are appended to
# $WORK/runs.tsv.
#
# Usage: scripts/bench.sh                       10MB 100MB 1GB, 3 runs each
#        SIZES="10MB 100MB" RUNS=5 scripts/bench.sh
#        SIZES= ARCHIVES="linux-docs linux-regs linux" scripts/bench.sh
#
# Real archives, from Debian's linux-source-6.1 (about 140 MB to download,
# 1.5 GB unpacked):
#   linux       the whole source tree (78,579 files, 1.3 GB)
#   linux-docs  its Documentation/**/*.rst prose (3,183 files, 32 MB)
#   linux-regs  its AMD GPU register headers, drivers/gpu/drm/amd/include/asic_reg/gc
#               (22 files, 41 MB of near-identical tables)
#   go-src      the Go toolchain's own src tree, $(go env GOROOT)/src (about 11,000
#               files, 157 MB, and a 64 MB test table that reuse reads
#               decompressed from .bz2, which sim_text reads as it is)
# sim_text runs on them as "sim_text -r 30 -p" (runs of 30 tokens, percentages
# only), the peer's setting of the issue that set the targets.
#
# Environment:
#   SIZES        corpus sizes, as reuse gen --size takes them (default "10MB 100MB 1GB")
#   ARCHIVES     real archives to run (default none): linux, linux-docs, linux-regs, go-src
#   CACHE        folder for downloaded archives (default ${XDG_CACHE_HOME:-$HOME/.cache}/reuse-bench)
#   ARCHIVE_SIM_ARGS  sim_text's options on real archives (default "-r 30 -p")
#   TOOLS        which tools to run (default "reuse sim_text floor"); floor is
#                BenchmarkFloor's winnow row (every file read, tokenized and
#                winnowed on every CPU, nothing kept): the least stage 1 of any
#                design costs on this machine
#   RUNS         runs per tool and size; the median is reported (default 3)
#   SIM_RUNS     runs of sim_text (default $RUNS)
#   SIM_TIMEOUT  seconds before a sim_text run is stopped and recorded as a timeout (default 1800)
#   SIM_ARGS     sim_text's options besides -i -n -s -T -o (default "-r 9": runs of 9 words, as reuse's --min-words)
#   REUSE_ARGS   extra flags of reuse scan (default none)
#   SEED         generator seed (default 1)
#   WORK         folder for corpora and outputs (default ${TMPDIR:-/tmp}/reuse-bench)
#   REUSE        a reuse binary to measure (default: build ./cmd/reuse into $WORK)
#
# Needs: go, /usr/bin/time (GNU), sim_text (apt-get install -y similarity-tester;
# without it only reuse is measured).
set -euo pipefail

SIZES=${SIZES-"10MB 100MB 1GB"}
ARCHIVES=${ARCHIVES:-}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/reuse-bench}
ARCHIVE_SIM_ARGS=${ARCHIVE_SIM_ARGS:--r 30 -p}
TOOLS=${TOOLS:-"reuse sim_text floor"}
RUNS=${RUNS:-3}
SIM_RUNS=${SIM_RUNS:-$RUNS}
SIM_TIMEOUT=${SIM_TIMEOUT:-1800}
SIM_ARGS=${SIM_ARGS:--r 9}
REUSE_ARGS=${REUSE_ARGS:-}
SEED=${SEED:-1}
WORK=${WORK:-${TMPDIR:-/tmp}/reuse-bench}

root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
reuse=${REUSE:-$WORK/reuse}
log() { echo "bench: $*" >&2; }

[ -x /usr/bin/time ] || { echo "bench: needs GNU time at /usr/bin/time (apt-get install -y time)" >&2; exit 2; }
have_sim=1
case " $TOOLS " in *" sim_text "*) ;; *) have_sim=0 ;; esac
[ "$have_sim" = 0 ] || command -v sim_text >/dev/null || { have_sim=0; log "sim_text not found (apt-get install -y similarity-tester): measuring reuse only"; }

if [ -z "${REUSE:-}" ]; then
	log "building reuse"
	(cd "$root" && go build -o "$reuse" ./cmd/reuse)
fi

have_floor=0
case " $TOOLS " in *" floor "*) have_floor=1 ;; esac
if [ "$have_floor" = 1 ]; then
	log "building the floor benchmark"
	(cd "$root" && go test -c -o "$WORK/reuse.test" .)
fi

# median prints the median (the lower middle for an even count) of its arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# score FILE prints precision recall granularity plagdet from reuse eval's JSON.
score() {
	awk -F': *' '/^  "(precision|recall|granularity|plagdet)"/ {gsub(/[ ,]/, "", $2); v[$1]=$2}
		END {print v["  \"precision\""], v["  \"recall\""], v["  \"granularity\""], v["  \"plagdet\""]}' "$1"
}

# timed OUT CMD... runs CMD under /usr/bin/time; appends "seconds maxrss_kb" to OUT.
# Returns CMD's exit status.
timed() {
	local out=$1 tf status=0
	shift
	tf=$(mktemp)
	/usr/bin/time -f '%e %M' -o "$tf" "$@" || status=$?
	tail -n 1 "$tf" >>"$out"
	rm -f "$tf"
	return $status
}

rows=()

# floor NAME DIR MB DOCS runs BenchmarkFloor's winnow row on DIR $RUNS
# times and adds its row.
floor() {
	local name=$1 dir=$2 mb=$3 docs=$4 ns s times=()
	[ "$have_floor" = 1 ] || return 0
	for run in $(seq "$RUNS"); do
		log "$name: floor, run $run/$RUNS"
		ns=$(REUSE_FLOOR_DIR="$dir" "$WORK/reuse.test" -test.run '^$' -test.bench 'Floor/.*/winnow' -test.benchtime 1x |
			awk '$1 ~ /^BenchmarkFloor/ {print $3}')
		s=$(awk -v ns="$ns" 'BEGIN {printf "%.3f", ns/1e9}')
		printf '%s\tfloor\t%s\t%s\t0\t0\n' "$name" "$run" "$s" >>"$WORK/runs.tsv"
		times+=("$s")
	done
	rows+=("$name $mb $docs floor $(median "${times[@]}") 0 ok floor - -")
}

[ -s "$WORK/runs.tsv" ] || printf 'size\ttool\trun\tseconds\tmaxrss_kb\tstatus\n' >"$WORK/runs.tsv"
for size in $SIZES; do
	gen="$WORK/gen-$SEED-$size"
	if [ ! -s "$gen/truth.json" ]; then
		rm -rf "$gen"
		log "generating $size (seed $SEED)"
		"$reuse" gen --seed "$SEED" --size "$size" --out "$gen" >&2
	fi
	corpus="$gen/corpus"
	docs=$(find "$corpus" -type f -name '*.txt' | wc -l)
	bytes=$(find "$corpus" -type f -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
	mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1e6}')

	# reuse scan
	times=() rss=()
	case " $TOOLS " in *" reuse "*) reuse_runs=$RUNS ;; *) reuse_runs=0 ;; esac
	for run in $(seq "$reuse_runs"); do
		log "$size: reuse scan, run $run/$RUNS"
		: >"$WORK/t"
		status=0
		# shellcheck disable=SC2086
		timed "$WORK/t" "$reuse" scan "$corpus" --format json -o "$WORK/reuse-$size.json" -q $REUSE_ARGS || status=$?
		read -r s m <"$WORK/t"
		printf '%s\treuse\t%s\t%s\t%s\t%s\n' "$size" "$run" "$s" "$m" "$status" >>"$WORK/runs.tsv"
		[ "$status" -le 1 ] || { log "reuse scan failed (exit $status)"; exit 1; }
		times+=("$s") rss+=("$m")
	done
	if [ "$reuse_runs" -gt 0 ]; then
		"$reuse" eval --truth "$gen/truth.json" --format json -o "$WORK/reuse-$size.eval.json" "$WORK/reuse-$size.json"
		t=$(median "${times[@]}") r=$(median "${rss[@]}")
		rows+=("$size $mb $docs reuse $t $r ok $(score "$WORK/reuse-$size.eval.json")")
	fi

	floor "$size" "$corpus" "$mb" "$docs"

	# sim_text
	[ "$have_sim" = 1 ] || continue
	(cd "$corpus" && find . -type f -name '*.txt' | sed 's|^\./||' | LC_ALL=C sort) >"$WORK/files-$size.txt"
	times=() rss=() outcome=ok
	for run in $(seq "$SIM_RUNS"); do
		log "$size: sim_text, run $run/$SIM_RUNS (timeout ${SIM_TIMEOUT}s)"
		: >"$WORK/t"
		status=0
		# shellcheck disable=SC2086
		(cd "$corpus" && timed "$WORK/t" timeout "$SIM_TIMEOUT" sim_text -i -n -s -T $SIM_ARGS \
			-o "$WORK/sim-$size.txt" <"$WORK/files-$size.txt") || status=$?
		read -r s m <"$WORK/t" || true
		printf '%s\tsim_text\t%s\t%s\t%s\t%s\n' "$size" "$run" "$s" "$m" "$status" >>"$WORK/runs.tsv"
		if [ "$status" = 124 ]; then
			outcome="timeout"
			log "sim_text timed out after ${SIM_TIMEOUT}s"
			break
		elif [ "$status" != 0 ]; then
			outcome="failed($status)"
			log "sim_text failed (exit $status)"
			break
		fi
		times+=("$s") rss+=("$m")
	done
	if [ "$outcome" = ok ]; then
		"$reuse" eval --truth "$gen/truth.json" --simtext "$WORK/sim-$size.txt" --corpus "$corpus" \
			--format json -o "$WORK/sim-$size.eval.json"
		rows+=("$size $mb $docs sim_text $(median "${times[@]}") $(median "${rss[@]}") ok $(score "$WORK/sim-$size.eval.json")")
	else
		rows+=("$size $mb $docs sim_text ${s:-0} ${m:-0} $outcome - - - -")
	fi
done

# linux_tree prints the path of the unpacked Linux source tree, fetching
# and unpacking it into $CACHE on first use.
linux_tree() {
	local tree="$CACHE/linux-source-6.1"
	if [ ! -d "$tree" ]; then
		mkdir -p "$CACHE"
		log "fetching linux-source-6.1 into $CACHE (apt-get download)"
		(cd "$CACHE" && apt-get download linux-source-6.1 >&2 && dpkg-deb -x linux-source-6.1_*.deb x >&2 &&
			tar -C "$CACHE" -xf x/usr/src/linux-source-6.1.tar.xz && rm -rf x linux-source-6.1_*.deb) ||
			{ log "could not fetch linux-source-6.1 (apt-get update first?)"; exit 1; }
	fi
	echo "$tree"
}

# archive_dir NAME prints the folder of a real archive, preparing it once.
archive_dir() {
	local tree
	case $1 in
	go-src)
		go env GOROOT >/dev/null || { log "go-src needs go"; exit 1; }
		echo "$(go env GOROOT)/src"
		return
		;;
	esac
	tree=$(linux_tree)
	case $1 in
	linux) echo "$tree" ;;
	linux-regs) echo "$tree/drivers/gpu/drm/amd/include/asic_reg/gc" ;;
	linux-docs)
		local docs="$CACHE/linux-docs"
		if [ ! -d "$docs" ]; then
			rm -rf "$docs.tmp" && mkdir -p "$docs.tmp" &&
				(cd "$tree" && find Documentation -name '*.rst' -print0 | tar --null -cf - -T -) | tar -xf - -C "$docs.tmp" &&
				mv "$docs.tmp" "$docs"
		fi
		echo "$docs"
		;;
	*) log "unknown archive $1 (linux, linux-docs, linux-regs, go-src)"; exit 2 ;;
	esac
}

for name in $ARCHIVES; do
	corpus=$(archive_dir "$name")
	# Regular files, symlinks not followed (but for the argument itself):
	# reuse reads a file that a link inside the tree leads to once.
	docs=$(find -H "$corpus" -type f | wc -l)
	bytes=$(find -H "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
	mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1e6}')
	times=() rss=()
	case " $TOOLS " in *" reuse "*) reuse_runs=$RUNS ;; *) reuse_runs=0 ;; esac
	for run in $(seq "$reuse_runs"); do
		log "$name: reuse scan, run $run/$RUNS"
		: >"$WORK/t"
		status=0
		# shellcheck disable=SC2086
		timed "$WORK/t" "$reuse" scan "$corpus" --format json -o "$WORK/reuse-$name.json" -q $REUSE_ARGS || status=$?
		read -r s m <"$WORK/t"
		printf '%s\treuse\t%s\t%s\t%s\t%s\n' "$name" "$run" "$s" "$m" "$status" >>"$WORK/runs.tsv"
		[ "$status" -le 1 ] || { log "reuse scan failed (exit $status)"; exit 1; }
		times+=("$s") rss+=("$m")
	done
	if [ "$reuse_runs" -gt 0 ]; then
		found=$(head -n 20 "$WORK/reuse-$name.json" | awk -F': *' '/^    "(pairs|passages)"/ {gsub(/[ ,]/, "", $2); printf "%s ", $2}')
		rows+=("$name $mb $docs reuse $(median "${times[@]}") $(median "${rss[@]}") ok archive ${found:-- -}")
	fi
	floor "$name" "$corpus" "$mb" "$docs"
	[ "$have_sim" = 1 ] || continue
	(cd "$corpus" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) >"$WORK/files-$name.txt"
	times=() rss=() outcome=ok
	for run in $(seq "$SIM_RUNS"); do
		log "$name: sim_text $ARCHIVE_SIM_ARGS, run $run/$SIM_RUNS"
		: >"$WORK/t"
		status=0
		# shellcheck disable=SC2086
		(cd "$corpus" && timed "$WORK/t" timeout "$SIM_TIMEOUT" sim_text -i -s -T $ARCHIVE_SIM_ARGS \
			-o "$WORK/sim-$name.txt" <"$WORK/files-$name.txt") || status=$?
		read -r s m <"$WORK/t" || true
		printf '%s\tsim_text\t%s\t%s\t%s\t%s\n' "$name" "$run" "$s" "$m" "$status" >>"$WORK/runs.tsv"
		if [ "$status" != 0 ]; then
			outcome="failed($status)"
			break
		fi
		times+=("$s") rss+=("$m")
	done
	if [ "$outcome" = ok ]; then
		rows+=("$name $mb $docs sim_text $(median "${times[@]}") $(median "${rss[@]}") ok archive - -")
	else
		rows+=("$name $mb $docs sim_text ${s:-0} ${m:-0} $outcome archive - -")
	fi
done

# The table.
echo "| corpus | MB | docs | tool | wall s (median of $RUNS) | MB/s | docs/s | peak RSS MiB | plagdet | precision | recall | granularity |"
echo "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for row in "${rows[@]}"; do
	# shellcheck disable=SC2086
	set -- $row
	if [ "$8" = floor ]; then
		awk -v size="$1" -v mb="$2" -v docs="$3" -v t="$5" 'BEGIN {
			printf "| %s | %s | %d | floor (read, tokenize, winnow) | %.2f | %.1f | %.0f | - | - | | | |\n", size, mb, docs, t, mb/t, docs/t
		}'
		continue
	fi
	if [ "$8" = archive ]; then
		# A real archive: no truth; pairs and passages found in place of scores.
		awk -v size="$1" -v mb="$2" -v docs="$3" -v tool="$4" -v t="$5" -v rss="$6" -v outcome="$7" \
			-v pairs="$9" -v passages="${10}" 'BEGIN {
			if (outcome != "ok") {
				printf "| %s | %s | %d | %s | %s after %.0f | - | - | %.0f | - | - | - | - |\n", size, mb, docs, tool, outcome, t, rss/1024
				exit
			}
			found = (pairs == "-") ? "-" : sprintf("%s pairs, %s passages", pairs, passages)
			printf "| %s | %s | %d | %s | %.2f | %.1f | %.0f | %.0f | %s | | | |\n", size, mb, docs, tool, t, mb/t, docs/t, rss/1024, found
		}'
		continue
	fi
	awk -v size="$1" -v mb="$2" -v docs="$3" -v tool="$4" -v t="$5" -v rss="$6" -v outcome="$7" \
		-v p="$8" -v r="$9" -v g="${10}" -v pd="${11}" 'BEGIN {
		if (outcome != "ok") {
			printf "| %s | %s | %d | %s | %s after %.0f | - | - | %.0f | - | - | - | - |\n", size, mb, docs, tool, outcome, t, rss/1024
			exit
		}
		printf "| %s | %s | %d | %s | %.2f | %.1f | %.0f | %.0f | %.3f | %.3f | %.3f | %.3f |\n",
			size, mb, docs, tool, t, mb/t, docs/t, rss/1024, pd, p, r, g
	}'
done
