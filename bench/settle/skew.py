#!/usr/bin/env python3
"""Benchmark: repeat-contact FCR when customer keys are skewed, pacta vs DuckDB SQL.

    pip install duckdb
    python3 bench/settle/skew.py [--rows 1000000] [--repeats 5] [--work /tmp/pacta-bench-skew]

Real data has keys that hold a large share of the contacts: a pooled "unknown" caller, a
shared company line. This script takes the bank example's October (generated with `pacta gen`,
as bench/settle/run.py does) and rewrites its customer keys in two ways, keeping everything
else:

* `uniform`: the generator's own keys (about 1.5 contacts per key);
* `zipf`: key rank k drawn from a discrete Pareto law with P(k = 1) = 44 % (exponent
  s = 1.837, k = floor(u ^ (-1 / (s - 1))) with u uniform in (0, 1] from a hash of the
  source id), so one key holds 44 % of the contacts and the rest follow a long tail.

For each, `pacta import` loads the interactions into a fresh store, then the same run times
`pacta kpi --sla FCR --format json` (end to end) and DuckDB's FCR query on its native
table (`SET threads TO 2`), checks that both count the same handled and repeated contacts,
and prints the medians and the ratio. Not a timed test.
"""
import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CONTRACT, MONTH, MONTH_VIEW, ROOT, SQL, sh, timed  # noqa: E402

KEYS = {
    "uniform": "customer_key",
    "zipf": "CASE WHEN customer_key IS NULL THEN NULL ELSE 'z' || CAST(floor(pow(((hash(source_id) % 1000000) + 1) / 1000000.0, -1 / 0.837)) AS BIGINT) END",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--work", default="/tmp/pacta-bench-skew")
    a = ap.parse_args()
    sh(["cargo", "build", "--release", "-q", "-p", "pacta-cli"], cwd=ROOT)
    pacta = ROOT / "target/release/pacta"
    work = Path(a.work)
    gen = work / f"gen-{a.rows}"
    if not (gen / "interactions.csv").exists():
        sh([pacta, "gen", "--contract", CONTRACT, "--month", MONTH, "--rows", a.rows, "--out", gen],
           stdout=subprocess.DEVNULL)
    ok = True
    for name, key in KEYS.items():
        csv = work / f"{name}-{a.rows}.csv"
        store = work / f"store-{name}-{a.rows}"
        shutil.rmtree(store, ignore_errors=True)
        con = duckdb.connect(":memory:")
        con.execute("SET threads TO 2; SET TimeZone = 'UTC'")
        con.execute(f"""CREATE TABLE t AS SELECT * REPLACE ({key} AS customer_key)
                        FROM read_csv('{gen / "interactions.csv"}', header = true, all_varchar = true)""")
        con.execute(f"COPY t TO '{csv}' (HEADER)")
        top = con.execute("""SELECT max(n) / sum(n) FROM (SELECT count(*) AS n FROM t
                             WHERE customer_key IS NOT NULL GROUP BY customer_key)""").fetchone()[0]
        con.execute("""CREATE OR REPLACE TABLE t AS SELECT * REPLACE (
                           CAST(arrived_at AS TIMESTAMP) AS arrived_at,
                           CAST(answered_at AS TIMESTAMP) AS answered_at,
                           CAST(ended_at AS TIMESTAMP) AS ended_at) FROM t""")
        con.execute("ALTER TABLE t ADD COLUMN arrived TIMESTAMP; UPDATE t SET arrived = arrived_at")
        con.execute(MONTH_VIEW)
        sh([pacta, "import", "--contract", CONTRACT, "--format", "csv", "--kind", "interactions",
            "--store", store, csv], stdout=subprocess.DEVNULL)
        args = [pacta, "kpi", "--contract", CONTRACT, "--month", MONTH, "--store", store,
                "--sla", "FCR", "--format", "json"]
        timed(args, stdout=subprocess.PIPE)  # builds the column cache
        pacta_t, out = [], None
        for _ in range(a.repeats):
            s, _, out = timed(args, stdout=subprocess.PIPE)
            pacta_t.append(s)
        duck_t, row = [], None
        for _ in range(a.repeats):
            t = time.perf_counter()
            row = con.execute(SQL["fcr"]).fetchone()
            duck_t.append(time.perf_counter() - t)
        value = json.loads(out)["results"][0]["groups"][0]["periods"][0]["value"]
        handled, repeated = row
        same = (value["denominator"], value["numerator"]) == (handled, handled - repeated)
        ok &= same
        med = statistics.median
        print(json.dumps({
            "keys": name, "rows": a.rows, "top_key_share": round(float(top), 3),
            "pacta_kpi_fcr_s": round(med(pacta_t), 4), "duckdb_fcr_s": round(med(duck_t), 4),
            "ratio_duckdb_over_pacta": round(med(duck_t) / med(pacta_t), 2),
            "handled": handled, "repeated": repeated, "agree": same,
        }))
        csv.unlink()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
