#!/usr/bin/env bash
# Runs the Windows build (target/windows/gongyu.exe, from scripts/build-windows.sh) under Wine
# the way a clerk would, and fails loudly on any step:
#   init; imports whose file names are Chinese and whose folder has spaces (the communities
#   return in GB18030, by its full Windows path); a rejected return; `coverage report` into a
#   pipe and into a console (Chinese on screen); `--format html -o` and `--format xlsx -o`.
# Every step is run by the Linux build too, on its own copy of the files: stdout, stderr
# (paths aside), exit codes, the page and the workbook's sheets must be the same, and each
# build must read the other's ledger to the same report.
#
#   scripts/test-windows.sh [path/to/gongyu.exe]
#
# Needs Debian's wine64 and gcc-mingw-w64-x86-64 (installed here when run as root). Wine 8
# lacks ProcessPrng, which Rust's standard library takes from bcryptprimitives.dll (Windows 10
# has it): a stand-in built from scripts/wine/bcryptprimitives.c sits beside the .exe for the
# test only; it is never shipped.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
exe=$(realpath "${1:-target/windows/gongyu.exe}")
started=$(date +%s)

say() { printf 'test-windows: %s\n' "$*" >&2; }
fail() {
    say "FAILED: $*"
    exit 1
}

[ -f "$exe" ] || fail "$exe does not exist: build it with scripts/build-windows.sh"

need=()
[ -x /usr/lib/wine/wine64 ] || command -v wine64 >/dev/null 2>&1 || need+=(wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64)
command -v script >/dev/null 2>&1 || need+=(bsdutils)
if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || fail "missing ${need[*]}: run apt-get install -y ${need[*]} as root"
    say "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends "${need[@]}" >/dev/null \
        || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; } \
        || fail "could not install ${need[*]}"
fi
wine=/usr/lib/wine/wine64
[ -x "$wine" ] || wine=$(command -v wine64)

# The Linux build, to compare with.
cargo build --locked --quiet --bin gongyu
linux=$repo/target/debug/gongyu

work=$(mktemp -d)
export WINEPREFIX=$work/wine
cleanup() {
    "$(dirname "$wine")/wineserver" -k >/dev/null 2>&1 || wineserver -k >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=n" LANG=C.UTF-8
export GONGYU_TODAY=2022-03-01
unset GONGYU_DB GONGYU_LANG GONGYU_PLAN

# The program in a folder of its own, and the returns in a folder with spaces.
prog="$work/共育 程序"
mkdir -p "$prog" "$work/win/区 报表 2020" "$work/linux/区 报表 2020"
cp "$exe" "$prog/gongyu.exe"
x86_64-w64-mingw32-gcc -O2 -shared -o "$prog/bcryptprimitives.dll" scripts/wine/bcryptprimitives.c \
    || fail "building the stand-in bcryptprimitives.dll"
fixtures=$repo/fixtures/demo
for side in win linux; do
    d="$work/$side/区 报表 2020"
    cp "$fixtures/communities-2020-2021-1.csv" "$d/社区家长学校 2020年.csv"
    cp "$fixtures/schools-2020-2021-1.csv" "$d/学校家长学校.csv"
    cp "$fixtures/bodies-2020-2021-1.csv" "$d/机构名单.csv"
    cp "$fixtures/activities-2020-2021-1.csv" "$d/活动 9月.csv"
    # A return with a mistake: a school row whose type is not a school type.
    awk 'BEGIN { FS = OFS = "," } NR == 3 { $3 = "中学校" } { print }' \
        "$fixtures/schools-2020-2021-1.csv" > "$d/学校 有错.csv"
done
cmp -s "$fixtures/schools-2020-2021-1.csv" "$work/win/区 报表 2020/学校 有错.csv" \
    && fail "the return with a mistake has none"
iconv -f GB18030 -t UTF-8 "$work/win/区 报表 2020/社区家长学校 2020年.csv" >/dev/null \
    && ! iconv -f UTF-8 -t UTF-8 "$work/win/区 报表 2020/社区家长学校 2020年.csv" >/dev/null 2>&1 \
    || fail "the communities return is not GB18030"

t=$(date +%s)
"$wine" wineboot -i >/dev/null 2>&1 || fail "wineboot could not make a Wine prefix"
say "Wine prefix ready in $(( $(date +%s) - t )) s ($("$wine" --version))"

# The Windows path of a Linux one (Wine's drive Z: is /).
winpath() { printf 'Z:%s' "${1//\//\\}"; }

# run NAME ARGS...: runs gongyu in each side's folder (the ledger gongyu.db there), with
# `@FILE` standing for a return's full path; keeps stdout, stderr (paths made `@`) and the
# exit code; fails unless both sides agree.
run() {
    local name=$1 side dir prefix args a code
    shift
    for side in win linux; do
        dir="$work/$side/区 报表 2020"
        args=()
        for a in "$@"; do
            case "$a" in
                @*) [ "$side" = win ] && args+=("$(winpath "$dir")\\${a#@}") || args+=("$dir/${a#@}") ;;
                *) args+=("$a") ;;
            esac
        done
        set +e
        if [ "$side" = win ]; then
            (cd "$dir" && "$wine" "$prog/gongyu.exe" "${args[@]}") >"$work/$name.$side.out" 2>"$work/$name.$side.err"
        else
            (cd "$dir" && "$linux" "${args[@]}") >"$work/$name.$side.out" 2>"$work/$name.$side.err"
        fi
        code=$?
        set -e
        echo "$code" >"$work/$name.$side.code"
        [ "$side" = win ] && prefix="$(winpath "$dir")\\" || prefix="$dir/"
        for f in out err; do
            PREFIX=$prefix perl -pe 's/\Q$ENV{PREFIX}\E/@/g' "$work/$name.$side.$f" >"$work/$name.$side.$f.seen"
        done
    done
    for f in code out.seen err.seen; do
        if ! cmp -s "$work/$name.win.$f" "$work/$name.linux.$f"; then
            say "gongyu $* — Windows and Linux differ in ${f%.seen}:"
            diff "$work/$name.linux.$f" "$work/$name.win.$f" | head -20 >&2
            fail "step $name"
        fi
    done
    say "ok: gongyu $* (exit $(cat "$work/$name.win.code"))"
}
expect_exit() { # NAME CODE
    [ "$(cat "$work/$1.win.code")" = "$2" ] || fail "step $1 exited $(cat "$work/$1.win.code"), not $2: $(cat "$work/$1.win.err")"
}

run version --version
expect_exit version 0
grep -q "^gongyu $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)\$" "$work/version.win.out" \
    || fail "gongyu.exe --version says $(cat "$work/version.win.out")"

run init init
expect_exit init 0
[ -s "$work/win/区 报表 2020/gongyu.db" ] || fail "init made no gongyu.db in the current folder"

run communities import communities "@社区家长学校 2020年.csv" --term 2020-2021-1
expect_exit communities 0
grep -q "GB18030" "$work/communities.win.out" || fail "the communities return was not read as GB18030"
run schools import schools "@学校家长学校.csv" --term 2020-2021-1
expect_exit schools 0
run bodies import bodies 机构名单.csv --term 2020-2021-1
expect_exit bodies 0
run activities import activities "活动 9月.csv"
expect_exit activities 0

# A rejected return changes nothing, and says which file, line and column.
cp "$work/win/区 报表 2020/gongyu.db" "$work/before.db"
run rejected import schools "@学校 有错.csv" --term 2020-2021-2
[ "$(cat "$work/rejected.win.code")" != 0 ] || fail "the return with a mistake was imported"
grep -q "学校 有错.csv:3" "$work/rejected.win.err" || fail "the rejection does not name 学校 有错.csv:3: $(cat "$work/rejected.win.err")"
cmp -s "$work/win/区 报表 2020/gongyu.db" "$work/before.db" || fail "the rejected return changed the ledger"

run report coverage report --term 2020-2021-1
expect_exit report 0
title=学校家长学校建校率 # the first target of the bundled plan
grep -q "$title" "$work/report.win.out" || fail "the report does not show the target 「$title」"

# Into a console: Rust writes to a Windows console as UTF-16, Wine's console shows it here.
(cd "$work/win/区 报表 2020" && script -qec "$(printf '%q ' "$wine" "$prog/gongyu.exe" coverage report --term 2020-2021-1)" "$work/console.txt") \
    >/dev/null 2>&1 || fail "coverage report in a console: $(tail -5 "$work/console.txt")"
grep -q "$title" "$work/console.txt" || fail "the console does not show the target 「$title」: $(head -c 2000 "$work/console.txt")"
say "ok: coverage report in a console shows 「$title」"

run html coverage report --term 2020-2021-1 --format html -o "报告 2020.html"
expect_exit html 0
cmp -s "$work/win/区 报表 2020/报告 2020.html" "$work/linux/区 报表 2020/报告 2020.html" \
    || fail "the page written by gongyu.exe differs from the Linux build's"
grep -q '<html lang="zh-CN">' "$work/win/区 报表 2020/报告 2020.html" || fail "the page is not a Chinese page"

run xlsx coverage report --term 2020-2021-1 --format xlsx -o "报告 2020.xlsx"
expect_exit xlsx 0
python3 - "$work/win/区 报表 2020/报告 2020.xlsx" "$work/linux/区 报表 2020/报告 2020.xlsx" <<'PY' || fail "the workbook written by gongyu.exe differs from the Linux build's"
import sys, zipfile
win, linux = (zipfile.ZipFile(p) for p in sys.argv[1:])
assert win.namelist() == linux.namelist(), (win.namelist(), linux.namelist())
assert any(n.startswith("xl/worksheets/") for n in win.namelist())
for n in win.namelist():
    if n != "docProps/core.xml":  # the time the workbook was made
        assert win.read(n) == linux.read(n), n
PY
say "ok: the workbook's parts are the Linux build's"

# Each build reads the other's ledger to the same report.
json=(coverage report --term 2020-2021-1 --format json)
(cd "$work/win/区 报表 2020" && "$linux" "${json[@]}") >"$work/a.json" 2>/dev/null || fail "the Linux build cannot read gongyu.exe's ledger"
(cd "$work/linux/区 报表 2020" && "$wine" "$prog/gongyu.exe" "${json[@]}") >"$work/b.json" 2>/dev/null \
    || fail "gongyu.exe cannot read the Linux build's ledger"
cmp -s "$work/a.json" "$work/b.json" || fail "the two ledgers give different reports"
say "ok: each build reads the other's ledger"

say "passed in $(( $(date +%s) - started )) s"
