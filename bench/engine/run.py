#!/usr/bin/env python3
"""Times `pacta kpi` and `pacta settle` on the local engine, DataFusion and Ballista standalone.

Each command runs `--repeats` times per engine, alternating engines so that a busy machine
weighs on all of them alike; the median is reported with its ratio to the local engine
measured in the same run. Every engine's output must be byte-identical to the local one, or
the script fails.

    python3 bench/engine/run.py --pacta target/release/pacta \
        --engine-bin engine/target/release/pacta-engine \
        --contract examples/bank-inbound-manila.toml --month 2026-10 \
        --store /tmp/bench/store-10000000 --repeats 3
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def run(cmd, env):
    start = time.perf_counter()
    out = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if out.returncode not in (0, 3):  # 3: settle says an SLA was missed
        sys.stderr.write(out.stderr.decode())
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return took, out.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pacta", required=True)
    ap.add_argument("--engine-bin", required=True)
    ap.add_argument("--contract", required=True)
    ap.add_argument("--month", required=True)
    ap.add_argument("--store", required=True)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--engines", default="local,datafusion,ballista")
    ap.add_argument("--json", help="write the figures here")
    a = ap.parse_args()

    env = dict(os.environ, PACTA_ENGINE=os.path.abspath(a.engine_bin))
    env.pop("PACTA_LANG", None)
    work = tempfile.mkdtemp(prefix="pacta-engine-bench-")
    engines = a.engines.split(",")
    base = ["--contract", a.contract, "--month", a.month, "--store", a.store]
    commands = {
        "kpi": [a.pacta, "kpi", *base, "--format", "json"],
        "settle": [a.pacta, "settle", *base, "--format", "json", "--no-save"],
    }
    report = {"store": a.store, "month": a.month, "repeats": a.repeats, "results": {}}
    for name, cmd in commands.items():
        times = {e: [] for e in engines}
        outputs = {}
        for _ in range(a.repeats):
            for e in engines:
                took, out = run(cmd + ["--engine", e, "--engine-work", work], env)
                times[e].append(took)
                outputs.setdefault(e, out)
                if out != outputs[e]:
                    raise SystemExit(f"{name} --engine {e}: output changed between runs")
        for e in engines:
            if outputs[e] != outputs[engines[0]]:
                raise SystemExit(f"{name} --engine {e}: output differs from {engines[0]}")
        med = {e: statistics.median(t) for e, t in times.items()}
        report["results"][name] = {
            e: {"median_s": round(med[e], 3), "runs_s": [round(x, 3) for x in times[e]],
                "vs_local": round(med[e] / med[engines[0]], 2)}
            for e in engines
        }
        report["results"][name]["identical"] = True
    text = json.dumps(report, indent=2)
    print(text)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
