//! The files of one import read as one stream (a contact spread over two files is one
//! record), and an import that completes a contact an earlier import stored as in progress.

use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use pacta_contract::Channel;
use pacta_data::import::{Format, ImportOptions, OpenContact, OpenContacts, import_interactions};
use pacta_data::model::Outcome;
use pacta_data::pseudo::Pseudonymizer;

fn pseudo() -> Pseudonymizer {
    Pseudonymizer::from_key([5; 32])
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

/// A CTR: `upd` its LastUpdateTimestamp (none when empty); `done` adds the agent and the
/// disconnect (the contact's final record).
fn ctr(id: &str, upd: &str, done: bool) -> String {
    let upd = if upd.is_empty() {
        String::new()
    } else {
        format!(r#","LastUpdateTimestamp":"{upd}""#)
    };
    let end = if done {
        r#","DisconnectTimestamp":"2024-05-02T14:10:00Z","Agent":{"ConnectedToAgentTimestamp":"2024-05-02T14:01:00Z","AgentInteractionDuration":300,"Username":"maria"}"#
    } else {
        r#","Agent":null"#
    };
    format!(
        r#"{{"ContactId":"{id}","Channel":"VOICE","InitiationMethod":"INBOUND"{upd},"Queue":{{"Name":"Billing","EnqueueTimestamp":"2024-05-02T14:00:30Z"}},"CustomerEndpoint":{{"Address":"+14155550100"}}{end}}}"#
    )
}

#[test]
fn connect_update_in_a_later_file_supersedes_the_earlier_record() {
    let dir = tempfile::tempdir().expect("tmp");
    // c-1 in progress in the first file, completed in the second; c-2 completed first and a
    // stale in-progress copy (older LastUpdateTimestamp) delivered late; c-3 has no
    // LastUpdateTimestamp at all: file order decides.
    let first = [
        ctr("c-1", "2024-05-02T14:05:00Z", false),
        ctr("c-2", "2024-05-02T14:12:00Z", true),
        ctr("c-3", "", false),
    ]
    .join("\n");
    let second = [
        ctr("c-1", "2024-05-02T14:12:00Z", true),
        ctr("c-2", "2024-05-02T14:05:00Z", false),
        ctr("c-3", "", true),
    ]
    .join("\n");
    let a = write(dir.path(), "ctr-1.jsonl", &first);
    let b = write(dir.path(), "ctr-2.jsonl", &second);
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::UTC, &p);
    let out = import_interactions(Format::AmazonConnect, &[a.as_path(), b.as_path()], &opts)
        .expect("import");
    let r = &out.report;
    assert_eq!((r.rows_read, r.imported, r.merged), (6, 3, 3), "{r:?}");
    assert!(r.dropped.is_empty(), "{r:?}");
    assert!(r.reconciles());
    assert_eq!(r.files.len(), 2);
    let rows = out.batch.to_interactions();
    assert_eq!(rows.len(), 3, "one record per ContactId over both files");
    for id in ["c-1", "c-2", "c-3"] {
        let c = rows.iter().find(|i| i.source_id == id).expect(id);
        assert_eq!(c.outcome, Outcome::Answered, "{id}");
        assert_eq!(c.talk_ms, Some(300_000), "{id}");
    }
    assert_eq!(r.by_outcome.get("answered"), Some(&3));
    assert_eq!(r.by_outcome.get("in_progress"), None);
}

/// Day one of a rotated `queue_log`: c1 connects before midnight, c2 abandons.
const DAY_ONE: &str = "\
1700006390|c1|sales|NONE|ENTERQUEUE||+34600111222|1
1700006395|c1|sales|Agent/7|CONNECT|5|c1.1|2
1700006000|c2|sales|NONE|ENTERQUEUE||+34600333444|1
1700006030|c2|sales|NONE|ABANDON|1|1|30
";

/// Day two: c1 ends after midnight, c3 starts and ends.
const DAY_TWO: &str = "\
1700006700|c1|sales|Agent/7|COMPLETECALLER|5|305|1
1700006800|c3|sales|NONE|ENTERQUEUE||+34600555666|1
1700006810|c3|sales|Agent/8|CONNECT|10|c3.1|1
1700006900|c3|sales|Agent/8|COMPLETEAGENT|10|90|1
";

#[test]
fn asterisk_call_split_across_rotated_files_is_one_contact() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = write(dir.path(), "queue_log.1", DAY_ONE);
    let b = write(dir.path(), "queue_log", DAY_TWO);
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::UTC, &p);
    let seen = std::sync::atomic::AtomicU64::new(0);
    let progress = |bytes: u64| {
        seen.fetch_max(bytes, std::sync::atomic::Ordering::Relaxed);
    };
    let mut opts_p = ImportOptions::new(TimeZone::UTC, &p);
    opts_p.progress = Some(&progress);
    let out = import_interactions(Format::Asterisk, &[a.as_path(), b.as_path()], &opts_p)
        .expect("import");
    let r = &out.report;
    assert!(r.quarantined.is_empty(), "{:?}", r.quarantined);
    assert_eq!((r.rows_read, r.imported, r.merged), (8, 3, 5));
    assert!(r.reconciles());
    assert_eq!(r.by_outcome.get("in_progress"), None);
    let rows = out.batch.to_interactions();
    let ids: Vec<&str> = rows.iter().map(|i| i.source_id.as_str()).collect();
    assert_eq!(ids, ["c1/sales", "c2/sales", "c3/sales"], "input order");
    let c1 = &rows[0];
    assert_eq!(c1.outcome, Outcome::Answered);
    assert_eq!(c1.answered_at_ms, Some(1_700_006_395_000));
    assert_eq!(c1.talk_ms, Some(305_000));
    assert_eq!(c1.ended_at_ms, Some(1_700_006_700_000));
    assert_eq!(c1.customer_key, p.hex("+34600111222"));
    let total = (DAY_ONE.len() + DAY_TWO.len()) as u64;
    assert_eq!(
        seen.load(std::sync::atomic::Ordering::Relaxed),
        total,
        "progress over both files"
    );

    // Read one file at a time, the same call is left open and its end quarantined: what
    // the one-stream reading fixes.
    let alone = import_interactions(Format::Asterisk, &[b.as_path()], &opts).expect("import");
    assert_eq!(alone.report.quarantined.len(), 1);
}

#[test]
fn asterisk_completes_a_call_an_earlier_import_left_open() {
    let dir = tempfile::tempdir().expect("tmp");
    let b = write(dir.path(), "queue_log", DAY_TWO);
    let p = pseudo();
    // What an earlier import stored for c1: connected, not yet ended.
    let mut open = OpenContacts::new();
    open.insert(OpenContact {
        source_id: "c1/sales".into(),
        channel: Channel::VoiceIn,
        queue: "sales".into(),
        site: Some("manila".into()),
        language: None,
        customer_key: p.hex("+34600111222"),
        arrived_at_ms: 1_700_006_390_000,
        answered_at_ms: Some(1_700_006_395_000),
        agent_key: Some("Agent/7".into()),
    });
    let mut opts = ImportOptions::new(TimeZone::UTC, &p);
    opts.open_contacts = Some(&open);
    let out = import_interactions(Format::Asterisk, &[b.as_path()], &opts).expect("import");
    let r = &out.report;
    assert!(r.quarantined.is_empty(), "{:?}", r.quarantined);
    assert_eq!((r.rows_read, r.imported, r.merged), (4, 2, 2));
    assert!(r.reconciles());
    let rows = out.batch.to_interactions();
    let c1 = rows
        .iter()
        .find(|i| i.source_id == "c1/sales")
        .expect("the stored source id");
    assert_eq!(c1.outcome, Outcome::Answered);
    assert_eq!(c1.arrived_at_ms, 1_700_006_390_000);
    assert_eq!(c1.answered_at_ms, Some(1_700_006_395_000));
    assert_eq!(c1.wait_ms(), Some(5_000));
    assert_eq!(c1.talk_ms, Some(305_000));
    assert_eq!(c1.customer_key, p.hex("+34600111222"));
    assert_eq!(c1.site.as_deref(), Some("manila"));
    assert_eq!(c1.agent_key.as_deref(), Some("Agent/7"));
}

#[test]
fn open_contacts_built_from_a_first_import_carry_the_call_into_the_next() {
    let dir = tempfile::tempdir().expect("tmp");
    let a = write(dir.path(), "queue_log.1", DAY_ONE);
    let b = write(dir.path(), "queue_log", DAY_TWO);
    let p = pseudo();
    let opts = ImportOptions::new(TimeZone::UTC, &p);
    let first = import_interactions(Format::Asterisk, &[a.as_path()], &opts).expect("import");
    let open = OpenContacts::from_table(&first.batch.to_table());
    assert_eq!(open.len(), 1, "only the in-progress call");
    let stored = open.get("c1/sales").expect("c1 open");
    assert_eq!(stored.answered_at_ms, Some(1_700_006_395_000));
    assert_eq!(
        OpenContacts::from_interactions(&first.batch.to_interactions()),
        open
    );

    let mut with_open = ImportOptions::new(TimeZone::UTC, &p);
    with_open.open_contacts = Some(&open);
    let second = import_interactions(Format::Asterisk, &[b.as_path()], &with_open).expect("import");
    assert!(second.report.quarantined.is_empty());
    let rows = second.batch.to_interactions();
    let c1 = rows.iter().find(|i| i.source_id == "c1/sales").expect("c1");
    assert_eq!(c1.outcome, Outcome::Answered);
    assert_eq!(c1.customer_key, p.hex("+34600111222"));

    // The first file read again with the call open: the same source ids, no re-entry.
    let again = import_interactions(Format::Asterisk, &[a.as_path()], &with_open).expect("import");
    let ids: Vec<String> = again
        .batch
        .to_interactions()
        .into_iter()
        .map(|i| i.source_id)
        .collect();
    assert_eq!(ids, ["c1/sales", "c2/sales"]);
}
