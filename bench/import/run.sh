#!/usr/bin/env bash
# Benchmark: pacta's generic CSV importer (release) vs DuckDB read_csv with 2 threads,
# 3 runs each, medians; pacta's peak RSS from /usr/bin/time -v.
# Usage: bench/import/run.sh [N=10000000]   (needs python3 with duckdb: pip install duckdb)
set -euo pipefail
N=${1:-10000000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/pacta-bench-import}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/tmp/target-data}
mkdir -p "$WORK"
CSV="$WORK/interactions-$N.csv"
[ -f "$CSV" ] || python3 "$ROOT/bench/import/gen.py" "$N" "$CSV"
ls -l "$CSV"
cargo build --release -q -p pacta-data --example import_csv --manifest-path "$ROOT/Cargo.toml"
BIN="$CARGO_TARGET_DIR/release/examples/import_csv"
for i in 1 2 3; do
  rm -rf "$WORK/store"
  /usr/bin/time -v "$BIN" "$CSV" "$WORK/store" 2> "$WORK/time-$i.txt" | tee "$WORK/pacta-$i.txt"
  grep -E "Elapsed|Maximum resident" "$WORK/time-$i.txt"
done
for i in 1 2 3; do
  rm -f "$WORK/duck.db"
  python3 - "$CSV" "$WORK/duck.db" <<'PY' | tee "$WORK/duck-$i.txt"
import duckdb, sys, time
con = duckdb.connect(sys.argv[2]); con.execute("SET threads TO 2")
t = time.perf_counter()
con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{sys.argv[1]}')")
print(f"duckdb_s={time.perf_counter() - t:.2f} rows={con.execute('select count(*) from t').fetchone()[0]}")
PY
done
python3 - "$WORK" <<'PY'
import re, statistics, sys, pathlib
w = pathlib.Path(sys.argv[1])
p = [float(re.search(r"total_s=([\d.]+)", (w / f"pacta-{i}.txt").read_text()).group(1)) for i in (1, 2, 3)]
d = [float(re.search(r"duckdb_s=([\d.]+)", (w / f"duck-{i}.txt").read_text()).group(1)) for i in (1, 2, 3)]
rss = [int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", (w / f"time-{i}.txt").read_text()).group(1)) for i in (1, 2, 3)]
print(f"pacta  runs {p} median {statistics.median(p):.2f} s, peak RSS max {max(rss)/1024:.0f} MiB")
print(f"duckdb runs {d} median {statistics.median(d):.2f} s")
print(f"ratio pacta/duckdb = {statistics.median(p)/statistics.median(d):.2f}")
PY
