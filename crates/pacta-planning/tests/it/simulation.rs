//! Erlang A against a discrete-event simulation of M/M/N+M (FCFS, exponential patience).
//!
//! Each caller in arrival order takes the earliest free agent if he is still there when it
//! frees up (the Kiefer–Wolfowitz workload recursion, exact for FCFS with patience); otherwise
//! he hangs up after his patience. A seeded SplitMix64 generator makes the run reproducible.
//!
//! Confidence intervals: successive callers in a queue are strongly correlated, so the plain
//! binomial normal-approximation interval p ± z·√(p(1−p)/n) is far too narrow (in the larger
//! system the effective sample size is 10–50× smaller than the number of callers, and a
//! 200,000-caller run with a correct model lands outside the binomial interval). The
//! assertion therefore uses a batch-means interval: 20 consecutive batches after a warm-up,
//! mean ± t·s/√20 with the 99 % two-sided Student quantile t(19) = 2.861. That is the
//! binomial normal approximation with the effective sample size n_eff = p(1−p)/Var(p̂)
//! (printed) in place of n. The plain binomial half-width is printed alongside.

// The comparison table is printed for `cargo test -- --nocapture`; it is diagnostics only.
#![allow(clippy::print_stdout)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use pacta_planning::{ErlangA, ErlangAMetrics};

struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on (0, 1].
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn exp(&mut self, mean: f64) -> f64 {
        -mean * self.uniform().ln()
    }
}

#[derive(Default, Clone, Copy)]
struct Counts {
    offered: f64,
    answered: f64,
    answered_within_t: f64,
    abandoned: f64,
    abandoned_within_s: f64,
    answered_wait_sum: f64,
}

struct Case {
    name: &'static str,
    volume: f64,
    aht_s: f64,
    patience_s: f64,
    agents: u32,
    seed: u64,
    callers: usize,
}

const INTERVAL_S: f64 = 1800.0;
const T: f64 = 20.0;
const S: f64 = 5.0;
const BATCHES: usize = 20;
/// Student t quantile, 99 % two-sided, 19 degrees of freedom.
const T99: f64 = 2.861;
/// Normal quantile, 99 % two-sided (for the printed plain binomial interval).
const Z99: f64 = 2.576;

fn simulate(c: &Case) -> Vec<Counts> {
    let mut rng = SplitMix64(c.seed);
    let lambda = c.volume / INTERVAL_S;
    // Free times of the agents; non-negative f64 bit patterns order like the numbers.
    let mut free: BinaryHeap<Reverse<u64>> =
        (0..c.agents).map(|_| Reverse(0f64.to_bits())).collect();
    let warmup = c.callers / 20;
    let per_batch = (c.callers - warmup) / BATCHES;
    let mut batches = vec![Counts::default(); BATCHES];
    let mut t = 0.0;
    for i in 0..c.callers {
        t += rng.exp(1.0 / lambda);
        let patience = rng.exp(c.patience_s);
        let service = rng.exp(c.aht_s);
        let Some(&Reverse(earliest_bits)) = free.peek() else {
            unreachable!("agents > 0")
        };
        let start = t.max(f64::from_bits(earliest_bits));
        let wait = start - t;
        let answered = wait <= patience;
        if answered {
            free.pop();
            free.push(Reverse((start + service).to_bits()));
        }
        if i < warmup {
            continue;
        }
        let b = &mut batches[((i - warmup) / per_batch).min(BATCHES - 1)];
        b.offered += 1.0;
        if answered {
            b.answered += 1.0;
            b.answered_wait_sum += wait;
            if wait <= T {
                b.answered_within_t += 1.0;
            }
        } else {
            b.abandoned += 1.0;
            if patience <= S {
                b.abandoned_within_s += 1.0;
            }
        }
    }
    batches
}

/// Checks `analytic` against a ratio estimated per batch as num/den.
fn check(
    name: &str,
    what: &str,
    analytic: f64,
    batches: &[Counts],
    num: fn(&Counts) -> f64,
    den: fn(&Counts) -> f64,
) {
    let total_num: f64 = batches.iter().map(num).sum();
    let total_den: f64 = batches.iter().map(den).sum();
    let p = total_num / total_den;
    let k = batches.len() as f64;
    let values: Vec<f64> = batches.iter().map(|b| num(b) / den(b)).collect();
    let mean = values.iter().sum::<f64>() / k;
    let var_of_mean = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1.0) / k;
    let half_batch = T99 * var_of_mean.sqrt();
    let half_binomial = Z99 * (p * (1.0 - p) / total_den).sqrt();
    let n_eff = p * (1.0 - p) / var_of_mean;
    println!(
        "{name:<24} {what:<22} analytic {analytic:.5}  simulated {p:.5}  99% CI ±{half_batch:.5} \
         (plain binomial ±{half_binomial:.5}, n = {total_den:.0}, effective n ≈ {n_eff:.0})"
    );
    assert!(
        (analytic - p).abs() <= half_batch,
        "{name}: {what} analytic {analytic} outside simulated {p} ± {half_batch}"
    );
}

fn run(c: &Case) {
    let q = ErlangA::new(c.volume, INTERVAL_S, c.aht_s, c.patience_s).expect("valid");
    let m: ErlangAMetrics = q.metrics(c.agents, T, S);
    let batches = simulate(c);
    check(
        c.name,
        "P(abandon)",
        m.p_abandon,
        &batches,
        |b| b.abandoned,
        |b| b.offered,
    );
    check(
        c.name,
        "A<=T / offered",
        m.p_answered_within,
        &batches,
        |b| b.answered_within_t,
        |b| b.offered,
    );
    check(
        c.name,
        "A<=T / A",
        m.service_level_answered.expect("answered"),
        &batches,
        |b| b.answered_within_t,
        |b| b.answered,
    );
    check(
        c.name,
        "Ab<=S / offered",
        m.p_abandon_within_short,
        &batches,
        |b| b.abandoned_within_s,
        |b| b.offered,
    );
    // ASA of answered callers, with the same batch-means interval (not a proportion).
    let k = batches.len() as f64;
    let vals: Vec<f64> = batches
        .iter()
        .map(|b| b.answered_wait_sum / b.answered)
        .collect();
    let mean = vals.iter().sum::<f64>() / k;
    let sd_mean = (vals.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (k - 1.0) / k).sqrt();
    let asa = m.asa_answered_s.expect("answered");
    println!(
        "{:<24} {:<22} analytic {asa:.4}  simulated {mean:.4}  99% CI ±{:.4}",
        c.name,
        "ASA answered (s)",
        T99 * sd_mean
    );
    assert!(
        (asa - mean).abs() <= T99 * sd_mean,
        "{}: ASA {asa} vs {mean} ± {}",
        c.name,
        T99 * sd_mean
    );
}

#[test]
fn understaffed_below_load() {
    // A = 10 Erlang, 9 agents: only abandonment keeps the queue stable.
    run(&Case {
        name: "A=10 N=9 patience 60",
        volume: 100.0,
        aht_s: 180.0,
        patience_s: 60.0,
        agents: 9,
        seed: 1,
        callers: 200_000,
    });
}

#[test]
fn staffed_to_target() {
    run(&Case {
        name: "A=10 N=12 patience 60",
        volume: 100.0,
        aht_s: 180.0,
        patience_s: 60.0,
        agents: 12,
        seed: 2,
        callers: 200_000,
    });
}

#[test]
fn impatient_callers() {
    run(&Case {
        name: "A=10 N=5 patience 10",
        volume: 100.0,
        aht_s: 180.0,
        patience_s: 10.0,
        agents: 5,
        seed: 3,
        callers: 200_000,
    });
}

#[test]
fn larger_system() {
    // Correlation times grow with the system: 200,000 callers are not enough for an honest
    // interval here (effective n ≈ 15,000), so this case simulates 2,000,000.
    run(&Case {
        name: "A=166.7 N=160 pat 180",
        volume: 1000.0,
        aht_s: 300.0,
        patience_s: 180.0,
        agents: 160,
        seed: 4,
        callers: 2_000_000,
    });
}
