//! Staffing benchmark: Erlang C for 100,000 interval×queue rows, Erlang A for a sample.
//!
//! Rows come from a deterministic generator (SplitMix64, seed 42): volume 1–5,000 calls per
//! 30 minutes, AHT 120–600 s, mean patience 30–300 s; target 80 % answered within 20 s
//! (`abandons_against` under Erlang A).
//!
//! ```text
//! cargo build --release --example bench_staffing -p pacta-planning
//! target/release/examples/bench_staffing [--rows N] [--c-stride K] [--a-stride K]
//!                                        [--write-rows rows.csv] [--agents-out agents.json]
//! ```
//!
//! Prints one JSON object with timings. `--c-stride`/`--a-stride` choose the sampled rows
//! (every K-th row) used for the Erlang C subset timing and for Erlang A, so a reference
//! implementation can be timed on exactly the same rows (`bench/planning/bench_erlang.py`).

// A benchmark binary reports on stdout.
#![allow(clippy::print_stdout)]

use std::fmt::Write as _;
use std::time::Instant;

use pacta_planning::{ErlangA, ErlangC, ServiceLevelVariant, ServiceTarget};

struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[derive(Clone, Copy)]
struct Row {
    volume: u32,
    aht_s: u32,
    patience_s: u32,
}

fn rows(n: usize) -> Vec<Row> {
    let mut rng = SplitMix64(42);
    (0..n)
        .map(|_| Row {
            volume: 1 + (rng.next_u64() % 5000) as u32,
            aht_s: 120 + (rng.next_u64() % 481) as u32,
            patience_s: 30 + (rng.next_u64() % 271) as u32,
        })
        .collect()
}

const INTERVAL_S: f64 = 1800.0;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut n_rows = 100_000usize;
    let mut c_stride = 50usize;
    let mut a_stride = 100usize;
    let mut write_rows: Option<String> = None;
    let mut agents_out: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--rows" => n_rows = val()?.parse()?,
            "--c-stride" => c_stride = val()?.parse()?,
            "--a-stride" => a_stride = val()?.parse()?,
            "--write-rows" => write_rows = Some(val()?),
            "--agents-out" => agents_out = Some(val()?),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let data = rows(n_rows);
    if let Some(path) = &write_rows {
        let mut s = String::from("volume,aht_s,patience_s\n");
        for r in &data {
            writeln!(s, "{},{},{}", r.volume, r.aht_s, r.patience_s)?;
        }
        std::fs::write(path, s)?;
    }
    let target = ServiceTarget::new(20.0, 0.8, ServiceLevelVariant::AbandonsAgainst);

    // Erlang C, every row.
    let t0 = Instant::now();
    let mut checksum_c = 0u64;
    for r in &data {
        let q = ErlangC::new(f64::from(r.volume), INTERVAL_S, f64::from(r.aht_s))?;
        checksum_c += u64::from(q.required_agents(&target)?.agents);
    }
    let c_all = t0.elapsed().as_secs_f64();

    // Erlang C, the sampled rows only.
    let c_rows: Vec<Row> = data.iter().copied().step_by(c_stride.max(1)).collect();
    let t0 = Instant::now();
    let mut c_agents = Vec::with_capacity(c_rows.len());
    for r in &c_rows {
        let q = ErlangC::new(f64::from(r.volume), INTERVAL_S, f64::from(r.aht_s))?;
        c_agents.push(q.required_agents(&target)?.agents);
    }
    let c_sample = t0.elapsed().as_secs_f64();

    // Erlang A, the sampled rows.
    let a_rows: Vec<Row> = data.iter().copied().step_by(a_stride.max(1)).collect();
    let t0 = Instant::now();
    let mut a_agents = Vec::with_capacity(a_rows.len());
    for r in &a_rows {
        let q = ErlangA::new(
            f64::from(r.volume),
            INTERVAL_S,
            f64::from(r.aht_s),
            f64::from(r.patience_s),
        )?;
        a_agents.push(q.required_agents(&target)?.agents);
    }
    let a_sample = t0.elapsed().as_secs_f64();

    if let Some(path) = &agents_out {
        let list = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        std::fs::write(
            path,
            format!(
                "{{\"erlang_c\":[{}],\"erlang_a\":[{}]}}\n",
                list(&c_agents),
                list(&a_agents)
            ),
        )?;
    }
    println!(
        "{{\"rows\":{n_rows},\"erlang_c_all_s\":{c_all:.6},\"erlang_c_us_per_row\":{:.3},\
         \"erlang_c_checksum_agents\":{checksum_c},\"c_stride\":{c_stride},\"erlang_c_sample_rows\":{},\
         \"erlang_c_sample_s\":{c_sample:.6},\"a_stride\":{a_stride},\"erlang_a_sample_rows\":{},\
         \"erlang_a_sample_s\":{a_sample:.6},\"erlang_a_us_per_row\":{:.3}}}",
        c_all / n_rows as f64 * 1e6,
        c_rows.len(),
        a_rows.len(),
        a_sample / a_rows.len().max(1) as f64 * 1e6,
    );
    Ok(())
}
