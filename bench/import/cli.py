#!/usr/bin/env python3
"""Benchmark: `pacta import` of a generated month's interactions, as CSV, JSON lines and
Parquet, each against DuckDB loading the same file into a native table in the same run.

    pip install duckdb
    python3 bench/import/cli.py [--rows 10000000] [--repeats 5] [--inputs csv,jsonl,parquet]
                                [--work /tmp/pacta-bench-settle]

The CSV is `pacta gen`'s interactions.csv for examples/bank-inbound-manila.toml (reused from
bench/settle/run.py --keep when present). DuckDB writes the other inputs from it once:
JSON lines with every value a string (`read_csv(all_varchar = true)`, as exports that quote
everything write them) and Parquet with typed columns (`TIMESTAMPTZ`, `BIGINT`), as a data
warehouse writes them.

pacta: the release binary, a fresh store each time, the whole command (parse, validate,
pseudonymise customers with the keyed hash, hash the source file, dedupe on source id, write
and fsync Parquet partitions, commit the manifest), peak RSS from /usr/bin/time, and where the
time went from `PACTA_PROFILE=1` (the library's phase spans: parse, dedupe, group and sort,
write; "other" is the rest of the process: start, contract, summary, exit).
DuckDB: `CREATE TABLE t AS SELECT * FROM read_csv|read_json|read_parquet(...)`, threads = 2,
in memory. Each repeat runs pacta then DuckDB back to back. Medians and ratios.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "examples/bank-inbound-manila.toml"
READERS = {"csv": "read_csv", "jsonl": "read_json", "parquet": "read_parquet"}
PHASES = {
    "import.parse": "parse",
    "commit.dedupe": "dedupe",
    "commit.group": "group_sort",
    "commit.write": "write",
}
UNITS = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def phase_times(stderr):
    """Seconds per phase from PACTA_PROFILE's span-close lines (`name: close time.busy=1.2s`)."""
    out = {}
    for m in re.finditer(r"(?:^|:)\s*([\w.]+): close time\.busy=([\d.]+)(ns|µs|us|ms|s)\b", stderr, re.M):
        key = PHASES.get(m.group(1))
        if key:
            out[key] = out.get(key, 0.0) + float(m.group(2)) * UNITS[m.group(3)]
    return out


def inputs_for(csv, gen, wanted):
    files = {"csv": csv}
    if "jsonl" in wanted:
        jsonl = gen / "interactions.jsonl"
        if not jsonl.exists():
            duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true)) TO '{jsonl}' (FORMAT json)")
        files["jsonl"] = jsonl
    if "parquet" in wanted:
        pq = gen / "interactions.parquet"
        if not pq.exists():
            duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}')) TO '{pq}' (FORMAT parquet)")
        files["parquet"] = pq
    return files


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--inputs", default="csv,jsonl,parquet")
    ap.add_argument("--work", default="/tmp/pacta-bench-settle")
    a = ap.parse_args()
    wanted = [i.strip() for i in a.inputs.split(",") if i.strip()]
    unknown = [i for i in wanted if i not in READERS]
    if unknown:
        sys.exit(f"--inputs: unknown {unknown}; choose from {sorted(READERS)}")
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "pacta-cli"], cwd=ROOT, check=True)
    pacta = target / "release/pacta"
    work = Path(a.work)
    gen = work / f"gen-{a.rows}"
    csv = gen / "interactions.csv"
    if not csv.exists():
        subprocess.run([pacta, "gen", "--contract", CONTRACT, "--month", "2026-10", "--rows", str(a.rows),
                        "--out", gen], check=True, stdout=subprocess.DEVNULL)
    files = inputs_for(csv, gen, wanted)
    med = statistics.median
    results = {}
    for kind in wanted:
        path = files[kind]
        pacta_t, pacta_m, duck_t, phases = [], [], [], []
        for _ in range(a.repeats):
            store = work / "import-store"
            shutil.rmtree(store, ignore_errors=True)
            t = time.perf_counter()
            p = subprocess.run(["/usr/bin/time", "-f", "%M", pacta, "import", "--contract", CONTRACT,
                                "--format", kind, "--store", store, path],
                               capture_output=True, text=True, env={**os.environ, "PACTA_PROFILE": "1"})
            pacta_t.append(time.perf_counter() - t)
            if p.returncode != 0:
                sys.exit(p.stderr[-2000:])
            imported = re.search(r"imported\s+([\d,]+)", p.stdout)
            if not imported or int(imported.group(1).replace(",", "")) != a.rows:
                sys.exit(f"{kind}: pacta did not import {a.rows} rows:\n{p.stdout[-2000:]}")
            pacta_m.append(int(p.stderr.strip().splitlines()[-1]) / 1024)
            ph = phase_times(p.stderr)
            ph["other"] = max(0.0, pacta_t[-1] - sum(ph.values()))
            phases.append(ph)
            shutil.rmtree(store, ignore_errors=True)
            con = duckdb.connect(":memory:")
            con.execute("SET threads TO 2")
            con.execute("SET enable_progress_bar = false")
            t = time.perf_counter()
            con.execute(f"CREATE TABLE t AS SELECT * FROM {READERS[kind]}('{path}')")
            duck_t.append(time.perf_counter() - t)
            rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
            con.close()
            if rows != a.rows:
                sys.exit(f"{kind}: DuckDB loaded {rows} rows, not {a.rows}")
        keys = ["parse", "dedupe", "group_sort", "write", "other"]
        results[kind] = {
            "file_mb": round(path.stat().st_size / 1e6),
            "pacta_import_s": round(med(pacta_t), 3),
            "pacta_peak_mb": round(max(pacta_m)),
            "duckdb_load_s": round(med(duck_t), 3),
            # Above 1: pacta is faster. Each repeat times pacta then DuckDB back to back: the
            # ratio within a pair is less exposed to the machine's slow and fast minutes.
            "duckdb_over_pacta": round(med(duck_t) / med(pacta_t), 3),
            "duckdb_over_pacta_median_of_pairs": round(med([d / p for p, d in zip(pacta_t, duck_t)]), 3),
            "pacta_split_s": {k: round(med([ph.get(k, 0.0) for ph in phases]), 3) for k in keys},
            "all": {"pacta": [round(x, 3) for x in pacta_t], "duckdb": [round(x, 3) for x in duck_t]},
        }
    print(json.dumps({"rows": a.rows, "duckdb": duckdb.__version__, "repeats": a.repeats,
                      "load_avg_at_end": os.getloadavg()[0], "inputs": results}, indent=2))


if __name__ == "__main__":
    main()
