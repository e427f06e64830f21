//! Times the generator: `cargo run --release -p pacta-gen --example gen_bench -- ROWS [csv-path]`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let rows: u64 = args.next().map_or(Ok(10_000_000), |s| s.parse())?;
    let out = args.next();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/bank-inbound-manila.toml"
    ))?;
    let contract = pacta_contract::parse_str(&text).map_err(|e| format!("{} errors", e.len()))?;
    let opts = pacta_gen::GenOptions::new(ym(2026, 3), rows);
    let mut w: Option<std::io::BufWriter<std::fs::File>> = match &out {
        Some(p) => Some(std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(p)?,
        )),
        None => None,
    };
    if let Some(w) = w.as_mut() {
        pacta_gen::csv::write_interactions_header(w)?;
    }
    let start = Instant::now();
    let mut tally = pacta_gen::Tally::default();
    let mut max_chunk = 0;
    let rest = pacta_gen::generate_chunked(&contract, &opts, |c| {
        tally.add(c.interactions);
        max_chunk = max_chunk.max(c.interactions.len());
        match w.as_mut() {
            Some(w) => pacta_gen::csv::write_interactions_rows(w, c.interactions),
            None => Ok(()),
        }
    })?;
    if let Some(w) = w.as_mut() {
        w.flush()?;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} rows in {secs:.2} s ({:.2} M rows/s), largest chunk {max_chunk}; SL {:.1} %, abandonment {:.2} %; {} agents, {} agent days",
        tally.offered_all,
        tally.offered_all as f64 / secs / 1e6,
        tally.service_level().unwrap_or(f64::NAN),
        tally.abandonment().unwrap_or(f64::NAN),
        rest.roster.len(),
        rest.agent_days.len()
    );
    Ok(())
}

/// A month, for tests.
fn ym(year: i16, month: i8) -> pacta_core::Month {
    pacta_core::Month::new(year, month).expect("a valid month")
}
