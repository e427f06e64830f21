#!/usr/bin/env python3
"""Benchmark: `pacta import` of a generated month's interactions CSV vs DuckDB loading the
same file into a native table, in the same run.

    pip install duckdb
    python3 bench/import/cli.py [--rows 10000000] [--repeats 3] [--work /tmp/pacta-bench-settle]

The CSV is `pacta gen`'s interactions.csv for examples/bank-inbound-manila.toml (reused from
bench/settle/run.py --keep when present). pacta: the release binary, a fresh store each time,
the whole command (parse, validate, pseudonymise customers with the keyed hash, dedupe on
source id, write Parquet partitions, commit the manifest), peak RSS from /usr/bin/time.
DuckDB: `CREATE TABLE t AS SELECT * FROM read_csv(...)`, threads = 2. Medians and the ratio.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "examples/bank-inbound-manila.toml"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--work", default="/tmp/pacta-bench-settle")
    a = ap.parse_args()
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "pacta-cli"], cwd=ROOT, check=True)
    pacta = target / "release/pacta"
    work = Path(a.work)
    gen = work / f"gen-{a.rows}"
    csv = gen / "interactions.csv"
    if not csv.exists():
        subprocess.run([pacta, "gen", "--contract", CONTRACT, "--month", "2026-10", "--rows", str(a.rows),
                        "--out", gen], check=True, stdout=subprocess.DEVNULL)
    size_mb = csv.stat().st_size / 1e6
    pacta_t, pacta_m, duck_t = [], [], []
    for _ in range(a.repeats):
        store = work / "import-store"
        shutil.rmtree(store, ignore_errors=True)
        t = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", pacta, "import", "--contract", CONTRACT, "--format", "csv",
                            "--store", store, csv], capture_output=True, text=True)
        pacta_t.append(time.perf_counter() - t)
        if p.returncode != 0:
            sys.exit(p.stderr[-2000:])
        pacta_m.append(int(p.stderr.strip().splitlines()[-1]) / 1024)
        shutil.rmtree(store, ignore_errors=True)
        con = duckdb.connect(":memory:")
        con.execute("SET threads TO 2")
        con.execute("SET enable_progress_bar = false")
        t = time.perf_counter()
        con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv}')")
        duck_t.append(time.perf_counter() - t)
        rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
        con.close()
    med = statistics.median
    print(json.dumps({
        "rows": rows, "csv_mb": round(size_mb), "duckdb": duckdb.__version__,
        "pacta_import_s": med(pacta_t), "pacta_peak_mb": max(pacta_m), "duckdb_load_s": med(duck_t),
        "ratio_pacta_over_duckdb": med(pacta_t) / med(duck_t),
        # Each repeat times pacta then DuckDB back to back: the ratio within a pair is less
        # exposed to the machine's slow and fast minutes than the ratio of medians.
        "ratio_median_of_pairs": med([p / d for p, d in zip(pacta_t, duck_t)]),
        "all": {"pacta": pacta_t, "duckdb": duck_t},
    }, indent=2))


if __name__ == "__main__":
    main()
