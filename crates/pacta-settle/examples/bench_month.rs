//! Times the engine on data already in memory, like a query on a database's native table:
//! the store is read once, then every SLA of the contract is measured (`pacta_kpi`) and the
//! month settled (`settle_month`) `repeats` times. Prints JSON with the load time and the
//! median of each.
//!
//! ```sh
//! cargo run --release -p pacta-settle --example bench_month -- CONTRACT STORE 2026-10 [REPEATS]
//! ```
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use pacta_data::record_kinds::RecordKind;
use pacta_data::store::Store;
use pacta_kpi::KpiInputs;
use pacta_settle::{MonthInputs, settle_month};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (contract_path, store_path, month) = (&args[1], &args[2], &args[3]);
    let repeats: usize = args.get(4).map_or(5, |r| r.parse().expect("repeats"));
    // `kpi` as a fifth argument skips the settlement (for profiling the engine alone).
    let kpi_only = args.get(5).is_some_and(|a| a == "kpi");
    let contract = pacta_contract::parse_bytes(&std::fs::read(contract_path).expect("contract"))
        .expect("valid contract");
    let m = pacta_core::Month::parse(month).expect("YYYY-MM");
    let t = Instant::now();
    let store = Store::open(std::path::Path::new(store_path)).expect("store");
    let id = &contract.doc.contract.id;
    // Like the CLI: the source-id column is read only when a survey/QA metric needs it.
    let requests: Vec<_> = contract
        .slas()
        .iter()
        .map(pacta_kpi::KpiRequest::for_sla)
        .collect();
    let columns: Vec<&str> = pacta_data::parquet_io::COLUMNS
        .iter()
        .copied()
        .filter(|c| pacta_kpi::needs_source_ids(&requests, &[]) || *c != "source_id")
        .filter(|c| pacta_kpi::needs_first_response(&requests) || *c != "first_response_at")
        .collect();
    let table = store
        .load_interactions_columns(id, m, &columns)
        .expect("interactions");
    let interactions_s = t.elapsed().as_secs_f64();
    let rec = |k| store.load_record_rows(id, k).expect("records");
    let surveys = store.load_surveys(id).expect("surveys");
    let qa = store.load_qa(id).expect("qa");
    let roster = rec(RecordKind::Roster).roster();
    let training = rec(RecordKind::Training).training();
    let agent_days = rec(RecordKind::AgentDays).agent_days();
    let incidents = rec(RecordKind::Incidents).incidents();
    let load_s = t.elapsed().as_secs_f64();
    let data = KpiInputs {
        interactions: &table,
        surveys: &surveys,
        qa: &qa,
        roster: &roster,
        training: &training,
        agent_days: &agent_days,
        report_deliveries: &[],
        exclusion_marks: &[],
        exclusion_windows: &[],
        cells: None,
    };
    let mut kpi = Vec::new();
    let mut settle = Vec::new();
    for _ in 0..repeats {
        let t = Instant::now();
        let r = pacta_kpi::for_month_with_interval(&contract, m, &data, None, &[]).expect("kpi");
        kpi.push(t.elapsed().as_secs_f64());
        assert_eq!(r.results.len(), contract.doc.slas.len());
        if kpi_only {
            settle.push(0.0);
            continue;
        }
        let t = Instant::now();
        let s = settle_month(
            &contract,
            m,
            &MonthInputs {
                data,
                incidents: &incidents,
                history: &[],
                vendor_invoice: None,
                agreed: &[],
            },
        )
        .expect("settle");
        settle.push(t.elapsed().as_secs_f64());
        assert_eq!(s.slas.len(), contract.doc.slas.len());
    }
    println!(
        "{{\"rows\": {}, \"load_s\": {load_s:.4}, \"interactions_load_s\": {interactions_s:.4}, \"kpi_s\": {:.4}, \"settle_s\": {:.4}, \"kpi_all\": {kpi:?}, \"settle_all\": {settle:?}}}",
        table.row_count(),
        median(kpi.clone()),
        median(settle.clone())
    );
}
