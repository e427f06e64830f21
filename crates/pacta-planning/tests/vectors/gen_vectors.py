#!/usr/bin/env python3
"""Independent high-precision reference values for pacta-planning.

Writes erlang_vectors.json next to this file. Requires mpmath (`pip install mpmath`).

Erlang C: the textbook formula with the full Poisson sums at 50 digits:
    C = (A^N/N! · N/(N−A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N−A)),
    SL = 1 − C·exp(−(N−A)·T/AHT), ASA = C·AHT/(N−A).

Erlang A (M/M/N+M): deliberately NOT the incomplete-gamma closed form the Rust code uses.
  * Stationary distribution of the birth–death chain (birth λ, death min(k,N)μ + max(k−N,0)θ),
    truncated where the remaining tail is below 1e−45 of the mass.
  * A caller arriving (PASTA) with j callers waiting ahead is followed as a small absorbing
    Markov chain: phase i (i = j … 0) ends at rate Nμ + iθ (a service completion or an
    abandonment ahead), and he abandons at rate θ. P(answered within t) and
    P(abandoned within t) come from uniformisation of that chain (Poisson-weighted powers of
    the one-step matrix), summed until the Poisson tail is below 1e−40.
  * E[wait · 1{answered} | j] by first-step analysis.
All at mp.dps = 50. Minimal staffing is found by scanning N from 1 (Erlang A) or ⌊A⌋+1
(Erlang C) upward with exact comparisons; the script checks that no result sits within 1e−9
of its target, so the Rust code's 1e−12 comparison tolerance cannot change an answer.

Run:  python3 gen_vectors.py        (takes about a minute)
"""

import json
import os
import sys
import time
from fractions import Fraction

from mpmath import mp, mpf, exp, floor

mp.dps = 50

HERE = os.path.dirname(os.path.abspath(__file__))


# ----------------------------------------------------------------------------- Erlang C
def erlang_c(A, N, aht, T):
    if N <= A:
        return None
    term = mpf(1)
    s = mpf(0)
    for k in range(N):
        s += term
        term = term * A / (k + 1)
    top = term * N / (N - A)  # A^N/N! · N/(N−A)
    C = top / (s + top)
    sl = 1 - C * exp(-(N - A) * mpf(T) / aht)
    asa = C * aht / (N - A)
    return {"p_wait": C, "service_level": sl, "asa_s": asa, "occupancy": A / N}


def erlang_c_required(case):
    A = load(case)
    A_exact = load_exact(case)
    aht = mpf(case["aht_s"])
    T = case["threshold_s"]
    tgt = mpf(case["target_share"])
    N = int(floor(A)) + 1
    margins = []
    while True:
        m = erlang_c(A, N, aht, T)
        ok = m["service_level"] >= tgt
        margins.append(abs(m["service_level"] - tgt))
        if case.get("max_asa_s") is not None:
            ok = ok and m["asa_s"] <= case["max_asa_s"]
            margins.append(abs(m["asa_s"] - case["max_asa_s"]) / case["max_asa_s"])
        if case.get("max_occupancy") is not None:
            occ = Fraction(str(case["max_occupancy"]))
            ok = ok and A_exact <= occ * N
        if ok:
            return N, m, margins
        N += 1


# ----------------------------------------------------------------------------- Erlang A
def stationary(lam, mu, theta, N):
    """Truncated stationary distribution p_0 .. p_{N+J}."""
    q = [mpf(1)]
    A = lam / mu
    for k in range(1, N + 1):
        q.append(q[-1] * A / k)
    total = sum(q)
    j = 0
    while True:
        j += 1
        q.append(q[-1] * lam / (N * mu + j * theta))
        total += q[-1]
        r = lam / (N * mu + (j + 1) * theta)
        if r < 1 and q[-1] * r / (1 - r) < mpf(10) ** -45 * total:
            break
    return [x / total for x in q]


def poisson_weights(rate_t, tol=mpf(10) ** -40):
    w = []
    pk = exp(-rate_t)
    cum = mpf(0)
    k = 0
    while True:
        w.append(pk)
        cum += pk
        if k > rate_t and 1 - cum < tol:
            return w
        k += 1
        pk = pk * rate_t / k


def tagged_within(N, mu, theta, J, times):
    """For each t in times: (fS, fA) lists over j = 0..J of P(answered by t), P(abandoned by t)."""
    rates = [N * mu + i * theta for i in range(J + 1)]
    Lam = rates[-1] + theta
    weights = {t: poisson_weights(Lam * t) for t in times}
    K = max(len(w) for w in weights.values())
    fS = [mpf(0)] * (J + 1)
    fA = [mpf(0)] * (J + 1)
    accS = {t: [mpf(0)] * (J + 1) for t in times}
    accA = {t: [mpf(0)] * (J + 1) for t in times}
    adv = [r / Lam for r in rates]
    stay = [1 - (r + theta) / Lam for r in rates]
    ab = theta / Lam
    for k in range(K):
        for t in times:
            w = weights[t]
            if k < len(w):
                wk = w[k]
                aS, aA = accS[t], accA[t]
                for i in range(J + 1):
                    aS[i] += wk * fS[i]
                    aA[i] += wk * fA[i]
        nS = [adv[i] * (fS[i - 1] if i > 0 else 1) + stay[i] * fS[i] for i in range(J + 1)]
        nA = [adv[i] * (fA[i - 1] if i > 0 else 0) + ab + stay[i] * fA[i] for i in range(J + 1)]
        fS, fA = nS, nA
    return {t: (accS[t], accA[t]) for t in times}


def erlang_a(case, N):
    lam = mpf(case["volume"]) / case["interval_s"]
    mu = 1 / mpf(case["aht_s"])
    theta = 1 / mpf(case["patience_s"])
    T = case["threshold_s"]
    S = case.get("short_abandon_s", 5.0)
    p = stationary(lam, mu, theta, N)
    J = len(p) - 1 - N
    pq = p[N:]  # pq[j] = P(arrival finds j waiting, all agents busy)
    p_immediate = sum(p[:N])
    # P(answered eventually | j), E[W·1{answered} | j]
    f_prev, g_prev = mpf(1), mpf(0)
    f, g = [], []
    for i in range(J + 1):
        r = N * mu + i * theta
        pi = r / (r + theta)
        gi = pi * (f_prev / (r + theta) + g_prev)
        fi = pi * f_prev
        f.append(fi)
        g.append(gi)
        f_prev, g_prev = fi, gi
    p_ans_wait = sum(pq[j] * f[j] for j in range(J + 1))
    p_answered = p_immediate + p_ans_wait
    p_abandon = sum(pq[j] * (1 - f[j]) for j in range(J + 1))
    ew = sum(pq[j] * g[j] for j in range(J + 1))
    times = sorted({t for t in (T, S) if t > 0})
    tw = tagged_within(N, mu, theta, J, times) if times else {}

    def within(t):
        if t == 0:
            return p_immediate, mpf(0)
        fS, fA = tw[t]
        return (p_immediate + sum(pq[j] * fS[j] for j in range(J + 1)),
                sum(pq[j] * fA[j] for j in range(J + 1)))

    a_t, ab_t = within(T)
    _, ab_s = within(S)
    return {
        "p_wait": sum(pq),
        "p_abandon": p_abandon,
        "p_answered": p_answered,
        "p_answered_within": a_t,
        "p_abandon_within": ab_t,
        "p_abandon_within_short": ab_s,
        "service_level_answered": a_t / p_answered,
        "p_wait_within": a_t + ab_t,
        "asa_answered_s": ew / p_answered,
        "occupancy": lam * p_answered / mu / N,
    }


def sl_variant(m, variant):
    a_t = m["p_answered_within"]
    if variant == "answered_only":
        return a_t / m["p_answered"]
    if variant == "abandons_against":
        return a_t
    if variant in ("abandons_within_met", "offered"):
        return a_t + m["p_abandon_within"]
    if variant == "abandons_after_threshold":
        return a_t / (1 - m["p_abandon_within"])
    if variant == "exclude_short_abandons":
        return a_t / (1 - m["p_abandon_within_short"])
    raise ValueError(variant)


def erlang_a_required(case):
    tgt = mpf(case["target_share"])
    margins = []
    N = 1
    while True:
        m = erlang_a(case, N)
        sl = sl_variant(m, case["variant"])
        ok = sl >= tgt
        margin = [abs(sl - tgt)]
        if case.get("max_abandon_share") is not None:
            ok = ok and m["p_abandon"] <= case["max_abandon_share"]
            margin.append(abs(m["p_abandon"] - case["max_abandon_share"]))
        if case.get("max_asa_s") is not None:
            ok = ok and m["asa_answered_s"] <= case["max_asa_s"]
            margin.append(abs(m["asa_answered_s"] - case["max_asa_s"]) / case["max_asa_s"])
        if case.get("max_occupancy") is not None:
            ok = ok and m["occupancy"] <= case["max_occupancy"]
            margin.append(abs(m["occupancy"] - case["max_occupancy"]))
        margins.extend(margin)
        if ok:
            return N, m, margins
        N += 1


# ----------------------------------------------------------------------------- cases
def load(case):
    return mpf(case["volume"]) * case["aht_s"] / case["interval_s"]


def load_exact(case):
    return Fraction(str(case["volume"])) * Fraction(str(case["aht_s"])) / Fraction(str(case["interval_s"]))


ERLANG_C_CASES = [
    # name, volume, interval_s, aht_s, threshold_s, target_share, extra
    ("r_erlangc_example", 100, 1800, 180, 20, 0.8, {}),
    ("tiny_1_call", 1, 1800, 180, 20, 0.8, {}),
    ("small_10_calls", 10, 1800, 300, 30, 0.8, {}),
    ("fractional_volume_asa_cap", 37.5, 1800, 200, 15, 0.85, {"max_asa_s": 10.0}),
    ("mid_250", 250, 1800, 240, 20, 0.8, {}),
    ("mid_400_occupancy_cap", 400, 1800, 360, 20, 0.8, {"max_occupancy": 0.85}),
    ("occupancy_2_1_erlang", 21, 1800, 180, 20, 0.5, {"max_occupancy": 0.7}),
    ("threshold_zero", 120, 900, 150, 0, 0.5, {}),
    ("hourly_3000", 3000, 3600, 500, 10, 0.7, {}),
    ("large_1000", 1000, 1800, 300, 20, 0.8, {}),
    ("large_5000_aht180", 5000, 1800, 180, 20, 0.8, {}),
    ("large_5000_aht300", 5000, 1800, 300, 20, 0.8, {}),
    ("large_5000_aht450_asa5", 5000, 1800, 450, 20, 0.8, {"max_asa_s": 5.0}),
    ("large_5000_aht600", 5000, 1800, 600, 30, 0.9, {}),
    ("large_5000_per_15min_aht420", 5000, 900, 420, 60, 0.95, {}),
    ("high_target_99", 800, 1800, 270, 45, 0.99, {}),
]

# Erlang A cases: metrics at fixed staffings, plus (when search=True) the minimal staffing.
ERLANG_A_CASES = [
    # name, volume, interval_s, aht_s, patience_s, threshold_s, target, variant, extra, fixed N, search
    ("r_example_patience60", 100, 1800, 180, 60, 20, 0.8, "abandons_against", {}, [9, 10, 14], True),
    ("r_example_answered_only", 100, 1800, 180, 60, 20, 0.8, "answered_only", {}, [12], True),
    ("impatient_below_load", 100, 1800, 180, 10, 20, 0.8, "answered_only", {}, [5, 8], True),
    ("impatient_abandon_cap", 100, 1800, 180, 10, 20, 0.8, "abandons_within_met",
     {"max_abandon_share": 0.3}, [8], True),
    ("exclude_short", 100, 1800, 180, 120, 20, 0.8, "exclude_short_abandons",
     {"short_abandon_s": 5.0}, [11], True),
    ("after_threshold", 250, 1800, 240, 90, 20, 0.8, "abandons_after_threshold", {}, [33], True),
    ("within_met_asa_cap", 250, 1800, 240, 90, 30, 0.85, "abandons_within_met",
     {"max_asa_s": 8.0}, [30], True),
    ("occupancy_cap", 40, 1800, 300, 60, 20, 0.6, "abandons_against", {"max_occupancy": 0.8}, [7], True),
    ("mid_1000", 1000, 1800, 300, 180, 20, 0.8, "abandons_against", {}, [160, 175], True),
    ("large_5000_aht300", 5000, 1800, 300, 120, 20, 0.8, "abandons_against", {}, [820, 850], False),
    ("large_5000_aht180", 5000, 1800, 180, 60, 20, 0.8, "answered_only", {}, [500, 510], False),
    ("large_5000_aht600", 5000, 1800, 600, 300, 30, 0.9, "abandons_after_threshold",
     {"short_abandon_s": 10.0}, [1650, 1690], False),
]


def f(x):
    return float(x)


def main():
    started = time.time()
    out = {
        "generator": "tests/vectors/gen_vectors.py (mpmath %s, dps %d)" % (mp.__version__ if hasattr(mp, "__version__") else "", mp.dps),
        "erlang_c": [],
        "erlang_a": [],
    }
    import mpmath
    out["generator"] = "tests/vectors/gen_vectors.py (mpmath %s, dps %d)" % (mpmath.__version__, mp.dps)
    worst = 1.0
    for name, vol, iv, aht, T, tgt, extra in ERLANG_C_CASES:
        case = {"volume": vol, "interval_s": iv, "aht_s": aht, "threshold_s": T, "target_share": tgt, **extra}
        N, m, margins = erlang_c_required(case)
        worst = min(worst, min(margins))
        A = load(case)
        at = {k: f(v) for k, v in m.items()}
        prev = erlang_c(A, N - 1, mpf(aht), T)
        out["erlang_c"].append({
            "name": name, **case,
            "offered_load": f(A),
            "required_agents": N,
            "at_required": at,
            "at_required_minus_one": None if prev is None else {k: f(v) for k, v in prev.items()},
        })
        print("C %-32s A=%9.3f N=%5d SL=%.10f" % (name, f(A), N, at["service_level"]), file=sys.stderr)
    for name, vol, iv, aht, pat, T, tgt, variant, extra, fixed, search in ERLANG_A_CASES:
        case = {"volume": vol, "interval_s": iv, "aht_s": aht, "patience_s": pat, "threshold_s": T,
                "target_share": tgt, "variant": variant, **extra}
        entry = {"name": name, **case, "offered_load": f(load(case)), "at": []}
        for N in fixed:
            m = erlang_a(case, N)
            entry["at"].append({"agents": N, "service_level": f(sl_variant(m, variant)),
                                **{k: f(v) for k, v in m.items()}})
        if search:
            N, m, margins = erlang_a_required(case)
            worst = min(worst, min(margins))
            entry["required_agents"] = N
            entry["at_required"] = {"agents": N, "service_level": f(sl_variant(m, variant)),
                                    **{k: f(v) for k, v in m.items()}}
        else:
            entry["required_agents"] = None
        out["erlang_a"].append(entry)
        print("A %-32s A=%9.3f N=%s (%.0fs)" % (name, f(load(case)), entry["required_agents"],
                                                 time.time() - started), file=sys.stderr)
    worst = float(worst)
    if worst < 1e-9:
        sys.exit("a result lies within 1e-9 of its target (%g); choose another case" % worst)
    out["closest_margin_to_target"] = float(worst)
    with open(os.path.join(HERE, "erlang_vectors.json"), "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    print("wrote erlang_vectors.json in %.0f s (closest margin %.3g)" % (time.time() - started, worst),
          file=sys.stderr)


if __name__ == "__main__":
    main()
