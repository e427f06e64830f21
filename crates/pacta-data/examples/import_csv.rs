//! Imports a generic CSV into a store, timing each phase (used by bench/import).
//!
//! `cargo run --release -p pacta-data --example import_csv -- FILE STORE_DIR [TZ]`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::Path;
use std::time::Instant;

use pacta_data::import::{Format, ImportOptions, Mapping, import_interactions};
use pacta_data::store::{CommitOptions, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(file), Some(dir)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: import_csv FILE STORE_DIR [TZ]");
        std::process::exit(2);
    };
    let tz = jiff::tz::TimeZone::get(args.get(3).map_or("America/Bogota", String::as_str))?;
    let t0 = Instant::now();
    let store = Store::open(dir)?;
    let mapping = Mapping::from_toml("timestamp_format = \"%Y-%m-%d %H:%M:%S\"\n")?;
    let mut opts = ImportOptions::new(tz.clone(), store.pseudonymizer());
    opts.mapping = Some(&mapping);
    let out = import_interactions(Format::Csv, &[Path::new(file)], &opts)?;
    let t1 = Instant::now();
    let s = store.commit_interactions(
        "BENCH",
        &tz,
        &out.batch,
        &out.report,
        "2026-01-01T00:00:00Z".parse()?,
        &CommitOptions::default(),
    )?;
    let t2 = Instant::now();
    println!(
        "rows_read={} imported={} quarantined={} written={} parse_s={:.2} commit_s={:.2} total_s={:.2}",
        out.report.rows_read,
        out.report.imported,
        out.report.quarantined.len(),
        s.written,
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        (t2 - t0).as_secs_f64()
    );
    Ok(())
}
