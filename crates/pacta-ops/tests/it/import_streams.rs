//! An import of several files of a stateful format reads them as one stream.

use pacta_ops::import::{ImportKind, ImportRequest, prepare};

use crate::{examples, imported_at};

#[test]
fn an_asterisk_call_split_across_two_files_of_one_import_is_completed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let day_one = "\
1700006390|c1|retail|NONE|ENTERQUEUE||+34600111222|1
1700006395|c1|retail|Agent/7|CONNECT|5|c1.1|2
";
    let day_two = "1700006700|c1|retail|Agent/7|COMPLETECALLER|5|305|1\n";
    let a = dir.path().join("queue_log.1");
    let b = dir.path().join("queue_log");
    std::fs::write(&a, day_one).expect("written");
    std::fs::write(&b, day_two).expect("written");
    let contract =
        pacta_ops::contract::load(&examples().join("bank-inbound-manila.toml")).expect("contract");
    let request = ImportRequest {
        format: Some("asterisk".into()),
        paths: vec![a, b],
        ..ImportRequest::default()
    };
    let plan = prepare(&contract, ImportKind::Interactions, request).expect("prepared");
    let store = pacta_ops::store::open(&dir.path().join("store")).expect("store");
    let seen = std::sync::atomic::AtomicU64::new(0);
    let progress = |bytes: u64| {
        seen.fetch_max(bytes, std::sync::atomic::Ordering::Relaxed);
    };
    let outcome = plan
        .run(&store, None, imported_at(), Some(&progress))
        .expect("imported");
    let r = &outcome.report;
    assert!(r.quarantined.is_empty(), "{:?}", r.quarantined);
    assert_eq!((r.rows_read, r.imported, r.merged), (3, 1, 2));
    assert_eq!(r.by_outcome.get("answered"), Some(&1));
    assert_eq!(r.by_outcome.get("in_progress"), None);
    assert_eq!(
        seen.load(std::sync::atomic::Ordering::Relaxed),
        plan.total_bytes()
    );
}

/// Yesterday's log left the call queued; today's log, imported separately, completes it. The
/// completed row supersedes the stored `in_progress` one (defect 6 across imports), and an
/// Amazon Connect record updated in a later import supersedes the earlier one (defect 5).
#[test]
fn a_later_import_completes_what_an_earlier_one_left_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let contract =
        pacta_ops::contract::load(&examples().join("bank-inbound-manila.toml")).expect("contract");
    let store_dir = dir.path().join("store");
    let import = |name: &str, format: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("written");
        let request = ImportRequest {
            format: Some(format.into()),
            paths: vec![path],
            ..ImportRequest::default()
        };
        let plan = prepare(&contract, ImportKind::Interactions, request).expect("prepared");
        let store = pacta_ops::store::open(&store_dir).expect("store");
        plan.run(&store, None, imported_at(), None)
            .expect("imported")
    };
    // 2023-11-15 00:39:50 UTC: November in Manila.
    import(
        "queue_log.1",
        "asterisk",
        "1700008790|c1|retail|NONE|ENTERQUEUE||+34600111222|1\n1700008795|c1|retail|Agent/7|CONNECT|5|c1.1|2\n",
    );
    let second = import(
        "queue_log",
        "asterisk",
        "1700009100|c1|retail|Agent/7|COMPLETECALLER|5|305|1\n",
    );
    assert!(
        second.report.quarantined.is_empty(),
        "{:?}",
        second.report.quarantined
    );
    let committed = second.committed.expect("committed");
    assert_eq!((committed.written, committed.superseded), (1, 1));
    let store = pacta_ops::store::open(&store_dir).expect("store");
    let month = pacta_core::Month::parse("2023-11").expect("month");
    let rows = store
        .load_interactions(&contract.doc.contract.id, month)
        .expect("month")
        .rows();
    assert_eq!(
        rows.len(),
        1,
        "one call, not an open one and a completed one"
    );
    assert_eq!(rows[0].outcome, pacta_data::model::Outcome::Answered);
    assert_eq!(rows[0].talk_ms, Some(305_000));

    // Amazon Connect: c-1 in progress in the first import, completed in the second; c-2
    // completed first, then a stale in-progress copy delivered late.
    let ctr = |id: &str, done: bool| {
        let end = if done {
            r#","DisconnectTimestamp":"2024-05-02T14:10:00Z","Agent":{"ConnectedToAgentTimestamp":"2024-05-02T14:01:00Z","AgentInteractionDuration":300,"Username":"maria"}"#
        } else {
            r#","Agent":null"#
        };
        format!(
            r#"{{"ContactId":"{id}","Channel":"VOICE","InitiationMethod":"INBOUND","Queue":{{"Name":"retail","EnqueueTimestamp":"2024-05-02T14:00:30Z"}},"CustomerEndpoint":{{"Address":"+14155550100"}}{end}}}"#
        )
    };
    import(
        "ctr-1.jsonl",
        "amazon-connect",
        &format!("{}\n{}\n", ctr("c-1", false), ctr("c-2", true)),
    );
    let later = import(
        "ctr-2.jsonl",
        "amazon-connect",
        &format!("{}\n{}\n", ctr("c-1", true), ctr("c-2", false)),
    );
    let committed = later.committed.expect("committed");
    assert_eq!(
        (
            committed.written,
            committed.superseded,
            committed.duplicates_skipped
        ),
        (1, 1, 1)
    );
    let may = pacta_core::Month::parse("2024-05").expect("month");
    let rows = store
        .load_interactions(&contract.doc.contract.id, may)
        .expect("month")
        .rows();
    assert_eq!(rows.len(), 2);
    for r in rows {
        assert_eq!(
            r.outcome,
            pacta_data::model::Outcome::Answered,
            "{}",
            r.source_id
        );
    }
}
