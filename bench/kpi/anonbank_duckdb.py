#!/usr/bin/env python3
"""Independent KPI computation on the Anonymous Bank August log, in DuckDB SQL.

This is the reference the test `crates/pacta-cli/tests/it/cli_kpi.rs` compares pacta against
(counts exactly, rates to 1e-9). It is written from the specs, not from pacta's code:

* mapping (docs/spec/data-model.md, "Technion Anonymous Bank"): PHANTOM rows dropped;
  HANG with q_start = 0:00:00 left in the IVR (not offered); HANG with q_start != 0:00:00 is an
  abandon with wait = q_time; AGENT is answered with wait = q_time and talk = ser_time, the
  talk being unknown when ser_start = 0:00:00 and ser_time = 0; arrival = date + vru_exit;
  queue = type; customer_id 0 = unknown.
* formulas (docs/spec/kpi-definitions.md) with T = 20 s, S = 5 s, thresholds inclusive;
  percentiles by nearest rank over answered waits; FCR repeat_contact: a handled (answered)
  contact with a known customer is repeated when another offered contact of the same customer
  arrives strictly later and at most 7 × 24 h after it, on any queue.

August 2010 in Asia/Jerusalem has no DST change (summer time ran to 12 September), so local
wall-clock timestamps measure elapsed time exactly, including the 7-day window past 31 August.

Usage: python3 bench/kpi/anonbank_duckdb.py [CSV] [OUT.json]   (pip install duckdb)
"""
import json
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
CSV = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "testdata/anonbank-august.csv")
OUT = sys.argv[2] if len(sys.argv) > 2 else str(ROOT / "testdata/expected/anonbank-kpi-duckdb.json")
T, S, AFTER, WINDOW_DAYS = 20, 5, 30, 7

con = duckdb.connect()
con.execute("SET threads TO 2")
con.execute(
    f"""
    CREATE TABLE raw AS SELECT * FROM read_csv('{CSV}', header = true, all_varchar = true)
    """
)
con.execute(
    """
    CREATE TABLE contacts AS
    SELECT
        type AS queue,
        NULLIF(customer_id, '0') AS customer,
        CAST(date AS DATE) + CAST(vru_exit AS TIME) AS arrival,
        CASE WHEN outcome = 'AGENT' THEN 'answered' ELSE 'abandoned' END AS outcome,
        CAST(q_time AS BIGINT) AS wait_s,
        CASE WHEN outcome = 'AGENT' AND NOT (ser_start = '0:00:00' AND CAST(ser_time AS BIGINT) = 0)
             THEN CAST(ser_time AS BIGINT) END AS talk_s
    FROM raw
    WHERE outcome = 'AGENT' OR (outcome = 'HANG' AND q_start <> '0:00:00')
    """
)
counts = con.execute(
    f"""
    SELECT queue,
        count(*) AS O,
        count(*) FILTER (outcome = 'answered') AS A,
        count(*) FILTER (outcome = 'abandoned') AS Ab,
        count(*) FILTER (outcome = 'answered' AND wait_s <= {T}) AS A_T,
        count(*) FILTER (outcome = 'abandoned' AND wait_s <= {T}) AS Ab_T,
        count(*) FILTER (outcome = 'abandoned' AND wait_s <= {S}) AS Ab_S,
        count(*) FILTER (outcome = 'abandoned' AND wait_s > {AFTER}) AS Ab_after,
        coalesce(sum(wait_s) FILTER (outcome = 'answered'), 0) AS wait_sum,
        max(wait_s) FILTER (outcome = 'answered') AS max_wait,
        coalesce(sum(talk_s), 0) AS talk_sum,
        count(talk_s) AS talk_n
    FROM contacts GROUP BY queue ORDER BY queue
    """
).fetchall()
cols = [d[0] for d in con.description]

percentiles = {}
for p in (80, 90, 95):
    for queue, value in con.execute(
        f"""
        WITH w AS (
            SELECT queue, wait_s,
                   row_number() OVER (PARTITION BY queue ORDER BY wait_s) AS rk,
                   count(*) OVER (PARTITION BY queue) AS n
            FROM contacts WHERE outcome = 'answered')
        SELECT queue, wait_s FROM w WHERE rk = CAST(ceil({p} * n / 100.0) AS BIGINT)
        """
    ).fetchall():
        percentiles[(queue, p)] = value

fcr = {
    q: (handled, repeated)
    for q, handled, repeated in con.execute(
        f"""
        SELECT h.queue,
               count(*) AS handled,
               count(*) FILTER (EXISTS (
                   SELECT 1 FROM contacts o
                   WHERE o.customer = h.customer
                     AND o.arrival > h.arrival
                     AND o.arrival <= h.arrival + INTERVAL {WINDOW_DAYS * 24} HOURS)) AS repeated
        FROM contacts h
        WHERE h.outcome = 'answered' AND h.customer IS NOT NULL
        GROUP BY h.queue
        """
    ).fetchall()
}


def ratio(num, den, scale=100.0):
    return {"numerator": num, "denominator": den, "value": (num / den * scale) if den else None}


out = {"source": Path(CSV).name, "threshold_s": T, "short_abandon_s": S, "queues": {}}
for row in counts:
    r = dict(zip(cols, row))
    q = r["queue"]
    A, Ab, O = r["A"], r["Ab"], r["O"]
    handled, repeated = fcr.get(q, (0, 0))
    out["queues"][q] = {
        "counts": {k: r[k] for k in ("O", "A", "Ab", "A_T", "Ab_T", "Ab_S")},
        "SL-AO": ratio(r["A_T"], A),
        "SL-AA": ratio(r["A_T"], A + Ab),
        "SL-ESA": ratio(r["A_T"], A + Ab - r["Ab_S"]),
        "SL-AAT": ratio(r["A_T"], A + Ab - r["Ab_T"]),
        "SL-AWM": ratio(r["A_T"] + r["Ab_T"], A + Ab),
        "SL-OFF": ratio(r["A_T"] + r["Ab_T"], O),
        "ABN-OFF": ratio(Ab, O),
        "ABN-AAA": ratio(Ab, A + Ab),
        "ABN-ES": ratio(Ab - r["Ab_S"], O - r["Ab_S"]),
        "ABN-AFTER": ratio(r["Ab_after"], O),
        "ASA": ratio(r["wait_sum"], A, 1.0),
        "ASA-OFF": ratio(r["wait_sum"], O, 1.0),
        "MAXW": {"value": r["max_wait"]},
        "P80": {"value": percentiles.get((q, 80))},
        "P90": {"value": percentiles.get((q, 90))},
        "P95": {"value": percentiles.get((q, 95))},
        "AHT-TALK": ratio(r["talk_sum"], r["talk_n"], 1.0),
        "FCR": {"numerator": handled - repeated, "denominator": handled,
                "value": (100.0 * (1 - repeated / handled)) if handled else None},
    }

Path(OUT).parent.mkdir(parents=True, exist_ok=True)
Path(OUT).write_text(json.dumps(out, indent=2, sort_keys=True) + "\n")
print(f"wrote {OUT}: {len(out['queues'])} queues, {sum(v['counts']['O'] for v in out['queues'].values())} offered")
