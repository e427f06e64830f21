#!/usr/bin/env python3
"""Writes N synthetic interactions as CSV in pacta's canonical column names (simple and
self-contained; the realistic generator is `pacta gen`). Usage: gen.py N OUT.csv"""
import random, sys, datetime

n = int(sys.argv[1]); out = sys.argv[2]
rnd = random.Random(42)
queues = ["billing", "cards", "loans", "support", "sales", "retention"]
agents = [f"A{i:04d}" for i in range(800)]
outcomes = ["answered"] * 17 + ["abandoned"] * 2 + ["timeout"]
t0 = datetime.datetime(2026, 1, 1)
step = (90 * 86400) / n  # three months
with open(out, "w", buffering=1 << 22) as f:
    f.write("source_id,channel,queue,customer_key,arrived_at,outcome,wait_s,talk_s,hold_s,wrap_s,agent_key\n")
    base = t0.timestamp()
    lines = []
    for i in range(n):
        ts = datetime.datetime.fromtimestamp(base + i * step).strftime("%Y-%m-%d %H:%M:%S")
        o = outcomes[rnd.randrange(20)]
        wait = rnd.randrange(300)
        if o == "answered":
            lines.append(f"c{i},voice_in,{queues[i % 6]},+5730{rnd.randrange(10**8):08d},{ts},{o},{wait},{60 + rnd.randrange(600)},{rnd.randrange(60)},{rnd.randrange(90)},{agents[rnd.randrange(800)]}\n")
        else:
            lines.append(f"c{i},voice_in,{queues[i % 6]},+5730{rnd.randrange(10**8):08d},{ts},{o},{wait},,,,\n")
        if len(lines) == 100_000:
            f.writelines(lines); lines = []
    f.writelines(lines)
