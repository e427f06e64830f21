#!/usr/bin/env python3
"""A bounded load test of `pacta serve` on loopback.

    python3 bench/server/load.py [--bin target/release/pacta] [--rows 300000]
                                 [--readers 50] [--seconds 20] [--import-rows 100000]

It builds the demo's store (`pacta demo`), generates a second month of interactions
(`pacta gen`), serves the store, and then, at the same time:
  * READERS threads (the client's vendor manager, signed in with an API key) read the
    October scorecard page and the settlement JSON in a loop;
  * one provider upload imports November's interactions through the API;
  * one settle of October through the API saves the next version.
It prints throughput, p50/p99 latency and errors (the run fails on any), the import's and
the settle's times, and then checks the store: every generated November row is there
exactly once (no lost row, no doubled row), and the store verifies.
Machines have 2 cores: the server and the readers share them.
"""
import argparse
import csv
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

CONTRACT = "AFB-MNL-2026"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def run(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def request(port, method, path, key, body=None, content_type=None, timeout=600):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Authorization": f"Bearer {key}"}
    if content_type:
        headers["Content-Type"] = content_type
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


def percentile(sorted_values, q):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * q // 100))
    return sorted_values[int(rank) - 1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default="target/release/pacta")
    p.add_argument("--rows", type=int, default=300_000)
    p.add_argument("--import-rows", type=int, default=100_000)
    p.add_argument("--readers", type=int, default=50)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    a = p.parse_args()
    binary = os.path.realpath(a.bin)
    work = tempfile.mkdtemp(prefix="pacta-load-")
    store = os.path.join(work, "store")
    server = None
    try:
        run(binary, "demo", "--out", os.path.join(work, "demo"), "--store", store,
            "--rows", str(a.rows))
        contract = os.path.join(work, "demo", "contract.toml")
        nov = os.path.join(work, "nov")
        run(binary, "gen", "--contract", contract, "--month", "2026-11",
            "--rows", str(a.import_rows), "--seed", "7", "--out", nov)
        nov_csv = os.path.join(nov, "interactions.csv")
        with open(nov_csv, newline="") as f:
            nov_ids = [row["source_id"] for row in csv.DictReader(f)]
        keys = {}
        for user in ("carla", "pedro"):
            keys[user] = run(binary, "token", "create", "--user", user, "--label", "load",
                             "--store", store).stdout.strip()
        port = free_port()
        log = open(os.path.join(work, "server.log"), "w")
        server = subprocess.Popen([binary, "serve", "--addr", f"127.0.0.1:{port}",
                                   "--store", store], stdout=log, stderr=log)
        deadline = time.time() + 30
        while True:
            try:
                if request(port, "GET", "/api/openapi.json", keys["carla"])[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                sys.exit("load: the server did not start")
            time.sleep(0.1)

        stop = threading.Event()
        latencies = []
        errors = []
        lock = threading.Lock()
        month_page = f"/contracts/{CONTRACT}/months/2026-10"
        settlement = f"/api/contracts/{CONTRACT}/months/2026-10/settlement"

        def reader(n):
            mine, bad = [], []
            i = 0
            while not stop.is_set():
                path = month_page if (i + n) % 2 == 0 else settlement
                i += 1
                t0 = time.perf_counter()
                try:
                    status, _ = request(port, "GET", path, keys["carla"], timeout=60)
                except OSError as e:
                    status = f"{type(e).__name__}: {e}"
                mine.append(time.perf_counter() - t0)
                if status != 200:
                    bad.append((path, status))
            with lock:
                latencies.extend(mine)
                errors.extend(bad)

        writes = {}

        def importer():
            query = urllib.parse.urlencode({"kind": "interactions", "filename": "interactions-2026-11.csv"})
            with open(nov_csv, "rb") as f:
                body = f.read()
            t0 = time.perf_counter()
            status, data = request(port, "POST", f"/api/contracts/{CONTRACT}/imports?{query}",
                                   keys["pedro"], body=body, content_type="text/csv")
            writes["import"] = (status, time.perf_counter() - t0, data)

        def settler():
            t0 = time.perf_counter()
            status, data = request(port, "POST",
                                   f"/api/contracts/{CONTRACT}/months/2026-10/settle",
                                   keys["carla"], body=b"{}", content_type="application/json")
            writes["settle"] = (status, time.perf_counter() - t0, data)

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(a.readers)]
        t_start = time.perf_counter()
        for t in threads:
            t.start()
        time.sleep(min(1.0, a.seconds / 10))
        w = [threading.Thread(target=importer), threading.Thread(target=settler)]
        for t in w:
            t.start()
        for t in w:
            t.join()
        remaining = a.seconds - (time.perf_counter() - t_start)
        if remaining > 0:
            time.sleep(remaining)
        stop.set()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t_start

        failures = []
        for name, (status, took, data) in sorted(writes.items()):
            ok = status in (200, 201)
            print(f"{name}: HTTP {status} in {took:.2f} s")
            if ok and name == "import":
                report = json.loads(data)
                print(f"  imported {report['imported']}, quarantined "
                      f"{len(report['quarantined'])}, batch {report['batch']}")
                if report["imported"] + len(report["quarantined"]) != len(nov_ids):
                    failures.append(f"the import report does not account for every row: "
                                    f"{report['imported']} + {len(report['quarantined'])} "
                                    f"!= {len(nov_ids)}")
            if not ok:
                failures.append(f"{name} answered {status}: {data[:300]!r}")
        lat = sorted(latencies)
        print(f"readers: {a.readers}, requests: {len(lat)}, elapsed: {elapsed:.1f} s, "
              f"throughput: {len(lat) / elapsed:.0f} req/s")
        print(f"latency p50: {percentile(lat, 50) * 1000:.1f} ms, "
              f"p99: {percentile(lat, 99) * 1000:.1f} ms, max: {lat[-1] * 1000:.1f} ms")
        print(f"errors: {len(errors)}")
        if errors:
            failures.append(f"{len(errors)} reader errors, first: {errors[:3]}")

        # No lost and no doubled row: every generated November id is in the store once.
        out = os.path.join(work, "export")
        run(binary, "store", "export", "--store", store, "--format", "csv", "--output", out)
        counts = {}
        for root, _, files in os.walk(out):
            for name in files:
                if "interactions" not in name:
                    continue
                with open(os.path.join(root, name), newline="") as f:
                    for row in csv.DictReader(f):
                        i = row["source_id"]
                        counts[i] = counts.get(i, 0) + 1
        lost = sum(1 for i in nov_ids if counts.get(i, 0) == 0)
        doubled = sum(1 for c in counts.values() if c > 1)
        print(f"rows: November generated {len(nov_ids)}, lost {lost}, doubled ids {doubled}")
        if lost or doubled:
            failures.append(f"{lost} lost and {doubled} doubled rows")
        run(binary, "store", "verify", "--store", store)
        print("store verify: ok")
        if failures:
            sys.exit("load: FAILED: " + "; ".join(failures))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if a.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
