# shellcheck shell=bash disable=SC2153,SC2154,SC2016 # figures set by record (run.sh) through eval; markdown backticks
# National mode of bench/run.sh (issue 10). run.sh sources this file before it builds
# anything (so that a bad knob stops the run at once), then calls national_run after the
# machine section and the build, with its helpers (say, record, measure, must, median,
# ratio, per_sec, verdict, rows_in) and settings (TOWNSHIPS, COMMUNITIES, SCHOOLS, SEED,
# RUNS, G, BIN, DATA, DB, LOGS, BENCH_OUT, …) in scope. Not meant to be run on its own.
#
# 1. Rosters: `init` + `import communities` + `import schools` into a fresh ledger, timed;
#    that ledger is then the template every activity import starts from (copied).
# 2. Imports by data shape: for each shape and size, `sqlite3 .import` into a fresh
#    database and `gongyu import activities` into a fresh copy of the template.
# 3. Ten files of BENCH_TENTH_ROWS activities each, with distinct ids, imported one after
#    another into one copy of the template.
# 4. On the base shape's largest ledger: coverage report and gaps (BENCH_RUNS runs each),
#    check, backup, and the import and revert of one more batch.
# 5. The figures go between the national markers of BENCH_OUT.
#
# A failed command is recorded (exit code, first lines of its stderr) and the run goes on;
# only setup steps (generating, the rosters ledger) stop it.

# shellcheck disable=SC2086 # a list of words
SIZES=$(printf '%s\n' ${BENCH_NATIONAL_SIZES:-10000000 20000000} | sort -n -u | tr '\n' ' ')
SIZES_TXT=${SIZES% }
SIZES_TXT=${SIZES_TXT// /, }
ALL_SHAPES="base grouped school-year en zh no-ids real crlf quoted"
SHAPES=${BENCH_SHAPES:-$ALL_SHAPES}
# Issue 23: every import at most this many times `sqlite3 .import` of the same file;
# `check` within 20 s per 10M activities (20 s at 10M, 40 s at 20M); `coverage gaps` under
# 64 MB of peak RSS.
IMPORT_RATIO=0.9
CHECK_S_PER_10M=20
GAPS_RSS_MB=64
# BENCH_WAL_FLOOR=0 leaves out the third import of each pair (sqlite3 .import with WAL and
# synchronous=FULL, the floor for gongyu's guarantees): a shorter run, with "not run" in its column.
WAL_FLOOR=${BENCH_WAL_FLOOR:-1}
case "$WAL_FLOOR" in 0 | 1) ;; *) echo "bench: BENCH_WAL_FLOOR must be 0 or 1, not \"$WAL_FLOOR\"" >&2; exit 1 ;; esac
TENTH_FILES=10
# BENCH_IMPORT_RUNS pairs of imports (sqlite3, gongyu) per shape and size, each tool's best
# run taken; BENCH_TENTH_REPEAT imports each of the first and the tenth file, their medians
# compared.
IMPORT_RUNS=${BENCH_IMPORT_RUNS:-1}
TENTH_REPEAT=${BENCH_TENTH_REPEAT:-5}
for n in "$IMPORT_RUNS" "$TENTH_REPEAT"; do
    case "$n" in '' | *[!0-9]* | 0) echo "bench: BENCH_IMPORT_RUNS and BENCH_TENTH_REPEAT must be whole numbers from 1, not \"$n\"" >&2; exit 1 ;; esac
done
for n in $SIZES ${BENCH_TENTH_ROWS:-}; do
    case "$n" in '' | *[!0-9]*) echo "bench: sizes must be whole numbers, not \"$n\"" >&2; exit 1 ;; esac
done
MAX=${SIZES% }
MAX=${MAX##* }
CHECK_MAX_S=$(awk -v n="$MAX" -v p="$CHECK_S_PER_10M" 'BEGIN { printf "%g", n / 10000000 * p }')
MIN=${SIZES%% *}
# 2,000,000 rows per file, or the smallest size if less (a small trial stays small).
TENTH_ROWS=${BENCH_TENTH_ROWS:-$((MIN < 2000000 ? MIN : 2000000))}
UNITS=$((TOWNSHIPS * (COMMUNITIES + SCHOOLS)))
# Grouped: a unit's mean run is sized so that the largest file takes every unit about once.
PER_HOST=$(((MAX + UNITS / 2) / UNITS))
[ "$PER_HOST" -ge 1 ] || PER_HOST=1

# The return of issue 23, as a district sent it: Chinese headers, long ids in random order,
# hosts at random among all units, dates over a school year (September–December 2020-09-01,
# January–August 2021年1月1日), six Chinese kind spellings, every optional cell filled.
REAL_ARGS="--headers zh --ids long --hosts uniform --span school-year --spelling real --full"

# shape_args SHAPE — the generator options of a data shape (each changes one dimension of
# the base shape: random order, one term, mixed spellings, ids).
shape_args() {
    case "$1" in
    base) ;;
    grouped) echo "--order grouped --per-host $PER_HOST" ;;
    school-year) echo "--span school-year" ;;
    en) echo "--spelling en" ;;
    zh) echo "--spelling zh" ;;
    no-ids) echo "--no-ids" ;;
    real) echo "$REAL_ARGS" ;;
    crlf) echo "$REAL_ARGS --crlf" ;;
    quoted) echo "$REAL_ARGS --quote-all" ;;
    *) return 1 ;;
    esac
}
shape_about() {
    case "$1" in
    base) echo "random order, one term (2020-09-01..2021-01-31), mixed English/Chinese spellings, ids" ;;
    grouped) echo "as base, but each host's activities together, township by township (\`--order grouped --per-host $PER_HOST\`)" ;;
    school-year) echo "as base, but dates over the school year 2020-09-01..2021-08-31, two terms (\`--span school-year\`)" ;;
    en) echo "as base, but English kinds and modes and ISO dates only (\`--spelling en\`)" ;;
    zh) echo "as base, but Chinese kinds and modes, dates 2020年9月1日 or 2020/9/1 (\`--spelling zh\`)" ;;
    no-ids) echo "as base, but the id column blank on every row, titles numbered so no two rows are the same activity (\`--no-ids\`)" ;;
    real) echo "issue 23's file: headers 活动编号,主办单位代码,活动日期,活动类型,活动名称,参与人数,形式; ids \`N\` + nine digits in random order; hosts at random among all units; dates over the school year, September–December \`2020-09-01\`, January–August \`2021年1月1日\`; six Chinese kind spellings; a title, a head count and a mode on every row (\`$REAL_ARGS\`)" ;;
    crlf) echo "as real, with Windows line ends (\`--crlf\`)" ;;
    quoted) echo "as real, with every cell in double quotes (\`--quote-all\`)" ;;
    esac
}
for s in $SHAPES; do
    shape_args "$s" >/dev/null || { echo "bench: unknown shape \"$s\" in BENCH_SHAPES ($ALL_SHAPES)" >&2; exit 1; }
done

key() { printf '%s' "$1" | tr 'a-z-' 'A-Z_'; }
val() { local n=$1; printf '%s' "${!n:-}"; }
maxf() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == "") print a; else if (a == "" || b + 0 > a + 0) print b; else print a }'; }
# One line of a markdown table cell: no newlines, no pipes.
# clip — each line cut to 300 bytes, without leaving half a UTF-8 character at the end.
clip() { cut -b1-300 | iconv -c -f UTF-8 -t UTF-8; }
cell() { printf '%s' "$1" | tr '\n|' ' /' | clip; }

# Every failed command: its label, exit code and command line; the markdown lists them.
FAILS=()
declare -A FAIL_CMD=()
# run LABEL CMD... — measure, and note a failure for the report (the run goes on).
run() {
    measure "$@"
    if [ "$M_RC" -ne 0 ]; then
        FAILS+=("$1")
        FAIL_CMD[$1]="${*:2}"
        record "RC_$(key "$1")" "$M_RC"
    fi
}

UNIT_ARGS=(--townships "$TOWNSHIPS" --communities-per-township "$COMMUNITIES" --schools-per-township "$SCHOOLS" --seed "$SEED")

# generate_once DIR STAMP-EXTRA ARGS... — runs the generator into DIR unless DIR/.stamp says
# it already holds that output (same arguments, same generator binary).
generate_once() {
    local dir=$1 extra=$2 label
    shift 2
    local stamp
    stamp="$TOWNSHIPS-$COMMUNITIES-$SCHOOLS-$SEED-$GEN_HASH-$extra"
    label="gen-$(basename "$dir")"
    if [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$stamp" ]; then
        say "reusing the generated data in $dir"
        record "GEN_$(key "$(basename "$dir")")_S" "(reused)"
        return
    fi
    rm -rf "$dir" && mkdir -p "$dir"
    must "$label" "$GEN" --out "$dir" "${UNIT_ARGS[@]}" "$@"
    record "GEN_$(key "$(basename "$dir")")_S" "$M_WALL"
    echo "$stamp" >"$dir/.stamp"
}

# copy_ledger FROM TO — a fresh copy of a ledger, with its -wal file if one is left, written
# out to the disk before it is used: otherwise the next command, whose commit syncs, would
# share the disk with the write-back of the copy (2.4 GB for the ledger before the tenth file).
copy_ledger() {
    rm -f "$2" "$2-wal" "$2-shm"
    cp "$1" "$2"
    if [ -e "$1-wal" ]; then cp "$1-wal" "$2-wal"; fi
    sync
}
drop_db() { rm -f "$1" "$1-wal" "$1-shm"; }
# runs_fig K — ", best of N (gongyu a, b; sqlite3 c, d)" when the pairs ran more than once.
runs_fig() {
    [ "$IMPORT_RUNS" -gt 1 ] || return 0
    printf ', best of %s (gongyu %s; sqlite3 %s)' "$IMPORT_RUNS" "$(commas "$(val "${1}_GY_ALL")")" "$(commas "$(val "${1}_SQ_ALL")")"
}
# tenth_fig — the first and tenth files' times, medians when they ran more than once.
tenth_fig() {
    if [ "$TENTH_REPEAT" -gt 1 ]; then
        printf 'medians of %s: first %s s (%s), tenth %s s (%s)' "$TENTH_REPEAT" "$T1_MED" "$(commas "$T1_ALL")" "$TN_MED" "$(commas "$TN_ALL")"
    else
        printf 'first %s s, tenth %s s' "$T1_MED" "$TN_MED"
    fi
}
# best A B — the smaller of two times (A when B is empty).
best() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == "" || a + 0 < b + 0) print a; else print b }'; }
# keeps RUN KEY — whether run RUN's figures are to be recorded under KEY: the first run's,
# or a later one that succeeded in less time than the one recorded.
keeps() { [ "$1" = 1 ] || { [ "$M_RC" -eq 0 ] && [ "$(best "$M_WALL" "$(val "$2")")" = "$M_WALL" ]; }; }
# commas "a b c" — "a, b, c".
commas() { echo "$1" | sed 's/ /, /g'; }

# The newest batch of a ledger as "id imported duplicates" (from `gongyu log`).
last_batch() {
    "$G" --db "$1" log --limit 1 --format csv 2>/dev/null |
        awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } NR == 2 { print $c["id"], $c["imported"], $c["duplicates"] }'
}

if sqlite3 -cmd ".mode csv" ":memory:" ".import --skip 1 /dev/null t" 2>&1 | grep -qi 'unknown option'; then
    sq_import() { echo ".import '|tail -n +2 $1' activity"; }
else
    sq_import() { echo ".import --skip 1 $1 activity"; }
fi
SQ_TABLE="CREATE TABLE activity(id TEXT UNIQUE, host TEXT, date TEXT, kind TEXT, title TEXT, participants INTEGER, mode TEXT)"
# Rows without ids: the same duplicate rule as gongyu's (one activity per host, date,
# kind, title, participants, mode).
SQ_TABLE_NO_IDS="CREATE TABLE activity(id TEXT, host TEXT, date TEXT, kind TEXT, title TEXT, participants INTEGER, mode TEXT, UNIQUE (host, date, kind, title, participants, mode))"

# nslice SHAPE N — the first N activities of a shape's largest file (a prefix of the
# generator's stream, so exactly `generate --activities N` of that shape).
nslice() {
    local s=$1 n=$2 file=$DATA/$1/activities-$2.csv
    if [ "$n" = "$MAX" ]; then
        ln -sf activities.csv "$file"
    elif [ ! -s "$file" ]; then
        head -n $((n + 1)) "$DATA/$s/activities.csv" >"$file.tmp" && mv "$file.tmp" "$file"
    fi
    echo "$file"
}

# phases_of ERRFILE — the phases line an import with GONGYU_TIMINGS=1 printed on stderr,
# without its label ("reading thread: decode …; writing thread: …; wall …"), or "?".
phases_of() {
    local l
    l=$(grep -m1 '^import timings (s): ' "$1" 2>/dev/null | sed 's/^import timings (s): //')
    echo "${l:-?}"
}

# fig WALL RC — a wall time as shown in a table: "1.234 s", or what went wrong.
fig() {
    if [ -z "$1" ]; then echo "not run"; elif [ "${2:-0}" -eq 0 ]; then echo "$1 s"; else echo "**failed** (exit $2, after $1 s)"; fi
}
# rate ROWS WALL RC — rows per second, or "—" for a command that failed.
rate() { if [ "${3:-0}" -ne 0 ] || [ -z "$2" ]; then echo "—"; else per_sec "$1" "$2"; fi; }
mb() { if [ -n "$1" ]; then echo "$1 MB"; else echo "?"; fi; }
# ok_verdict VALUE LIMIT OP RC — a verdict, missed if the command failed.
ok_verdict() { if [ "${4:-0}" -ne 0 ]; then echo "**missed** (failed)"; else verdict "$1" "$2" "$3"; fi; }

# national_run — the national mode, after the build: measures, then writes the section.
national_run() {
    national_measure
    national_write
}

# national_measure — parts 1 to 4: data, rosters, imports by shape, ten files, the ledger.
national_measure() {
    GEN=$BIN/generate
    GEN_HASH=$(sha256sum "$GEN" | cut -c1-16)
    T0_RUN=$(date +%s)
    record N_COMMUNITIES $((TOWNSHIPS * COMMUNITIES))
    record N_SCHOOLS $((TOWNSHIPS * SCHOOLS))
    record UNITS "$UNITS"

    # ---------------------------------------------------------------- data
    say "national: $UNITS units; sizes ${SIZES% }; shapes $SHAPES; $TENTH_FILES files of $TENTH_ROWS"
    generate_once "$DATA/rosters" "rosters" --activities 0
    for s in $SHAPES; do
        # shellcheck disable=SC2046 # the options are words
        generate_once "$DATA/$s" "$s-$MAX-$(shape_args "$s" | tr ' ' '_')" --activities-only --activities "$MAX" $(shape_args "$s")
    done
    tenth_args=()
    for k in $(seq "$TENTH_FILES"); do
        tenth_args+=("$k")
    done
    if [ "$(cat "$DATA/tenth/.stamp" 2>/dev/null)" != "$TOWNSHIPS-$COMMUNITIES-$SCHOOLS-$SEED-$GEN_HASH-tenth-$TENTH_ROWS" ]; then
        rm -rf "$DATA/tenth" && mkdir -p "$DATA/tenth"
        t0=$(date +%s%N)
        for k in "${tenth_args[@]}"; do
            must "gen-tenth-$k" "$GEN" --out "$DATA/tenth" "${UNIT_ARGS[@]}" --activities-only --activities "$TENTH_ROWS" \
                --id-start $(((k - 1) * TENTH_ROWS + 1)) --activities-file "activities-$k.csv"
        done
        record GEN_TENTH_S "$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
        echo "$TOWNSHIPS-$COMMUNITIES-$SCHOOLS-$SEED-$GEN_HASH-tenth-$TENTH_ROWS" >"$DATA/tenth/.stamp"
    else
        say "reusing the generated data in $DATA/tenth"
        record GEN_TENTH_S "(reused)"
    fi
    # One more batch for the national ledger, with ids after the largest file's.
    EXTRA_START=$((MAX + 1))
    generate_once "$DATA/extra" "extra-$TENTH_ROWS-$EXTRA_START" --activities-only --activities "$TENTH_ROWS" --id-start "$EXTRA_START"

    # ---------------------------------------------------------------- rosters
    say "rosters: init + import communities + import schools into a fresh ledger"
    TEMPLATE=$DB/rosters.db
    drop_db "$TEMPLATE"
    must nat-init "$G" --db "$TEMPLATE" init
    record INIT_S "$M_WALL"
    record INIT_RSS "$M_RSS_MB"
    must nat-communities "$G" --db "$TEMPLATE" import communities "$DATA/rosters/communities.csv"
    record COMM_S "$M_WALL"
    record COMM_RSS "$M_RSS_MB"
    must nat-schools "$G" --db "$TEMPLATE" import schools "$DATA/rosters/schools.csv"
    record SCHOOLS_S "$M_WALL"
    record SCHOOLS_RSS "$M_RSS_MB"
    if [ -e "$TEMPLATE-wal" ]; then
        say "note: $TEMPLATE-wal is left beside the rosters ledger; it is copied with it"
        record TEMPLATE_WAL "a -wal file was left beside it and is copied with it"
    else
        record TEMPLATE_WAL "no -wal file left beside it"
    fi
    record TEMPLATE_MB "$(du -m "$TEMPLATE" | cut -f1)"

    # ---------------------------------------------------------------- imports by shape
    LEDGER=$DB/national.db
    drop_db "$LEDGER"
    for s in $SHAPES; do
        for n in $SIZES; do
            K="I_$(key "$s")_$n"
            file=$(nslice "$s" "$n")
            record "${K}_MB" "$(du -Lk "$file" | awk '{ printf "%.1f", $1 / 1024 }')"
            # IMPORT_RUNS pairs, sqlite3 then gongyu in turn; each tool's figure is its best
            # run (the least disturbed by the rest of the machine), every run listed.
            sq_walls=() gy_walls=() sq_fail=0 gy_fail=0
            for r in $(seq "$IMPORT_RUNS"); do
                sfx=""; [ "$r" -gt 1 ] && sfx="-r$r"
                say "import, shape $s, $n rows: sqlite3 .import (run $r of $IMPORT_RUNS)"
                SQ=$DB/sqlite3.db
                drop_db "$SQ"
                if [ "$s" = no-ids ]; then sqlite3 "$SQ" "$SQ_TABLE_NO_IDS"; else sqlite3 "$SQ" "$SQ_TABLE"; fi
                run "imp-$s-$n-sqlite3$sfx" sqlite3 "$SQ" -cmd ".mode csv" "$(sq_import "$file")"
                sq_walls+=("$M_WALL")
                [ "$M_RC" -eq 0 ] || sq_fail=$M_RC
                if keeps "$r" "${K}_SQ_S"; then
                    record "${K}_SQ_S" "$M_WALL"
                    record "${K}_SQ_RSS" "$M_RSS_MB"
                    record "${K}_SQ_RC" "$M_RC"
                    record "${K}_SQ_ROWS" "$(rows_in "$SQ" 2>/dev/null || echo '?')"
                fi
                drop_db "$SQ"
                # The floor: the same .import with gongyu's journal and durability (WAL, so
                # readers are never blocked; synchronous=FULL). The CLI imports in one
                # transaction and checkpoints the WAL when it closes, as gongyu does on commit.
                if [ "$WAL_FLOOR" = 1 ] && [ "$r" = 1 ]; then
                    say "import, shape $s, $n rows: sqlite3 .import, WAL + synchronous=FULL"
                    if [ "$s" = no-ids ]; then sqlite3 "$SQ" "$SQ_TABLE_NO_IDS"; else sqlite3 "$SQ" "$SQ_TABLE"; fi
                    sqlite3 "$SQ" "PRAGMA journal_mode=WAL" >/dev/null
                    run "imp-$s-$n-sqlite3-wal" sqlite3 "$SQ" -cmd "PRAGMA synchronous=FULL" -cmd ".mode csv" "$(sq_import "$file")"
                    record "${K}_SQW_S" "$M_WALL"
                    record "${K}_SQW_RSS" "$M_RSS_MB"
                    record "${K}_SQW_RC" "$M_RC"
                    drop_db "$SQ"
                fi

                say "import, shape $s, $n rows: gongyu import activities (run $r of $IMPORT_RUNS)"
                L=$DB/import.db
                copy_ledger "$TEMPLATE" "$L"
                # GONGYU_TIMINGS=1: one line on stderr with the time of each phase (in English).
                M_TIMEOUT=$IMPORT_TIMEOUT run "imp-$s-$n-gongyu$sfx" env GONGYU_TIMINGS=1 GONGYU_LANG=en "$G" --db "$L" import activities "$file"
                gy_walls+=("$M_WALL")
                if keeps "$r" "${K}_GY_S"; then
                    record "${K}_GY_PHASES" "$(phases_of "$LOGS/imp-$s-$n-gongyu$sfx.err")"
                    record "${K}_GY_S" "$M_WALL"
                    record "${K}_GY_RSS" "$M_RSS_MB"
                    record "${K}_GY_RC" "$M_RC"
                    record "${K}_GY_ROWS" "$(rows_in "$L" 2>/dev/null || echo '?')"
                fi
                [ "$M_RC" -eq 0 ] || gy_fail=$M_RC
                if [ "$r" -lt "$IMPORT_RUNS" ]; then drop_db "$L"; fi
            done
            # A failed run fails the pair, whatever the others did.
            [ "$sq_fail" = 0 ] || record "${K}_SQ_RC" "$sq_fail"
            [ "$gy_fail" = 0 ] || record "${K}_GY_RC" "$gy_fail"
            record "${K}_SQ_ALL" "${sq_walls[*]}"
            record "${K}_GY_ALL" "${gy_walls[*]}"
            M_RC=$(val "${K}_GY_RC")
            if [ "$s" = base ] && [ "$n" != "$MAX" ] && [ "$M_RC" -eq 0 ]; then
                # Issue 23: check within CHECK_S_PER_10M seconds per 10M activities, at every
                # size (the largest is checked on the national ledger, below).
                run "check-$n" "$G" --db "$L" check
                record "CHECK_${n}_S" "$M_WALL"; record "CHECK_${n}_RSS" "$M_RSS_MB"; record "CHECK_${n}_RC" "$M_RC"
            fi
            if [ "$s" = base ] && [ "$n" = "$MAX" ] && [ "$(val "${K}_GY_RC")" -eq 0 ]; then
                # The national ledger of part 4.
                mv "$L" "$LEDGER"
                if [ -e "$L-wal" ]; then mv "$L-wal" "$LEDGER-wal"; fi
                rm -f "$L-shm"
                record LEDGER_MB "$(du -m "$LEDGER" | cut -f1)"
            fi
            drop_db "$L"
        done
    done

    # ---------------------------------------------------------------- ten files
    say "$TENTH_FILES files of $TENTH_ROWS activities into one ledger"
    TL=$DB/tenth.db
    copy_ledger "$TEMPLATE" "$TL"
    before=0
    for k in "${tenth_args[@]}"; do
        record "T${k}_BEFORE" "$before"
        if [ "$k" = "$TENTH_FILES" ] && [ "$TENTH_REPEAT" -gt 1 ]; then copy_ledger "$TL" "$DB/tenth-before.db"; fi
        M_TIMEOUT=$IMPORT_TIMEOUT run "tenth-$k" "$G" --db "$TL" import activities "$DATA/tenth/activities-$k.csv"
        record "T${k}_S" "$M_WALL"
        record "T${k}_RSS" "$M_RSS_MB"
        record "T${k}_RC" "$M_RC"
        if [ "$M_RC" -eq 0 ]; then
            read -r _ imported dups <<<"$(last_batch "$TL")"
            record "T${k}_IMPORTED" "${imported:-?}"
            record "T${k}_DUPS" "${dups:-?}"
            before=$((before + ${imported:-0}))
        fi
    done
    record TENTH_DB_MB "$(du -m "$TL" | cut -f1)"
    drop_db "$TL"
    # The first and the tenth file again, TENTH_REPEAT times in all, in turn: the first into
    # a fresh copy of the rosters ledger, the tenth into a copy of the ledger as it was
    # before the tenth. The bound compares their medians.
    t1_walls=("$(val T1_S)") tn_walls=("$(val "T${TENTH_FILES}_S")")
    for r in $(seq 2 "$TENTH_REPEAT"); do
        copy_ledger "$TEMPLATE" "$TL"
        M_TIMEOUT=$IMPORT_TIMEOUT run "tenth-1-r$r" "$G" --db "$TL" import activities "$DATA/tenth/activities-1.csv"
        t1_walls+=("$M_WALL"); [ "$M_RC" -eq 0 ] || record T1_RC "$M_RC"
        copy_ledger "$DB/tenth-before.db" "$TL"
        M_TIMEOUT=$IMPORT_TIMEOUT run "tenth-$TENTH_FILES-r$r" "$G" --db "$TL" import activities "$DATA/tenth/activities-$TENTH_FILES.csv"
        tn_walls+=("$M_WALL"); [ "$M_RC" -eq 0 ] || record "T${TENTH_FILES}_RC" "$M_RC"
        drop_db "$TL"
    done
    drop_db "$DB/tenth-before.db"
    record T1_ALL "${t1_walls[*]}"
    record TN_ALL "${tn_walls[*]}"
    record T1_MED "$(printf '%s\n' "${t1_walls[@]}" | median)"
    record TN_MED "$(printf '%s\n' "${tn_walls[@]}" | median)"

    # ---------------------------------------------------------------- the national ledger
    LEDGER_OK=0
    if [ -f "$LEDGER" ]; then
        LEDGER_OK=1
        record LEDGER_ROWS "$(rows_in "$LEDGER")"
        say "commands on the national ledger ($LEDGER_ROWS activities)"
        for what in report gaps; do
            if [ "$what" = report ]; then
                cmd=("$G" --db "$LEDGER" coverage report --by township --term "$TERM_ARG" --format json)
            else
                cmd=("$G" --db "$LEDGER" coverage gaps --term "$TERM_ARG" --format csv)
            fi
            walls=() rss="" rc=0
            for i in $(seq "$RUNS"); do
                M_STDOUT=/dev/null run "nat-$what-$i" "${cmd[@]}"
                walls+=("$M_WALL")
                rss=$(maxf "$rss" "$M_RSS_MB")
                [ "$M_RC" -ne 0 ] && rc=$M_RC
            done
            record "L_${what^^}_MEDIAN" "$(printf '%s\n' "${walls[@]}" | median)"
            record "L_${what^^}_RUNS" "${walls[*]}"
            record "L_${what^^}_RSS" "$rss"
            record "L_${what^^}_RC" "$rc"
        done
        "$G" --db "$LEDGER" coverage gaps --term "$TERM_ARG" --format csv 2>/dev/null | wc -l >"$LOGS/nat-gaps.lines" || true
        record L_GAP_ROWS "$(($(cat "$LOGS/nat-gaps.lines") - 1))"

        run nat-check "$G" --db "$LEDGER" check
        record L_CHECK_S "$M_WALL"; record L_CHECK_RSS "$M_RSS_MB"; record L_CHECK_RC "$M_RC"

        BK=$DB/backup.db
        drop_db "$BK"
        run nat-backup "$G" --db "$LEDGER" backup "$BK"
        record L_BACKUP_S "$M_WALL"; record L_BACKUP_RSS "$M_RSS_MB"; record L_BACKUP_RC "$M_RC"
        record L_BACKUP_MB "$([ -f "$BK" ] && du -m "$BK" | cut -f1 || echo '?')"
        drop_db "$BK"

        run nat-extra-import "$G" --db "$LEDGER" import activities "$DATA/extra/activities.csv"
        record L_EXTRA_S "$M_WALL"; record L_EXTRA_RSS "$M_RSS_MB"; record L_EXTRA_RC "$M_RC"
        if [ "$L_EXTRA_RC" -eq 0 ]; then
            read -r BATCH imported _ <<<"$(last_batch "$LEDGER")"
            record L_EXTRA_IMPORTED "${imported:-?}"
            record L_BATCH "${BATCH:-?}"
            run nat-revert "$G" --db "$LEDGER" revert "$BATCH"
            record L_REVERT_S "$M_WALL"; record L_REVERT_RSS "$M_RSS_MB"; record L_REVERT_RC "$M_RC"
            record L_ROWS_AFTER "$(rows_in "$LEDGER")"
        fi
    fi
    record LOAD_END "$(cut -d' ' -f1-3 /proc/loadavg)"
    record RUN_S $(($(date +%s) - T0_RUN))
}

# national_write — part 5: the national section, into BENCH_OUT.
national_write() {
    SECTION=$WORK/national-section.md
    {
        cat <<EOF
$NAT_BEGIN
## National scale (issues 10 and 23)

Written by \`BENCH_MODE=national bash bench/run.sh\` (bench/national.sh); the district figures
above and the analysis below are kept when it rewrites this section, and the district run
keeps this section.

- **Date:** $DATE; the whole run took $((RUN_S / 60)) min $((RUN_S % 60)) s after the build
- **Machine:** $NPROC CPUs ($CPU), $MEM RAM, $KERNEL
- **Toolchain:** $RUSTC; \`$GONGYU_VERSION\` built from \`$GIT_REV\` ($GIT_DIRTY), release profile, bundled SQLite ${SQLITE_BUNDLED:-?}
- **sqlite3 CLI:** $SQLITE_CLI
- **Load:** load average $LOAD_START at the start, $LOAD_END at the end. This is a shared
  2-core machine: whatever else runs on it (builds, tests) moves the wall times by tens
  of per cent, and so does its disk from one session to the next; the load averages say
  how busy it was.
- **Data:** $TOWNSHIPS townships × ($COMMUNITIES communities + $SCHOOLS schools) = $UNITS units
  ($N_COMMUNITIES communities, $N_SCHOOLS schools), seed $SEED; activity files of $SIZES_TXT rows
  in each shape (the smaller ones the first rows of the largest), $TENTH_FILES files of
  $TENTH_ROWS rows for the tenth-file test and one more for the revert. Files are in the
  page cache (written or read shortly before).
- **Generation** (seconds, or reused from an earlier run): rosters $GEN_ROSTERS_S;
  $(for s in $SHAPES; do printf '%s %s; ' "$s" "$(val "GEN_$(key "$s")_S")"; done)ten files $GEN_TENTH_S; revert batch $GEN_EXTRA_S.

### Against the targets (issues 10 and 23)

| target | measured | verdict |
|---|---|---|
| \`import communities\` ($N_COMMUNITIES rows) into a fresh ledger < 5 s | $COMM_S s | $(verdict "$COMM_S" 5 "<") |
| \`import communities\` peak RSS < 100 MB | $COMM_RSS MB | $(verdict "$COMM_RSS" 100 "<") |
| \`import schools\` ($N_SCHOOLS rows) < 5 s | $SCHOOLS_S s | $(verdict "$SCHOOLS_S" 5 "<") |
| \`import schools\` peak RSS < 100 MB | $SCHOOLS_RSS MB | $(verdict "$SCHOOLS_RSS" 100 "<") |
EOF
        imp_rss="" imp_rss_at="" imp_failed=0
        for s in $SHAPES; do
            for n in $SIZES; do
                K="I_$(key "$s")_$n"
                sq=$(val "${K}_SQ_S") sqrc=$(val "${K}_SQ_RC") gy=$(val "${K}_GY_S") gyrc=$(val "${K}_GY_RC") r=$(ratio "$(val "${K}_GY_S")" "$(val "${K}_SQ_S")")
                if [ "$gyrc" -ne 0 ]; then
                    m="gongyu **failed** (exit $gyrc, after $gy s) vs sqlite3 $(fig "$sq" "$sqrc")"; v="**missed** (failed)"; imp_failed=1
                elif [ "$sqrc" -ne 0 ]; then
                    m="gongyu $gy s vs sqlite3 **failed** (exit $sqrc)"; v="—"
                else
                    m="gongyu $gy s vs sqlite3 $sq s = **${r}×**$(runs_fig "$K")"; v=$(verdict "$r" "$IMPORT_RATIO" "<=")
                fi
                echo "| \`import activities\` ≤ ${IMPORT_RATIO}× \`sqlite3 .import\`: shape $s, $n rows | $m | $v |"
                new=$(maxf "$imp_rss" "$(val "${K}_GY_RSS")")
                if [ "$new" != "$imp_rss" ]; then imp_rss=$new imp_rss_at="$s, $n rows"; fi
            done
        done
        if [ "$imp_failed" = 1 ]; then imp_v="**missed** (an import failed)"; else imp_v=$(verdict "$imp_rss" 100 "<"); fi
        echo "| \`import activities\` peak RSS < 100 MB, every shape and size | highest $(mb "$imp_rss") ($imp_rss_at) | $imp_v |"
        t_rss="" t_failed=0
        for k in "${tenth_args[@]}"; do
            t_rss=$(maxf "$t_rss" "$(val "T${k}_RSS")")
            [ "$(val "T${k}_RC")" -ne 0 ] && t_failed=1
        done
        TR=$(ratio "$TN_MED" "$T1_MED")
        if [ "$t_failed" = 1 ]; then
            echo "| tenth file's import within 1.3× of the first's ($TENTH_FILES × $TENTH_ROWS rows into one ledger) | an import failed (see below) | **missed** (failed) |"
        else
            echo "| tenth file's import within 1.3× of the first's ($TENTH_FILES × $TENTH_ROWS rows into one ledger) | $(tenth_fig) = **${TR}×** | $(verdict "$TR" 1.3 "<=") |"
        fi
        echo "| those imports' peak RSS < 100 MB | highest $(mb "$t_rss") | $(if [ "$t_failed" = 1 ]; then echo "**missed** (failed)"; else verdict "$t_rss" 100 "<"; fi) |"
        if [ "$LEDGER_OK" = 1 ]; then
            l_rss="" l_rss_at=""
            for c in REPORT GAPS CHECK BACKUP EXTRA REVERT; do
                new=$(maxf "$l_rss" "$(val "L_${c}_RSS")")
                if [ "$new" != "$l_rss" ]; then l_rss=$new l_rss_at=$c; fi
            done
            l_rss_at=$(echo "$l_rss_at" | tr '[:upper:]' '[:lower:]' | sed 's/extra/import of one more batch/')
            cat <<EOF
| \`coverage report --by township --format json\` on the $LEDGER_ROWS-activity ledger < 1 s | median $L_REPORT_MEDIAN s | $(ok_verdict "$L_REPORT_MEDIAN" 1 "<" "$L_REPORT_RC") |
| \`coverage gaps --format csv\` on that ledger < 2 s | median $L_GAPS_MEDIAN s | $(ok_verdict "$L_GAPS_MEDIAN" 2 "<" "$L_GAPS_RC") |
| \`coverage gaps --format csv\` on that ledger: peak RSS < $GAPS_RSS_MB MB | $(mb "$L_GAPS_RSS") | $(ok_verdict "$L_GAPS_RSS" "$GAPS_RSS_MB" "<" "$L_GAPS_RC") |
EOF
            for n in $SIZES; do
                if [ "$n" = "$MAX" ]; then cs=$L_CHECK_S crc=$L_CHECK_RC; else cs=$(val "CHECK_${n}_S") crc=$(val "CHECK_${n}_RC"); fi
                bound=$(awk -v n="$n" -v p="$CHECK_S_PER_10M" 'BEGIN { printf "%g", n / 10000000 * p }')
                if [ -n "$cs" ]; then
                    echo "| \`check\` on the base shape's $n-activity ledger < $bound s | $(fig "$cs" "$crc") | $(ok_verdict "$cs" "$bound" "<" "$crc") |"
                else
                    echo "| \`check\` on the base shape's $n-activity ledger < $bound s | not run: that import failed | **missed** (not run) |"
                fi
            done
            cat <<EOF
| \`backup\` of that ledger peak RSS < 100 MB | $(mb "$L_BACKUP_RSS") | $(ok_verdict "$L_BACKUP_RSS" 100 "<" "$L_BACKUP_RC") |
| \`revert\` of a $TENTH_ROWS-activity batch peak RSS < 100 MB | $(if [ -n "${L_REVERT_RC:-}" ]; then mb "$L_REVERT_RSS"; else echo "not run: the import of that batch failed"; fi) | $(if [ -n "${L_REVERT_RC:-}" ]; then ok_verdict "$L_REVERT_RSS" 100 "<" "$L_REVERT_RC"; else echo "**missed** (not run)"; fi) |
| peak RSS < 100 MB, every command on that ledger | highest $(mb "$l_rss") ($l_rss_at) | $(verdict "$l_rss" 100 "<") |
EOF
        else
            why="not measured: the base shape's $MAX-row import failed" v="**missed** (not measured)"
            case " $SHAPES " in *" base "*) ;; *) why="not measured: BENCH_SHAPES has no base shape" v="— (skipped)" ;; esac
            for t in "\`coverage report --by township\` on the $MAX-activity ledger < 1 s" "\`coverage gaps\` on that ledger < 2 s" \
                "\`check\` on that ledger < $CHECK_MAX_S s" "\`backup\` peak RSS < 100 MB" "\`revert\` of a $TENTH_ROWS-activity batch peak RSS < 100 MB"; do
                echo "| $t | $why | $v |"
            done
        fi
        cat <<EOF
| \`coverage report --by township\` at district scale < 1 s | see the district figures above (\`BENCH_MODE=district\`, issue 5) | — |

### Import: gongyu vs sqlite3 by data shape

Shapes (each changes one dimension of \`base\`; see \`examples/generate/\`):

EOF
        for s in $SHAPES; do echo "- \`$s\`: $(shape_about "$s")"; done
        cat <<EOF

Each \`sqlite3 .import\` goes into a fresh database holding only
\`$SQ_TABLE\`; for the \`no-ids\` shape the table is
\`$SQ_TABLE_NO_IDS\`, the same duplicate rule gongyu applies to rows without ids. The
yardstick is the CLI's defaults (rollback journal: pages written once). The "WAL" column
is the same import with gongyu's settings — \`journal_mode=WAL\` (readers never blocked)
and \`synchronous=FULL\` — where every page is written twice, to the WAL and then by the
checkpoint: what SQLite alone needs for gongyu's guarantees. Each
\`gongyu import activities\` goes into a fresh copy of the rosters ledger ($TEMPLATE_MB MB, both rosters
in it; $TEMPLATE_WAL). Rows/s counts the rows of the file. Each pair ran $IMPORT_RUNS time(s),
sqlite3 then gongyu in turn (\`BENCH_IMPORT_RUNS\`); the walls are each tool's best run (all
runs are listed in the targets above and in \`summary.tsv\`).

| shape | rows | file | sqlite3 wall | sqlite3 rows/s | sqlite3 peak RSS | sqlite3 WAL wall | gongyu wall | gongyu rows/s | gongyu peak RSS | rows kept (sqlite3 / gongyu) | gongyu / sqlite3 | gongyu / sqlite3 WAL | verdict (≤ ${IMPORT_RATIO}×; RSS < 100 MB) |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
EOF
        for s in $SHAPES; do
            for n in $SIZES; do
                K="I_$(key "$s")_$n"
                sq=$(val "${K}_SQ_S") sqrc=$(val "${K}_SQ_RC") gy=$(val "${K}_GY_S") gyrc=$(val "${K}_GY_RC") gyrss=$(val "${K}_GY_RSS")
                r=$(ratio "$gy" "$sq")
                if [ "$gyrc" -ne 0 ] || [ "$sqrc" -ne 0 ]; then
                    rv="**missed** (failed)"; [ "$gyrc" -eq 0 ] && rv="— (sqlite3 failed)"
                    rt="—"
                else
                    rt="**${r}×**"
                    rv="$(verdict "$r" "$IMPORT_RATIO" "<="); $(verdict "$gyrss" 100 "<")"
                fi
                sqw=$(val "${K}_SQW_S") sqwrc=$(val "${K}_SQW_RC")
                rw="—" sqwfig="not run (\`BENCH_WAL_FLOOR=0\`)"
                if [ -n "$sqwrc" ]; then sqwfig=$(fig "$sqw" "$sqwrc"); fi
                if [ "$gyrc" -eq 0 ] && [ "${sqwrc:-1}" -eq 0 ]; then rw="$(ratio "$gy" "$sqw")×"; fi
                echo "| $s | $n | $(val "${K}_MB") MB | $(fig "$sq" "$sqrc") | $(rate "$n" "$sq" "$sqrc") | $(mb "$(val "${K}_SQ_RSS")") | $sqwfig | $(fig "$gy" "$gyrc") | $(rate "$n" "$gy" "$gyrc") | $(mb "$gyrss") | $(val "${K}_SQ_ROWS") / $(val "${K}_GY_ROWS") | $rt | $rw | $rv |"
            done
        done
        cat <<EOF

### Where each import's time goes

Each \`gongyu import activities\` above ran with \`GONGYU_TIMINGS=1\`, which prints one line
on stderr: in seconds, the reading thread's time opening the file (decode: its encoding
checked over every byte, its header found; the rosters' codes loaded meanwhile), reading
CSV records (parse) and checking cells and hosts (validate), the writing thread's time
inserting rows into SQLite (write), building the id index after a large file's rows when
its ids come out of order (index), sorting and writing the activity tally (tally) and
committing and checkpointing the WAL (commit), and each thread's idle time waiting for the
other (the thread that is never idle sets the pace).

EOF
        for s in $SHAPES; do
            for n in $SIZES; do
                echo "- $s, $n rows: $(val "I_$(key "$s")_${n}_GY_PHASES")"
            done
        done
        cat <<EOF

### Ten files into one ledger

$TENTH_FILES files of $TENTH_ROWS activities with distinct ids (\`--activities-only --id-start\`
1, $((TENTH_ROWS + 1)), …), imported one after another into one fresh copy of the rosters
ledger (ledger size at the end: $TENTH_DB_MB MB). The bound compares medians: the first
file was also imported into $((TENTH_REPEAT - 1)) more fresh copies of the rosters ledger and the tenth into as
many copies of the ledger as it was before the tenth, in turn (\`BENCH_TENTH_REPEAT=$TENTH_REPEAT\`);
the table shows the run in sequence.

| file | activities in the ledger before | wall | rows/s | peak RSS | imported / duplicates | vs the first |
|---|---|---|---|---|---|---|
EOF
        for k in "${tenth_args[@]}"; do
            rc=$(val "T${k}_RC")
            if [ "$rc" -eq 0 ]; then
                got="$(val "T${k}_IMPORTED") / $(val "T${k}_DUPS")" vs="$(ratio "$(val "T${k}_S")" "$T1_S")×"
                [ "$T1_RC" -eq 0 ] || vs="—"
            else
                got="—" vs="—"
            fi
            echo "| $k | $(val "T${k}_BEFORE") | $(fig "$(val "T${k}_S")" "$rc") | $(rate "$TENTH_ROWS" "$(val "T${k}_S")" "$rc") | $(mb "$(val "T${k}_RSS")") | $got | $vs |"
        done
        echo
        echo "### On the national ledger"
        echo
        if [ "$LEDGER_OK" = 1 ]; then
            cat <<EOF
The base shape's $MAX-row import, kept: $LEDGER_ROWS activities, $UNITS units, $LEDGER_MB MB
(\`$LEDGER\`, left in place after the run). Reports: $RUNS runs each, stdout to /dev/null.
The batch reverted is one more file of $TENTH_ROWS activities with fresh ids (from
$EXTRA_START), imported first.

| command | wall | peak RSS | target | verdict |
|---|---|---|---|---|
| \`coverage report --by township --term $TERM_ARG --format json\` | median **$L_REPORT_MEDIAN s** (runs: $L_REPORT_RUNS) | $(mb "$L_REPORT_RSS") | < 1 s; RSS < 100 MB | $(ok_verdict "$L_REPORT_MEDIAN" 1 "<" "$L_REPORT_RC"); $(ok_verdict "$L_REPORT_RSS" 100 "<" "$L_REPORT_RC") |
| \`coverage gaps --term $TERM_ARG --format csv\` ($L_GAP_ROWS gap rows) | median **$L_GAPS_MEDIAN s** (runs: $L_GAPS_RUNS) | $(mb "$L_GAPS_RSS") | < 2 s; RSS < $GAPS_RSS_MB MB | $(ok_verdict "$L_GAPS_MEDIAN" 2 "<" "$L_GAPS_RC"); $(ok_verdict "$L_GAPS_RSS" "$GAPS_RSS_MB" "<" "$L_GAPS_RC") |
| \`check\` | $(fig "$L_CHECK_S" "$L_CHECK_RC") | $(mb "$L_CHECK_RSS") | < $CHECK_MAX_S s; RSS < 100 MB | $(ok_verdict "$L_CHECK_S" "$CHECK_MAX_S" "<" "$L_CHECK_RC"); $(ok_verdict "$L_CHECK_RSS" 100 "<" "$L_CHECK_RC") |
| \`backup FILE\` ($L_BACKUP_MB MB written) | $(fig "$L_BACKUP_S" "$L_BACKUP_RC") | $(mb "$L_BACKUP_RSS") | RSS < 100 MB | $(ok_verdict "$L_BACKUP_RSS" 100 "<" "$L_BACKUP_RC") |
| \`import activities\` of $TENTH_ROWS more${L_EXTRA_IMPORTED:+ ($L_EXTRA_IMPORTED imported)} | $(fig "$L_EXTRA_S" "$L_EXTRA_RC") | $(mb "$L_EXTRA_RSS") | RSS < 100 MB | $(ok_verdict "$L_EXTRA_RSS" 100 "<" "$L_EXTRA_RC") |
EOF
            if [ -n "${L_REVERT_RC:-}" ]; then
                echo "| \`revert $L_BATCH\` (that batch; $L_ROWS_AFTER activities after) | $(fig "$L_REVERT_S" "$L_REVERT_RC") | $(mb "$L_REVERT_RSS") | RSS < 100 MB | $(ok_verdict "$L_REVERT_RSS" 100 "<" "$L_REVERT_RC") |"
            else
                echo "| \`revert\` | not run: the import of the batch failed | — | RSS < 100 MB | **missed** (not run) |"
            fi
        else
            echo "Not measured: $( case " $SHAPES " in *" base "*) echo "the base shape's $MAX-row import failed" ;; *) echo "BENCH_SHAPES has no base shape" ;; esac)."
        fi
        if [ "${#FAILS[@]}" -gt 0 ]; then
            printf '\n### Failed commands\n'
            for f in "${FAILS[@]}"; do
                printf -- '\n- `%s`: exit %s; `%s`; first lines of stderr:\n\n```text\n%s\n```\n' "$f" "$(val "RC_$(key "$f")")" \
                    "$(cell "${FAIL_CMD[$f]}")" "$(head -n 5 "$LOGS/$f.err" | clip)"
            done
        fi
        cat <<EOF

### Commands

\`\`\`sh
BENCH_MODE=national BENCH_DIR=$BENCH_DIR BENCH_TOWNSHIPS=$TOWNSHIPS BENCH_COMMUNITIES=$COMMUNITIES BENCH_SCHOOLS=$SCHOOLS \\
    BENCH_NATIONAL_SIZES="${SIZES% }" BENCH_SHAPES="$SHAPES" BENCH_TENTH_ROWS=$TENTH_ROWS BENCH_RUNS=$RUNS BENCH_IMPORT_RUNS=$IMPORT_RUNS BENCH_TENTH_REPEAT=$TENTH_REPEAT bash bench/run.sh
cargo build --release --bins --examples
U="${UNIT_ARGS[*]}"
generate --out $DATA/rosters \$U --activities 0
generate --out $DATA/SHAPE \$U --activities-only --activities $MAX SHAPE-OPTIONS
head -n \$((N + 1)) $DATA/SHAPE/activities.csv > $DATA/SHAPE/activities-N.csv
gongyu --db $TEMPLATE init
gongyu --db $TEMPLATE import communities $DATA/rosters/communities.csv
gongyu --db $TEMPLATE import schools $DATA/rosters/schools.csv
cp $TEMPLATE L        # a fresh copy for every import
GONGYU_TIMINGS=1 GONGYU_LANG=en /usr/bin/time -v gongyu --db L import activities $DATA/SHAPE/activities-N.csv   # the phases line on stderr
sqlite3 S "$SQ_TABLE"   # no-ids: $SQ_TABLE_NO_IDS
/usr/bin/time -v sqlite3 S -cmd '.mode csv' "$(sq_import "$DATA/SHAPE/activities-N.csv")"
generate --out $DATA/tenth \$U --activities-only --activities $TENTH_ROWS --id-start \$(((K - 1) * $TENTH_ROWS + 1)) --activities-file activities-K.csv   # K = 1..$TENTH_FILES
gongyu --db T import activities $DATA/tenth/activities-K.csv     # K = 1..$TENTH_FILES, into one copy T of the rosters ledger
/usr/bin/time -v gongyu --db $LEDGER coverage report --by township --term $TERM_ARG --format json > /dev/null
/usr/bin/time -v gongyu --db $LEDGER coverage gaps --term $TERM_ARG --format csv > /dev/null
/usr/bin/time -v gongyu --db $LEDGER check
/usr/bin/time -v gongyu --db $LEDGER backup B
generate --out $DATA/extra \$U --activities-only --activities $TENTH_ROWS --id-start $EXTRA_START
gongyu --db $LEDGER import activities $DATA/extra/activities.csv
gongyu --db $LEDGER log --limit 1 --format csv    # the batch id
/usr/bin/time -v gongyu --db $LEDGER revert BATCH
\`\`\`

Shape options: $(for s in $SHAPES; do printf '%s: `%s`; ' "$s" "$(shape_args "$s")"; done | sed 's/; $//; s/``/(none)/g').
Wall times are from the clock around each command; peak RSS is /usr/bin/time's "Maximum
resident set size". Raw logs: \`$LOGS/\` (\`summary.tsv\`, one \`.time\`/\`.err\` per command);
figures: \`$RESULTS\`.
$NAT_END
EOF
    } >"$SECTION"

    # Into BENCH_OUT: in place of the old section, else before the kept marker, else at the end.
    {
        if [ ! -f "$BENCH_OUT" ]; then
            printf '# Benchmarks\n\n'
            cat "$SECTION"
            printf '\n%s\n' "$KEPT_MARK"
        elif grep -qxF "$NAT_BEGIN" "$BENCH_OUT"; then
            awk -v b="$NAT_BEGIN" -v e="$NAT_END" -v sec="$SECTION" '
                $0 == b { while ((getline l < sec) > 0) print l; skip = 1; next }
                skip && $0 == e { skip = 0; next }
                !skip { print }' "$BENCH_OUT"
        elif grep -qxF "$KEPT_MARK" "$BENCH_OUT"; then
            awk -v k="$KEPT_MARK" -v sec="$SECTION" '
                $0 == k && !done { while ((getline l < sec) > 0) print l; print ""; done = 1 }
                { print }' "$BENCH_OUT"
        else
            cat "$BENCH_OUT"
            printf '\n'
            cat "$SECTION"
        fi
    } >"$BENCH_OUT.tmp"
    mv "$BENCH_OUT.tmp" "$BENCH_OUT"
    cp "$BENCH_OUT" "$WORK/BENCHMARKS.md" 2>/dev/null || true
    say "wrote the national section of $BENCH_OUT"
}
