#!/usr/bin/env python3
"""Benchmark: a month of the bank example's KPIs and its settlement, pacta vs DuckDB SQL.

    pip install duckdb
    python3 bench/settle/run.py [--rows 10000000] [--repeats 3] [--work /tmp/pacta-bench-settle]

What runs, on the same machine in the same run:

1. `pacta gen` writes a month (2026-10) of the bank example (examples/bank-inbound-manila.toml)
   with --rows interactions as CSV, and `pacta import` loads every file into a fresh store
   (both timed once, for information).
2. pacta, release build, each --repeats times, peak RSS from /usr/bin/time (end to end:
   process start, reading the store's Parquet files, computing, writing JSON):
   * `pacta kpi --format json`: every SLA of the contract measured in one pass over the month
     (service level, abandonment, chat service level per 30-min interval, FCR with its 7-day
     repeat window, CSAT, QA, attrition), including reading the store's Parquet files;
   * `pacta settle --no-save --format json`: the whole settlement (one KPI pass with the
     accepted incidents' windows marked per row, daily series for the charts, one pass for
     volumes and usage, pricing, credits, reconciliation).
   And the engine alone on data already in memory (`bench_month` example of pacta-settle:
   the store is read once, then `pacta_kpi` and `settle_month` are timed), which is the like-
   for-like comparison with a query on DuckDB's native table.
3. DuckDB (Python package, `SET threads TO 2`): the interactions and surveys CSVs loaded into
   native tables (not timed), then the same interaction and survey KPIs in SQL, timed
   --repeats times: SL-VOICE (exclude_short_abandons, T 20 s, S 5 s, voice services),
   ABN-VOICE (exclude_short, S 5 s, voice), SL-CHAT-INTERVAL (abandons_against, T 60 s, per
   30-minute interval, share of intervals with data at or above 80 %), FCR (repeat_contact:
   answered voice/chat contacts with a known customer followed by another answered or
   abandoned contact of the same customer, any channel, strictly later and within 7 × 24 h)
   and CSAT (top-2-box of the month's surveys). Hours of operation follow the contract
   (weekdays 24 h, weekends 08:00–22:00 Asia/Manila, UTC+8 without DST). QA and attrition
   read a few thousand rows and are left out of the SQL side.
4. The SQL results are checked against pacta's `kpi` JSON (numerators and denominators equal)
   so both sides provably compute the same thing, then medians and ratios are printed.
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
MONTH = "2026-10"


def sh(args, **kw):
    return subprocess.run([str(a) for a in args], check=True, **kw)


def timed(args, stdout=subprocess.DEVNULL):
    """Runs a command under /usr/bin/time; returns (seconds, peak RSS MB, stdout)."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + [str(a) for a in args],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    secs = time.perf_counter() - t
    if p.returncode not in (0, 3):
        sys.exit(f"{args[1]} failed ({p.returncode}): {p.stderr[-2000:]}")
    rss_kb = int(p.stderr.strip().splitlines()[-1])
    return secs, rss_kb / 1024, p.stdout


SQL = {
    # Voice service level and abandonment; voice services are queues cards, cards-platinum,
    # retail (SL-VOICE) and the voice_in channel (ABN-VOICE) — the same set here.
    "voice": """
        SELECT
          count(*) FILTER (outcome = 'answered' AND wait_ms <= 20000) AS a_t,
          count(*) FILTER (outcome = 'answered') AS a,
          count(*) FILTER (outcome = 'abandoned') AS ab,
          count(*) FILTER (outcome = 'abandoned' AND wait_ms <= 5000) AS ab_s,
          count(*) AS o
        FROM month_rows
        WHERE channel = 'voice_in'
    """,
    "chat_intervals": """
        WITH per AS (
          SELECT time_bucket(INTERVAL 30 MINUTE, local_ts) AS iv,
                 count(*) FILTER (outcome = 'answered' AND wait_ms <= 60000) AS a_t,
                 count(*) FILTER (outcome IN ('answered', 'abandoned')) AS den
          FROM month_rows WHERE queue = 'web-chat' GROUP BY iv)
        SELECT count(*) FILTER (den > 0 AND a_t * 100 >= 80 * den) AS met,
               count(*) FILTER (den > 0) AS with_data
        FROM per
    """,
    "fcr": """
        WITH offered AS (
          SELECT DISTINCT customer_key AS c, arrived AS t FROM t
          WHERE customer_key IS NOT NULL AND outcome IN ('answered', 'abandoned')),
        nxt AS (
          SELECT c, t, lead(t) OVER (PARTITION BY c ORDER BY t) AS next_t FROM offered)
        SELECT count(*) AS handled,
               count(*) FILTER (n.next_t IS NOT NULL
                                AND n.next_t <= m.arrived + INTERVAL 7 DAY) AS repeated
        FROM month_rows m JOIN nxt n ON n.c = m.customer_key AND n.t = m.arrived
        WHERE m.outcome = 'answered' AND m.channel IN ('voice_in', 'chat')
    """,
    "csat": """
        SELECT count(*) FILTER (csat >= 4) AS top2, count(csat) AS responses
        FROM surveys
        WHERE answered_at >= TIMESTAMP '2026-09-30 16:00:00'
          AND answered_at < TIMESTAMP '2026-10-31 16:00:00'
    """,
}

SETUP = """
    SET threads TO 2;
    SET TimeZone = 'UTC';
    CREATE TABLE t AS SELECT * FROM read_csv('{inter}', header = true,
        types = {{'arrived_at': 'TIMESTAMP', 'answered_at': 'TIMESTAMP', 'ended_at': 'TIMESTAMP'}});
    ALTER TABLE t ADD COLUMN arrived TIMESTAMP; UPDATE t SET arrived = arrived_at;
    CREATE TABLE surveys AS SELECT * FROM read_csv('{surveys}', header = true,
        types = {{'answered_at': 'TIMESTAMP'}});
"""

# The month's rows inside hours of operation (Manila = UTC+8 all year), with waits in ms. A
# view, so its cost is paid inside each timed query like pacta pays its scan.
MONTH_VIEW = """
    CREATE OR REPLACE VIEW month_rows AS
    SELECT *, arrived_at + INTERVAL 8 HOUR AS local_ts,
           CASE WHEN outcome = 'answered' THEN epoch_ms(answered_at) - epoch_ms(arrived_at)
                ELSE epoch_ms(ended_at) - epoch_ms(arrived_at) END AS wait_ms
    FROM t
    WHERE arrived_at >= TIMESTAMP '2026-09-30 16:00:00' AND arrived_at < TIMESTAMP '2026-10-31 16:00:00'
      AND outcome <> 'in_progress'
      AND (dayofweek(arrived_at + INTERVAL 8 HOUR) BETWEEN 1 AND 5
           OR hour(arrived_at + INTERVAL 8 HOUR) BETWEEN 8 AND 21)
"""


def duckdb_run(con):
    out = {}
    for name, q in SQL.items():
        row = con.execute(q).fetchone()
        out[name] = dict(zip([d[0] for d in con.description], row))
    return out


def check(pacta_kpi, sql):
    by_id = {r["request"]["id"]: r["groups"][0]["periods"] for r in pacta_kpi["results"]}
    def single(i):
        return by_id[i][0]["value"]
    v = sql["voice"]
    got = single("SL-VOICE")
    checks = [
        ("SL-VOICE numerator", got["numerator"], v["a_t"]),
        ("SL-VOICE denominator", got["denominator"], v["a"] + v["ab"] - v["ab_s"]),
        ("ABN-VOICE numerator", single("ABN-VOICE")["numerator"], v["ab"] - v["ab_s"]),
        ("ABN-VOICE denominator", single("ABN-VOICE")["denominator"], v["o"] - v["ab_s"]),
        ("FCR handled", single("FCR")["denominator"], sql["fcr"]["handled"]),
        ("FCR not repeated", single("FCR")["numerator"], sql["fcr"]["handled"] - sql["fcr"]["repeated"]),
        ("CSAT top-2", single("CSAT")["numerator"], sql["csat"]["top2"]),
        ("CSAT responses", single("CSAT")["denominator"], sql["csat"]["responses"]),
    ]
    periods = by_id["SL-CHAT-INTERVAL"]
    with_data = [p for p in periods if p["value"]["value"] is not None]
    met = sum(1 for p in with_data if p["value"]["value"] >= 80 - 1e-9)
    checks += [("SL-CHAT-INTERVAL intervals with data", len(with_data), sql["chat_intervals"]["with_data"]),
               ("SL-CHAT-INTERVAL intervals met", met, sql["chat_intervals"]["met"])]
    ok = True
    for name, a, b in checks:
        same = float(a) == float(b)
        ok &= same
        print(f"  {'ok ' if same else 'DIFF'} {name}: pacta {a:g} · duckdb {b:g}")
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--work", default="/tmp/pacta-bench-settle")
    ap.add_argument("--keep", action="store_true", help="keep the generated CSVs and store")
    a = ap.parse_args()
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    sh(["cargo", "build", "--release", "-q", "-p", "pacta-cli"], cwd=ROOT)
    sh(["cargo", "build", "--release", "-q", "-p", "pacta-settle", "--example", "bench_month"], cwd=ROOT)
    pacta = target / "release/pacta"
    engine = target / "release/examples/bench_month"
    work = Path(a.work)
    gen, store = work / f"gen-{a.rows}", work / f"store-{a.rows}"
    if not (gen / "interactions.csv").exists():
        t = time.perf_counter()
        sh([pacta, "gen", "--contract", CONTRACT, "--month", MONTH, "--rows", a.rows, "--out", gen],
           stdout=subprocess.DEVNULL)
        print(f"gen {a.rows:,} rows: {time.perf_counter() - t:.1f} s")
    if not store.exists():
        for kind in ["interactions", "surveys", "qa", "roster", "training", "agent-days", "incidents"]:
            secs, rss, _ = timed([pacta, "import", "--contract", CONTRACT, "--format", "csv", "--kind", kind,
                                  "--store", store, gen / f"{kind.replace('-', '_')}.csv"])
            if kind == "interactions":
                print(f"import interactions: {secs:.1f} s, peak {rss:.0f} MB")
    kpi_args = [pacta, "kpi", "--contract", CONTRACT, "--month", MONTH, "--store", store, "--format", "json"]
    settle_args = [pacta, "settle", "--contract", CONTRACT, "--month", MONTH, "--store", store,
                   "--no-save", "--format", "json"]
    # The first read after an import builds the column cache (store/cache/): timed apart,
    # with the cache removed first, so the figure a user sees once per import is on record.
    shutil.rmtree(store / "cache", ignore_errors=True)
    first_settle_s, first_settle_m, _ = timed(settle_args)
    print(f"first settle after import (builds the column cache): {first_settle_s:.2f} s, peak {first_settle_m:.0f} MB")
    kpi_t, kpi_m, settle_t, settle_m = [], [], [], []
    kpi_json = None
    for _ in range(a.repeats):
        s, m, out = timed(kpi_args, stdout=subprocess.PIPE)
        kpi_t.append(s); kpi_m.append(m); kpi_json = json.loads(out)
        s, m, _ = timed(settle_args)
        settle_t.append(s); settle_m.append(m)

    # The command's own phases, from the library's spans (PACTA_PROFILE=1): one more settle,
    # not in the timings above.
    t = time.perf_counter()
    p = subprocess.run([str(x) for x in settle_args], capture_output=True, text=True,
                       env={**os.environ, "PACTA_PROFILE": "1"})
    profiled_s = time.perf_counter() - t
    command_phases = {}
    for m in re.finditer(r"([\w.]+): close time\.busy=([\d.]+)(ns|µs|ms|s)\b", p.stderr):
        unit = {"ns": 1e-9, "µs": 1e-6, "ms": 1e-3, "s": 1.0}[m.group(3)]
        command_phases[m.group(1)] = round(command_phases.get(m.group(1), 0.0) + float(m.group(2)) * unit, 4)
    command_phases["rest (start, contract, checks, JSON, exit)"] = round(
        profiled_s - command_phases.get("settle.read", 0.0) - command_phases.get("settle.compute", 0.0), 4)

    # The engine alone on data already in memory (the store read once, like DuckDB's table).
    mem = json.loads(subprocess.run([str(engine), str(CONTRACT), str(store), MONTH, str(max(a.repeats, 3))],
                                    check=True, capture_output=True, text=True).stdout)

    con = duckdb.connect(":memory:")
    t = time.perf_counter()
    for stmt in SETUP.format(inter=gen / "interactions.csv", surveys=gen / "surveys.csv").split(";"):
        if stmt.strip():
            con.execute(stmt)
    con.execute(MONTH_VIEW)
    load_s = time.perf_counter() - t
    duck_t, sql = [], None
    for _ in range(a.repeats):
        t = time.perf_counter()
        sql = duckdb_run(con)
        duck_t.append(time.perf_counter() - t)

    print(f"DuckDB {duckdb.__version__} load (not timed in the ratio): {load_s:.1f} s")
    print("agreement (pacta kpi vs DuckDB SQL):")
    agree = check(kpi_json, sql)
    med = statistics.median
    result = {
        "rows": a.rows,
        "repeats": a.repeats,
        "pacta_kpi_s": med(kpi_t), "pacta_kpi_peak_mb": max(kpi_m),
        "pacta_settle_s": med(settle_t), "pacta_settle_peak_mb": max(settle_m),
        "duckdb_sql_s": med(duck_t),
        "pacta_first_settle_s": first_settle_s, "pacta_first_settle_peak_mb": first_settle_m,
        "pacta_in_memory": {"store_read_s": mem["load_s"], "interactions_read_s": mem["interactions_load_s"],
                            "records_read_s": mem["load_s"] - mem["interactions_load_s"],
                            "kpi_s": mem["kpi_s"], "settle_s": mem["settle_s"]},
        # Where the end-to-end settle goes: reading (interactions; the records are read on
        # another thread at the same time), computing, and the rest (process start, contract,
        # month checks, JSON).
        "settle_split_s": {"read_interactions": mem["interactions_load_s"],
                           "read_records_overlapped": mem["load_s"] - mem["interactions_load_s"],
                           "compute": mem["settle_s"],
                           "rest": med(settle_t) - max(mem["interactions_load_s"], mem["load_s"] - mem["interactions_load_s"]) - mem["settle_s"]},
        # The same split from one profiled `pacta settle` (store.verify and store.cache_read
        # are inside settle.read).
        "settle_command_phases_s": command_phases,
        "ratio_duckdb_over_pacta_kpi_in_memory": med(duck_t) / mem["kpi_s"],
        "ratio_duckdb_over_pacta_settle_in_memory": med(duck_t) / mem["settle_s"],
        "ratio_duckdb_over_pacta_kpi": med(duck_t) / med(kpi_t),
        "ratio_duckdb_over_pacta_settle": med(duck_t) / med(settle_t),
        "agree": agree,
        "all_times": {"kpi": kpi_t, "settle": settle_t, "duckdb": duck_t},
    }
    print(json.dumps(result, indent=2))
    if not a.keep:
        shutil.rmtree(gen, ignore_errors=True)
        shutil.rmtree(store, ignore_errors=True)
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
