#!/usr/bin/env bash
# Reads on a national ledger (issue 23): `coverage gaps`, `coverage report` and `check`,
# timed with /usr/bin/time -v on ledgers built with gongyu's own import.
#
# 1. Builds gongyu and the generator (release), unless BENCH_NO_BUILD=1.
# 2. Generates the rosters and one activity file of the largest size (hosts at random,
#    dates over the school year 2020-2021: `--span school-year`), once; the smaller sizes
#    are its first rows.
# 3. For each size: a ledger with both rosters and one `gongyu import activities` of that
#    many rows, built once and kept (reused while the data and the size are the same).
# 4. On each ledger, BENCH_RUNS times each: `coverage gaps --term 2020-2021-1 --format
#    csv`, `coverage report --by township --term 2020-2021-1 --format json`, `check`.
#    Wall (clock around the command), user and system CPU, peak RSS; one line each.
#
# The figures go to stdout as a markdown table and to $BENCH_DIR/figures.tsv. With
# BENCH_KEEP_OUTPUT=1 each command's first run keeps its stdout in $BENCH_DIR/out/ (to
# compare the outputs of two builds with `cmp`). Nothing is written in the repository.
#
#   bash bench/ledger-figures.sh
#   BENCH_SIZES="10000000" BENCH_RUNS=2 BENCH_NO_BUILD=1 bash bench/ledger-figures.sh
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/gongyu-bench-perf-ledger}
TOWNSHIPS=${BENCH_TOWNSHIPS:-40000}
COMMUNITIES=${BENCH_COMMUNITIES:-15}
SCHOOLS=${BENCH_SCHOOLS:-12}
SEED=${BENCH_SEED:-20201}
RUNS=${BENCH_RUNS:-2}
TERM_ARG=2020-2021-1
# shellcheck disable=SC2086 # a list of words
SIZES=$(printf '%s\n' ${BENCH_SIZES:-10000000 20000000} | sort -n -u | tr '\n' ' ')
COMMANDS=${BENCH_COMMANDS-gaps report check}
for n in $SIZES; do
    case "$n" in *[!0-9]*) echo "bench: sizes must be whole numbers, not \"$n\"" >&2; exit 1 ;; esac
done
MAX=${SIZES% }
MAX=${MAX##* }
case "$BENCH_DIR" in
"$REPO" | "$REPO"/*) echo "bench: BENCH_DIR must be outside the repository" >&2; exit 1 ;;
esac

say() { printf '[figures %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[ -x /usr/bin/time ] || { echo "bench: GNU time (/usr/bin/time) is needed" >&2; exit 1; }

TARGET=${CARGO_TARGET_DIR:-$REPO/target}
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    say "building (release)"
    (cd "$REPO" && cargo build --locked --release --bins --examples >&2)
fi
# BENCH_GONGYU: another gongyu binary to time (e.g. a copy of an earlier build), on the same ledgers.
G=${BENCH_GONGYU:-$TARGET/release/gongyu}
GEN=$TARGET/release/examples/generate
DATA=$BENCH_DIR/data
DB=$BENCH_DIR/db
LOGS=$BENCH_DIR/logs
OUT=$BENCH_DIR/out
mkdir -p "$DATA" "$DB" "$LOGS" "$OUT"

# ---------------------------------------------------------------- data
UNIT_ARGS=(--townships "$TOWNSHIPS" --communities-per-township "$COMMUNITIES" --schools-per-township "$SCHOOLS" --seed "$SEED")
STAMP="$TOWNSHIPS-$COMMUNITIES-$SCHOOLS-$SEED-$MAX-school-year-$(sha256sum "$GEN" | cut -c1-16)"
if [ "$(cat "$DATA/.stamp" 2>/dev/null)" != "$STAMP" ]; then
    say "generating $((TOWNSHIPS * (COMMUNITIES + SCHOOLS))) units and $MAX activities (school year, random hosts)"
    rm -rf "$DATA" "$DB" && mkdir -p "$DATA" "$DB"
    "$GEN" --out "$DATA" "${UNIT_ARGS[@]}" --activities "$MAX" --span school-year >&2
    echo "$STAMP" >"$DATA/.stamp"
fi
file_of() {
    local f=$DATA/activities-$1.csv
    if [ "$1" = "$MAX" ]; then
        echo "$DATA/activities.csv"
        return
    fi
    [ -s "$f" ] || { head -n $(($1 + 1)) "$DATA/activities.csv" >"$f.tmp" && mv "$f.tmp" "$f"; }
    echo "$f"
}

# ---------------------------------------------------------------- ledgers
# A ledger is kept with a stamp of the data it was built from (not of the gongyu binary:
# the ledger's schema is what the reads depend on, and a build with a new migration
# upgrades it on first open).
for n in $SIZES; do
    L=$DB/ledger-$n.db
    if [ "$(cat "$L.stamp" 2>/dev/null)" = "$STAMP" ] && [ -f "$L" ]; then
        say "reusing $L"
        continue
    fi
    rm -f "$L" "$L-wal" "$L-shm" "$L.stamp"
    say "building $L: init, rosters, $n activities"
    "$G" --db "$L" init >&2
    "$G" --db "$L" import communities "$DATA/communities.csv" >&2
    "$G" --db "$L" import schools "$DATA/schools.csv" >&2
    /usr/bin/time -v -o "$LOGS/import-$n.time" "$G" --db "$L" import activities "$(file_of "$n")" >&2
    echo "$STAMP" >"$L.stamp"
done

# ---------------------------------------------------------------- measure
cmd_of() {
    case "$1" in
    gaps) echo "coverage gaps --term $TERM_ARG --format csv" ;;
    report) echo "coverage report --by township --term $TERM_ARG --format json" ;;
    check) echo "check" ;;
    esac
}
field() { awk -F': ' -v k="$2" '$1 ~ k { print $2 }' "$1"; }
TSV=$BENCH_DIR/figures.tsv
printf 'size\tcommand\trun\twall_s\tuser_s\tsys_s\tpeak_rss_mb\texit\n' >"$TSV"
for n in $SIZES; do
    L=$DB/ledger-$n.db
    for c in $COMMANDS; do
        # shellcheck disable=SC2046 # the command's words
        set -- $(cmd_of "$c")
        for i in $(seq "$RUNS"); do
            out=/dev/null
            if [ "${BENCH_KEEP_OUTPUT:-0}" = 1 ] && [ "$i" = 1 ]; then out=$OUT/$c-$n.out; fi
            label=$c-$n-$i
            rc=0
            t0=$(date +%s%N)
            /usr/bin/time -v -o "$LOGS/$label.time" "$G" --db "$L" "$@" >"$out" 2>"$LOGS/$label.err" || rc=$?
            t1=$(date +%s%N)
            wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
            user=$(field "$LOGS/$label.time" 'User time')
            sys=$(field "$LOGS/$label.time" 'System time')
            rss=$(field "$LOGS/$label.time" 'Maximum resident set size' | awk '{ printf "%.1f", $1 / 1024 }')
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$c" "$i" "$wall" "$user" "$sys" "$rss" "$rc" >>"$TSV"
            say "$label: wall $wall s, user $user s, sys $sys s, peak RSS $rss MB, exit $rc"
        done
    done
done

# ---------------------------------------------------------------- report
echo "| activities | command | run | wall | user + sys CPU | peak RSS | exit |"
echo "|---|---|---|---|---|---|---|"
tail -n +2 "$TSV" | while IFS=$'\t' read -r n c i wall user sys rss rc; do
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    echo "| $n | \`$(cmd_of "$c")\` | $i | $wall s | $cpu s ($user + $sys) | $rss MB | $rc |"
done
echo
echo "Units: $((TOWNSHIPS * COMMUNITIES)) communities + $((TOWNSHIPS * SCHOOLS)) schools; data: \`generate ${UNIT_ARGS[*]} --activities $MAX --span school-year\` (its first N rows for N = ${SIZES% }); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
