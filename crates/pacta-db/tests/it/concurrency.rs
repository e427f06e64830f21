//! Many writers at once, each with its own handle (its own pool): the sequence stays
//! contiguous and the chain verifies.

use std::thread;
use std::time::Instant;

use pacta_db::{LogFilter, NewEntry};
use serde_json::json;

use crate::fixture::{Fixture, both_backends};
use crate::settlements::{at, new_settlement};

both_backends!(
    eight_writers_keep_the_sequence_contiguous,
    concurrent_saves_number_versions_without_gaps,
    first_opens_at_once_apply_the_schema_once,
    one_handle_shared_by_threads,
);

#[test]
fn a_handle_can_be_shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<pacta_db::Db>();
}

const WRITERS: u64 = 8;
const APPENDS: u64 = 200;

#[allow(clippy::print_stderr)]
fn eight_writers_keep_the_sequence_contiguous(f: &Fixture) {
    // The first handle creates the schema; the others find it.
    let first = f.open();
    let started = Instant::now();
    thread::scope(|scope| {
        for writer in 0..WRITERS {
            scope.spawn(move || {
                let db = f.open();
                for n in 0..APPENDS {
                    db.append(
                        &NewEntry {
                            actor: format!("writer-{writer}"),
                            action: "data.import".to_string(),
                            object: format!("store/w{writer}"),
                            payload: json!({"writer": writer, "n": n}),
                        },
                        at("2026-04-01T08:00:00Z"),
                    )
                    .expect("append");
                }
            });
        }
    });
    eprintln!(
        "{:?}: {} appends by {WRITERS} writers in {:?}",
        f.backend(),
        WRITERS * APPENDS,
        started.elapsed()
    );
    let log = first.log(&LogFilter::default()).expect("log");
    assert_eq!(log.len() as u64, WRITERS * APPENDS);
    assert!(log.iter().map(|e| e.seq).eq(1..=WRITERS * APPENDS));
    for writer in 0..WRITERS {
        let mine = first
            .log(&LogFilter {
                object_prefix: Some(format!("store/w{writer}")),
                ..LogFilter::default()
            })
            .expect("one writer's");
        // Each writer's entries are in its own order.
        let ns: Vec<u64> = mine
            .iter()
            .map(|e| {
                let v: serde_json::Value = serde_json::from_str(&e.payload).expect("payload");
                v["n"].as_u64().expect("n")
            })
            .collect();
        assert!(ns.iter().copied().eq(0..APPENDS), "writer {writer}");
    }
    let report = first.verify().expect("verify");
    assert_eq!(report.entries, WRITERS * APPENDS);
    assert_eq!(report.head_hash, log[log.len() - 1].hash);
}

fn concurrent_saves_number_versions_without_gaps(f: &Fixture) {
    let first = f.open();
    thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                let db = f.open();
                for total in 0..10 {
                    db.save_settlement(
                        &new_settlement("ACME", "2026-03", total),
                        "ana",
                        at("2026-04-01T08:00:00Z"),
                    )
                    .expect("save");
                }
            });
        }
    });
    let month = pacta_core::Month::parse("2026-03").expect("month");
    let versions = first.settlement_versions("ACME", month).expect("versions");
    assert!(versions.iter().map(|v| v.version).eq(1..=40));
    let latest = first
        .latest_settlement("ACME", month)
        .expect("latest")
        .expect("some");
    assert_eq!(latest.version, 40);
    assert_eq!(first.verify().expect("verify").entries, 40);
}

fn first_opens_at_once_apply_the_schema_once(f: &Fixture) {
    // Nobody has opened the database yet: eight handles race to create the schema.
    thread::scope(|scope| {
        for writer in 0..8u64 {
            scope.spawn(move || {
                let db = f.open();
                db.append(
                    &NewEntry {
                        actor: format!("writer-{writer}"),
                        action: "data.import".to_string(),
                        object: "store/race".to_string(),
                        payload: json!({}),
                    },
                    at("2026-04-01T08:00:00Z"),
                )
                .expect("append");
            });
        }
    });
    assert_eq!(f.open().verify().expect("verify").entries, 8);
}

fn one_handle_shared_by_threads(f: &Fixture) {
    let db = f.open();
    thread::scope(|scope| {
        for writer in 0..4u64 {
            let db = &db;
            scope.spawn(move || {
                for n in 0..25u64 {
                    db.append(
                        &NewEntry {
                            actor: format!("writer-{writer}"),
                            action: "data.import".to_string(),
                            object: "store/shared".to_string(),
                            payload: json!({"n": n}),
                        },
                        at("2026-04-01T08:00:00Z"),
                    )
                    .expect("append");
                    db.log(&LogFilter {
                        since_seq: Some(n),
                        limit: Some(1),
                        ..LogFilter::default()
                    })
                    .expect("read meanwhile");
                }
            });
        }
    });
    let report = db.verify().expect("verify");
    assert_eq!(report.entries, 100);
}
