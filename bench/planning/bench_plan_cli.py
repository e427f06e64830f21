#!/usr/bin/env python3
"""Benchmark: `pacta plan` (the release binary, end to end) against pyworkforce on the same rows.

    python3.12 -m venv /tmp/venv-plan && /tmp/venv-plan/bin/python \
        bench/planning/bench_plan_cli.py [--repeats 3] [--rows 100000] [--a-stride 5000]

pyworkforce is installed with pip into the running interpreter if it is missing. 0.5.4 (the
first release with ErlangA) needs Python >= 3.12; on Python 3.11 pip gets 0.5.1, which has no
ErlangA, and the Erlang A part is skipped. The JSON result names both versions.

What is timed (wall clock, median of --repeats, every repeat runs both sides in turn):

  Erlang C  100,000 interval x queue rows (SplitMix64 seed 42, the same generator as
            crates/pacta-planning/examples/bench_staffing.rs: volume 1-5,000 calls per 30
            minutes, AHT 120-600 s), 50 queues x 2,000 consecutive half hours, 80 % within
            20 s. pacta: `pacta plan --contract examples/bank-inbound-manila.toml --forecast
            F --threshold-s 20 --target 0.8 --variant abandons_against --format csv`, the
            whole process: contract parse, CSV read and validation, staffing, CSV written to
            a file. Run twice: as is (it staffs rows on every core) and pinned to one core with
            `taskset -c 0`. pyworkforce: `ErlangC(...).required_positions(0.8)` in a Python
            loop over the same rows (one core; reading the rows is not timed).
  Erlang A  every --a-stride-th row (20 rows by default) with its mean patience (30-300 s):
            `pacta plan` on a forecast with patience_s, against pyworkforce
            `ErlangA(...).required_positions(0.8)` (its service level is answered within T
            over all offered calls, pacta's `abandons_against`).

Agreement of the staffing numbers is reported row by row. pyworkforce 0.5.x starts its
Erlang A search at ceil(A), so where Erlang A needs fewer agents than the offered load it
answers ceil(A) (overstaffing); pacta searches from 1.
"""

import argparse
import csv
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONTRACT = os.path.join(REPO, "examples", "bank-inbound-manila.toml")
INTERVAL_MIN = 30
THRESHOLD_S = 20.0
TARGET = 0.8
QUEUES = 50
MASK = (1 << 64) - 1


def ensure_pyworkforce():
    try:
        import pyworkforce  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pyworkforce"], check=True)
    import pyworkforce
    return pyworkforce.__version__


def splitmix_rows(n):
    """The rows of bench_staffing.rs: (volume, aht_s, patience_s), SplitMix64 seed 42."""
    state = 42

    def nxt():
        nonlocal state
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    rows = []
    for _ in range(n):
        vol = 1 + nxt() % 5000
        aht = 120 + nxt() % 481
        pat = 30 + nxt() % 271
        rows.append((vol, aht, pat))
    return rows


def interval_start(i):
    """Half hour i from 2026-11-01 00:00 Manila time (UTC+8, no DST), RFC 3339."""
    minutes = i * INTERVAL_MIN
    day, rem = divmod(minutes, 1440)
    # 2026-11-01 + day days: months of 30/31/31/... days; keep it simple with datetime.
    import datetime as dt
    d = dt.date(2026, 11, 1) + dt.timedelta(days=day)
    return "%sT%02d:%02d:00+08:00" % (d.isoformat(), rem // 60, rem % 60)


def write_forecast(path, rows, indices, with_patience):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["interval_start", "queue", "volume", "aht_s"] + (["patience_s"] if with_patience else []))
        for i in indices:
            vol, aht, pat = rows[i]
            rec = [interval_start(i // QUEUES), "q%02d" % (i % QUEUES), vol, aht]
            if with_patience:
                rec.append(pat)
            w.writerow(rec)


def build_pacta():
    subprocess.run(["cargo", "build", "--release", "-p", "pacta-cli"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
    return os.path.join(target, "release", "pacta")


def run_pacta(exe, forecast, out_path, pin):
    cmd = [exe, "plan", "--contract", CONTRACT, "--forecast", forecast, "--threshold-s", "20",
           "--target", "0.8", "--variant", "abandons_against", "--format", "csv"]
    if pin:
        cmd = ["taskset", "-c", "0"] + cmd
    with open(out_path, "wb") as out:
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=out, env=dict(os.environ, PACTA_LANG="en"))
        return time.perf_counter() - t0


def pacta_agents(out_path, column):
    with open(out_path, newline="") as fh:
        return [int(r[column]) for r in csv.DictReader(fh)]


def py_erlang_c(rows):
    from pyworkforce.queuing import ErlangC
    agents = []
    t0 = time.perf_counter()
    for vol, aht, _ in rows:
        e = ErlangC(transactions=vol, aht=aht / 60.0, asa=THRESHOLD_S / 60.0, interval=INTERVAL_MIN)
        agents.append(e.required_positions(service_level=TARGET)["raw_positions"])
    return time.perf_counter() - t0, agents


def py_erlang_a(rows):
    from pyworkforce.queuing import ErlangA
    agents = []
    t0 = time.perf_counter()
    for vol, aht, pat in rows:
        e = ErlangA(transactions=vol, aht=aht / 60.0, asa=THRESHOLD_S / 60.0, interval=INTERVAL_MIN,
                    patience=pat / 60.0)
        agents.append(e.required_positions(service_level=TARGET)["raw_positions"])
    return time.perf_counter() - t0, agents


def check_with_pyworkforce(rows, py, rust):
    """Where the answers differ, pyworkforce's own ErlangA.service_level at pacta's staffing
    (n) and one agent fewer (n - 1): pacta is right by pyworkforce's own arithmetic when
    SL(n) >= target > SL(n - 1). Not timed."""
    from pyworkforce.queuing import ErlangA
    confirmed, details = 0, []
    for (vol, aht, pat), p, r in zip(rows, py, rust):
        if p == r:
            continue
        e = ErlangA(transactions=vol, aht=aht / 60.0, asa=THRESHOLD_S / 60.0, interval=INTERVAL_MIN,
                    patience=pat / 60.0)
        sl_n = e.service_level(r)
        sl_below = e.service_level(r - 1) if r > 1 else 0.0
        ok = sl_n >= TARGET > sl_below
        confirmed += ok
        details.append({"volume": vol, "aht_s": aht, "patience_s": pat, "pacta": r, "pyworkforce": p,
                        "pyworkforce_sl_at_pacta": round(sl_n, 6),
                        "pyworkforce_sl_one_fewer": round(sl_below, 6)})
    return {"confirmed": confirmed, "of": len(details), "rows": details}


def diff_summary(py, rust):
    diffs = [p - r for p, r in zip(py, rust) if p != r]
    return {"rows_compared": len(py), "disagreements": len(diffs),
            "pyworkforce_minus_pacta": sorted(set(diffs))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--a-stride", type=int, default=5000)
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()

    pw_version = ensure_pyworkforce()
    import pyworkforce.queuing as q
    has_a = hasattr(q, "ErlangA")
    exe = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")), "release", "pacta") \
        if args.skip_build else build_pacta()
    pin = shutil.which("taskset") is not None

    tmp = tempfile.mkdtemp(prefix="pacta-plan-bench-")
    rows = splitmix_rows(args.rows)
    fc_c = os.path.join(tmp, "forecast-c.csv")
    write_forecast(fc_c, rows, range(len(rows)), with_patience=False)
    a_idx = list(range(0, len(rows), args.a_stride))
    a_rows = [rows[i] for i in a_idx]
    fc_a = os.path.join(tmp, "forecast-a.csv")
    write_forecast(fc_a, rows, a_idx, with_patience=True)
    out_c = os.path.join(tmp, "plan-c.csv")
    out_a = os.path.join(tmp, "plan-a.csv")
    run_pacta(exe, fc_c, out_c, False)  # warm-up (page cache)

    t_pacta, t_pacta_1, t_py, t_pacta_a, t_py_a = [], [], [], [], []
    py_c_agents = py_a_agents = None
    for i in range(args.repeats):
        t_pacta.append(run_pacta(exe, fc_c, out_c, False))
        if pin:
            t_pacta_1.append(run_pacta(exe, fc_c, out_c, True))
        t, py_c_agents = py_erlang_c(rows)
        t_py.append(t)
        if has_a:
            t_pacta_a.append(run_pacta(exe, fc_a, out_a, False))
            t, py_a_agents = py_erlang_a(a_rows)
            t_py_a.append(t)
        print("repeat %d/%d done" % (i + 1, args.repeats), file=sys.stderr)

    med = statistics.median
    rust_c = pacta_agents(out_c, "erlang_c_agents")
    result = {
        "rows": len(rows),
        "repeats": args.repeats,
        "machine": "%s, %d cores" % (platform.machine(), os.cpu_count() or 0),
        "python": sys.version.split()[0],
        "pyworkforce_version": pw_version,
        "erlang_c": {
            "pacta_plan_s": med(t_pacta),
            "pacta_plan_one_core_s": med(t_pacta_1) if t_pacta_1 else None,
            "pyworkforce_s": med(t_py),
            "pyworkforce_us_per_row": med(t_py) / len(rows) * 1e6,
            "median_ratio_pyworkforce_over_pacta": med(p / r for p, r in zip(t_py, t_pacta)),
            "median_ratio_pyworkforce_over_pacta_one_core":
                med(p / r for p, r in zip(t_py, t_pacta_1)) if t_pacta_1 else None,
            "agreement": diff_summary(py_c_agents, rust_c),
        },
        "raw": {"pacta_plan_s": t_pacta, "pacta_plan_one_core_s": t_pacta_1, "pyworkforce_c_s": t_py},
    }
    if has_a:
        rust_a = pacta_agents(out_a, "erlang_a_agents")
        loads = [vol * aht / (INTERVAL_MIN * 60.0) for vol, aht, _ in a_rows]
        result["erlang_a"] = {
            "sample_rows": len(a_rows),
            "pacta_plan_s": med(t_pacta_a),
            "pyworkforce_s": med(t_py_a),
            "pyworkforce_s_per_row": med(t_py_a) / len(a_rows),
            "median_ratio_pyworkforce_over_pacta": med(p / r for p, r in zip(t_py_a, t_pacta_a)),
            "agreement": diff_summary(py_a_agents, rust_a),
            "rows_where_pacta_needs_fewer_agents_than_offered_load":
                sum(1 for r, a in zip(rust_a, loads) if r < a),
            "disagreements_checked_with_pyworkforce_own_service_level":
                check_with_pyworkforce(a_rows, py_a_agents, rust_a),
        }
        result["raw"].update({"pacta_plan_a_s": t_pacta_a, "pyworkforce_a_s": t_py_a})
    else:
        result["erlang_a"] = "skipped: pyworkforce %s has no ErlangA (needs 0.5.4, Python >= 3.12)" % pw_version
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
