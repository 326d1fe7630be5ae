#!/usr/bin/env bash
# Performance at national scale, measured side by side (issues 5 and 10).
#
# BENCH_MODE=district (the default; issue 5): one run, on the same files: builds gongyu
# and the generator, generates ~60,000 units and up to 10,000,000 activities, times
# `gongyu import activities` against `sqlite3 .import` of the same CSV, times `coverage
# report` / `coverage gaps` on 1M- and 10M-activity ledgers, and writes BENCHMARKS.md.
#
# BENCH_MODE=national (issue 10): 1.08M units, imports of 2M and 20M activities in six
# data shapes against `sqlite3 .import`, roster imports, ten files into one ledger, and
# report/gaps/check/backup/revert on the 20M-activity ledger (bench/national.sh).
# It writes its figures between the `<!-- national: begin -->` / `<!-- national: end -->`
# markers of BENCHMARKS.md; the district mode keeps that section, and both keep the
# analysis after `<!-- kept by bench/run.sh -->`. See bench/README.md for the knobs.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
MODE=${BENCH_MODE:-district}
BENCH_DIR=${BENCH_DIR:-/tmp/gongyu-bench}
BENCH_OUT=${BENCH_OUT:-$REPO/BENCHMARKS.md}
QUICK=${BENCH_QUICK:-0}
case "$MODE" in
district)
    TOWNSHIPS=${BENCH_TOWNSHIPS:-600}
    COMMUNITIES=${BENCH_COMMUNITIES:-60}
    SCHOOLS=${BENCH_SCHOOLS:-40}
    ;;
national)
    TOWNSHIPS=${BENCH_TOWNSHIPS:-40000}
    COMMUNITIES=${BENCH_COMMUNITIES:-15}
    SCHOOLS=${BENCH_SCHOOLS:-12}
    ;;
*) echo "bench: BENCH_MODE must be district or national, not \"$MODE\"" >&2; exit 1 ;;
esac
IMPORT_ROWS=${BENCH_IMPORT_ROWS:-2000000}
SMALL_ROWS=${BENCH_SMALL_ROWS:-1000000}
LARGE_ROWS=${BENCH_LARGE_ROWS:-10000000}
SEED=${BENCH_SEED:-20201}
RUNS=${BENCH_RUNS:-3}
IMPORT_TIMEOUT=${BENCH_IMPORT_TIMEOUT:-0}
LEDGER_INDEX=${BENCH_LEDGER_INDEX:-0}
DIAG=${BENCH_DIAG:-1}
TERM_ARG=2020-2021-1
BENCH_REV=${BENCH_REV:-}

case "$BENCH_DIR" in
"$REPO" | "$REPO"/*) echo "bench: BENCH_DIR must be outside the repository" >&2; exit 1 ;;
esac

# The section of BENCHMARKS.md that the national mode writes and the district mode keeps.
NAT_BEGIN='<!-- national: begin -->'
NAT_END='<!-- national: end -->'
KEPT_MARK='<!-- kept by bench/run.sh -->'
if [ -f "$BENCH_OUT" ]; then
    nb=$(grep -cxF "$NAT_BEGIN" "$BENCH_OUT" || true)
    ne=$(grep -cxF "$NAT_END" "$BENCH_OUT" || true)
    if [ "$nb" != "$ne" ] || [ "$nb" -gt 1 ]; then
        echo "bench: $BENCH_OUT has $nb '$NAT_BEGIN' and $ne '$NAT_END' lines; expected none or one of each" >&2
        exit 1
    fi
fi

say() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- tools
if [ ! -x /usr/bin/time ]; then
    say "installing GNU time (/usr/bin/time is missing)"
    apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is not installed (apt-get install sqlite3)" >&2; exit 1; }
if [ "$MODE" = national ]; then
    # Its settings (checked here, before the build) and national_run.
    # shellcheck source=bench/national.sh
    . "$REPO/bench/national.sh"
fi

# The national mode keeps its files apart (in $BENCH_DIR/national), so that neither mode
# throws away the other's generated data.
BIN=$BENCH_DIR/bin
if [ "$MODE" = national ]; then WORK=$BENCH_DIR/national; else WORK=$BENCH_DIR; fi
DATA=$WORK/data
LOGS=$WORK/logs
DB=$WORK/db
RESULTS=$WORK/results.env
mkdir -p "$BIN" "$DATA" "$LOGS" "$DB"
: >"$LOGS/summary.tsv"
: >"$RESULTS"
rm -f "$DB"/*

record() { printf '%s=%q\n' "$1" "$2" >>"$RESULTS"; eval "$1=\$2"; }

# ---------------------------------------------------------------- measuring
# measure LABEL CMD... — runs CMD under /usr/bin/time -v; stdout to $M_STDOUT (default a
# log file), stderr to a log file. Sets M_WALL (seconds, from the clock, ms precision),
# M_RSS_MB (peak resident set of the process tree) and M_RC.
measure() {
    local label=$1 t0 t1
    shift
    local out=${M_STDOUT:-$LOGS/$label.out}
    local pre=()
    if [ "${M_TIMEOUT:-0}" -gt 0 ]; then pre=(timeout -s KILL "$M_TIMEOUT"); fi
    M_RC=0
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$LOGS/$label.time" "${pre[@]}" "$@" >"$out" 2>"$LOGS/$label.err" || M_RC=$?
    t1=$(date +%s%N)
    M_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    M_RSS_MB=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$LOGS/$label.time")
    printf '%s\twall %s s\tpeak RSS %s MB\texit %s\n' "$label" "$M_WALL" "${M_RSS_MB:-?}" "$M_RC" >>"$LOGS/summary.tsv"
    say "$label: ${M_WALL} s, ${M_RSS_MB:-?} MB, exit $M_RC"
    if [ "$M_RC" -ne 0 ]; then
        say "  $label failed; stderr:"
        head -n 5 "$LOGS/$label.err" >&2 || true
    fi
}

# must LABEL CMD... — measure, and stop the run if the command failed.
must() {
    measure "$@"
    if [ "$M_RC" -ne 0 ]; then
        echo "bench: $1 failed (exit $M_RC): $(head -c 2000 "$LOGS/$1.err")" >&2
        exit 1
    fi
}

verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { if (v == "" || v == "n/a") print "—"; else if ((op == "<" && v < t) || (op == "<=" && v <= t)) print "**met**"; else print "**missed**" }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
per_sec() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }'; }
rows_in() { sqlite3 "$1" "SELECT count(*) FROM activity"; }

# The first N data rows of the big activities file (the generator's output is a prefix
# stream, so this is exactly `generate --activities N`).
slice() {
    local n=$1 file=$DATA/activities-$1.csv
    if [ "$n" = "$MAX_ROWS" ]; then
        ln -sf activities.csv "$file"
    elif [ ! -s "$file" ]; then
        head -n $((n + 1)) "$DATA/activities.csv" >"$file"
    fi
    echo "$file"
}

# ---------------------------------------------------------------- machine
say "machine"
record DATE "$(date -u '+%Y-%m-%d %H:%M UTC')"
record NPROC "$(nproc)"
record CPU "$(lscpu | awk -F': *' '/^Model name/ { print $2; exit }')"
record MEM "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
record RUSTC "$(rustc --version)"
record SQLITE_CLI "$(sqlite3 --version | cut -d' ' -f1-2)"
record SQLITE_BUNDLED "$(grep -h -m1 'define SQLITE_VERSION ' ~/.cargo/registry/src/*/libsqlite3-sys-"$(awk '/name = "libsqlite3-sys"/ { getline; gsub(/[^0-9.]/, ""); print }' "$REPO/Cargo.lock")"/sqlite3/sqlite3.h 2>/dev/null | awk '{ gsub(/"/, ""); print $3 }' || true)"
record KERNEL "$(uname -sr)"
record LOAD_START "$(cut -d' ' -f1-3 /proc/loadavg)"
# ---------------------------------------------------------------- build
# By default the work tree is built as it is. BENCH_REV=REV builds that commit instead,
# from a `git archive` snapshot in $BENCH_DIR/src (plus examples/generate/ from the work
# tree if the commit lacks it or its data shapes), so that edits in progress cannot break
# or skew the run.
if [ -n "$BENCH_REV" ]; then
    SRC=$BENCH_DIR/src
    rm -rf "$SRC" && mkdir -p "$SRC"
    # -m: files dated now, not at the commit, so that cargo cannot take them for the
    # sources of binaries already in the target folder (built from another commit).
    git -C "$REPO" archive "$BENCH_REV" | tar -x -m -C "$SRC"
    # The work tree's generator if the commit has none, or one without every data shape
    # (the shapes of issue 23 came with examples/generate/, a folder).
    if ! grep -q -- '--quote-all' "$SRC/examples/generate/shape.rs" 2>/dev/null; then
        rm -rf "$SRC/examples/generate.rs" "$SRC/examples/generate"
        mkdir -p "$SRC/examples" && cp -r "$REPO/examples/generate" "$SRC/examples/"
    fi
    TARGET_DIR=${CARGO_TARGET_DIR:-$BENCH_DIR/target}
    record GIT_REV "$(git -C "$REPO" rev-parse --short "$BENCH_REV")"
    record GIT_DIRTY "a clean snapshot of that commit, BENCH_REV=$BENCH_REV"
else
    SRC=$REPO
    TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
    record GIT_REV "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    record GIT_DIRTY "the work tree, with $(git -C "$REPO" status --porcelain -- src schema.sql Cargo.toml Cargo.lock 2>/dev/null | wc -l | tr -d ' ') uncommitted change(s) in src/, schema.sql, Cargo.*"
fi
say "building (cargo build --release --bins --examples) from $SRC into $TARGET_DIR"
t0=$(date +%s)
(cd "$SRC" && CARGO_TARGET_DIR=$TARGET_DIR cargo build --release --bins --examples) >"$LOGS/build.log" 2>&1 || { tail -n 30 "$LOGS/build.log" >&2; exit 1; }
record BUILD_S $(($(date +%s) - t0))
# Copies, so that a rebuild by someone else during the run cannot swap the binary.
cp "$TARGET_DIR/release/gongyu" "$TARGET_DIR/release/examples/generate" "$BIN/"
G=$BIN/gongyu
record GONGYU_VERSION "$("$G" --version 2>/dev/null || echo '?')"

if [ "$MODE" = national ]; then
    national_run
    exit 0
fi

# ---------------------------------------------------------------- data
if [ "$QUICK" = 1 ]; then MAX_ROWS=$IMPORT_ROWS; [ "$SMALL_ROWS" -gt "$MAX_ROWS" ] && MAX_ROWS=$SMALL_ROWS; else MAX_ROWS=$LARGE_ROWS; fi
GEN_ARGS=(--out "$DATA" --townships "$TOWNSHIPS" --communities-per-township "$COMMUNITIES" --schools-per-township "$SCHOOLS" --activities "$MAX_ROWS" --seed "$SEED")
stamp="$TOWNSHIPS-$COMMUNITIES-$SCHOOLS-$MAX_ROWS-$SEED-$(sha256sum "$BIN/generate" | cut -c1-16)"
if [ "$(cat "$DATA/.stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -f "$DATA"/*.csv
    say "generating $MAX_ROWS activities over $((TOWNSHIPS * (COMMUNITIES + SCHOOLS))) units"
    must generate "$BIN/generate" "${GEN_ARGS[@]}"
    record GEN_S "$M_WALL"
    echo "$stamp" >"$DATA/.stamp"
else
    say "reusing the generated data in $DATA"
    record GEN_S "(reused)"
fi
record UNITS $((TOWNSHIPS * (COMMUNITIES + SCHOOLS)))
record N_COMMUNITIES $((TOWNSHIPS * COMMUNITIES))
record N_SCHOOLS $((TOWNSHIPS * SCHOOLS))
IMPORT_FILE=$(slice "$IMPORT_ROWS")
record IMPORT_MB "$(du -Lm "$IMPORT_FILE" | cut -f1)"

# setup LEDGER PREFIX — init + both rosters, each timed under PREFIX-*.
setup() {
    local db=$1 p=$2
    must "$p-init" "$G" --db "$db" init
    record "${p}_INIT_S" "$M_WALL"
    must "$p-communities" "$G" --db "$db" import communities "$DATA/communities.csv"
    record "${p}_COMM_S" "$M_WALL"
    must "$p-schools" "$G" --db "$db" import schools "$DATA/schools.csv"
    record "${p}_SCHOOLS_S" "$M_WALL"
}

# Indexes that make the per-row host check an index lookup instead of a scan of both
# rosters (see BENCHMARKS.md). Used only where BENCHMARKS.md says so, and dropped again
# before any report is timed.
HELPER_INDEXES="CREATE INDEX IF NOT EXISTS bench_school_unit ON school (unit_id);
CREATE INDEX IF NOT EXISTS bench_community_unit ON community (unit_id);"
DROP_HELPERS="DROP INDEX IF EXISTS bench_school_unit; DROP INDEX IF EXISTS bench_community_unit;"

# ---------------------------------------------------------------- sqlite3 .import
say "sqlite3 .import of $IMPORT_ROWS rows"
SQ=$DB/sqlite3.db
sqlite3 "$SQ" "CREATE TABLE activity(id TEXT UNIQUE, host TEXT, date TEXT, kind TEXT, title TEXT, participants INTEGER, mode TEXT)"
if sqlite3 -cmd ".mode csv" ":memory:" ".import --skip 1 /dev/null t" 2>&1 | grep -qi 'unknown option'; then
    SQ_IMPORT=".import '|tail -n +2 $IMPORT_FILE' activity"
else
    SQ_IMPORT=".import --skip 1 $IMPORT_FILE activity"
fi
record SQ_CMD "sqlite3 $SQ -cmd '.mode csv' \"$SQ_IMPORT\""
must sqlite3-import sqlite3 "$SQ" -cmd ".mode csv" "$SQ_IMPORT"
record SQ_S "$M_WALL"
record SQ_RSS "$M_RSS_MB"
record SQ_ROWS "$(rows_in "$SQ")"

# ---------------------------------------------------------------- diagnostics
if [ "$DIAG" = 1 ]; then
    say "diagnostics: dry run and import with helper indexes on the roster tables"
    DD=$DB/diag.db
    setup "$DD" diag
    sqlite3 "$DD" "$HELPER_INDEXES"
    measure diag-dry-run "$G" --db "$DD" import activities "$IMPORT_FILE" --dry-run
    record DIAG_DRY_S "$M_WALL"; record DIAG_DRY_RSS "$M_RSS_MB"; record DIAG_DRY_RC "$M_RC"
    measure diag-import "$G" --db "$DD" import activities "$IMPORT_FILE"
    record DIAG_S "$M_WALL"; record DIAG_RSS "$M_RSS_MB"; record DIAG_RC "$M_RC"
    record DIAG_ROWS "$(rows_in "$DD")"
    record DIAG_DB_MB "$(du -m "$DD" | cut -f1)"
    rm -f "$DD" "$DD"-wal "$DD"-shm
fi

# ---------------------------------------------------------------- reports
REPORT_SIZES=("$SMALL_ROWS")
[ "$QUICK" = 1 ] || REPORT_SIZES+=("$LARGE_ROWS")
record REPORT_SIZES_TXT "${REPORT_SIZES[*]}"
for n in "${REPORT_SIZES[@]}"; do
    say "report ledger with $n activities"
    L=$DB/report-$n.db
    file=$(slice "$n")
    setup "$L" "r$n"
    [ "$LEDGER_INDEX" = 1 ] && sqlite3 "$L" "$HELPER_INDEXES"
    measure "r$n-import" "$G" --db "$L" import activities "$file"
    record "R${n}_IMPORT_S" "$M_WALL"; record "R${n}_IMPORT_RSS" "$M_RSS_MB"; record "R${n}_IMPORT_RC" "$M_RC"
    if [ "$M_RC" -ne 0 ]; then
        record "R${n}_ERROR" "$(head -c 600 "$LOGS/r$n-import.err")"
        continue
    fi
    [ "$LEDGER_INDEX" = 1 ] && sqlite3 "$L" "$DROP_HELPERS"
    record "R${n}_ROWS" "$(rows_in "$L")"
    record "R${n}_DB_MB" "$(du -m "$L" | cut -f1)"
    for what in report gaps; do
        if [ "$what" = report ]; then
            cmd=("$G" --db "$L" coverage report --by township --term "$TERM_ARG" --format json)
        else
            cmd=("$G" --db "$L" coverage gaps --term "$TERM_ARG" --format csv)
        fi
        walls=() rss=0 rc=0
        for i in $(seq "$RUNS"); do
            M_STDOUT=/dev/null measure "r$n-$what-$i" "${cmd[@]}"
            walls+=("$M_WALL")
            rss=$(awk -v a="$rss" -v b="$M_RSS_MB" 'BEGIN { print (b > a ? b : a) }')
            [ "$M_RC" -ne 0 ] && rc=$M_RC
        done
        record "R${n}_${what^^}_MEDIAN" "$(printf '%s\n' "${walls[@]}" | median)"
        record "R${n}_${what^^}_RUNS" "${walls[*]}"
        record "R${n}_${what^^}_RSS" "$rss"
        record "R${n}_${what^^}_RC" "$rc"
    done
    # The gaps output, once, for its size.
    "$G" --db "$L" coverage gaps --term "$TERM_ARG" --format csv 2>/dev/null | wc -l >"$LOGS/r$n-gaps.lines" || true
    record "R${n}_GAP_ROWS" "$(($(cat "$LOGS/r$n-gaps.lines") - 1))"
    rm -f "$L" "$L"-wal "$L"-shm
done

# ---------------------------------------------------------------- gongyu import (headline)
say "gongyu import of $IMPORT_ROWS rows (unmodified ledger)$([ "$IMPORT_TIMEOUT" -gt 0 ] && echo ", timeout ${IMPORT_TIMEOUT}s")"
GL=$DB/gongyu.db
setup "$GL" setup
record SETUP_S "$(awk -v a="$setup_INIT_S" -v b="$setup_COMM_S" -v c="$setup_SCHOOLS_S" 'BEGIN { printf "%.3f", a + b + c }')"
record SETUP_RSS "$(awk -F'\t' '/^setup-/ { split($3, f, " "); if (f[3] > m) m = f[3] } END { print m }' "$LOGS/summary.tsv")"
record GY_CMD "gongyu --db $GL import activities $IMPORT_FILE"
M_TIMEOUT=$IMPORT_TIMEOUT measure gongyu-import "$G" --db "$GL" import activities "$IMPORT_FILE"
record GY_S "$M_WALL"; record GY_RSS "$M_RSS_MB"; record GY_RC "$M_RC"
record GY_ERR "$(head -c 600 "$LOGS/gongyu-import.err")"
record GY_ROWS "$(rows_in "$GL" 2>/dev/null || echo 0)"
record LOAD_END "$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- BENCHMARKS.md
GY_RATIO=$(ratio "$GY_S" "$SQ_S")
if [ "$GY_RC" -eq 0 ]; then GY_WALL_TXT="$GY_S s"; else GY_WALL_TXT="> $GY_S s (killed after the timeout, exit $GY_RC)"; GY_RATIO=">$GY_RATIO"; fi
RATIO_VERDICT=$(verdict "${GY_RATIO#>}" 1.0 "<=")
[ "$GY_RC" -ne 0 ] && RATIO_VERDICT="**missed**"

KEEP="" NATIONAL=""
if [ -f "$BENCH_OUT" ]; then
    KEEP=$(awk 'f { print } /<!-- kept by bench\/run.sh -->/ { f = 1 }' "$BENCH_OUT")
    # The national mode's section, kept as it is.
    NATIONAL=$(awk -v b="$NAT_BEGIN" -v e="$NAT_END" '$0 == b { f = 1 } f { print } $0 == e { f = 0 }' "$BENCH_OUT")
fi

{
    cat <<EOF
# Benchmarks

Produced by \`bench/run.sh\` (issue 5, "Performance at national scale, measured side by
side"). Figures below the machine section are written by the script; the analysis at the
end is kept across runs. The national section (issue 10), between its markers, is written
by \`BENCH_MODE=national bash bench/run.sh\` and kept as it is by the district run.

- **Date:** $DATE
- **Machine:** $NPROC CPUs ($CPU), $MEM RAM, $KERNEL
- **Toolchain:** $RUSTC; \`$GONGYU_VERSION\` built from \`$GIT_REV\` ($GIT_DIRTY), release profile, bundled SQLite ${SQLITE_BUNDLED:-?}
- **sqlite3 CLI:** $SQLITE_CLI
- **Load:** load average $LOAD_START at the start, $LOAD_END at the end. This is a shared
  2-core machine: whatever else runs on it (builds, tests) moves the wall times by tens
  of per cent, and so does its disk from one session to the next; the load averages say
  how busy it was.
- **Data:** $TOWNSHIPS townships × ($COMMUNITIES communities + $SCHOOLS schools) = $UNITS units
  ($N_COMMUNITIES communities, $N_SCHOOLS schools); activities generated with seed $SEED
  (\`$IMPORT_ROWS\`-row import file: $IMPORT_MB MB). Files are in the page cache (just written).
- **Mode:** $( [ "$QUICK" = 1 ] && echo "BENCH_QUICK=1 (the 10M part skipped)" || echo "full" )

## Against the targets

| target | measured | verdict |
|---|---|---|
| import ≤ 1.0× \`sqlite3 .import\` wall time ($IMPORT_ROWS rows) | gongyu $GY_WALL_TXT vs sqlite3 $SQ_S s = **${GY_RATIO}×** | $RATIO_VERDICT |
| import peak RSS < 100 MB | $GY_RSS MB | $(verdict "$GY_RSS" 100 "<") |
EOF
    for n in "${REPORT_SIZES[@]}"; do
        limit=1
        [ "$n" -ge 10000000 ] && limit=3
        m=$(eval echo "\${R${n}_REPORT_MEDIAN:-}")
        if [ -n "$m" ]; then
            echo "| \`coverage report --by township\` over $n activities, $UNITS units < $limit s | median $m s | $(verdict "$m" "$limit" "<") |"
        else
            echo "| \`coverage report --by township\` over $n activities, $UNITS units < $limit s | not measured: building the ledger failed | — |"
        fi
    done
    [ "$QUICK" = 1 ] && echo "| \`coverage report --by township\` over 10000000 activities < 3 s | skipped (BENCH_QUICK=1) | — |"
    cat <<EOF

## Import: gongyu vs sqlite3, same file ($IMPORT_ROWS rows)

| | wall | rows/s | peak RSS | rows in the database |
|---|---|---|---|---|
| \`gongyu import activities\` | $GY_WALL_TXT | $(per_sec "$GY_ROWS" "$GY_S") | $GY_RSS MB | $GY_ROWS |
| \`sqlite3 .import\` | $SQ_S s | $(per_sec "$SQ_ROWS" "$SQ_S") | $SQ_RSS MB | $SQ_ROWS |
| ratio gongyu / sqlite3 | **${GY_RATIO}×** | | $(ratio "$GY_RSS" "$SQ_RSS")× | |

Setup before the gongyu import (fresh ledger, timed apart): \`init\` ${setup_INIT_S} s,
\`import communities\` (${N_COMMUNITIES} rows) ${setup_COMM_S} s, \`import schools\`
(${N_SCHOOLS} rows) ${setup_SCHOOLS_S} s — ${SETUP_S} s in all, peak RSS ${SETUP_RSS} MB.
EOF
    if [ -n "${GY_ERR:-}" ]; then
        printf '\ngongyu import stderr (first 600 bytes):\n\n```text\n%s\n```\n' "$GY_ERR"
    fi
    if [ "$DIAG" = 1 ]; then
        cat <<EOF

### Diagnostics (same file, same rosters)

With two extra indexes on the roster tables, \`school (unit_id)\` and \`community (unit_id)\`,
created by the script on a separate ledger after the roster imports (the binary is unchanged):

| | wall | rows/s | peak RSS | vs sqlite3 |
|---|---|---|---|---|
| \`gongyu import activities --dry-run\` | $DIAG_DRY_S s | $(per_sec "$IMPORT_ROWS" "$DIAG_DRY_S") | $DIAG_DRY_RSS MB | $(ratio "$DIAG_DRY_S" "$SQ_S")× |
| \`gongyu import activities\` | $DIAG_S s | $(per_sec "$DIAG_ROWS" "$DIAG_S") | $DIAG_RSS MB | $(ratio "$DIAG_S" "$SQ_S")× |

Ledger size after that import: $DIAG_DB_MB MB.
EOF
    fi
    cat <<EOF

## Reports ($RUNS runs each, stdout to /dev/null; median)

EOF
    if [ "$LEDGER_INDEX" = 1 ]; then
        cat <<EOF
The report ledgers are built with \`gongyu import activities\` of one file (rows as
below), with the two helper indexes present during that import (BENCH_LEDGER_INDEX=1) and
dropped again before any report is timed, so the ledgers read are exactly what gongyu
writes.

EOF
    else
        printf 'Each report ledger is a fresh ledger with both rosters and one `gongyu import activities` of the first N rows (timed below).\n\n'
    fi
    echo "| ledger | import to build it | \`coverage report --by township --format json\` | \`coverage gaps --format csv\` |"
    echo "|---|---|---|---|"
    for n in "${REPORT_SIZES[@]}"; do
        v() { eval echo "\${R${n}_$1:-}"; }
        if [ -n "$(v REPORT_MEDIAN)" ]; then
            echo "| $(v ROWS) activities, $UNITS units, $(v DB_MB) MB | $(v IMPORT_S) s, $(v IMPORT_RSS) MB | **$(v REPORT_MEDIAN) s** (runs: $(v REPORT_RUNS); peak RSS $(v REPORT_RSS) MB) | **$(v GAPS_MEDIAN) s** (runs: $(v GAPS_RUNS); peak RSS $(v GAPS_RSS) MB; $(v GAP_ROWS) gap rows) |"
        else
            echo "| $n activities | failed after $(v IMPORT_S) s (exit $(v IMPORT_RC)): \`$(v ERROR | tr '\n' ' ')\` | — | — |"
        fi
    done
    cat <<EOF

## Commands

\`\`\`sh
BENCH_QUICK=$QUICK BENCH_DIR=$BENCH_DIR bash bench/run.sh
cargo build --release --bins --examples
generate ${GEN_ARGS[*]}
head -n \$((N + 1)) activities.csv > activities-N.csv       # N = ${IMPORT_ROWS}, ${REPORT_SIZES[*]}
gongyu --db L init
gongyu --db L import communities $DATA/communities.csv
gongyu --db L import schools $DATA/schools.csv
/usr/bin/time -v gongyu --db L import activities $IMPORT_FILE
sqlite3 $SQ "CREATE TABLE activity(id TEXT UNIQUE, host TEXT, date TEXT, kind TEXT, title TEXT, participants INTEGER, mode TEXT)"
/usr/bin/time -v sqlite3 $SQ -cmd '.mode csv' "$SQ_IMPORT"
/usr/bin/time -v gongyu --db L coverage report --by township --term $TERM_ARG --format json > /dev/null
/usr/bin/time -v gongyu --db L coverage gaps --term $TERM_ARG --format csv > /dev/null
\`\`\`

Wall times are from the clock around each command; peak RSS is /usr/bin/time's "Maximum
resident set size". Raw logs: \`$LOGS/\` (\`summary.tsv\`, one \`.time\`/\`.err\` per command).

EOF
    if [ -n "$NATIONAL" ]; then printf '%s\n\n' "$NATIONAL"; fi
    echo "$KEPT_MARK"
    if [ -n "$KEEP" ]; then printf '%s\n' "$KEEP"; fi
} >"$BENCH_OUT.tmp"
mv "$BENCH_OUT.tmp" "$BENCH_OUT"
cp "$BENCH_OUT" "$BENCH_DIR/BENCHMARKS.md" 2>/dev/null || true
say "wrote $BENCH_OUT"
