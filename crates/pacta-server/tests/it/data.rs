//! A Parquet store with data for contract A, for the routes that settle, close, verify,
//! measure and import: September 2026 generated and imported for contracts A and B, saved
//! (version 1; B's also closed), and November's files kept as upload examples.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use pacta_core::Month;
use pacta_db::Db;
use pacta_ops::import::{ImportKind, ImportRequest};
use pacta_ops::record::{Recorder, SaveTo};

use crate::tenants::{CONTRACT_A, CONTRACT_B, contract_text};

/// The month with data, saved once at setup.
pub const DATA_MONTH: &str = "2026-09";
/// Interactions generated for it.
pub const DATA_ROWS: u64 = 400;

/// The store and the files an upload sends.
pub struct StoreData {
    /// Removed on drop.
    _dir: tempfile::TempDir,
    /// The store directory.
    pub store_dir: PathBuf,
    /// November's surveys, CSV.
    pub surveys: Vec<u8>,
    /// November's interactions, CSV.
    pub interactions: Vec<u8>,
    /// The evidence file of a provider obligation fulfilled at setup, of A and of B.
    pub evidence: [(String, Vec<u8>); 2],
}

impl StoreData {
    /// The hash of the contract's evidence file.
    pub fn evidence_of(&self, contract: &str) -> String {
        let i = usize::from(contract != CONTRACT_A);
        self.evidence[i].0.clone()
    }
}

pub fn contract_a() -> pacta_contract::Contract {
    pacta_contract::parse_str(&contract_text(CONTRACT_A)).expect("contract A")
}

/// Generates `month` for contract A into `dir`.
fn generate(dir: &std::path::Path, month: &str, rows: u64) {
    let options = pacta_gen::GenOptions {
        seed: 7,
        ..pacta_gen::GenOptions::new(Month::parse(month).expect("month"), rows)
    };
    pacta_ops::generate::generate_to_dir(&contract_a(), &options, dir, true, &mut |_| {})
        .expect("generate");
}

pub fn store_data(db: &Arc<Db>, now: Timestamp) -> StoreData {
    let dir = tempfile::tempdir().expect("temp dir");
    let store_dir = dir.path().join("store");
    let september = dir.path().join("gen-09");
    generate(&september, DATA_MONTH, DATA_ROWS);
    let store = pacta_ops::store::open(&store_dir).expect("store");
    let recorder = Recorder {
        db: Arc::clone(db),
        actor: "setup".to_string(),
    };
    let month = Month::parse(DATA_MONTH).expect("month");
    let mut evidence = Vec::new();
    // A's September is saved (version 1) and left open; B's, the same data under B's id,
    // is saved and closed, so that readers of every contract can verify it.
    for id in [CONTRACT_A, CONTRACT_B] {
        let contract = pacta_contract::parse_str(&contract_text(id)).expect("contract");
        for (file, kind) in [
            ("interactions.csv", ImportKind::Interactions),
            (
                "surveys.csv",
                ImportKind::Records(pacta_data::record_kinds::RecordKind::Surveys),
            ),
        ] {
            let request = ImportRequest {
                paths: vec![september.join(file)],
                ..ImportRequest::default()
            };
            let plan = pacta_ops::import::prepare(&contract, kind, request).expect("prepare");
            plan.run(&store, None, now, None).expect("import");
        }
        pacta_ops::record::settle_and_save(
            &store,
            SaveTo::Recorder(&recorder),
            &contract,
            month,
            &Default::default(),
            now,
        )
        .expect("settle September");
        if id == CONTRACT_B {
            pacta_ops::record::close_month(&store, &recorder, &contract, month, now, None)
                .expect("close B's September");
        }
        evidence.push(fulfil_with_evidence(
            &recorder,
            &store,
            &contract,
            dir.path(),
            now,
        ));
    }
    let november = dir.path().join("gen-11");
    generate(&november, "2026-11", 100);
    StoreData {
        surveys: std::fs::read(november.join("surveys.csv")).expect("surveys"),
        interactions: std::fs::read(november.join("interactions.csv")).expect("interactions"),
        store_dir,
        evidence: [evidence.remove(0), evidence.remove(0)],
        _dir: dir,
    }
}

/// Records the contract's obligations of October to December 2026 and fulfils the first
/// provider one with an evidence file: its hash and bytes.
fn fulfil_with_evidence(
    recorder: &Recorder,
    store: &pacta_data::store::Store,
    contract: &pacta_contract::Contract,
    dir: &std::path::Path,
    now: Timestamp,
) -> (String, Vec<u8>) {
    let plans = pacta_ops::governance::Plans::default();
    let history =
        pacta_ops::governance::history(recorder, Some(store), contract, &plans).expect("history");
    let from = "2026-10-01".parse().expect("date");
    let to = "2026-12-31".parse().expect("date");
    let list =
        pacta_ops::governance::list(recorder, Some(store), contract, &history, from, to, now)
            .expect("obligations");
    let id = &contract.doc.contract.id;
    let row = list
        .rows
        .iter()
        .find(|r| r.obligation.party == pacta_governance::obligation::Party::Provider)
        .expect("a provider obligation");
    let bytes = format!("minutes of the review, {id}\n").into_bytes();
    let path = dir.join(format!("minutes-{id}.txt"));
    std::fs::write(&path, &bytes).expect("evidence file");
    let event = pacta_ops::governance::act(
        recorder,
        Some(id),
        &row.obligation.id,
        pacta_ops::governance::Act::Fulfil {
            evidence: Some(&path),
            note: Some("minutes".into()),
        },
        now,
    )
    .expect("fulfil");
    (event.evidence_hash.expect("a hash"), bytes)
}
