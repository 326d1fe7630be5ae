#!/usr/bin/env bash
# Paired timing of `gongyu import activities` for two gongyu binaries on the same generated
# file, alternating runs so machine load falls on both alike. Prints wall time and peak RSS.
#
#   bash bench/compare-import.sh OLD_BINARY NEW_BINARY [RUNS]
#
# Data: examples/generate/ with the bench's default shape (600 townships × 60 communities +
# 40 schools, 2,000,000 activities, seed 20201), generated once into $BENCH_DIR/compare.
set -euo pipefail
old=${1:?old gongyu binary}; new=${2:?new gongyu binary}; runs=${3:-4}
dir=${BENCH_DIR:-/tmp/gongyu-bench}/compare
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"
if [ ! -f "$dir/data/activities.csv" ]; then
    (cd "$repo" && cargo build --release --examples -q)
    "$repo/target/release/examples/generate" --out "$dir/data" --townships 600 --communities-per-township 60 \
        --schools-per-township 40 --activities 2000000 --seed 20201
fi
for i in $(seq "$runs"); do
    for side in old new; do
        bin=$old; [ "$side" = new ] && bin=$new
        db="$dir/$side.db"; rm -f "$db" "$db-wal" "$db-shm"
        "$bin" --db "$db" init >/dev/null
        "$bin" --db "$db" import communities "$dir/data/communities.csv" >/dev/null 2>&1
        "$bin" --db "$db" import schools "$dir/data/schools.csv" >/dev/null 2>&1
        /usr/bin/time -f "$side run $i: %e s, peak RSS %M KB" "$bin" --db "$db" import activities "$dir/data/activities.csv" >/dev/null
    done
done
