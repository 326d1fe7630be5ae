#!/usr/bin/env bash
# `gongyu quality` at national scale (issue 24 item 4: < 10 s and < 100 MB peak RSS on a
# ledger of 1.08M units and 20M activities, a school year, so ~10M in the term).
#
# Builds gongyu and the generator (release), builds the national ledger once under
# $BENCH_DIR (reused while the parameters are the same), times
# `quality --term 2020-2021-1 --format json` BENCH_RUNS times with /usr/bin/time -v, and
# writes the figures between the `<!-- quality: begin -->` / `<!-- quality: end -->`
# markers of BENCHMARKS.md (in the part bench/run.sh keeps). BENCH_CLEAN=1 deletes
# $BENCH_DIR at the end.
#
#   bash bench/quality.sh
#   BENCH_ACTIVITIES=2000000 BENCH_TOWNSHIPS=4000 bash bench/quality.sh   # a small trial
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/gongyu-bench-quality}
BENCH_OUT=${BENCH_OUT:-$REPO/BENCHMARKS.md}
TOWNSHIPS=${BENCH_TOWNSHIPS:-40000}
COMMUNITIES=${BENCH_COMMUNITIES:-15}
SCHOOLS=${BENCH_SCHOOLS:-12}
ACTIVITIES=${BENCH_ACTIVITIES:-20000000}
SEED=${BENCH_SEED:-20201}
RUNS=${BENCH_RUNS:-2}
TERM=2020-2021-1
case "$BENCH_DIR" in "$REPO" | "$REPO"/*)
    echo "bench: BENCH_DIR must be outside the repository" >&2
    exit 1
    ;;
esac
for n in "$TOWNSHIPS" "$COMMUNITIES" "$SCHOOLS" "$ACTIVITIES" "$SEED" "$RUNS"; do
    case "$n" in '' | *[!0-9]*) echo "bench: settings must be whole numbers, not \"$n\"" >&2; exit 1 ;; esac
done
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (/usr/bin/time)" >&2; exit 1; }

say() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
mkdir -p "$BENCH_DIR/logs"
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
say "building (release)"
(cd "$REPO" && cargo build --release --locked --bin gongyu --example generate >&2)
BIN=$TARGET/release/gongyu
GEN=$TARGET/release/examples/generate

KEY="t$TOWNSHIPS-c$COMMUNITIES-s$SCHOOLS-a$ACTIVITIES-seed$SEED"
DB=$BENCH_DIR/national-$KEY.db
export GONGYU_LANG=en TZ=UTC GONGYU_TODAY=2022-03-01
if [ ! -f "$DB" ]; then
    rm -f "$BENCH_DIR"/national-*.db*
    DATA=$BENCH_DIR/data
    rm -rf "$DATA"
    say "generating $ACTIVITIES activities over $((TOWNSHIPS * (COMMUNITIES + SCHOOLS))) units (school year)"
    "$GEN" --out "$DATA" --townships "$TOWNSHIPS" --communities-per-township "$COMMUNITIES" \
        --schools-per-township "$SCHOOLS" --activities "$ACTIVITIES" --seed "$SEED" --span school-year
    say "importing"
    "$BIN" --db "$DB.part" init >&2
    "$BIN" --db "$DB.part" import communities "$DATA/communities.csv" >&2
    "$BIN" --db "$DB.part" import schools "$DATA/schools.csv" >&2
    /usr/bin/time -v "$BIN" --db "$DB.part" import activities "$DATA/activities.csv" \
        >"$BENCH_DIR/logs/import.out" 2>"$BENCH_DIR/logs/import.time"
    mv "$DB.part" "$DB"
    rm -rf "$DATA"
fi

wall() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.2f", s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$1"; }
cpu() { awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } /Percent of CPU/ { p = $2 } END { printf "%.2f+%.2f (%s)", u, s, p }' "$1"; }
WALLS=() RSSES=() CPUS=()
for run in $(seq 1 "$RUNS"); do
    say "quality run $run"
    /usr/bin/time -v "$BIN" --db "$DB" quality --term "$TERM" --format json \
        >"$BENCH_DIR/logs/quality-$run.json" 2>"$BENCH_DIR/logs/quality-$run.time" || {
        echo "bench: quality failed:" >&2
        tail -5 "$BENCH_DIR/logs/quality-$run.time" >&2
        exit 1
    }
    WALLS+=("$(wall "$BENCH_DIR/logs/quality-$run.time")")
    RSSES+=("$(rss "$BENCH_DIR/logs/quality-$run.time")")
    CPUS+=("$(cpu "$BENCH_DIR/logs/quality-$run.time")")
done
FINDINGS=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["counts"]["total"], json.dumps({k: v for k, v in d["counts"]["by_code"].items() if v}))' "$BENCH_DIR/logs/quality-1.json")
ROWS=$(sqlite3 "$DB" "SELECT count(*) FROM activity" 2>/dev/null || echo "?")
IN_TERM=$(sqlite3 "$DB" "SELECT sum(guidance + home_visit + parent_meeting + practice) FROM term_tally WHERE term = 20201" 2>/dev/null || echo "?")
UNITS=$((TOWNSHIPS * (COMMUNITIES + SCHOOLS)))
verdict() { awk -v x="$1" -v lim="$2" 'BEGIN { print (x + 0 < lim + 0) ? "**met**" : "**not met**" }'; }
WORST_WALL=$(printf '%s\n' "${WALLS[@]}" | sort -n | tail -1)
WORST_RSS=$(printf '%s\n' "${RSSES[@]}" | sort -n | tail -1)

SECTION=$(
    cat <<EOF
<!-- quality: begin -->
## Quality (issue 24 item 4)

Written by \`bash bench/quality.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load
average $(cut -d' ' -f1-3 /proc/loadavg) at the end; \`gongyu\` built from
\`$(cd "$REPO" && git rev-parse --short HEAD)\` (release). The machine is shared: other engineers
were compiling and testing, so the wall times are noisy; both runs are shown.

Ledger: $UNITS units ($TOWNSHIPS townships × ($COMMUNITIES communities + $SCHOOLS schools)),
$ROWS activities (\`--span school-year --seed $SEED\`), $IN_TERM of them in $TERM.

\`\`\`sh
/usr/bin/time -v gongyu --db LEDGER quality --term $TERM --format json > /dev/null
\`\`\`

| runs | wall (s) | CPU user+sys (s) (share) | peak RSS (MB) | target | verdict |
|---|---|---|---|---|---|
| $RUNS | ${WALLS[*]} | ${CPUS[*]} | ${RSSES[*]} | < 10 s; < 100 MB | $(verdict "$WORST_WALL" 10) (worst $WORST_WALL s); $(verdict "$WORST_RSS" 100) (worst $WORST_RSS MB) |

How it got there (perf on this ledger, by hand): a per-host counter array touched per row
was 80 % of the scan's own time in cache misses (rows come in random host order) — now each
host's counts come from the keys sorted by host, host after host (RSS 77 → 45 MB, user time
about 10–13 → 7–8 s); the checks then moved to a second thread fed batches of 8192 rows by the
reader. What is left is mostly SQLite (a full scan of all 20M rows: there is no index on
\`term\`) and the kernel copying the 2.4 GB file's pages (\`sqlite3\` alone needs about 3.8 s of
CPU for the same scan), then sorting the keys.

Findings on the generated data: $FINDINGS (counts: total, then by code). The generator
draws titles from a short list, so at national scale every day, kind and title is held by hundreds of hosts
(a campaign, never a duplicate), and head counts uniformly in 0–500 (no outlier).
<!-- quality: end -->
EOF
)
if grep -q '<!-- quality: begin -->' "$BENCH_OUT"; then
    python3 - "$BENCH_OUT" "$SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
text = re.sub(r"<!-- quality: begin -->.*?<!-- quality: end -->", lambda _: section, text, flags=re.S)
open(path, "w", encoding="utf-8").write(text)
PY
else
    printf '\n%s\n' "$SECTION" >>"$BENCH_OUT"
fi
say "wrote the Quality section of $BENCH_OUT: wall ${WALLS[*]} s, RSS ${RSSES[*]} MB"
if [ "${BENCH_CLEAN:-0}" = 1 ]; then
    rm -rf "$BENCH_DIR"
fi
