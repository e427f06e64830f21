#!/usr/bin/env python3
"""A second opinion on pacta's lowered KPI SQL from engines that are not Rust.

`pacta engine sql` writes the queries a contract's SLAs lower to, the dimension tables and
the store snapshot's file list (job.json). This script runs the same queries on DuckDB and
(with --spark) on PySpark in local[2] mode, each reading exactly the listed files, and checks
that every engine returns the same cell counters. With --answers it also compares the
answers `pacta-engine` wrote (DataFusion or Ballista).

    python3 bench/engine/second_opinion.py --pacta target/release/pacta \
        --contract examples/bank-inbound-manila.toml --month 2026-10 --store pacta-store \
        [--spark] [--answers answers.json] [--repeats 3] [--json out.json]

Exit status 0 when all engines agree, 1 when they differ, 2 on a usage or set-up error.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def lower(pacta, contract, month, store, dialect, out):
    subprocess.run(
        [pacta, "engine", "sql", "--contract", contract, "--month", month,
         "--store", store, "--dialect", dialect, "--out", out, "--force"],
        check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "job.json"), encoding="utf-8") as f:
        return json.load(f)


def normalise(rows):
    """Rows as sorted tuples of int / str / None (engines differ in row order only)."""
    out = []
    for row in rows:
        cells = []
        for v in row:
            if isinstance(v, bool):
                raise ValueError(f"boolean cell {v!r}")
            if isinstance(v, float):
                raise ValueError(f"floating-point cell {v!r}: the lowering returns integers")
            cells.append(int(v) if isinstance(v, int) else v)
        out.append(tuple(cells))
    return sorted(out, key=lambda r: tuple((x is None, str(type(x)), x if x is not None else 0) for x in r))


def run_duckdb(job, repeats):
    import duckdb
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    for t in job["tables"]:
        files = ", ".join("'" + p.replace("'", "''") + "'" for p in t["files"])
        con.execute(
            f"CREATE VIEW {t['name']} AS SELECT * FROM read_parquet([{files}], "
            "hive_partitioning = false)")
    answers, times = {}, {}
    for q in job["queries"]:
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            rows = con.execute(q["sql"]).fetchall()
            runs.append(time.perf_counter() - start)
        answers[q["name"]] = normalise(rows)
        times[q["name"]] = statistics.median(runs)
    return answers, times


def run_spark(job, repeats):
    from pyspark.sql import SparkSession
    start = time.perf_counter()
    spark = (SparkSession.builder.master("local[2]").appName("pacta-second-opinion")
             .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", "4")
             .getOrCreate())
    startup = time.perf_counter() - start
    for t in job["tables"]:
        spark.read.parquet(*t["files"]).createOrReplaceTempView(t["name"])
    answers, times = {}, {}
    for q in job["queries"]:
        runs = []
        for _ in range(repeats):
            s = time.perf_counter()
            rows = [tuple(r) for r in spark.sql(q["sql"]).collect()]
            runs.append(time.perf_counter() - s)
        answers[q["name"]] = normalise(rows)
        times[q["name"]] = statistics.median(runs)
    spark.stop()
    return answers, times, startup


def read_answers(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return {r["name"]: normalise(r["rows"]) for r in doc["results"]}


def compare(reference_name, reference, other_name, other):
    problems = []
    for name, rows in reference.items():
        theirs = other.get(name)
        if theirs is None:
            problems.append(f"{other_name} has no answer to `{name}`")
        elif theirs != rows:
            missing = [r for r in rows if r not in theirs][:3]
            extra = [r for r in theirs if r not in rows][:3]
            problems.append(
                f"`{name}`: {reference_name} {len(rows)} rows, {other_name} {len(theirs)} rows; "
                f"only in {reference_name}: {missing}; only in {other_name}: {extra}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pacta", required=True)
    ap.add_argument("--contract", required=True)
    ap.add_argument("--month", required=True)
    ap.add_argument("--store", required=True)
    ap.add_argument("--spark", action="store_true", help="also run on PySpark local[2]")
    ap.add_argument("--answers", help="pacta-engine answers (DataFusion/Ballista) to compare")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--json", help="write the comparison and timings here")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="pacta-second-opinion-")
    duck_job = lower(a.pacta, a.contract, a.month, a.store, "duckdb", os.path.join(work, "duckdb"))
    duck, duck_times = run_duckdb(duck_job, a.repeats)
    report = {
        "contract": a.contract, "month": a.month,
        "rows": duck.get("summary", [[None]])[0][0],
        "cells": {k: len(v) for k, v in duck.items()},
        "duckdb_s": duck_times,
    }
    problems = []
    if a.spark:
        spark_job = lower(a.pacta, a.contract, a.month, a.store, "spark", os.path.join(work, "spark"))
        spark, spark_times, startup = run_spark(spark_job, a.repeats)
        report["spark_s"] = spark_times
        report["spark_startup_s"] = startup
        problems += compare("duckdb", duck, "spark", spark)
    if a.answers:
        problems += compare("duckdb", duck, "pacta-engine", read_answers(a.answers))
    report["agree"] = not problems
    report["problems"] = problems
    text = json.dumps(report, indent=2)
    print(text)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
