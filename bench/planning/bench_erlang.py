#!/usr/bin/env python3
"""Benchmark: pacta-planning (Rust) against pyworkforce (Python) on Erlang C staffing.

    python3 -m pip install pyworkforce          # 0.5.1 is the newest on PyPI for Python 3.11
    python3 bench/planning/bench_erlang.py [--repeats 3] [--c-stride 50] [--a-stride 2000]

Steps
  1. Builds `cargo build --release --example bench_staffing -p pacta-planning` (honours
     CARGO_TARGET_DIR) and lets it write the 100,000 deterministic rows to a temp CSV.
  2. Erlang C: pacta staffs all 100,000 rows. pyworkforce's ErlangC.required_positions is
     far slower, so it is timed on every `--c-stride`-th row (2,000 rows by default) and its
     per-row time is extrapolated to 100,000 rows; pacta is also timed on the very same
     sample, and the ratio is taken on the sample (like for like).
  3. Erlang A: pyworkforce 0.5.1 has no Erlang A. The Python side is a PLAIN-PYTHON PORT OF
     PACTA'S OWN ERLANG A ALGORITHM (below, `py_erlang_a_required`), so that ratio measures
     language/runtime cost for the same algorithm, not a third-party library. Timed on every
     `--a-stride`-th row (50 rows by default) on both sides.
  4. Repeats everything `--repeats` times and prints medians and the median ratio
     (Python time / pacta time) as JSON, plus agreement of the staffing numbers.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INTERVAL_S = 1800.0
THRESHOLD_S = 20.0
TARGET = 0.8


# --------------------------------------------------------------------------- pacta (Rust)
def build_rust():
    subprocess.run(["cargo", "build", "--release", "--example", "bench_staffing", "-p", "pacta-planning"],
                   cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
    return os.path.join(target, "release", "examples", "bench_staffing")


def run_rust(exe, args):
    out = subprocess.run([exe, *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


# --------------------------------------------------------------------------- pyworkforce
def py_erlang_c_sample(rows):
    from pyworkforce.queuing import ErlangC
    agents = []
    t0 = time.perf_counter()
    for vol, aht, _ in rows:
        e = ErlangC(transactions=vol, aht=aht / 60.0, asa=THRESHOLD_S / 60.0, interval=INTERVAL_S / 60.0)
        agents.append(e.required_positions(service_level=TARGET)["raw_positions"])
    return time.perf_counter() - t0, agents


# ------------------------------------------- plain-Python port of pacta's Erlang A algorithm
def _series(b, y):
    t0 = t1 = t2 = 0.0
    u, m, ln_scale = 1.0, 0.0, 0.0
    while True:
        den = b + m + 1.0
        t0 += u
        t1 += u * b / den
        t2 += u * (m + 1.0) / den
        u *= y / den
        m += 1.0
        if t0 > 1e250:
            u /= 1e250
            t0 /= 1e250
            t1 /= 1e250
            t2 /= 1e250
            ln_scale += math.log(1e250)
        r = y / (b + m + 1.0)
        if r < 1.0 and u / (1.0 - r) <= 1e-17 * t0:
            return ln_scale, t0, t1, t2


def _logaddexp(a, b):
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    m = max(a, b)
    if m == math.inf:
        return m
    return m + math.log1p(math.exp(-abs(a - b)))


def py_erlang_a_required(vol, aht, patience):
    lam = vol / INTERVAL_S
    load = lam * aht
    c = lam * patience
    z = THRESHOLD_S / patience
    d = 0.0
    n = 0
    while True:
        n += 1
        d = n / load * (1.0 + d)
        b = n * patience / aht
        ls, t0, t1, t2 = _series(b, c)
        ln_t0 = ls + math.log(t0)
        ln_d = math.log(d) if d > 0 else -math.inf
        ln_pn = -_logaddexp(ln_d, ln_t0)
        k0 = math.exp(ln_pn + ls)
        p_immediate = 1.0 / (1.0 + math.exp(min(ln_t0 - ln_d, 700.0)))
        served_waiting = k0 * t1
        ls2, _, s1, _ = _series(b, c * math.exp(-z))
        ln_w = -b * z + c * (-math.expm1(-z))
        served_gt_t = math.exp(ln_pn + ln_w - z + ls2) * s1
        sl = p_immediate + max(served_waiting - served_gt_t, 0.0)  # abandons_against
        if sl >= TARGET * (1 - 1e-12):
            return n


def py_erlang_a_sample(rows):
    agents = []
    t0 = time.perf_counter()
    for vol, aht, pat in rows:
        agents.append(py_erlang_a_required(vol, aht, pat))
    return time.perf_counter() - t0, agents


# --------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--c-stride", type=int, default=50)
    ap.add_argument("--a-stride", type=int, default=2000)
    args = ap.parse_args()

    import pyworkforce
    exe = build_rust()
    tmp = tempfile.mkdtemp(prefix="pacta-bench-")
    rows_csv = os.path.join(tmp, "rows.csv")
    agents_json = os.path.join(tmp, "agents.json")
    rust_args = ["--c-stride", str(args.c_stride), "--a-stride", str(args.a_stride)]
    run_rust(exe, rust_args + ["--write-rows", rows_csv, "--agents-out", agents_json])  # warm-up + data
    with open(rows_csv) as fh:
        next(fh)
        rows = [tuple(float(x) for x in line.split(",")) for line in fh]
    with open(agents_json) as fh:
        pacta_agents = json.load(fh)
    c_rows = rows[::args.c_stride]
    a_rows = rows[::args.a_stride]

    rust_runs, py_c, py_a = [], [], []
    for i in range(args.repeats):
        rust_runs.append(run_rust(exe, rust_args))
        t, pw_agents = py_erlang_c_sample(c_rows)
        py_c.append(t)
        t, pa_agents = py_erlang_a_sample(a_rows)
        py_a.append(t)
        print("repeat %d/%d done" % (i + 1, args.repeats), file=sys.stderr)

    med = statistics.median
    rust_c_all = med(r["erlang_c_all_s"] for r in rust_runs)
    rust_c_sample = med(r["erlang_c_sample_s"] for r in rust_runs)
    rust_a_sample = med(r["erlang_a_sample_s"] for r in rust_runs)
    pc = med(py_c)
    pa = med(py_a)
    diffs = [(p, r) for p, r in zip(pw_agents, pacta_agents["erlang_c"]) if p != r]
    result = {
        "rows": len(rows),
        "repeats": args.repeats,
        "pyworkforce_version": pyworkforce.__version__,
        "python": sys.version.split()[0],
        "erlang_c": {
            "pacta_all_rows_s": rust_c_all,
            "pacta_us_per_row": rust_c_all / len(rows) * 1e6,
            "sample_rows": len(c_rows),
            "pacta_sample_s": rust_c_sample,
            "pyworkforce_sample_s": pc,
            "pyworkforce_us_per_row": pc / len(c_rows) * 1e6,
            "pyworkforce_extrapolated_all_rows_s": pc / len(c_rows) * len(rows),
            "median_ratio_pyworkforce_over_pacta": med(p / r["erlang_c_sample_s"] for p, r in zip(py_c, rust_runs)),
            "median_ratio_extrapolated_all_rows": med(p / len(c_rows) * len(rows) / r["erlang_c_all_s"]
                                                      for p, r in zip(py_c, rust_runs)),
            "staffing_disagreements": len(diffs),
            "pyworkforce_minus_pacta_agents": sorted({p - r for p, r in diffs}),
        },
        "erlang_a": {
            "reference": "plain-Python port of pacta's algorithm (pyworkforce %s has no Erlang A)"
                         % pyworkforce.__version__,
            "sample_rows": len(a_rows),
            "pacta_sample_s": rust_a_sample,
            "pacta_us_per_row": rust_a_sample / len(a_rows) * 1e6,
            "python_sample_s": pa,
            "python_us_per_row": pa / len(a_rows) * 1e6,
            "median_ratio_python_over_pacta": med(p / r["erlang_a_sample_s"] for p, r in zip(py_a, rust_runs)),
            "staffing_disagreements": sum(1 for p, r in zip(pa_agents, pacta_agents["erlang_a"]) if p != r),
        },
        "raw": {"pacta": rust_runs, "pyworkforce_c_s": py_c, "python_a_s": py_a},
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
