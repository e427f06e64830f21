//! The two real files of testdata: counts reconciled and specific contacts checked by hand.

use std::path::{Path, PathBuf};

use pacta_data::import::{Format, ImportOptions, import_interactions};
use pacta_data::model::Outcome;
use pacta_data::pseudo::Pseudonymizer;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

fn pseudo() -> Pseudonymizer {
    Pseudonymizer::from_key([7; 32])
}

/// Expected counts cross-checked independently with awk on the raw file:
///
/// ```sh
/// awk -F, 'NR>1{print $13}' anonbank-august.csv | sort | uniq -c
///   # 31402 AGENT, 10366 HANG, 310 PHANTOM   (42,078 rows, all with 17 fields)
/// awk -F, 'NR>1 && $13=="HANG"{print ($10=="0:00:00")}' anonbank-august.csv | sort | uniq -c
///   # 3057 with q_start 0:00:00 (left in the IVR), 7309 queued then hung up
/// awk -F, 'NR>1{print $5}' anonbank-august.csv | sort | uniq -c
///   # IN 3563, NE 3381, NW 6923, PE 181, PS 27312, TT 718 — no unknown type in August
/// ```
/// So: 42,078 read = 31,402 answered + 7,309 abandoned + 3,057 not offered + 310 phantom,
/// nothing quarantined.
#[test]
fn anonbank_august_reconciles() {
    let p = pseudo();
    let opts = ImportOptions::new(jiff::tz::TimeZone::get("Asia/Jerusalem").expect("tz"), &p);
    let path = data("anonbank-august.csv");
    let out = import_interactions(Format::Anonbank, &[path.as_path()], &opts).expect("import");
    let r = &out.report;
    assert_eq!(r.rows_read, 42_078);
    assert_eq!(r.imported, 38_711);
    assert_eq!(r.by_outcome.get("answered"), Some(&31_402));
    assert_eq!(r.by_outcome.get("abandoned"), Some(&7_309));
    assert_eq!(r.not_offered, 3_057);
    assert_eq!(r.dropped.get("phantom"), Some(&310));
    assert!(
        r.quarantined.is_empty(),
        "{:?}",
        &r.quarantined[..r.quarantined.len().min(5)]
    );
    assert!(r.reconciles());
    assert_eq!(out.batch.len(), 38_711);

    // Line 20: AA0104,31129,0,0,PS,2010-08-01,10:00:21,10:00:31,10,0:00:00,0:00:00,0,AGENT,
    // 10:00:30,10:02:09,99,NAAMA — straight to an agent: wait 0, talk 99 s, unknown customer.
    let rows = out.batch.to_interactions();
    let r20 = rows
        .iter()
        .find(|i| i.source_id == "2010-08-01/AA0104/31129")
        .expect("row 20");
    let arrival = jiff::civil::date(2010, 8, 1)
        .at(10, 0, 31, 0)
        .in_tz("Asia/Jerusalem")
        .expect("zoned")
        .timestamp()
        .as_millisecond();
    assert_eq!(r20.arrived_at_ms, arrival);
    assert_eq!(r20.answered_at_ms, Some(arrival));
    assert_eq!(r20.talk_ms, Some(99_000));
    assert_eq!(r20.queue, "PS");
    assert_eq!(r20.agent_key.as_deref(), Some("NAAMA"));
    assert_eq!(r20.customer_key, None);
    assert_eq!(r20.outcome, Outcome::Answered);
    // Line 22: customer 33052234, q_time 42, ser_time 96, VICKY.
    let r22 = rows
        .iter()
        .find(|i| i.source_id == "2010-08-01/AA0213/24281")
        .expect("row 22");
    assert_eq!(r22.wait_ms(), Some(42_000));
    assert_eq!(r22.talk_ms, Some(96_000));
    assert_eq!(r22.customer_key, p.hex("33052234"));
    // A call that crossed midnight in the IVR (vru_entry 23:59:23 on 08-02... exit 23:59:23)
    // and one whose vru_exit is after midnight are dated by vru_exit.
    assert!(
        rows.iter()
            .all(|i| i.arrived_at_ms >= arrival - 86_400_000 * 2)
    );
}

/// The Asterisk table dump: 1,000 rows = 108 contacts (one per ENTERQUEUE) + 557 call
/// events merged into them + 335 ignored rows (299 with queue NONE — OUTDIAL, OUTANSWER,
/// QUEUESTART… — and 36 ADDMEMBER/REMOVEMEMBER on queue IT). Cross-checked with Python:
/// per (callid, queue) event sequences give 51 ENTERQUEUE→CONNECT→COMPLETEAGENT, 38
/// …COMPLETECALLER, 1 …ATTENDEDTRANSFER, 1 …BLINDTRANSFER (91 answered), 12 ABANDON, 1
/// EXITWITHTIMEOUT, 2 ENTERQUEUE→CONNECT and 2 ENTERQUEUE alone at the end (4 in progress).
#[test]
fn asterisk_dump_one_contact_per_call_and_queue() {
    let p = pseudo();
    let opts = ImportOptions::new(jiff::tz::TimeZone::get("America/Bogota").expect("tz"), &p);
    let path = data("asterisk-queue-log-mirta.csv");
    let out = import_interactions(Format::Asterisk, &[path.as_path()], &opts).expect("import");
    let r = &out.report;
    assert_eq!(r.rows_read, 1_000);
    assert_eq!(r.imported, 108);
    assert_eq!(r.merged, 557);
    assert_eq!(r.dropped.values().sum::<u64>(), 335);
    assert_eq!(r.dropped.get("ignored event OUTDIAL"), Some(&128));
    assert!(r.quarantined.is_empty(), "{:?}", r.quarantined);
    assert!(r.reconciles());
    assert_eq!(r.by_outcome.get("answered"), Some(&91));
    assert_eq!(r.by_outcome.get("abandoned"), Some(&12));
    assert_eq!(r.by_outcome.get("timeout"), Some(&1));
    assert_eq!(r.by_outcome.get("in_progress"), Some(&4));
    let rows = out.batch.to_interactions();
    let get = |id: &str| rows.iter().find(|i| i.source_id == id).expect(id).clone();

    // Lines 14–21: ENTERQUEUE 1543602677, CONNECT htime 76, COMPLETECALLER htime 76 ttime 847.
    let c = get("1543602660.197/IT");
    assert_eq!(c.arrived_at_ms, 1_543_602_677_000);
    assert_eq!(c.answered_at_ms, Some(1_543_602_753_000));
    assert_eq!(c.wait_ms(), Some(76_000));
    assert_eq!(c.talk_ms, Some(847_000));
    assert_eq!(c.ended_at_ms, Some(1_543_603_600_000));
    assert_eq!(c.agent_key.as_deref(), Some("Agent/002"));
    assert_eq!(c.customer_key, p.hex("tel-da870786de"));
    assert_eq!((c.hold_ms, c.wrap_ms), (None, None));

    // Lines 26–28: wait 5, talk 60, COMPLETEAGENT by Agent/004.
    let c = get("1543604976.289/IT");
    assert_eq!(c.wait_ms(), Some(5_000));
    assert_eq!(c.talk_ms, Some(60_000));
    assert_eq!(c.agent_key.as_deref(), Some("Agent/004"));

    // Lines 982, 999: ENTERQUEUE 1543942639, ABANDON htime 201.
    let c = get("1543942628.2322/IT");
    assert_eq!(c.outcome, Outcome::Abandoned);
    assert_eq!(c.wait_ms(), Some(201_000));
    assert_eq!(c.answered_at_ms, None);

    // Lines 501, 527: EXITWITHTIMEOUT after 300 s: an exit, not an abandon.
    let c = get("1543860451.3324/IT");
    assert_eq!(c.outcome, Outcome::Timeout);
    assert_eq!(c.wait_ms(), Some(300_000));

    // Line 929: BLINDTRANSFER htime 6 ttime 38 — answered, then transferred.
    let c = get("1543938872.1743/IT");
    assert_eq!(c.outcome, Outcome::Answered);
    assert_eq!(c.talk_ms, Some(38_000));
    assert_eq!(c.disposition.as_deref(), Some("transferred"));

    // Line 1001 (last): ENTERQUEUE with nothing after it.
    let c = get("1543942842.2438/IT");
    assert_eq!(c.outcome, Outcome::InProgress);
    assert_eq!(c.ended_at_ms, None);
}
